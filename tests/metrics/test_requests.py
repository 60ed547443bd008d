"""Tests of metrics.requests: flows, backlog, aging, delays on both clocks, Kaplan–Meier, targets,
satisfaction and breakdowns."""

import json
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import conform, empty_frame
from metrics.period import Period
from metrics.requests import (
    AGING_BUCKETS,
    backlog_series,
    closed_within_target_by_category,
    closing_target_outcomes,
    kaplan_meier,
    km_median,
    km_median_resolution_hours,
    median_resolution_hours,
    milestone_summary,
    open_at,
    open_backlog,
    open_request_aging,
    reopen_rate,
    requests_breakdown,
    requests_by_period,
    requests_closed,
    requests_received,
    resolution_hours,
    resolution_survival_data,
    satisfaction_rate,
    share_closed_within_target,
)
from metrics.targets import Target

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


# ----------------------------------------------------------------------------------------------
# Flows, backlog over time, aging, delays on both clocks, Kaplan–Meier, targets, breakdowns


def full_requests(*rows: dict) -> pd.DataFrame:
    frame = canonical("request", rows)
    satisfaction = [row.get("satisfaction") for row in rows]
    if any(value is not None for value in satisfaction):
        frame["satisfaction"] = pd.Series(satisfaction, dtype="object")
    return frame


def request(created, closed=None, **extra):
    return {"created_at": created, "closed_at": closed, **extra}


@pytest.fixture
def desk() -> pd.DataFrame:
    # March 2026 is CET (UTC+1) until the 29th, CEST (UTC+2) after; end_utc = 31/03 22:00Z
    return full_requests(
        # r0 Mon 10:00 local; acknowledged 1 h later, first response 24 h, closed 48 h later
        request(
            "2026-03-02T09:00Z", "2026-03-04T09:00Z", acknowledged_at="2026-03-02T10:00Z",
            first_response_at="2026-03-03T09:00Z", category="voirie", district="Nord",
            channel="courriel", satisfaction=5,
        ),
        # r1 Fri 17:00 local → Mon 09:30 local: 64.5 h, 1.5 working hours
        request(
            "2026-03-06T16:00Z", "2026-03-09T08:30Z", category="voirie", district="Nord",
            channel="PHONE", satisfaction=3,
        ),
        # r2 created in February, closed in March: 28 days = 672 h, 4 weeks = 150 working h
        request(
            "2026-02-10T09:00Z", "2026-03-10T09:00Z", category="propreté", district="Sud",
            satisfaction=4,
        ),
        # r3 open, announced deadline 25/03
        request("2026-03-20T09:00Z", category="propreté", district="Sud", due_at="2026-03-25T00:00Z"),
        # r4 old and open
        request("2025-12-01T09:00Z", category="voirie", district="Sud"),
        # r5 closed after the period: open at its end
        request("2026-03-25T09:00Z", "2026-04-02T09:00Z", category="voirie", district="Nord"),
        # r6 no creation date
        request(None, "2026-03-15T09:00Z"),
        # r7 closed before it was created (data error); rating out of the scale
        request("2026-03-30T08:00Z", "2026-03-30T07:00Z", satisfaction=9),
    )  # fmt: skip


def test_desk_basic_figures(desk):
    # received r0 r1 r3 r5 r7; closed r0 r1 r2 r6 r7; open at the end r3 r4 r5
    assert requests_received(desk, MARCH) == 5
    assert requests_closed(desk, MARCH) == 5
    assert open_backlog(desk, MARCH.end_utc) == 3


def test_requests_by_week(desk):
    flows = requests_by_period(desk, MARCH, "week")
    assert [(f["start"], f["end"]) for f in flows] == [
        ("2026-03-01", "2026-03-01"),  # Sunday 1 March: the end of a week started in February
        ("2026-03-02", "2026-03-08"),
        ("2026-03-09", "2026-03-15"),
        ("2026-03-16", "2026-03-22"),
        ("2026-03-23", "2026-03-29"),
        ("2026-03-30", "2026-03-31"),
    ]
    # received: r0 r1 | — | r3 | r5 | r7
    assert [f["received"] for f in flows] == [0, 2, 0, 1, 1, 1]
    # closed: r0 | r1 r2 r6 | — | — | r7
    assert [f["closed"] for f in flows] == [0, 1, 3, 0, 0, 1]
    # open: {r2 r4} {r1 r2 r4} {r4} {r3 r4} {r3 r4 r5} {r3 r4 r5}
    assert [f["open_at_end"] for f in flows] == [2, 3, 1, 2, 3, 3]


def test_requests_by_month_and_day(desk):
    assert requests_by_period(desk, MARCH, "month") == [
        {"start": "2026-03-01", "end": "2026-03-31", "received": 5, "closed": 5, "open_at_end": 3}
    ]
    days = requests_by_period(desk, MARCH, "day")
    assert len(days) == 31
    assert sum(d["received"] for d in days) == 5 and sum(d["closed"] for d in days) == 5
    quarter = Period(date(2026, 1, 15), date(2026, 3, 31))
    months = requests_by_period(desk, quarter, "month")
    assert [(m["start"], m["end"]) for m in months] == [
        ("2026-01-15", "2026-01-31"),
        ("2026-02-01", "2026-02-28"),
        ("2026-03-01", "2026-03-31"),
    ]
    assert [m["received"] for m in months] == [0, 1, 5]  # r2 in February
    with pytest.raises(ValueError, match="Fréquence"):
        requests_by_period(desk, MARCH, "year")  # type: ignore[arg-type]


def test_backlog_series(desk):
    weekly = backlog_series(desk, MARCH, "week")
    assert [d.isoformat() for d in weekly.index] == [
        "2026-03-01", "2026-03-08", "2026-03-15", "2026-03-22", "2026-03-29", "2026-03-31",
    ]  # fmt: skip
    assert weekly.tolist() == [2, 3, 1, 2, 3, 3]
    daily = backlog_series(desk, MARCH)
    assert len(daily) == 31
    assert daily[date(2026, 3, 5)] == 2  # r0 closed on the 4th: r2, r4
    assert daily[date(2026, 3, 6)] == 3  # r1 arrives on the 6th
    assert daily.iloc[-1] == open_backlog(desk, MARCH.end_utc)


def test_open_at_matches_open_backlog(desk):
    instants_ = pd.DatetimeIndex(
        [MARCH.start_utc, pd.Timestamp("2026-03-09T08:30Z"), MARCH.end_utc]
    )
    assert open_at(desk, instants_).tolist() == [
        open_backlog(desk, at) for at in instants_
    ]  # r1 closed exactly at the 2nd instant counts as open there


def test_aging_of_open_requests(desk):
    # at 31/03 22:00Z: r5 6 d 13 h → 0–7; r3 11 d 13 h → 8–30; r4 120 d 13 h → over 90
    aging = open_request_aging(desk, MARCH.end_utc)
    assert aging == {"0_7d": 1, "8_30d": 1, "31_90d": 0, "over_90d": 1}
    assert sum(aging.values()) == open_backlog(desk, MARCH.end_utc)


def test_aging_bounds_are_whole_elapsed_days():
    at = pd.Timestamp("2026-03-31T12:00Z")
    frame = requests(
        ("2026-03-23T12:00:01Z", None),  # 7 d 23 h 59 min 59 s → 7 → 0–7
        ("2026-03-23T12:00Z", None),  # exactly 8 days → 8–30
        ("2026-01-30T12:00Z", None),  # 60 days → 31–90
        ("2025-12-31T12:00Z", None),  # exactly 90 days → 31–90
        ("2025-12-31T11:59Z", None),  # 90 d 0 h 1 min → still 90 → 31–90
        ("2025-12-30T12:00Z", None),  # 91 days → over 90
    )
    assert open_request_aging(frame, at) == {"0_7d": 1, "8_30d": 1, "31_90d": 3, "over_90d": 1}


def test_closing_delays_on_both_clocks(desk):
    summary = milestone_summary(desk, MARCH, "closed")
    # closed in March with a valid delay: r0 48 h, r1 64.5 h, r2 672 h (r6 undated, r7 negative)
    assert summary["count"] == 3
    assert summary["median_hours"] == 64.5 == median_resolution_hours(desk, MARCH)
    # P90 at rank 0.9 × 2 = 1.8: 64.5 + 0.8 × (672 − 64.5) = 550.5
    assert summary["p90_hours"] == pytest.approx(550.5)
    # working: r0 Mon 10:00 → Wed 10:00 = 2 × 7.5 = 15; r1 1.5; r2 4 weeks = 20 × 7.5 = 150
    assert summary["median_working_hours"] == 15.0
    assert summary["p90_working_hours"] == pytest.approx(15 + 0.8 * (150 - 15))


def test_acknowledgement_and_first_response_delays(desk):
    assert milestone_summary(desk, MARCH, "acknowledged") == {
        "count": 1,
        "median_hours": 1.0,
        "p90_hours": 1.0,
        "median_working_hours": 1.0,
        "p90_working_hours": 1.0,
    }
    first = milestone_summary(desk, MARCH, "first_response")
    assert (first["median_hours"], first["median_working_hours"]) == (24.0, 7.5)
    with pytest.raises(ValueError, match="Étape"):
        milestone_summary(desk, MARCH, "solved")


def test_kaplan_meier_curve_by_hand():
    # durations 2, 3 (open), 5, 5, 8 (open), 9: n = 6
    # t=2: 6 at risk, 1 closing → S = 5/6; t=5: 4 at risk, 2 closings → 5/6 × 2/4 = 5/12
    # t=9: 1 at risk → 0
    curve = kaplan_meier([2, 3, 5, 5, 8, 9], [True, False, True, True, False, True])
    assert curve["time"].tolist() == [2.0, 5.0, 9.0]
    assert curve["at_risk"].tolist() == [6, 4, 1]
    assert curve["events"].tolist() == [1, 2, 1]
    np.testing.assert_allclose(curve["survival"], [5 / 6, 5 / 12, 0.0])
    assert km_median([2, 3, 5, 5, 8, 9], [True, False, True, True, False, True]) == 5.0


def test_km_median_without_censoring_is_the_ordinary_median():
    # odd count: the middle value; even count: S = 0.5 exactly after 2 → midway to 4
    assert km_median([1, 2, 10], [True] * 3) == 2.0
    assert km_median([1, 2, 4, 10], [True] * 4) == 3.0
    assert km_median([1, 1, 1, 1], [True] * 4) == 1.0


def test_km_median_none_when_half_never_closes():
    # 1 closing at t=1 out of 3 → S = 2/3 and stays there
    assert km_median([1, 5, 7], [True, False, False]) is None
    assert km_median([], []) is None
    with pytest.raises(ValueError, match="négatives"):
        kaplan_meier([-1.0], [True])


def test_censoring_at_a_closing_time_keeps_the_request_at_risk():
    # t=4: 2 at risk (the open one censored at 4 included), 1 closing → S = 1/2 → midway
    # to the next closing time does not exist → 4
    assert km_median([4, 4], [True, False]) == 4.0


def test_km_median_resolution_on_the_desk(desk):
    data = resolution_survival_data(desk, MARCH)
    # closed in March (observed): r0 48, r1 64.5, r2 672; open at the end (censored at
    # 31/03 22:00Z): r3 277 h, r4 2893 h, r5 157 h (closed in April → open at the end)
    assert sorted(zip(data["duration"], data["observed"], strict=True)) == [
        (48.0, True), (64.5, True), (157.0, False), (277.0, False), (672.0, True), (2893.0, False),
    ]  # fmt: skip
    # S: 48 → 5/6; 64.5 → 4/6; 672 (2 at risk) → 4/6 × 1/2 = 1/3 ≤ 0.5 → 672 h,
    # against an ordinary median of 64.5 h for the closed ones only
    assert km_median_resolution_hours(desk, MARCH) == 672.0
    # working clock: r0 15, r1 1.5, r2 150 observed; r5 36, r3 58.5, r4 ≫ censored → 150
    assert km_median_resolution_hours(desk, MARCH, clock="working") == 150.0
    with pytest.raises(ValueError, match="Horloge"):
        km_median_resolution_hours(desk, MARCH, clock="sidereal")


def test_closing_targets(desk):
    # cohort created in March: r0, r1, r3, r5, r7; default 15 days; r3 has a due date;
    # as_of = latest instant of the data (r5 closed 02/04 09:00Z)
    judged = closing_target_outcomes(desk, MARCH)
    # r0 48 h met, r1 64.5 h met, r3 open past its due date missed, r5 192 h met, r7 error
    assert judged["outcome"].tolist() == ["met", "met", "missed", "met", None]
    assert share_closed_within_target(desk, MARCH) == pytest.approx(0.75)
    # voirie in 2 working days: r0 (Mon → end of Wed) met; r1 (Fri → end of Tue) met;
    # r5 (Wed 25 → end of Fri 27, closed 02/04) missed; r3 still missed → 2 ÷ 4
    targets = {"voirie": Target(2, "working_days")}
    assert share_closed_within_target(desk, MARCH, targets) == pytest.approx(0.5)
    # judged on 24/03: r3 (due 25/03) is pending, r5 not yet created then but judged on its
    # closing → 3 ÷ 3
    early = pd.Timestamp("2026-03-24T00:00Z")
    assert share_closed_within_target(desk, MARCH, as_of=early) == 1.0


def test_closed_within_target_by_category(desk):
    rows = closed_within_target_by_category(desk, MARCH)
    assert rows == [
        {"category": "voirie", "requests": 3, "target": "15 jours", "met": 3, "missed": 0,
         "pending": 0, "share_within_target": 1.0},
        {"category": "(non renseigné)", "requests": 1, "target": "15 jours", "met": 0,
         "missed": 0, "pending": 0, "share_within_target": None},
        {"category": "propreté", "requests": 1, "target": "15 jours", "met": 0, "missed": 1,
         "pending": 0, "share_within_target": 0.0},
    ]  # fmt: skip


def test_reopen_rate_is_not_available_yet(desk):
    assert reopen_rate(desk, MARCH) is None


def test_satisfaction_rate(desk):
    # closed in March and rated 1–5: r0 5, r1 3, r2 4 (r7's 9 is out of the scale) → 2 ÷ 3
    assert satisfaction_rate(desk, MARCH) == pytest.approx(2 / 3)
    assert satisfaction_rate(desk.drop(columns="satisfaction"), MARCH) is None
    strings = desk.assign(satisfaction=["4", "5", None, None, None, None, None, "x"])
    assert satisfaction_rate(strings, MARCH) == 1.0  # r0 "4" and r1 "5"


def test_breakdown_by_district(desk):
    # sizes (received or closed in March): Nord r0 r1 r5 = 3; Sud r2 r3 = 2 (r4 neither);
    # (non renseigné) r6 r7 = 2
    shown = requests_breakdown(desk, MARCH, "district", {"Nord": 12_000}, minimum_size=3)
    assert shown["hidden"] == ["(non renseigné)", "Sud"]
    assert shown["groups"] == [
        {
            "group": "Nord",
            "requests": 3,
            "received": 3,
            "closed": 2,
            "open_at_end": 1,
            "median_resolution_hours": (48 + 64.5) / 2,
            "share_closed_within_target": 1.0,
            "population": 12_000,
            "received_per_1000": 3 / 12_000 * 1000,  # 0.25
        }
    ]
    everything = requests_breakdown(desk, MARCH, "district", minimum_size=2)
    assert everything["hidden"] == []
    south = next(g for g in everything["groups"] if g["group"] == "Sud")
    # Sud: r3 received; r2 closed (672 h); r3, r4 open; r3 missed its due date
    assert (south["received"], south["closed"], south["open_at_end"]) == (1, 1, 2)
    assert south["median_resolution_hours"] == 672.0
    assert south["share_closed_within_target"] == 0.0
    assert "received_per_1000" not in south
    default = requests_breakdown(desk, MARCH, "district")  # minimum 10: all hidden
    assert default["groups"] == [] and len(default["hidden"]) == 3
    assert json.loads(json.dumps(shown)) == shown


def test_several_breakdowns_at_once_equal_one_at_a_time(desk):
    from metrics.requests import requests_breakdowns

    columns = ("category", "district", "channel")
    together = requests_breakdowns(
        desk, MARCH, columns, {"district": {"Nord": 12_000}}, minimum_size=1
    )
    assert list(together) == list(columns)
    for by in columns:
        alone = requests_breakdown(
            desk, MARCH, by, {"Nord": 12_000} if by == "district" else None, minimum_size=1
        )
        assert together[by] == alone


def test_breakdown_by_channel_uses_category_targets(desk):
    # courriel: r0 (voirie, 48 h) — with voirie at 1 h, it misses its target
    got = requests_breakdown(desk, MARCH, "channel", minimum_size=1, targets={"voirie": 1})
    courriel = next(g for g in got["groups"] if g["group"] == "courriel")
    assert courriel["share_closed_within_target"] == 0.0


def test_new_figures_on_an_empty_frame():
    empty = empty_frame("request")
    assert open_request_aging(empty, MARCH.end_utc) == {k: 0 for k, _, _ in AGING_BUCKETS}
    assert backlog_series(empty, MARCH).sum() == 0
    assert km_median_resolution_hours(empty, MARCH) is None
    assert milestone_summary(empty, MARCH)["median_hours"] is None
    assert share_closed_within_target(empty, MARCH) is None
    assert requests_breakdown(empty, MARCH) == {
        "by": "category",
        "minimum_size": 10,
        "groups": [],
        "hidden": [],
    }


labelled_request = st.tuples(
    consistent_request,
    st.sampled_from(["voirie", "propreté", None]),
    st.sampled_from(["Nord", "Sud", "Est", None]),
)


def labelled_frame(rows) -> pd.DataFrame:
    frame = random_frame([row[0] for row in rows])
    frame["category"] = pd.Series([row[1] for row in rows], dtype="str")
    frame["district"] = pd.Series([row[2] for row in rows], dtype="str")
    return frame


@settings(deadline=None)
@given(rows=st.lists(labelled_request, max_size=30), minimum=st.integers(0, 6))
def test_requests_library_invariants(rows, minimum):
    frame = labelled_frame(rows)
    end = MARCH.end_utc
    backlog = open_backlog(frame, end)
    # aging sums to the backlog; the series ends on it; the flows add up
    assert sum(open_request_aging(frame, end).values()) == backlog
    assert backlog_series(frame, MARCH).iloc[-1] == backlog
    weekly = requests_by_period(frame, MARCH, "week")
    assert sum(w["received"] for w in weekly) == requests_received(frame, MARCH)
    assert sum(w["closed"] for w in weekly) == requests_closed(frame, MARCH)
    assert weekly[-1]["open_at_end"] == backlog
    # delays
    summary = milestone_summary(frame, MARCH)
    if summary["count"]:
        assert 0 <= summary["median_working_hours"] <= summary["median_hours"] + 1e-9
        assert summary["median_hours"] <= summary["p90_hours"] + 1e-9
    km = km_median_resolution_hours(frame, MARCH)
    assert km is None or km >= 0
    # shares
    for share in (share_closed_within_target(frame, MARCH),):
        assert share is None or 0.0 <= share <= 1.0
    # breakdown: every touched request is in exactly one group, shown or hidden
    touched = int((MARCH.contains(frame["created_at"]) | MARCH.contains(frame["closed_at"])).sum())
    everything = requests_breakdown(frame, MARCH, "district", minimum_size=0)
    assert sum(g["requests"] for g in everything["groups"]) == touched
    assert sum(g["received"] for g in everything["groups"]) == requests_received(frame, MARCH)
    split = requests_breakdown(frame, MARCH, "district", minimum_size=minimum)
    sizes = {g["group"]: g["requests"] for g in everything["groups"]}
    assert all(g["requests"] >= minimum for g in split["groups"])
    assert all(sizes[name] < minimum for name in split["hidden"])
    assert len(split["groups"]) + len(split["hidden"]) == len(everything["groups"])


@settings(deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=25 * MINUTES),
            st.integers(min_value=0, max_value=5 * MINUTES),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_km_median_equals_the_ordinary_median_when_nothing_is_censored(rows):
    # every request created and closed within March → nothing open at its end
    frame = random_frame(rows)
    assert open_backlog(frame, MARCH.end_utc) == 0
    assert km_median_resolution_hours(frame, MARCH) == pytest.approx(
        median_resolution_hours(frame, MARCH)
    )


@settings(deadline=None)
@given(rows=st.lists(consistent_request, max_size=30))
def test_km_median_is_not_below_the_ordinary_median_when_open_requests_are_older(rows):
    frame = random_frame(rows)
    data = resolution_survival_data(frame, MARCH)
    ordinary = median_resolution_hours(frame, MARCH)
    censored = data.loc[~data["observed"], "duration"]
    km = km_median_resolution_hours(frame, MARCH)
    assert km is None or km >= 0
    if ordinary is not None and (censored >= ordinary).all() and km is not None:
        assert km >= ordinary - 1e-9


def test_weakest_group_lowest_share_then_longest_median():
    from metrics.requests import weakest_group

    groups = [
        {"group": "Voirie", "share_closed_within_target": 0.5, "median_resolution_hours": 10.0},
        {"group": "Bruit", "share_closed_within_target": 0.5, "median_resolution_hours": 30.0},
        {"group": "Propreté", "share_closed_within_target": 0.9, "median_resolution_hours": 99.0},
        {"group": "Éclairage", "share_closed_within_target": None, "median_resolution_hours": 1.0},
    ]
    assert weakest_group({"groups": groups})["group"] == "Bruit"
    assert weakest_group({"groups": groups[3:]}) is None
    assert weakest_group({"groups": []}) is None
