"""Forms of the library, session, goal and builder pages."""

import copy
import uuid
from datetime import timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from programs import recommend
from programs.models import (
    Exercise,
    FirstAnswers,
    Goal,
    HardActivity,
    MorningCheck,
    MuscleGroup,
    Program,
    ProgramStep,
)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with a number too large for the database (SQLite raises OverflowError
    before it looks) refused as an unknown choice instead of failing the request."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with numbers too large for the database refused as unknown choices."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": next(iter(value), "")},
            ) from None


class GroupChoiceField(ModelChoiceField):
    """Muscle groups by their plain names, the anatomical one beside."""

    def label_from_instance(self, obj: MuscleGroup) -> str:
        return obj.full_label


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
    muscle = GroupChoiceField(
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


def error_text(form: forms.Form) -> str:
    """Every error of a form in one line, for answers that carry no page."""
    return " ".join(error for errors in form.errors.values() for error in errors)


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
    # Skipping a warm-up asks for this too (the runner's script asks in a dialog).
    confirm_skip = forms.BooleanField(required=False)


class HurtsForm(forms.Form):
    level = PainField(label=_("How much does it hurt?"))
    # A fresh key each time the form is shown: a double click sends the same one twice.
    key = forms.UUIDField(
        initial=uuid.uuid4,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The report carried no valid key; reload the page.")},
    )
    step = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Empty: the level alone, to see what the rule recommends (the page without script).
    choice = forms.ChoiceField(
        required=False,
        choices=[
            ("continue", _("As the rule recommends")),
            ("carry_on", _("Carry on gently")),
            ("slower", _("Take it more slowly")),
            ("stop", _("Stop")),
        ],
        error_messages={"invalid_choice": _("Choose to take it more slowly or to stop.")},
    )

    CHOSEN = {"carry_on": "carry_on", "slower": "slower", "stop": "stop"}

    @property
    def chosen(self) -> str | None:
        """The outcome the person picked, or None to follow the rule."""
        return self.CHOSEN.get(self.cleaned_data.get("choice") or "")


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
    check_first = forms.MultipleChoiceField(
        label=_("Do any of these apply to you? They do not stop you exercising."),
        help_text=_("If one does, check with your health care provider before you start."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    acknowledge = forms.BooleanField(
        label=_("I understand BackCare is not medical advice, and I will stop if anything hurts."),
        required=False,
    )

    def __init__(self, *args, needs_acknowledgement: bool, **kwargs) -> None:
        from programs.safety import CHECK_FIRST, WARNING_SIGNS

        super().__init__(*args, **kwargs)
        self.fields["warning_signs"].choices = [(s.code, s.question) for s in WARNING_SIGNS]
        self.fields["check_first"].choices = [(c.code, c.question) for c in CHECK_FIRST]
        self.needs_acknowledgement = needs_acknowledgement
        if not needs_acknowledgement:
            # Asked once, with the notice, before the first session.
            del self.fields["acknowledge"]
            del self.fields["check_first"]

    # The one-tap answer: none of the signs, and (before a first session) the notice read.
    quick = forms.ChoiceField(choices=[("", ""), ("none", "none")], required=False)

    def clean(self) -> dict:
        data = super().clean()
        signs = data.get("warning_signs") or []
        if data.get("quick") == "none":
            data["none_apply"] = True
            data["acknowledge"] = True
        if not signs and not data.get("none_apply"):
            self.add_error(
                "none_apply",
                _("Tick the signs you have, or choose “None of these apply to me”."),
            )
        if signs and data.get("none_apply"):
            self.add_error(
                "none_apply",
                _("You ticked some signs and also “none of these”; untick one of them."),
            )
        unread = self.needs_acknowledgement and not data.get("acknowledge")
        if unread and not signs and data.get("none_apply"):
            self.add_error(
                "none_apply", _("Please read the notice above before your first session.")
            )
        return data


class GoalForm(forms.ModelForm):
    """A goal for a muscle group: the user's words, a due date after today, one target."""

    class Meta:
        model = Goal
        fields = [
            "muscle_group",
            "expectation",
            "due_date",
            "target_kind",
            "target_value",
            "exercise",
            "activity",
        ]
        field_classes = {
            "muscle_group": ModelChoiceField,
            "exercise": ModelChoiceField,
            "activity": ModelChoiceField,
        }
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "expectation": forms.TextInput(),
        }
        error_messages = {
            "expectation": {"required": _("Say what you expect, in your own words.")},
            "due_date": {
                "required": _("Choose the date you want to reach this goal by."),
                "invalid": _("Enter a real date, for example 2027-03-31."),
            },
            "target_value": {
                "required": _("Enter a number to aim for."),
                "invalid": _("Enter a whole number."),
                "min_value": _("Aim for at least 1."),
                "max_value": _("That is more than anyone could do; choose a smaller number."),
            },
            "muscle_group": {"required": _("Choose a muscle group.")},
            "target_kind": {"required": _("Choose how to measure progress.")},
        }

    MAX_YEARS_AHEAD = 5
    MAX_HOLD_SECONDS = 30 * 60

    def __init__(self, *args, user, today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.fields["muscle_group"].label_from_instance = lambda group: group.full_label
        self.fields["exercise"].queryset = Exercise.objects.visible_to(user).filter(
            hold_seconds__gt=0
        )
        self.fields["exercise"].required = False
        self.fields["exercise"].empty_label = _("Choose an exercise with a hold")
        self.fields["activity"].queryset = HardActivity.objects.current().filter(user=user)
        self.fields["activity"].required = False
        self.fields["activity"].empty_label = _("Choose one of your hard activities")
        self.fields["due_date"].widget.attrs["min"] = (self.today + timedelta(days=1)).isoformat()
        for name in ("muscle_group", "target_kind", "exercise", "activity"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "That is not one of the choices; pick one from the list."
            )

    def clean_expectation(self) -> str:
        text = self.cleaned_data["expectation"].strip()
        if not text:
            raise forms.ValidationError(_("Say what you expect, in your own words."))
        return text

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due <= self.today:
            raise forms.ValidationError(
                _("Choose a date after today (today is %(today)s where you live).")
                % {"today": self.today.isoformat()}
            )
        if due > self.today + timedelta(days=365 * self.MAX_YEARS_AHEAD):
            raise forms.ValidationError(_("Choose a date within the next five years."))
        return due

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("target_kind")
        value = data.get("target_value")
        group = data.get("muscle_group")
        exercise = data.get("exercise")
        if kind in {Goal.Target.RATING, Goal.Target.ACTIVITY} and value is not None and value > 10:
            self.add_error("target_value", _("A rating goes from 0 to 10; aim for 10 at most."))
        if kind == Goal.Target.ACTIVITY and data.get("activity") is None:
            self.add_error(
                "activity", _("Choose the activity, or add one on the weekly check-in page.")
            )
        elif kind != Goal.Target.ACTIVITY:
            data["activity"] = None
        if kind == Goal.Target.LONGEST_HOLD:
            if value is not None and value > self.MAX_HOLD_SECONDS:
                self.add_error("target_value", _("Aim for a hold of 30 minutes at most."))
            if exercise is None:
                self.add_error(
                    "exercise", _("Choose the exercise whose hold you want to lengthen.")
                )
            elif group is not None and not (
                exercise.primary_muscles.filter(pk=group.pk).exists()
                or exercise.secondary_muscles.filter(pk=group.pk).exists()
            ):
                self.add_error(
                    "exercise",
                    _("%(exercise)s does not work the %(group)s; choose one that does.")
                    % {"exercise": exercise.name, "group": group.label.lower()},
                )
        elif exercise is not None:
            data["exercise"] = None
        return data


class CheckInForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How strong does it feel today?"),
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a number from 0 (very weak) to 10 (very strong)."),
            "invalid_choice": _("A rating is a number from 0 to 10."),
        },
    )


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["name", "summary", "weeks", "sessions_per_day"]
        error_messages = {
            "name": {"required": _("Give the program a name.")},
            "weeks": {
                "min_value": _("A program lasts at least 1 week."),
                "max_value": _("Choose 52 weeks at most."),
                "invalid": _("Enter a whole number of weeks."),
            },
            "sessions_per_day": {
                "min_value": _("At least 1 session a day."),
                "max_value": _("4 sessions a day at most."),
                "invalid": _("Enter a whole number of sessions."),
            },
        }


class StepForm(forms.ModelForm):
    """A step's dose; an empty field means "as the exercise says". Its phase follows from
    what the exercise is."""

    class Meta:
        model = ProgramStep
        fields = ["hold_seconds", "reps", "sets", "rest_seconds"]
        error_messages = {
            name: {
                "min_value": _("This cannot be less than %(limit_value)s."),
                "max_value": _("This cannot be more than %(limit_value)s."),
                "invalid": _("Enter a whole number."),
            }
            for name in ["hold_seconds", "reps", "sets", "rest_seconds"]
        }

    def clean(self) -> dict:
        data = super().clean()
        if self.errors or not self.instance.pk:
            return data
        step = copy.copy(self.instance)
        for name in self.Meta.fields:
            setattr(step, name, data.get(name))
        others = step.program.steps.exclude(pk=step.pk).select_related("exercise")
        doses = [other.dose for other in others] + [step.dose]
        if problem := step.program.size_problem(doses):
            raise forms.ValidationError(problem, code="too_big")
        return data

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        exercise = self.instance.exercise if self.instance.exercise_id else None
        for name in ["hold_seconds", "reps", "sets", "rest_seconds"]:
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": "0"})
            if exercise is not None:
                # Empty means "as the exercise says": show what that is.
                self.fields[name].widget.attrs["placeholder"] = getattr(exercise, name)
            self.fields[name].error_messages["min_value"] = _(
                "This cannot be less than %(limit_value)s."
            )
            # The model's own limits, checked with the field: clean() adds the program up,
            # and must never be handed a million sets to count.
            limits = ProgramStep._meta.get_field(name).validators
            self.fields[name].validators += [
                v for v in limits if isinstance(v, MinValueValidator | MaxValueValidator)
            ]


class AddStepForm(forms.Form):
    exercise = ModelChoiceField(
        queryset=Exercise.objects.all(),
        error_messages={"invalid_choice": _("That exercise is not in the library.")},
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # the library and the person's own exercises, nobody else's
            self.fields["exercise"].queryset = Exercise.objects.visible_to(user)


class OwnExerciseForm(forms.ModelForm):
    """A person's own exercise: what it is, how to do it, its dose and the muscles it works,
    with a figure borrowed from a library exercise or none."""

    class Meta:
        model = Exercise
        fields = [
            "name",
            "kind",
            "position",
            "instructions",
            "cautions",
            "hold_seconds",
            "reps",
            "sets",
            "rest_seconds",
            "per_side",
            "primary_muscles",
            "secondary_muscles",
            "figure",
        ]
        widgets = {
            "primary_muscles": forms.CheckboxSelectMultiple,
            "secondary_muscles": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "primary_muscles": ModelMultipleChoiceField,
            "secondary_muscles": ModelMultipleChoiceField,
        }
        error_messages = {
            "name": {"required": _("Give the exercise a name.")},
            "instructions": {"required": _("Say how to do it, one step per line.")},
            "primary_muscles": {
                "required": _("Choose at least one muscle group it works."),
                "invalid_choice": _("Choose the muscle groups from the list."),
                "invalid_pk_value": _("Choose the muscle groups from the list."),
            },
            "secondary_muscles": {
                "invalid_choice": _("Choose the muscle groups from the list."),
                "invalid_pk_value": _("Choose the muscle groups from the list."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        figures = Exercise.objects.library().order_by("name").values_list("slug", "name")
        self.fields["figure"] = forms.ChoiceField(
            label=_("Picture"),
            choices=[("", _("No picture")), *figures],
            required=False,
            help_text=_("Borrow the drawing of a library exercise that looks the same."),
            error_messages={"invalid_choice": _("Choose a picture from the list.")},
        )
        for name in ("primary_muscles", "secondary_muscles"):
            self.fields[name].label_from_instance = lambda group: group.full_label

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the exercise a name."))
        return name


class FlareUpForm(forms.Form):
    started_on = forms.DateField(
        label=_("When did it start?"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a real date, for example 2026-11-20.")},
    )
    note = forms.CharField(label=_("Anything to note (optional)"), max_length=300, required=False)

    def __init__(self, *args, today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["started_on"].initial = today

    def clean_started_on(self):
        day = self.cleaned_data["started_on"]
        if day > self.today:
            raise forms.ValidationError(_("A flare-up cannot start in the future."))
        if day < self.today - timedelta(days=60):
            raise forms.ValidationError(_("Choose a date in the last two months."))
        return day


class MorningCheckForm(forms.Form):
    """Compared with before the last session: better, the same or worse, and stiffer?"""

    answer = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in MorningCheck.Answer.choices
            if value != MorningCheck.Answer.SKIPPED
        ],
        error_messages={
            "required": _("Choose better, the same or worse."),
            "invalid_choice": _("Choose better, the same or worse."),
        },
    )
    stiffer = forms.BooleanField(label=_("It feels stiffer than before"), required=False)


class ScaleField(forms.TypedChoiceField):
    """A number from 0 to 10, shown as large buttons."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(
            label=label,
            choices=PAIN_CHOICES,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "pain-scale"}),
            error_messages={
                "required": _("Choose a number from 0 to 10."),
                "invalid_choice": _("Choose a number from 0 to 10."),
            },
            **kwargs,
        )


class WeeklyCheckInForm(forms.Form):
    """Three questions about the past week (the PEG scale), and each hard activity."""

    pain = ScaleField(_("In the past week, how bad was your pain on average?"))
    enjoyment = ScaleField(_("How much did pain get in the way of enjoying life?"))
    activity = ScaleField(_("How much did pain get in the way of your general activity?"))

    ANCHORS = {
        "pain": (_("none"), _("worst")),
        "enjoyment": (_("not at all"), _("fully")),
        "activity": (_("not at all"), _("fully")),
    }

    def __init__(self, *args, activities: list[HardActivity], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.activities = activities
        for activity in activities:
            self.fields[f"rate_{activity.pk}"] = ScaleField(
                _("How well can you %(activity)s now?") % {"activity": activity.name}
            )

    def scales(self):
        """Each question with the words at its two ends, and whether a higher number is
        worse (coloured from green to red) or better."""
        for name, (low, high) in self.ANCHORS.items():
            yield self[name], low, high, "bad"
        for activity in self.activities:
            yield self[f"rate_{activity.pk}"], _("can't"), _("as before"), "good"

    def ratings(self) -> dict:
        return {a: self.cleaned_data[f"rate_{a.pk}"] for a in self.activities}

    def answers(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in self.ANCHORS}


class HardActivityForm(forms.ModelForm):
    class Meta:
        model = HardActivity
        fields = ["name"]
        labels = {"name": _("An activity your back makes hard")}
        help_texts = {"name": _("In your own words, for example “put my socks on”.")}
        error_messages = {
            "name": {
                "required": _("Say what the activity is, in a few words."),
                "max_length": _("Keep it to %(limit_value)d characters."),
            }
        }

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Say what the activity is, in a few words."))
        return name


class ReportLinkForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("For how long?"),
        choices=[(7, _("7 days")), (30, _("30 days"))],
        coerce=int,
        initial=7,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose 7 or 30 days."),
            "invalid_choice": _("Choose 7 or 30 days."),
        },
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class FirstStepForm(forms.Form):
    """Four questions after sign-up that recommend a program."""

    how_long = forms.ChoiceField(
        label=_("How long has your back been hurting?"),
        choices=FirstAnswers.HowLong.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how long your back has been hurting.")},
    )
    leg_pain = forms.ChoiceField(
        label=_("Does the pain go down one of your legs, below the knee?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    floor = forms.ChoiceField(
        label=_("Can you get down to the floor and up again without much trouble?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    minutes = forms.TypedChoiceField(
        label=_("How many minutes do you have for a session?"),
        choices=[(n, _("%(n)d minutes") % {"n": n}) for n in (5, 10, 20, 30)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how many minutes you have.")},
    )

    def answers(self) -> recommend.Answers:
        data = self.cleaned_data
        return recommend.Answers(
            how_long=data["how_long"],
            leg_pain=data["leg_pain"] == "yes",
            floor=data["floor"] == "yes",
            minutes=data["minutes"],
        )


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
TIME_ERRORS = {"invalid": _("Enter a time as hours and minutes, for example 08:30.")}


class ReminderForm(forms.Form):
    """The days, and a time for each of the plan's daily sessions, in the person's zone."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "weekdays"}),
        error_messages={
            "required": _("Choose at least one day."),
            "invalid_choice": _("Choose days from the list."),
            "invalid_list": _("Choose days from the list."),
        },
    )
    by_email = forms.BooleanField(label=_("Also remind me by email"), required=False)

    def __init__(self, *args, sessions: int, has_email: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_email = has_email
        for slot in range(1, sessions + 1):
            self.fields[f"time_{slot}"] = forms.TimeField(
                label=_("Time of session %(n)s") % {"n": slot} if sessions > 1 else _("Time"),
                required=slot == 1,
                input_formats=["%H:%M"],
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                error_messages={
                    **TIME_ERRORS,
                    "required": _("Enter the time you want to be reminded."),
                },
            )
        self.order_fields(["weekdays", *self._time_names(), "by_email"])

    def _time_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("time_")]

    def clean(self):
        data = super().clean()
        earlier = None
        for name in self._time_names():
            at = data.get(name)
            if at is None:
                continue
            if earlier is not None and at <= earlier:
                self.add_error(name, _("Make this later than the session before it."))
            earlier = at
        if data.get("by_email") and not self.has_email:
            self.add_error("by_email", _("Add an email address on your profile first."))
        return data

    def times(self) -> list:
        """The times given, in order; an empty later one means fewer sessions to remind."""
        return [self.cleaned_data[n] for n in self._time_names() if self.cleaned_data.get(n)]
