"""Request (GRC / 311) figures: received, closed, open backlog and resolution time."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from metrics._common import as_utc, elapsed_hours, median_or_none, require_columns, utc_instant
from metrics.period import Period


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
