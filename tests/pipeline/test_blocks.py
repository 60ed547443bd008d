"""A file stored a block at a time (one transaction) is stored as if it were read whole."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from ingest import parsing, pipeline
from ingest.base import ImportContext, ParseResult
from store import repository
from tests.ingest.test_ingest_blocks import CONTEXT, troubled_311
from tests.ingest.test_ingest_stream import clean_311
from tests.pipeline.test_pipeline import EVERYTHING, table_count

ONE_BLOCK = 10**9


def failing_at_block(number: int, message: str):
    """``pipeline.parse_blocks`` raising RuntimeError(message) instead of block ``number``."""
    real = pipeline.parse_blocks

    def failing(data, context, block_rows, candidates=None):
        for index, block in enumerate(real(data, context, block_rows, candidates)):
            if index == number:
                raise RuntimeError(message)
            yield block

    return failing


def _stored(engine) -> pd.DataFrame:
    frame = repository.load_requests(engine, *EVERYTHING)
    return frame.sort_values("native_id").reset_index(drop=True)


def _ledger(engine) -> list[tuple]:
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT rows_read, inserted, updated, unchanged, rejected FROM imports")
        ).all()


def _report(report: pipeline.ImportReport) -> tuple:
    return (
        report.refused,
        report.rows_read,
        report.inserted,
        report.updated,
        report.unchanged,
        [(r.line, r.reason, r.raw) for r in report.rejections],
        sorted(report.warnings),
    )


@pytest.mark.parametrize("block_rows", [7, 45])
def test_blocks_store_what_the_whole_file_stores(engine, monkeypatch, tmp_path, block_rows):
    data = troubled_311()
    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", ONE_BLOCK)
    whole = pipeline.import_bytes(engine, data, "311.csv", CONTEXT, user="test")
    expected, expected_ledger = _stored(engine), _ledger(engine)
    repository.undo_import(engine, whole.import_id, "test")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM import_changes"))
        connection.execute(text("DELETE FROM import_rejections"))
        connection.execute(text("DELETE FROM imports"))

    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", block_rows)
    report = pipeline.import_bytes(engine, data, "311.csv", CONTEXT, user="test")
    assert _report(report) == _report(whole)
    assert report.inserted == len(expected) > 500
    pd.testing.assert_frame_equal(_stored(engine), expected)
    assert _ledger(engine) == expected_ledger
    rejected = repository.rejections_frame(engine, report.import_id)
    assert len(rejected) == len(whole.rejections) > 20

    again = pipeline.import_bytes(engine, data, "311.csv", CONTEXT, user="test")
    assert (again.inserted, again.updated, again.import_id) == (0, 0, None)
    assert again.unchanged == report.inserted
    repository.undo_import(engine, report.import_id, "test")
    assert table_count(engine, "requests") == 0


def test_a_later_block_updates_rows_an_earlier_import_stored(engine, monkeypatch):
    data = troubled_311()
    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", 50)
    first = pipeline.import_bytes(
        engine, data[: len(data) // 2].rsplit(b"\r\n", 1)[0], "a.csv", CONTEXT, user="test"
    )
    changed = data.replace(b"Rodent", b"Rats")
    report = pipeline.import_bytes(engine, changed, "b.csv", CONTEXT, user="test")
    assert report.updated > 0 and report.inserted > 0
    assert report.unchanged + report.updated + report.inserted == first.inserted + report.inserted
    stored = _stored(engine)
    assert "Rodent" not in set(stored["category"]) and "Rats" in set(stored["category"])
    repository.undo_import(engine, report.import_id, "test")
    assert "Rodent" in set(_stored(engine)["category"])


def test_dry_run_in_blocks_writes_nothing(engine, monkeypatch):
    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", 50)
    report = pipeline.import_bytes(
        engine, troubled_311(), "311.csv", CONTEXT, user="test", dry_run=True
    )
    assert report.inserted > 500 and report.import_id is None
    assert table_count(engine, "requests") == 0
    assert table_count(engine, "imports") == 0


def test_a_block_that_fails_rolls_back_the_blocks_before_it(engine, monkeypatch):
    """Blocks already sent (a COPY left open on PostgreSQL) are undone with the rest."""
    data = troubled_311()
    real = pipeline.parse_blocks
    monkeypatch.setattr(pipeline, "parse_blocks", failing_at_block(3, "disque plein"))
    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", 50)
    with pytest.raises(RuntimeError, match="disque plein"):
        pipeline.import_bytes(engine, data, "311.csv", CONTEXT, user="test")
    assert table_count(engine, "requests") == 0
    assert table_count(engine, "imports") == 0
    # The connection went back to the pool usable.
    monkeypatch.setattr(pipeline, "parse_blocks", real)
    report = pipeline.import_bytes(engine, data, "311.csv", CONTEXT, user="test")
    assert report.inserted > 500


def test_a_block_breaking_a_constraint_fails_the_whole_import(engine):
    """A database error in the second block (after the first was sent) stores nothing."""
    good = troubled_311()
    first = pipeline.import_bytes(engine, good, "a.csv", CONTEXT, user="test")
    frame = repository.load_requests(engine, *EVERYTHING)
    repository.undo_import(engine, first.import_id, "test")
    blocks = [frame.iloc[:300], frame.iloc[300:].assign(source=None)]
    results = [ParseResult("t", "request", block, rows_read=len(block)) for block in blocks]
    report = pipeline.ImportReport(file_name="b.csv", sha256="3" * 64)
    with pytest.raises(Exception, match="(?i)null"):
        pipeline.store_blocks(
            engine, results, report, ImportContext(timezone="UTC"), format_label=None, user="t"
        )
    assert table_count(engine, "requests") == 0


def test_a_copy_formatting_error_rolls_back_every_block(postgres_engine, monkeypatch):
    """The COPY data of a block is made by another thread: its failure fails the import."""
    calls = []
    real = repository._copy_binary

    def breaking(frame, kind, import_id):
        calls.append(len(frame))
        if len(calls) == 3:
            raise ValueError("format impossible")
        return real(frame, kind, import_id)

    monkeypatch.setattr(repository, "_copy_binary", breaking)
    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", 50)
    with pytest.raises(ValueError, match="format impossible"):
        pipeline.import_bytes(postgres_engine, troubled_311(), "a.csv", CONTEXT, user="test")
    assert table_count(postgres_engine, "requests") == 0
    assert table_count(postgres_engine, "imports") == 0
    monkeypatch.setattr(repository, "_copy_binary", real)
    report = pipeline.import_bytes(postgres_engine, troubled_311(), "a.csv", CONTEXT, user="t")
    assert report.inserted == table_count(postgres_engine, "requests") > 500


def test_a_file_read_in_parts_stores_what_the_whole_file_stores(engine, monkeypatch):
    """The blocks of a large file are stored while its next parts are read (a thread of their
    own): same rows, ledger and report as reading it whole, on both databases."""
    data = clean_311(700)
    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", ONE_BLOCK)
    monkeypatch.setattr(parsing, "_STREAM_FROM_BYTES", 10**12)
    whole = pipeline.import_bytes(engine, data, "311.csv", CONTEXT, user="test")
    expected, expected_ledger = _stored(engine), _ledger(engine)
    repository.undo_import(engine, whole.import_id, "test")
    with engine.begin() as connection:
        for table in ("import_changes", "import_rejections", "imports"):
            connection.execute(text(f"DELETE FROM {table}"))

    monkeypatch.setattr(parsing, "_STREAM_FROM_BYTES", 1)
    monkeypatch.setattr(parsing, "_FIRST_PART_BYTES", 5_000)
    monkeypatch.setattr(pipeline, "IMPORT_BLOCK_ROWS", 60)
    read: list[int] = []
    original = parsing._PartReader.next_part
    monkeypatch.setattr(
        parsing._PartReader, "next_part", lambda self: read.append(1) or original(self)
    )
    report = pipeline.import_bytes(engine, data, "311.csv", CONTEXT, user="test")
    assert len(read) > 5
    assert _report(report) == _report(whole)
    pd.testing.assert_frame_equal(_stored(engine), expected)
    assert _ledger(engine) == expected_ledger
