"""A person's own exercises, for their own programs: made, seen and changed only by them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from programs.forms import OwnExerciseForm
from programs.models import Exercise
from programs.services import programs as services


def _own_exercise(request: HttpRequest, pk: int) -> Exercise:
    """The person's own exercise, or 404: nobody sees another person's exercises."""
    return get_object_or_404(Exercise.objects.with_muscles(), pk=pk, owner=request.user)


@login_required
@require_safe
def own_exercise(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _own_exercise(request, pk)
    return render(request, "programs/exercise.html", {"exercise": exercise, "programs": []})


@login_required
@require_http_methods(["GET", "POST"])
def own_exercise_new(request: HttpRequest) -> HttpResponse:
    return _form(request, Exercise(), created=True)


@login_required
@require_http_methods(["GET", "POST"])
def own_exercise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form(request, _own_exercise(request, pk), created=False)


def _form(request: HttpRequest, exercise: Exercise, created: bool) -> HttpResponse:
    form = OwnExerciseForm(request.POST if request.method == "POST" else None, instance=exercise)
    if request.method == "POST" and form.is_valid():
        exercise = form.save(commit=False)
        services.save_own_exercise(request.user, exercise, form.cleaned_data)
        if created:
            messages.success(request, _("Your exercise is saved: find it in the builder's search."))
        else:
            messages.success(request, _("Your exercise is saved."))
        return redirect(exercise)
    context = {"form": form, "exercise": exercise}
    status = 400 if form.errors else 200
    return render(request, "programs/own_exercise_form.html", context, status=status)
