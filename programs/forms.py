"""Forms of the library pages."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from programs.models import Exercise, MuscleGroup


class LibraryFilterForm(forms.Form):
    """The library's filters. Every field is optional; an empty form lists everything."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. bridge, hamstring")}
        ),
    )
    muscle = forms.ModelChoiceField(
        label=_("Muscle group"),
        queryset=MuscleGroup.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any muscle group"),
        error_messages={
            "invalid_choice": _("There is no such muscle group; pick one from the list.")
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *Exercise.Kind.choices],
        error_messages={"invalid_choice": _("There is no such kind; pick one from the list.")},
    )
    position = forms.ChoiceField(
        label=_("Position"),
        required=False,
        choices=[("", _("Any position")), *Exercise.Position.choices],
        error_messages={"invalid_choice": _("There is no such position; pick one from the list.")},
    )
    tv = forms.BooleanField(label=_("Seated, TV-friendly only"), required=False)

    def filter(self, exercises: QuerySet[Exercise]) -> QuerySet[Exercise]:
        data = self.cleaned_data
        if text := data.get("q", "").strip():
            exercises = exercises.filter(
                Q(name__icontains=text)
                | Q(summary__icontains=text)
                | Q(instructions__icontains=text)
            )
        if group := data.get("muscle"):
            matching = Exercise.objects.filter(
                Q(primary_muscles=group) | Q(secondary_muscles=group)
            ).values("pk")
            exercises = exercises.filter(pk__in=matching)
        if kind := data.get("kind"):
            exercises = exercises.filter(kind=kind)
        if position := data.get("position"):
            exercises = exercises.filter(position=position)
        if data.get("tv"):
            exercises = exercises.filter(tv_friendly=True)
        return exercises

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)
