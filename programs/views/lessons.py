"""Short lessons on living with back pain."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programs.lessons import lessons


@require_safe
def lesson_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/lessons.html", {"lessons": lessons()})
