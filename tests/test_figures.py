"""Exercise figures: the pose data, the body model, placement on props, and the markup."""

import gzip
import math
import re
import time
import tomllib
import xml.etree.ElementTree as ET
from html import escape

import pytest
from django.urls import resolve, reverse
from django.utils.html import escape as django_escape
from hypothesis import given, settings
from hypothesis import strategies as st

from programs import figures as F
from programs.library_loader import LIBRARY_FILE

with LIBRARY_FILE.open("rb") as handle:
    LIBRARY = tomllib.load(handle)["exercise"]
FIGURES = F.figures()
KEYS = sorted(FIGURES)
PER_SIDE = [key for key in KEYS if FIGURES[key].per_side]
LABELS = {item["slug"]: f"{item['name']}: {item['instructions'][0]}" for item in LIBRARY}

# Tolerances in centimetres, for a body drawn at about 1 cm to a pixel at its largest.
TOUCH = 1.5  # a part named as a support lies this close to what it rests on, in a key pose
BETWEEN = 6.0  # on the way from one key pose to the next a support may lift this far
SINK = 2.0  # soft tissue may press this far into a prop: a thigh over the edge of a seat
FLOOR = 0.1  # nothing goes below the floor, beyond rounding

# Distances between neighbouring joints that every pose must keep: (point, point, length).
SEGMENTS = [
    ("root", "lumbar", F.PELVIS),
    ("lumbar", "thoracic", F.LUMBAR),
    ("thoracic", "neck_base", F.THORACIC),
    ("neck_base", "head_joint", F.NECK),
    ("clavicle", "near_shoulder", F.CLAVICLE),
    ("root", "near_hip", F.HIP_HALF_WIDTH),
    *[
        (f"{side}_{a}", f"{side}_{b}", length)
        for side in F.SIDES
        for a, b, length in (
            ("hip", "knee", F.THIGH),
            ("knee", "ankle", F.SHIN),
            ("shoulder", "elbow", F.UPPER_ARM),
            ("elbow", "wrist", F.FOREARM),
            ("wrist", "hand", F.HAND),
        )
    ],
]


def every_frame(figure: F.Figure):
    """The loop, and each movement the player can make, both ways."""
    yield from F.loop_frames(figure)
    for start, end in F._player_pairs(len(figure.poses)):
        yield from F.movement(figure, start, end)


def render_all(key: str, side: str = "left") -> dict[str, str]:
    return {mode: F.figure_svg(key, mode, label=LABELS[key], side=side) for mode in F.MODES}


# --- The data ---------------------------------------------------------------


def test_every_exercise_in_the_library_has_a_figure_drawn_the_same_way():
    F.check_exercises(FIGURES, LIBRARY)
    assert set(FIGURES) == {item["slug"] for item in LIBRARY}
    for item in LIBRARY:
        assert FIGURES[item["slug"]].per_side == item["per_side"]


@pytest.mark.parametrize("key", KEYS)
def test_every_figure_moves_between_at_least_two_different_poses(key):
    poses = FIGURES[key].poses
    assert len(poses) >= 2
    assert all(pose.name for pose in poses)
    assert len({tuple(sorted(pose.angles.items())) for pose in poses}) >= 2


def write_figures(tmp_path, figure: str) -> F.Path:
    """A figures file with the real base postures and one figure written for the test."""
    postures = F.FIGURES_FILE.read_text().split("# Warm-ups")[0]
    path = tmp_path / "figures.toml"
    path.write_text(postures + "\n" + figure)
    return path


FIGURE = """
[figure.test-bridge]
view = "side"
posture = "lying-back"
per_side = false

[[figure.test-bridge.pose]]
name = "Start"

[[figure.test-bridge.pose]]
name = "Up"
{line}
"""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("hipp = 20", "figure 'test-bridge', pose 'Up': unknown joint 'hipp'"),
        ("knee = 170", "figure 'test-bridge', pose 'Up': near_knee = 170 is outside its range"),
        ("far_elbow = -5", "pose 'Up': far_elbow = -5 is outside its range of motion 0..150"),
        ('supports = ["feet:floor"]', "pose 'Up': must keep resting on back:floor"),
        ('supports = ["back:chair"]', "pose 'Up': 'back:chair' rests on a prop the figure"),
        ('supports = ["tail:floor"]', "pose 'Up': unknown support part 'tail'"),
        ('knee = "bent"', "pose 'Up': knee must be a number of degrees"),
    ],
)
def test_the_loader_names_the_figure_and_pose_of_a_mistake(tmp_path, line, message):
    path = write_figures(tmp_path, FIGURE.format(line=line))
    with pytest.raises(F.FigureDataError, match=re.escape(message)):
        F.load_figures(path)


def test_the_loader_wants_a_start_and_an_end_pose(tmp_path):
    text = FIGURE.format(line="").split('[[figure.test-bridge.pose]]\nname = "Up"')[0]
    with pytest.raises(F.FigureDataError, match="'test-bridge': needs at least two poses"):
        F.load_figures(write_figures(tmp_path, text))


def test_the_loader_rejects_an_unknown_prop_and_view(tmp_path):
    text = FIGURE.format(line="").replace('view = "side"', 'view = "side"\nprops = ["sofa"]')
    with pytest.raises(F.FigureDataError, match="unknown prop 'sofa'"):
        F.load_figures(write_figures(tmp_path, text))
    text = FIGURE.format(line="").replace('view = "side"', 'view = "behind"')
    with pytest.raises(F.FigureDataError, match="'test-bridge': view must be one of"):
        F.load_figures(write_figures(tmp_path, text))


def test_a_missing_or_spare_figure_is_named():
    with pytest.raises(F.FigureDataError, match="no figure for exercise new-one"):
        F.check_exercises(FIGURES, [*LIBRARY, {"slug": "new-one"}])
    with pytest.raises(F.FigureDataError, match="figure for no exercise: bird-dog"):
        F.check_exercises(FIGURES, [item for item in LIBRARY if item["slug"] != "bird-dog"])
    flipped = [{**item, "per_side": not item["per_side"]} for item in LIBRARY[:1]]
    with pytest.raises(F.FigureDataError, match="per_side differs"):
        F.check_exercises(FIGURES, flipped + LIBRARY[1:])


# --- The body ---------------------------------------------------------------

angles_within_range = st.fixed_dictionaries(
    {joint: st.floats(low, high) for joint, (low, high) in F.RANGES.items()}
)


@settings(max_examples=60, deadline=None)
@given(angles=angles_within_range, orientation=st.sampled_from(sorted(F.ORIENTATIONS)))
def test_any_pose_keeps_every_segment_its_length(angles, orientation):
    points = F.body_points(angles, orientation)
    assert points["root"] == (0.0, 0.0, 0.0)
    for a, b, length in SEGMENTS:
        assert math.dist(points[a], points[b]) == pytest.approx(length, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(key=st.sampled_from(KEYS), data=st.data())
def test_limbs_keep_their_length_in_every_frame_between_key_poses(key, data):
    figure = FIGURES[key]
    start = data.draw(st.integers(0, len(figure.poses) - 1))
    end = data.draw(st.integers(0, len(figure.poses) - 1))
    for frame in F.movement(figure, start, end):
        for a, b, length in SEGMENTS:
            assert math.dist(frame.points[a], frame.points[b]) == pytest.approx(length, abs=1e-6)


@pytest.mark.parametrize("key", KEYS)
def test_every_joint_stays_within_a_human_range_in_every_frame(key):
    for frame in every_frame(FIGURES[key]):
        for joint, value in frame.angles.items():
            low, high = F.RANGES[joint]
            assert low - 1e-9 <= value <= high + 1e-9, (joint, value)


# --- The body on its props --------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_nothing_goes_below_the_floor(key):
    for frame in every_frame(FIGURES[key]):
        assert F._lowest(frame.points, F.CAPSULES) >= -FLOOR


@pytest.mark.parametrize("key", KEYS)
def test_the_body_does_not_pass_through_its_props(key):
    figure = FIGURES[key]
    boxes = [box for box in F.prop_boxes(figure, F.loop_frames(figure)) if box.solid]
    for frame in every_frame(figure):
        for box in boxes:
            for capsule in F.CAPSULES:
                clearance = F.capsule_clearance(frame.points, capsule, box)
                assert clearance >= -SINK, (capsule, box.prop, clearance)


@pytest.mark.parametrize("key", KEYS)
def test_what_bears_the_weight_touches_what_it_rests_on(key):
    figure = FIGURES[key]
    frames = F.loop_frames(figure)
    boxes = F.prop_boxes(figure, frames)
    for frame in frames:
        limit = TOUCH if frame.pose else BETWEEN
        for support in frame.supports:
            gap = F.support_gap(frame.points, support, boxes)
            assert gap <= limit, (frame.pose and frame.pose.name, str(support), gap)


def test_a_chair_stands_under_the_sitting_bones():
    figure = FIGURES["seated-gluteus-squeeze"]
    frames = F.loop_frames(figure)
    seat = F.prop_boxes(figure, frames)[0]
    root = frames[0].points["root"]
    assert seat.lo[0] < root[0] < seat.hi[0]
    assert seat.hi[1] == pytest.approx(F.PROP_TOPS["chair"])
    assert F.support_gap(frames[0].points, F.Support("pelvis", "chair"), [seat]) < TOUCH


def test_feet_on_a_step_stand_on_its_top(tmp_path):
    text = """
[figure.test-step]
view = "side"
posture = "standing"
props = ["step"]
supports = ["feet:step"]
per_side = false

[[figure.test-step.pose]]
name = "Stand on the step"

[[figure.test-step.pose]]
name = "Heels up"
ankle = -20
"""
    figure = F.load_figures(write_figures(tmp_path, text))["test-step"]
    frames = F.loop_frames(figure)
    step = F.prop_boxes(figure, frames)[0]
    for frame in frames:
        assert F._lowest(frame.points, F._support_capsules("feet")) == pytest.approx(step.hi[1])
        assert F.support_gap(frame.points, F.Support("feet", "step"), [step]) < TOUCH


# --- The markup -------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_the_markup_is_plain_svg_with_no_styles_and_nothing_from_elsewhere(key):
    sides = ("left", "right") if FIGURES[key].per_side else ("left",)
    for side in sides:
        for mode, markup in render_all(key, side).items():
            assert "style=" not in markup, mode
            assert "<style" not in markup, mode
            assert "href=" not in markup, mode
            assert "url(" not in markup, mode
            ET.fromstring(markup)


@pytest.mark.parametrize("mode", ["still", "moving", "player"])
def test_a_figure_is_an_image_named_by_its_label(mode):
    label = 'Bird dog: "reach" one arm & the <opposite> leg'
    markup = F.figure_svg("bird-dog", mode, label=label)
    root = ET.fromstring(markup)
    assert root.get("role") == "img"
    assert root.get("aria-label") == label
    assert escape(label, quote=True) in markup


def test_the_strip_lists_the_key_poses_by_name():
    markup = F.figure_svg("cat-cow", "strip", label="Cat-cow")
    root = ET.fromstring(markup)
    assert root.tag == "ol"
    assert root.get("aria-label") == "Cat-cow"
    names = [span.text for span in root.iter("span")]
    assert names == ["Back flat", "Round up (cat)", "Sink the tummy (cow)"]
    assert names == list(F.pose_names("cat-cow"))
    assert all(svg.get("aria-hidden") == "true" for svg in root.iter("svg"))


def numbers(d: str) -> list[int]:
    return [int(n) for n in re.findall(r"-?\d+", d)]


@pytest.mark.parametrize("key", KEYS)
def test_the_moving_figure_loops_through_paths_of_one_shape(key):
    root = ET.fromstring(F.figure_svg(key, "moving", label=LABELS[key]))
    assert root.get("data-poses") == "|".join(FIGURES[key].pose_names)
    animations = list(root.iter("animate"))
    assert animations, "nothing moves"
    for animate in animations:
        assert animate.get("attributeName") == "d"
        assert animate.get("repeatCount") == "indefinite"
        values = animate.get("values").split(";")
        times = [float(t) for t in animate.get("keyTimes").split(";")]
        assert len(times) == len(values)
        assert times[0] == 0
        assert times[-1] == 1
        assert times == sorted(times)
        assert len({len(numbers(v)) for v in values}) == 1
        assert values[0] == values[-1]


@pytest.mark.parametrize("key", KEYS)
def test_the_player_offers_each_movement_to_a_script(key):
    figure = FIGURES[key]
    root = ET.fromstring(F.figure_svg(key, "player", label=LABELS[key]))
    assert root.get("data-poses") == "|".join(figure.pose_names)
    scene = root.find("g/g[@class='figure-scene']")
    assert scene.get("data-mirror").startswith("matrix(-1 0 0 1 ")
    parts = [path.get("data-part") for path in scene.iter("path") if path.get("data-part")]
    assert {"near_thigh", "far_arm", "head"} <= set(parts)
    moves = set()
    for animate in root.iter("animate"):
        assert animate.get("begin") == "indefinite"
        assert animate.get("fill") == "freeze"
        moves.add((int(animate.get("data-from")), int(animate.get("data-to"))))
    count = len(figure.poses)
    assert (0, 1) in moves
    assert (1, 0) in moves
    assert all(0 <= a < count and 0 <= b < count for a, b in moves)


def page_x(markup: str) -> list[int]:
    """Every x of every path in document order (mirroring only moves x)."""
    xs = []
    for d in re.findall(r' d="([^"]+)"', markup):
        command, pending = "M", []
        for token in re.findall(r"[A-Za-z]|-?\d+", d):
            if token.isalpha():
                command = token
            elif command == "H":
                xs.append(int(token))
            else:
                pending.append(int(token))
                if len(pending) == 2:
                    xs.append(pending[0])
                    pending = []
    return xs


@pytest.mark.parametrize("key", PER_SIDE)
def test_a_per_side_figure_is_mirrored_for_the_other_side(key):
    left = F.figure_svg(key, "still", label="x", side="left")
    right = F.figure_svg(key, "still", label="x", side="right")
    assert left != right
    width = int(re.search(r'viewBox="0 0 (\d+) ', left).group(1))
    # The body part by part in order; the props' outlines may start from another corner.
    props_left, body_left = left.split('<g class="figure-', 1)
    props_right, body_right = right.split('<g class="figure-', 1)
    for a, b in zip(page_x(body_left), page_x(body_right), strict=True):
        assert abs(a - (width - b)) <= 1
    mirrored = sorted(width - x for x in page_x(props_right))
    for a, b in zip(sorted(page_x(props_left)), mirrored, strict=True):
        assert abs(a - b) <= 1


def test_a_figure_for_both_sides_at_once_is_the_same_for_either_side():
    both = next(key for key in KEYS if not FIGURES[key].per_side)
    assert F.figure_svg(both, "still", label="x", side="left") == F.figure_svg(
        both, "still", label="x", side="right"
    )


def test_an_exercise_without_a_figure_draws_nothing_and_a_bad_mode_is_refused():
    assert F.figure_svg("made-up-exercise", "still", label="x") == ""
    assert F.pose_names("made-up-exercise") == ()
    with pytest.raises(ValueError, match="unknown figure mode"):
        F.figure_svg("bird-dog", "spinning", label="x")
    with pytest.raises(ValueError, match="side must be"):
        F.figure_svg("bird-dog", "still", label="x", side="middle")


def test_a_list_of_every_small_figure_stays_small():
    stills = [F.figure_svg(key, "still", label=LABELS[key]) for key in KEYS]
    assert max(len(markup) for markup in stills) < 1400
    assert len(gzip.compress("".join(stills).encode())) < 20_000


def test_a_figure_drawn_before_is_served_from_the_cache():
    F.figure_svg("glute-bridge", "moving", label="Glute bridge")
    start = time.perf_counter()
    for _ in range(1000):
        F.figure_svg("glute-bridge", "moving", label="Glute bridge")
    assert (time.perf_counter() - start) / 1000 < 0.001


# --- The review sheet -------------------------------------------------------


def test_the_sheet_address_comes_before_an_exercise_slug():
    assert resolve("/library/figures/").url_name == "figure-sheet"
    assert reverse("programs:figure-sheet") == "/library/figures/"


def test_the_sheet_shows_every_exercise_pose_by_pose(client, library):
    response = client.get(reverse("programs:figure-sheet"))
    assert response.status_code == 200
    html = response.content.decode()
    for item in LIBRARY:
        assert str(django_escape(item["name"])) in html
    assert html.count('<ol class="figure-strip"') == len(LIBRARY)
    assert "Round up (cat)" in html
    assert ' style="' not in html
