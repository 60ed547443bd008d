"""A large UTF-8 CSV is sniffed from its head and read from its bytes, its text never decoded,
with the same result as decoding it whole."""

from __future__ import annotations

import codecs
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import parsing, sniff
from ingest.base import HEAD_BYTES, ImportContext
from ingest.parsing import read_csv_table
from ingest.registry import parse_file
from tests.ingest.test_ingest_blocks import troubled_311

CONTEXT = ImportContext(timezone="America/New_York")


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "d\u00e9j\u00e0 vu \U0001f600".encode(),
        b"\xed\xa0\x80",  # a surrogate
        b"\xc0\x80",  # an overlong NUL
        b"\xe0\x80\x80",  # an overlong 3-byte form
        b"\xf4\x90\x80\x80",  # beyond U+10FFFF
        b"\xf8\x88\x80\x80\x80",  # a 5-byte form
        b"abc\xc3",  # cut in a character
        b"\xe2\x82",
        b"\x80abc",  # a lone continuation byte
        codecs.BOM_UTF8 + b"a,b",
    ],
)
def test_utf8_check_agrees_with_decode(data: bytes) -> None:
    assert sniff._is_utf8(memoryview(data)) == _decodes(data)


@settings(max_examples=400, deadline=None)
@given(
    st.binary(max_size=64) | st.text(max_size=32).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_utf8_check_agrees_with_decode_on_any_bytes(data: bytes) -> None:
    assert sniff._is_utf8(memoryview(data)) == _decodes(data)


def _eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sniff by decoding the whole text, as every file smaller than HEAD_BYTES is."""
    monkeypatch.setattr(sniff, "_large_utf8_csv", lambda data: None)


def _large_311(bom: bool = False) -> bytes:
    data = troubled_311(3000)
    assert len(data) > 1.5 * HEAD_BYTES
    return (codecs.BOM_UTF8 if bom else b"") + data


def _comparable(result) -> tuple:
    return (
        [(r.line, r.reason, r.raw) for r in result.rejections],
        sorted(str(w) for w in result.warnings),
        result.rows_read,
    )


@pytest.mark.parametrize("bom", [False, True])
def test_a_large_utf8_csv_is_sniffed_from_its_head(
    bom: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _large_311(bom)
    lazy = sniff.sniff(data)
    assert lazy._text is None  # nothing decoded yet
    _eager(monkeypatch)
    whole = sniff.sniff(data)
    assert whole._text is not None
    assert lazy == whole  # same kind, encoding, separator, header row and header; the text…
    assert lazy._text is not None  # … which comparing decoded
    assert lazy.encoding == ("utf-8-sig" if bom else "utf-8")


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("halves", [False, True])
def test_a_large_utf8_csv_reads_as_when_decoded(
    bom: bool, halves: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _large_311(bom)
    if halves:  # also read as two halves on two threads, as files of tens of MB are
        monkeypatch.setattr(parsing, "_SPLIT_FROM_BYTES", 1024)
    decoded: list[bool] = []
    original = sniff._large_utf8_csv

    def watched(raw: bytes):
        found = original(raw)
        decoded.append(found is not None)
        return found

    monkeypatch.setattr(sniff, "_large_utf8_csv", watched)
    read = parse_file(data, CONTEXT)
    assert decoded == [True]
    assert read.rejections and any(r.raw for r in read.rejections)
    _eager(monkeypatch)
    whole = parse_file(data, CONTEXT)
    pd.testing.assert_frame_equal(read.frame, whole.frame)
    assert _comparable(read) == _comparable(whole)


def test_the_fast_reader_never_decodes_the_text() -> None:
    sniffed = sniff.sniff(_large_311())
    table = read_csv_table(sniffed)
    assert table.rejections  # rows of the wrong width, reported with their raw line
    assert all(r.raw for r in table.rejections)
    assert table.raw_lines([2, 3000])[2].startswith("70000000,")
    assert sniffed._text is None


def test_a_record_longer_than_the_head_after_the_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """A skipped description row running past the head: the records are read from the whole
    text instead, not from a head that cuts it."""
    long = "x" * (HEAD_BYTES // 3 + 1000)  # three of them, each within the csv field limit
    rows = ["a,b,c", f'"{long}","{long}","{long}"', *(f"{i},{i + 1},{i + 2}" for i in range(50))]
    data = "\n".join(rows).encode()
    sniffed = sniff.sniff(data)
    assert sniffed.kind == "csv" and sniffed._text is None
    table = read_csv_table(sniffed, skip=1)
    assert sniffed._text is not None  # read from the whole text
    _eager(monkeypatch)
    whole = read_csv_table(sniff.sniff(data), skip=1)
    assert len(table.records) == len(whole.records) == 50
    assert table.records.column(0) == whole.records.column(0)
    assert [(r.line, r.reason) for r in table.rejections] == [
        (r.line, r.reason) for r in whole.rejections
    ]


@pytest.mark.parametrize(
    ("data", "kind", "encoding"),
    [
        # Not UTF-8: judged on the whole text, as before.
        ("a;b\n" + "é;ü\n" * 100_000, "csv", "cp1252"),
        # A JSON or XML document is never taken for a CSV by its head.
        (json.dumps([{"a": "é" * 10}] * 20_000), "json", "utf-8"),
        ("<?xml version='1.0'?><root>" + "<r>é</r>" * 40_000 + "</root>", "xml", "utf-8"),
        ("\n" * (HEAD_BYTES + 10), "empty", "utf-8"),
    ],
)
def test_large_files_that_are_not_utf8_csv_are_decoded_whole(
    data: str, kind: str, encoding: str
) -> None:
    raw = data.encode(encoding if encoding != "utf-8" else "utf-8")
    assert len(raw) > HEAD_BYTES
    sniffed = sniff.sniff(raw)
    assert (sniffed.kind, sniffed.encoding) == (kind, encoding)
    assert sniffed.utf8 is None or sniffed._text is not None


def test_a_large_utf8_file_with_one_bad_byte_stays_utf8() -> None:
    data = ("a,b\n" + "é,ü\n" * 100_000).encode() + b"\xff,x\n"
    sniffed = sniff.sniff(data)
    assert (sniffed.kind, sniffed.encoding, sniffed.utf8) == ("csv", "utf-8", None)
    assert "\ufffd" in sniffed.text
