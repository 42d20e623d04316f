"""Starting, running and finishing a session, and the warning-signs questions.

Each function is one transaction. Where a session stands is asked of `session_flow`
through `Session.standing()` and `Session.facts()`, never worked out here again.
"""

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backcare.models import User
from backcare.prepared import Insert, Read, Rows
from programs import timeline
from programs.models import (
    PainReport,
    Program,
    ProgramStep,
    SafetyScreening,
    Session,
    SessionStep,
    StepCompletion,
)
from programs.pace import (
    BeforeSession,
    PainOutcome,
    before_session,
    cap_dose,
    gentler_dose,
    needs_screening,
    pain_outcome,
    recommended,
)
from programs.services import goals, outcomes, rollups, suggestions
from programs.session_flow import Refusal, refusal_to_record, refusal_to_report_pain

# A step may be recorded with up to this many times its planned seconds, plus a margin:
# people go slower than the clock, but not ten times slower.
MAX_SECONDS_FACTOR = 3
# Keys are unique to a session: one already used elsewhere is refused with these words only.
KEY_USED = gettext_lazy("That key was already used; reload the page to get a new one.")
MAX_SECONDS_MARGIN = 120
KEY_OR_STEP = Read(StepCompletion, "key", "step_id", either=True)
NEW_COMPLETION = Insert(StepCompletion)
PROGRESS = Rows(
    lambda session_id: (
        SessionStep.objects.filter(session_id=session_id)
        .values("session_id")
        .annotate(done=Count("completion"), total=Count("pk"))
        .values_list("done", "total")
    ),
    "session_id",
)


class SessionError(Exception):
    """A request the session cannot take; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    @classmethod
    def of(cls, refusal: Refusal) -> "SessionError":
        return cls(str(refusal.message), refusal.status)


class UnfinishedSessionExists(SessionError):
    def __init__(self, session: Session) -> None:
        super().__init__(_("You have a session that is not finished yet."), status=409)
        self.session = session


def start_session(user: User, program: Program, replace_unfinished: bool = False) -> Session:
    """Copy the program's steps, with their doses, into a new session."""
    # Read before the transaction: on SQLite it holds the one write lock, so it only writes.
    planned = _planned_steps(program)
    gentler = outcomes.next_session_gentler(user)
    with transaction.atomic():
        if replace_unfinished:
            unfinished = Session.objects.unfinished().filter(user=user).select_for_update()
            if (found := unfinished.first()) is not None:
                _end(found, Session.Status.ABANDONED)
        # Otherwise an unfinished session is found by the insert itself: the constraint of
        # one unfinished session per person refuses it, and that one is offered instead.
        try:
            with transaction.atomic():
                session = Session.objects.create(
                    user=user,
                    program=program,
                    program_name=program.name,
                    local_day=user.today(),
                )
        except IntegrityError:
            # One not finished yet, or another tab's started at the same moment: offer it.
            raise UnfinishedSessionExists(Session.objects.unfinished().get(user=user)) from None
        _copy_steps(session, planned)
        if gentler:
            _make_rest_gentler(session, Session.GentlerBecause.WORSE_MORNING)
    return session


def _planned_steps(program: Program) -> list[ProgramStep]:
    """The program's steps with their exercises' groups: as read already, or read now."""
    if "steps" in getattr(program, "_prefetched_objects_cache", {}):
        return list(program.steps.all())  # Program.objects.with_steps() read them
    program_steps = ProgramStep.objects.filter(program=program).select_related("exercise")
    return list(
        program_steps.prefetch_related("exercise__primary_muscles", "exercise__secondary_muscles")
    )


def _copy_steps(session: Session, program_steps: list[ProgramStep]) -> None:
    """The program's steps as they are now: editing the program later never rewrites them."""
    steps = []
    for position, step in enumerate(program_steps, start=1):
        session_step = SessionStep(
            session=session, position=position, phase=step.exercise.phase, exercise=step.exercise
        )
        session_step.set_dose(step.dose)
        steps.append(session_step)
    SessionStep.objects.bulk_create(steps)
    for step in steps:  # none is done yet: where the session stands needs no query
        SessionStep.completion.related.set_cached_value(step, None)
    session.copied_steps = steps  # for where it stands, without reading them back
    snapshot_muscle_groups(steps, new=True)


def snapshot_muscle_groups(steps: list[SessionStep], new: bool = False) -> None:
    """Record which groups each step works, as the library says now, in one insert
    (after removing what was recorded before, unless the steps are `new`)."""
    through = SessionStep.muscle_groups.through
    if not new:
        through.objects.filter(sessionstep__in=steps).delete()
    rows = [
        through(sessionstep_id=step.pk, musclegroup_id=group.pk)
        for step in steps
        for group in sorted(step.exercise.muscle_groups(), key=lambda group: group.pk)
    ]
    through.objects.bulk_create(rows)


def _locked(session: Session) -> Session:
    """The session re-read inside the transaction, locked against other writers.

    Status checks use this copy, never one loaded before the transaction began.
    """
    fresh = Session.objects.select_for_update().get(pk=session.pk)
    session.status, session.pace = fresh.status, fresh.pace
    session.pain_before, session.pain_after = fresh.pain_before, fresh.pain_after
    session.finished_at, session.choice_due = fresh.finished_at, fresh.choice_due
    return session


def abandon_session(session: Session) -> None:
    with transaction.atomic():
        if _locked(session).is_unfinished:
            _end(session, Session.Status.ABANDONED)
            goals.mark_met_goals(session.user, session.user.today(), session)


def _end(session: Session, status: str) -> None:
    session.status = status
    session.finished_at = timezone.now()
    session.save(update_fields=["status", "finished_at"])


def _ask_screening(user: User) -> None:
    User.objects.filter(pk=user.pk).update(screening_due=True)
    user.screening_due = True


def record_pain_before(session: Session, level: int) -> BeforeSession | None:
    """Record pain before the first step and apply the rule for it: 4-7 make the session
    gentler; 8 or more also ask the warning-signs questions, then how gently to go on.
    Pain before never stops a session by itself.

    None when pain before was already recorded: a second submit of the form changes nothing.
    """
    with transaction.atomic():
        _locked(session)
        if session.pain_before is not None or not session.is_unfinished:
            return None
        session.pain_before = level
        rule = before_session(level)
        session.choice_due = rule == BeforeSession.SCREENING_FIRST
        session.save(update_fields=["pain_before", "choice_due"])
        if rule != BeforeSession.AS_PLANNED:
            _make_rest_gentler(session, Session.GentlerBecause.PAIN_BEFORE)
        if needs_screening(level):
            _ask_screening(session.user)
    return rule


@dataclass
class CompletionResult:
    completion: StepCompletion
    created: bool
    done: int  # steps of the session recorded so far
    total: int


def complete_step(
    session: Session, step: SessionStep, key: uuid.UUID, seconds_done: int, skipped: bool
) -> CompletionResult:
    """Record that a step was done (or skipped), once and only once.

    The same key again gets the first answer; another key for a step already recorded
    (a second tab, a double click with a fresh form) gets the record that won.
    """
    if step.session_id != session.pk:
        raise SessionError(_("That step is not part of this session."), status=404)
    # One read answers both questions: was this key used, and is this step recorded?
    found = KEY_OR_STEP.all(key, step.pk)
    existing = next((c for c in found if c.key == key), None)
    recorded = next((c for c in found if c.step_id == step.pk), None)
    SessionStep.completion.related.set_cached_value(step, recorded)
    if existing is None:
        refusal = refusal_to_record(session.facts(), step.facts())
        if refusal is not None:
            raise SessionError.of(refusal)
        seconds_done = _checked_seconds(step, 0 if skipped else seconds_done)
        completion, created = _record_once(session, step, key, seconds_done, skipped)
    elif existing.step_id != step.pk:
        # Another step of this session or of any other: the same words either way.
        raise SessionError(str(KEY_USED), status=409)
    else:
        completion, created = existing, False
    done, total = _progress(session)
    return CompletionResult(completion, created, done, total)


def _progress(session: Session) -> tuple[int, int]:
    """Steps recorded and steps in all, as this answers every step."""
    return PROGRESS.first(session_id=session.pk) or (0, 0)


def _checked_seconds(step: SessionStep, seconds_done: int) -> int:
    limit = step.planned_seconds * MAX_SECONDS_FACTOR + MAX_SECONDS_MARGIN
    if not 0 <= seconds_done <= limit:
        raise SessionError(
            _("Seconds done must be between 0 and %(limit)d for this step.") % {"limit": limit}
        )
    return seconds_done


def _record_once(
    session: Session, step: SessionStep, key: uuid.UUID, seconds_done: int, skipped: bool
) -> tuple[StepCompletion, bool]:
    hold = (
        0
        if skipped
        else timeline.hold_reached(step.hold_seconds, step.planned_seconds, seconds_done)
    )
    try:
        with transaction.atomic():
            completion = NEW_COMPLETION.save(
                StepCompletion(
                    step=step,
                    key=key,
                    seconds_done=seconds_done,
                    hold_seconds_done=hold,
                    skipped=skipped,
                )
            )
            rollups.add_completion(session, step, completion)
    except IntegrityError:
        # Someone else recorded this step (or this key) first; theirs stands.
        completion = StepCompletion.objects.filter(step=step).first()
        if completion is None:
            completion = StepCompletion.objects.get(key=key)
            if completion.step_id != step.pk:
                raise SessionError(str(KEY_USED), status=409) from None
        return completion, False
    return completion, True


def report_pain(
    session: Session,
    step: SessionStep | None,
    level: int,
    wants_to_stop: bool = False,
    key: uuid.UUID | None = None,
    choice: PainOutcome | None = None,
) -> PainOutcome:
    """Record "It hurts" on its step and apply the person's choice (or the rule's) to the
    rest of the session. A report sent twice with the same key counts once.
    """
    if key is not None:
        earlier = PainReport.objects.filter(key=key).first()
        if earlier is not None:
            return _earlier_outcome(session, earlier)
    choice = PainOutcome.STOP if wants_to_stop else choice
    with transaction.atomic():
        _locked(session)
        refusal = refusal_to_report_pain(session.facts())
        if refusal is not None:
            raise SessionError.of(refusal)
        try:
            outcome = pain_outcome(level, session.pain_before, choice)
        except ValueError:
            raise SessionError(_("Choose to take it more slowly or to stop.")) from None
        advice = recommended(level, session.pain_before)
        try:
            with transaction.atomic():
                PainReport.objects.create(
                    session=session,
                    step=step,
                    level=level,
                    outcome=outcome,
                    recommended=advice,
                    **_key(key),
                )
        except IntegrityError:
            return _earlier_outcome(session, PainReport.objects.get(key=key))
        _apply_outcome(session, level, outcome)
    return outcome


def _earlier_outcome(session: Session, earlier: PainReport) -> PainOutcome:
    """A report sent again gets its first answer; a key that another session used is
    refused without a word about that session."""
    if earlier.session_id != session.pk:
        raise SessionError(str(KEY_USED), status=409)
    return PainOutcome(earlier.outcome)


def _apply_outcome(session: Session, level: int, outcome: PainOutcome) -> None:
    if needs_screening(level):
        _ask_screening(session.user)
    if outcome == PainOutcome.SLOWER and session.is_unfinished:
        _make_rest_gentler(session, Session.GentlerBecause.PAIN_REPORT)
    elif outcome == PainOutcome.STOP and session.is_unfinished:
        _stop_for_pain(session)


def _key(key: uuid.UUID | None) -> dict:
    return {"key": key} if key else {}


def _open_steps(session: Session):
    return (
        session.steps.filter(completion__isnull=True)
        .select_related("exercise__easier_variant")
        .prefetch_related(
            "exercise__easier_variant__primary_muscles",
            "exercise__easier_variant__secondary_muscles",
        )
    )


def _make_rest_gentler(session: Session, because: str) -> None:
    """Every step not yet done and not yet eased: the easier variant where there is one,
    never longer than the eased planned dose; otherwise a smaller dose. Once per step,
    so a second report does not shrink it again."""
    session.pace = Session.Pace.GENTLER
    session.gentler_because = session.gentler_because or because
    session.save(update_fields=["pace", "gentler_because"])
    changed = []
    for step in _open_steps(session).filter(made_gentler=False):
        eased = gentler_dose(step.dose)
        easier = step.exercise.easier_variant
        if easier is not None:
            step.planned_exercise = step.exercise
            step.exercise = easier
            step.set_dose(cap_dose(easier.dose, eased))
        else:
            step.set_dose(eased)
        step.made_gentler = True
        changed.append(step)
    fields = ["exercise", "planned_exercise", "made_gentler", *SessionStep.FIELDS]
    SessionStep.objects.bulk_update(changed, fields)
    snapshot_muscle_groups([step for step in changed if step.planned_exercise_id])


def _stop_for_pain(session: Session) -> None:
    """The main work ends; what is left of it is recorded as skipped. The cool-down stays open."""
    _end(session, Session.Status.STOPPED_FOR_PAIN)
    skipped = [
        StepCompletion(step=step, seconds_done=0, skipped=True, not_reached=True)
        for step in _open_steps(session).exclude(phase=ProgramStep.Phase.COOLDOWN)
    ]
    # A completion that lands at the same moment wins; the rest are marked skipped.
    StepCompletion.objects.bulk_create(skipped, ignore_conflicts=True)


def finish_session(session: Session, pain_after: int) -> bool:
    """Record pain after, mark the goals it met, suggest what comes next; True when the
    warning-signs questions are due."""
    with transaction.atomic():
        _locked(session)
        if session.pain_after is not None:
            return False
        session.pain_after = pain_after
        fields = ["pain_after"]
        if session.is_unfinished:
            session.status = Session.Status.COMPLETED
            session.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        session.save(update_fields=fields)
        suggestions.suggest_after(session)
        goals.mark_met_goals(session.user, session.user.today(), session)
        if needs_screening(pain_after):
            _ask_screening(session.user)
            return True
    return False


def record_screening(
    user: User,
    warning_signs: list[str],
    acknowledge_notice: bool,
    check_first: list[str] | None = None,
) -> None:
    with transaction.atomic():
        SafetyScreening.objects.create(
            user=user, warning_signs=warning_signs, check_first=check_first or []
        )
        fields = []
        if acknowledge_notice and user.notice_acknowledged_at is None:
            user.notice_acknowledged_at = timezone.now()
            fields.append("notice_acknowledged_at")
        if not warning_signs:
            user.screening_due = False
            fields.append("screening_due")
        if fields:
            user.save(update_fields=fields)


def go_on_gently(session: Session) -> None:
    """After very high pain before: this session, made gentler, is the person's choice."""
    with transaction.atomic():
        if _locked(session).is_unfinished and session.choice_due:
            session.choice_due = False
            session.save(update_fields=["choice_due"])


def switch_program(session: Session, program: Program) -> Session:
    """Leave this session (its steps stay in history) for a gentler program, started at
    once with the same pain before and made gentler when that pain calls for it."""
    with transaction.atomic():
        _locked(session)
        if not session.is_unfinished:
            raise SessionError(_("This session has ended; start the program from its page."), 409)
        pain = session.pain_before
        _end(session, Session.Status.ABANDONED)
        new = start_session(session.user, program)
        if pain is not None:
            new.pain_before = pain
            new.save(update_fields=["pain_before"])
            if before_session(pain) != BeforeSession.AS_PLANNED:
                _make_rest_gentler(new, Session.GentlerBecause.PAIN_BEFORE)
    return new
