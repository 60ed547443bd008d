"""The Synthèse use case: load what a period needs, compute its figures and their changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from metrics.period import Period
from metrics.requests import UNKNOWN_GROUP, requests_breakdowns, weakest_group
from metrics.synthesis import FigureChange, figure_changes, synthesis_figures
from metrics.targets import latest_instant
from services.column_cache import Columns, ready_columns
from store import aggregates, repository
from store.repository import ALL, Selection

# The keys `cli.py kpis` prints, in order: a contract with scheduled jobs.
KPI_KEYS = (
    "publications",
    "interactions",
    "engagement_rate_reach",
    "engagement_rate_impressions",
    "messages_received",
    "messages_answered",
    "median_first_response_hours",
    "requests_received",
    "requests_closed",
    "open_backlog",
    "median_resolution_hours",
)


# The columns each figure reads: loading only them keeps free texts out of the Synthèse's path.
PUBLICATION_COLUMNS = ("published_at", "reach", "impressions", "reactions", "comments", "shares")
MESSAGE_COLUMNS = ("sent_at", "is_staff", "replied_at")
BREAKDOWN_COLUMNS = ("created_at", "closed_at", "due_at", "category", "district")
WEAKEST_BY = ("category", "district")


@dataclass(frozen=True)
class Synthesis:
    """Figures of a period, of the previous period of the same length and of the same period a
    year before, the changes against both, and the weakest category and quartier."""

    period: Period
    previous_period: Period
    current: dict[str, int | float | None]
    previous: dict[str, int | float | None]
    changes: dict[str, FigureChange]
    year_before: dict[str, int | float | None] = field(default_factory=dict)
    changes_year: dict[str, FigureChange] = field(default_factory=dict)
    weakest: dict[str, dict | None] = field(default_factory=dict)


def period_figures(
    engine: Engine,
    period: Period,
    selection: Selection = ALL,
    columns: Columns | None = None,
) -> dict[str, int | float | None]:
    """Every Synthèse figure of ``period``, from the stored data within ``selection``: from
    ``columns`` (the copy in memory) when given, else from the database."""
    start, end = period.start_utc, period.end_utc
    if columns is not None:
        return synthesis_figures(
            columns.publications_in(start, end, selection),
            columns.messages_in(start, end, selection),
            columns.requests_window(start, end, selection, ("created_at", "closed_at")),
            period,
        )
    figures = synthesis_figures(
        repository.load_publications(engine, start, end, selection, PUBLICATION_COLUMNS),
        repository.load_messages(engine, start, end, selection, MESSAGE_COLUMNS),
        aggregates.closed_requests(engine, start, end, selection),
        period,
    )
    # Only the requests closed in the period were read (the median needs their dates); the
    # database counts the received ones and the backlog, which would be most of the rows.
    figures.update(aggregates.request_counts(engine, start, end, selection))
    return figures


def tile_targets(engine: Engine) -> dict[str, tuple[float, str]]:
    """The calendar target each duration tile is read against: (hours, French label).

    First response: the social networks' target (the Synthèse's messages are comments);
    time to close: the default closing target. A target in working time cannot be compared
    with a calendar median, so it is left out (the detailed pages judge each item instead).
    """
    from metrics.requests import DEFAULT_REQUEST_TARGET
    from services.settings import response_targets

    hours = {"hours": 1.0, "days": 24.0}
    targets = {}
    social = response_targets(engine).get("social")
    for key, target in (
        ("median_first_response_hours", social),
        ("median_resolution_hours", DEFAULT_REQUEST_TARGET),
    ):
        if target is not None and target.unit in hours:
            targets[key] = (target.amount * hours[target.unit], target.label)
    return targets


def weakest_groups(
    engine: Engine, period: Period, selection: Selection = ALL, columns: Columns | None = None
) -> dict:
    """The category and the quartier with the lowest share of requests closed within target
    (groups under the minimum size, also returned, left out), or None for each when none
    qualifies; from ``columns`` when given, else from the database."""
    from services.sections import section_options

    options = section_options(engine, period.timezone)
    start, end = period.start_utc, period.end_utc
    weakest: dict = {"minimum_size": options.minimum_group_size}
    if columns is not None:
        # Every row a breakdown needs, the still-open ones included: it counts them itself.
        requests = columns.requests_window(start, end, selection, BREAKDOWN_COLUMNS)
        still_open = None
        as_of = latest_instant(requests, ("created_at", "closed_at"))
    else:
        # A breakdown reads the requests received or closed in the period; of those still
        # open at its end only their count per group and their latest date matter, asked of
        # the database.
        requests = aggregates.received_or_closed_requests(
            engine, start, end, selection, BREAKDOWN_COLUMNS
        )
        still_open = aggregates.open_requests(engine, end, selection, WEAKEST_BY)
        # Targets are judged at the latest date of the rows a full load would hold (the
        # default of requests_breakdown): those read here and the open ones.
        dates = [latest_instant(requests, ("created_at", "closed_at")), still_open.latest]
        as_of = max((d for d in dates if d is not None), default=None)
    breakdowns = requests_breakdowns(
        requests,
        period,
        by=WEAKEST_BY,
        minimum_size=options.minimum_group_size,
        calendar=options.calendar,
        targets=options.targets,
        as_of=as_of,
    )
    for by, breakdown in breakdowns.items():
        if still_open is not None:
            open_at_end = _group_counts(still_open.counts[by])
            for group in breakdown["groups"]:
                group["open_at_end"] = open_at_end.get(group["group"], 0)
        weakest[by] = weakest_group(breakdown)
    return weakest


def _group_counts(counts: dict[str | None, int]) -> dict[str, int]:
    """Counts per stored value as requests_breakdown names groups (no value: UNKNOWN_GROUP)."""
    named: dict[str, int] = {}
    for value, count in counts.items():
        group = UNKNOWN_GROUP if value is None else str(value)
        named[group] = named.get(group, 0) + count
    return named


def synthesis(engine: Engine, period: Period, selection: Selection = ALL) -> Synthesis:
    """The Synthèse of ``period`` compared with its comparison period (the previous months, or
    the previous days) and with the same period a year before.

    Computed from the copy of the columns in memory when it holds the current data (a large
    database, once loaded: see ``services.column_cache``), else asked of the database; both
    give the same figures."""
    columns = ready_columns(engine)
    previous_period = period.comparison()
    current = period_figures(engine, period, selection, columns)
    previous = period_figures(engine, previous_period, selection, columns)
    year_before = period_figures(engine, period.year_before(), selection, columns)
    return Synthesis(
        period=period,
        previous_period=previous_period,
        current=current,
        previous=previous,
        changes=figure_changes(current, previous),
        year_before=year_before,
        changes_year=figure_changes(current, year_before),
        weakest=weakest_groups(engine, period, selection, columns),
    )


def kpi_document(engine: Engine, period: Period) -> dict:
    """The JSON document of `cli.py kpis`: the period and exactly the KPI keys."""
    figures = period_figures(engine, period)
    document: dict = {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "timezone": period.timezone,
        }
    }
    document.update({key: figures[key] for key in KPI_KEYS})
    return document
