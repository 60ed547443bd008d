"""The fast CSV reader (pyarrow) against the csv module: same records, lines, rejections, counts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import parsing
from ingest.base import ImportRefused, Sniffed
from ingest.parsing import ArrowRecords, RecordList, read_csv_table

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to a CSV reader, and a few that only look like they might.
CSV_ALPHABET = ['a', 'b', 'é', ' ', ',', ';', '\t', '"', '"', '\n', '\r', '\r\n', '\x00', '\x1c', '\xa0', '\u2028']  # fmt: skip


def _table(
    text: str, *, fast: bool, monkeypatch: pytest.MonkeyPatch, raw: bool = False, **options
) -> tuple:
    """Everything a table tells its importer, or the refusal message. With ``raw``, the fast
    reader is given the UTF-8 bytes of ``text`` as ``sniff`` gives them, not the text alone."""
    separator = options.pop("separator", ",")
    utf8 = memoryview(text.encode("utf-8")) if raw else None
    sniffed = Sniffed(
        kind="csv", text=text, separator=separator, header_row=0, header=(), utf8=utf8
    )
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(parsing, "_arrow_records", lambda *args, **kwargs: None)
        try:
            table = read_csv_table(sniffed, **options)
        except ImportRefused as refusal:
            return ("refused", str(refusal)), None
    records = [(r.line, r.cells) for r in table.records]
    rejections = [(r.line, r.reason, r.raw) for r in table.rejections]
    return (table.header, table.header_line, records, rejections, table.rows_read), table.records


def _same_as_csv_module(text: str, monkeypatch: pytest.MonkeyPatch, **options) -> type:
    fast, records = _table(text, fast=True, monkeypatch=monkeypatch, **dict(options))
    slow, _ = _table(text, fast=False, monkeypatch=monkeypatch, **dict(options))
    assert fast == slow
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # no bytes can decode to it: sniff never gives any
        return type(records)
    from_bytes, kind = _table(text, fast=True, monkeypatch=monkeypatch, raw=True, **dict(options))
    assert from_bytes == slow
    assert type(kind) is type(records)
    return type(records)


BODIES = [
    "a,b,c\n",
    "\na,b,c\n\n",  # empty lines are skipped, not counted
    "   \na,b,c\n",  # a line of spaces is blank too
    ",,\na,b,c\n",  # so is a record of empty cells
    "1,2\n3,4,5\n",  # short record
    "1,2,3,4\n5,6,7\n",  # long record
    "1,2,3,\n5,6,7\n",  # trailing separator: kept
    "1,2,3,  \n5,6,7\n1,2",  # kept long record, then a truncated last one
    '1,"x\ny",3\n4,5,6',  # quoted line break
    '1,"x\r\ny",3\r\n4,5\r\n7,8,9',
    "1,2,3\r4,5,6\r",  # old Mac line ends
    '1,"unterminated,3\n4,5,6\n',
    '"",,\n1,2,3',
    '1,2,"a"b"c"\n',  # text after a closing quote
    '1,2,"x\n\n\ny",\n4,5,6\n7\n',
    "1,2\x00,3\n",
    "\x1c,\x85, \n1,2,3\n",  # whitespace only for str.strip
    "1," + "x" * 10000 + ",3,4,5\n",
]


@pytest.mark.parametrize("body", BODIES)
def test_fast_reader_reads_like_the_csv_module(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    kind = _same_as_csv_module("h1,h2,h3\n" + body, monkeypatch)
    assert kind is ArrowRecords
    _same_as_csv_module("h1,h2,h3\n" + body, monkeypatch, wanted=[("h3",), ("h1",)])


@pytest.mark.parametrize(
    "text",
    [
        "h1,h2,h3",  # header only
        "h1,h2,h3\n",
        'h1,h2,h3\n1,2,"a""\n',  # a quote left open at the end
        'h1,h2,h3\n1,2,"' + "x" * 200_000 + '"\n',  # past the csv module's field size limit
        "h1,h2,h3\n1,2,\ud800\n",  # not encodable: the csv module reads it
    ],
)
def test_what_the_fast_reader_cannot_read_goes_to_the_csv_module(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_as_csv_module(text, monkeypatch)


def _spread_text() -> str:
    """Multi-line quoted fields, blank and malformed records spread over 3,000 rows."""
    rows = []
    for i in range(3000):
        if i % 7 == 0:
            rows.append(f'{i},"two\nlines",x')
        elif i % 13 == 0:
            rows.append(f"{i},short")
        elif i % 17 == 0:
            rows.append("")
        elif i % 19 == 0:
            rows.append(f"{i},b,c,,")
        else:
            rows.append(f"{i},b,c")
    return "id,b,c\r\n" + "\r\n".join(rows) + "\r\n"


def test_line_numbers_stay_exact_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "_ARROW_BLOCK", 512)
    text = _spread_text()
    assert _same_as_csv_module(text, monkeypatch) is ArrowRecords
    assert _same_as_csv_module(text, monkeypatch, wanted=[("c",)]) is ArrowRecords


@pytest.mark.parametrize("body", BODIES)
def test_two_halves_read_like_the_csv_module(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file read as two halves at once (a large file's path): the same records."""
    monkeypatch.setattr(parsing, "_SPLIT_FROM_BYTES", 0)
    _same_as_csv_module("h1,h2,h3\n" + body * 3, monkeypatch)
    _same_as_csv_module("h1,h2,h3\n" + body * 3, monkeypatch, wanted=[("h3",), ("h1",)])


def test_two_halves_keep_lines_exact_and_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "_SPLIT_FROM_BYTES", 0)
    monkeypatch.setattr(parsing, "_ARROW_BLOCK", 512)
    used = []
    real = parsing._records_in_halves
    monkeypatch.setattr(
        parsing, "_records_in_halves", lambda *a: used.append(real(*a) is not None) or real(*a)
    )
    rows = [f'{i},"two\nlines",x' if i % 7 == 0 else f"{i},b,c" for i in range(3000)]
    text = "id,b,c\r\n" + "\r\n".join(rows) + "\r\n"
    assert _same_as_csv_module(text, monkeypatch) is ArrowRecords
    assert True in used  # read in halves, not only fallen back
    # A row of the wrong width in the first half: read whole (its message may say "last row").
    used.clear()
    assert _same_as_csv_module(_spread_text(), monkeypatch) is ArrowRecords
    assert used and True not in used


@FUZZ
@given(
    body=st.lists(st.sampled_from(CSV_ALPHABET), max_size=80).map("".join),
    separator=st.sampled_from([",", ";"]),
)
def test_two_halves_match_the_csv_module_on_any_text(body: str, separator: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(parsing, "_SPLIT_FROM_BYTES", 0)
        _same_as_csv_module(f"a{separator}b\n" + body, monkeypatch, separator=separator)


@FUZZ
@given(
    header=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=4),
    body=st.lists(st.sampled_from(CSV_ALPHABET), max_size=80).map("".join),
    separator=st.sampled_from([",", ";", "\t"]),
    wanted=st.sampled_from([None, [("a",)], [("b",), ("d",)]]),
    skip=st.sampled_from([0, 1]),
)
def test_fast_reader_matches_the_csv_module_on_any_text(
    header: list[str], body: str, separator: str, wanted, skip: int
) -> None:
    text = separator.join(header) + "\n" + body
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same_as_csv_module(text, monkeypatch, separator=separator, wanted=wanted, skip=skip)


def test_raw_lines_find_far_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "_RAW_BLOCK", 64)
    lines = [f"line {i}" + ("\r" if i % 3 else "\r\n") for i in range(2000)]
    text = "".join(lines) + "tail"
    table = parsing.CsvTable(
        header=("a",),
        keys=("a",),
        header_line=1,
        separator=",",
        records=RecordList(1),
        rejections=[],
        rows_read=0,
        positions={0: 0},
        text=text,
    )
    wanted = [1, 2, 3, 64, 65, 777, 1999, 2000, 2001, 2002]
    found = table.raw_lines(wanted)
    expected = {n: f"line {n - 1}" for n in wanted if n <= 2000}
    expected[2001] = "tail"
    assert found == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("h1,h2\né,1\n".encode(), "h1,h2\né,1\n".encode()),
        (b"\xef\xbb\xbfh1,h2\n\xc3\xa9,1\n", "h1,h2\né,1\n".encode()),  # BOM left out
        ("h1,h2\né,1\n".encode("cp1252"), None),  # the text is not their UTF-8 decoding
        (b"h1,h2\n" + "é,1\n".encode() * 20 + b"\xff,2\n", None),  # one byte replaced
    ],
)
def test_sniff_gives_the_bytes_only_when_the_text_is_their_exact_decoding(data, expected):
    from ingest.sniff import sniff

    sniffed = sniff(data)
    assert sniffed.kind == "csv"
    assert (None if sniffed.utf8 is None else bytes(sniffed.utf8)) == expected
    if expected is not None:
        assert bytes(sniffed.utf8).decode("utf-8") == sniffed.text
