"""Reads and writes of canonical records: diffed upserts, the import ledger, undo and frame loads."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ingest.canonical import KEYS, UTC_TS, conform, empty_frame, stored_schema
from store.models import MODEL_BY_KIND, ImportChange, ImportRecord, ImportRejection, Setting

# Chunk size of the IN (...) lookups: well under SQLite's 32,766 bound-parameter limit.
_LOOKUP_CHUNK = 900
_WRITE_CHUNK = 5000


Progress = Callable[[float], None]


class UndoRefused(Exception):
    """An import cannot be undone; ``str(exc)`` says why, in French."""


@dataclass
class RowDiff:
    """How a canonical frame compares with what the database already holds."""

    inserts: list[dict] = field(default_factory=list)
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


def diff_rows(session: Session, kind: str, records: list[dict]) -> RowDiff:
    """Compare ``records`` (unique on the kind's key) with the stored rows of the same keys."""
    model = MODEL_BY_KIND[kind]
    key_columns = KEYS[kind]
    schema_columns = list(stored_schema(kind))
    existing: dict[tuple, dict] = {}
    # Nothing stored yet for these sources (a first import): every row is new, no lookup needed.
    first_column = key_columns[0]
    first_values = sorted({r[first_column] for r in records if r[first_column] is not None})
    anything_stored = session.scalar(
        select(model.id).where(getattr(model, first_column).in_(first_values)).limit(1)
    )
    if anything_stored is None:
        return RowDiff(inserts=list(records))
    # Look rows up by the last key column (the most selective one), in chunks, then match the
    # full key in Python: one indexed query per chunk on both databases.
    lookup_column = key_columns[-1]
    lookup_values = sorted({r[lookup_column] for r in records if r[lookup_column] is not None})
    selected = [model.id, model.import_id, *[getattr(model, c) for c in schema_columns]]
    for chunk in _chunks(lookup_values, _LOOKUP_CHUNK):
        rows = session.execute(select(*selected).where(getattr(model, lookup_column).in_(chunk)))
        for row in rows.mappings():
            existing[tuple(row[c] for c in key_columns)] = dict(row)
    diff = RowDiff()
    for record in records:
        stored = existing.get(tuple(record[c] for c in key_columns))
        if stored is None:
            diff.inserts.append(record)
            continue
        if all(_comparable(record[c]) == _comparable(stored[c]) for c in schema_columns):
            diff.unchanged += 1
            continue
        previous = {c: _json_ready(stored[c]) for c in schema_columns}
        previous["import_id"] = stored["import_id"]
        diff.updates.append((stored["id"], record, previous))
    return diff


def _copy_rows(session: Session, model, rows: list[dict], import_id: int, report, total) -> int:
    """Insert ``rows`` with PostgreSQL's COPY, inside the session's transaction (psycopg 3)."""
    if not rows:
        return 0
    names = [*rows[0].keys(), "import_id", "created_import_id"]
    table = model.__table__.name
    columns = ", ".join(f'"{name}"' for name in names)  # names come from the schema, not input
    import psycopg

    statement = f"COPY {table} ({columns}) FROM STDIN"
    raw = session.connection().connection.driver_connection
    written = 0
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for chunk in _chunks(rows, _WRITE_CHUNK):
                for row in chunk:
                    copy.write_row((*row.values(), import_id, import_id))
                written += len(chunk)
                report(written / total)
    except psycopg.Error as error:
        # The same exception types as the executemany path (IntegrityError…), for the callers.
        raise DBAPIError.instance(statement, None, error, psycopg.Error) from error
    return written


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
    """Upsert a canonical frame in one transaction and record the import in the ledger.

    With ``dry_run`` nothing is written: the counts say what the import would do. When the file
    changes nothing (every row unchanged), nothing is recorded either: there is nothing to undo.
    ``progress`` is called with the share of rows written so far (0 to 1).
    """
    report = progress or (lambda share: None)
    records = frame_records(conform(frame, kind, enriched=True), kind)
    model = MODEL_BY_KIND[kind]
    with Session(engine) as session, session.begin():
        diff = diff_rows(session, kind, records)
        previous_import_id = active_import_with_sha(session, sha256)
        outcome = ImportOutcome(
            import_id=None,
            rows_read=rows_read,
            inserted=len(diff.inserts),
            updated=len(diff.updates),
            unchanged=diff.unchanged,
            rejected=len(rejections),
            previous_import_id=previous_import_id,
        )
        if dry_run or not (diff.inserts or diff.updates):
            session.rollback()
            return outcome
        record = ImportRecord(
            file_name=file_name[:500],
            sha256=sha256,
            format_id=format_id,
            kind=kind,
            imported_by=user,
            imported_at=datetime.now(UTC).replace(tzinfo=None),
            timezone=timezone,
            rows_read=rows_read,
            inserted=outcome.inserted,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
            rejected=outcome.rejected,
            is_demo=is_demo,
        )
        session.add(record)
        session.flush()
        import_id = record.id
        total, written = len(diff.inserts) + len(diff.updates), 0
        # Core executemany on the table: the ORM's bulk path costs more per row than the
        # database does (cf. docs/performance.md).
        if session.get_bind().dialect.name == "postgresql":
            written = _copy_rows(session, model, diff.inserts, import_id, report, total)
        else:
            for chunk in _chunks(diff.inserts, _WRITE_CHUNK):
                session.execute(
                    model.__table__.insert(),
                    [dict(r, import_id=import_id, created_import_id=import_id) for r in chunk],
                )
                written += len(chunk)
                report(written / total)
        for chunk in _chunks(diff.updates, _WRITE_CHUNK):
            session.execute(
                update(model),
                [dict(new, id=row_id, import_id=import_id) for row_id, new, _ in chunk],
            )
            session.execute(
                insert(ImportChange),
                [
                    {
                        "import_id": import_id,
                        "kind": kind,
                        "row_id": row_id,
                        "previous": json.dumps(previous, ensure_ascii=False),
                    }
                    for row_id, _, previous in chunk
                ],
            )
            written += len(chunk)
            report(written / total)
        for chunk in _chunks(list(rejections), _WRITE_CHUNK):
            session.execute(
                insert(ImportRejection),
                [
                    {"import_id": import_id, "line": r.line, "reason": r.reason, "raw": r.raw}
                    for r in chunk
                ],
            )
        return ImportOutcome(**{**outcome.__dict__, "import_id": import_id})


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


def data_version(engine: Engine) -> tuple[int, int]:
    """A value that changes whenever an import or an undo changes the data (for caches)."""
    with Session(engine) as session:
        newest = session.scalar(select(func.max(ImportRecord.id))) or 0
        undone = session.scalar(select(func.count(ImportRecord.undone_at))) or 0
    return int(newest), int(undone)


def _naive_utc(ts: pd.Timestamp) -> datetime:
    return pd.Timestamp(ts).tz_convert("UTC").tz_localize(None).to_pydatetime()


def _load(
    engine: Engine, kind: str, condition, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Rows of ``kind`` matching ``condition`` as a conformed frame. With ``columns``, only
    those are read (the others stay empty): large free-text columns cost most of a load."""
    model = MODEL_BY_KIND[kind]
    names = list(columns) if columns else list(stored_schema(kind))
    with Session(engine) as session:
        rows = session.execute(select(*[getattr(model, c) for c in names]).where(condition)).all()
    if not rows:
        return empty_frame(kind, enriched=True)
    return conform(pd.DataFrame([tuple(r) for r in rows], columns=names), kind, enriched=True)


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
    model = MODEL_BY_KIND["request"]
    start, end = _naive_utc(start_utc), _naive_utc(end_utc)
    in_period = or_(
        and_(
            model.created_at < end,
            or_(model.closed_at.is_(None), model.closed_at >= start, model.created_at >= start),
        ),
        and_(model.closed_at >= start, model.closed_at < end),
    )
    condition = _where(
        in_period,
        _within(model.district, selection.districts),
        _within(model.category, selection.categories),
        _within(model.channel, selection.channels),
        _within(model.service, selection.services),
    )
    return _load(engine, "request", condition, columns)


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
