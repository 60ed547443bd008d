"""A file read a block of rows at a time (registry.parse_blocks) gives what reading it whole gives."""

from __future__ import annotations

import csv
import io
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.base import ImportContext, ParseResult
from ingest.parsing import LinesWarning, SeenKeys, merged_result, merged_warnings
from ingest.registry import parse_blocks, parse_file

GOLDEN = Path(__file__).parent / "golden" / "nyc311" / "portal.csv"
CONTEXT = ImportContext(timezone="America/New_York")


def troubled_311(rows: int = 600) -> bytes:
    """A 311 portal export built on the golden file's header, with every kind of row a block
    boundary could split: duplicates of earlier rows (kept or rejected ones), unreadable and
    implausible dates, ids mangled by Excel, quoted line breaks, rows of the wrong width."""
    header = next(csv.reader(io.StringIO(GOLDEN.read_text(encoding="utf-8"))))
    at = {name: header.index(name) for name in header}
    body: list[list[str]] = []
    for i in range(rows):
        row = [""] * len(header)
        row[at["Unique Key"]] = str(70_000_000 + i)
        row[at["Created Date"]] = f"05/{1 + i % 28:02d}/2022 {1 + i % 12:02d}:{i % 60:02d}:07 PM"
        row[at["Closed Date"]] = f"06/{1 + i % 28:02d}/2022 10:00:00 AM" if i % 3 else ""
        row[at["Complaint Type"]] = ["Noise", "Rodent", "Heat/Hot Water"][i % 3]
        row[at["Descriptor"]] = f"descriptor {i % 11}"
        row[at["Status"]] = "Closed" if i % 3 else "Open"
        row[at["Borough"]] = ["BRONX", "QUEENS"][i % 2]
        row[at["Agency"]] = "NYPD"
        row[at["Latitude"]] = f"40.{i:05d}"
        row[at["Longitude"]] = "-73.9" if i % 5 else ""
        if i % 97 == 5:
            row = list(body[i - 3])  # a duplicate of a row kept a few lines above
        if i % 89 == 7:
            row[at["Created Date"]] = "pas une date"
        if i % 101 == 8:
            row[at["Unique Key"]] = body[i - 1][at["Unique Key"]]  # duplicates a rejected one too
        if i % 61 == 9:
            row[at["Closed Date"]] = "01/01/1999 10:00:00 AM"  # closed before created
        if i % 151 == 11:
            row[at["Unique Key"]] = "1.23457E+11"  # the same mangled id, again and again
        if i % 43 == 12:
            row[at["Descriptor"]] = "ligne une\nligne deux"
        if i % 131 == 13:
            row = row[:5]
        body.append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    return out.getvalue().encode("utf-8")


def troubled_records() -> list:
    """The records of :func:`troubled_311` of the right width (those split in blocks)."""
    header, *rows = csv.reader(io.StringIO(troubled_311().decode("utf-8")))
    return [row for row in rows if len(row) == len(header)]


def _comparable(result: ParseResult) -> tuple:
    """Rejections, warnings and count; the warnings in any order: blocks give them in the
    order the file first shows each problem, the whole file in the importer's order."""
    rejections = [(r.line, r.reason, r.raw) for r in result.rejections]
    return rejections, sorted(str(w) for w in result.warnings), result.rows_read


@pytest.mark.parametrize("block_rows", [2, 7, 64, 599, 600, 10_000])
def test_blocks_merge_into_the_whole_file(block_rows: int) -> None:
    data = troubled_311()
    whole = parse_file(data, CONTEXT)
    blocks = list(parse_blocks(data, CONTEXT, block_rows))
    merged = merged_result(blocks)
    pd.testing.assert_frame_equal(merged.frame, whole.frame)
    assert _comparable(merged) == _comparable(whole)
    records = len(troubled_records())
    if records <= block_rows:
        assert len(blocks) == 1
    else:  # blocks of block_rows, the last block_rows records in quarters
        quarter = max(1, block_rows // 4)
        quarters = -(-block_rows // quarter)
        assert len(blocks) == -(-(records - block_rows) // block_rows) + quarters
        assert max(len(b.frame) for b in blocks[-quarters:]) <= quarter
    assert blocks[-1].read_share == 1.0
    shares = [b.read_share for b in blocks]
    assert shares == sorted(shares)


def test_the_troubled_file_has_every_trouble() -> None:
    """The equality above means something only if the file holds each kind of problem."""
    whole = parse_file(troubled_311(), CONTEXT)
    reasons = " | ".join(r.reason for r in whole.rejections)
    assert "déjà vu ligne" in reasons
    assert "illisible" in reasons
    assert "colonnes" in reasons or "colonne" in reasons
    texts = " | ".join(whole.warnings)
    assert "abîmés par Excel" in texts and "clôturée(s) avant" in texts
    assert whole.frame["description"].str.contains("\n").any()


def test_a_key_kept_in_one_block_is_a_duplicate_in_the_next() -> None:
    data = troubled_311(200)
    blocks = list(parse_blocks(data, CONTEXT, 10))
    lines = {}
    for block in blocks:
        for rejection in block.rejections:
            lines[rejection.line] = rejection.reason
    whole = {r.line: r.reason for r in parse_file(data, CONTEXT).rejections}
    assert lines == whole
    # A duplicate whose first occurrence sits in an earlier block names that line.
    across = [reason for line, reason in whole.items() if "déjà vu ligne" in reason]
    assert across


def test_importers_that_are_not_row_wise_give_one_block(realdata: Path) -> None:
    path = next((realdata / "paris_dansmarue").glob("*"))
    data = path.read_bytes()
    blocks = list(parse_blocks(data, ImportContext(timezone="Europe/Paris"), 5))
    assert len(blocks) == 1


def test_the_real_311_export_in_blocks(realdata: Path) -> None:
    data = (realdata / "nyc_311" / "311_Service_Requests_from_2010_to_Present.csv").read_bytes()
    whole = parse_file(data, CONTEXT)
    blocks = list(parse_blocks(data, CONTEXT, 100))
    assert len(blocks) > 5
    merged = merged_result(blocks)
    pd.testing.assert_frame_equal(merged.frame, whole.frame)
    assert _comparable(merged) == _comparable(whole)


def test_line_warnings_merge_and_stay_text_when_stored() -> None:
    def render(lines: list[int]) -> str:
        return f"{len(lines)} ligne(s) : {lines}"

    first = LinesWarning(("k",), [3, 5], render)
    second = LinesWarning(("k",), [90], render)
    merged = merged_warnings([[first, "autre"], [second, "autre"]])
    assert merged == ["3 ligne(s) : [3, 5, 90]", "autre"]
    assert all(type(w) is str for w in merged)
    copy = pickle.loads(pickle.dumps(first))
    assert copy == "2 ligne(s) : [3, 5]" and type(copy) is str


@pytest.mark.parametrize("padded", [False, True])
def test_ids_that_differ_only_by_spaces_are_duplicates_across_blocks(padded: bool) -> None:
    """A key kept in an earlier block is found again once the spaces around it are cleaned."""
    text = troubled_311(300).decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    rows = [row for row in rows if len(row) == len(header)]
    for number, row in enumerate(rows):
        row[0] = str(80_000_000 + number)  # every key distinct
    if padded:
        rows[250][0] = f" {rows[3][0]} "
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    data = out.getvalue().encode("utf-8")
    whole = parse_file(data, CONTEXT)
    merged = merged_result(list(parse_blocks(data, CONTEXT, 40)))
    pd.testing.assert_frame_equal(merged.frame, whole.frame)
    assert _comparable(merged) == _comparable(whole)
    duplicates = [r for r in whole.rejections if "déjà vu" in r.reason]
    assert len(duplicates) == (1 if padded else 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), unique=True, max_size=12), max_size=8))
def test_seen_keys_give_the_line_of_the_first_kept_row(blocks: list[list[int]]) -> None:
    """SeenKeys (a set until a key comes back, then key → line) against a plain dict."""
    seen, reference, line = SeenKeys(), {}, 2
    for keys in blocks:
        values = [f"id{key}" for key in keys]
        lines = np.arange(line, line + len(values))
        line += len(values)
        expected = {value: reference[value] for value in values if value in reference}
        found = seen.lines_of(values)
        assert found == expected
        seen.remember(values, lines, found)
        for value, at in zip(values, lines.tolist(), strict=True):
            reference.setdefault(value, at)
