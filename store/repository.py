"""Reads and writes of canonical records: diffed upserts, the import ledger, undo and frame loads."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    Result,
    String,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ingest.canonical import KEYS, UTC_TS, conform, empty_frame, stored_schema
from store.models import (
    MODEL_BY_KIND,
    AuditEntry,
    ImportChange,
    ImportRecord,
    ImportRejection,
    Setting,
)

try:  # pandas' default string storage; without it every value is converted one by one
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - pyarrow comes with the dependencies
    pa = pc = None  # type: ignore[assignment]

# Chunk size of the IN (...) lookups: well under SQLite's 32,766 bound-parameter limit.
_LOOKUP_CHUNK = 900
_WRITE_CHUNK = 5000
# Rows of the frame converted and written at once: large enough that each call is cheap,
# small enough that the Python values of a chunk stay a small part of an import's memory.
_INSERT_CHUNK = 20_000


Progress = Callable[[float], None]


class UndoRefused(Exception):
    """An import cannot be undone; ``str(exc)`` says why, in French."""


@dataclass
class RowDiff:
    """How a canonical frame compares with what the database already holds."""

    inserts: list[int] = field(default_factory=list)  # positions in the frame of the new rows
    updates: list[tuple[int, dict, dict]] = field(default_factory=list)  # (row id, new, previous)
    unchanged: int = 0


@dataclass(frozen=True)
class RejectedRow:
    """A rejected row as the ledger stores it."""

    line: int
    reason: str
    raw: str = ""


@dataclass(frozen=True)
class ImportOutcome:
    """Counts of one import, and its id in the ledger (None when nothing was written)."""

    import_id: int | None
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    previous_import_id: int | None = None  # an earlier, still active import of the same bytes
    sha256: str = ""  # the file's fingerprint, as recorded


def _column_values(values: pd.Series, dtype: str) -> list:
    """A canonical column as the plain Python values the database stores (None for missing),
    converted column by column: a cell-by-cell conversion dominated large imports."""
    missing = values.isna().to_numpy()
    if dtype == UTC_TS:
        naive = values.dt.tz_convert("UTC").dt.tz_localize(None)
        converted = list(naive.dt.to_pydatetime()) if len(values) else []
    elif dtype == "datetime64[us]":
        converted = list(values.dt.date) if len(values) else []
    elif dtype == "Int64":
        converted = values.fillna(0).astype("int64").tolist()
    elif dtype == "Float64":
        converted = values.fillna(0.0).astype("float64").tolist()
    elif dtype == "boolean":
        converted = values.fillna(False).astype(bool).tolist()
    else:
        converted = values.astype(object).tolist()
        return [None if gap else str(v) for v, gap in zip(converted, missing, strict=True)]
    return [None if gap else v for v, gap in zip(converted, missing, strict=True)]


def frame_records(frame: pd.DataFrame, kind: str) -> list[dict]:
    """The rows of a canonical frame as dicts of database-ready values."""
    schema = stored_schema(kind)
    names = list(schema)
    columns = [_column_values(frame[column], dtype) for column, dtype in schema.items()]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _comparable(value: object) -> object:
    # Databases return floats and datetimes slightly differently (e.g. microseconds dropped by
    # some drivers); compare on a stable text form so an unchanged row stays unchanged.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, float):
        return round(value, 9)
    return value


def _json_ready(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _from_json(value: object, dtype: str) -> object:
    if value is None:
        return None
    if dtype == UTC_TS:
        return datetime.fromisoformat(value)
    if dtype == "datetime64[us]":
        return date.fromisoformat(value)
    return value


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def diff_rows(
    session: Session, kind: str, frame: pd.DataFrame, fresh: set | None = None
) -> RowDiff:
    """Compare a conformed canonical ``frame`` (unique on the kind's key) with the stored rows
    of the same keys.

    The frame is compared a chunk of rows at a time: a million rows never become a million
    dicts (the peak memory of an import was there). ``fresh`` holds the values of the key's
    first column (a source, a platform) that had no stored row when an import began writing
    them: the import's next frames, whose keys differ from its earlier ones, are new there
    too. Values found without stored rows are added to it.
    """
    model = MODEL_BY_KIND[kind]
    key_columns = KEYS[kind]
    schema = stored_schema(kind)
    schema_columns = list(schema)
    # Nothing stored yet for these sources (a first import): every row is new, no lookup needed.
    first_column = key_columns[0]
    # Distinct values first: the column holds one source or platform a million times.
    distinct = pd.Series(frame[first_column].dropna().unique(), dtype=frame[first_column].dtype)
    first_values = sorted(
        {v for v in _column_values(distinct, schema[first_column]) if v is not None}
    )
    fresh = set() if fresh is None else fresh
    unchecked = [value for value in first_values if value not in fresh]
    anything_stored = unchecked and session.scalar(
        select(model.id).where(getattr(model, first_column).in_(unchecked)).limit(1)
    )
    if not anything_stored:
        fresh.update(unchecked)
        return RowDiff(inserts=list(range(len(frame))))
    # Look rows up by the whole key, in chunks: the first columns (a source, a channel: a few
    # values) by equality and the last (the most selective one) by IN, so that each query
    # walks the key's unique index. By the last column alone it could not use that index
    # (its first column is the source): every chunk read the whole table, and a re-import
    # slowed down as the table grew.
    prefix_columns, lookup_column = key_columns[:-1], key_columns[-1]
    selected = [model.id, model.import_id, *[getattr(model, c) for c in schema_columns]]
    diff = RowDiff()
    for start in range(0, len(frame), _INSERT_CHUNK):
        records = frame_records(frame.iloc[start : start + _INSERT_CHUNK], kind)
        existing: dict[tuple, dict] = {}
        wanted: dict[tuple, set] = {}
        for record in records:
            if record[lookup_column] is not None:
                prefix = tuple(record[c] for c in prefix_columns)
                wanted.setdefault(prefix, set()).add(record[lookup_column])
        for prefix, values in wanted.items():
            same_prefix = [
                getattr(model, column).is_(None)
                if value is None
                else getattr(model, column) == value
                for column, value in zip(prefix_columns, prefix, strict=True)
            ]
            for chunk in _chunks(sorted(values), _LOOKUP_CHUNK):
                rows = session.execute(
                    select(*selected).where(*same_prefix, getattr(model, lookup_column).in_(chunk))
                )
                for row in rows.mappings():
                    existing[tuple(row[c] for c in key_columns)] = dict(row)
        for position, record in enumerate(records, start=start):
            stored = existing.get(tuple(record[c] for c in key_columns))
            if stored is None:
                diff.inserts.append(position)
                continue
            if all(_comparable(record[c]) == _comparable(stored[c]) for c in schema_columns):
                diff.unchanged += 1
                continue
            previous = {c: _json_ready(stored[c]) for c in schema_columns}
            previous["import_id"] = stored["import_id"]
            diff.updates.append((stored["id"], record, previous))
    return diff


def _insert_columns(kind: str) -> list[str]:
    """The columns an insert writes: the stored schema, then the import ids."""
    return [*stored_schema(kind), "import_id", "created_import_id"]


def _year_in_range(stamps: np.ndarray) -> bool:
    """True when every timestamp (NaT aside) has a year Python's datetime can hold, as the
    old conversion required."""
    present = stamps[~np.isnat(stamps)]
    if not len(present):
        return True
    return bool(present.min() >= _FIRST_STAMP and present.max() <= _LAST_STAMP)


_FIRST_STAMP = np.datetime64("0001-01-01T00:00:00", "us")
_LAST_STAMP = np.datetime64("9999-12-31T23:59:59.999999", "us")


def _naive_stamps(values: pd.Series, dtype: str) -> np.ndarray:
    """A timestamp (UTC_TS) or day ("datetime64[us]") column as naive UTC datetime64[us]."""
    if dtype == UTC_TS:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values.to_numpy(dtype="datetime64[us]")


def _text_column(values: pd.Series, dtype: str):
    """A canonical column as a pyarrow array of what the database gets (timestamps and days as
    their text, numbers and booleans as such; null where missing), or None when the column
    holds a year only the per-value conversion can reject."""
    if pa is None:
        return None
    if dtype in (UTC_TS, "datetime64[us]"):
        stamps = _naive_stamps(values, dtype)
        if not _year_in_range(stamps):
            return None
        if dtype == "datetime64[us]":
            stamps = stamps.astype("datetime64[D]")
        # "2024-11-01 04:11:46.000000": what SQLAlchemy's SQLite DateTime stores, and a
        # timestamp PostgreSQL reads.
        return pc.cast(pa.array(stamps), pa.string())
    array = pa.array(values, from_pandas=True)
    missing = values.isna().to_numpy(dtype=bool)
    if missing.any():
        # NaN counts as missing too, as in _column_values.
        array = pc.if_else(pa.array(missing), pa.scalar(None, array.type), array)
    return array


def _sqlite_rows(frame: pd.DataFrame, kind: str, import_id: int) -> list[tuple] | None:
    """The rows of ``frame`` as tuples of the values SQLAlchemy's SQLite types would store,
    or None when one column needs the per-value conversion."""
    columns = []
    for column, dtype in stored_schema(kind).items():
        values = _text_column(frame[column], dtype)
        if values is None:
            return None
        if dtype == "boolean":
            # SQLite has no boolean: SQLAlchemy stores 1 and 0.
            values = pc.cast(values, pa.int64())
        columns.append(_python_values(values, repeated=dtype == "str"))
    ids = [import_id] * len(frame)
    return list(zip(*columns, ids, ids, strict=True))


def _python_values(values, *, repeated: bool) -> list:
    """The values of a pyarrow array as Python objects (None for null).

    A text column that repeats its values (a category, a status) gets one str object per
    distinct value: fewer objects to build, and SQLite's driver encodes each to UTF-8 once.
    """
    if repeated and len(values):
        encoded = values.dictionary_encode()
        if len(encoded.dictionary) * 4 <= len(values):
            lookup = np.empty(len(encoded.dictionary) + 1, dtype=object)
            lookup[:-1] = encoded.dictionary.to_pylist()
            codes = encoded.indices.fill_null(len(encoded.dictionary))
            return lookup[codes.to_numpy(zero_copy_only=False)].tolist()
    return values.to_pylist()


def _insert_sqlite(session: Session, model, frame: pd.DataFrame, kind: str, import_id: int) -> None:
    """Insert ``frame`` in the session's transaction with one executemany of ready tuples.

    SQLAlchemy's Core insert converts every value (parameter dicts, the DateTime processor per
    cell), which cost more than SQLite itself; the tuples here hold the same stored values.
    """
    rows = _sqlite_rows(frame, kind, import_id)
    if rows is None:
        _insert_core(session, model, frame, kind, import_id)
        return
    names = _insert_columns(kind)
    columns = ", ".join(f'"{name}"' for name in names)  # names come from the schema, not input
    placeholders = ", ".join("?" for _ in names)
    session.connection().exec_driver_sql(
        f"INSERT INTO {model.__table__.name} ({columns}) VALUES ({placeholders})", rows
    )


def _insert_core(session: Session, model, frame: pd.DataFrame, kind: str, import_id: int) -> None:
    """Insert ``frame`` with SQLAlchemy's Core executemany, every value converted by its type."""
    session.execute(
        model.__table__.insert(),
        [
            dict(r, import_id=import_id, created_import_id=import_id)
            for r in frame_records(frame, kind)
        ],
    )


# Page cache (KiB) of the SQLite connection while a large import writes: with SQLite's 2 MB
# default, the table's indexes no longer fit past a few hundred thousand rows and each insert
# rereads their pages (a third of the write time of a million rows).
_SQLITE_IMPORT_CACHE_KIB = 131_072
_SQLITE_CACHE_FROM_ROWS = 50_000


@contextmanager
def _sqlite_cache(session: Session, rows: int) -> Iterator[None]:
    """A larger page cache for the connection while ``rows`` rows are inserted, then the
    connection's own again (it goes back to the pool)."""
    if rows < _SQLITE_CACHE_FROM_ROWS:
        yield
        return
    connection = session.connection()
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{_SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(DBAPIError):
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


def _copy_text(frame: pd.DataFrame, kind: str, import_id: int) -> memoryview | None:
    """The rows of ``frame`` in COPY's text format (without the last line break), built column
    by column, or None when one column needs the per-value conversion."""
    cells = []
    for column, dtype in stored_schema(kind).items():
        values = _text_column(frame[column], dtype)
        if values is None:
            return None
        if dtype == "boolean":
            values = pc.if_else(values, "t", "f")
        elif pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            if dtype not in (UTC_TS, "datetime64[us]"):
                values = _copy_escaped(values)
        else:
            values = pc.cast(values, pa.string())
        cells.append(pc.fill_null(values.cast(pa.large_string()), "\\N"))
    ids = pa.array([str(import_id)] * len(frame), pa.large_string())
    tab, newline = pa.scalar("\t", pa.large_string()), pa.scalar("\n", pa.large_string())
    lines = pc.binary_join_element_wise(*cells, ids, ids, tab)
    joined = pc.binary_join(
        pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines), newline
    )
    # The buffer itself, not a copy of it in bytes: COPY's writer queues it as it is.
    return memoryview(joined[0].as_buffer())


# COPY's binary format: the signature and its two empty words, the trailer, and the epoch of
# PostgreSQL's timestamps and dates (2000-01-01) in microseconds and days since 1970.
_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_BINARY_TRAILER = b"\xff\xff"
_PG_EPOCH_US = 946_684_800_000_000
_PG_EPOCH_DAYS = 10_957
_INT4 = (-(2**31), 2**31 - 1)


def _copy_binary(frame: pd.DataFrame, kind: str, import_id: int) -> memoryview:
    """The rows of ``frame`` in COPY's binary format (what PostgreSQL stores, without parsing
    text), built column by column; ``frame`` passed :func:`_fits_binary`."""
    schema = stored_schema(kind)
    size = len(frame)
    fields = [_fixed_fields(np.full(size, len(schema) + 2, dtype=">i2"), None, counted=False)]
    for column, dtype in schema.items():
        values = frame[column]
        # Missing values are read from what each branch builds (NaT, NaN, nulls) where it
        # can: pandas' isna holds the interpreter while the caller analyses the next block.
        if dtype in (UTC_TS, "datetime64[us]"):
            stamps = _naive_stamps(values, dtype)
            missing = np.isnat(stamps)
            if dtype == UTC_TS:
                wire = (stamps.view(np.int64) - _PG_EPOCH_US).astype(">i8")
            else:
                days = stamps.astype("datetime64[D]").view(np.int64) - _PG_EPOCH_DAYS
                wire = days.astype(">i4")
            fields.append(_fixed_fields(wire, missing))
        elif dtype == "Float64":
            numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
            fields.append(_fixed_fields(numbers.astype(">f8"), np.isnan(numbers)))
        elif dtype == "Int64":
            numbers = values.fillna(0).to_numpy(dtype=np.int64)
            fields.append(_fixed_fields(numbers.astype(">i4"), values.isna().to_numpy(bool)))
        elif dtype == "boolean":
            flags = values.fillna(False).to_numpy(dtype=bool).astype(np.uint8)
            fields.append(_fixed_fields(flags, values.isna().to_numpy(bool)))
        else:  # text: missing values (None, NaN, NA) become nulls
            fields += _text_fields(pa.array(values, pa.string(), from_pandas=True))
    ids = _fixed_fields(np.full(size, import_id, dtype=">i4"), None)
    rows = pc.binary_join_element_wise(*fields, ids, ids, pa.scalar(b"", pa.binary()))
    offsets = np.frombuffer(
        rows.buffers()[1], dtype=np.int32, count=size + 1, offset=rows.offset * 4
    )
    return memoryview(rows.buffers()[2])[offsets[0] : offsets[-1]]


def _fixed_fields(wire: np.ndarray, missing: np.ndarray | None, *, counted: bool = True):
    """Binary COPY fields of a fixed-width type: each value's length then its big-endian
    bytes, or the length -1 alone where missing (``counted=False``: the bytes alone)."""
    size = len(wire)
    width = wire.dtype.itemsize
    body = np.ascontiguousarray(wire).view(np.uint8).reshape(size, width)
    if not counted:
        record, keep = body, None
    else:
        record = np.empty((size, 4 + width), dtype=np.uint8)
        record[:, :4] = np.array([width], dtype=">i4").view(np.uint8)
        record[:, 4:] = body
        keep = None
        if missing is not None and missing.any():
            record[missing, :4] = 0xFF
            keep = np.ones(record.shape, dtype=bool)
            keep[missing, 4:] = False
    data = record.reshape(-1) if keep is None else record[keep]
    sizes = np.full(size, record.shape[1], dtype=np.int32)
    if keep is not None:
        sizes[missing] = 4
    offsets = np.zeros(size + 1, dtype=np.int32)
    np.cumsum(sizes, out=offsets[1:])
    return pa.BinaryArray.from_buffers(
        pa.binary(), size, [None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(data))]
    )


def _text_fields(text) -> list:
    """Binary COPY fields of a text column, as two arrays to join with the row's others: each
    value's UTF-8 length (-1 where missing), then its bytes (none where missing)."""
    lengths = pc.binary_length(text).fill_null(-1).to_numpy(zero_copy_only=False)
    prefixes = _fixed_fields(lengths.astype(">i4"), None, counted=False)
    return [prefixes, pc.fill_null(text, "").cast(pa.binary())]


def _copy_escaped(values):
    """Text values escaped for COPY's text format: backslash, tab, newline, carriage return."""
    if not pc.any(pc.match_substring_regex(values, r"[\\\t\n\r]")).as_py():
        return values
    for char, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        values = pc.replace_substring(values, char, escaped)
    return values


@contextmanager
def _database_errors(statement: str) -> Iterator[None]:
    """psycopg's errors as SQLAlchemy's (IntegrityError…), as the executemany path raises."""
    import psycopg

    try:
        yield
    except psycopg.Error as error:
        raise DBAPIError.instance(statement, None, error, psycopg.Error) from error


def _copy_statement(model, kind: str) -> str:
    columns = ", ".join(f'"{name}"' for name in _insert_columns(kind))  # from the schema
    return f"COPY {model.__table__.name} ({columns}) FROM STDIN"


def _open_copy(session: Session, model, kind: str, stack: ExitStack, *, binary: bool):
    """A COPY into ``model``'s table inside the session's transaction (psycopg 3), closed
    with ``stack``. Its writes are queued and sent by psycopg's writer thread, so the caller
    formats (or reads) the next rows while PostgreSQL stores these. In binary format its
    signature is sent; the trailer is the closer's."""
    from psycopg.copy import QueuedLibpqWriter

    statement = _copy_statement(model, kind) + (" (FORMAT binary)" if binary else "")
    raw = session.connection().connection.driver_connection
    stack.enter_context(_database_errors(statement))
    cursor = stack.enter_context(raw.cursor())
    copy = stack.enter_context(cursor.copy(statement, writer=QueuedLibpqWriter(cursor)))
    if binary:
        copy.write(_BINARY_SIGNATURE)
    return copy


def _fits_binary(frame: pd.DataFrame, kind: str) -> bool:
    """True when every value of ``frame`` has a binary COPY form the text path would accept
    the same way (years Python can hold, whole numbers within PostgreSQL's integer)."""
    for column, dtype in stored_schema(kind).items():
        values = frame[column]
        if dtype in (UTC_TS, "datetime64[us]"):
            if not _year_in_range(_naive_stamps(values, dtype)):
                return False
        elif (
            dtype == "Int64"
            and values.notna().any()
            and (values.min() < _INT4[0] or values.max() > _INT4[1])
        ):
            return False
    return True


# Rows an import must bring, and outnumber the table's, for PostgreSQL to build the table's
# secondary indexes after its COPY rather than maintain them row by row (a first import of a
# city's history: 1M requests stored in 5 s instead of 8, plus 1.2 s of index builds).
_REBUILD_INDEXES_FROM_ROWS = 200_000


def _secondary_indexes(session: Session, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of ``table`` that enforce nothing (neither primary
    key nor unique): dropping them changes no check an import relies on."""
    rows = session.execute(
        text(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = :table AND t.relnamespace = to_regnamespace(current_schema()) "
            "AND NOT x.indisprimary AND NOT x.indisunique ORDER BY i.relname"
        ),
        {"table": table},
    )
    return [(name, definition) for name, definition in rows]


def _copy_rows(copy, frame: pd.DataFrame, kind: str, import_id: int, binary: bool) -> None:
    """Write the rows of ``frame`` to an open COPY: each chunk formatted column by column and
    sent in one write (``binary``: the COPY is in binary format, every chunk of the frame was
    checked to fit it)."""
    for start in range(0, len(frame), _INSERT_CHUNK):
        chunk = frame.iloc[start : start + _INSERT_CHUNK]
        if binary:
            copy.write(_copy_binary(chunk, kind, import_id))
            continue
        lines = _copy_text(chunk, kind, import_id)
        if lines is None:
            for row in frame_records(chunk, kind):
                copy.write_row((*row.values(), import_id, import_id))
        else:
            copy.write(lines)
            copy.write(b"\n")


def active_import_with_sha(session: Session, sha256: str) -> int | None:
    """Id of the newest not-undone import of a file with this sha256, if any."""
    return session.scalar(
        select(func.max(ImportRecord.id)).where(
            ImportRecord.sha256 == sha256, ImportRecord.undone_at.is_(None)
        )
    )


def apply_import(
    engine: Engine,
    *,
    kind: str,
    format_id: str,
    frame: pd.DataFrame,
    rows_read: int,
    rejections: Sequence[RejectedRow],
    file_name: str,
    sha256: str,
    user: str,
    timezone: str,
    is_demo: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Upsert a canonical frame in one transaction and record the import in the ledger
    (:class:`ImportWriter` with one frame).

    ``progress`` is called with the share of rows written so far (0 to 1).
    """
    with ImportWriter(
        engine,
        kind=kind,
        format_id=format_id,
        file_name=file_name,
        sha256=sha256,
        user=user,
        timezone=timezone,
        is_demo=is_demo,
        dry_run=dry_run,
    ) as writer:
        writer.add(frame, progress)
        return writer.finish(rows_read=rows_read, rejections=rejections)


class ImportWriter:
    """One import written in one transaction, a canonical frame at a time.

    ``add`` each frame (the blocks of one file: their keys differ from one another), then
    ``finish`` with the file's counts and rejections; leaving the ``with`` block without
    ``finish`` (an error) rolls everything back. With ``dry_run`` nothing is written: the
    counts say what the import would do. When the file changes nothing (every row unchanged),
    nothing is recorded either: there is nothing to undo.

    On PostgreSQL a frame's new rows go by COPY, left open when ``add`` returns: the server
    stores them while the caller reads the next block.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        kind: str,
        format_id: str,
        file_name: str,
        sha256: str | Callable[[], str],
        user: str,
        timezone: str,
        is_demo: bool = False,
        dry_run: bool = False,
        expected_rows: int = 0,
    ) -> None:
        self.kind, self.dry_run = kind, dry_run
        self._model = MODEL_BY_KIND[kind]
        # A callable is asked for the fingerprint only by ``finish``: a large file's hash can
        # be made while its rows are written.
        self._sha256 = sha256 if callable(sha256) else lambda: sha256
        self._ledger = {
            "file_name": file_name[:500],
            "format_id": format_id,
            "kind": kind,
            "imported_by": user,
            "timezone": timezone,
            "is_demo": is_demo,
        }
        self._session = Session(engine)
        self._dialect = engine.dialect.name
        self._record: ImportRecord | None = None
        self._fresh: set = set()
        self._counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        self._copy_stack = ExitStack()
        self._copy = None
        self._formatter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parvis-copy")
        self._formatting: Future | None = None
        self._binary = False  # the open COPY is in binary format
        self._sqlite_stack = ExitStack()
        self._large = False  # a larger SQLite page cache is on (the first large frame)
        self.expected_rows = expected_rows
        self._indexes_checked = False
        self._dropped_indexes: list[tuple[str, str]] = []

    def __enter__(self) -> ImportWriter:
        self._session.begin()
        return self

    def __exit__(self, *error) -> None:
        try:
            if self._copy is not None:
                self._copy = None
                if self._formatting is not None:
                    # Its own failure matters less than the one that brought us here.
                    wait([self._formatting])
                self._copy_stack.__exit__(*error)
        finally:
            self._formatting = None
            self._formatter.shutdown()
            self._sqlite_stack.close()
            if self._session.in_transaction():
                self._session.rollback()
            self._session.close()

    def add(self, frame: pd.DataFrame, progress: Progress | None = None) -> None:
        """Compare ``frame`` with the stored rows and write its new and changed rows."""
        report = progress or (lambda share: None)
        frame = conform(frame, self.kind, enriched=True)
        # The statements below need the connection: the previous frame's COPY ends here.
        self._end_copy()
        diff = diff_rows(self._session, self.kind, frame, self._fresh)
        self._counts["inserted"] += len(diff.inserts)
        self._counts["updated"] += len(diff.updates)
        self._counts["unchanged"] += diff.unchanged
        if self.dry_run or not (diff.inserts or diff.updates):
            return
        import_id = self._import_id()
        total, written = len(diff.inserts) + len(diff.updates), 0
        for chunk in _chunks(diff.updates, _WRITE_CHUNK):
            self._update(chunk, import_id)
            written += len(chunk)
            report(written / total)
        # New rows go in by chunks of the frame, converted column by column: COPY on
        # PostgreSQL, one executemany of ready tuples elsewhere (cf. docs/performance.md).
        inserts = frame if len(diff.inserts) == len(frame) else frame.iloc[diff.inserts]
        if not len(inserts):
            return

        def inserted(share: float) -> None:
            report((written + share * len(inserts)) / total)

        if self._dialect == "postgresql":
            # Binary: PostgreSQL stores the values without parsing their text (a second of
            # its time per million requests); text for a frame holding a value only the text
            # path checks.
            self._binary = _fits_binary(inserts, self.kind)
            self._defer_indexes()
            self._copy = _open_copy(
                self._session, self._model, self.kind, self._copy_stack, binary=self._binary
            )
            # Formatted by another thread (pyarrow lets it run beside this one) while the
            # caller reads the next block; _end_copy waits for it.
            self._formatting = self._formatter.submit(
                _copy_rows, self._copy, inserts, self.kind, import_id, self._binary
            )
            inserted(1.0)
            return
        if (
            self._dialect == "sqlite"
            and not self._large
            and len(inserts) >= _SQLITE_CACHE_FROM_ROWS
        ):
            self._large = True
            self._sqlite_stack.enter_context(_sqlite_cache(self._session, len(inserts)))
        for start in range(0, len(inserts), _INSERT_CHUNK):
            chunk = inserts.iloc[start : start + _INSERT_CHUNK]
            if self._dialect == "sqlite":
                _insert_sqlite(self._session, self._model, chunk, self.kind, import_id)
            else:
                _insert_core(self._session, self._model, chunk, self.kind, import_id)
            inserted((start + len(chunk)) / len(inserts))

    def finish(self, *, rows_read: int, rejections: Sequence[RejectedRow]) -> ImportOutcome:
        """Store the rejections and the import's counts, and commit (nothing when the import
        changed nothing, or is a dry run)."""
        self._end_copy()
        self._sqlite_stack.close()
        sha256 = self._sha256()
        outcome = ImportOutcome(
            import_id=None,
            rows_read=rows_read,
            rejected=len(rejections),
            # This import's own record has no fingerprint yet: it is not found here.
            previous_import_id=active_import_with_sha(self._session, sha256),
            sha256=sha256,
            **self._counts,
        )
        if self._record is None:
            self._session.rollback()
            return outcome
        import_id = self._record.id
        self._record.sha256 = sha256
        for _, definition in self._dropped_indexes:
            self._session.execute(text(definition))
        for chunk in _chunks(list(rejections), _WRITE_CHUNK):
            self._session.execute(
                insert(ImportRejection),
                [
                    {"import_id": import_id, "line": r.line, "reason": r.reason, "raw": r.raw}
                    for r in chunk
                ],
            )
        self._record.rows_read = rows_read
        self._record.rejected = len(rejections)
        for name, count in self._counts.items():
            setattr(self._record, name, count)
        self._session.commit()
        return replace(outcome, import_id=import_id)

    def _import_id(self) -> int:
        """The ledger id of this import, recorded when it first writes a row."""
        if self._record is None:
            self._record = ImportRecord(
                **self._ledger,
                sha256="",  # known by ``finish``
                imported_at=datetime.now(UTC).replace(tzinfo=None),
                rows_read=0,
                inserted=0,
                updated=0,
                unchanged=0,
                rejected=0,
            )
            self._session.add(self._record)
            self._session.flush()
        return self._record.id

    def _update(self, chunk: Sequence[tuple[int, dict, dict]], import_id: int) -> None:
        """Write changed rows, keeping what they held for an undo."""
        self._session.execute(
            update(self._model),
            [dict(new, id=row_id, import_id=import_id) for row_id, new, _ in chunk],
        )
        self._session.execute(
            insert(ImportChange),
            [
                {
                    "import_id": import_id,
                    "kind": self.kind,
                    "row_id": row_id,
                    "previous": json.dumps(previous, ensure_ascii=False),
                }
                for row_id, _, previous in chunk
            ],
        )

    def _defer_indexes(self) -> None:
        """Before the first COPY of an import that brings more rows than the table holds (and
        at least _REBUILD_INDEXES_FROM_ROWS): drop the table's secondary indexes, rebuilt by
        ``finish`` in the same transaction.

        Building an index once over all the rows costs a fraction of maintaining it per row.
        The table stays locked for other sessions until the commit (DROP INDEX takes an ACCESS
        EXCLUSIVE lock): readers wait for the import rather than see it half written.
        """
        if self._indexes_checked or self.expected_rows < _REBUILD_INDEXES_FROM_ROWS:
            return
        self._indexes_checked = True
        table = self._model.__table__.name
        stored = self._session.scalar(
            text(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT :rows) AS head"),
            {"rows": self.expected_rows},
        )
        if stored >= self.expected_rows:
            return
        self._dropped_indexes = _secondary_indexes(self._session, table)
        for name, _ in self._dropped_indexes:
            self._session.execute(text(f'DROP INDEX "{name}"'))  # a name from the catalog
        self._session.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))

    def _end_copy(self) -> None:
        """Wait for the rows of the open COPY to be formatted and sent, and for PostgreSQL to
        store them (their errors are raised here)."""
        if self._copy is None:
            return
        copy, self._copy = self._copy, None
        pending, self._formatting = self._formatting, None
        try:
            if pending is not None:
                pending.result()
            if self._binary:
                copy.write(_BINARY_TRAILER)
        except BaseException as failure:
            self._copy_stack.__exit__(type(failure), failure, failure.__traceback__)
            raise
        self._copy_stack.close()


def undo_import(engine: Engine, import_id: int, user: str) -> dict[str, int]:
    """Remove exactly what an import added and restore what it updated, in one transaction.

    Refused when a later import has since changed the same rows (undo that one first), or when
    the import is unknown or already undone.
    """
    with Session(engine) as session, session.begin():
        record = session.get(ImportRecord, import_id)
        if record is None:
            raise UndoRefused(f"L'import n°{import_id} n'existe pas.")
        if record.undone_at is not None:
            raise UndoRefused(
                f"L'import n°{import_id} a déjà été annulé le "
                f"{record.undone_at:%d/%m/%Y à %H:%M} (UTC)."
            )
        model = MODEL_BY_KIND[record.kind]
        changes = session.execute(
            select(ImportChange.row_id, ImportChange.previous).where(
                ImportChange.import_id == import_id
            )
        ).all()
        changed_ids = [row_id for row_id, _ in changes]
        touched = or_(model.created_import_id == import_id, model.id.in_(changed_ids or [-1]))
        later = session.scalars(
            select(model.import_id).where(touched, model.import_id != import_id).distinct()
        ).all()
        if later:
            names = ", ".join(f"n°{i}" for i in sorted(later))
            raise UndoRefused(
                f"Impossible d'annuler l'import n°{import_id} : des lignes qu'il a écrites ont "
                f"été modifiées depuis par l'import {names}. Annulez d'abord celui-ci."
            )
        deleted = session.execute(
            delete(model).where(model.created_import_id == import_id)
        ).rowcount
        schema = stored_schema(record.kind)
        restores = []
        for row_id, previous_json in changes:
            previous = json.loads(previous_json)
            values = {c: _from_json(previous.get(c), dtype) for c, dtype in schema.items()}
            restores.append(dict(values, id=row_id, import_id=previous["import_id"]))
        for chunk in _chunks(restores, _WRITE_CHUNK):
            session.execute(update(model), list(chunk))
        record.undone_at = datetime.now(UTC).replace(tzinfo=None)
        record.undone_by = user
        return {"deleted": deleted or 0, "restored": len(restores)}


def imports_frame(engine: Engine) -> pd.DataFrame:
    """The import ledger, newest first."""
    columns = [
        "id",
        "file_name",
        "format_id",
        "kind",
        "imported_by",
        "imported_at",
        "rows_read",
        "inserted",
        "updated",
        "unchanged",
        "rejected",
        "is_demo",
        "undone_at",
        "undone_by",
        "sha256",
    ]
    with Session(engine) as session:
        rows = session.execute(
            select(*[getattr(ImportRecord, c) for c in columns]).order_by(ImportRecord.id.desc())
        ).all()
    return pd.DataFrame(rows, columns=columns)


def rejections_frame(engine: Engine, import_id: int) -> pd.DataFrame:
    """Rejected rows of one import: line, reason, raw."""
    with Session(engine) as session:
        rows = session.execute(
            select(ImportRejection.line, ImportRejection.reason, ImportRejection.raw)
            .where(ImportRejection.import_id == import_id)
            .order_by(ImportRejection.line)
        ).all()
    return pd.DataFrame(rows, columns=["line", "reason", "raw"])


def demo_import_ids(engine: Engine) -> list[int]:
    """Ids of the active demo imports, newest first (the order in which to undo them)."""
    with Session(engine) as session:
        return list(
            session.scalars(
                select(ImportRecord.id)
                .where(ImportRecord.is_demo.is_(True), ImportRecord.undone_at.is_(None))
                .order_by(ImportRecord.id.desc())
            )
        )


def has_any_import(engine: Engine) -> bool:
    """True when at least one import was ever recorded (even undone)."""
    with Session(engine) as session:
        return session.scalar(select(func.count(ImportRecord.id))) > 0


# Audited actions that change stored data outside imports and undos.
DATA_ACTIONS = ("purge", "rescore_sentiment")


def data_version(engine: Engine) -> tuple[int, int, int, int]:
    """A value that changes whenever an import, an undo, a retention purge or a new scoring
    changes the data (the key of every data cache: purged personal data must not stay on
    screen).

    The number of imports is in it as well as the newest id: of two imports run at once on
    two servers, the one with the smaller id can commit last."""
    with Session(engine) as session:
        newest, imports, undone = session.execute(
            select(
                func.max(ImportRecord.id),
                func.count(ImportRecord.id),
                func.count(ImportRecord.undone_at),
            )
        ).one()
        changed = (
            session.scalar(
                select(func.max(AuditEntry.id)).where(AuditEntry.action.in_(DATA_ACTIONS))
            )
            or 0
        )
    return int(newest or 0), int(imports or 0), int(undone or 0), int(changed)


def import_ids(engine: Engine) -> frozenset[int]:
    """The ids of every import on record (undone ones included)."""
    with engine.connect() as connection:
        return frozenset(int(i) for i in connection.execute(select(ImportRecord.id)).scalars())


def stored_row_count(engine: Engine, kinds: Sequence[str]) -> int:
    """How many rows of ``kinds`` the store holds."""
    with engine.connect() as connection:
        return sum(
            int(connection.execute(select(func.count()).select_from(MODEL_BY_KIND[kind])).scalar())
            for kind in kinds
        )


def _naive_utc(ts: pd.Timestamp) -> datetime:
    return pd.Timestamp(ts).tz_convert("UTC").tz_localize(None).to_pydatetime()


# Rows copied into columns at a time by rows_frame (see there why not all at once).
_PARTITION = 1000


def readable_columns(kind: str, names: Sequence[str], dialect: str) -> list:
    """The select list that reads ``names`` of ``kind`` for :func:`rows_frame`, each labelled
    with its name. On SQLite an instant is read as its stored text ('YYYY-MM-DD
    HH:MM:SS.ffffff'), which numpy parses a column at a time, instead of one datetime object
    built per cell; SQLite's own date functions round to the millisecond."""
    model, schema = MODEL_BY_KIND[kind], stored_schema(kind)
    selected = []
    for name in names:
        column = getattr(model, name)
        if schema[name] == UTC_TS and dialect == "sqlite":
            column = type_coerce(column, String)
        selected.append(column.label(name))
    return selected


def rows_frame(result: Result, names: Sequence[str], kind: str) -> pd.DataFrame:
    """The rows of ``result`` (selected by :func:`readable_columns`) as a frame of ``names``
    with the canonical dtypes of ``kind`` (``id``, the row id, as int64), built column by
    column.

    Rows are taken a partition at a time and dropped once copied into the columns: holding
    tens of thousands of row objects at once set off full garbage collections that cost more
    than the query (and a DataFrame built from row objects, then conformed, more still).
    """
    schema = {**stored_schema(kind), "id": "int64"}
    columns: list[list] = [[] for _ in names]
    for partition in result.partitions(_PARTITION):
        for column, values in zip(columns, zip(*partition, strict=True), strict=True):
            column.extend(values)
    frame = {}
    for name, values in zip(names, columns, strict=True):
        if schema[name] == UTC_TS:
            # Text or datetime objects (naive UTC), None as NaT, exact to the microsecond.
            instants = np.array(values, dtype="datetime64[us]")
            frame[name] = pd.Series(instants).dt.tz_localize("UTC")
        elif schema[name] == "datetime64[us]":  # a calendar date
            frame[name] = pd.to_datetime(pd.Series(values, dtype=object)).astype(schema[name])
        else:
            frame[name] = pd.Series(values, dtype=object).astype(schema[name])
    return pd.DataFrame(frame, columns=list(names))


def read_frame(connection: Connection, kind: str, names: Sequence[str], condition) -> pd.DataFrame:
    """``names`` of the rows of ``kind`` matching ``condition``, as :func:`rows_frame` builds
    them."""
    statement = select(*readable_columns(kind, names, connection.dialect.name))
    return rows_frame(connection.execute(statement.where(condition)), names, kind)


def _load(
    engine: Engine, kind: str, condition, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Rows of ``kind`` matching ``condition`` as a conformed frame. With ``columns``, only
    those are read (the others stay empty): large free-text columns cost most of a load."""
    names = list(columns) if columns else list(stored_schema(kind))
    with engine.connect() as connection:
        frame = read_frame(connection, kind, names, condition)
    if frame.empty:
        return empty_frame(kind, enriched=True)
    return conform(frame, kind, enriched=True)


@dataclass(frozen=True)
class Selection:
    """Filters pushed into the queries; an empty tuple means "all"."""

    platforms: tuple[str, ...] = ()  # publications: platform; messages: channel
    districts: tuple[str, ...] = ()  # requests: quartier
    categories: tuple[str, ...] = ()  # requests: category
    channels: tuple[str, ...] = ()  # requests and messages: channel
    services: tuple[str, ...] = ()  # requests: service in charge


ALL = Selection()


def _within(column, values: tuple[str, ...]):
    return column.in_(list(values)) if values else None


def _where(*conditions):
    kept = [c for c in conditions if c is not None]
    return and_(*kept) if len(kept) > 1 else kept[0]


def load_publications(
    engine: Engine,
    start_utc: pd.Timestamp,
    end_utc: pd.Timestamp,
    selection: Selection = ALL,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Publications published in [start_utc, end_utc), as a canonical frame."""
    model = MODEL_BY_KIND["publication"]
    start, end = _naive_utc(start_utc), _naive_utc(end_utc)
    condition = _where(
        model.published_at >= start,
        model.published_at < end,
        _within(model.platform, selection.platforms),
    )
    return _load(engine, "publication", condition, columns)


def load_messages(
    engine: Engine,
    start_utc: pd.Timestamp,
    end_utc: pd.Timestamp,
    selection: Selection = ALL,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Messages sent in [start_utc, end_utc), as a canonical frame (with enrichment)."""
    model = MODEL_BY_KIND["message"]
    start, end = _naive_utc(start_utc), _naive_utc(end_utc)
    channels = tuple(dict.fromkeys(selection.platforms + selection.channels))
    condition = _where(
        model.sent_at >= start, model.sent_at < end, _within(model.channel, channels)
    )
    return _load(engine, "message", condition, columns)


def request_window(start_utc: pd.Timestamp, end_utc: pd.Timestamp):
    """The condition of the requests that matter to [start_utc, end_utc): received in it,
    closed in it, or still open at its end (anomalies such as a closing before the creation
    included)."""
    model = MODEL_BY_KIND["request"]
    start, end = _naive_utc(start_utc), _naive_utc(end_utc)
    return or_(
        and_(
            model.created_at < end,
            or_(model.closed_at.is_(None), model.closed_at >= start, model.created_at >= start),
        ),
        and_(model.closed_at >= start, model.closed_at < end),
    )


def load_requests(
    engine: Engine,
    start_utc: pd.Timestamp,
    end_utc: pd.Timestamp,
    selection: Selection = ALL,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Requests that matter to [start_utc, end_utc): received in it, closed in it, or still open
    at its end (anomalies such as a closing before the creation included).

    The selection's quartiers, categories and channels are applied here, in the query: the scope
    of a restricted account goes through it, so no page can show more than it.
    """
    condition = _where(request_window(start_utc, end_utc), *_request_scope(selection))
    return _load(engine, "request", condition, columns)


def load_received_requests(
    engine: Engine,
    start_utc: pd.Timestamp,
    end_utc: pd.Timestamp,
    selection: Selection = ALL,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Requests received (created) in [start_utc, end_utc) within ``selection``: the rows of
    :func:`load_requests` a view of what residents wrote in the period keeps."""
    model = MODEL_BY_KIND["request"]
    start, end = _naive_utc(start_utc), _naive_utc(end_utc)
    condition = _where(
        model.created_at >= start, model.created_at < end, *_request_scope(selection)
    )
    return _load(engine, "request", condition, columns)


# The selection's fields that filter requests, and the column each filters.
REQUEST_SCOPE = (
    ("districts", "district"),
    ("categories", "category"),
    ("channels", "channel"),
    ("services", "service"),
)


def _request_scope(selection: Selection) -> list:
    """The selection's conditions on requests (a restricted account's scope goes through
    them, so no page can show more than it)."""
    model = MODEL_BY_KIND["request"]
    return [
        _within(getattr(model, column), getattr(selection, field))
        for field, column in REQUEST_SCOPE
    ]


def distinct_values(engine: Engine, kind: str, column: str, limit: int = 500) -> list[str]:
    """The distinct non-empty values of one column (choices of a filter), sorted."""
    model = MODEL_BY_KIND[kind]
    field_ = getattr(model, column)
    with Session(engine) as session:
        values = session.scalars(
            select(field_).where(field_.is_not(None)).distinct().order_by(field_).limit(limit)
        ).all()
    return [str(v) for v in values if str(v).strip()]


def setting(engine: Engine, key: str, default: object = None) -> object:
    """A stored setting's value, or ``default``."""
    with Session(engine) as session:
        value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else json.loads(value)


def save_setting(engine: Engine, key: str, value: object) -> None:
    """Store a setting (JSON-serialisable value)."""
    with Session(engine) as session, session.begin():
        row = session.get(Setting, key)
        text = json.dumps(value, ensure_ascii=False)
        if row is None:
            session.add(Setting(key=key, value=text))
        else:
            row.value = text


# The date that decides when a record has reached its retention limit; requests still open
# are kept whatever their age (the service still owes an answer).
_RETENTION_DATE = {
    "request": "created_at",
    "message": "sent_at",
    "publication": "published_at",
    "audience": "date",
}


def purge_older_than(engine: Engine, kind: str, cutoff: datetime, dry_run: bool) -> int:
    """Delete (or, with ``dry_run``, count) the records of ``kind`` older than ``cutoff``."""
    model = MODEL_BY_KIND[kind]
    column = getattr(model, _RETENTION_DATE[kind])
    limit = cutoff.date() if kind == "audience" else cutoff
    condition = column < limit
    if kind == "request":
        condition = and_(condition, model.closed_at.is_not(None))
    with Session(engine) as session, session.begin():
        if dry_run:
            return int(session.scalar(select(func.count(model.id)).where(condition)) or 0)
        return int(session.execute(delete(model).where(condition)).rowcount or 0)


def load_audience(
    engine: Engine, end_utc: pd.Timestamp, selection: Selection = ALL
) -> pd.DataFrame:
    """Daily audience rows up to the day before ``end_utc`` (small table: all of its history,
    since growth needs the count just before a period)."""
    model = MODEL_BY_KIND["audience"]
    last_day = _naive_utc(end_utc).date()
    condition = _where(model.date < last_day, _within(model.platform, selection.platforms))
    return _load(engine, "audience", condition)
