"""Tests of metrics.targets: deadlines per unit and met / missed / pending outcomes."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.targets import (
    Target,
    as_target,
    deadlines,
    latest_instant,
    outcome_counts,
    outcomes,
    row_deadlines,
    share_met,
    targets_for,
)
from metrics.working_time import WorkingCalendar

UTC_TS = "datetime64[us, UTC]"
PARIS = WorkingCalendar()


def instants(*values) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True, format="ISO8601")).astype(UTC_TS)


def test_labels():
    assert Target(24).label == "24 h"
    assert Target(15, "days").label == "15 jours"
    assert Target(1, "days").label == "1 jour"
    assert Target(5, "working_days").label == "5 jours ouvrés"
    assert Target(7.5, "working_hours").label == "7,5 h ouvrées"


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        (-1, "hours"),
        (float("nan"), "hours"),
        (2.5, "working_days"),
        (0, "working_days"),
        (1, "weeks"),
    ],
)
def test_invalid_targets(amount, unit):
    with pytest.raises(ValueError):
        Target(amount, unit)


def test_as_target():
    assert as_target(48) == Target(48.0, "hours")
    assert as_target(None) is None
    assert as_target(Target(5, "working_days")) == Target(5, "working_days")
    with pytest.raises(TypeError):
        as_target("5 jours")  # type: ignore[arg-type]


def test_deadlines_per_unit():
    start = instants("2026-03-06T16:00+01:00")  # Friday 16:00
    # 24 h → Saturday 16:00; 15 days = 15 × 24 h → Saturday 21 March 16:00
    assert deadlines(start, Target(24), PARIS).iloc[0] == pd.Timestamp("2026-03-07T16:00+01:00")
    assert deadlines(start, Target(15, "days"), PARIS).iloc[0] == pd.Timestamp(
        "2026-03-21T16:00+01:00"
    )
    # 2 working hours: 1.5 h on Friday (16:00–17:30), 0.5 h on Monday → 09:00
    assert deadlines(start, Target(2, "working_hours"), PARIS).iloc[0] == pd.Timestamp(
        "2026-03-09T09:00+01:00"
    )
    # 1 working day: the end of Monday 9 March
    assert deadlines(start, Target(1, "working_days"), PARIS).iloc[0] == pd.Timestamp(
        "2026-03-09T23:59:59.999999+01:00"
    )


def test_days_are_24_hours_even_over_the_dst_change():
    start = instants("2026-03-28T12:00+01:00")
    # 1 day = 24 h → 29 March 13:00 CEST (12:00 + 24 h, the clock jumped)
    assert deadlines(start, Target(1, "days"), PARIS).iloc[0] == pd.Timestamp(
        "2026-03-29T13:00+02:00"
    )


def test_outcomes():
    start = instants(*["2026-03-02T10:00Z"] * 6, None)
    end = instants(
        "2026-03-02T20:00Z",  # 10 h → met (deadline 24 h)
        "2026-03-03T10:00Z",  # exactly 24 h → met (the deadline is inclusive)
        "2026-03-04T10:00Z",  # 48 h → missed
        None,  # unanswered, deadline 03/03 10:00 passed at as_of → missed
        "2026-03-01T10:00Z",  # answer before the message: data error → not judged
        None,  # see below with a later start
        None,
    )
    start.iloc[5] = pd.Timestamp("2026-03-09T12:00Z")  # deadline 10/03 12:00 after as_of → pending
    deadline = deadlines(start, Target(24), PARIS)
    got = outcomes(start, end, deadline, pd.Timestamp("2026-03-10T00:00Z"))
    assert got.tolist() == ["met", "met", "missed", "missed", None, "pending", None]
    assert outcome_counts(got) == {"met": 2, "missed": 2, "pending": 1}
    assert share_met(got) == 0.5  # 2 ÷ (2 + 2)


def test_share_met_none_when_nothing_is_judged():
    assert share_met(pd.Series(["pending", None], dtype=object)) is None
    assert share_met(pd.Series([], dtype=object)) is None


def test_row_deadlines_with_due_dates_and_missing_targets():
    start = instants("2026-03-02T10:00Z", "2026-03-02T10:00Z", "2026-03-02T10:00Z")
    targets = pd.Series([Target(24), None, Target(48)], dtype=object)
    due = instants(None, None, "2026-03-02T12:00Z")
    got = row_deadlines(start, targets, PARIS, due=due)
    assert got.iloc[0] == pd.Timestamp("2026-03-03T10:00Z")  # 24 h
    assert pd.isna(got.iloc[1])  # no target, no due date
    assert got.iloc[2] == pd.Timestamp("2026-03-02T12:00Z")  # the due date wins over 48 h


def test_targets_for_and_latest_instant():
    keys = pd.Series(["voirie", "propreté", None], dtype="str")
    got = targets_for(keys, {"voirie": 48}, Target(15, "days"))
    assert got.tolist() == [Target(48.0), Target(15, "days"), Target(15, "days")]
    frame = pd.DataFrame(
        {"a": instants("2026-03-01T00:00Z", None), "b": instants(None, "2026-03-05T00:00Z")}
    )
    assert latest_instant(frame, ("a", "b", "absent")) == pd.Timestamp("2026-03-05T00:00Z")
    assert latest_instant(frame.iloc[0:0], ("a",)) is None


MINUTES = st.integers(min_value=0, max_value=30 * 24 * 60)


@settings(deadline=None)
@given(
    rows=st.lists(
        st.tuples(MINUTES, st.one_of(st.none(), st.integers(-600, 20 * 24 * 60))), max_size=25
    ),
    amount=st.integers(min_value=1, max_value=10),
    unit=st.sampled_from(["hours", "days", "working_hours", "working_days"]),
    as_of=MINUTES,
)
def test_outcome_invariants(rows, amount, unit, as_of):
    base = pd.Timestamp("2026-03-01T00:00Z")
    start = instants(*(base + pd.Timedelta(minutes=s) for s, _ in rows))
    end = instants(*(None if d is None else base + pd.Timedelta(minutes=s + d) for s, d in rows))
    target = Target(amount, unit)
    deadline = deadlines(start, target, PARIS)
    assert (deadline.dropna() >= start[deadline.notna()]).all()
    got = outcomes(start, end, deadline, base + pd.Timedelta(minutes=as_of))
    counts = outcome_counts(got)
    assert sum(counts.values()) == int(got.notna().sum())
    share = share_met(got)
    assert share is None or 0.0 <= share <= 1.0
    # an answered row is never pending; an answer dated before the start is never judged
    answered = end.notna().to_numpy()
    assert not (got[answered] == "pending").any()
    assert got[(end < start).to_numpy()].isna().all()
