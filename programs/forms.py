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


PAIN_CHOICES = [(level, str(level)) for level in range(11)]
PAIN_ERRORS = {
    "required": _("Choose how much it hurts, from 0 (no pain) to 10 (the worst)."),
    "invalid_choice": _("Pain is a number from 0 (no pain) to 10 (the worst)."),
}


class PainField(forms.TypedChoiceField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("How much does your back hurt right now?"))
        super().__init__(
            choices=PAIN_CHOICES,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "pain-scale"}),
            error_messages=PAIN_ERRORS,
            **kwargs,
        )


class PainForm(forms.Form):
    pain = PainField()


class StartSessionForm(forms.Form):
    program = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Choose a program to start."),
            "invalid": _("That is not a program."),
            "min_value": _("That is not a program."),
        },
    )
    replace = forms.BooleanField(required=False)


class CompletionForm(forms.Form):
    key = forms.UUIDField(
        error_messages={"invalid": _("The request carried no valid key; reload the page.")}
    )
    seconds_done = forms.IntegerField(
        min_value=0,
        max_value=24 * 60 * 60,
        error_messages={
            "required": _("Say how many seconds were done."),
            "invalid": _("Seconds done must be a whole number."),
            "min_value": _("Seconds done cannot be negative."),
        },
    )
    skipped = forms.BooleanField(required=False)


class HurtsForm(forms.Form):
    level = PainField(label=_("How much does it hurt?"))
    step = forms.IntegerField(required=False, widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        choices=[("continue", _("Continue")), ("stop", _("Stop"))],
        error_messages={"required": _("Choose whether to stop or go on.")},
    )


class SafetyForm(forms.Form):
    warning_signs = forms.MultipleChoiceField(
        label=_("Do you have any of these right now?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    none_apply = forms.BooleanField(
        label=_("None of these apply to me"),
        required=False,
    )
    acknowledge = forms.BooleanField(
        label=_("I understand BackCare is not medical advice, and I will stop if anything hurts."),
        required=False,
    )

    def __init__(self, *args, needs_acknowledgement: bool, **kwargs) -> None:
        from programs.safety import WARNING_SIGNS

        super().__init__(*args, **kwargs)
        self.fields["warning_signs"].choices = [(s.code, s.question) for s in WARNING_SIGNS]
        self.needs_acknowledgement = needs_acknowledgement
        if not needs_acknowledgement:
            del self.fields["acknowledge"]

    def clean(self) -> dict:
        data = super().clean()
        signs = data.get("warning_signs") or []
        if not signs and not data.get("none_apply"):
            self.add_error(
                "none_apply",
                _("Tick the signs you have, or tick “None of these apply to me”."),
            )
        if signs and data.get("none_apply"):
            self.add_error(
                "none_apply",
                _("You ticked some signs and also “none of these”; untick one of them."),
            )
        if self.needs_acknowledgement and not data.get("acknowledge"):
            self.add_error("acknowledge", _("Please read and tick this before your first session."))
        return data
