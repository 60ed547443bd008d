"""French working hours: opening ranges per weekday, public holidays per region, local time.

Everything is vectorised. For a span of days, the opening ranges are turned into a sorted
table of UTC intervals (closed days and holidays simply have none); the cumulative working
time F(t) since the start of the table is then a ``searchsorted`` away, and the working
time between two instants is F(end) − F(start). The table is built in local wall-clock time
and converted to UTC by the zone rules, so DST days are right, and an instant outside the
opening hours contributes nothing until the next opening.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import numpy as np
import pandas as pd

from metrics._common import to_micros

Range = tuple[time, time]
DayRanges = tuple[Range, ...]

# Morning and afternoon opening of a typical mairie, Monday to Friday.
DEFAULT_RANGES: DayRanges = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))

# region → (subdivision code of holidays.France, IANA zone of the territory)
REGIONS: dict[str, tuple[str | None, str]] = {
    "metropole": (None, "Europe/Paris"),
    "alsace-moselle": ("6AE", "Europe/Paris"),
    "guadeloupe": ("971", "America/Guadeloupe"),
    "martinique": ("972", "America/Martinique"),
    "guyane": ("973", "America/Cayenne"),
    "reunion": ("974", "Indian/Reunion"),
    "mayotte": ("976", "Indian/Mayotte"),
}

WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 24 * _US_PER_HOUR
_NAT = np.iinfo(np.int64).min
# 1970-01-01, day 0 of datetime64[D], was a Thursday (weekday 3, Monday = 0).
_EPOCH_WEEKDAY = 3


@dataclass(frozen=True)
class WorkingCalendar:
    """Opening hours of a collectivité, in local time, with the public holidays of its region.

    ``ranges`` is either one sequence of ``(opening, closing)`` pairs, used every Monday to
    Friday, or per-weekday hours: a mapping weekday → pairs (0 = Monday; a weekday absent
    from it is closed) or a sequence of seven such sequences. Each pair lies within one day,
    opening before closing; the pairs of a day are sorted and do not overlap.
    ``extra_closed_days`` adds local closures (bridges, annual closure) to the holidays.
    """

    timezone: str = "Europe/Paris"
    ranges: Any = DEFAULT_RANGES
    holidays_region: str = "metropole"
    extra_closed_days: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"Fuseau horaire inconnu : {self.timezone!r}.") from exc
        if self.holidays_region not in REGIONS:
            raise ValueError(
                f"Région de jours fériés inconnue : {self.holidays_region!r} "
                f"(attendu : {', '.join(REGIONS)})."
            )
        object.__setattr__(self, "ranges", _normalise_ranges(self.ranges))
        object.__setattr__(self, "extra_closed_days", tuple(sorted(set(self.extra_closed_days))))
        if not any(self.week):
            raise ValueError("Le calendrier n'a aucune plage d'ouverture.")

    @classmethod
    def for_region(cls, region: str, **options: Any) -> WorkingCalendar:
        """The calendar of ``region`` with that territory's time zone (e.g. America/Cayenne)."""
        if region not in REGIONS:
            raise ValueError(f"Région de jours fériés inconnue : {region!r}.")
        return cls(timezone=REGIONS[region][1], holidays_region=region, **options)

    @property
    def week(self) -> tuple[DayRanges, ...]:
        """Opening ranges of each weekday, Monday first (seven entries, empty = closed)."""
        if len(self.ranges) == 7 and all(_is_day(day) for day in self.ranges):
            return self.ranges
        return (self.ranges,) * 5 + ((), ())

    @property
    def weekly_hours(self) -> float:
        """Opening hours of an ordinary week without holidays."""
        return sum(_seconds(b) - _seconds(a) for day in self.week for a, b in day) / 3600

    def holiday_dates(self, first_year: int, last_year: int) -> tuple[date, ...]:
        """Public holidays of the region and extra closures, years included, sorted."""
        days = set(_holidays(self.holidays_region, first_year, last_year))
        days.update(d for d in self.extra_closed_days if first_year <= d.year <= last_year)
        return tuple(sorted(days))


def working_hours_between(start: pd.Series, end: pd.Series, calendar: WorkingCalendar) -> pd.Series:
    """Working hours from ``start`` to ``end`` (float, index of ``start``).

    NaN where either instant is missing or ``end`` < ``start``. An instant outside opening
    hours counts from the next opening; the result never exceeds the calendar hours.
    """
    begin_us, finish_us = to_micros(start), to_micros(end.set_axis(start.index))
    valid = (begin_us != _NAT) & (finish_us != _NAT) & (finish_us >= begin_us)
    hours = np.full(len(begin_us), np.nan)
    if valid.any():
        schedule = _schedule_for(calendar, begin_us[valid].min(), finish_us[valid].max())
        worked = schedule.cumulative(finish_us[valid]) - schedule.cumulative(begin_us[valid])
        hours[valid] = worked / _US_PER_HOUR
    return pd.Series(hours, index=start.index, dtype="float64")


def working_days_between(start: pd.Series, end: pd.Series, calendar: WorkingCalendar) -> pd.Series:
    """Working days after the local day of ``start`` up to the local day of ``end``, included.

    A working day is a day with opening hours that is neither a holiday nor an extra
    closure. Receipt on Monday and answer on Tuesday gives 1; receipt on Friday and answer
    on the following Monday gives 1. NaN where either is missing or ``end`` < ``start``.
    """
    begin_us, finish_us = to_micros(start), to_micros(end.set_axis(start.index))
    valid = (begin_us != _NAT) & (finish_us != _NAT) & (finish_us >= begin_us)
    days = np.full(len(begin_us), np.nan)
    if valid.any():
        schedule = _schedule_for(calendar, begin_us[valid].min(), finish_us[valid].max())
        counted = schedule.working_days_upto(finish_us[valid])
        days[valid] = counted - schedule.working_days_upto(begin_us[valid])
    return pd.Series(days, index=start.index, dtype="float64")


def add_working_hours(start: pd.Series, hours: float, calendar: WorkingCalendar) -> pd.Series:
    """The last instant still within ``hours`` working hours of each ``start`` (UTC).

    An answer at or before this instant took at most ``hours`` working hours; the first
    opening after it is already one microsecond too late. NaT where ``start`` is missing.
    """
    if hours < 0 or not math.isfinite(hours):
        raise ValueError(f"Nombre d'heures ouvrées invalide : {hours!r}.")
    begin_us = to_micros(start)
    valid = begin_us != _NAT
    out = np.full(len(begin_us), _NAT, dtype=np.int64)
    if valid.any():
        weeks = math.ceil(hours / calendar.weekly_hours) + 2
        schedule = _schedule_for(
            calendar, begin_us[valid].min(), begin_us[valid].max() + weeks * 7 * _US_PER_DAY
        )
        target = schedule.cumulative(begin_us[valid]) + round(hours * _US_PER_HOUR)
        out[valid] = schedule.instant_of(target)
    return _utc_series(out, start.index)


def working_days_deadline(start: pd.Series, days: int, calendar: WorkingCalendar) -> pd.Series:
    """The last instant of the ``days``-th working day after the local day of each ``start``.

    The day of receipt is not counted, even when it is a working day: a request received on
    Monday at 09:00 with 5 working days is due by the following Monday 23:59:59.999999
    (local time). NaT where ``start`` is missing.
    """
    if int(days) != days or days < 1:
        raise ValueError(f"Nombre de jours ouvrés invalide : {days!r} (entier ≥ 1 attendu).")
    begin_us = to_micros(start)
    valid = begin_us != _NAT
    out = np.full(len(begin_us), _NAT, dtype=np.int64)
    if valid.any():
        margin = (int(days) + 2) * 7 * _US_PER_DAY + 90 * _US_PER_DAY
        schedule = _schedule_for(calendar, begin_us[valid].min(), begin_us[valid].max() + margin)
        out[valid] = schedule.working_day_end(begin_us[valid], int(days))
    return _utc_series(out, start.index)


def is_open(instants: pd.Series, calendar: WorkingCalendar) -> pd.Series:
    """Boolean mask: True where the instant falls within opening hours; missing → False."""
    at_us = to_micros(instants)
    valid = at_us != _NAT
    inside = np.zeros(len(at_us), dtype=bool)
    if valid.any():
        schedule = _schedule_for(calendar, at_us[valid].min(), at_us[valid].max())
        inside[valid] = schedule.contains(at_us[valid])
    return pd.Series(inside, index=instants.index, dtype=bool)


# ----------------------------------------------------------------------------------------------
# The schedule table


class _Schedule:
    """Sorted, non-overlapping UTC opening intervals of a span of local days (µs since epoch)."""

    def __init__(self, opens: np.ndarray, closes: np.ndarray, midnights: np.ndarray, working):
        self.opens = opens
        self.lengths = closes - opens
        # total working time before each interval; one extra entry for "after the last"
        self.before = np.concatenate(([0], np.cumsum(self.lengths)))
        self.midnights = midnights  # local midnight starting each day, plus the one after
        self.working_count = np.concatenate(([0], np.cumsum(working)))  # working days before
        self.working_index = np.flatnonzero(working)  # day number of each working day

    def cumulative(self, at: np.ndarray) -> np.ndarray:
        """F(at): working µs from the start of the table up to each instant."""
        if self.opens.size == 0:
            return np.zeros(at.shape, dtype=np.int64)
        last = np.searchsorted(self.opens, at, side="right") - 1
        safe = np.maximum(last, 0)
        inside = np.clip(at - self.opens[safe], 0, self.lengths[safe])
        return np.where(last >= 0, self.before[safe] + inside, 0)

    def instant_of(self, worked: np.ndarray) -> np.ndarray:
        """The latest instant t with F(t) ≤ ``worked`` (µs), for 0 ≤ worked < total."""
        interval = np.searchsorted(self.before[:-1], worked, side="right") - 1
        return self.opens[interval] + (worked - self.before[interval])

    def contains(self, at: np.ndarray) -> np.ndarray:
        if self.opens.size == 0:
            return np.zeros(at.shape, dtype=bool)
        last = np.searchsorted(self.opens, at, side="right") - 1
        safe = np.maximum(last, 0)
        return (last >= 0) & (at < self.opens[safe] + self.lengths[safe])

    def day_of(self, at: np.ndarray) -> np.ndarray:
        """Number (row of the table) of the local day containing each instant."""
        return np.searchsorted(self.midnights, at, side="right") - 1

    def working_days_upto(self, at: np.ndarray) -> np.ndarray:
        """Working days of the table up to the local day of each instant, that day included."""
        return self.working_count[self.day_of(at) + 1]

    def working_day_end(self, at: np.ndarray, days: int) -> np.ndarray:
        ordinal = self.working_days_upto(at) + days - 1  # 0-based rank of the due working day
        due_day = self.working_index[ordinal]
        return self.midnights[due_day + 1] - 1


def _schedule_for(calendar: WorkingCalendar, first_us: int, last_us: int) -> _Schedule:
    # Whole years, with a margin of a few days for the zone offset, so that the cache is
    # shared by every call on the same years.
    first = pd.Timestamp(int(first_us) - 3 * _US_PER_DAY, unit="us").year
    last = pd.Timestamp(int(last_us) + 3 * _US_PER_DAY, unit="us").year
    return _build_schedule(calendar, first, last)


@lru_cache(maxsize=64)
def _build_schedule(calendar: WorkingCalendar, first_year: int, last_year: int) -> _Schedule:
    days = np.arange(
        np.datetime64(f"{first_year:04d}-01-01", "D"),
        np.datetime64(f"{last_year + 1:04d}-01-01", "D"),
    )
    weekday = (days.astype(np.int64) + _EPOCH_WEEKDAY) % 7
    closed = np.isin(days, np.array(calendar.holiday_dates(first_year, last_year), "M8[D]"))

    week = calendar.week
    slots = max(len(day) for day in week)
    starts = np.full((7, slots), -1, dtype=np.int64)
    ends = np.full((7, slots), -1, dtype=np.int64)
    for number, day in enumerate(week):
        for slot, (opening, closing) in enumerate(day):
            starts[number, slot] = _micros_of_day(opening)
            ends[number, slot] = _micros_of_day(closing)
    day_starts = starts[weekday]  # (days, slots), -1 where the slot does not exist
    has_slot = (day_starts >= 0) & ~closed[:, None]
    day_us = days.astype("M8[us]").astype(np.int64)[:, None]

    opens = _local_to_utc((day_us + day_starts)[has_slot], calendar.timezone)
    closes = _local_to_utc((day_us + ends[weekday])[has_slot], calendar.timezone)
    # Guard the sort order against a range that straddles a DST fold, then drop empty ones
    # (a range inside the spring gap has no instant at all).
    if closes.size:
        closes = np.maximum.accumulate(closes)
        opens = np.maximum(opens, np.concatenate(([opens[0]], closes[:-1])))
    keep = closes > opens
    opens, closes = opens[keep], closes[keep]

    midnights = _local_to_utc(
        np.append(days, days[-1] + 1).astype("M8[us]").astype(np.int64), calendar.timezone
    )
    working = has_slot.any(axis=1)
    return _Schedule(opens, closes, midnights, working)


def _local_to_utc(wall_us: np.ndarray, timezone: str) -> np.ndarray:
    """Local wall-clock instants (µs) → UTC µs; a time in the spring gap moves forward to the
    first instant that exists, an ambiguous autumn time is taken at its first occurrence."""
    if wall_us.size == 0:
        return wall_us.astype(np.int64)
    local = pd.DatetimeIndex(wall_us.astype("M8[us]")).tz_localize(
        timezone, ambiguous=np.ones(wall_us.size, dtype=bool), nonexistent="shift_forward"
    )
    return local.tz_convert("UTC").as_unit("us").asi8.copy()


@cache
def _holidays(region: str, first_year: int, last_year: int) -> tuple[date, ...]:
    subdivision = REGIONS[region][0]
    table = holidays.France(subdiv=subdivision, years=range(first_year, last_year + 1))
    return tuple(sorted(table))


# ----------------------------------------------------------------------------------------------
# Helpers


def _utc_series(micros: np.ndarray, index: pd.Index) -> pd.Series:
    values = pd.DatetimeIndex(micros.view("M8[us]")).tz_localize("UTC")
    return pd.Series(values, index=index)


def _seconds(moment: time) -> float:
    return _micros_of_day(moment) / 1_000_000


def _micros_of_day(moment: time) -> int:
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return seconds * 1_000_000 + moment.microsecond


def _is_range(value: object) -> bool:
    return (
        isinstance(value, Sequence) and len(value) == 2 and all(isinstance(v, time) for v in value)
    )


def _is_day(value: object) -> bool:
    return isinstance(value, Sequence) and all(_is_range(r) for r in value)


def _normalise_day(day: object, where: str) -> DayRanges:
    if not _is_day(day):
        raise ValueError(
            f"Plages d'ouverture invalides ({where}) : attendu des paires (ouverture, fermeture)."
        )
    pairs = tuple((opening, closing) for opening, closing in day)  # type: ignore[union-attr]
    previous_end = -1.0
    for opening, closing in pairs:
        if opening.tzinfo is not None or closing.tzinfo is not None:
            raise ValueError("Les heures d'ouverture sont des heures locales, sans fuseau.")
        if _seconds(closing) <= _seconds(opening):
            raise ValueError(
                f"Plage d'ouverture invalide ({where}) : {opening:%H:%M} – {closing:%H:%M}."
            )
        if _seconds(opening) < previous_end:
            raise ValueError(f"Plages d'ouverture non triées ou qui se chevauchent ({where}).")
        previous_end = _seconds(closing)
    return pairs


def _normalise_ranges(ranges: object) -> DayRanges | tuple[DayRanges, ...]:
    if isinstance(ranges, Mapping):
        unknown = [key for key in ranges if key not in range(7)]
        if unknown:
            raise ValueError(
                f"Jour de semaine inconnu : {unknown[0]!r} (0 = lundi … 6 = dimanche)."
            )
        return tuple(
            _normalise_day(ranges.get(number, ()), WEEKDAY_NAMES[number]) for number in range(7)
        )
    if _is_day(ranges):
        return _normalise_day(ranges, "du lundi au vendredi")
    if isinstance(ranges, Sequence) and len(ranges) == 7:
        return tuple(_normalise_day(day, WEEKDAY_NAMES[n]) for n, day in enumerate(ranges))
    raise ValueError(
        "Plages d'ouverture invalides : attendu des paires (ouverture, fermeture), "
        "un dictionnaire jour → paires, ou sept listes de paires."
    )
