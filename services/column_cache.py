"""The in-memory copy of the columns the Synthèse reads, kept per database and data version,
and the rows of a period and a selection taken from it as the database would return them."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from ingest.canonical import stored_schema
from store import repository
from store.columns import stacked, table_columns
from store.repository import REQUEST_SCOPE, Selection

log = logging.getLogger(__name__)

# Below this many requests and messages the database answers a Synthèse fast enough by itself,
# and a copy in memory would only cost memory. Settable for a deployment (or a test).
MIN_ROWS_ENV = "PARVIS_COLUMN_CACHE_MIN_ROWS"
DEFAULT_MIN_ROWS = 200_000

# Seconds between the first request for the copy and the start of its background load.
BACKGROUND_DELAY_SECONDS = 8.0

# The Synthèse's columns, and the others the Demandes page reads (services.views
# REQUEST_PAGE_COLUMNS): every request column but free text, coordinates and text scores.
REQUEST_COLUMNS = (
    "created_at",
    "closed_at",
    "due_at",
    "acknowledged_at",
    "first_response_at",
    "category",
    "district",
    "channel",
    "service",
    "source",
    "native_id",
    "status",
    "subcategory",
)
MESSAGE_COLUMNS = ("sent_at", "is_staff", "replied_at", "channel")
PUBLICATION_COLUMNS = (
    "published_at",
    "reach",
    "impressions",
    "reactions",
    "comments",
    "shares",
    "platform",
)


@dataclass(frozen=True)
class Columns:
    """Every stored request, message and publication, a few columns each, as of ``version``.

    Messages are sorted by ``sent_at`` and publications by ``published_at`` (those without a
    date, which no period holds, left out), so that a period is a slice; repeated texts are
    categoricals until a slice gives them their canonical dtype back.
    """

    version: tuple[int, ...]
    imports: frozenset[int]  # the imports whose rows are in the copy
    requests: pd.DataFrame  # indexed by row id, as the two others
    messages: pd.DataFrame
    publications: pd.DataFrame
    load_seconds: float

    def requests_window(
        self,
        start_utc: pd.Timestamp,
        end_utc: pd.Timestamp,
        selection: Selection,
        columns: Sequence[str] = REQUEST_COLUMNS,
    ) -> pd.DataFrame:
        """The requests ``repository.load_requests`` reads for [start_utc, end_utc) within
        ``selection``: received in it, closed in it, or still open at its end."""
        frame = self.requests
        created, closed = _micros(frame["created_at"]), _micros(frame["closed_at"])
        start, end = _micros_of(start_utc), _micros_of(end_utc)
        dated, done = created != _NAT, closed != _NAT
        # As repository.request_window, where a comparison with NULL filters the row out.
        window = (dated & (created < end) & (~done | (closed >= start) | (created >= start))) | (
            done & (closed >= start) & (closed < end)
        )
        for field, column in REQUEST_SCOPE:
            values = getattr(selection, field)
            if values:
                window &= frame[column].isin(values).to_numpy()
        return _canonical(frame.loc[window, list(columns)], "request")

    def messages_in(
        self, start_utc: pd.Timestamp, end_utc: pd.Timestamp, selection: Selection
    ) -> pd.DataFrame:
        """The messages ``repository.load_messages`` reads for [start_utc, end_utc)."""
        frame = _between(self.messages, "sent_at", start_utc, end_utc)
        channels = tuple(dict.fromkeys(selection.platforms + selection.channels))
        if channels:
            frame = frame.loc[frame["channel"].isin(channels).to_numpy()]
        return _canonical(frame, "message")

    def publications_in(
        self, start_utc: pd.Timestamp, end_utc: pd.Timestamp, selection: Selection
    ) -> pd.DataFrame:
        """The publications ``repository.load_publications`` reads for [start_utc, end_utc)."""
        frame = _between(self.publications, "published_at", start_utc, end_utc)
        if selection.platforms:
            frame = frame.loc[frame["platform"].isin(selection.platforms).to_numpy()]
        return _canonical(frame, "publication")


def _between(
    frame: pd.DataFrame, column: str, start_utc: pd.Timestamp, end_utc: pd.Timestamp
) -> pd.DataFrame:
    """The rows of ``frame`` (sorted on ``column``, none missing) with ``column`` in
    [start_utc, end_utc): two binary searches instead of a comparison per row."""
    values = frame[column]
    first = values.searchsorted(pd.Timestamp(start_utc), side="left")
    last = values.searchsorted(pd.Timestamp(end_utc), side="left")
    return frame.iloc[first:last]


# NaT's int64 value, the "missing" of the microsecond views below.
_NAT = np.iinfo(np.int64).min


def _micros(instants: pd.Series) -> np.ndarray:
    """The microseconds since 1970 of a UTC datetime column, NaT as ``_NAT`` (a view, no copy):
    numpy comparisons on a million of them cost a fraction of pandas' tz-aware ones."""
    return instants.array.as_unit("us").asi8


def _micros_of(instant: pd.Timestamp) -> int:
    # Timestamp.value is in nanoseconds whatever the unit; a period bound is a whole second.
    return int(pd.Timestamp(instant).value) // 1000


def _canonical(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``frame`` with the canonical dtype of each column (texts back from categoricals), on a
    fresh index, as a database load returns it."""
    schema = stored_schema(kind)
    out = {}
    for name in frame.columns:
        values = frame[name]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # The categories' texts taken by code (-1, no value, gives NA): casting the
            # categorical would build each text again from Python objects.
            texts = values.cat.categories.astype(schema[name]).array
            values = pd.Series(texts.take(values.cat.codes.to_numpy(), allow_fill=True))
        out[name] = values.reset_index(drop=True)
    return pd.DataFrame(out, columns=list(frame.columns))


def _dated(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of ``frame`` that have a ``column`` (no period holds the others), sorted on it
    (row ids kept as the index)."""
    dated = frame.loc[frame[column].notna().to_numpy()]
    return dated.sort_values(column, kind="stable")


def _merged(kept: pd.DataFrame, written: pd.DataFrame) -> pd.DataFrame:
    """``kept`` with the rows of ``written`` (rows new imports wrote last) in place of those of
    the same id, and the others added; in id order."""
    if written.empty:
        return kept
    unchanged = kept.loc[~kept.index.isin(written.index)]
    both = stacked([unchanged.reset_index(), written.reset_index()])
    return both.set_index("id").sort_index(kind="stable")


# A copy whose load raced with a change of the data: never current, reloaded whole.
_RACED = (-1,)


# What the copy holds of each kind: (attribute, kind, columns, date a period slices by or None).
_KINDS = (
    ("requests", "request", REQUEST_COLUMNS, None),
    ("messages", "message", MESSAGE_COLUMNS, "sent_at"),
    ("publications", "publication", PUBLICATION_COLUMNS, "published_at"),
)


def load_columns(engine: Engine, previous: Columns | None = None) -> Columns:
    """The columns of the data as they stand now: a few seconds for a million requests, or,
    from ``previous`` when only new imports were made since, the rows those imports wrote."""
    started = time.perf_counter()
    version = repository.data_version(engine)
    imports = repository.import_ids(engine)
    incremental = previous is not None and _only_new_imports(previous, version, imports)
    new = imports - previous.imports if incremental else None
    frames = {}
    for attribute, kind, names, dated_by in _KINDS:
        frame = table_columns(engine, kind, names, new)
        if incremental:
            frame = _merged(getattr(previous, attribute), frame)
        frames[attribute] = frame if dated_by is None else _dated(frame, dated_by)
    # An import that landed during the load would be half in it: keep it for the version it
    # started from only if nothing moved meanwhile.
    if repository.data_version(engine) != version:
        version = _RACED
    return Columns(version, imports, **frames, load_seconds=time.perf_counter() - started)


def _only_new_imports(previous: Columns, version: tuple[int, ...], imports: frozenset[int]) -> bool:
    """Whether the data changed since ``previous`` by new imports only: no undo, purge or
    rescoring (the last two parts of the version), no import gone."""
    return (
        previous.version != _RACED
        and previous.version[2:] == version[2:]
        and previous.imports <= imports
    )


# ----------------------------------------------------------------------------------------------
# The process-wide cache: one copy per database, replaced when the data version moves.

_lock = threading.Lock()
_loaded: dict[str, Columns] = {}
_loading: set[str] = set()
_small: dict[str, tuple[int, ...]] = {}  # database → last version found too small to copy
_background = False


def enable_background_loading(enabled: bool = True) -> None:
    """Let :func:`ready_columns` start a load in a background thread (the app server does;
    one-shot commands such as ``cli.py kpis`` do not, as they would exit before it ends)."""
    global _background
    _background = enabled


def minimum_rows() -> int:
    """The requests plus messages from which the copy is kept (``PARVIS_COLUMN_CACHE_MIN_ROWS``)."""
    try:
        return max(0, int(os.environ.get(MIN_ROWS_ENV, DEFAULT_MIN_ROWS)))
    except ValueError:
        return DEFAULT_MIN_ROWS


def _key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def warm(engine: Engine) -> Columns:
    """Load the columns now, whatever the size of the data, and keep them."""
    columns = load_columns(engine)
    with _lock:
        _loaded[_key(engine)] = columns
    return columns


def ready_columns(engine: Engine, version: tuple[int, ...] | None = None) -> Columns | None:
    """The kept columns when they hold the current data version; else None (the caller asks
    the database), after starting a background load if allowed and the data is large enough."""
    key = _key(engine)
    version = repository.data_version(engine) if version is None else version
    with _lock:
        columns = _loaded.get(key)
        if columns is not None and columns.version == version:
            return columns
        if not _background or key in _loading or _small.get(key) == version:
            return None
    # Counted here, once per data version, so that no thread is started for a small database.
    if repository.stored_row_count(engine, ("request", "message")) < minimum_rows():
        with _lock:
            _small[key] = version
        return None
    with _lock:
        if key in _loading:
            return None
        _loading.add(key)
    # A first load starts a little later: a fresh server's first page (a few seconds of
    # Python) would otherwise share the interpreter with it and take half as long again
    # (measured: 4.1 s alone, 6.0 s beside the load, 1M requests). A refresh of a stale copy
    # starts at once (after imports, it reads their rows only).
    delay = 0.0 if columns is not None else BACKGROUND_DELAY_SECONDS
    timer = threading.Timer(delay, _load_in_background, args=(engine, columns))
    timer.daemon = True
    timer.start()
    return None


def loading(engine: Engine | None = None) -> bool:
    """Whether a background load of ``engine``'s columns (of any database when None) is under
    way."""
    with _lock:
        return bool(_loading) if engine is None else _key(engine) in _loading


def _load_in_background(engine: Engine, previous: Columns | None) -> None:
    key = _key(engine)
    try:
        columns = load_columns(engine, previous)
        with _lock:
            _loaded[key] = columns
        log.info("Colonnes en mémoire chargées en %.1f s.", columns.load_seconds)
    except Exception:  # a failed load leaves the database in charge of every figure
        log.exception("Chargement des colonnes en mémoire impossible.")
    finally:
        with _lock:
            _loading.discard(key)


def forget(engine: Engine | None = None) -> None:
    """Drop the kept columns (of ``engine``, or all): tests and a purge that must not wait."""
    with _lock:
        if engine is None:
            _loaded.clear()
            _small.clear()
        else:
            _loaded.pop(_key(engine), None)
            _small.pop(_key(engine), None)
