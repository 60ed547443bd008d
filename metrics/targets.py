"""Delay targets (24 h, 15 jours, 5 jours ouvrés…): deadlines and met / missed / pending outcomes.

A target becomes, for each item, an inclusive deadline: the last instant at which an answer
is still on time. The outcome of an item is then

- ``met`` when it was answered at or before its deadline;
- ``missed`` when it was answered after it, or is still unanswered at ``as_of`` while the
  deadline has passed;
- ``pending`` when it is unanswered and its deadline has not passed at ``as_of``: it is left
  out of the share, which is met ÷ (met + missed).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd

from metrics._common import as_utc, ratio_or_none, utc_instant
from metrics.working_time import WorkingCalendar, add_working_hours, working_days_deadline

TargetUnit = Literal["hours", "days", "working_hours", "working_days"]
TARGET_UNITS: tuple[str, ...] = ("hours", "days", "working_hours", "working_days")
Outcome = Literal["met", "missed", "pending"]
OUTCOMES: tuple[str, ...] = ("met", "missed", "pending")


@dataclass(frozen=True)
class Target:
    """A delay target: ``amount`` calendar hours, calendar days (24 h), working hours or
    working days (the day of receipt not counted, due by the end of the n-th working day)."""

    amount: float
    unit: TargetUnit = "hours"

    def __post_init__(self) -> None:
        if self.unit not in TARGET_UNITS:
            raise ValueError(f"Unité de délai inconnue : {self.unit!r}.")
        if not math.isfinite(self.amount) or self.amount < 0:
            raise ValueError(f"Délai cible invalide : {self.amount!r}.")
        if self.unit == "working_days" and (self.amount != int(self.amount) or self.amount < 1):
            raise ValueError("Un délai en jours ouvrés est un nombre entier de jours, au moins 1.")

    @property
    def label(self) -> str:
        """French label: « 24 h », « 15 jours », « 5 jours ouvrés », « 7,5 h ouvrées »."""
        amount = f"{self.amount:g}".replace(".", ",")
        plural = "s" if self.amount >= 2 else ""
        return {
            "hours": f"{amount} h",
            "days": f"{amount} jour{plural}",
            "working_hours": f"{amount} h ouvrées",
            "working_days": f"{amount} jour{plural} ouvré{plural}",
        }[self.unit]


def as_target(value: Target | float | int | None) -> Target | None:
    """A Target from a Target, a number of calendar hours, or None."""
    if value is None or isinstance(value, Target):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Target(float(value), "hours")
    raise TypeError(f"Délai cible invalide : {value!r} (attendu : Target ou nombre d'heures).")


def deadlines(start: pd.Series, target: Target, calendar: WorkingCalendar) -> pd.Series:
    """Inclusive deadline (UTC) of each ``start`` for ``target``; NaT where ``start`` is missing."""
    start = as_utc(start)
    if target.unit == "hours":
        return start + pd.Timedelta(hours=target.amount)
    if target.unit == "days":
        return start + pd.Timedelta(hours=24 * target.amount)
    if target.unit == "working_hours":
        return add_working_hours(start, target.amount, calendar)
    return working_days_deadline(start, int(target.amount), calendar)


def row_deadlines(
    start: pd.Series,
    targets: pd.Series,
    calendar: WorkingCalendar,
    due: pd.Series | None = None,
) -> pd.Series:
    """Deadline of each row from its own target (a Series of Target or None).

    Where ``due`` (an announced deadline) is given and present, it wins over the target.
    Rows without a target and without ``due`` get NaT.
    """
    start = as_utc(start)
    out = pd.Series(pd.NaT, index=start.index, dtype="datetime64[us, UTC]")
    codes, distinct = pd.factorize(targets.astype(object), use_na_sentinel=True)
    for code, target in enumerate(distinct):  # a handful of distinct targets
        if isinstance(target, Target):
            rows = codes == code
            out[rows] = deadlines(start[rows], target, calendar).astype(out.dtype)
    if due is not None:
        due = as_utc(due)
        out = out.where(due.isna(), due)
    return out


def outcomes(
    start: pd.Series,
    end: pd.Series,
    deadline: pd.Series,
    as_of: pd.Timestamp | datetime,
) -> pd.Series:
    """``met`` / ``missed`` / ``pending`` per row, None where it cannot be judged (no start,
    no deadline, or an answer dated before the start: a data error)."""
    start, end, deadline = as_utc(start), as_utc(end), as_utc(deadline)
    instant = utc_instant(as_of)
    judged = (start.notna() & deadline.notna() & ~(end < start)).to_numpy(dtype=bool)
    answered = end.notna().to_numpy(dtype=bool)
    on_time = (end <= deadline).to_numpy(dtype=bool)
    expired = (deadline < instant).to_numpy(dtype=bool)
    labels = np.select(
        [
            judged & answered & on_time,
            judged & answered & ~on_time,
            judged & ~answered & expired,
            judged & ~answered & ~expired,
        ],
        ["met", "missed", "missed", "pending"],
        default="",
    )
    result = pd.Series(labels, index=start.index, dtype=object)
    return result.where(result != "", None)


def outcome_counts(results: pd.Series) -> dict[str, int]:
    """Number of rows of each outcome (met, missed, pending)."""
    return {name: int((results == name).sum()) for name in OUTCOMES}


def share_met(results: pd.Series) -> float | None:
    """met ÷ (met + missed); None when no row is judged yet."""
    counts = outcome_counts(results)
    return ratio_or_none(counts["met"], counts["met"] + counts["missed"])


def latest_instant(frame: pd.DataFrame, columns: Iterable[str]) -> pd.Timestamp | None:
    """The latest timestamp among ``columns`` of ``frame`` (the "date of the data"), or None."""
    latest = None
    for column in columns:
        if column in frame.columns:
            value = as_utc(frame[column]).max()
            if not pd.isna(value) and (latest is None or value > latest):
                latest = value
    return latest


def targets_for(
    keys: pd.Series,
    targets: Mapping[str, Target | float | int | None],
    default: Target | float | int | None = None,
) -> pd.Series:
    """The Target of each row from its key (channel kind, category…); ``default`` otherwise."""
    table = {key: as_target(value) for key, value in targets.items()}
    fallback = as_target(default)
    codes, distinct = pd.factorize(keys, use_na_sentinel=True)
    values = np.array(
        [*(table.get(key, fallback) if isinstance(key, str) else fallback for key in distinct)]
        + [fallback],
        dtype=object,
    )
    return pd.Series(values[codes], index=keys.index, dtype=object)  # code −1 → fallback
