"""Exercise figures: a simple body, posed by joint angles, drawn as SVG.

The pose data lives in `data/figures.toml`, one figure per exercise slug. A figure names a
camera (`view`), the props it needs, what bears the weight (`supports`) and its key poses; each
pose is a base posture plus joint angles. This module reads and checks that file, computes every
point of the body from the angles (forward kinematics, from the pelvis outward), places the body
on its props, and renders four kinds of markup:

- `still`: the start pose, small, for lists;
- `moving`: the key poses in a loop (SMIL), for the exercise page;
- `strip`: the key poses side by side with their names, for print and reduced motion;
- `player`: the start pose with animations that a script starts (`beginElement()`) to move
  between key poses in step with the session timeline.

Coordinates are centimetres in a room: x ahead of an upright body, y up (the floor is y = 0), z
toward the viewer of the side view. The body's own axes are x forward, y toward the head and z
toward its near side; the near side is the side the exercise works (the side that moves). A
per-side figure is drawn for the left side by mirroring, which also puts the left limbs nearest.

Angle conventions, in degrees, 0 being the anatomical standing position with the arms hanging:
flexion is positive (hip and shoulder forward, knee and elbow bending, ankle toes up, wrist
fingers forward); `_abd` moves a limb out to its own side; `_rot` turns a limb outward (external
rotation) or the trunk toward its near side; `_side` bends the trunk or neck toward the near
side; `shrug` lifts the shoulder girdle and `retract` draws it back. Pelvis angles tip the whole
body against its base posture (positive `pelvis` leans it forward).
"""

import functools
import itertools
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FIGURES_FILE = Path(__file__).resolve().parent / "data" / "figures.toml"

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]

# ---------------------------------------------------------------------------
# Ranges of motion
# ---------------------------------------------------------------------------
# Healthy adult ranges in degrees (after the AAOS and Norkin & White tables), a little wider
# where a stretch takes a joint passively beyond its active range: hip flexion in child's pose,
# ankle plus midfoot pointing when kneeling. Each spine joint stands for a region (lumbar,
# thoracic, cervical), so its range is that region's share of the whole spine's. The pelvis
# angles are not a joint but a tilt of the whole body against its base posture.
SIDED_RANGES: dict[str, tuple[float, float]] = {
    "hip": (-30, 140),
    "hip_abd": (-25, 60),
    "hip_rot": (-40, 60),
    "knee": (0, 155),
    "ankle": (-70, 30),
    "shoulder": (-60, 180),
    "shoulder_abd": (-20, 180),
    "shoulder_rot": (-80, 90),
    "elbow": (0, 150),
    "wrist": (-80, 90),
    "shrug": (-10, 40),
    "retract": (-25, 30),
}
SINGLE_RANGES: dict[str, tuple[float, float]] = {
    "pelvis": (-95, 95),
    "pelvis_side": (-60, 60),
    "pelvis_rot": (-60, 60),
    "lumbar": (-25, 50),
    "lumbar_side": (-25, 25),
    "lumbar_rot": (-10, 10),
    "thoracic": (-20, 45),
    "thoracic_side": (-25, 25),
    "thoracic_rot": (-45, 45),
    "neck": (-55, 60),
    "neck_side": (-40, 40),
    "neck_rot": (-70, 70),
    "nod": (-25, 25),  # the head on the top of the neck, as in a chin tuck
}
SIDES = ("near", "far")
RANGES: dict[str, tuple[float, float]] = {
    **{f"{side}_{joint}": span for side in SIDES for joint, span in SIDED_RANGES.items()},
    **SINGLE_RANGES,
}
JOINTS = tuple(RANGES)

# ---------------------------------------------------------------------------
# The body: segment lengths and thickness in centimetres
# ---------------------------------------------------------------------------
# An adult of about 172 cm, after Drillis and Contini's fractions of height: hip joints 90 cm up,
# knees 48, ankles 7, shoulder joints 138, the top of the head 171.
PELVIS, LUMBAR, THORACIC, NECK = 10.0, 17.0, 24.0, 10.0
THIGH, SHIN, UPPER_ARM, FOREARM, HAND = 42.0, 41.0, 30.0, 25.0, 12.0
HIP_HALF_WIDTH, CLAVICLE = 9.0, 17.0
HEAD_RADIUS = 10.5
# Stroke widths, so twice the radius of each segment's capsule.
WIDTHS = {
    "arm": 8,
    "thigh": 15,
    "shin": 11,
    "foot": 6,
    "belly": 20,
    "chest": 22,
    "hips": 15,
    "girdle": 10,
    "neck": 9,
    "head": 21,
    "nose": 5,
}
# The trunk is broader than it is deep: seen from the front it is drawn broader.
BREADTHS = {"belly": 27, "chest": 30}


def _rx(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rz(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Mat, b: Mat) -> Mat:
    # Written out: this runs thousands of times per figure, and the loops cost tenfold.
    (a0, a1, a2), (a3, a4, a5), (a6, a7, a8) = a
    (b0, b1, b2), (b3, b4, b5), (b6, b7, b8) = b
    return (
        (a0 * b0 + a1 * b3 + a2 * b6, a0 * b1 + a1 * b4 + a2 * b7, a0 * b2 + a1 * b5 + a2 * b8),
        (a3 * b0 + a4 * b3 + a5 * b6, a3 * b1 + a4 * b4 + a5 * b7, a3 * b2 + a4 * b5 + a5 * b8),
        (a6 * b0 + a7 * b3 + a8 * b6, a6 * b1 + a7 * b4 + a8 * b7, a6 * b2 + a7 * b5 + a8 * b8),
    )


def _apply(m: Mat, v: Vec) -> Vec:
    (m0, m1, m2), (m3, m4, m5), (m6, m7, m8) = m
    x, y, z = v
    return (m0 * x + m1 * y + m2 * z, m3 * x + m4 * y + m5 * z, m6 * x + m7 * y + m8 * z)


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
# Base orientations of the pelvis in the room, as columns (body x, y, z in room axes).
ORIENTATIONS: dict[str, Mat] = {
    "upright": IDENTITY,
    "supine": _rz(90),  # face up, head toward -x
    "prone": _rz(-90),  # face down, head toward +x
    "side": ((0.0, -1.0, 0.0), (0.0, 0.0, -1.0), (1.0, 0.0, 0.0)),  # near side down, head -x
}


def _spine(joint: str):
    def rotation(a: Mapping[str, float]) -> Mat:
        flex = _rz(-a[joint])
        return _mul(_mul(flex, _rx(a[f"{joint}_side"])), _ry(-a[f"{joint}_rot"]))

    return rotation


def _hip(side: str, s: int):
    def rotation(a: Mapping[str, float]) -> Mat:
        abd = _rx(-s * a[f"{side}_hip_abd"])
        return _mul(_mul(_rz(a[f"{side}_hip"]), abd), _ry(-s * a[f"{side}_hip_rot"]))

    return rotation


def _shoulder(side: str, s: int):
    # Abduction first, so that with the arm out to the side, flexion swings it forward or back
    # level with the shoulder (the movement of a chest stretch or a hug).
    def rotation(a: Mapping[str, float]) -> Mat:
        abd = _rx(-s * a[f"{side}_shoulder_abd"])
        return _mul(_mul(abd, _rz(a[f"{side}_shoulder"])), _ry(-s * a[f"{side}_shoulder_rot"]))

    return rotation


def _clavicle(side: str, s: int):
    def rotation(a: Mapping[str, float]) -> Mat:
        return _mul(_ry(-s * a[f"{side}_retract"]), _rx(-s * a[f"{side}_shrug"]))

    return rotation


def _hinge(joint: str, sign: int):
    return lambda a: _rz(sign * a[joint])


def _joint_table() -> list[tuple[str, str, Vec, str, object]]:
    """(segment, parent for position, offset in that parent, parent for rotation, rotation)."""
    table = [
        ("lumbar", "pelvis", (0.0, PELVIS, 0.0), "pelvis", _spine("lumbar")),
        ("thoracic", "lumbar", (0.0, LUMBAR, 0.0), "lumbar", _spine("thoracic")),
        ("neck", "thoracic", (0.0, THORACIC, 0.0), "thoracic", _spine("neck")),
        ("head", "neck", (0.0, NECK, 0.0), "neck", _hinge("nod", -1)),
    ]
    for side, s in (("near", 1), ("far", -1)):
        thigh, shin, foot = f"{side}_thigh", f"{side}_shin", f"{side}_foot"
        clavicle, arm, forearm = f"{side}_clavicle", f"{side}_arm", f"{side}_forearm"
        table += [
            (thigh, "pelvis", (0.0, 0.0, s * HIP_HALF_WIDTH), "pelvis", _hip(side, s)),
            (shin, thigh, (0.0, -THIGH, 0.0), thigh, _hinge(f"{side}_knee", -1)),
            (foot, shin, (0.0, -SHIN, 0.0), shin, _hinge(f"{side}_ankle", 1)),
            (clavicle, "thoracic", (0.0, 21.0, 0.0), "thoracic", _clavicle(side, s)),
            # The arm hangs from the clavicle's end but turns against the chest, so that a
            # shrug lifts the arm without tilting it.
            (arm, clavicle, (0.0, 0.0, s * CLAVICLE), "thoracic", _shoulder(side, s)),
            (forearm, arm, (0.0, -UPPER_ARM, 0.0), arm, _hinge(f"{side}_elbow", 1)),
            (f"{side}_hand", forearm, (0.0, -FOREARM, 0.0), forearm, _hinge(f"{side}_wrist", 1)),
        ]
    return table


JOINT_TABLE = _joint_table()

# Named points of each segment, in that segment's own frame.
SEGMENT_POINTS: dict[str, dict[str, Vec]] = {
    "pelvis": {"root": (0.0, 0.0, 0.0), "pelvis_top": (0.0, 4.0, 0.0)},
    "lumbar": {"lumbar": (0.0, 0.0, 0.0)},
    "thoracic": {"thoracic": (0.0, 0.0, 0.0)},
    "neck": {"neck_base": (0.0, 0.0, 0.0)},
    "head": {"head_joint": (0.0, 0.0, 0.0), "head": (2.0, 9.0, 0.0), "nose": (12.0, 5.5, 0.0)},
}
for _side in SIDES:
    SEGMENT_POINTS |= {
        f"{_side}_thigh": {f"{_side}_hip": (0.0, 0.0, 0.0)},
        f"{_side}_shin": {f"{_side}_knee": (0.0, 0.0, 0.0)},
        f"{_side}_foot": {
            f"{_side}_ankle": (0.0, 0.0, 0.0),
            f"{_side}_heel": (-5.0, -4.0, 0.0),
            f"{_side}_toe": (16.0, -4.0, 0.0),
            f"{_side}_sole": (5.0, -7.0, 0.0),
        },
        f"{_side}_clavicle": {"clavicle": (0.0, 0.0, 0.0)},
        f"{_side}_arm": {f"{_side}_shoulder": (0.0, 0.0, 0.0)},
        f"{_side}_forearm": {f"{_side}_elbow": (0.0, 0.0, 0.0)},
        f"{_side}_hand": {f"{_side}_wrist": (0.0, 0.0, 0.0), f"{_side}_hand": (0.0, -HAND, 0.0)},
    }


def segment_frames(angles: Mapping[str, float], orientation: str) -> dict[str, tuple[Mat, Vec]]:
    """Each segment's rotation and origin, with the pelvis (mid-hip) at the origin."""
    pelvis = _mul(ORIENTATIONS[orientation], _spine("pelvis")(angles))
    frames = {"pelvis": (pelvis, (0.0, 0.0, 0.0))}
    for name, at, offset, turns_with, rotation in JOINT_TABLE:
        at_rotation, at_origin = frames[at]
        origin = _add(at_origin, _apply(at_rotation, offset))
        frames[name] = (_mul(frames[turns_with][0], rotation(angles)), origin)
    return frames


def body_points(angles: Mapping[str, float], orientation: str = "upright") -> dict[str, Vec]:
    """Every named point of the body, posed by `angles`, with the pelvis at the origin."""
    points = {}
    for segment, (rotation, origin) in segment_frames(angles, orientation).items():
        for name, local in SEGMENT_POINTS[segment].items():
            points[name] = _add(origin, _apply(rotation, local))
    return points


# The drawn parts, back to front in a plain side view: (name, points, width key, side).
PARTS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("far_arm", ("far_shoulder", "far_elbow", "far_wrist", "far_hand"), "arm", "far"),
    ("far_thigh", ("far_hip", "far_knee"), "thigh", "far"),
    ("far_shin", ("far_knee", "far_ankle"), "shin", "far"),
    ("far_foot", ("far_heel", "far_toe"), "foot", "far"),
    ("hips", ("far_hip", "near_hip"), "hips", ""),
    ("belly", ("pelvis_top", "lumbar", "thoracic"), "belly", ""),
    ("chest", ("thoracic", "neck_base"), "chest", ""),
    ("girdle", ("far_shoulder", "clavicle", "near_shoulder"), "girdle", ""),
    ("neck", ("neck_base", "head_joint"), "neck", ""),
    ("head", ("head", "head"), "head", ""),
    ("nose", ("head", "nose"), "nose", ""),
    ("near_thigh", ("near_hip", "near_knee"), "thigh", "near"),
    ("near_shin", ("near_knee", "near_ankle"), "shin", "near"),
    ("near_foot", ("near_heel", "near_toe"), "foot", "near"),
    ("near_arm", ("near_shoulder", "near_elbow", "near_wrist", "near_hand"), "arm", "near"),
)

Capsule = tuple[str, str, float]


def capsules() -> list[Capsule]:
    """The body as capsules (a segment between two points, with a radius) for contact checks."""
    result = []
    for _name, points, width, _side in PARTS:
        for a, b in itertools.pairwise(points):
            result.append((a, b, WIDTHS[width] / 2))
    return result


CAPSULES = capsules()
_TRUNK = [
    ("pelvis_top", "lumbar", WIDTHS["belly"] / 2),
    ("lumbar", "thoracic", WIDTHS["belly"] / 2),
    ("thoracic", "neck_base", WIDTHS["chest"] / 2),
]


# Support parts that come in pairs, and the name of one of each pair.
PAIRS = {"feet": "foot", "hands": "hand", "forearms": "forearm", "knees": "knee"}


def _limb_groups(name: str, capsule: Capsule) -> dict[str, tuple[tuple[Capsule, ...], ...]]:
    """A paired support part (`hands`) needing both sides, and each side alone (`near_hand`)."""
    a, b, radius = capsule
    sided = {side: ((a.format(side), b.format(side), radius),) for side in SIDES}
    return {name: (sided["near"], sided["far"])} | {
        f"{side}_{PAIRS[name]}": (sided[side],) for side in SIDES
    }


# What each support part touches with: groups of capsules, every group must touch.
SUPPORT_PARTS: dict[str, tuple[tuple[Capsule, ...], ...]] = {
    "pelvis": (
        (
            _TRUNK[0],
            ("near_hip", "near_hip", WIDTHS["thigh"] / 2),
            ("far_hip", "far_hip", WIDTHS["thigh"] / 2),
        ),
    ),
    "back": (tuple(_TRUNK),),
    "front": (tuple(_TRUNK),),
    "side": (
        (
            *_TRUNK,
            ("near_hip", "near_hip", WIDTHS["thigh"] / 2),
            ("near_shoulder", "near_shoulder", WIDTHS["girdle"] / 2),
        ),
    ),
    "head": ((("head", "head", HEAD_RADIUS),),),
    **_limb_groups("feet", ("{}_heel", "{}_toe", WIDTHS["foot"] / 2)),
    **_limb_groups("hands", ("{}_wrist", "{}_hand", WIDTHS["arm"] / 2)),
    **_limb_groups("forearms", ("{}_elbow", "{}_wrist", WIDTHS["arm"] / 2)),
    **_limb_groups("knees", ("{}_knee", "{}_knee", WIDTHS["thigh"] / 2)),
}
# The point of a support part that keeps its place from frame to frame.
ANCHOR_POINTS = {
    "pelvis": "root",
    "back": "neck_base",  # the shoulders stay put as the hips lift or tilt
    "front": "root",
    "side": "root",
    "head": "head",
    "feet": "far_toe",
    "hands": "far_wrist",
    "forearms": "far_elbow",
    "knees": "far_knee",
}
for _side in SIDES:
    ANCHOR_POINTS |= {
        f"{_side}_foot": f"{_side}_toe",
        f"{_side}_hand": f"{_side}_wrist",
        f"{_side}_forearm": f"{_side}_elbow",
        f"{_side}_knee": f"{_side}_knee",
    }

# ---------------------------------------------------------------------------
# The data file
# ---------------------------------------------------------------------------
VIEWS = ("side", "front", "above")
PROPS = ("mat", "chair", "wall", "table", "door", "step", "strap", "cushion")
SUPPORT_PROPS = ("floor", "chair", "wall", "table", "door", "step")
# Heights of the surfaces a body can sit or stand on.
# The seat suits this body's lower leg: thighs level with the feet flat on the floor.
PROP_TOPS = {"floor": 0.0, "chair": 42.0, "step": 18.0, "table": 90.0}
# How far forward of the chair back the sitting bones are, beyond sitting right back.
SEATS = {"back": 0.0, "middle": 8.0, "front": 27.0}
FIGURE_KEYS = {
    "view",
    "turn",
    "posture",
    "props",
    "supports",
    "anchor",
    "per_side",
    "seat",
    "angles",
    "pose",
}
POSTURE_KEYS = {"orientation", "supports", "props", "angles"}


class FigureDataError(ValueError):
    """The figures file says something the body or the renderer cannot do."""


@dataclass(frozen=True)
class Support:
    part: str
    prop: str

    def __str__(self) -> str:
        return f"{self.part}:{self.prop}"


@dataclass(frozen=True)
class Pose:
    name: str
    angles: Mapping[str, float]
    supports: tuple[Support, ...]


@dataclass(frozen=True)
class Figure:
    key: str
    view: str
    orientation: str
    props: tuple[str, ...]
    per_side: bool
    seat: str
    poses: tuple[Pose, ...]
    turn: float = 0.0  # degrees the camera swings round the body, for a three-quarter view
    anchor_point: str | None = None  # a point kept in place instead of the anchor's own

    @property
    def anchor(self) -> Support:
        """The support that places the body: the first one of the start pose."""
        return self.poses[0].supports[0]

    @property
    def pose_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(pose.name for pose in self.poses))


def _check_keys(where: str, table: Mapping, allowed: Iterable[str]) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise FigureDataError(f"{where}: unknown key {', '.join(map(repr, unknown))}")


def _expand_angles(where: str, table: Mapping) -> dict[str, float]:
    """`hip = 90` sets both hips, `near_hip = 90` only the near one."""
    angles = {}
    for key, value in table.items():
        if key in SIDED_RANGES:
            names = [f"{side}_{key}" for side in SIDES]
        elif key in RANGES:
            names = [key]
        else:
            raise FigureDataError(f"{where}: unknown joint {key!r}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FigureDataError(f"{where}: {key} must be a number of degrees")
        angles |= dict.fromkeys(names, float(value))
    return angles


def _read_supports(where: str, items, props: tuple[str, ...]) -> tuple[Support, ...]:
    supports = []
    for item in items:
        part, _, prop = str(item).partition(":")
        if part not in SUPPORT_PARTS:
            raise FigureDataError(f"{where}: unknown support part {part!r} in {item!r}")
        if prop not in SUPPORT_PROPS or (prop != "floor" and prop not in props):
            raise FigureDataError(f"{where}: {item!r} rests on a prop the figure does not have")
        supports.append(Support(part, prop))
    if not supports:
        raise FigureDataError(f"{where}: nothing bears the weight (add supports)")
    return tuple(supports)


def _read_posture(key: str, name: str, postures: Mapping) -> Mapping:
    if name not in postures:
        raise FigureDataError(f"figure {key!r}: unknown posture {name!r}")
    posture = postures[name]
    _check_keys(f"posture {name!r}", posture, POSTURE_KEYS)
    if posture.get("orientation") not in ORIENTATIONS:
        raise FigureDataError(f"posture {name!r}: orientation must be one of {list(ORIENTATIONS)}")
    return posture


def _read_pose(key: str, spec: Mapping, item: Mapping, postures: Mapping) -> tuple[Pose, str]:
    name = item.get("name")
    if not isinstance(name, str) or not name:
        raise FigureDataError(f"figure {key!r}: every pose needs a name")
    where = f"figure {key!r}, pose {name!r}"
    posture = _read_posture(key, item.get("posture", spec.get("posture")), postures)
    angles = dict.fromkeys(JOINTS, 0.0)
    angles |= _expand_angles(
        f"posture {item.get('posture', spec.get('posture'))!r}", posture.get("angles", {})
    )
    angles |= _expand_angles(f"figure {key!r}", spec.get("angles", {}))
    own = {k: v for k, v in item.items() if k not in ("name", "posture", "supports")}
    angles |= _expand_angles(where, own)
    for joint, value in angles.items():
        low, high = RANGES[joint]
        if not low <= value <= high:
            raise FigureDataError(
                f"{where}: {joint} = {value:g} is outside its range of motion {low:g}..{high:g}"
            )
    props = tuple(spec.get("props", posture.get("props", [])))
    items = item.get("supports", spec.get("supports", posture.get("supports", [])))
    return Pose(name, angles, _read_supports(where, items, props)), posture["orientation"]


def _read_figure(key: str, spec: Mapping, postures: Mapping) -> Figure:
    where = f"figure {key!r}"
    _check_keys(where, spec, FIGURE_KEYS)
    if spec.get("view") not in VIEWS:
        raise FigureDataError(f"{where}: view must be one of {list(VIEWS)}")
    posture = _read_posture(key, spec.get("posture"), postures)
    props = tuple(spec.get("props", posture.get("props", [])))
    if unknown := sorted(set(props) - set(PROPS)):
        raise FigureDataError(f"{where}: unknown prop {', '.join(map(repr, unknown))}")
    items = spec.get("pose", [])
    if len(items) < 2:
        raise FigureDataError(f"{where}: needs at least two poses, a start and an end")
    read = [_read_pose(key, spec, item, postures) for item in items]
    poses = tuple(pose for pose, _ in read)
    if len({orientation for _, orientation in read}) > 1:
        raise FigureDataError(f"{where}: every pose must lie the same way (one orientation)")
    for pose in poses:
        _check_keeps_anchor(where, poses[0].supports[0], pose)
    anchor_point = spec.get("anchor")
    if anchor_point is not None and anchor_point not in body_points(poses[0].angles):
        raise FigureDataError(f"{where}: anchor {anchor_point!r} is not a point of the body")
    turn = spec.get("turn", 0)
    if isinstance(turn, bool) or not isinstance(turn, int | float) or abs(turn) > 90:
        raise FigureDataError(f"{where}: turn must be a number of degrees up to 90")
    seat = spec.get("seat", "back")
    if seat not in SEATS:
        raise FigureDataError(f"{where}: seat must be one of {list(SEATS)}")
    per_side = spec.get("per_side")
    if not isinstance(per_side, bool):
        raise FigureDataError(f"{where}: per_side must be true or false")
    return Figure(
        key, spec["view"], read[0][1], props, per_side, seat, poses, float(turn), anchor_point
    )


def _sides_of(part: str) -> set[str]:
    """The part and, for a pair such as `knees`, each of its sides (`near_knee`)."""
    return {part} | ({f"{side}_{PAIRS[part]}" for side in SIDES} if part in PAIRS else set())


def _check_keeps_anchor(where: str, anchor: Support, pose: Pose) -> None:
    """Every pose rests on the start pose's first support, or on one side of that pair."""
    kept = {Support(part, anchor.prop) for part in _sides_of(anchor.part)}
    if not kept & set(pose.supports):
        raise FigureDataError(f"{where}, pose {pose.name!r}: must keep resting on {anchor}")


def load_figures(path: Path = FIGURES_FILE) -> dict[str, Figure]:
    """Read and check the figures file; raise FigureDataError naming the figure and pose."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    _check_keys(str(path.name), data, {"posture", "figure"})
    postures = data.get("posture", {})
    return {key: _read_figure(key, spec, postures) for key, spec in data.get("figure", {}).items()}


def check_exercises(figures: Mapping[str, Figure], exercises: Iterable[Mapping]) -> None:
    """Every exercise (slug, per_side) has a figure drawn the same way, and no figure is spare."""
    exercises = list(exercises)
    slugs = {item["slug"] for item in exercises}
    if missing := sorted(slugs - set(figures)):
        raise FigureDataError(f"no figure for exercise {', '.join(missing)}")
    if spare := sorted(set(figures) - slugs):
        raise FigureDataError(f"figure for no exercise: {', '.join(spare)}")
    for item in exercises:
        if figures[item["slug"]].per_side != bool(item.get("per_side", False)):
            raise FigureDataError(f"figure {item['slug']!r}: per_side differs from the library")


@functools.cache
def figures() -> dict[str, Figure]:
    """The figures of the data file, read once per process."""
    return load_figures()


# ---------------------------------------------------------------------------
# Frames: poses in between, and the body placed on its props
# ---------------------------------------------------------------------------
STEPS = 6  # drawn frames per movement from one key pose to the next
HOLD_SECONDS, MOVE_SECONDS = 1.0, 1.6


@dataclass(frozen=True)
class Frame:
    angles: Mapping[str, float]
    points: Mapping[str, Vec]
    pose: Pose | None  # the key pose this frame shows, None in between
    supports: tuple[Support, ...]  # what bears the weight throughout this frame


def _lowest(points: Mapping[str, Vec], caps: Iterable[Capsule]) -> float:
    return min(min(points[a][1], points[b][1]) - radius for a, b, radius in caps)


def _support_capsules(part: str) -> list[Capsule]:
    return [capsule for group in SUPPORT_PARTS[part] for capsule in group]


def _wall_is_ahead(part: str) -> bool:
    return part != "back"


def _extreme_x(points: Mapping[str, Vec], caps: Iterable[Capsule], ahead: bool) -> float:
    if ahead:
        return max(max(points[a][0], points[b][0]) + radius for a, b, radius in caps)
    return min(min(points[a][0], points[b][0]) - radius for a, b, radius in caps)


def place(figure: Figure, angles: Mapping[str, float]) -> dict[str, Vec]:
    """The posed body in the room, resting on the figure's anchor support.

    On the floor the lowest point of the body touches it; on a chair or step the anchor part
    touches its top (and nothing sinks through the floor); against a wall the part touches the
    wall at x = 0. Otherwise the anchor's own point stays at x = 0 from frame to frame, so that
    what rests on the floor does not slide about.
    """
    points = body_points(angles, figure.orientation)
    anchor = figure.anchor
    caps = _support_capsules(anchor.part)
    floor = -_lowest(points, CAPSULES)
    if anchor.prop == "wall":
        dx, dy = -_extreme_x(points, caps, _wall_is_ahead(anchor.part)), floor
    else:
        dx = -_anchor_x(figure, points)
        dy = max(PROP_TOPS[anchor.prop] - _lowest(points, caps), floor)
    return {name: (x + dx, y + dy, z) for name, (x, y, z) in points.items()}


def _anchor_x(figure: Figure, points: Mapping[str, Vec]) -> float:
    """Where the point that keeps its place is: of a pair, the far one unless it is lifted.

    As the far foot (or knee, or hand) lifts, the place passes smoothly to the near one; in
    a pose where both stand side by side they give the same place, so marching can change
    the standing foot without the body jumping.
    """
    part = figure.anchor_point or figure.anchor.part
    if part not in PAIRS:
        return points[ANCHOR_POINTS.get(part, part)][0]
    single = PAIRS[part]
    near, far = (_lowest(points, SUPPORT_PARTS[f"{side}_{single}"][0]) for side in SIDES)
    weight = min(1.0, max(0.0, (far - near) / 3.0))
    near_x = points[ANCHOR_POINTS[f"near_{single}"]][0]
    far_x = points[ANCHOR_POINTS[f"far_{single}"]][0]
    return far_x + weight * (near_x - far_x)


def _ease(t: float) -> float:
    return (1 - math.cos(math.pi * t)) / 2


def movement(figure: Figure, start: int, end: int, steps: int = STEPS) -> list[Frame]:
    """Frames from key pose `start` to key pose `end`, both included, easing in and out.

    The angles are interpolated, not the points, so every limb keeps its length.
    """
    a, b = figure.poses[start], figure.poses[end]
    shared = tuple(support for support in a.supports if support in b.supports)
    frames = []
    for step in range(steps + 1):
        t = _ease(step / steps)
        angles = {
            joint: a.angles[joint] + (b.angles[joint] - a.angles[joint]) * t for joint in JOINTS
        }
        pose = a if step == 0 else b if step == steps else None
        supports = pose.supports if pose else shared
        frames.append(Frame(angles, place(figure, angles), pose, supports))
    return frames


def loop_frames(figure: Figure) -> list[Frame]:
    """Every key pose in order and back to the start, with the frames in between."""
    count = len(figure.poses)
    frames = []
    for index in range(count):
        frames += movement(figure, index, (index + 1) % count)[:-1]
    return [*frames, frames[0]]


# ---------------------------------------------------------------------------
# Props
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Box:
    prop: str
    lo: Vec
    hi: Vec
    solid: bool = True  # the body must not pass through it


def _contact(points: Mapping[str, Vec], part: str) -> Vec:
    caps = _support_capsules(part)
    ends = [points[name] for a, b, _ in caps for name in (a, b)]
    return tuple(sum(p[i] for p in ends) / len(ends) for i in range(3))


def _chair(figure: Figure, points: Mapping[str, Vec]) -> list[Box]:
    # The backrest stands a hand's breadth behind the hip joints, or further for sitting forward.
    back = points["root"][0] - 14.0 - SEATS[figure.seat]
    top = PROP_TOPS["chair"]
    boxes = [
        Box("chair", (back, top - 4, -23.0), (back + 42, top, 23.0)),
        Box("chair", (back - 3, top, -23.0), (back, top + 46, 23.0)),
    ]
    for z in (-23.0, 20.0):
        for x in (back - 3, back + 39):
            boxes.append(Box("chair", (x, 0.0, z), (x + 3, top - 4, z + 3), solid=False))
    return boxes


def _wall(part: str, points: Mapping[str, Vec]) -> list[Box]:
    ahead = _wall_is_ahead(part)
    x = _extreme_x(points, _support_capsules(part), ahead)
    lo, hi = (x, x + 8.0) if ahead else (x - 8.0, x)
    return [Box("wall", (lo, 0.0, -80.0), (hi, 190.0, 80.0))]


def _table(part: str, points: Mapping[str, Vec]) -> list[Box]:
    x, _, z = _contact(points, part)
    top = PROP_TOPS["table"]
    if part == "hands":  # a counter or chair back in front, both hands on its edge
        return [Box("table", (x - 5.0, 0.0, -40.0), (x + 40.0, top, 40.0))]
    return [Box("table", (x - 25.0, 0.0, z - 40.0), (x + 25.0, top, z + 8.0))]


def _door(part: str, points: Mapping[str, Vec]) -> list[Box]:
    x = _extreme_x(points, _support_capsules(part), ahead=True)
    return [Box("door", (x, 0.0, z), (x + 12.0, 205.0, z + 12.0)) for z in (44.0, -56.0)]


def _step(part: str, points: Mapping[str, Vec]) -> list[Box]:
    x = points[ANCHOR_POINTS[part]][0]
    return [Box("step", (x - 32.0, 0.0, -30.0), (x + 8.0, PROP_TOPS["step"], 30.0))]


def _mat(frames: Iterable[Frame]) -> Box:
    xs = [p[0] for frame in frames for p in frame.points.values()]
    zs = [p[2] for frame in frames for p in frame.points.values()]
    return Box("mat", (min(xs) - 12, -2.5, min(zs) - 18), (max(xs) + 12, 0.0, max(zs) + 18), False)


def prop_boxes(figure: Figure, frames: list[Frame]) -> list[Box]:
    """The figure's props as boxes, placed against the start pose (or, a mat, under them all)."""
    start = frames[0]
    boxes = [_mat(frames)] if "mat" in figure.props else []
    if "chair" in figure.props:
        boxes += _chair(figure, start.points)
    builders = {"wall": _wall, "table": _table, "door": _door, "step": _step}
    placed = set()
    for support in (s for pose in figure.poses for s in pose.supports):
        if support.prop in builders and support.prop not in placed:
            placed.add(support.prop)
            boxes += builders[support.prop](support.part, start.points)
    return boxes


def _box_distance(p: Vec, box: Box) -> float:
    gaps = [max(box.lo[i] - p[i], 0.0, p[i] - box.hi[i]) for i in range(3)]
    return math.sqrt(sum(gap * gap for gap in gaps))


def capsule_clearance(points: Mapping[str, Vec], capsule: Capsule, box: Box) -> float:
    """How far the capsule's surface stays from the box; negative when it goes into it."""
    a, b, radius = points[capsule[0]], points[capsule[1]], capsule[2]
    length = math.dist(a, b)
    samples = max(2, int(length / 1.5) + 1)
    nearest = min(
        _box_distance(tuple(a[i] + (b[i] - a[i]) * k / (samples - 1) for i in range(3)), box)
        for k in range(samples)
    )
    return nearest - radius


def support_gap(points: Mapping[str, Vec], support: Support, boxes: Iterable[Box]) -> float:
    """How far the supporting part is from what it rests on (the worst of a pair)."""
    gaps = []
    targets = [box for box in boxes if box.prop == support.prop and box.solid]
    for group in SUPPORT_PARTS[support.part]:
        if support.prop == "floor":
            gaps.append(abs(_lowest(points, group)))
        else:
            gaps.append(
                min(abs(capsule_clearance(points, cap, box)) for cap in group for box in targets)
            )
    return max(gaps)


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------
# Which room axis points toward the viewer, and how room points land on the page.
TOWARD_VIEWER: dict[str, Vec] = {"side": (0, 0, 1), "front": (1, 0, 0), "above": (0, 1, 0)}
PADDING = 6.0
SIZES = {"still": 72, "moving": 320, "strip": 120, "player": 320}


def _project(view: str, p: Vec, mirror: bool, turn: float = 0.0) -> tuple[float, float, float]:
    """(across the page, up the page, toward the viewer), the room turned `turn` degrees."""
    x, y, z = _apply(_ry(-turn), p) if turn else p
    across, up, depth = {"side": (x, y, z), "front": (-z, y, x), "above": (x, -z, y)}[view]
    return (-across if mirror else across), up, depth


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (monotone chain), to draw a box as its outline from any side."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def half(seq):
        chain = []
        for p in seq:
            while len(chain) >= 2:
                (ax, ay), (bx, by) = chain[-2], chain[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) > 0:
                    break
                chain.pop()
            chain.append(p)
        return chain[:-1]

    return half(points) + half(reversed(points))


def _corners(box: Box) -> list[Vec]:
    return [
        (x, y, z)
        for x in (box.lo[0], box.hi[0])
        for y in (box.lo[1], box.hi[1])
        for z in (box.lo[2], box.hi[2])
    ]


@dataclass(frozen=True)
class Part:
    name: str
    points: tuple[str, ...]
    width: int
    css: str


@dataclass(frozen=True)
class Scene:
    """A figure ready to draw on one side: frames, props, page window and drawing order."""

    figure: Figure
    mirror: bool
    frames: tuple[Frame, ...]  # the whole loop, key poses included
    boxes: tuple[Box, ...]
    left: float
    top: float
    width: int
    height: int
    parts: tuple[Part, ...]

    def page(self, p: Vec) -> tuple[int, int]:
        across, up, _ = _project(self.figure.view, p, self.mirror, self.figure.turn)
        return _round(across - self.left), _round(self.top - up)

    def path(self, part: Part, frame: Frame) -> str:
        coords = (self.page(frame.points[name]) for name in part.points)
        return "M" + " ".join(f"{u} {v}" for u, v in coords)

    def key_frames(self) -> list[Frame]:
        return [frame for frame in self.frames[:-1] if frame.pose is not None]


def _round(value: float) -> int:
    return round(value) or 0


def _facing(figure: Figure, frame: Frame, segment: str) -> float:
    """How squarely the segment's near side faces the viewer: 1 toward, -1 away, 0 edge on."""
    rotation, _ = segment_frames(frame.angles, figure.orientation)[segment]
    lateral = _apply(_ry(-figure.turn), (rotation[0][2], rotation[1][2], rotation[2][2]))
    return sum(a * b for a, b in zip(lateral, TOWARD_VIEWER[figure.view], strict=True))


# Things held by the body, drawn with it: (name, points, stroke width, class, drawn on top).
HELD_PROPS = {
    "strap": ("strap", ("near_hand", "near_sole", "far_hand"), 2, "figure-strap", True),
    "cushion": ("cushion", ("near_knee", "far_knee"), 14, "figure-cushion", True),
}


# The points of each limb, to tell whether the limb lies behind the trunk.
LIMB_POINTS = {
    f"{side}_{limb}": tuple(f"{side}_{p}" for p in points)
    for side in SIDES
    for limb, points in (
        ("arm", ("shoulder", "elbow", "wrist", "hand")),
        ("leg", ("hip", "knee", "ankle", "heel", "toe")),
    )
}
BEHIND = 8.0  # cm behind the trunk's middle from which a limb is drawn lighter


def _depth(figure: Figure, frame: Frame, mirror: bool, points: Iterable[str]) -> float:
    depths = [_project(figure.view, frame.points[p], mirror, figure.turn)[2] for p in points]
    return sum(depths) / len(depths)


def _parts(figure: Figure, frame: Frame, mirror: bool) -> tuple[Part, ...]:
    """The drawn parts ordered back to front by depth in the start pose.

    The trunk and head are darkest, the limbs a shade lighter so that an arm across the chest
    shows, and a limb lying behind the trunk lighter still, as farther away.
    """
    trunk = _depth(figure, frame, mirror, ("pelvis_top", "lumbar", "thoracic", "neck_base"))
    broad = 1 - abs(_facing(figure, frame, "thoracic"))
    parts = []
    for index, (name, points, width, part_side) in enumerate(PARTS):
        limb = f"{part_side}_{'arm' if 'arm' in name else 'leg'}"
        behind = part_side and _depth(figure, frame, mirror, LIMB_POINTS[limb]) < trunk - BEHIND
        stroke = WIDTHS[width]
        if name in BREADTHS:
            stroke = _round(stroke + (BREADTHS[name] - stroke) * broad)
        css = "figure-far" if behind else "figure-near" if part_side else "figure-body"
        part = Part(name, points, stroke, css)
        parts.append((_depth(figure, frame, mirror, points) + index * 0.01, part))
    ordered = [part for _, part in sorted(parts, key=lambda item: item[0])]
    for prop in figure.props:
        if prop in HELD_PROPS:
            name, points, width, css, on_top = HELD_PROPS[prop]
            held = Part(name, points, width, css)
            ordered = [*ordered, held] if on_top else [held, *ordered]
    return tuple(ordered)


def _window(figure: Figure, frames, boxes, mirror: bool) -> tuple[float, float, int, int]:
    """The page around everything drawn in every frame: (left, top, width, height)."""
    xs, ys = [], []
    for frame in frames:
        for a, b, radius in CAPSULES:
            for name in (a, b):
                across, up, _ = _project(figure.view, frame.points[name], mirror, figure.turn)
                xs += [across - radius, across + radius]
                ys += [up - radius, up + radius]
    for box in boxes:
        for corner in _corners(box):
            across, up, _ = _project(figure.view, corner, mirror, figure.turn)
            xs.append(across)
            ys.append(up)
    if figure.view != "above":
        ys.append(0.0)
    width = math.ceil(max(xs) - min(xs) + 2 * PADDING)
    height = math.ceil(max(ys) - min(ys) + 2 * PADDING)
    return (min(xs) + max(xs) - width) / 2, (min(ys) + max(ys) + height) / 2, width, height


@functools.lru_cache(maxsize=256)
def scene(key: str, side: str = "left") -> Scene:
    """The figure of exercise `key`, drawn for `side` (only per-side figures change)."""
    figure = figures()[key]
    return build_scene(figure, mirror=figure.per_side and side == "left")


def build_scene(figure: Figure, mirror: bool) -> Scene:
    frames = loop_frames(figure)
    boxes = prop_boxes(figure, frames)
    left, top, width, height = _window(figure, frames, boxes, mirror)
    parts = _parts(figure, frames[0], mirror)
    return Scene(figure, mirror, tuple(frames), tuple(boxes), left, top, width, height, parts)


def _props_markup(scene: Scene) -> str:
    """The floor line, then the props as outlines, one path per kind."""
    markup = []
    if scene.figure.view != "above":
        _, floor = scene.page((0.0, 0.0, 0.0))
        markup.append(f'<path class="figure-floor" d="M0 {floor}H{scene.width}"/>')
    outlines: dict[str, list[str]] = {}
    for box in scene.boxes:
        outline = _hull([scene.page(corner) for corner in _corners(box)])
        d = "M" + " ".join(f"{u} {v}" for u, v in outline) + "Z"
        outlines.setdefault("figure-mat" if box.prop == "mat" else "figure-prop", []).append(d)
    for css, paths in outlines.items():
        markup.append(f'<path class="{css}" d="{"".join(dict.fromkeys(paths))}"/>')
    return "".join(markup)


def _svg_open(scene: Scene, css: str, size: int, label: str | None, extra: str = "") -> str:
    """The opening tags; the figure fits a `size` pixel square, keeping its proportions."""
    name = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    scale = size / max(scene.width, scene.height)
    width, height = _round(scene.width * scale), _round(scene.height * scale)
    return (
        f'<svg class="figure {css}" viewBox="0 0 {scene.width} {scene.height}" '
        f'width="{width}" height="{height}"{name}{extra}>'
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">'
    )


def _hidden(scene: Scene, part: Part, frame: Frame) -> bool:
    """A bar seen end on (the hips from the side) is a dot inside the trunk: leave it out."""
    return (
        part.name in ("hips", "girdle")
        and len({scene.page(frame.points[p]) for p in part.points}) == 1
    )


def _pose_svg(scene: Scene, frame: Frame, css: str, size: int, label: str | None) -> str:
    """One pose, still. Neighbouring parts of one colour share a group, and those of one width
    a path, since their order among themselves does not show: it keeps a list page small."""
    groups: list[tuple[str, dict[int, str]]] = []
    for part in scene.parts:
        if _hidden(scene, part, frame):
            continue
        if not groups or groups[-1][0] != part.css:
            groups.append((part.css, {}))
        paths = groups[-1][1]
        paths[part.width] = paths.get(part.width, "") + scene.path(part, frame)
    body = "".join(
        f'<g class="{group}">'
        + "".join(f'<path stroke-width="{w}" d="{d}"/>' for w, d in paths.items())
        + "</g>"
        for group, paths in groups
    )
    return _svg_open(scene, css, size, label) + _props_markup(scene) + body + "</g></svg>"


def _timeline(scene: Scene) -> tuple[list[float], list[int]]:
    """Key times (0..1) and frame indexes of the loop, holding each key pose a moment."""
    times, indexes, t = [], [], 0.0
    step = MOVE_SECONDS / STEPS
    for index, frame in enumerate(scene.frames[:-1]):
        times.append(t)
        indexes.append(index)
        if frame.pose is not None:
            t += HOLD_SECONDS
            times.append(t)
            indexes.append(index)
        t += step
    times.append(t)
    indexes.append(len(scene.frames) - 1)
    return [time / t for time in times], indexes


def _pose_data(scene: Scene) -> str:
    return f' data-poses="{escape("|".join(scene.figure.pose_names))}"'


def _moving_svg(scene: Scene, size: int, label: str) -> str:
    times, indexes = _timeline(scene)
    key_times = ";".join(f"{time:.3f}".rstrip("0").rstrip(".") for time in times)
    duration = len(scene.key_frames()) * (HOLD_SECONDS + MOVE_SECONDS)
    body = []
    for part in scene.parts:
        values = [scene.path(part, scene.frames[index]) for index in indexes]
        head = f'<path class="{part.css}" stroke-width="{part.width}" d="{values[0]}"'
        if len(set(values)) == 1:
            body.append(head + "/>")
            continue
        body.append(
            f'{head}><animate attributeName="d" dur="{duration:g}s" repeatCount="indefinite" '
            f'keyTimes="{key_times}" values="{";".join(values)}"/></path>'
        )
    opening = _svg_open(scene, "figure-moving", size, label, _pose_data(scene))
    return opening + _props_markup(scene) + "".join(body) + "</g></svg>"


def _player_pairs(count: int) -> list[tuple[int, int]]:
    pairs = [(i, (i + 1) % count) for i in range(count)]
    return list(dict.fromkeys(pairs + [(b, a) for a, b in pairs]))


def _player_svg(scene: Scene, size: int, label: str) -> str:
    """The start pose, with an animation per movement that a script begins on cue."""
    figure = scene.figure
    movements = {pair: movement(figure, *pair) for pair in _player_pairs(len(figure.poses))}
    body = []
    for part in scene.parts:
        animations = []
        for (start, end), frames in movements.items():
            values = [scene.path(part, frame) for frame in frames]
            if len(set(values)) > 1:
                animations.append(
                    f'<animate data-from="{start}" data-to="{end}" attributeName="d" '
                    f'begin="indefinite" dur="{MOVE_SECONDS:g}s" fill="freeze" '
                    f'values="{";".join(values)}"/>'
                )
        d = scene.path(part, scene.frames[0])
        body.append(
            f'<path data-part="{part.name}" class="{part.css}" stroke-width="{part.width}" '
            f'd="{d}">{"".join(animations)}</path>'
        )
    mirror = f"matrix(-1 0 0 1 {scene.width} 0)"
    extra = _pose_data(scene) + f' data-mirror="{mirror}"'
    opening = _svg_open(scene, "figure-player", size, label, extra)
    scene_group = f'<g class="figure-scene" data-mirror="{mirror}">'
    return opening + scene_group + _props_markup(scene) + "".join(body) + "</g></g></svg>"


def _strip_html(scene: Scene, size: int, label: str) -> str:
    items = []
    seen = set()
    for frame in scene.key_frames():
        if frame.pose.name in seen:
            continue
        seen.add(frame.pose.name)
        svg = _pose_svg(scene, frame, "figure-pose", size, None)
        items.append(
            f'<li>{svg}<span class="figure-pose-name">{escape(frame.pose.name)}</span></li>'
        )
    return f'<ol class="figure-strip" aria-label="{escape(label)}">{"".join(items)}</ol>'


MODES = ("still", "moving", "strip", "player")


@functools.lru_cache(maxsize=1024)
def _render(key: str, mode: str, label: str, side: str, size: int) -> SafeString:
    drawn = scene(key, side)
    if mode == "still":
        return mark_safe(_pose_svg(drawn, drawn.frames[0], "figure-still", size, label))
    renderers = {"moving": _moving_svg, "strip": _strip_html, "player": _player_svg}
    return mark_safe(renderers[mode](drawn, size, label))


def figure_svg(
    key: str, mode: str = "still", *, label: str, side: str = "left", size: int | None = None
) -> SafeString:
    """The figure of exercise `key` as markup, or an empty string if it has none.

    `mode` is `still` (start pose, small), `moving` (a loop through the key poses), `strip`
    (an ordered list of the key poses with their names) or `player` (start pose plus
    animations a script begins). `label` is the accessible name, such as the exercise's name and
    first instruction; `side` only matters for per-side figures; `size` is in CSS pixels.
    Cached: a second call with the same arguments costs a dictionary look-up.
    """
    if mode not in MODES:
        raise ValueError(f"unknown figure mode {mode!r}; use one of {MODES}")
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    if key not in figures():
        return SafeString("")
    markup = _render(key, mode, LABEL_MARK, side, size or SIZES[mode])
    # Drawn once per figure whatever its name; the name goes in afterwards.
    return mark_safe(markup.replace(LABEL_MARK, escape(str(label))))


# Stands for the accessible name in markup drawn once for every name (escape() keeps it).
LABEL_MARK = "\u2063label\u2063"


def warm() -> None:
    """Draw every figure in every mode once, so no visitor waits for a first drawing: run
    by each app server process as it starts."""
    for key in figures():
        for mode in MODES:
            for side in ("left", "right") if figures()[key].per_side else ("left",):
                figure_svg(key, mode, label="", side=side)


def pose_names(key: str) -> tuple[str, ...]:
    """The names of the figure's key poses, in order, for a template to show."""
    figure = figures().get(key)
    return figure.pose_names if figure else ()
