"""Helpers shared by the metric modules: column checks, UTC coercion, elapsed hours, medians and
quantiles, JSON-ready values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import pandas as pd

UTC_TS = "datetime64[us, UTC]"
_HOUR = pd.Timedelta(hours=1)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], kind: str) -> None:
    """Raise KeyError (French message) when ``frame`` lacks canonical columns a figure needs."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise KeyError(
            f"Colonnes manquantes dans le tableau « {kind} » : {', '.join(missing)}. "
            "Les métriques attendent un tableau au format canonique."
        )


def as_utc(timestamps: pd.Series) -> pd.Series:
    """``timestamps`` as tz-aware UTC; an all-missing column of any dtype becomes all NaT.

    Naive timestamps are refused rather than guessed: the canonical contract is UTC, and a
    silent guess would shift every figure by the zone offset.
    """
    if isinstance(timestamps.dtype, pd.DatetimeTZDtype):
        return timestamps.dt.tz_convert("UTC")
    if timestamps.isna().all():
        return pd.Series(pd.NaT, index=timestamps.index, dtype=UTC_TS)
    raise TypeError(
        "Horodatages attendus avec fuseau horaire (UTC), "
        f"reçu une colonne de type {timestamps.dtype}."
    )


def utc_instant(at: pd.Timestamp | datetime) -> pd.Timestamp:
    """``at`` as a UTC ``pd.Timestamp``; a naive instant is refused (its zone would be a guess)."""
    instant = pd.Timestamp(at)
    if instant.tzinfo is None:
        raise ValueError(
            f"L'instant {instant} n'a pas de fuseau horaire : précisez-le (par exemple UTC)."
        )
    return instant.tz_convert("UTC")


def elapsed_hours(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar hours from ``start`` to ``end`` (float); NaN when either is missing or end < start.

    A negative duration is a data error: it is excluded, not clipped to 0, so that it cannot
    pull a median towards an instant answer.
    """
    hours = (as_utc(end) - as_utc(start)) / _HOUR
    return hours.astype("float64").where(hours >= 0)


def median_or_none(values: pd.Series) -> float | None:
    """Ordinary median of the non-missing ``values``; None when there are none."""
    present = values.dropna()
    if present.empty:
        return None
    return float(present.median())


def ratio_or_none(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator`` as a float; None when the denominator is 0."""
    if denominator == 0:
        return None
    return float(numerator) / float(denominator)


def quantile_or_none(values: pd.Series, q: float) -> float | None:
    """Quantile ``q`` of the non-missing ``values`` (linear interpolation between the two
    surrounding values, so that q = 0.5 is the ordinary median); None when there are none."""
    present = values.dropna()
    if present.empty:
        return None
    return float(present.quantile(q))


def from_resident(messages: pd.DataFrame) -> pd.Series:
    """True for residents' messages: ``is_staff`` False or missing (an unknown author)."""
    return ~messages["is_staff"].astype("boolean").fillna(False).astype(bool)


def plain(value: object) -> object:
    """``value`` made JSON-ready: numpy and pandas scalars become int, float, str or None
    (NaN and NaT become None), recursively through dicts, lists and tuples."""
    if isinstance(value, dict):
        return {str(key) if not isinstance(key, str) else key: plain(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp | datetime):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_micros(timestamps: pd.Series) -> np.ndarray:
    """UTC instants as int64 microseconds since the epoch (NaT → the smallest int64)."""
    naive = as_utc(timestamps).dt.tz_localize(None).astype("datetime64[us]")
    return naive.to_numpy().view(np.int64)
