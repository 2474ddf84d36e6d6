"""The one way flowmap prints durations, shares and changes for people."""

import doctest

import pytest

from flowmap import formatting
from flowmap.formatting import duration, duration_delta, points, share


def test_doctests():
    assert doctest.testmod(formatting).failed == 0


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0m"),
        (0.5, "30s"),
        (0.001, "1s"),
        (1, "1m"),
        (15, "15m"),
        (59.6, "1h"),
        (60, "1h"),
        (90, "1h 30m"),
        (1440, "1d"),
        (1445, "1d 5m"),
        (2880 + 180 + 7, "2d 3h"),
        (10080, "7d"),
        (None, "n/a"),
        (float("inf"), "n/a"),
        (float("nan"), "n/a"),
    ],
)
def test_duration(minutes, text):
    assert duration(minutes) == text


def test_duration_delta_is_signed():
    assert duration_delta(90) == "+1h 30m"
    assert duration_delta(-1440) == "-1d"
    assert duration_delta(0) == "0m"


def test_share_and_points():
    assert share(0.253) == "25%"
    assert share(1) == "100%"
    assert share(None) == "n/a"
    assert points(0.12) == "+12 pts"
    assert points(-0.12) == "-12 pts"
    assert points(0.004) == "+0.4 pts"
    assert points(0) == "+0 pts"
