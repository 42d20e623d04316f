from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/<slug:slug>/", views.exercise_detail, name="exercise"),
    path("muscles/", views.muscle_group_list, name="muscle-groups"),
    path("muscles/<slug:slug>/", views.muscle_group_detail, name="muscle-group"),
    path("programs/", views.program_list, name="programs"),
    path("programs/<slug:slug>/", views.program_detail, name="program"),
]
