"""The column-wise inserts (SQLite executemany, PostgreSQL COPY) store what SQLAlchemy stored."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ingest.canonical import conform, stored_schema
from store import repository
from store.models import MODEL_BY_KIND
from tests.conftest import imported_frame as imported

T0 = pd.Timestamp("2026-03-29 00:59:59.123456", tz="UTC")
TRICKY = ["a\\b", "tab\there", "line\nbreak", "cr\rhere", "\\N", "é’ ✓", "", "  spaced  "]


def _frames() -> dict[str, pd.DataFrame]:
    n = len(TRICKY)
    stamps = [T0 + pd.Timedelta(microseconds=7 * i, days=i) for i in range(n)]
    stamps[1] = pd.NaT
    stamps[2] = pd.Timestamp("0999-01-02 03:04:05.5", tz="UTC")
    floats = [47.42679567512283, -0.0, 1e-7, None, 1e21, -73.98, 0.1, 5e-324]
    ints = pd.array([0, None, 2**31 - 1, 7, -(2**31), 1, 3, 12], dtype="Int64")
    flags = [True, False, None, True, False, True, None, False]
    return {
        "request": pd.DataFrame(
            {
                "source": "nyc311",
                "native_id": [f"{i}{t}" for i, t in enumerate(TRICKY)],
                "created_at": stamps,
                "closed_at": stamps[::-1],
                "status": TRICKY,
                "category": [None, *TRICKY[1:]],
                "description": TRICKY[::-1],
                "latitude": floats,
                "longitude": floats[::-1],
                "language": "fr",
                "sentiment": floats,
                "sentiment_label": "neutre",
            }
        ),
        "message": pd.DataFrame(
            {
                "channel": "facebook",
                "native_id": [f"m{i}" for i in range(n)],
                "sent_at": stamps,
                "author": TRICKY,
                "is_staff": flags,
                "text": TRICKY,
                "replied_at": stamps[::-1],
                "is_hidden": flags[::-1],
            }
        ),
        "publication": pd.DataFrame(
            {
                "platform": "x",
                "native_id": [f"p{i}" for i in range(n)],
                "published_at": stamps,
                "text": TRICKY,
                "reach": ints,
                "impressions": ints[::-1],
            }
        ),
        "audience": pd.DataFrame(
            {
                "platform": "facebook",
                "account": TRICKY,
                "date": [pd.Timestamp("2026-01-01") + pd.Timedelta(days=i) for i in range(n)],
                "followers": ints,
            }
        ),
    }


def _stored(engine: Engine, kind: str) -> list[tuple]:
    """Every stored row of ``kind`` as the database holds it (type and text of each value)."""
    table = MODEL_BY_KIND[kind].__table__.name
    columns = [*stored_schema(kind), "import_id", "created_import_id"]
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            listed = ", ".join(f'"{c}"::text' for c in columns)
        else:
            listed = ", ".join(f'typeof("{c}"), "{c}"' for c in columns)
        return [
            tuple(r)
            for r in connection.exec_driver_sql(f"SELECT {listed} FROM {table} ORDER BY id")
        ]


def _per_value_insert(engine: Engine, kind: str, frame: pd.DataFrame, import_id: int) -> None:
    """The insert as it was before the column-wise path: SQLAlchemy Core on dicts, or COPY
    row by row with psycopg's own conversions."""
    model = MODEL_BY_KIND[kind]
    records = repository.frame_records(conform(frame, kind, enriched=True), kind)
    with Session(engine) as session, session.begin():
        if engine.dialect.name == "postgresql":
            names = ", ".join(
                f'"{c}"' for c in [*stored_schema(kind), "import_id", "created_import_id"]
            )
            raw = session.connection().connection.driver_connection
            statement = f"COPY {model.__table__.name} ({names}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for record in records:
                    copy.write_row((*record.values(), import_id, import_id))
        else:
            session.execute(
                model.__table__.insert(),
                [dict(r, import_id=import_id, created_import_id=import_id) for r in records],
            )


@pytest.mark.parametrize("kind", ["request", "message", "publication", "audience"])
def test_column_wise_insert_stores_what_sqlalchemy_stored(engine: Engine, kind: str) -> None:
    frame = _frames()[kind]
    outcome = imported(engine, frame, "a" * 64, kind=kind)
    assert outcome.inserted == len(frame)
    written = _stored(engine, kind)
    table = MODEL_BY_KIND[kind].__table__.name
    with engine.begin() as connection:
        connection.execute(text(f"DELETE FROM {table}"))
    _per_value_insert(engine, kind, frame, outcome.import_id)
    assert written == _stored(engine, kind)


def test_reimport_by_chunks_finds_every_stored_row(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "_INSERT_CHUNK", 3)
    frame = _frames()["request"]

    def apply(frame: pd.DataFrame) -> repository.ImportOutcome:
        return imported(engine, frame, "b" * 64, kind="request")

    first = apply(frame.iloc[::2])
    assert (first.inserted, first.updated, first.unchanged) == (4, 0, 0)
    changed = frame.copy()
    changed.loc[0, "status"] = "Closed"
    second = apply(changed)
    assert (second.inserted, second.updated, second.unchanged) == (4, 1, 3)
    stored = _stored(engine, "request")
    assert len(stored) == len(frame)


def test_a_year_sqlalchemy_cannot_write_is_refused_as_before(engine: Engine) -> None:
    frame = _frames()["request"].iloc[:2].copy()
    frame["created_at"] = pd.Series(
        [pd.Timestamp("2026-01-01", tz="UTC"), pd.Timestamp("2026-01-01", tz="UTC")]
    )
    frame.loc[1, "created_at"] = pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=3_000_000)
    with pytest.raises((ValueError, OverflowError)):
        imported(engine, frame, "c" * 64, kind="request")
    assert _stored(engine, "request") == []


def test_a_large_sqlite_import_gives_the_connection_its_cache_back(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.db import migrate, new_engine

    engine = new_engine(f"sqlite:///{tmp_path / 'cache.sqlite'}")
    migrate(engine)
    monkeypatch.setattr(repository, "_SQLITE_CACHE_FROM_ROWS", 1)
    seen = []
    original = repository._insert_sqlite

    def spy(session, *args):
        seen.append(session.connection().exec_driver_sql("PRAGMA cache_size").scalar())
        return original(session, *args)

    monkeypatch.setattr(repository, "_insert_sqlite", spy)
    with engine.connect() as connection:
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    frame = _frames()["request"]
    imported(engine, frame, "d" * 64, kind="request")
    assert seen == [-repository._SQLITE_IMPORT_CACHE_KIB]
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == before
    assert len(_stored(engine, "request")) == len(frame)
    engine.dispose()


def test_a_rejected_insert_raises_the_same_error_and_writes_nothing(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    frame = _frames()["request"]
    frame.loc[3, "native_id"] = frame.loc[2, "native_id"]  # the store's unique key says no
    with pytest.raises(IntegrityError):
        imported(engine, frame, "e" * 64, kind="request")
    assert _stored(engine, "request") == []
    assert repository.imports_frame(engine).empty


def test_postgresql_copies_in_binary_unless_a_value_needs_text(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"binary": 0, "text": 0}
    binary, text_copy = repository._copy_binary, repository._copy_text

    def counted(name, real):
        def wrapper(*args):
            calls[name] += 1
            return real(*args)

        return wrapper

    monkeypatch.setattr(repository, "_copy_binary", counted("binary", binary))
    monkeypatch.setattr(repository, "_copy_text", counted("text", text_copy))
    for kind, frame in _frames().items():
        assert imported(postgres_engine, frame, kind[0] * 64, kind=kind).inserted == len(frame)
    assert calls == {"binary": 4, "text": 0}
    # A count beyond PostgreSQL's integer goes by text, which PostgreSQL refuses as before.
    frame = _frames()["publication"].assign(platform="linkedin")
    frame.loc[0, "reach"] = 2**31
    with pytest.raises(DBAPIError, match="out of range"):
        imported(postgres_engine, frame, "z" * 64, kind="publication")
    assert calls["text"] == 1
