from django.urls import path

from programs.views import builder, figures, goals, history, library, sessions

app_name = "programs"

urlpatterns = [
    path("library/", library.library, name="library"),
    path("library/figures/", figures.figure_sheet, name="figure-sheet"),
    path("library/<slug:slug>/", library.exercise_detail, name="exercise"),
    path("muscles/", library.muscle_group_list, name="muscle-groups"),
    path("muscles/<slug:slug>/", library.muscle_group_detail, name="muscle-group"),
    path("programs/", library.program_list, name="programs"),
    path("programs/<slug:slug>/", library.program_detail, name="program"),
    path("programs/<slug:slug>/copy/", builder.program_copy, name="program-copy"),
    path("my/programs/new/", builder.program_new, name="program-new"),
    path("my/programs/<int:pk>/", builder.program_builder, name="builder"),
    path("my/programs/<int:pk>/search/", builder.exercise_search, name="builder-search"),
    path("my/programs/<int:pk>/steps/add/", builder.step_add, name="step-add"),
    path("my/programs/<int:pk>/steps/<int:step_pk>/", builder.step_update, name="step-update"),
    path("my/programs/<int:pk>/steps/<int:step_pk>/move/", builder.step_move, name="step-move"),
    path(
        "my/programs/<int:pk>/steps/<int:step_pk>/remove/", builder.step_remove, name="step-remove"
    ),
    path("my/programs/<int:pk>/delete/", builder.program_delete, name="program-delete"),
    path("suggestions/<int:pk>/", builder.suggestion_decide, name="suggestion-decide"),
    path("flare-up/", builder.flare_up_form, name="flare-up-form"),
    path("flare-up/record/", builder.flare_up, name="flare-up"),
    path("plan/follow/", builder.plan_follow, name="plan-follow"),
    path("plan/stop/", builder.plan_stop, name="plan-stop"),
    path("safety/", sessions.safety, name="safety"),
    path("sessions/start/", sessions.start, name="session-start"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/pain-before/", sessions.pain_before, name="session-pain-before"),
    path("sessions/<int:pk>/run/", sessions.run, name="session-run"),
    path(
        "sessions/<int:pk>/steps/<int:step_pk>/complete/",
        sessions.complete,
        name="session-complete",
    ),
    path("sessions/<int:pk>/hurts/", sessions.hurts, name="session-hurts"),
    path("sessions/<int:pk>/stopped/", sessions.stopped, name="session-stopped"),
    path("sessions/<int:pk>/pain-after/", sessions.pain_after, name="session-pain-after"),
    path("sessions/<int:pk>/summary/", sessions.summary, name="session-summary"),
    path("sessions/<int:pk>/abandon/", sessions.abandon, name="session-abandon"),
    path("goals/", goals.goal_list, name="goals"),
    path("goals/every-group/", goals.every_group, name="goals-every-group"),
    path("goals/new/", goals.goal_new, name="goal-new"),
    path("goals/<int:pk>/", goals.goal_detail, name="goal"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/achieve/", goals.goal_achieve, name="goal-achieve"),
    path("goals/<int:pk>/archive/", goals.goal_archive, name="goal-archive"),
    path("goals/<int:pk>/delete/", goals.goal_delete, name="goal-delete"),
    path("goals/<int:pk>/check-in/", goals.goal_check_in, name="goal-check-in"),
    path("history/", history.history, name="history"),
    path("report/", history.report, name="report"),
]
