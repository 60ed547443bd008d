"""The reporting period: inclusive local calendar dates and the UTC instants that bound them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from metrics._common import as_utc

DEFAULT_TIMEZONE = "Europe/Paris"


@dataclass(frozen=True)
class Period:
    """Local calendar days ``start``..``end`` (both included) in the IANA zone ``timezone``.

    An instant belongs to the period when ``start_utc <= instant < end_utc``: consecutive
    periods share no instant, so every event is counted in exactly one of them.
    """

    start: date
    end: date
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        for name, value in (("début", self.start), ("fin", self.end)):
            # datetime is a subclass of date: refuse it, its hour would be silently dropped.
            if not isinstance(value, date) or isinstance(value, datetime):
                raise TypeError(
                    f"Le {name} de la période doit être une date (sans heure), reçu {value!r}."
                )
        if self.end < self.start:
            raise ValueError(
                f"La fin de la période ({self.end:%d/%m/%Y}) est antérieure "
                f"à son début ({self.start:%d/%m/%Y})."
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"Fuseau horaire inconnu : {self.timezone!r}.") from exc

    @property
    def start_utc(self) -> pd.Timestamp:
        """The first instant of ``start`` (local midnight), in UTC."""
        return _local_midnight_utc(self.start, self.timezone)

    @property
    def end_utc(self) -> pd.Timestamp:
        """The first instant after the period: local midnight of the day after ``end``, in UTC."""
        return _local_midnight_utc(self.end + timedelta(days=1), self.timezone)

    @property
    def days(self) -> int:
        """Number of calendar days in the period (both ends included)."""
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same number of days that ends the day before ``start``."""
        return Period(
            self.start - timedelta(days=self.days),
            self.start - timedelta(days=1),
            self.timezone,
        )

    @property
    def whole_months(self) -> int | None:
        """How many whole calendar months the period covers, or None when it is not whole
        months (it must start on a 1st and end on a last day of month)."""
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def comparison(self) -> Period:
        """What the period is compared with: the same number of whole months just before when
        it is whole months (October with September, a quarter with the previous quarter),
        otherwise :meth:`previous` (the same number of days)."""
        months = self.whole_months
        if months is None:
            return self.previous()
        index = self.start.year * 12 + self.start.month - 1 - months
        start = date(index // 12, index % 12 + 1, 1)
        return Period(start, self.start - timedelta(days=1), self.timezone)

    def year_before(self) -> Period:
        """The same dates one year earlier (29 February becomes 28 February)."""

        def shifted(day: date) -> date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)

        return Period(shifted(self.start), shifted(self.end), self.timezone)

    def contains(self, timestamps: pd.Series) -> pd.Series:
        """Boolean mask: True where the UTC timestamp falls in the period; missing → False."""
        instants = as_utc(timestamps)
        inside = (instants >= self.start_utc) & (instants < self.end_utc)
        return inside.astype(bool)


def last_complete_month(today: date, timezone: str = DEFAULT_TIMEZONE) -> Period:
    """The calendar month before the one containing ``today`` (a local date)."""
    last_day = today.replace(day=1) - timedelta(days=1)
    return Period(last_day.replace(day=1), last_day, timezone)


def _local_midnight_utc(day: date, timezone: str) -> pd.Timestamp:
    # zoneinfo applies the zone's offset in force on that day, so DST days get 23 or 25 hours;
    # where midnight falls in a DST gap, fold=0 maps it to the first instant that exists.
    local = datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone))
    return pd.Timestamp(local).tz_convert("UTC")


def sub_periods(period: Period, freq: str) -> list[Period]:
    """The days, ISO weeks (Monday–Sunday) or calendar months of ``period`` (``freq`` is
    ``day``, ``week`` or ``month``), the first and the last clipped to it."""
    if freq not in ("day", "week", "month"):
        raise ValueError(f"Fréquence inconnue : {freq!r} (attendu : day, week ou month).")
    parts, start = [], period.start
    while start <= period.end:
        if freq == "day":
            end = start
        elif freq == "week":
            end = start + timedelta(days=6 - start.weekday())
        else:
            following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            end = following - timedelta(days=1)
        end = min(end, period.end)
        parts.append(Period(start, end, period.timezone))
        start = end + timedelta(days=1)
    return parts
