"""A massive first import on PostgreSQL builds the table's secondary indexes after its COPY."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from ingest import pipeline
from store import repository
from tests.ingest.test_ingest_blocks import CONTEXT, troubled_311
from tests.pipeline.test_blocks import failing_at_block

pytestmark = pytest.mark.postgres


def _indexes(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'requests' "
                "ORDER BY indexname"
            )
        ).all()


@pytest.fixture
def dropped(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Imports count as massive from 100 rows; lists the indexes each import dropped."""
    monkeypatch.setattr(repository, "_REBUILD_INDEXES_FROM_ROWS", 100)
    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", 50)
    calls: list[list[str]] = []
    real = repository._secondary_indexes

    def spied(session, table):
        found = real(session, table)
        calls.append([name for name, _ in found])
        return found

    monkeypatch.setattr(repository, "_secondary_indexes", spied)
    return calls


def test_a_first_massive_import_rebuilds_the_same_indexes(postgres_engine: Engine, dropped):
    before = _indexes(postgres_engine)
    report = pipeline.import_bytes(postgres_engine, troubled_311(), "a.csv", CONTEXT, user="t")
    assert report.inserted > 500
    assert dropped == [
        [
            "ix_requests_closed_at_created_at",
            "ix_requests_created_at",
            "ix_requests_created_import_id",
            "ix_requests_import_id",
        ]
    ]
    assert _indexes(postgres_engine) == before
    # The unique key was never dropped: the same file again changes nothing.
    again = pipeline.import_bytes(postgres_engine, troubled_311(), "a.csv", CONTEXT, user="t")
    assert again.unchanged == report.inserted and again.import_id is None


def test_an_import_smaller_than_the_table_keeps_its_indexes(postgres_engine: Engine, dropped):
    pipeline.import_bytes(postgres_engine, troubled_311(), "a.csv", CONTEXT, user="t")
    smaller = troubled_311(300).replace(b"\r\n7000", b"\r\n8000")
    report = pipeline.import_bytes(postgres_engine, smaller, "b.csv", CONTEXT, user="t")
    assert report.inserted > 250
    assert len(dropped) == 1  # the first import only


def test_a_failed_massive_import_leaves_the_indexes(postgres_engine: Engine, dropped, monkeypatch):
    before = _indexes(postgres_engine)
    monkeypatch.setattr(pipeline, "parse_blocks", failing_at_block(4, "coupure"))
    with pytest.raises(RuntimeError, match="coupure"):
        pipeline.import_bytes(postgres_engine, troubled_311(), "a.csv", CONTEXT, user="t")
    assert dropped and _indexes(postgres_engine) == before
    with postgres_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM requests")).scalar_one() == 0
