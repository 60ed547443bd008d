"""The Synthèse figures of a period and their change against the previous period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from metrics import engagement, responses
from metrics import requests as request_figures
from metrics.period import Period

FigureValue = int | float | None
Kind = Literal["count", "rate", "duration"]
Direction = Literal["higher", "lower", "neutral"]


@dataclass(frozen=True)
class FigureSpec:
    """What kind of number a figure is and which way it should move."""

    kind: Kind  # count (int), rate (fraction, 0.42 = 42 %), duration (hours, float)
    direction: Direction  # which change is an improvement; neutral = volume, no judgement


# The registry every consumer reads: add a figure here, in docs/metrics.md and in
# synthesis_figures, and the change logic follows.
FIGURES: dict[str, FigureSpec] = {
    "publications": FigureSpec("count", "higher"),
    "interactions": FigureSpec("count", "higher"),
    "engagement_rate_reach": FigureSpec("rate", "higher"),
    "engagement_rate_impressions": FigureSpec("rate", "higher"),
    "messages_received": FigureSpec("count", "neutral"),
    "messages_answered": FigureSpec("count", "higher"),
    "share_answered": FigureSpec("rate", "higher"),
    "median_first_response_hours": FigureSpec("duration", "lower"),
    "requests_received": FigureSpec("count", "neutral"),
    "requests_closed": FigureSpec("count", "higher"),
    "open_backlog": FigureSpec("count", "lower"),
    "median_resolution_hours": FigureSpec("duration", "lower"),
}

FIGURE_KEYS: tuple[str, ...] = tuple(FIGURES)
RATE_KEYS: frozenset[str] = frozenset(key for key, spec in FIGURES.items() if spec.kind == "rate")
HIGHER_IS_BETTER: frozenset[str] = frozenset(
    key for key, spec in FIGURES.items() if spec.direction == "higher"
)
LOWER_IS_BETTER: frozenset[str] = frozenset(
    key for key, spec in FIGURES.items() if spec.direction == "lower"
)


@dataclass(frozen=True)
class FigureChange:
    """Change of one figure against the previous period.

    ``delta`` is current − previous (in fraction points for rates: 0.05 = +5 points);
    ``relative`` is delta ÷ previous (None for rates and when previous is 0 or missing);
    ``better`` is True for an improvement, False for a deterioration, None when there is
    nothing to judge (neutral volume, missing value or no change).
    """

    delta: int | float | None
    relative: float | None
    better: bool | None


def synthesis_figures(
    publications: pd.DataFrame,
    messages: pd.DataFrame,
    requests: pd.DataFrame,
    period: Period,
) -> dict[str, FigureValue]:
    """Every figure of FIGURE_KEYS for ``period``, as plain ints, floats or None (JSON-ready).

    The backlog is taken at ``period.end_utc``, the first instant after the period.
    """
    return {
        "publications": engagement.publication_count(publications, period),
        "interactions": engagement.interaction_total(publications, period),
        "engagement_rate_reach": engagement.engagement_rate(publications, period, "reach"),
        "engagement_rate_impressions": engagement.engagement_rate(
            publications, period, "impressions"
        ),
        "messages_received": responses.messages_received(messages, period),
        "messages_answered": responses.messages_answered(messages, period),
        "share_answered": responses.share_answered(messages, period),
        "median_first_response_hours": responses.median_first_response_hours(messages, period),
        "requests_received": request_figures.requests_received(requests, period),
        "requests_closed": request_figures.requests_closed(requests, period),
        "open_backlog": request_figures.open_backlog(requests, period.end_utc),
        "median_resolution_hours": request_figures.median_resolution_hours(requests, period),
    }


def figure_changes(
    current: Mapping[str, FigureValue], previous: Mapping[str, FigureValue]
) -> dict[str, FigureChange]:
    """The change of each figure of ``current`` against ``previous`` (a missing key = None).

    Raises KeyError for a key that is not a known figure: its direction would be a guess.
    """
    changes: dict[str, FigureChange] = {}
    for key, now in current.items():
        if key not in FIGURES:
            raise KeyError(f"Indicateur inconnu : {key!r}.")
        changes[key] = figure_change(key, now, previous.get(key))
    return changes


def figure_change(key: str, current: FigureValue, previous: FigureValue) -> FigureChange:
    """The change of figure ``key`` from ``previous`` to ``current``."""
    spec = FIGURES[key]
    if current is None or previous is None:
        return FigureChange(delta=None, relative=None, better=None)
    delta = current - previous
    relative = None if spec.kind == "rate" or previous == 0 else delta / previous
    if spec.direction == "neutral" or delta == 0:
        better = None
    else:
        better = (delta > 0) == (spec.direction == "higher")
    return FigureChange(delta=delta, relative=relative, better=better)
