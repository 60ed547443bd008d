"""Demo time keeping: the 12-month window, Europe/Paris wall clock and French office hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

TIMEZONE = "Europe/Paris"
TZ = ZoneInfo(TIMEZONE)

# Town-hall opening hours (minutes after local midnight), Monday to Friday except public holidays.
OFFICE_SLOTS: tuple[tuple[int, int], ...] = ((8 * 60 + 30, 12 * 60), (13 * 60 + 30, 17 * 60 + 30))

FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_end(d: date) -> date:
    """Last day of the month of ``d``."""
    first_next = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def add_months(d: date, months: int) -> date:
    """First day of the month ``months`` after the month of ``d``."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_end(today: date) -> date:
    """Last day of the last complete month before ``today``."""
    return today.replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """Twelve full calendar months, ``start`` to ``end`` inclusive (local dates)."""

    start: date
    end: date

    @classmethod
    def ending(cls, end: date) -> Window:
        if end != month_end(end):
            raise ValueError(f"end must be the last day of a month, got {end.isoformat()}")
        return cls(start=add_months(end, -11), end=end)

    @property
    def start_utc(self) -> datetime:
        return to_utc(self.start, 0)

    @property
    def end_utc(self) -> datetime:
        """Exclusive bound: local midnight after ``end``; also the moment the exports are taken."""
        return to_utc(self.end + timedelta(days=1), 0)

    def months(self) -> list[tuple[date, date]]:
        firsts = [add_months(self.start, i) for i in range(12)]
        return [(first, month_end(first)) for first in firsts]

    def quarters(self) -> list[tuple[date, date]]:
        months = self.months()
        return [(months[i][0], months[i + 2][1]) for i in range(0, 12, 3)]

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


def to_utc(day: date, minute_of_day: float) -> datetime:
    """The UTC instant of a local wall-clock time in Europe/Paris.

    A wall time skipped by the spring DST jump (02:00–02:59 on the last Sunday of March) maps to
    the instant an hour later on the wall, so formatting the result back never yields a local
    time that does not exist.
    """
    seconds = round(minute_of_day * 60)
    naive = datetime.combine(day, time()) + timedelta(seconds=seconds)
    return naive.replace(tzinfo=TZ).astimezone(UTC)


def local(instant: datetime) -> datetime:
    return instant.astimezone(TZ)


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_office_minutes(start: datetime, minutes: float) -> datetime:
    """The instant ``minutes`` of town-hall working time after ``start`` (UTC in, UTC out).

    Work starts at the first opening after ``start``; evenings, weekends and public holidays
    do not count, which is what gives staff reply delays their long tail.
    """
    remaining = max(minutes, 0.0)
    wall = local(start)
    day = wall.date()
    minute = wall.hour * 60 + wall.minute + wall.second / 60
    while True:
        if is_working_day(day):
            for open_at, close_at in OFFICE_SLOTS:
                begin = max(minute, open_at)
                if begin >= close_at:
                    continue
                available = close_at - begin
                if remaining <= available:
                    return to_utc(day, begin + remaining)
                remaining -= available
        day += timedelta(days=1)
        minute = 0.0


def fr_date(day: date, with_weekday: bool = True) -> str:
    """``jeudi 14 mars`` (French long date without year), as written in posts."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {FR_MONTHS[day.month - 1]}"
    return f"{FR_DAYS[day.weekday()]} {text}" if with_weekday else text
