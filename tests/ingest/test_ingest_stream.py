"""A large file stored in blocks is read in parts by a background thread (the first blocks are
stored while the rest is read): the blocks still give what reading the file whole gives."""

from __future__ import annotations

import codecs
import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import parsing
from ingest.base import ImportContext, ImportRefused
from ingest.parsing import merged_result
from ingest.registry import parse_blocks, parse_file
from tests.ingest.test_ingest_blocks import GOLDEN, troubled_311

CONTEXT = ImportContext(timezone="America/New_York")


def clean_311(rows: int) -> bytes:
    """A 311 export without rows of the wrong width: read in parts to its end."""
    header = next(csv.reader(io.StringIO(GOLDEN.read_text(encoding="utf-8"))))
    at = {name: header.index(name) for name in header}
    body = []
    for i in range(rows):
        row = [""] * len(header)
        row[at["Unique Key"]] = str(80_000_000 + i % (rows - 7))  # a few keys come back
        row[at["Created Date"]] = f"05/{1 + i % 28:02d}/2022 {1 + i % 12:02d}:{i % 60:02d}:07 PM"
        row[at["Complaint Type"]] = "Noise"
        row[at["Descriptor"]] = "ligne une\nligne deux" if i % 37 == 3 else f"d{i % 5}"
        row[at["Status"]] = "Open"
        row[at["Agency"]] = "NYPD"
        body.append(row)
        if i % 53 == 1:
            body.append([""] * len(header))  # a blank record, skipped
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of a few kilobytes: a test file is read in many of them."""
    monkeypatch.setattr(parsing, "_STREAM_FROM_BYTES", 1)
    monkeypatch.setattr(parsing, "_FIRST_PART_BYTES", 6_000)
    parts: list[parsing._Part] = []
    original = parsing._PartReader.next_part

    def counted(self):
        part = original(self)
        parts.append(part)
        return part

    monkeypatch.setattr(parsing._PartReader, "next_part", counted)
    return parts


def _comparable(result) -> tuple:
    rejections = [(r.line, r.reason, r.raw) for r in result.rejections]
    return rejections, sorted(str(w) for w in result.warnings), result.rows_read


@pytest.mark.parametrize("block_rows", [5, 40, 100, 10_000])
@pytest.mark.parametrize("bom", [False, True])
def test_a_file_read_in_parts_gives_what_reading_it_whole_gives(small_parts, block_rows, bom):
    data = (codecs.BOM_UTF8 if bom else b"") + clean_311(900)
    whole = parse_file(data, CONTEXT)
    blocks = list(parse_blocks(data, CONTEXT, block_rows))
    assert small_parts[-1].last and small_parts[-1].share == 1.0
    if block_rows < 900:
        assert len(small_parts) > 4, "the file was not read in parts"
        assert not any(part.last for part in small_parts[:-1])
    merged = merged_result(blocks)
    pd.testing.assert_frame_equal(merged.frame, whole.frame)
    assert _comparable(merged) == _comparable(whole)
    assert any("déjà vu ligne" in r.reason for r in whole.rejections)
    shares = [b.read_share for b in blocks]
    assert shares == sorted(shares) and shares[-1] == 1.0 and 0 < shares[0] < 1


@pytest.mark.parametrize("block_rows", [7, 64, 10_000])
def test_rows_of_the_wrong_width_end_the_cutting_not_the_equality(small_parts, block_rows):
    """The troubled file has rows of the wrong width in its early parts: from the first such
    part on, the rest is read as one last part (whose last row alone is the file's last)."""
    data = troubled_311(1200)
    whole = parse_file(data, CONTEXT)
    merged = merged_result(list(parse_blocks(data, CONTEXT, block_rows)))
    assert small_parts[-1].last
    pd.testing.assert_frame_equal(merged.frame, whole.frame)
    assert _comparable(merged) == _comparable(whole)


@pytest.mark.parametrize("block_rows", [20, 64])
def test_a_short_row_in_a_middle_part_ends_the_cutting_there(small_parts, block_rows):
    lines = clean_311(900).decode("utf-8").split("\r\n")
    lines[600] = ",".join(lines[600].split(",")[:5])  # cut short (not the file's last row)
    data = "\r\n".join(lines).encode("utf-8")
    whole = parse_file(data, CONTEXT)
    merged = merged_result(list(parse_blocks(data, CONTEXT, block_rows)))
    assert len(small_parts) >= 3 and small_parts[-1].last
    assert not small_parts[-1].rejections or small_parts[-1].share == 1.0
    pd.testing.assert_frame_equal(merged.frame, whole.frame)
    assert _comparable(merged) == _comparable(whole)
    assert any("ligne incomplète" in r.reason for r in whole.rejections)


def test_a_part_pyarrow_cannot_read_is_read_by_the_csv_module(small_parts, monkeypatch):
    """A field over the csv module's limit in a late part: the csv module reads the rest
    (and refuses the file, as reading it whole does)."""
    lines = clean_311(400).decode("utf-8").split("\r\n")
    long_field = "x" * (csv.field_size_limit() + 10)
    lines[350] = lines[350].replace("Noise", long_field, 1)
    data = "\r\n".join(lines).encode("utf-8")
    with pytest.raises(ImportRefused) as whole:
        parse_file(data, CONTEXT)
    with pytest.raises(ImportRefused) as blocks:
        list(parse_blocks(data, CONTEXT, 50))
    assert str(blocks.value) == str(whole.value)


def test_parts_stop_being_read_when_the_blocks_are_dropped(small_parts):
    blocks = parse_blocks(clean_311(900), CONTEXT, 50)
    next(blocks)
    blocks.close()  # an import refused by its first block: the reader stops


@settings(max_examples=200, deadline=None)
@given(
    raw=st.binary(min_size=0, max_size=12_000).map(lambda b: bytes(c % 4 for c in b)),
    bounds=st.tuples(st.integers(0, 12_000), st.integers(0, 12_000)),
    chunk=st.sampled_from([3, 4096, 8 << 20]),
)
def test_byte_counts_are_bytes_count(raw: bytes, bounds: tuple[int, int], chunk: int) -> None:
    """Line breaks and quotes counted by numpy, a chunk at a time (pairs across chunks too)."""
    alphabet = bytes.maketrans(b"\x00\x01\x02\x03", b'\r\n"a')
    raw = raw.translate(alphabet)
    start, end = min(bounds), max(bounds)
    saved = parsing._COUNT_CHUNK
    parsing._COUNT_CHUNK = chunk
    try:
        for pattern in (b"\n", b"\r", b"\r\n", b'"'):
            assert parsing._byte_count(raw, pattern, start, end) == raw.count(pattern, start, end)
        assert parsing._line_breaks_in(raw, start, end) == parsing._line_breaks_in(
            raw.decode("ascii"), start, end
        )
    finally:
        parsing._COUNT_CHUNK = saved
