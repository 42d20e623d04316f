"""The warning-signs questions asked before a first session and after very high pain.

Worded in BackCare's own plain language. The first four signs can mean a nerve or spinal
emergency: anyone with one of them is told to get help today, not to wait.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class WarningSign:
    code: str
    question: str
    urgent: bool


WARNING_SIGNS = [
    WarningSign(
        "saddle_numbness",
        _("Numbness or tingling around your groin, genitals, buttocks or inner thighs"),
        urgent=True,
    ),
    WarningSign(
        "bladder_bowel",
        _("New trouble controlling, starting or feeling your bladder or bowel"),
        urgent=True,
    ),
    WarningSign(
        "both_legs",
        _("Weakness, numbness or pins and needles in both legs, or legs giving way"),
        urgent=True,
    ),
    WarningSign(
        "injury",
        _("Back pain that started after a serious accident, a fall or a hard blow"),
        urgent=True,
    ),
    WarningSign("fever", _("A fever, or feeling hot and unwell, along with the back pain"), False),
    WarningSign("weight_loss", _("Weight loss you cannot explain"), False),
    WarningSign("cancer", _("Cancer now or in the past"), False),
    WarningSign(
        "night_pain",
        _("Pain that never lets up and is worse at night or when lying still"),
        False,
    ),
]
SIGNS_BY_CODE = {sign.code: sign for sign in WARNING_SIGNS}


def has_urgent(codes: list[str]) -> bool:
    return any(SIGNS_BY_CODE[code].urgent for code in codes if code in SIGNS_BY_CODE)


@dataclass(frozen=True)
class CheckFirst:
    """Something that does not stop a session but is worth a word with a clinician first."""

    code: str
    question: str


CHECK_FIRST = [
    CheckFirst("osteoporosis", _("Osteoporosis (thinning bones), or steroid tablets for months")),
    CheckFirst(
        "first_episode_age", _("This is your first back pain and you are over 50 or under 20")
    ),
    CheckFirst("immune", _("A weakened immune system (from an illness or its treatment)")),
    CheckFirst("recent_surgery", _("An operation in the last year")),
    CheckFirst("pregnancy", _("You are pregnant or had a baby in the last few months")),
]
CHECK_FIRST_BY_CODE = {item.code: item for item in CHECK_FIRST}
