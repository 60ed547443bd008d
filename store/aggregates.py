"""Request figures counted by the database, and the few request rows a Synthèse still reads."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, func, or_, select

from store.models import ServiceRequest
from store.repository import (
    ALL,
    MODEL_BY_KIND,
    Selection,
    _naive_utc,
    _request_scope,
    _where,
    read_frame,
    readable_columns,
    request_window,
    rows_frame,
)

# The keys of request_counts, named as metrics.synthesis.FIGURES names these figures.
REQUEST_COUNT_KEYS = ("requests_received", "requests_closed", "open_backlog")


@dataclass(frozen=True)
class OpenRequests:
    """Requests open at an instant, counted per stored value of each grouping column (None for
    an empty value), and the latest creation or closing instant among them."""

    counts: dict[str, dict[str | None, int]] = field(default_factory=dict)
    latest: pd.Timestamp | None = None


def _count(*conditions):
    return (
        select(func.count())
        .select_from(ServiceRequest)
        .where(_where(*conditions))
        .scalar_subquery()
    )


def request_counts(
    engine: Engine,
    start_utc: pd.Timestamp,
    end_utc: pd.Timestamp,
    selection: Selection = ALL,
) -> dict[str, int]:
    """Requests received in [start_utc, end_utc), closed in it, and open at ``end_utc``, as
    ``metrics.requests`` defines them (requests_received, requests_closed, open_backlog).

    One statement, one count per index range, each read from ix_requests_created_at or
    ix_requests_closed_at_created_at alone. A single SUM(CASE …) pass over the union of the
    three sets has to gather the row ids and read every row from the table: on SQLite with
    1M requests, 50 to 90 ms a period against 7 to 40 ms.
    """
    model = ServiceRequest
    start, end = _naive_utc(start_utc), _naive_utc(end_utc)
    scope = _request_scope(selection)
    # Open at end = created before it and not closed before it: never closed, or closed at
    # the end or after. Two ranges of the (closed_at, created_at) index counted apart; as one
    # OR, SQLite collects and dedupes the row ids before counting them.
    statement = select(
        _count(model.created_at >= start, model.created_at < end, *scope).label(
            "requests_received"
        ),
        _count(model.closed_at >= start, model.closed_at < end, *scope).label("requests_closed"),
        (
            _count(model.closed_at.is_(None), model.created_at < end, *scope)
            + _count(model.closed_at >= end, model.created_at < end, *scope)
        ).label("open_backlog"),
    )
    with engine.connect() as connection:
        row = connection.execute(statement).one()
    return {key: int(row._mapping[key]) for key in REQUEST_COUNT_KEYS}


def closed_requests(
    engine: Engine,
    start_utc: pd.Timestamp,
    end_utc: pd.Timestamp,
    selection: Selection = ALL,
) -> pd.DataFrame:
    """``created_at`` and ``closed_at`` of the requests closed in [start_utc, end_utc): all
    that the median time to close reads."""
    model = ServiceRequest
    start, end = _naive_utc(start_utc), _naive_utc(end_utc)
    condition = _where(model.closed_at >= start, model.closed_at < end, *_request_scope(selection))
    with engine.connect() as connection:
        return read_frame(connection, "request", ("created_at", "closed_at"), condition)


def received_or_closed_requests(
    engine: Engine,
    start_utc: pd.Timestamp,
    end_utc: pd.Timestamp,
    selection: Selection = ALL,
    columns: Sequence[str] = ("created_at", "closed_at"),
) -> pd.DataFrame:
    """``columns`` of the requests received in [start_utc, end_utc) or closed in it (each
    once): what a breakdown reads, apart from the backlog (see :func:`open_requests`)."""
    start, end = _naive_utc(start_utc), _naive_utc(end_utc)
    scope = _request_scope(selection)
    with engine.connect() as connection:
        selected = readable_columns("request", columns, connection.dialect.name)
        return rows_frame(
            connection.execute(_received_or_closed(selected, start, end, scope)), columns, "request"
        )


def _received_or_closed(selected: list, start: datetime, end: datetime, scope: list):
    """The union of the requests received in [start, end) and of those only closed in it."""
    model = ServiceRequest
    received = select(*selected).where(
        _where(model.created_at >= start, model.created_at < end, *scope)
    )
    # Closed in the period and not received in it (a missing creation date included): two
    # index ranges concatenated, where an OR of both made SQLite dedupe row ids first.
    closed_only = select(*selected).where(
        _where(
            model.closed_at >= start,
            model.closed_at < end,
            or_(model.created_at.is_(None), model.created_at < start, model.created_at >= end),
            *scope,
        )
    )
    return received.union_all(closed_only)


def open_requests(
    engine: Engine,
    at_utc: pd.Timestamp,
    selection: Selection = ALL,
    by: Sequence[str] = ("category", "district"),
) -> OpenRequests:
    """Requests open at ``at_utc`` (created before it, not closed before it) per value of each
    column of ``by``, and the latest ``created_at`` or ``closed_at`` among them, in one
    grouped query."""
    model = ServiceRequest
    at = _naive_utc(at_utc)
    keys = [getattr(model, name) for name in by]
    statement = (
        select(*keys, func.count(), func.max(model.created_at), func.max(model.closed_at))
        .where(
            _where(
                # Two ranges of the (closed_at, created_at) index; "created_at < at AND (…)"
                # made SQLite walk ix_requests_created_at over nearly every row instead.
                or_(
                    and_(model.closed_at.is_(None), model.created_at < at),
                    and_(model.closed_at >= at, model.created_at < at),
                ),
                *_request_scope(selection),
            )
        )
        .group_by(*keys)
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    counts: dict[str, dict[str | None, int]] = {name: {} for name in by}
    latest = None
    for row in rows:
        values, count, instants = row[: len(by)], int(row[len(by)]), row[len(by) + 1 :]
        for name, value in zip(by, values, strict=True):
            counts[name][value] = counts[name].get(value, 0) + count
        for instant in instants:
            if instant is not None and (latest is None or instant > latest):
                latest = instant
    return OpenRequests(counts, None if latest is None else pd.Timestamp(latest, tz="UTC"))


def filter_values(
    engine: Engine, kind: str, columns: Sequence[str], limit: int = 500
) -> dict[str, list[str]]:
    """The distinct non-empty values of each column of ``kind`` (choices of the sidebar
    filters), in French alphabetical order (accents and case aside), at most ``limit`` each.

    One DISTINCT over the combinations of the columns, split here: a city's requests hold a
    few thousand (quartier, category, channel, service) combinations, and one scan of a
    million rows costs less than one scan per column (SQLite, 1M requests: 0.5 s against
    1.2 s).
    """
    model = MODEL_BY_KIND[kind]
    fields = [getattr(model, column) for column in columns]
    values: dict[str, set[str]] = {column: set() for column in columns}
    with engine.connect() as connection:
        for row in connection.execute(select(*fields).distinct()):
            for column, value in zip(columns, row, strict=True):
                if value is not None and str(value).strip():
                    values[column].add(str(value))
    return {column: sorted(found, key=_french_order)[:limit] for column, found in values.items()}


def _french_order(value: str) -> tuple[str, str]:
    """Sort key of a choice: « Éclairage » among the E, whatever the database's collation."""
    bare = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in bare if not unicodedata.combining(char)), value


def latest_request_instant(
    engine: Engine,
    start_utc: pd.Timestamp,
    end_utc: pd.Timestamp,
    selection: Selection,
    columns: Sequence[str],
) -> pd.Timestamp | None:
    """The latest instant in ``columns`` among the requests ``repository.load_requests`` would
    read for the period (``metrics.targets.latest_instant`` of that load), without reading
    them; None when there is none."""
    model = ServiceRequest
    statement = select(*[func.max(getattr(model, name)) for name in columns]).where(
        _where(request_window(start_utc, end_utc), *_request_scope(selection))
    )
    with engine.connect() as connection:
        values = [value for value in connection.execute(statement).one() if value is not None]
    if not values:
        return None
    return pd.Timestamp(max(pd.Timestamp(value) for value in values)).tz_localize("UTC")
