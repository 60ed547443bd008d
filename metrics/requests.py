"""Request (GRC / 311) figures: flows, backlog, aging, delays, Kaplan–Meier, targets, breakdowns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd

from metrics._common import (
    UTC_TS,
    as_utc,
    elapsed_hours,
    median_or_none,
    quantile_or_none,
    ratio_or_none,
    require_columns,
    to_micros,
    utc_instant,
)
from metrics.period import Period, sub_periods
from metrics.targets import (
    Target,
    as_target,
    latest_instant,
    outcome_counts,
    outcomes,
    row_deadlines,
    share_met,
    targets_for,
)
from metrics.working_time import WorkingCalendar, working_hours_between


def requests_received(requests: pd.DataFrame, period: Period) -> int:
    """Number of requests created within ``period``."""
    require_columns(requests, ("created_at",), "demandes")
    return int(period.contains(requests["created_at"]).sum())


def requests_closed(requests: pd.DataFrame, period: Period) -> int:
    """Number of requests closed within ``period``, whatever their creation date."""
    require_columns(requests, ("closed_at",), "demandes")
    return int(period.contains(requests["closed_at"]).sum())


def open_backlog(requests: pd.DataFrame, at: pd.Timestamp | datetime) -> int:
    """Number of requests open at instant ``at``: created before it, not closed before it.

    A request closed exactly at ``at`` is still open at that instant, which makes the backlog
    at a period's ``end_utc`` equal backlog at its ``start_utc`` + received − closed.
    """
    require_columns(requests, ("created_at", "closed_at"), "demandes")
    instant = utc_instant(at)
    created = as_utc(requests["created_at"])
    closed = as_utc(requests["closed_at"])
    still_open = closed.isna() | (closed >= instant)
    return int(((created < instant) & still_open).sum())


def resolution_hours(created_at: pd.Series, closed_at: pd.Series) -> pd.Series:
    """Calendar hours from creation to closing; NaN if not closed, undated or negative."""
    return elapsed_hours(created_at, closed_at)


def median_resolution_hours(requests: pd.DataFrame, period: Period) -> float | None:
    """Median resolution time (hours) of the requests closed within ``period``; None if none."""
    require_columns(requests, ("created_at", "closed_at"), "demandes")
    closed = requests.loc[period.contains(requests["closed_at"])]
    return median_or_none(resolution_hours(closed["created_at"], closed["closed_at"]))


# ----------------------------------------------------------------------------------------------
# Flows per sub-period, backlog over time and aging of the open requests

Frequency = Literal["day", "week", "month"]

# (key, smallest age in whole days, largest age in whole days)
AGING_BUCKETS: tuple[tuple[str, int, float], ...] = (
    ("0_7d", 0, 7),
    ("8_30d", 8, 30),
    ("31_90d", 31, 90),
    ("over_90d", 91, float("inf")),
)
AGING_BUCKET_LABELS: dict[str, str] = {
    "0_7d": "0 à 7 jours",
    "8_30d": "8 à 30 jours",
    "31_90d": "31 à 90 jours",
    "over_90d": "plus de 90 jours",
}
MILESTONES: dict[str, str] = {
    "acknowledged": "acknowledged_at",
    "first_response": "first_response_at",
    "closed": "closed_at",
}
DEFAULT_REQUEST_TARGET = Target(15, "days")
DEFAULT_MINIMUM_GROUP_SIZE = 10
SATISFACTION_COLUMN = "satisfaction"
UNKNOWN_GROUP = "(non renseigné)"
_DAY = pd.Timedelta(days=1)


def open_at(requests: pd.DataFrame, instants: pd.DatetimeIndex | pd.Series) -> np.ndarray:
    """Number of requests open at each instant (same rule as :func:`open_backlog`), vectorised:
    created before it, minus those created and closed before it."""
    require_columns(requests, ("created_at", "closed_at"), "demandes")
    created = as_utc(requests["created_at"])
    closed = as_utc(requests["closed_at"])
    dated = created.notna()
    created_us = np.sort(to_micros(created[dated]))
    both = dated & closed.notna()
    # created < at and closed < at ⟺ max(created, closed) < at
    gone_us = np.sort(np.maximum(to_micros(created[both]), to_micros(closed[both])))
    at_us = to_micros(pd.Series(pd.DatetimeIndex(instants).tz_convert("UTC")).astype(UTC_TS))
    return np.searchsorted(created_us, at_us, side="left") - np.searchsorted(
        gone_us, at_us, side="left"
    )


def requests_by_period(
    requests: pd.DataFrame, period: Period, freq: Frequency = "month"
) -> list[dict[str, object]]:
    """Received, closed and open at the end of each day, ISO week (Monday–Sunday) or calendar
    month of ``period`` (the first and last ones clipped to the period). JSON-ready."""
    require_columns(requests, ("created_at", "closed_at"), "demandes")
    parts = sub_periods(period, freq)
    starts = pd.DatetimeIndex([part.start_utc for part in parts])
    ends = pd.DatetimeIndex([part.end_utc for part in parts])
    received = _count_between(requests["created_at"], starts, ends)
    closed = _count_between(requests["closed_at"], starts, ends)
    backlog = open_at(requests, ends)
    return [
        {
            "start": part.start.isoformat(),
            "end": part.end.isoformat(),
            "received": int(received[i]),
            "closed": int(closed[i]),
            "open_at_end": int(backlog[i]),
        }
        for i, part in enumerate(parts)
    ]


def backlog_series(requests: pd.DataFrame, period: Period, freq: str = "day") -> pd.Series:
    """Open requests at the end of each day of ``period`` (``freq="day"``) or of each week
    (``"week"``: every Sunday, and the last day of the period). Index: local dates."""
    if freq not in ("day", "week"):
        raise ValueError(f"Fréquence inconnue : {freq!r} (attendu : day ou week).")
    days = pd.date_range(period.start, period.end, freq="D")
    if freq == "week":
        days = days[(days.day_of_week == 6) | (days == days[-1])]
    ends = (days + _DAY).tz_localize(
        period.timezone, ambiguous=np.ones(len(days), dtype=bool), nonexistent="shift_forward"
    )
    counts = open_at(requests, ends)
    return pd.Series(counts.astype("int64"), index=pd.Index(days.date, name="date"), name="open")


def open_request_aging(requests: pd.DataFrame, at: pd.Timestamp | datetime) -> dict[str, int]:
    """Requests open at ``at`` per age in whole elapsed days (0–7, 8–30, 31–90, over 90):
    the parts sum to :func:`open_backlog` at the same instant."""
    require_columns(requests, ("created_at", "closed_at"), "demandes")
    instant = utc_instant(at)
    created = as_utc(requests["created_at"])
    closed = as_utc(requests["closed_at"])
    still_open = (created < instant) & (closed.isna() | (closed >= instant))
    ages = ((instant - created[still_open]) // _DAY).to_numpy(dtype="int64")
    return {key: int(((ages >= low) & (ages <= high)).sum()) for key, low, high in AGING_BUCKETS}


# ----------------------------------------------------------------------------------------------
# Delays: acknowledgement, first response, closing; Kaplan–Meier time to close


def milestone_delays(
    requests: pd.DataFrame,
    period: Period,
    milestone: str = "closed",
    calendar: WorkingCalendar | None = None,
) -> pd.DataFrame:
    """Requests whose ``milestone`` (acknowledged, first_response, closed) falls in ``period``,
    with ``hours`` and ``working_hours`` since creation (NaN if undated or negative)."""
    if milestone not in MILESTONES:
        raise ValueError(f"Étape inconnue : {milestone!r} (attendu : {', '.join(MILESTONES)}).")
    column = MILESTONES[milestone]
    require_columns(requests, ("created_at", column), "demandes")
    calendar = calendar or WorkingCalendar(timezone=period.timezone)
    reached = requests.loc[period.contains(requests[column])]
    return pd.DataFrame(
        {
            "hours": elapsed_hours(reached["created_at"], reached[column]),
            "working_hours": working_hours_between(
                reached["created_at"], reached[column], calendar
            ),
        },
        index=reached.index,
    )


def milestone_summary(
    requests: pd.DataFrame,
    period: Period,
    milestone: str = "closed",
    calendar: WorkingCalendar | None = None,
) -> dict[str, float | int | None]:
    """count, median and P90 of the delay to ``milestone``, in calendar and working hours."""
    delays = milestone_delays(requests, period, milestone, calendar)
    return {
        "count": int(delays["hours"].notna().sum()),
        "median_hours": median_or_none(delays["hours"]),
        "p90_hours": quantile_or_none(delays["hours"], 0.9),
        "median_working_hours": median_or_none(delays["working_hours"]),
        "p90_working_hours": quantile_or_none(delays["working_hours"], 0.9),
    }


def kaplan_meier(
    durations: np.ndarray | pd.Series, observed: np.ndarray | pd.Series
) -> pd.DataFrame:
    """Product-limit estimate of the survival curve S(t) = P(still open after t).

    ``durations`` ≥ 0 (NaN rows are dropped); ``observed`` True for a closing, False for a
    request still open (censored). One row per distinct closing time: ``time``,
    ``at_risk`` (durations ≥ time), ``events`` and ``survival`` just after ``time``. A
    request censored at the same time as a closing is still at risk at that time.
    """
    times = np.asarray(durations, dtype="float64")
    events = np.asarray(observed, dtype=bool)
    keep = ~np.isnan(times)
    times, events = times[keep], events[keep]
    if (times < 0).any():
        raise ValueError("Durées négatives : impossible d'estimer la courbe de survie.")
    distinct, counts = np.unique(times[events], return_counts=True)
    at_risk = times.size - np.searchsorted(np.sort(times), distinct, side="left")
    survival = np.cumprod(1.0 - counts / at_risk)
    return pd.DataFrame(
        {"time": distinct, "at_risk": at_risk, "events": counts, "survival": survival}
    )


def km_median(durations: np.ndarray | pd.Series, observed: np.ndarray | pd.Series) -> float | None:
    """Kaplan–Meier median: the smallest time t with S(t) ≤ 0.5; None if S never gets there.

    Where S stays exactly at 0.5 between two closing times, the middle of those two times,
    as the ordinary median does for an even count: with no open request the two medians
    are equal.
    """
    curve = kaplan_meier(durations, observed)
    reached = np.flatnonzero(curve["survival"].to_numpy() <= 0.5 + 1e-12)
    if reached.size == 0:
        return None
    first = reached[0]
    time = float(curve["time"].iat[first])
    if abs(curve["survival"].iat[first] - 0.5) <= 1e-12 and first + 1 < len(curve):
        return (time + float(curve["time"].iat[first + 1])) / 2
    return time


def resolution_survival_data(
    requests: pd.DataFrame,
    period: Period,
    clock: str = "calendar",
    calendar: WorkingCalendar | None = None,
) -> pd.DataFrame:
    """``duration`` (hours) and ``observed`` of the requests closed in ``period`` (observed) and
    of those open at its end (censored at the end of the period: their age then)."""
    if clock not in ("calendar", "working"):
        raise ValueError(f"Horloge inconnue : {clock!r} (attendu : calendar ou working).")
    require_columns(requests, ("created_at", "closed_at"), "demandes")
    calendar = calendar or WorkingCalendar(timezone=period.timezone)
    end = period.end_utc
    created = as_utc(requests["created_at"])
    closed = as_utc(requests["closed_at"])
    closed_in = period.contains(closed) & created.notna() & (closed >= created)
    open_at_end = (created < end) & (closed.isna() | (closed >= end))
    rows = (closed_in | open_at_end).to_numpy(dtype=bool)
    stop = closed.where(closed_in, end)[rows]
    start = created[rows]
    if clock == "calendar":
        duration = elapsed_hours(start, stop)
    else:
        duration = working_hours_between(start, stop, calendar)
    return pd.DataFrame(
        {"duration": duration, "observed": closed_in[rows].astype(bool)}, index=start.index
    )


def km_median_resolution_hours(
    requests: pd.DataFrame,
    period: Period,
    clock: str = "calendar",
    calendar: WorkingCalendar | None = None,
) -> float | None:
    """Kaplan–Meier median time to close (hours) of the requests closed in ``period`` and
    those still open at its end; None when fewer than half are known to have closed."""
    data = resolution_survival_data(requests, period, clock, calendar)
    return km_median(data["duration"], data["observed"])


# ----------------------------------------------------------------------------------------------
# Targets, reopenings, satisfaction


def closing_target_outcomes(
    requests: pd.DataFrame,
    period: Period,
    targets: Mapping[str, Target | float | None] | None = None,
    default: Target | float | None = DEFAULT_REQUEST_TARGET,
    calendar: WorkingCalendar | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> pd.DataFrame:
    """Requests created in ``period`` with their ``category``, ``deadline`` (``due_at`` when
    present, else the category's target, else ``default``) and ``outcome`` (met, missed,
    pending). ``as_of`` defaults to the latest instant of the requests."""
    require_columns(requests, ("created_at", "closed_at", "due_at", "category"), "demandes")
    calendar = calendar or WorkingCalendar(timezone=period.timezone)
    cohort = requests.loc[period.contains(requests["created_at"])]
    row_targets = targets_for(cohort["category"], dict(targets or {}), default)
    deadline = row_deadlines(cohort["created_at"], row_targets, calendar, due=cohort["due_at"])
    instant = utc_instant(as_of) if as_of is not None else _data_date(requests)
    result = pd.DataFrame(
        {
            "category": cohort["category"],
            "target": row_targets.where(cohort["due_at"].isna(), None),
            "deadline": deadline,
        },
        index=cohort.index,
    )
    result["outcome"] = (
        outcomes(cohort["created_at"], cohort["closed_at"], deadline, instant)
        if instant is not None
        else pd.Series(None, index=cohort.index, dtype=object)
    )
    return result


def share_closed_within_target(
    requests: pd.DataFrame,
    period: Period,
    targets: Mapping[str, Target | float | None] | None = None,
    default: Target | float | None = DEFAULT_REQUEST_TARGET,
    calendar: WorkingCalendar | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> float | None:
    """Closed on time ÷ (closed on time + closed late + still open past the deadline)."""
    judged = closing_target_outcomes(requests, period, targets, default, calendar, as_of)
    return share_met(judged["outcome"])


def closed_within_target_by_category(
    requests: pd.DataFrame,
    period: Period,
    targets: Mapping[str, Target | float | None] | None = None,
    default: Target | float | None = DEFAULT_REQUEST_TARGET,
    calendar: WorkingCalendar | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> list[dict[str, object]]:
    """Per category (most requests first): target, met, missed, pending and share met."""
    judged = closing_target_outcomes(requests, period, targets, default, calendar, as_of)
    categories = judged["category"].fillna(UNKNOWN_GROUP)
    table = {key: as_target(value) for key, value in (targets or {}).items()}
    rows = []
    for category, size in categories.value_counts().items():
        mine = judged["outcome"][(categories == category).to_numpy(dtype=bool)]
        target = table.get(category, as_target(default))
        rows.append(
            {
                "category": category,
                "requests": int(size),
                "target": None if target is None else target.label,
                **outcome_counts(mine),
                "share_within_target": share_met(mine),
            }
        )
    return sorted(rows, key=lambda row: (-row["requests"], row["category"]))


def reopen_rate(requests: pd.DataFrame, period: Period) -> float | None:
    """Reopened ÷ closed. Not computable yet: the canonical requests carry no status history
    (only the last status), so this always returns None."""
    return None


def satisfaction_rate(
    requests: pd.DataFrame, period: Period, column: str = SATISFACTION_COLUMN
) -> float | None:
    """CSAT of the requests closed in ``period``: ratings 4–5 ÷ ratings 1–5 (others ignored).
    None when ``column`` is absent or no request of the period is rated."""
    if column not in requests.columns:
        return None
    require_columns(requests, ("closed_at",), "demandes")
    closed = requests.loc[period.contains(requests["closed_at"])]
    ratings = pd.to_numeric(closed[column], errors="coerce")
    rated = ratings[ratings.isin([1, 2, 3, 4, 5])]
    return ratio_or_none(int((rated >= 4).sum()), len(rated))


# ----------------------------------------------------------------------------------------------
# Breakdowns with minimum group size and per-inhabitant normalisation


def requests_breakdown(
    requests: pd.DataFrame,
    period: Period,
    by: str = "category",
    populations: Mapping[str, float] | None = None,
    minimum_size: int = DEFAULT_MINIMUM_GROUP_SIZE,
    calendar: WorkingCalendar | None = None,
    targets: Mapping[str, Target | float | None] | None = None,
    default_target: Target | float | None = DEFAULT_REQUEST_TARGET,
    as_of: pd.Timestamp | datetime | None = None,
) -> dict[str, object]:
    """Figures per value of ``by`` (category, district, channel, service…), JSON-ready.

    A group's size is the number of its requests received or closed in ``period``. Groups
    smaller than ``minimum_size`` are left out of ``groups`` (no figure of theirs can be
    ranked or compared) and listed in ``hidden``. ``groups`` is sorted by requests received,
    then by name; with ``populations`` (group → inhabitants) each group gets
    ``received_per_1000`` inhabitants.
    """
    return requests_breakdowns(
        requests,
        period,
        (by,),
        None if populations is None else {by: populations},
        minimum_size,
        calendar,
        targets,
        default_target,
        as_of,
    )[by]


def requests_breakdowns(
    requests: pd.DataFrame,
    period: Period,
    by: Sequence[str] = ("category", "district"),
    populations: Mapping[str, Mapping[str, float]] | None = None,
    minimum_size: int = DEFAULT_MINIMUM_GROUP_SIZE,
    calendar: WorkingCalendar | None = None,
    targets: Mapping[str, Target | float | None] | None = None,
    default_target: Target | float | None = DEFAULT_REQUEST_TARGET,
    as_of: pd.Timestamp | datetime | None = None,
) -> dict[str, dict[str, object]]:
    """:func:`requests_breakdown` for each column of ``by`` (column → breakdown): the times to
    close and the outcomes against targets, the costly part, are computed once for all.
    ``populations`` maps a column to its groups' inhabitants (per-1,000 figures for it)."""
    require_columns(requests, ("created_at", "closed_at", *by), "demandes")
    calendar = calendar or WorkingCalendar(timezone=period.timezone)
    received = period.contains(requests["created_at"])
    closed = period.contains(requests["closed_at"])
    end = period.end_utc
    created_at, closed_at = as_utc(requests["created_at"]), as_utc(requests["closed_at"])
    still_open = (created_at < end) & (closed_at.isna() | (closed_at >= end))
    hours = elapsed_hours(requests["created_at"], requests["closed_at"]).where(closed)
    # targets follow each request's category, whatever the grouping
    judged = closing_target_outcomes(requests, period, targets, default_target, calendar, as_of)
    outcome = judged["outcome"].reindex(requests.index)

    # One grouped sum per column instead of one mask per group: a city has dozens of
    # categories and quartiers, and each mask walked every row.
    flags = {
        "requests": (received | closed).to_numpy(dtype=bool),
        "received": received.to_numpy(dtype=bool),
        "closed": closed.to_numpy(dtype=bool),
        "open_at_end": still_open.to_numpy(dtype=bool),
        "met": (outcome == "met").to_numpy(dtype=bool),
        "missed": (outcome == "missed").to_numpy(dtype=bool),
    }
    breakdowns = {}
    for column in by:
        inhabitants = None if populations is None else populations.get(column)
        groups = requests[column].astype("str").fillna(UNKNOWN_GROUP)
        codes, names = pd.factorize(groups, sort=True)
        sums = {
            key: np.bincount(codes, weights=flag, minlength=len(names))
            for key, flag in flags.items()
        }
        medians = pd.Series(hours.to_numpy(dtype=float)).groupby(codes).median()
        rows, hidden = [], []
        for code, group in enumerate(names):
            count = {key: values[code] for key, values in sums.items()}
            size = int(count["requests"])
            if size == 0:
                continue
            if size < minimum_size:
                hidden.append(group)
                continue
            median = medians.get(code)
            population = None if inhabitants is None else inhabitants.get(group)
            row = {
                "group": group,
                "requests": size,
                "received": int(count["received"]),
                "closed": int(count["closed"]),
                "open_at_end": int(count["open_at_end"]),
                "median_resolution_hours": None if pd.isna(median) else float(median),
                "share_closed_within_target": ratio_or_none(
                    int(count["met"]), int(count["met"]) + int(count["missed"])
                ),
            }
            if inhabitants is not None:
                row["population"] = population
                row["received_per_1000"] = (
                    None if not population else int(count["received"]) / float(population) * 1000
                )
            rows.append(row)
        rows.sort(key=lambda row: (-row["received"], row["group"]))
        breakdowns[column] = {
            "by": column,
            "minimum_size": minimum_size,
            "groups": rows,
            "hidden": hidden,
        }
    return breakdowns


def weakest_group(breakdown: Mapping[str, object]) -> dict[str, object] | None:
    """The shown group (large enough to compare) with the lowest share closed within target;
    ties go to the longer median time to close. None when no group has a share."""
    rated = [g for g in breakdown["groups"] if g.get("share_closed_within_target") is not None]
    if not rated:
        return None
    return min(
        rated,
        key=lambda g: (
            g["share_closed_within_target"],
            -(g.get("median_resolution_hours") or 0.0),
            g["group"],
        ),
    )


# ----------------------------------------------------------------------------------------------
# Helpers


def _data_date(requests: pd.DataFrame) -> pd.Timestamp | None:
    return latest_instant(
        requests, ("created_at", "acknowledged_at", "first_response_at", "closed_at")
    )


def _count_between(
    timestamps: pd.Series, starts: pd.DatetimeIndex, ends: pd.DatetimeIndex
) -> np.ndarray:
    instants = as_utc(timestamps)
    values = np.sort(to_micros(instants[instants.notna()]))
    lower = to_micros(pd.Series(starts).astype(UTC_TS))
    upper = to_micros(pd.Series(ends).astype(UTC_TS))
    return np.searchsorted(values, upper, side="left") - np.searchsorted(values, lower, side="left")
