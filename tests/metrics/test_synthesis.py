"""Tests of metrics.synthesis: the Synthèse figures and their change against the previous period."""

import json
from datetime import date

import pandas as pd
import pytest

from ingest.canonical import conform, empty_frame
from metrics.period import Period
from metrics.synthesis import (
    FIGURE_KEYS,
    FIGURES,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    RATE_KEYS,
    FigureChange,
    figure_changes,
    synthesis_figures,
)

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def canonical(kind: str, rows) -> pd.DataFrame:
    # ISO strings with and without fractions or offsets are parsed here, explicitly.
    frame = pd.DataFrame(list(rows))
    for column in frame.columns:
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return conform(frame, kind)


@pytest.fixture
def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    publications = canonical(
        "publication",
        [
            # March: 10+2+0 = 12 over reach 200 / impressions 400
            {"published_at": "2026-03-05T10:00Z", "reach": 200, "impressions": 400,
             "reactions": 10, "comments": 2, "shares": 0},
            # March: 6 interactions, reach 100, impressions unknown
            {"published_at": "2026-03-06T10:00Z", "reach": 100, "reactions": 6},
            # February (previous period 29/01–28/02): 4 over reach 100 / impressions 100
            {"published_at": "2026-02-10T10:00Z", "reach": 100, "impressions": 100,
             "reactions": 4},
        ],
    )  # fmt: skip
    messages = canonical(
        "message",
        [
            {"sent_at": "2026-03-02T08:00Z", "replied_at": "2026-03-02T10:00Z", "is_staff": False},
            {"sent_at": "2026-03-03T08:00Z", "replied_at": "2026-03-03T14:00Z", "is_staff": False},
            {"sent_at": "2026-03-04T08:00Z", "replied_at": None, "is_staff": False},
            {"sent_at": "2026-03-04T09:00Z", "replied_at": None, "is_staff": True},
            {"sent_at": "2026-02-04T08:00Z", "replied_at": "2026-02-05T08:00Z", "is_staff": False},
        ],
    )
    requests = canonical(
        "request",
        [
            {"created_at": "2026-02-01T08:00Z", "closed_at": "2026-03-02T08:00Z"},  # 29 d = 696 h
            {"created_at": "2026-03-10T08:00Z", "closed_at": "2026-03-10T20:00Z"},  # 12 h
            {"created_at": "2026-03-20T08:00Z", "closed_at": None},
            {"created_at": "2026-02-15T08:00Z", "closed_at": "2026-02-16T08:00Z"},  # Feb, 24 h
        ],
    )
    return publications, messages, requests


def test_figure_keys_are_the_foundation_set():
    assert FIGURE_KEYS == (
        "publications",
        "interactions",
        "engagement_rate_reach",
        "engagement_rate_impressions",
        "messages_received",
        "messages_answered",
        "share_answered",
        "median_first_response_hours",
        "requests_received",
        "requests_closed",
        "open_backlog",
        "median_resolution_hours",
    )
    assert set(FIGURES) == set(FIGURE_KEYS)
    assert set(RATE_KEYS) == {
        "engagement_rate_reach",
        "engagement_rate_impressions",
        "share_answered",
    }
    assert set(HIGHER_IS_BETTER) == {
        "publications",
        "interactions",
        "engagement_rate_reach",
        "engagement_rate_impressions",
        "messages_answered",
        "share_answered",
        "requests_closed",
    }
    assert set(LOWER_IS_BETTER) == {
        "median_first_response_hours",
        "open_backlog",
        "median_resolution_hours",
    }


def test_synthesis_figures_for_march(frames):
    figures = synthesis_figures(*frames, MARCH)
    assert list(figures) == list(FIGURE_KEYS)
    assert figures == {
        "publications": 2,
        "interactions": 18,  # 12 + 6
        "engagement_rate_reach": pytest.approx(18 / 300),  # (12 + 6) / (200 + 100)
        "engagement_rate_impressions": pytest.approx(12 / 400),  # 2nd post has no impressions
        "messages_received": 3,  # the staff message is not counted
        "messages_answered": 2,
        "share_answered": pytest.approx(2 / 3),
        "median_first_response_hours": pytest.approx(4.0),  # median(2, 6) = 4
        "requests_received": 2,  # 10/03 and 20/03
        "requests_closed": 2,  # 02/03 (created in February) and 10/03
        "open_backlog": 1,  # the 20/03 request, at 01/04 00:00 Paris
        "median_resolution_hours": pytest.approx(354.0),  # median(696, 12) = 354
    }


def test_synthesis_figures_are_json_ready(frames):
    figures = synthesis_figures(*frames, MARCH)
    for key, value in figures.items():
        assert value is None or type(value) in (int, float), key
    assert json.loads(json.dumps(figures)) == figures


def test_synthesis_figures_on_empty_frames():
    figures = synthesis_figures(
        empty_frame("publication"), empty_frame("message"), empty_frame("request"), MARCH
    )
    assert figures == {
        "publications": 0,
        "interactions": 0,
        "engagement_rate_reach": None,
        "engagement_rate_impressions": None,
        "messages_received": 0,
        "messages_answered": 0,
        "share_answered": None,
        "median_first_response_hours": None,
        "requests_received": 0,
        "requests_closed": 0,
        "open_backlog": 0,
        "median_resolution_hours": None,
    }
    json.dumps(figures)


def test_changes_against_previous_period(frames):
    current = synthesis_figures(*frames, MARCH)
    previous = synthesis_figures(*frames, MARCH.previous())  # 29/01 – 28/02
    changes = figure_changes(current, previous)
    assert list(changes) == list(FIGURE_KEYS)
    # publications 2 vs 1: +1, +100 %, better
    assert changes["publications"] == FigureChange(delta=1, relative=1.0, better=True)
    # reach rate 0.06 vs 0.04: +0.02 points, no relative change for rates
    assert changes["engagement_rate_reach"].delta == pytest.approx(0.02)
    assert changes["engagement_rate_reach"].relative is None
    assert changes["engagement_rate_reach"].better is True
    # messages received 3 vs 1: neutral volume
    assert changes["messages_received"] == FigureChange(delta=2, relative=2.0, better=None)
    # first response: 4 h vs 24 h → −20 h, −83 %, better
    assert changes["median_first_response_hours"].delta == pytest.approx(-20.0)
    assert changes["median_first_response_hours"].relative == pytest.approx(-20 / 24)
    assert changes["median_first_response_hours"].better is True
    # backlog at 01/04: 1; at 01/03: the 01/02 request (closed 02/03) = 1 → no change
    assert changes["open_backlog"] == FigureChange(delta=0, relative=0.0, better=None)


@pytest.mark.parametrize(
    ("key", "current", "previous", "expected"),
    [
        # 12 vs 10 publications: +2, +20 %, better
        ("publications", 12, 10, FigureChange(2, 0.2, True)),
        # 8 vs 10 answered: −2, −20 %, worse
        ("messages_answered", 8, 10, FigureChange(-2, -0.2, False)),
        # backlog 30 vs 40: −10, −25 %, better (lower is better)
        ("open_backlog", 30, 40, FigureChange(-10, -0.25, True)),
        # resolution 30 h vs 20 h: +10 h, +50 %, worse
        ("median_resolution_hours", 30.0, 20.0, FigureChange(10.0, 0.5, False)),
        # requests received 5 vs 4: +1, +25 %, neutral
        ("requests_received", 5, 4, FigureChange(1, 0.25, None)),
        # share answered 0.75 vs 0.5: +0.25 points, no relative, better
        ("share_answered", 0.75, 0.5, FigureChange(0.25, None, True)),
        # previous 0: delta only
        ("publications", 3, 0, FigureChange(3, None, True)),
        # missing value on either side: nothing to say
        ("share_answered", None, 0.5, FigureChange(None, None, None)),
        ("median_first_response_hours", 4.0, None, FigureChange(None, None, None)),
        # no change: neither better nor worse
        ("interactions", 7, 7, FigureChange(0, 0.0, None)),
    ],
)
def test_figure_change_rules(key, current, previous, expected):
    assert figure_changes({key: current}, {key: previous})[key] == expected


def test_figure_changes_missing_previous_key_and_unknown_key():
    assert figure_changes({"publications": 3}, {})["publications"] == FigureChange(None, None, None)
    with pytest.raises(KeyError, match="inconnu"):
        figure_changes({"followers": 3}, {"followers": 2})
