"""Warm up first, cool down after: the rule every program follows."""

import pytest

from programs.phases import phase_order_problem


@pytest.mark.parametrize(
    "phases",
    [
        ["warmup", "cooldown"],
        ["warmup", "main", "cooldown"],
        ["warmup", "warmup", "main", "main", "cooldown", "cooldown"],
    ],
)
def test_it_accepts_warm_up_first_and_cool_down_last(phases):
    assert phase_order_problem(phases) is None


def test_it_rejects_a_program_with_no_steps():
    assert "at least a warm-up" in phase_order_problem([])


def test_it_rejects_a_program_without_a_warm_up_first():
    assert "Start with a warm-up" in phase_order_problem(["main", "cooldown"])


def test_it_rejects_a_program_without_a_cool_down_last():
    assert "End with a cool-down" in phase_order_problem(["warmup", "main"])


def test_it_names_the_step_that_is_out_of_order():
    problem = phase_order_problem(["warmup", "main", "warmup", "main", "cooldown"])
    assert "Step 3 is out of order" in problem


def test_it_rejects_a_cool_down_in_the_middle():
    problem = phase_order_problem(["warmup", "cooldown", "main", "cooldown"])
    assert "Step 3 is out of order" in problem
