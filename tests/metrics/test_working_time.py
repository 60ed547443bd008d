"""Tests of metrics.working_time: opening hours, holidays per region, DST, vectorised speed."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.working_time import (
    DEFAULT_RANGES,
    WorkingCalendar,
    add_working_hours,
    is_open,
    working_days_between,
    working_days_deadline,
    working_hours_between,
)

UTC_TS = "datetime64[us, UTC]"
PARIS = WorkingCalendar()  # Mon–Fri 08:30–12:00 and 13:30–17:30, metropolitan holidays
ALSACE = WorkingCalendar(holidays_region="alsace-moselle")


def instants(*values) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True, format="ISO8601")).astype(UTC_TS)


def hours(start, end, calendar=PARIS) -> float:
    return float(working_hours_between(instants(start), instants(end), calendar).iloc[0])


# ----------------------------------------------------------------------------------------------
# Hand-computed durations (local times; the default day is 3.5 h + 4 h = 7.5 h)


def test_same_morning():
    # Monday 9:00 → 11:00 = 2 h
    assert hours("2026-03-02T09:00+01:00", "2026-03-02T11:00+01:00") == 2.0


def test_across_lunch_break():
    # Monday 11:00 → 14:00: 11:00–12:00 (1 h) + 13:30–14:00 (0.5 h) = 1.5 h
    assert hours("2026-03-02T11:00+01:00", "2026-03-02T14:00+01:00") == 1.5


def test_full_day_and_over_a_night():
    # Monday 08:30 → 17:30 = 7.5 h; Monday 17:00 → Tuesday 09:00 = 0.5 + 0.5 = 1 h
    assert hours("2026-03-02T08:30+01:00", "2026-03-02T17:30+01:00") == 7.5
    assert hours("2026-03-02T17:00+01:00", "2026-03-03T09:00+01:00") == 1.0


def test_weekend_does_not_count():
    # Friday 6 March 17:00 → Monday 9 March 09:30: 0.5 (Fri) + 0 + 0 + 1 (Mon) = 1.5 h,
    # against 64.5 calendar hours
    assert hours("2026-03-06T17:00+01:00", "2026-03-09T09:30+01:00") == 1.5


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # created Saturday 10:00, answered Monday 09:00: counts from Monday 08:30 → 0.5 h
        ("2026-03-07T10:00+01:00", "2026-03-09T09:00+01:00", 0.5),
        # created at 12:30 (lunch), answered 13:45: counts from 13:30 → 0.25 h
        ("2026-03-02T12:30+01:00", "2026-03-02T13:45+01:00", 0.25),
        # created Monday 18:00, answered Tuesday 08:45 → 0.25 h
        ("2026-03-02T18:00+01:00", "2026-03-03T08:45+01:00", 0.25),
        # created 07:00, answered 08:00, before the opening → 0 h
        ("2026-03-02T07:00+01:00", "2026-03-02T08:00+01:00", 0.0),
        # created and answered during the same Sunday → 0 h
        ("2026-03-08T10:00+01:00", "2026-03-08T15:00+01:00", 0.0),
    ],
)
def test_requests_created_outside_opening_hours_start_at_the_next_opening(start, end, expected):
    assert hours(start, end) == expected


def test_14_july():
    # Mon 13 July 17:00 → Wed 15 July 09:00: 0.5 + 0 (Tue 14 July) + 0.5 = 1 h
    assert hours("2026-07-13T17:00+02:00", "2026-07-15T09:00+02:00") == 1.0


def test_ascension():
    # Wed 13 May 17:00 → Fri 15 May 09:00: 0.5 + 0 (Thu 14 May, Ascension) + 0.5 = 1 h
    assert hours("2026-05-13T17:00+02:00", "2026-05-15T09:00+02:00") == 1.0


def test_easter_monday():
    # Fri 3 April 17:00 → Tue 7 April 09:00: 0.5 + weekend + 0 (Mon 6 April) + 0.5 = 1 h
    assert hours("2026-04-03T17:00+02:00", "2026-04-07T09:00+02:00") == 1.0


def test_good_friday_only_in_alsace_moselle():
    start, end = "2026-04-02T17:00+02:00", "2026-04-07T09:00+02:00"
    # metropole: Thu 0.5 + Fri 3 April 7.5 + (weekend, Easter Monday) + Tue 0.5 = 8.5 h
    assert hours(start, end, PARIS) == 8.5
    # Alsace-Moselle: Good Friday is a holiday → 0.5 + 0 + 0.5 = 1 h
    assert hours(start, end, ALSACE) == 1.0


def test_26_december_only_in_alsace_moselle():
    start, end = "2025-12-24T17:00+01:00", "2025-12-29T09:00+01:00"
    # metropole: Wed 24 0.5 + Thu 25 (Christmas) 0 + Fri 26 7.5 + Mon 29 0.5 = 8.5 h
    assert hours(start, end, PARIS) == 8.5
    # Alsace-Moselle: Fri 26 December (Saint-Étienne) is a holiday → 1 h
    assert hours(start, end, ALSACE) == 1.0


def test_overseas_region_has_its_own_holiday_and_zone():
    martinique = WorkingCalendar.for_region("martinique")
    assert martinique.timezone == "America/Martinique"
    # Friday 22 May 2026: abolition of slavery in Martinique, a working day in metropole.
    # Thu 21 May 17:00 → Mon 25 May (Pentecost Monday, holiday everywhere) → Tue 26 09:00
    start, end = "2026-05-21T17:00-04:00", "2026-05-26T09:00-04:00"
    assert hours(start, end, martinique) == 1.0  # 0.5 + 0 + 0 + 0.5
    same_zone_metropole = WorkingCalendar(timezone="America/Martinique")
    assert hours(start, end, same_zone_metropole) == 8.5  # Friday 22 May counts: 0.5 + 7.5 + 0.5


def test_spring_dst_weekend():
    # Fri 27 March 16:00 CET → Mon 30 March 09:30 CEST: 1.5 + 1 = 2.5 working hours;
    # 64.5 calendar hours (65.5 on the wall clock minus the hour skipped on 29 March)
    start, end = instants("2026-03-27T16:00+01:00"), instants("2026-03-30T09:30+02:00")
    assert working_hours_between(start, end, PARIS).iloc[0] == 2.5
    assert (end - start).iloc[0] == pd.Timedelta(hours=64.5)


def test_autumn_dst_weekend():
    # Fri 23 October 16:00 CEST → Mon 26 October 09:30 CET: 2.5 working hours, 66.5 calendar
    start, end = instants("2026-10-23T16:00+02:00"), instants("2026-10-26T09:30+01:00")
    assert working_hours_between(start, end, PARIS).iloc[0] == 2.5
    assert (end - start).iloc[0] == pd.Timedelta(hours=66.5)


def test_opening_follows_local_time_after_the_change():
    # Monday 30 March opens at 08:30 CEST = 06:30 UTC (it was 07:30 UTC the week before):
    # 06:45Z → 07:30Z is 08:45 → 09:30 local = 0.75 h
    assert hours("2026-03-30T06:45Z", "2026-03-30T07:30Z") == 0.75
    # Monday 23 March, still in winter: 06:45Z → 07:30Z is 07:45 → 08:30 CET = 0 h
    assert hours("2026-03-23T06:45Z", "2026-03-23T07:30Z") == 0.0


def test_ranges_through_the_night_of_the_change_count_real_hours():
    # A Sunday range 01:00–04:00 (wall clock): 2 real hours on 29 March (02:00–03:00 does
    # not exist), 4 real hours on 25 October (02:00–03:00 happens twice).
    night = WorkingCalendar(ranges={6: ((time(1), time(4)),)})
    assert hours("2026-03-28T12:00+01:00", "2026-03-29T12:00+02:00", night) == 2.0
    assert hours("2026-10-24T12:00+02:00", "2026-10-25T12:00+01:00", night) == 4.0
    assert hours("2026-03-21T12:00+01:00", "2026-03-22T12:00+01:00", night) == 3.0


def test_per_weekday_ranges():
    # Wednesday afternoon closed, Saturday morning open 09:00–12:00
    week = {
        0: DEFAULT_RANGES,
        1: DEFAULT_RANGES,
        2: ((time(8, 30), time(12)),),
        3: DEFAULT_RANGES,
        4: DEFAULT_RANGES,
        5: ((time(9), time(12)),),
    }
    calendar = WorkingCalendar(ranges=week)
    assert calendar.weekly_hours == 7.5 * 4 + 3.5 + 3
    # Wed 4 March 11:00 → Thu 5 March 09:00: 1 (Wed morning) + 0.5 = 1.5 h
    assert hours("2026-03-04T11:00+01:00", "2026-03-05T09:00+01:00", calendar) == 1.5
    # Fri 6 March 17:00 → Mon 9 March 09:00: 0.5 + 3 (Saturday) + 0.5 = 4 h
    assert hours("2026-03-06T17:00+01:00", "2026-03-09T09:00+01:00", calendar) == 4.0
    # the same week given as seven lists gives the same calendar
    as_list = WorkingCalendar(ranges=[week.get(day, ()) for day in range(7)])
    assert as_list == calendar


def test_extra_closed_days():
    bridge = WorkingCalendar(extra_closed_days=(date(2026, 5, 15),))  # Friday after Ascension
    # Wed 13 May 17:00 → Mon 18 May 09:00: 0.5 + 0 + 0 (bridge) + 0.5 = 1 h (8.5 without it)
    assert hours("2026-05-13T17:00+02:00", "2026-05-18T09:00+02:00", bridge) == 1.0
    assert hours("2026-05-13T17:00+02:00", "2026-05-18T09:00+02:00", PARIS) == 8.5


def test_missing_and_negative_give_nan_and_keep_the_index():
    start = instants("2026-03-02T09:00Z", None, "2026-03-02T10:00Z", "2026-03-02T09:00Z")
    end = instants(None, "2026-03-02T10:00Z", "2026-03-02T09:00Z", "2026-03-02T09:00Z")
    start.index = end.index = [10, 11, 12, 13]
    got = working_hours_between(start, end, PARIS)
    assert got.index.tolist() == [10, 11, 12, 13]
    assert got.dtype == "float64"
    # missing end, missing start, end before start (data error) → NaN; equal instants → 0
    np.testing.assert_array_equal(got.to_numpy(), [np.nan, np.nan, np.nan, 0.0])


def test_empty_and_all_missing_series():
    empty = pd.Series([], dtype=UTC_TS)
    assert working_hours_between(empty, empty, PARIS).empty
    missing = pd.Series([None, None], dtype="object")
    assert working_hours_between(missing, missing, PARIS).isna().all()


def test_naive_timestamps_are_refused():
    naive = pd.Series(pd.to_datetime(["2026-03-02T09:00"]))
    with pytest.raises(TypeError, match="fuseau"):
        working_hours_between(naive, naive, PARIS)


# ----------------------------------------------------------------------------------------------
# Working days, deadlines, open instants


def test_working_days_between():
    start = instants(
        "2026-03-02T09:00+01:00",  # Monday
        "2026-03-06T17:00+01:00",  # Friday
        "2026-07-13T09:00+02:00",  # Monday before 14 July
        "2026-03-07T10:00+01:00",  # Saturday
    )
    end = instants(
        "2026-03-03T07:00+01:00",  # Tuesday (before opening: still Tuesday) → 1
        "2026-03-09T07:00+01:00",  # Monday → 1 (the weekend does not count)
        "2026-07-15T09:00+02:00",  # Wednesday → 1 (14 July does not count)
        "2026-03-13T10:00+01:00",  # Friday → 5 (Mon … Fri)
    )
    assert working_days_between(start, end, PARIS).tolist() == [1.0, 1.0, 1.0, 5.0]


def test_working_days_deadline():
    start = instants(
        "2026-03-02T09:00+01:00",  # Monday → 5 working days: Tue … Mon 9 March
        "2026-03-07T10:00+01:00",  # Saturday → Mon 9 … Fri 13 March
        "2026-07-13T09:00+02:00",  # Monday 13 July → Wed 15 … Tue 21 July (14 July skipped)
        None,
    )
    got = working_days_deadline(start, 5, PARIS).dt.tz_convert("Europe/Paris")
    local = [None if pd.isna(ts) else ts.strftime("%Y-%m-%d %H:%M:%S.%f") for ts in got]
    assert local == [
        "2026-03-09 23:59:59.999999",
        "2026-03-13 23:59:59.999999",
        "2026-07-21 23:59:59.999999",
        None,
    ]


def test_working_days_deadline_in_alsace_skips_good_friday():
    # Wed 1 April + 2 working days: Thu 2, then Fri 3 (metropole) / Tue 7 (Alsace-Moselle,
    # Good Friday and Easter Monday skipped)
    start = instants("2026-04-01T10:00+02:00")
    assert working_days_deadline(start, 2, PARIS).iloc[0] == pd.Timestamp(
        "2026-04-03T23:59:59.999999+02:00"
    )
    assert working_days_deadline(start, 2, ALSACE).iloc[0] == pd.Timestamp(
        "2026-04-07T23:59:59.999999+02:00"
    )


def test_working_days_deadline_refuses_fractions():
    with pytest.raises(ValueError, match="jours ouvrés"):
        working_days_deadline(instants("2026-03-02T09:00Z"), 2.5, PARIS)  # type: ignore[arg-type]


def test_add_working_hours():
    start = instants(
        "2026-03-02T09:00+01:00",  # Monday: + 2 h → 11:00
        "2026-03-02T11:00+01:00",  # + 2 h: 1 h before lunch, 1 h after → 14:30
        "2026-07-13T08:00+02:00",  # + 7.5 h: the whole Monday, reached at 17:30 → the last
        # instant still within 7.5 h is the next opening, Wed 15 July 08:30 (14 July closed)
        "2026-03-07T10:00+01:00",  # Saturday + 0 h → the next opening, Monday 08:30
    )
    got = [
        add_working_hours(start.iloc[[i]], h, PARIS).iloc[0] for i, h in enumerate((2, 2, 7.5, 0))
    ]
    assert got == [
        pd.Timestamp("2026-03-02T11:00+01:00"),
        pd.Timestamp("2026-03-02T14:30+01:00"),
        pd.Timestamp("2026-07-15T08:30+02:00"),
        pd.Timestamp("2026-03-09T08:30+01:00"),
    ]


def test_is_open():
    at = instants(
        "2026-03-02T08:30+01:00",  # opening instant → open
        "2026-03-02T12:00+01:00",  # closing instant → closed
        "2026-03-02T12:30+01:00",  # lunch
        "2026-07-14T10:00+02:00",  # 14 July
        "2026-03-07T10:00+01:00",  # Saturday
        None,
    )
    assert is_open(at, PARIS).tolist() == [True, False, False, False, False, False]


# ----------------------------------------------------------------------------------------------
# Calendar validation


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timezone": "Europe/Nowhere"}, "Fuseau"),
        ({"holidays_region": "corse"}, "Région"),
        ({"ranges": ((time(12), time(9)),)}, "invalide"),
        ({"ranges": ((time(9), time(12)), (time(11), time(14)))}, "chevauchent"),
        ({"ranges": ()}, "aucune plage"),
        ({"ranges": {7: DEFAULT_RANGES}}, "Jour de semaine"),
        ({"ranges": "9h-17h"}, "invalides"),
    ],
)
def test_invalid_calendars_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        WorkingCalendar(**options)


def test_unknown_region_for_region():
    with pytest.raises(ValueError, match="Région"):
        WorkingCalendar.for_region("atlantide")


def test_calendar_is_hashable_and_holidays_listed():
    assert hash(PARIS) == hash(WorkingCalendar())
    days = ALSACE.holiday_dates(2026, 2026)
    assert date(2026, 4, 3) in days and date(2026, 12, 26) in days
    assert date(2026, 4, 3) not in PARIS.holiday_dates(2026, 2026)
    assert PARIS.weekly_hours == 37.5


# ----------------------------------------------------------------------------------------------
# Invariants and a brute-force reference


def reference_hours(start: datetime, end: datetime, calendar: WorkingCalendar) -> float:
    """Day-by-day reference with zoneinfo (slow, obviously right)."""
    zone = ZoneInfo(calendar.timezone)
    closed = set(calendar.holiday_dates(start.year - 1, end.year + 1))
    day = start.astimezone(zone).date() - timedelta(days=1)
    total = 0.0
    while day <= end.astimezone(zone).date() + timedelta(days=1):
        if day not in closed:
            for opening, closing in calendar.week[day.weekday()]:
                # to UTC first: Python subtracts two times of the same zone on the wall clock
                a = datetime.combine(day, opening, zone).astimezone(UTC)
                b = datetime.combine(day, closing, zone).astimezone(UTC)
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total / 3600


NIGHT_AND_WEEKEND = WorkingCalendar(
    ranges={
        0: ((time(0), time(1)), (time(9), time(17))),
        5: ((time(10), time(11, 15)),),
        6: ((time(1, 30), time(3, 30)),),  # through both DST changes
    }
)
CALENDARS = st.sampled_from([PARIS, ALSACE, NIGHT_AND_WEEKEND])
MOMENTS = st.integers(
    min_value=int(pd.Timestamp("2025-12-20T00:00Z").timestamp()),
    max_value=int(pd.Timestamp("2027-01-10T00:00Z").timestamp()),
)


def at_seconds(seconds: int) -> pd.Timestamp:
    return pd.Timestamp(seconds, unit="s", tz="UTC")


@settings(deadline=None, max_examples=150)
@given(a=MOMENTS, length=st.integers(min_value=0, max_value=40 * 86400), calendar=CALENDARS)
def test_matches_the_reference_and_never_exceeds_calendar_time(a, length, calendar):
    start, end = at_seconds(a), at_seconds(a + length)
    got = working_hours_between(instants(start), instants(end), calendar).iloc[0]
    assert got == pytest.approx(reference_hours(start, end, calendar), abs=1e-9)
    assert 0.0 <= got <= length / 3600 + 1e-9


@settings(deadline=None)
@given(moments=st.lists(MOMENTS, min_size=3, max_size=3), calendar=CALENDARS)
def test_working_time_adds_up_over_consecutive_intervals(moments, calendar):
    a, b, c = (instants(at_seconds(m)) for m in sorted(moments))
    whole = working_hours_between(a, c, calendar).iloc[0]
    parts = (
        working_hours_between(a, b, calendar).iloc[0]
        + working_hours_between(b, c, calendar).iloc[0]
    )
    assert whole == pytest.approx(parts, abs=1e-9)


@settings(deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.one_of(st.none(), MOMENTS), st.one_of(st.none(), MOMENTS)), max_size=20
    ),
    calendar=CALENDARS,
)
def test_vectorised_invariants(rows, calendar):
    start = instants(*(None if s is None else at_seconds(s) for s, _ in rows))
    end = instants(*(None if e is None else at_seconds(e) for _, e in rows))
    got = working_hours_between(start, end, calendar)
    calendar_hours = (end - start) / pd.Timedelta(hours=1)
    valid = (start.notna() & end.notna() & (end >= start)).to_numpy(dtype=bool)
    assert got.isna().to_numpy().tolist() == (~valid).tolist()
    assert (got[valid] >= 0).all()
    assert (got[valid] <= calendar_hours[valid] + 1e-9).all()
    days = working_days_between(start, end, calendar)
    assert days.isna().to_numpy().tolist() == (~valid).tolist()
    assert (days[valid] >= 0).all()


@settings(deadline=None)
@given(a=MOMENTS, amount=st.floats(min_value=0, max_value=200), calendar=CALENDARS)
def test_add_working_hours_is_the_last_instant_within(a, amount, calendar):
    start = instants(at_seconds(a))
    deadline = add_working_hours(start, amount, calendar)
    worked = working_hours_between(start, deadline, calendar).iloc[0]
    assert worked == pytest.approx(amount, abs=1e-6)
    one_more = deadline + pd.Timedelta(seconds=1)
    assert working_hours_between(start, one_more, calendar).iloc[0] > amount - 1e-6


def test_a_million_durations():
    # Vectorised: no Python loop per duration (the timing is reported, not asserted).
    rng = np.random.default_rng(2026)
    base = pd.Timestamp("2024-01-01T00:00Z").value // 1000
    begin = base + rng.integers(0, 3 * 365 * 86_400 * 10**6, 1_000_000)
    finish = begin + rng.integers(0, 60 * 86_400 * 10**6, 1_000_000)
    start = pd.Series(pd.DatetimeIndex(begin.view("M8[us]")).tz_localize("UTC"))
    end = pd.Series(pd.DatetimeIndex(finish.view("M8[us]")).tz_localize("UTC"))
    got = working_hours_between(start, end, PARIS)
    assert len(got) == 1_000_000
    assert got.notna().all()
    assert (got <= (end - start) / pd.Timedelta(hours=1) + 1e-9).all()
