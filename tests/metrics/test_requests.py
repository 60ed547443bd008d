"""Tests of metrics.requests: received, closed, open backlog and resolution time."""

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import conform, empty_frame
from metrics.period import Period
from metrics.requests import (
    median_resolution_hours,
    open_backlog,
    requests_closed,
    requests_received,
    resolution_hours,
)

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
UTC_TS = "datetime64[us, UTC]"


def canonical(kind: str, rows) -> pd.DataFrame:
    # ISO strings with and without fractions or offsets are parsed here, explicitly.
    frame = pd.DataFrame(list(rows))
    for column in frame.columns:
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return conform(frame, kind)


def requests(*rows: tuple) -> pd.DataFrame:
    return canonical("request", ({"created_at": c, "closed_at": d} for c, d in rows))


def instants(*values) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True, format="ISO8601")).astype(UTC_TS)


@pytest.fixture
def march_requests() -> pd.DataFrame:
    return requests(
        ("2026-02-20T10:00:00Z", "2026-03-05T10:00:00Z"),  # r0: Feb → closed in March, 13 d = 312 h
        ("2026-03-01T00:00:00+01:00", "2026-03-01T06:00:00+01:00"),  # r1: first instant, 6 h
        ("2026-03-10T08:00:00Z", None),  # r2: still open
        ("2026-03-20T08:00:00Z", "2026-04-01T00:00:00+02:00"),  # r3: closed exactly at end_utc
        ("2026-03-25T08:00:00Z", "2026-03-24T08:00:00Z"),  # r4: closed before created (error)
        ("2026-04-01T00:00:00+02:00", None),  # r5: created exactly at end_utc → April
        (None, "2026-03-15T00:00:00Z"),  # r6: no creation date, closed in March
        ("2026-01-10T08:00:00Z", None),  # r7: old and still open
    )


def test_received_in_period(march_requests):
    # r1, r2, r3, r4 (r0 February, r5 April, r6 undated, r7 January)
    assert requests_received(march_requests, MARCH) == 4


def test_closed_in_period_whatever_the_creation_date(march_requests):
    # r0 (created in Feb), r1, r4, r6 (undated creation); r3 closes at 01/04 00:00 → April
    assert requests_closed(march_requests, MARCH) == 4


def test_backlog_at_end_of_period(march_requests):
    # at = 01/04 00:00 Paris: r2 open, r3 closed exactly at `at` → still open, r7 open = 3;
    # r5 created exactly at `at` is not "before", r6 has no creation date.
    assert open_backlog(march_requests, MARCH.end_utc) == 3


def test_backlog_at_start_and_the_stock_identity(march_requests):
    # at = 01/03 00:00 Paris: r0 (closed later) and r7 are open = 2; r1 created exactly at `at`.
    assert open_backlog(march_requests, MARCH.start_utc) == 2
    # end = start + received − closed holds once the undated r6 is left out: 2 + 4 − 3 = 3.
    dated = march_requests.drop(index=6)
    assert open_backlog(dated, MARCH.end_utc) == (
        open_backlog(dated, MARCH.start_utc)
        + requests_received(dated, MARCH)
        - requests_closed(dated, MARCH)
    )


def test_request_closed_exactly_at_the_instant_is_open_then_closed_just_after():
    frame = requests(("2026-03-01T10:00Z", "2026-03-31T22:00Z"))  # 31/03 22:00Z = 01/04 00:00 CEST
    at = MARCH.end_utc
    assert open_backlog(frame, at - pd.Timedelta(microseconds=1)) == 1
    assert open_backlog(frame, at) == 1
    assert open_backlog(frame, at + pd.Timedelta(microseconds=1)) == 0


def test_backlog_accepts_a_tz_aware_datetime_and_refuses_a_naive_one(march_requests):
    aware = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
    assert open_backlog(march_requests, aware) == 3
    with pytest.raises(ValueError, match="fuseau"):
        open_backlog(march_requests, pd.Timestamp("2026-04-01"))


def test_median_resolution(march_requests):
    # closed in March: r0 312 h, r1 6 h, r4 negative (excluded), r6 undated (excluded)
    # → median(6, 312) = (6 + 312) / 2 = 159
    assert median_resolution_hours(march_requests, MARCH) == pytest.approx(159.0)


def test_resolution_hours_elementwise():
    created = instants("2026-03-01T10:00Z", "2026-03-01T10:00Z", "2026-03-01T10:00Z", None)
    closed = instants("2026-03-03T16:00Z", None, "2026-03-01T09:59Z", "2026-03-02T10:00Z")
    got = resolution_hours(created, closed)
    # 2 d 6 h = 54 h; open → NaN; negative → NaN; undated creation → NaN
    np.testing.assert_array_equal(got.to_numpy(), [54.0, np.nan, np.nan, np.nan])


def test_resolution_across_the_autumn_change_counts_25_hours():
    frame = requests(("2026-10-24T12:00:00+02:00", "2026-10-25T12:00:00+01:00"))
    october = Period(date(2026, 10, 1), date(2026, 10, 31))
    assert median_resolution_hours(frame, october) == pytest.approx(25.0)


def test_new_york_period():
    period = Period(date(2026, 3, 8), date(2026, 3, 8), "America/New_York")
    frame = requests(
        ("2026-03-08T00:00:00-05:00", "2026-03-08T23:59:59-04:00"),  # in / in
        ("2026-03-07T23:59:59-05:00", "2026-03-09T00:00:00-04:00"),  # out / out (next day)
    )
    assert requests_received(frame, period) == 1
    assert requests_closed(frame, period) == 1
    # at 09/03 00:00 EDT the second request closes exactly then → still open
    assert open_backlog(frame, period.end_utc) == 1


def test_empty_frame():
    empty = empty_frame("request")
    assert requests_received(empty, MARCH) == 0
    assert requests_closed(empty, MARCH) == 0
    assert open_backlog(empty, MARCH.end_utc) == 0
    assert median_resolution_hours(empty, MARCH) is None


def test_all_missing_closing_dates():
    frame = requests(("2026-03-02T10:00Z", None), ("2026-02-02T10:00Z", None))
    assert requests_received(frame, MARCH) == 1
    assert requests_closed(frame, MARCH) == 0
    assert open_backlog(frame, MARCH.end_utc) == 2
    assert median_resolution_hours(frame, MARCH) is None


def test_return_types_are_plain_python(march_requests):
    assert type(requests_received(march_requests, MARCH)) is int
    assert type(requests_closed(march_requests, MARCH)) is int
    assert type(open_backlog(march_requests, MARCH.end_utc)) is int
    assert type(median_resolution_hours(march_requests, MARCH)) is float


BASE = pd.Timestamp("2026-03-01T00:00Z")
MINUTES = 24 * 60
# (created offset, duration until closing or None = still open), in minutes around March
consistent_request = st.tuples(
    st.integers(min_value=-40 * MINUTES, max_value=70 * MINUTES),
    st.one_of(st.none(), st.integers(min_value=0, max_value=60 * MINUTES)),
)
# anything goes: undated creation, closing before creation
messy_request = st.tuples(
    st.one_of(st.none(), st.integers(min_value=-40 * MINUTES, max_value=70 * MINUTES)),
    st.one_of(st.none(), st.integers(min_value=-5 * MINUTES, max_value=60 * MINUTES)),
)


def random_frame(rows) -> pd.DataFrame:
    def at(minutes):
        return None if minutes is None else BASE + pd.Timedelta(minutes=minutes)

    return requests(
        *(
            (at(created), at(None if created is None or age is None else created + age))
            for created, age in rows
        )
    )


@settings(deadline=None)
@given(rows=st.lists(consistent_request, max_size=30))
def test_stock_identity_on_random_data(rows):
    # With dated, consistent requests: open at end = open at start + received − closed.
    frame = random_frame(rows)
    assert open_backlog(frame, MARCH.end_utc) == (
        open_backlog(frame, MARCH.start_utc)
        + requests_received(frame, MARCH)
        - requests_closed(frame, MARCH)
    )


@settings(deadline=None)
@given(
    rows=st.lists(messy_request, max_size=30),
    age=st.integers(min_value=1, max_value=90 * MINUTES),
    still_open_for=st.one_of(st.none(), st.integers(min_value=0, max_value=10 * MINUTES)),
)
def test_request_open_at_end_is_counted_exactly_once(rows, age, still_open_for):
    frame = random_frame(rows)
    at = MARCH.end_utc
    before = open_backlog(frame, at)
    # brute-force reference, row by row (fine in a test)
    expected = sum(
        1
        for created, closed in zip(frame["created_at"], frame["closed_at"], strict=True)
        if not pd.isna(created) and created < at and (pd.isna(closed) or closed >= at)
    )
    assert before == expected
    closed_at = None if still_open_for is None else at + pd.Timedelta(minutes=still_open_for)
    open_one = requests((at - pd.Timedelta(minutes=age), closed_at))
    assert open_backlog(pd.concat([frame, open_one], ignore_index=True), at) == before + 1
    closed_one = requests((at - pd.Timedelta(minutes=age), at - pd.Timedelta(microseconds=1)))
    assert open_backlog(pd.concat([frame, closed_one], ignore_index=True), at) == before


@settings(deadline=None)
@given(rows=st.lists(messy_request, max_size=30))
def test_request_invariants_on_messy_data(rows):
    frame = random_frame(rows)
    received = requests_received(frame, MARCH)
    closed = requests_closed(frame, MARCH)
    assert 0 <= received <= len(frame)
    assert 0 <= closed <= len(frame)
    assert 0 <= open_backlog(frame, MARCH.end_utc) <= len(frame)
    # received = created in period, closed = closed in period, whatever the other date
    assert received == int(MARCH.contains(frame["created_at"]).sum())
    assert closed == int(MARCH.contains(frame["closed_at"]).sum())
    hours = resolution_hours(frame["created_at"], frame["closed_at"]).dropna()
    assert (hours >= 0).all()
    median = median_resolution_hours(frame, MARCH)
    assert median is None or median >= 0
    assert (median is None) == resolution_hours(frame["created_at"], frame["closed_at"])[
        MARCH.contains(frame["closed_at"])
    ].isna().all()
