"""Every stored row names imports that exist, on both databases: SQLite by its foreign keys,
PostgreSQL by the per-statement triggers of migration 0005 (bulk COPY included)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from store.models import IMPORT_CHECKED_TABLES, MODEL_BY_KIND, ImportRecord, ServiceRequest
from tests.store.test_aggregates import END, START, request, stored

MISSING = 987_654


def _one_import(engine: Engine) -> int:
    """Two requests stored through the import path; the id of their import."""
    stored(engine, [request(START, None), request(START, END)])
    with engine.connect() as connection:
        return int(connection.execute(select(func.max(ImportRecord.id))).scalar())


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(ServiceRequest)).scalar())


def test_every_row_table_is_checked():
    tables = {model.__tablename__ for model in MODEL_BY_KIND.values()}
    assert tables == set(IMPORT_CHECKED_TABLES)


@pytest.mark.parametrize("column", ["import_id", "created_import_id"])
def test_a_row_naming_a_missing_import_is_refused(engine: Engine, column: str):
    existing = _one_import(engine)
    row = {"source": "grc", "native_id": "c", "import_id": existing}
    row["created_import_id"] = existing
    row[column] = MISSING
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(ServiceRequest), [row])
    assert _count(engine) == 2
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(update(ServiceRequest).values({column: MISSING}))
    with engine.connect() as connection:
        assert set(connection.execute(select(getattr(ServiceRequest, column))).scalars()) == {
            existing
        }


def test_an_import_its_rows_name_cannot_disappear(engine: Engine):
    existing = _one_import(engine)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(delete(ImportRecord).where(ImportRecord.id == existing))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            update(ImportRecord).where(ImportRecord.id == existing).values(id=MISSING)
        )
    assert _count(engine) == 2


def test_a_bulk_copy_naming_a_missing_import_is_refused(postgres_engine: Engine):
    # COPY is PostgreSQL's bulk path; SQLite's executemany meets its foreign keys (above).
    engine = postgres_engine
    existing = _one_import(engine)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with (
            pytest.raises(Exception, match="import absent"),
            cursor.copy(
                "COPY requests (source, native_id, import_id, created_import_id) FROM STDIN"
            ) as copy,
        ):
            copy.write_row(("grc", "c", existing, existing))
            copy.write_row(("grc", "d", MISSING, existing))
        raw.rollback()
    finally:
        raw.close()
    assert _count(engine) == 2
