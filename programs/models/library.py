"""The exercise library: muscle groups, exercises, and programs made of ordered steps."""

import uuid
from dataclasses import replace

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from backcare.prepared import Rows
from programs import timeline
from programs.phases import COOLDOWN, MAIN, WARMUP, StepKind, phase_of_kind, program_order_problem

MAX_HOLD_SECONDS = 30 * 60
MAX_REPS = 100
MAX_SETS = 10
MAX_REST_SECONDS = 10 * 60


SIZE_MESSAGES = {
    "steps": format_lazy(
        _("A program has at most {n} steps; remove one first."), n=timeline.MAX_STEPS
    ),
    "time": _("A session can last at most 3 hours; make a dose smaller or remove a step."),
    "segments": _(
        "That makes too many holds and repetitions for one session; use fewer sets or repetitions."
    ),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MuscleGroup(models.Model):
    class Region(models.TextChoices):
        BACK = "back", _("Back")
        CORE = "core", _("Core")
        HIPS = "hips", _("Hips and buttocks")
        LEGS = "legs", _("Legs")
        UPPER_BODY = "upper-body", _("Shoulders, chest and arms")
        NECK = "neck", _("Neck")

    slug = models.SlugField(_("slug"), unique=True)
    # The words a person uses ("Buttocks"), shown first; the anatomical name beside it.
    plain_name = models.CharField(_("plain name"), max_length=60, blank=True)
    name = models.CharField(_("anatomical name"), max_length=80)
    region = models.CharField(_("region"), max_length=16, choices=Region)
    summary = models.TextField(_("summary"), blank=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("muscle group")
        verbose_name_plural = _("muscle groups")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("programs:muscle-group", args=[self.slug])

    @property
    def label(self) -> str:
        """The plain name, or the anatomical one where there is no plain name."""
        return self.plain_name or self.name

    @property
    def full_label(self) -> str:
        """ "Buttocks (gluteus maximus)", for lists of choices."""
        if not self.plain_name:
            return self.name
        return f"{self.plain_name} ({self.name[:1].lower()}{self.name[1:]})"


class DoseFields(models.Model):
    """The fields of a dose, shared by an exercise, a program step and a session step.

    A program step redefines the four overridable fields as optional: empty means "as the
    exercise says".
    """

    OVERRIDABLE = ("hold_seconds", "reps", "sets", "rest_seconds")
    FIELDS = (*OVERRIDABLE, "per_side", "seconds_per_rep")

    hold_seconds = models.PositiveIntegerField(
        _("hold (seconds)"),
        default=0,
        validators=[MaxValueValidator(MAX_HOLD_SECONDS)],
        help_text=_("0 for repetitions without a hold."),
    )
    reps = models.PositiveSmallIntegerField(
        _("repetitions"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_REPS)]
    )
    sets = models.PositiveSmallIntegerField(
        _("sets"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)]
    )
    rest_seconds = models.PositiveIntegerField(
        _("rest between sets (seconds)"),
        default=0,
        validators=[MaxValueValidator(MAX_REST_SECONDS)],
    )
    per_side = models.BooleanField(_("each side"), default=False)
    seconds_per_rep = models.PositiveSmallIntegerField(
        _("seconds per repetition"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("For repetitions without a hold: roughly how long one takes."),
    )

    class Meta:
        abstract = True

    @property
    def dose(self) -> timeline.Dose:
        return timeline.Dose(**{name: getattr(self, name) for name in self.FIELDS})

    def set_dose(self, dose: timeline.Dose) -> None:
        for name in self.FIELDS:
            setattr(self, name, getattr(dose, name))


class ExerciseQuerySet(models.QuerySet):
    def with_muscles(self) -> "ExerciseQuerySet":
        return self.prefetch_related("primary_muscles", "secondary_muscles")

    def library(self) -> "ExerciseQuerySet":
        """The shared library: everything but people's own exercises."""
        return self.filter(owner__isnull=True)

    def visible_to(self, user) -> "ExerciseQuerySet":
        """The library, plus the person's own exercises when signed in."""
        if user.is_authenticated:
            return self.filter(Q(owner__isnull=True) | Q(owner=user))
        return self.library()


class Exercise(DoseFields):
    class Kind(models.TextChoices):
        WARMUP = "warmup", _("Warm-up")
        STRETCH = "stretch", _("Stretch")
        STRENGTH = "strength", _("Strength")
        MOBILITY = "mobility", _("Mobility")
        COOLDOWN = "cooldown", _("Cool-down")

    class Position(models.TextChoices):
        STANDING = "standing", _("Standing")
        SEATED = "seated", _("Seated")
        LYING_BACK = "lying-back", _("Lying on your back")
        LYING_FRONT = "lying-front", _("Lying on your front")
        HANDS_KNEES = "hands-knees", _("On hands and knees")
        SIDE_LYING = "side-lying", _("Lying on your side")

    FLOOR = (
        Position.LYING_BACK,
        Position.LYING_FRONT,
        Position.HANDS_KNEES,
        Position.SIDE_LYING,
    )

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    position = models.CharField(_("position"), max_length=16, choices=Position)
    tv_friendly = models.BooleanField(
        _("seated, TV-friendly"),
        default=False,
        help_text=_("Can be done sitting in a chair, for example in front of the TV."),
    )
    summary = models.TextField(_("summary"), blank=True)
    instructions = models.TextField(_("instructions"), help_text=_("One step per line, in order."))
    cautions = models.TextField(_("cautions"), blank=True, help_text=_("One caution per line."))
    primary_muscles = models.ManyToManyField(
        MuscleGroup, related_name="primary_exercises", verbose_name=_("primary muscle groups")
    )
    secondary_muscles = models.ManyToManyField(
        MuscleGroup,
        related_name="secondary_exercises",
        blank=True,
        verbose_name=_("secondary muscle groups"),
    )
    # A person's own exercise, for their own programs only; empty for the library.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_exercises",
        verbose_name=_("owner"),
        help_text=_("Empty for the library that everyone sees."),
    )
    # The library exercise whose drawn figure this one borrows (a person's own exercise);
    # empty: its own, by slug.
    figure = models.SlugField(_("figure"), blank=True)
    # The most a program grows this exercise to; empty: never past its own dose.
    max_hold_seconds = models.PositiveIntegerField(
        _("longest hold (seconds)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_HOLD_SECONDS)],
        help_text=_("The most a program grows the hold to. Empty: never past its own dose."),
    )
    max_reps = models.PositiveSmallIntegerField(
        _("most repetitions"), null=True, blank=True, validators=[MaxValueValidator(MAX_REPS)]
    )
    max_sets = models.PositiveSmallIntegerField(
        _("most sets"), null=True, blank=True, validators=[MaxValueValidator(MAX_SETS)]
    )
    easier_variant = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("easier variant"),
    )
    harder_variant = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("harder variant"),
    )

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.CheckConstraint(condition=Q(reps__gte=1), name="exercise_reps_at_least_one"),
            models.CheckConstraint(condition=Q(sets__gte=1), name="exercise_sets_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.owner_id is not None:
            return reverse("programs:own-exercise", args=[self.pk])
        return reverse("programs:exercise", args=[self.slug])

    @property
    def instruction_list(self) -> list[str]:
        return _lines(self.instructions)

    @property
    def caution_list(self) -> list[str]:
        return _lines(self.cautions)

    @property
    def phase(self) -> str:
        """The part of a program it belongs in, by what it is: warm-ups first, cool-downs
        last, everything else in the main work."""
        return phase_of_kind(self.kind)

    def step_kind(self) -> StepKind:
        return StepKind(self.name, self.kind, str(self.Kind(self.kind).label))

    def muscle_groups(self) -> list[MuscleGroup]:
        """The groups it works, primary then secondary; uses prefetched rows when present."""
        groups = {group.pk: group for group in self.primary_muscles.all()}
        for group in self.secondary_muscles.all():
            groups.setdefault(group.pk, group)
        return list(groups.values())

    @property
    def figure_key(self) -> str:
        return self.figure or self.slug

    @property
    def figure_label(self) -> str:
        """The figure's text alternative: the exercise's name and first instruction."""
        steps = self.instruction_list
        return f"{self.name}: {steps[0]}" if steps else self.name

    @property
    def ceiling(self) -> timeline.Dose:
        """The most a program may grow it to; its own dose where no ceiling is set."""
        return replace(
            self.dose,
            hold_seconds=max(self.max_hold_seconds or 0, self.hold_seconds),
            reps=max(self.max_reps or 0, self.reps),
            sets=max(self.max_sets or 0, self.sets),
        )

    @property
    def duration_seconds(self) -> int:
        return timeline.dose_seconds(self.dose)


class ProgramQuerySet(models.QuerySet):
    def curated(self) -> "ProgramQuerySet":
        return self.filter(owner__isnull=True)

    def gentle_start(self) -> "Program | None":
        """The curated program for the first days after a flare-up or a stop for pain."""
        return self.curated().filter(slug=Program.GENTLE_START).first()

    def gentler_choices(self) -> "ProgramQuerySet":
        """The curated programs offered when a back hurts a lot before a session."""
        return self.curated().filter(slug__in=Program.GENTLER_CHOICES)

    def with_steps(self) -> "ProgramQuerySet":
        """Steps with their exercises and the muscles those work, in three more queries."""
        steps = ProgramStep.objects.select_related("exercise").prefetch_related(
            "exercise__primary_muscles", "exercise__secondary_muscles"
        )
        return self.prefetch_related(models.Prefetch("steps", queryset=steps))

    def visible_to(self, user) -> "ProgramQuerySet":
        """Curated programs, plus the user's own when signed in."""
        if user.is_authenticated:
            return self.filter(Q(owner__isnull=True) | Q(owner=user))
        return self.curated()


class Program(models.Model):
    """An ordered list of exercises: curated (no owner) or a user's own."""

    GENTLE_START = "gentle-start"
    GENTLER_CHOICES = (GENTLE_START, "seated-tv")

    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=100)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    weeks = models.PositiveSmallIntegerField(
        _("recommended weeks"), default=4, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    sessions_per_day = models.PositiveSmallIntegerField(
        _("sessions per day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="programs",
        verbose_name=_("owner"),
        help_text=_("Empty for curated programs that everyone sees."),
    )
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(owner__isnull=True),
                name="unique_curated_program_slug",
            ),
            models.UniqueConstraint(fields=["owner", "slug"], name="unique_own_program_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.owner_id is None:
            return reverse("programs:program", args=[self.slug])
        return reverse("programs:builder", args=[self.pk])

    @property
    def is_curated(self) -> bool:
        return self.owner_id is None

    def total_seconds(self) -> int:
        """Total time from the steps' doses; uses prefetched steps when present."""
        return timeline.program_seconds([step.dose for step in self.steps.all()])

    def size_problem(self, doses: "list[timeline.Dose] | None" = None) -> str | None:
        """What makes the program too big to run, in words, or None. `doses` stands for the
        steps' doses as they would be after a change."""
        if doses is None:
            doses = [step.dose for step in self.steps.all()]
        return SIZE_MESSAGES.get(timeline.size_problem(doses))

    def needs_floor(self) -> bool:
        """Whether any step is done lying down or on hands and knees."""
        return any(step.exercise.position in Exercise.FLOOR for step in self.steps.all())

    def order_problem(self) -> str | None:
        """What breaks the warm-up-first, cool-down-last rule, by the exercises' kinds."""
        return program_order_problem([step.exercise.step_kind() for step in self.steps.all()])

    def muscle_groups(self) -> list[MuscleGroup]:
        """Every group the program works, primary or secondary, in library order."""
        groups = {
            group.pk: group for step in self.steps.all() for group in step.exercise.muscle_groups()
        }
        return sorted(groups.values(), key=lambda g: (g.position, g.name))


class ProgramStep(DoseFields):
    class Phase(models.TextChoices):
        WARMUP = WARMUP, _("Warm-up")
        MAIN = MAIN, _("Main")
        COOLDOWN = COOLDOWN, _("Cool-down")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="steps", verbose_name=_("program")
    )
    exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="program_steps", verbose_name=_("exercise")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase, default=Phase.MAIN)
    # Empty means "as the exercise says"; a number overrides the exercise's own dose.
    hold_seconds = models.PositiveIntegerField(
        _("hold (seconds)"), null=True, blank=True, validators=[MaxValueValidator(MAX_HOLD_SECONDS)]
    )
    reps = models.PositiveSmallIntegerField(
        _("repetitions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REPS)],
    )
    sets = models.PositiveSmallIntegerField(
        _("sets"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)],
    )
    rest_seconds = models.PositiveIntegerField(
        _("rest between sets (seconds)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_REST_SECONDS)],
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("program step")
        verbose_name_plural = _("program steps")

    def __str__(self) -> str:
        return f"{self.order}. {self.exercise}"

    def save(self, *args, **kwargs) -> None:
        # The phase follows from what the exercise is, never from a choice that could
        # make a plank the warm-up.
        self.phase = self.exercise.phase
        super().save(*args, **kwargs)

    # A step has no side or tempo of its own: those are the exercise's.
    per_side = None
    seconds_per_rep = None

    @property
    def dose(self) -> timeline.Dose:
        """The exercise's dose with this step's overrides."""
        overrides = {
            name: getattr(self, name)
            for name in self.OVERRIDABLE
            if getattr(self, name) is not None
        }
        return replace(self.exercise.dose, **overrides)

    @property
    def overrides(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in self.OVERRIDABLE}


class LibraryVersion(models.Model):
    """One row whose token changes whenever the shared library does.

    Cached library and program pages are keyed by it, so an edit shows at once on every app
    server. It lives in the database, not in the cache, because each process of the default
    local-memory cache has its own copy, and a token in one would not reach the others."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls) -> str:
        # Read on every cached page: compiled once (backcare/prepared.py), as building the
        # ORM's query cost ten times more than running it.
        row = _TOKEN.first()
        return row[0] if row else cls.bump()

    @classmethod
    def bump(cls) -> str:
        token = uuid.uuid4().hex
        cls.objects.update_or_create(pk=1, defaults={"token": token})
        return token


_TOKEN = Rows(lambda: LibraryVersion.objects.filter(pk=1).values_list("token"))
