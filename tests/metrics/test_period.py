"""Tests of metrics.period: local-day bounds in UTC, DST days, previous period, membership."""

from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.period import Period, last_complete_month

UTC_TS = "datetime64[us, UTC]"
ZONES = ("Europe/Paris", "America/New_York", "Indian/Reunion", "Pacific/Noumea", "America/Cayenne")


def instants(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True, format="ISO8601")).astype(UTC_TS)


def utc(value: str) -> pd.Timestamp:
    return pd.Timestamp(value).tz_convert("UTC")


# --- bounds ---------------------------------------------------------------------------------


def test_winter_day_starts_at_local_midnight():
    # Paris is UTC+1 in January: 15/01 00:00 local = 14/01 23:00 UTC.
    period = Period(date(2026, 1, 15), date(2026, 1, 15))
    assert period.start_utc == utc("2026-01-14T23:00Z")
    assert period.end_utc == utc("2026-01-15T23:00Z")


def test_summer_day_starts_at_local_midnight():
    # Paris is UTC+2 in July: 14/07 00:00 local = 13/07 22:00 UTC.
    period = Period(date(2026, 7, 14), date(2026, 7, 14))
    assert period.start_utc == utc("2026-07-13T22:00Z")
    assert period.end_utc == utc("2026-07-14T22:00Z")


def test_bounds_are_tz_aware_utc_timestamps():
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert isinstance(period.start_utc, pd.Timestamp)
    assert str(period.start_utc.tz) == "UTC"
    assert str(period.end_utc.tz) == "UTC"


def test_spring_dst_day_lasts_23_hours_in_paris():
    # 29/03/2026: 00:00 is UTC+1 (28/03 23:00Z), the next midnight is UTC+2 (29/03 22:00Z).
    period = Period(date(2026, 3, 29), date(2026, 3, 29))
    assert period.start_utc == utc("2026-03-28T23:00Z")
    assert period.end_utc == utc("2026-03-29T22:00Z")
    assert period.end_utc - period.start_utc == pd.Timedelta(hours=23)


def test_autumn_dst_day_lasts_25_hours_in_paris():
    # 25/10/2026: 00:00 is UTC+2 (24/10 22:00Z), the next midnight is UTC+1 (25/10 23:00Z).
    period = Period(date(2026, 10, 25), date(2026, 10, 25))
    assert period.start_utc == utc("2026-10-24T22:00Z")
    assert period.end_utc == utc("2026-10-25T23:00Z")
    assert period.end_utc - period.start_utc == pd.Timedelta(hours=25)


def test_month_spanning_spring_change_is_one_hour_short():
    # March 2026 in Paris: 31 days × 24 h − 1 h = 743 h.
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert period.end_utc - period.start_utc == pd.Timedelta(hours=743)


def test_new_york_period_uses_its_own_offsets():
    # 08/03/2026 is the US spring change: midnight is EST (−5) → 05:00Z; next midnight EDT (−4).
    period = Period(date(2026, 3, 8), date(2026, 3, 8), "America/New_York")
    assert period.start_utc == utc("2026-03-08T05:00Z")
    assert period.end_utc == utc("2026-03-09T04:00Z")
    # 01/11/2026 US autumn change: 00:00 EDT = 04:00Z, 02/11 00:00 EST = 05:00Z → 25 h.
    autumn = Period(date(2026, 11, 1), date(2026, 11, 1), "America/New_York")
    assert autumn.start_utc == utc("2026-11-01T04:00Z")
    assert autumn.end_utc - autumn.start_utc == pd.Timedelta(hours=25)


def test_midnight_inside_a_dst_gap_maps_to_the_first_existing_instant():
    # São Paulo, 04/11/2018: clocks jumped from 00:00 (−3) to 01:00 (−2); the day starts at
    # 01:00 −02 = 03:00Z and lasts 23 h (until 05/11 00:00 −02 = 02:00Z).
    period = Period(date(2018, 11, 4), date(2018, 11, 4), "America/Sao_Paulo")
    assert period.start_utc == utc("2018-11-04T03:00Z")
    assert period.end_utc == utc("2018-11-05T02:00Z")


def test_days_counts_both_ends():
    assert Period(date(2026, 3, 1), date(2026, 3, 31)).days == 31
    assert Period(date(2026, 3, 1), date(2026, 3, 1)).days == 1
    assert Period(date(2028, 2, 1), date(2028, 2, 29)).days == 29


# --- previous -------------------------------------------------------------------------------


def test_previous_of_a_month_is_the_same_number_of_days_not_the_previous_month():
    # March = 31 days → the 31 days before 01/03: 29/01 … 28/02 (3 + 28 = 31).
    previous = Period(date(2026, 3, 1), date(2026, 3, 31)).previous()
    assert previous == Period(date(2026, 1, 29), date(2026, 2, 28))
    assert previous.days == 31


def test_previous_crosses_year_and_keeps_timezone():
    period = Period(date(2026, 1, 1), date(2026, 1, 7), "America/New_York")
    assert period.previous() == Period(date(2025, 12, 25), date(2025, 12, 31), "America/New_York")


def test_previous_ends_where_period_starts():
    period = Period(date(2026, 3, 29), date(2026, 4, 4))
    assert period.previous().end_utc == period.start_utc


# --- contains -------------------------------------------------------------------------------


def test_contains_start_in_end_out():
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    mask = period.contains(
        instants(
            "2026-03-01T00:00:00+01:00",  # first instant: in
            "2026-02-28T23:59:59.999999+01:00",  # one µs before: out
            "2026-03-31T23:59:59.999999+02:00",  # last µs (after DST change): in
            "2026-04-01T00:00:00+02:00",  # day-after-end midnight: out
            None,  # NaT: out
        )
    )
    assert mask.tolist() == [True, False, True, False, False]
    assert mask.dtype == bool


def test_contains_on_dst_days():
    spring = Period(date(2026, 3, 29), date(2026, 3, 29))
    assert spring.contains(
        instants(
            "2026-03-29T00:00:00+01:00",  # = 28/03 23:00Z, first instant
            "2026-03-29T02:30:00+00:00",  # 04:30 CEST, after the jump
            "2026-03-29T23:59:59+02:00",
            "2026-03-30T00:00:00+02:00",  # next day
        )
    ).tolist() == [True, True, True, False]
    autumn = Period(date(2026, 10, 25), date(2026, 10, 25))
    assert autumn.contains(
        instants(
            "2026-10-25T00:00:00+02:00",
            "2026-10-25T02:30:00+02:00",  # first 02:30
            "2026-10-25T02:30:00+01:00",  # second 02:30, one hour later
            "2026-10-25T23:59:59+01:00",
            "2026-10-26T00:00:00+01:00",
        )
    ).tolist() == [True, True, True, True, False]


def test_contains_in_new_york():
    period = Period(date(2026, 3, 8), date(2026, 3, 8), "America/New_York")
    assert period.contains(
        instants(
            "2026-03-08T00:00:00-05:00",
            "2026-03-08T23:59:59-04:00",
            "2026-03-09T00:00:00-04:00",
            "2026-03-08T00:00:00+01:00",  # Paris midnight is still 7 March in New York
        )
    ).tolist() == [True, True, False, False]


def test_contains_keeps_index_and_accepts_empty_and_all_missing():
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    indexed = instants("2026-03-10T00:00Z", "2026-05-10T00:00Z")
    indexed.index = [7, 3]
    assert period.contains(indexed).to_dict() == {7: True, 3: False}
    assert period.contains(pd.Series([], dtype=UTC_TS)).empty
    assert period.contains(pd.Series([None, None], dtype="object")).tolist() == [False, False]


def test_contains_refuses_naive_timestamps():
    with pytest.raises(TypeError, match="fuseau"):
        Period(date(2026, 3, 1), date(2026, 3, 31)).contains(
            pd.Series(pd.to_datetime(["2026-03-02"]))
        )


# --- validation -----------------------------------------------------------------------------


def test_end_before_start_is_refused_in_french():
    with pytest.raises(ValueError, match="antérieure"):
        Period(date(2026, 3, 31), date(2026, 3, 1))


def test_datetime_and_unknown_zone_are_refused():
    with pytest.raises(TypeError, match="date"):
        Period(datetime(2026, 3, 1, 12), date(2026, 3, 31))
    with pytest.raises(ValueError, match="Fuseau"):
        Period(date(2026, 3, 1), date(2026, 3, 31), "Europe/Atlantis")


def test_period_is_frozen_and_hashable():
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    with pytest.raises(FrozenInstanceError):
        period.start = date(2026, 1, 1)  # type: ignore[misc]
    assert {period: 1}[Period(date(2026, 3, 1), date(2026, 3, 31))] == 1


# --- last complete month --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2026, 3, 15), date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 1, 1), date(2025, 12, 1), date(2025, 12, 31)),  # year boundary
        (date(2026, 4, 30), date(2026, 3, 1), date(2026, 3, 31)),  # April not over yet
        (date(2028, 3, 1), date(2028, 2, 1), date(2028, 2, 29)),  # leap February
    ],
)
def test_last_complete_month(today, start, end):
    assert last_complete_month(today) == Period(start, end)


def test_last_complete_month_keeps_timezone():
    assert last_complete_month(date(2026, 3, 15), "Indian/Reunion").timezone == "Indian/Reunion"


# --- invariants -----------------------------------------------------------------------------


@settings(deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 12, 31)),
    days=st.integers(min_value=1, max_value=400),
    zone=st.sampled_from(ZONES),
)
def test_period_length_and_previous_chain(start, days, zone):
    period = Period(start, start + timedelta(days=days - 1), zone)
    assert period.days == days
    # DST changes within a year cancel out, so the length is off by at most one hour.
    hours = (period.end_utc - period.start_utc) / pd.Timedelta(hours=1)
    assert abs(hours - 24 * days) <= 1
    previous = period.previous()
    assert previous.days == days
    assert previous.end_utc == period.start_utc


@settings(deadline=None)
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=60),
    zone=st.sampled_from(ZONES),
    offsets=st.lists(st.integers(min_value=-70 * 24 * 60, max_value=70 * 24 * 60), max_size=30),
)
def test_consecutive_periods_share_no_instant(start, days, zone, offsets):
    period = Period(start, start + timedelta(days=days - 1), zone)
    previous = period.previous()
    stamps = pd.Series([period.start_utc + pd.Timedelta(minutes=m) for m in offsets], dtype=UTC_TS)
    in_union = (stamps >= previous.start_utc) & (stamps < period.end_utc)
    hits = previous.contains(stamps).astype(int) + period.contains(stamps).astype(int)
    assert (hits == in_union.astype(int)).all()


def test_year_before_keeps_the_dates_and_handles_29_february():
    from datetime import date

    from metrics.period import Period

    assert Period(date(2026, 10, 1), date(2026, 10, 31)).year_before() == Period(
        date(2025, 10, 1), date(2025, 10, 31)
    )
    assert Period(date(2028, 2, 1), date(2028, 2, 29)).year_before() == Period(
        date(2027, 2, 1), date(2027, 2, 28)
    )


def test_comparison_is_the_previous_whole_months_or_the_previous_days():
    from datetime import date

    from metrics.period import Period

    october = Period(date(2026, 10, 1), date(2026, 10, 31))
    assert october.whole_months == 1
    assert october.comparison() == Period(date(2026, 9, 1), date(2026, 9, 30))
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert march.comparison() == Period(date(2026, 2, 1), date(2026, 2, 28))
    quarter = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert quarter.comparison() == Period(date(2025, 10, 1), date(2025, 12, 31))
    week = Period(date(2026, 3, 10), date(2026, 3, 16))
    assert week.whole_months is None
    assert week.comparison() == week.previous() == Period(date(2026, 3, 3), date(2026, 3, 9))


def test_sub_periods_clip_weeks_and_months_to_the_period():
    from metrics.period import sub_periods

    period = Period(date(2026, 9, 29), date(2026, 11, 3))
    weeks = sub_periods(period, "week")
    assert (weeks[0].start, weeks[0].end) == (date(2026, 9, 29), date(2026, 10, 4))
    assert (weeks[-1].start, weeks[-1].end) == (date(2026, 11, 2), date(2026, 11, 3))
    months = [(p.start, p.end) for p in sub_periods(period, "month")]
    assert months == [
        (date(2026, 9, 29), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 11, 1), date(2026, 11, 3)),
    ]
    days = sub_periods(period, "day")
    assert len(days) == period.days and all(p.start == p.end for p in days)
    # The parts cover the period exactly, without gap or overlap.
    for freq in ("day", "week", "month"):
        parts = sub_periods(period, freq)
        assert sum(p.days for p in parts) == period.days
    with pytest.raises(ValueError, match="Fréquence inconnue"):
        sub_periods(period, "year")
