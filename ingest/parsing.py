"""Shared parsing helpers for importers: CSV records, header keys, numbers, dates, ids, rejections."""

from __future__ import annotations

import csv
import functools
import math
import queue
import re
import threading
import time
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import accumulate, islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

try:  # pandas' default string storage; without it the csv module reads every file
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv
except ImportError:  # pragma: no cover - pyarrow comes with the dependencies
    pa = pc = pa_csv = None  # type: ignore[assignment]

from ingest.base import HEAD_BYTES, ImportContext, ImportRefused, ParseResult, Rejection, Sniffed
from ingest.canonical import SCHEMAS, UTC_TS, conform

# Values that mean "no value" in a numeric cell (X writes "-" for non-promoted tweets).
MISSING_TOKENS = frozenset({"", "-", "–", "—"})

RAW_LIMIT = 200  # characters of an offending row kept in a rejection
EXAMPLES_LIMIT = 5  # line numbers quoted in a warning

INT64_MAX = 2**63 - 1

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)

# Digits with optional spaces (normal, no-break, narrow no-break, thin) between groups.
_SPACES = "\u0020\u00a0\u202f\u2009"
_NUMBER_SHAPE = re.compile(r"[+-]?(?:\d[\d.,]*)?\d(?:[eE][+-]?\d+)?|[+-]?[.,]\d+(?:[eE][+-]?\d+)?")
_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_DOT = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_EXCEL_MANGLED_ID = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")


# --------------------------------------------------------------------------- header keys


def header_key(text: str) -> str:
    """The comparison key of a header cell: case-, accent-, apostrophe- and whitespace-insensitive."""
    decomposed = unicodedata.normalize("NFKD", str(text)).translate(_INVISIBLE)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().translate(_APOSTROPHES).split())


def header_keys(headers: Sequence[str]) -> set[str]:
    """The set of header keys of a header row."""
    return {header_key(h) for h in headers}


def has_columns(sniffed: Sniffed, required: Sequence[str]) -> bool:
    """True when ``sniffed`` is a CSV whose header holds every one of ``required`` (by key)."""
    if sniffed.kind != "csv" or not sniffed.header:
        return False
    return {header_key(r) for r in required} <= header_keys(sniffed.header)


# --------------------------------------------------------------------------- CSV records


@dataclass(frozen=True)
class CsvRecord:
    """One CSV record and the physical line (1-based) it starts on."""

    line: int
    cells: list[str]


def csv_records(text: str, separator: str) -> Iterator[CsvRecord]:
    """Every non-blank CSV record of ``text``, with the line number of its first physical line.

    Quoted fields may span lines. Raises ImportRefused when the csv module gives up (an
    unterminated quote swallowing the rest of the file past the field size limit).
    """
    yield from _CsvCursor(text, separator)


class _CsvCursor:
    """The records of :func:`csv_records`, and how many physical lines they have used so far
    (where the fast reader takes over after the header)."""

    def __init__(self, text: str, separator: str, first_line: int = 1) -> None:
        # Physical lines cut from the text one at a time: io.StringIO would first copy the
        # whole text into a 4-bytes-per-character buffer (600 MB for a 150 MB export).
        self._reader = csv.reader(_physical_lines(text), delimiter=separator, strict=False)
        self._before = first_line - 1  # lines of the file before ``text``
        self.consumed = self._before

    def __iter__(self) -> Iterator[CsvRecord]:
        return self

    def __next__(self) -> CsvRecord:
        while True:
            start = self.consumed + 1
            try:
                cells = next(self._reader)
            except csv.Error as exc:
                raise ImportRefused(
                    f"Lecture du CSV impossible à partir de la ligne {start} ({exc}) : un "
                    "guillemet ouvert n'est probablement jamais refermé ; un CSV bien formé "
                    "était attendu."
                ) from exc
            self.consumed = self._before + self._reader.line_num
            if any(cell.strip() for cell in cells):
                return CsvRecord(start, cells)


def _physical_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, split like a ``newline=""`` stream."""
    start = 0
    for match in _LINE_BREAK.finditer(text):
        yield text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield text[start:]


# A column with more distinct values than this is not worth interning (ids, timestamps).
INTERN_LIMIT = 50_000
CHUNK_ROWS = 65_536  # records per compacted chunk of a column


class _Records:
    """What both stores of kept records share: a read-only list of CsvRecord over ``_lines``
    (the physical line of each record), each record built by ``_record``."""

    _lines: Sequence[int]

    def _record(self, row: int) -> CsvRecord:
        raise NotImplementedError

    def line(self, row: int) -> int:
        return int(self._lines[row])

    def lines(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """The file lines of records ``rows``."""
        return np.asarray(self._lines, dtype=np.int64)[np.asarray(rows, dtype=np.int64)]

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, row: int) -> CsvRecord:
        if isinstance(row, slice):  # type: ignore[unreachable]
            return [self[i] for i in range(*row.indices(len(self)))]  # type: ignore[return-value]
        return self._record(row + len(self) if row < 0 else row)


class RecordList(_Records):
    """Kept records stored column by column, compactly; behaves as a read-only list of CsvRecord.

    A million rows held as one object and one list of strings per row cost about a kilobyte
    each. Here each kept column is a series of chunks of 65,536 cells joined into one string
    with an array of offsets (about the cell's length plus 4 bytes), and lines sit in an
    array. :meth:`column` rebuilds a column's cells as a list when an importer reads it,
    sharing one string per distinct value while a column has few of them.
    """

    def __init__(self, width: int) -> None:
        self._lines = array("q")
        self._pending: list[list[str]] = [[] for _ in range(width)]
        self._chunks: list[list[tuple[str, array]]] = [[] for _ in range(width)]
        self._released = False

    def append(self, record: CsvRecord) -> None:
        self._lines.append(record.line)
        cells = record.cells
        for position, pending in enumerate(self._pending):
            pending.append(cells[position] if position < len(cells) else "")
        if self._pending and len(self._pending[0]) >= CHUNK_ROWS:
            self._flush()

    def compact(self) -> None:
        """Pack the last, partial chunk too (once every record is in)."""
        self._flush()

    def _flush(self) -> None:
        for position, pending in enumerate(self._pending):
            if pending:
                offsets = array("I", accumulate(map(len, pending), initial=0))
                self._chunks[position].append(("".join(pending), offsets))
                self._pending[position] = []

    def release(self) -> None:
        """Drop the cells (lines stay): called once the typed columns are built."""
        self._pending = [[] for _ in self._pending]
        self._chunks = [[] for _ in self._chunks]
        self._released = True

    def column(self, position: int) -> list[str]:
        """The cells of kept column ``position``, as a new list."""
        if self._released:
            raise RuntimeError("cells read after the table was turned into a frame")
        out: list[str] = []
        cache: dict[str, str] | None = {}
        for text, offsets in self._chunks[position]:
            cells = [text[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
            if cache is not None:
                cells = [cache.setdefault(c, c) for c in cells]
                if len(cache) > INTERN_LIMIT:
                    cache = None
            out.extend(cells)
        out.extend(self._pending[position])
        return out

    def set_column(self, position: int, values: list[str]) -> None:
        if len(values) != len(self._lines):
            raise ValueError("column length differs from the number of records")
        self._chunks[position] = []
        self._pending[position] = []
        for start in range(0, len(values), CHUNK_ROWS):
            part = values[start : start + CHUNK_ROWS]
            offsets = array("I", accumulate(map(len, part), initial=0))
            self._chunks[position].append(("".join(part), offsets))

    def _record(self, row: int) -> CsvRecord:
        cells = []
        for position in range(len(self._pending)):
            chunk, at = divmod(row, CHUNK_ROWS)
            chunks = self._chunks[position]
            if chunk < len(chunks):
                text, offsets = chunks[chunk]
                cells.append(text[offsets[at] : offsets[at + 1]])
            else:
                cells.append(self._pending[position][row - len(chunks) * CHUNK_ROWS])
        return CsvRecord(self._lines[row], cells)

    def __iter__(self) -> Iterator[CsvRecord]:
        for row in range(len(self)):
            yield self[row]


class ArrowRecords(_Records):
    """Kept records read by the fast reader: one pyarrow string column per kept column and
    the line of each record; behaves as a read-only list of CsvRecord, like RecordList."""

    def __init__(self, columns: list, lines: np.ndarray) -> None:
        self._columns = list(columns)
        self._lines = np.asarray(lines, dtype=np.int64)
        self._released = False

    def compact(self) -> None:
        """Nothing to pack: the columns are already compact."""

    def rows(self, start: int, stop: int) -> ArrowRecords:
        """Records ``start`` to ``stop`` (views of the same columns, lines kept)."""
        if self._released:
            raise RuntimeError("cells read after the table was turned into a frame")
        columns = [
            column[start:stop] if isinstance(column, list) else column.slice(start, stop - start)
            for column in self._columns
        ]
        return ArrowRecords(columns, self._lines[start:stop])

    def release(self) -> None:
        """Drop the cells (lines stay): called once the typed columns are built."""
        self._columns = [None] * len(self._columns)
        self._released = True

    def arrow(self, position: int):
        """The cells of kept column ``position`` as a pyarrow string array (None once a rewrite
        made it a list)."""
        if self._released:
            raise RuntimeError("cells read after the table was turned into a frame")
        column = self._columns[position]
        return None if isinstance(column, list) else column

    def column(self, position: int) -> list[str]:
        """The cells of kept column ``position``, as a new list."""
        if self._released:
            raise RuntimeError("cells read after the table was turned into a frame")
        column = self._columns[position]
        return list(column) if isinstance(column, list) else column.to_pylist()

    def set_column(self, position: int, values: list[str]) -> None:
        if len(values) != len(self._lines):
            raise ValueError("column length differs from the number of records")
        try:
            self._columns[position] = pa.chunked_array([pa.array(values, pa.string())])
        except (pa.ArrowException, UnicodeError):
            # A rewritten cell pyarrow cannot hold (a lone surrogate): keep it as a list.
            self._columns[position] = list(values)

    def _record(self, row: int) -> CsvRecord:
        cells = [
            column[row] if isinstance(column, list) else column[row].as_py()
            for column in self._columns
        ]
        return CsvRecord(int(self._lines[row]), cells)

    def __iter__(self) -> Iterator[CsvRecord]:
        # Whole columns converted once: a pyarrow scalar per cell costs microseconds.
        columns = [self.column(position) for position in range(len(self._columns))]
        for row, line in enumerate(self._lines.tolist()):
            yield CsvRecord(line, [column[row] for column in columns])


@dataclass
class CsvTable:
    """The data records of a sniffed CSV, with rows of the wrong width already rejected.

    Records keep only the cells of the columns an importer asked for (``positions`` maps a
    header index to its place in ``CsvRecord.cells``): a 200 MB export would otherwise hold
    every cell of every row in memory.
    """

    header: tuple[str, ...]
    keys: tuple[str, ...]
    header_line: int
    separator: str
    records: RecordList | ArrowRecords
    rejections: list[Rejection]
    rows_read: int
    positions: dict[int, int]
    text: str = field(repr=False, default="")
    # The file's UTF-8 bytes (after any BOM) when the text was not decoded: rejection reports
    # then read their lines there.
    utf8: memoryview | None = field(repr=False, default=None)
    # For tables not read from CSV text (workbook sheets, JSON/XML records): the raw rows by
    # line, used instead of ``text`` in rejection reports.
    raw_rows: dict[int, str] | None = field(repr=False, default=None)
    # Where raw_lines stopped, [line, position in text or bytes], shared by the blocks of one table:
    # each block's rejections are then found from there, not from the top of the file.
    raw_cursor: list[int] = field(repr=False, default_factory=lambda: [1, 0])

    # The parts of a large file not read yet (read_csv_table with ``stream``): a background
    # thread reads them while the blocks of the first ones are stored. None once all are in.
    parts: _PartReader | None = field(repr=False, default=None, compare=False)
    # Share of the file's data this table's records end at, when ``parts`` follow.
    share: float = field(repr=False, default=1.0, compare=False)

    def blocks(self, rows: int) -> Iterator[tuple[CsvTable, float]]:
        """The table in blocks of ``rows`` records, each with the share of the file read once
        it is (the whole table when it has no more, or when its records are not pyarrow
        columns); the rows of the wrong width and the records read with them go with the
        first block.

        The last ``rows`` records come as four smaller blocks: what is stored after the
        last one is read (nothing overlaps it) is then a quarter of a block.

        A table read in ``parts`` gives each part as a block as soon as it is read (each holds
        about ``rows`` records), then its last part as above.
        """
        table, before = self, 0.0
        while table.parts is not None:
            if len(table.records):
                yield replace(table, parts=None, share=1.0), table.share
            part = table.parts.next_part()
            carried = [] if len(table.records) else table.rejections
            extra = 0 if len(table.records) else table.rows_read
            table, before = (
                replace(
                    table,
                    records=part.records,
                    rejections=carried + part.rejections,
                    rows_read=extra + part.rows_read,
                    parts=None if part.last else table.parts,
                    share=part.share,
                ),
                table.share,
            )
        for block, share in table._whole_blocks(rows):
            yield block, before + (1.0 - before) * share

    def _whole_blocks(self, rows: int) -> Iterator[tuple[CsvTable, float]]:
        records = self.records
        if not isinstance(records, ArrowRecords) or len(records) <= rows:
            yield self, 1.0
            return
        tail = max(0, len(records) - rows)
        starts = [*range(0, tail, rows), *range(tail, len(records), max(1, rows // 4))]
        for start, stop in zip(starts, [*starts[1:], len(records)], strict=True):
            part = records.rows(start, stop)
            first = start == 0
            yield (
                replace(
                    self,
                    records=part,
                    rejections=list(self.rejections) if first else [],
                    rows_read=len(part) + (self.rows_read - len(records) if first else 0),
                ),
                stop / len(records),
            )

    def close(self) -> None:
        """Stop reading the parts not read yet (the blocks are no longer wanted)."""
        if self.parts is not None:
            self.parts.close()

    def column(self, aliases: Sequence[str]) -> int | None:
        """Index of the first column whose header matches one of ``aliases`` (in alias order)."""
        for alias in aliases:
            key = header_key(alias)
            if key in self.keys:
                return self.keys.index(key)
        return None

    def cells(self, index: int | None) -> list[str]:
        """The cells of header column ``index`` for every record ('' when absent or not kept)."""
        position = self.positions.get(index) if index is not None else None
        if position is None:
            return [""] * len(self.records)
        return self.records.column(position)

    def arrow_cells(self, index: int | None):
        """The cells of header column ``index`` as a pyarrow string array ('' when absent or
        not kept), or None when pyarrow cannot hold them (the caller then reads them one by one).
        """
        if pa is None:
            return None
        position = self.positions.get(index) if index is not None else None
        if position is None:
            return pa.array([""] * len(self.records), pa.string())
        if isinstance(self.records, ArrowRecords):
            return self.records.arrow(position)
        try:
            return pa.array(self.records.column(position), pa.string())
        except (pa.ArrowException, UnicodeError):
            return None

    def map_cells(self, index: int | None, transform: Callable[[str], str]) -> None:
        """Rewrite the kept cells of column ``index`` (e.g. a date into ISO) before parsing."""
        position = self.positions.get(index) if index is not None else None
        if position is not None:
            self.records.set_column(position, [transform(c) for c in self.records.column(position)])

    def line_of(self, row: int) -> int:
        """The file line of record ``row``."""
        return self.records.line(row)

    def raw_lines(self, lines: Iterable[int]) -> dict[int, str]:
        """The first physical line of each of ``lines``, shortened, for rejection reports."""
        wanted = set(lines)
        found: dict[int, str] = {}
        if not wanted:
            return found
        if self.raw_rows is not None:
            return {line: self.raw_rows.get(line, "") for line in wanted}
        text: str | bytes = self.text
        top = 0
        if self.utf8 is not None and isinstance(self.utf8.obj, bytes):
            # Line breaks are the same bytes in UTF-8; a found line alone is decoded.
            text = self.utf8.obj
            top = len(text) - self.utf8.nbytes  # after the BOM
        line_break = _LINE_BREAK_BYTES if isinstance(text, bytes) else _LINE_BREAK

        def raw(start: int, end: int) -> str:
            cut = text[start:end]
            return shorten(cut if isinstance(cut, str) else cut.decode("utf-8", "replace"))

        number, start = self.raw_cursor
        if number > min(wanted) or start < top:
            start, number = top, 1
        for target in sorted(wanted):
            if number < target:
                # Whole blocks before the target line are counted, not walked line by line.
                number, start = _skip_lines(text, start, number, target)
            # Same line breaks as the csv module reading a newline="" stream: \r\n, \r or \n.
            for match in line_break.finditer(text, start):
                if number == target:
                    found[number] = raw(start, match.start())
                start, number = match.end(), number + 1
                if number > target:
                    break
            else:
                if number == target:
                    found[number] = raw(start, len(text))
                return found
        self.raw_cursor[:] = [number, start]
        return found


_RAW_BLOCK = 1 << 20  # characters counted at once when looking for a far line


def _line_breaks_in(text: str | bytes, start: int, end: int) -> int:
    """Line breaks (CRLF, CR or LF, as :func:`_physical_lines` cuts) in ``text[start:end]``;
    in UTF-8 bytes they are the same bytes as in the text."""
    if isinstance(text, bytes):
        breaks = _byte_count(text, b"\n", start, end)
        carriage = _byte_count(text, b"\r", start, end)
        return breaks + carriage - (_byte_count(text, b"\r\n", start, end) if carriage else 0)
    breaks = text.count("\n", start, end)
    if text.find("\r", start, end) >= 0:
        breaks += text.count("\r", start, end) - text.count("\r\n", start, end)
    return breaks


_COUNT_CHUNK = 8 << 20  # bytes numpy compares at once


def _byte_count(raw: bytes, pattern: bytes, start: int, end: int) -> int:
    """``raw.count(pattern, start, end)`` for one byte or a pair, by numpy a chunk at a time:
    it lets the other threads run, where bytes.count holds the interpreter through the
    hundreds of megabytes of a large file (the reader of its parts counts their lines while
    the blocks before are analysed)."""
    start, end = max(0, start), min(len(raw), end)
    if end - start < 4096:
        return raw.count(pattern, start, end)
    view = np.frombuffer(raw, dtype=np.uint8)
    first, rest = pattern[0], pattern[1:]
    total = 0
    for begin in range(start, end, _COUNT_CHUNK):
        stop = min(end, begin + _COUNT_CHUNK)
        if not rest:
            total += int(np.count_nonzero(view[begin:stop] == first))
        else:  # a pair may straddle two chunks: each chunk looks one byte further
            after = min(end, stop + 1)
            pairs = (view[begin : after - 1] == first) & (view[begin + 1 : after] == rest[0])
            total += int(np.count_nonzero(pairs))
    return total


_BREAKS = {False: ("\n", "\r", "\r\n"), True: (b"\n", b"\r", b"\r\n")}


def _skip_lines(text: str | bytes, start: int, number: int, target: int) -> tuple[int, int]:
    """From ``start`` on line ``number``, the farthest (line, position) reached by whole blocks
    that stays on a line before ``target``; the position never splits a CRLF."""
    crlf = _BREAKS[isinstance(text, bytes)][2]
    while True:
        end = min(start + _RAW_BLOCK, len(text))
        if end < len(text) and text[end - 1 : end + 1] == crlf:
            end += 1
        if end >= len(text):
            return number, start
        breaks = _line_breaks_in(text, start, end)
        if number + breaks >= target:
            return number, start
        number, start = number + breaks, end


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def read_csv_table(
    sniffed: Sniffed,
    wanted: Iterable[Sequence[str]] | None = None,
    *,
    header: Sequence[str] | None = None,
    skip: int = 0,
    stream: int = 0,
) -> CsvTable:
    """The header and data records of a sniffed CSV; records of the wrong width are rejected.

    ``wanted`` lists header aliases (e.g. ``COLUMN_MAP.values()``); only the matching columns
    are kept in the records. None keeps every column. ``header`` replaces the header cells
    as found (same width; an importer uses it to tell apart columns the file names twice);
    ``skip`` drops that many records after the header (a description row), not counted as read.

    ``stream`` (a number of records): a large UTF-8 file is read in parts of about that many
    records by a background thread, and the table holds the first one; its ``blocks`` give
    each part as it is read (see :class:`_PartReader`).
    """
    if sniffed.kind != "csv" or not sniffed.has_text or sniffed.header_row is None:
        raise ImportRefused(
            "Aucune ligne d'en-tête trouvée : un CSV avec une ligne d'en-tête était attendu."
        )
    separator = sniffed.separator or ","
    text, header_record, records = _header_and_records(sniffed, separator, skip)
    found_header = tuple(cell.strip() for cell in header_record.cells)
    if header is not None and len(header) == len(found_header):
        found_header = tuple(str(h).strip() for h in header)
    header = found_header
    keys = tuple(header_key(h) for h in header)
    if wanted is None:
        kept_columns = list(range(len(header)))
    else:
        wanted_keys = {header_key(alias) for aliases in wanted for alias in aliases}
        kept_columns = [i for i, key in enumerate(keys) if key in wanted_keys]
    width = len(header)
    table = CsvTable(
        header=header,
        keys=keys,
        header_line=header_record.line,
        separator=separator,
        records=RecordList(len(kept_columns)),
        rejections=[],
        rows_read=0,
        positions={column: position for position, column in enumerate(kept_columns)},
        text=sniffed.text if sniffed.utf8 is None else "",
        utf8=sniffed.utf8,
    )
    if stream:
        reader = _PartReader.of(
            text, records.consumed, separator, width, kept_columns, sniffed, stream
        )
        if reader is not None:
            first = reader.next_part()
            parts = None if first.last else reader
            return replace(
                table,
                records=first.records,
                rejections=first.rejections,
                rows_read=first.rows_read,
                parts=parts,
                share=first.share,
            )
    fast = _arrow_records(text, records.consumed, separator, width, kept_columns, sniffed.utf8)
    if fast is not None:
        kept, rejections, rows_read = fast
    else:
        if text is not sniffed.text:  # the head: the csv module reads the whole text
            _, _, records = _header_and_records(sniffed, separator, skip, whole=True)
        kept, rejections, rows_read = _python_records(records, separator, width, kept_columns)
    return replace(table, records=kept, rejections=rejections, rows_read=rows_read)


def _header_and_records(
    sniffed: Sniffed, separator: str, skip: int, *, whole: bool = False
) -> tuple[str, CsvRecord, _CsvCursor]:
    """The text read, the header record and the records after it (``skip`` of them skipped).

    Unless ``whole``, a large UTF-8 file's header is read from its head (:meth:`Sniffed.head`):
    the fast reader parses the bytes after it and the text is never decoded. The whole text is
    read instead when the head cuts the header or a skipped record short.
    """
    if not whole and sniffed.utf8 is not None and sniffed.utf8.nbytes > HEAD_BYTES:
        head = sniffed.head()
        try:
            record, records = _header_record(head, sniffed, separator, skip)
        except ImportRefused:
            pass  # a record the head cuts: judged on the whole text
        else:
            # The data must start before the head's last character (a cut \r\n included).
            if _data_start(head, records.consumed) + 1 < len(head):
                return head, record, records
    text = sniffed.text or ""
    return (text, *_header_record(text, sniffed, separator, skip))


def _header_record(
    text: str, sniffed: Sniffed, separator: str, skip: int
) -> tuple[CsvRecord, _CsvCursor]:
    """The header record of ``text`` and the records after it, ``skip`` records skipped."""
    records = _CsvCursor(text, separator)
    found = next(islice(records, sniffed.header_row, None), None)
    if found is None:
        raise ImportRefused("Ligne d'en-tête introuvable : le fichier a changé pendant la lecture.")
    for _ in range(skip):
        if next(records, None) is None:
            break
    return found, records


def _python_records(
    records: Iterator[CsvRecord], separator: str, width: int, kept_columns: list[int]
) -> tuple[RecordList, list[Rejection], int]:
    """The data records read by the csv module: kept ones, rejections, count of records read."""
    kept = RecordList(len(kept_columns))
    rejections: list[Rejection] = []
    rows_read = 0
    pending: CsvRecord | None = None
    # The last record is judged after the loop so a short one can be flagged as a truncation.
    for record in records:
        if pending is not None:
            _judge_width(pending, width, separator, kept_columns, kept, rejections, last=False)
        rows_read += 1
        pending = record
    if pending is not None:
        _judge_width(pending, width, separator, kept_columns, kept, rejections, last=True)
    kept.compact()
    return kept, rejections, rows_read


# --------------------------------------------------------------------------- fast CSV reader
#
# pyarrow's CSV reader splits records and fields like the csv module does for the CSV files
# exports produce (quotes, doubled quotes, quoted line breaks, \r\n, \r or \n), about ten
# times faster. Every difference it could have is either checked (blank records, wrong field
# counts re-read by the csv module, the csv module's field size limit, the total number of
# physical lines) or sends the whole file back to the csv module, which stays the reference.

_ARROW_BLOCK = 1 << 22  # bytes pyarrow parses at once; a longer record falls back


class _FastReadFailed(Exception):
    """The fast reader met something it cannot read exactly like the csv module."""


class _Utf8Stream:
    """``text[start:]`` as a binary stream for pyarrow, encoded to UTF-8 a block at a time (no
    second copy of a 200 MB text)."""

    closed = False

    def __init__(self, text: str, start: int) -> None:
        self._text = text
        self._position = start
        self._pending = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = 4 * (len(self._text) - self._position) + len(self._pending)
        while len(self._pending) < size and self._position < len(self._text):
            chunk = self._text[self._position : self._position + max(size, 1 << 16)]
            self._position += len(chunk)
            self._pending += chunk.encode("utf-8")
        out, self._pending = self._pending[:size], self._pending[size:]
        return out


def _data_start(text: str, consumed: int) -> int:
    """Position in ``text`` of the line after the first ``consumed`` physical lines."""
    if consumed == 0:
        return 0
    for number, match in enumerate(_LINE_BREAK.finditer(text), start=1):
        if number == consumed:
            return match.end()
    return len(text)


def _physical_line_count(text: str | bytes, start: int) -> int:
    """How many lines :func:`_physical_lines` cuts ``text[start:]`` (or its UTF-8 bytes) into."""
    if start >= len(text):
        return 0
    breaks = _line_breaks_in(text, start, len(text))
    return breaks + (0 if text[-1:] in _BREAKS[isinstance(text, bytes)][2] else 1)


def _arrow_records(
    text: str,
    consumed: int,
    separator: str,
    width: int,
    kept_columns: list[int],
    utf8: memoryview | None = None,
) -> tuple[ArrowRecords, list[Rejection], int] | None:
    """The data records after the first ``consumed`` lines, read by pyarrow: kept ones,
    rejections, count of records read; None when only the csv module can read them exactly.

    ``utf8``, the bytes ``text`` is the exact decoding of, is parsed as it is (``text`` may then
    be their head only, holding the first ``consumed`` lines); without it the text is encoded
    again, a block at a time."""
    if not _arrow_can_split(separator, width):
        return None
    start = _data_start(text, consumed)
    if utf8 is not None:
        if not isinstance(utf8.obj, bytes):
            return None
        raw, begin = utf8.obj, _data_begin(text, consumed, utf8)
        if len(raw) - begin >= _SPLIT_FROM_BYTES:
            halves = _records_in_halves(raw, begin, consumed + 1, separator, width, kept_columns)
            if halves is not None:
                return halves
        data = pa.py_buffer(raw).slice(begin)

        def source() -> object:
            return pa.BufferReader(data)  # no copy of the file

        # The physical lines the records must span, to check pyarrow's numbering against.
        lines = _span_lines(raw, begin, len(raw))
    else:

        def source() -> object:
            return _Utf8Stream(text, start)

        lines = _physical_line_count(text, start)
    try:
        # Threads parse faster but do not number the rows pyarrow finds malformed: a file with
        # such rows is read again on one thread.
        for threads in (True, False):
            result = _arrow_read(
                source, consumed + 1, lines, separator, width, kept_columns, threads
            )
            # The blocks of every column are freed: give their memory back for what follows.
            pa.default_memory_pool().release_unused()
            if result is not None:
                return result
    except (_FastReadFailed, pa.ArrowException, UnicodeError, csv.Error, OverflowError):
        return None
    return None


def _arrow_can_split(separator: str, width: int) -> bool:
    """Whether pyarrow can cut records and fields as the csv module does with ``separator``."""
    return (
        pa_csv is not None
        and width > 0
        and len(separator) == 1
        and separator.isascii()
        and separator not in '"\r\n'
    )


def _data_begin(text: str, consumed: int, utf8: memoryview) -> int:
    """Where, in the bytes ``utf8`` is a view of (BOM included), the line after the first
    ``consumed`` lines of ``text`` (their exact decoding, or its head) starts."""
    head = text[: _data_start(text, consumed)]
    return len(utf8.obj) - utf8.nbytes + len(head.encode("utf-8"))


def _span_lines(raw: bytes, begin: int, end: int) -> int:
    """The physical lines ``raw[begin:end]`` spans, ``end`` being a line start or the end of
    the file (whose last line may have no break)."""
    if end == len(raw):
        return _physical_line_count(raw, begin)
    return _line_breaks_in(raw, begin, end)


def _read_span(
    buffer,
    begin: int,
    end: int,
    first_line: int,
    lines: int,
    separator: str,
    width: int,
    kept_columns: list[int],
) -> tuple[ArrowRecords, list[Rejection], int] | None:
    """:func:`_arrow_read` of the bytes ``buffer[begin:end]`` (from line ``first_line``, over
    ``lines`` physical lines), on the calling thread."""

    def source() -> object:
        return pa.BufferReader(buffer.slice(begin, end - begin))

    return _arrow_read(source, first_line, lines, separator, width, kept_columns, False)


# From this size, a UTF-8 file is read as two halves at once (pyarrow's streaming reader
# parses on one core): 575 MB in 0.6 s instead of 1 to 2.5 s on two cores.
_SPLIT_FROM_BYTES = 32 * 1024 * 1024


def _records_in_halves(
    raw: bytes,
    start: int,
    first_line: int,
    separator: str,
    width: int,
    kept_columns: list[int],
) -> tuple[ArrowRecords, list[Rejection], int] | None:
    """What :func:`_arrow_read` gives for ``raw[start:]``, read as two halves on two threads;
    None when the file cannot be cut, or when its first half has a row of the wrong width
    (its message may depend on being the file's last row).

    Each half's physical lines, to check pyarrow's numbering against, are counted in its
    bytes: line breaks are the same bytes in UTF-8 as in the text."""
    cut = _line_start_outside_quotes(raw, start, len(raw))
    if cut is None:
        return None
    first_lines = _span_lines(raw, start, cut)
    buffer = pa.py_buffer(raw)

    def half(begin: int, end: int, line: int, lines: int | None):
        if lines is None:  # the second half: counted in its own thread
            lines = _span_lines(raw, begin, end)
        return _read_span(buffer, begin, end, line, lines, separator, width, kept_columns)

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                pool.submit(half, start, cut, first_line, first_lines),
                pool.submit(half, cut, len(raw), first_line + first_lines, None),
            ]
            results = [future.result() for future in futures]
    except (_FastReadFailed, pa.ArrowException, UnicodeError, csv.Error, OverflowError):
        return None
    finally:
        pa.default_memory_pool().release_unused()
    head, tail = results
    if head is None or tail is None or head[1]:
        return None
    records = ArrowRecords(
        [
            pa.chunked_array([*a.chunks, *b.chunks], type=pa.string())
            for a, b in zip(head[0]._columns, tail[0]._columns, strict=True)
        ],
        np.concatenate([head[0]._lines, tail[0]._lines]),
    )
    return records, head[1] + tail[1], head[2] + tail[2]


@dataclass
class _Part:
    """One part of a file read by :class:`_PartReader`: what :func:`_arrow_read` gives, the
    share of the file's data read once it is, and whether it is the last."""

    records: ArrowRecords | RecordList
    rejections: list[Rejection]
    rows_read: int
    share: float
    last: bool


# A file this large is read in parts when it is to be stored in blocks (the first part then
# reaches the database while the others are read); the first part's size.
_STREAM_FROM_BYTES = _SPLIT_FROM_BYTES
_FIRST_PART_BYTES = 32 * 1024 * 1024


class _PartReader:
    """The records of a large UTF-8 CSV, read part after part by a background thread: the
    first part (32 MB) is soon there, then parts of about ``rows`` records each.

    Each part is cut where a line starts outside quotes and read like a half of
    :func:`_records_in_halves`. A part pyarrow cannot read exactly like the csv module (or a
    part before the last with rows of the wrong width, whose message could depend on being
    the last row) ends the cutting: everything from its start is read as one last part, by
    pyarrow as a whole file is, else by the csv module. Blocks given before are unchanged.
    """

    def __init__(self, parts: Iterator[_Part]) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(parts,), name="parvis-read", daemon=True
        )
        self._thread.start()

    @classmethod
    def of(
        cls,
        text: str,
        consumed: int,
        separator: str,
        width: int,
        kept_columns: list[int],
        sniffed: Sniffed,
        rows: int,
    ) -> _PartReader | None:
        """A reader of the records after the first ``consumed`` lines (``text`` holds them),
        or None when the file is not one to read in parts."""
        utf8 = sniffed.utf8
        if (
            utf8 is None
            or not isinstance(utf8.obj, bytes)
            or utf8.nbytes < _STREAM_FROM_BYTES
            or not _arrow_can_split(separator, width)
        ):
            return None
        raw, begin = utf8.obj, _data_begin(text, consumed, utf8)
        read = functools.partial(
            _parts, raw, begin, consumed + 1, separator, width, kept_columns, rows
        )
        return cls(read())

    def _run(self, parts: Iterator[_Part]) -> None:
        try:
            for part in parts:
                self._queue.put(part)
                if part.last or self._stop.is_set():
                    return
        except BaseException as error:  # handed to the reader of the parts
            self._queue.put(error)
        finally:
            pa.default_memory_pool().release_unused()

    def next_part(self) -> _Part:
        """The next part, once read (its reading's error is raised here)."""
        item = self._queue.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        """Read no further part."""
        self._stop.set()


def _parts(
    raw: bytes,
    begin: int,
    first_line: int,
    separator: str,
    width: int,
    kept_columns: list[int],
    rows: int,
) -> Iterator[_Part]:
    """The parts :class:`_PartReader` reads: ``raw[begin:]``, from line ``first_line``."""
    buffer = pa.py_buffer(raw)
    total = max(1, len(raw) - begin)
    position, line, size = begin, first_line, _FIRST_PART_BYTES
    while True:
        cut = None
        if len(raw) - position > size + size // 2:  # no small last part
            cut = _line_start_outside_quotes(raw, position, len(raw), near=position + size)
        end = len(raw) if cut is None else cut
        last = cut is None
        lines = _span_lines(raw, position, end)
        try:
            read = _read_span(buffer, position, end, line, lines, separator, width, kept_columns)
            if read is None or (read[1] and not last):
                raise _FastReadFailed
        except (_FastReadFailed, pa.ArrowException, UnicodeError, csv.Error, OverflowError):
            if last:
                yield _Part(
                    *_python_tail(raw, position, line, separator, width, kept_columns), 1.0, True
                )
                return
            # Everything from here as the last part (pyarrow, then the csv module).
            size = len(raw)
            continue
        records = read[0]
        yield _Part(*read, (end - begin) / total, last)
        if last:
            return
        if len(records):
            size = max(1, rows * (end - position) // len(records))
        position, line = end, line + lines


def _python_tail(
    raw: bytes, position: int, line: int, separator: str, width: int, kept_columns: list[int]
) -> tuple[RecordList, list[Rejection], int]:
    """The records of ``raw[position:]`` (from line ``line``) read by the csv module."""
    records = _CsvCursor(raw[position:].decode("utf-8"), separator, first_line=line)
    return _python_records(records, separator, width, kept_columns)


def _line_start_outside_quotes(
    raw: bytes, start: int, end: int, near: int | None = None
) -> int | None:
    """A position near ``near`` (default the middle of ``raw[start:end]``; ``start`` is outside
    quotes) where a line starts outside any quoted field (an even number of quotes before it):
    where a CSV can be cut in two. None when the lines after it do not qualify soon."""
    position = start + (end - start) // 2 if near is None else near
    quotes = _byte_count(raw, b'"', start, position)
    for _ in range(1000):
        newline = raw.find(b"\n", position, end)
        if newline < 0:
            return None
        quotes += raw.count(b'"', position, newline + 1)
        position = newline + 1
        if quotes % 2 == 0:
            return position if position < end else None
    return None


def _arrow_read(
    source: Callable[[], object],
    first_line: int,
    lines: int,
    separator: str,
    width: int,
    kept_columns: list[int],
    threads: bool,
) -> tuple[ArrowRecords, list[Rejection], int] | None:
    """One reading of :func:`_arrow_records`; None when threads left malformed rows unnumbered."""
    malformed: list[tuple[int | None, str]] = []

    def on_malformed(row) -> str:
        malformed.append((row.number, row.text))
        return "skip"

    names = [f"c{i}" for i in range(width)]
    kept = set(kept_columns)
    reader = pa_csv.open_csv(
        source(),
        read_options=pa_csv.ReadOptions(
            column_names=names, use_threads=threads, block_size=_ARROW_BLOCK
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=separator,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=on_malformed,
        ),
        convert_options=pa_csv.ConvertOptions(
            # Columns nobody reads stay bytes: checked, never turned into text.
            column_types={
                name: pa.string() if index in kept else pa.binary()
                for index, name in enumerate(names)
            },
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    limit = csv.field_size_limit()
    parts: list[list] = [[] for _ in kept_columns]
    breaks_parts: list[np.ndarray] = []
    blank_parts: list[np.ndarray] = []
    for batch in reader:
        if threads and malformed:
            return None
        columns = batch.columns
        breaks_parts.append(_batch_line_breaks(columns, limit))
        blank_parts.append(_blank_rows(columns))
        for part, column in zip(parts, kept_columns, strict=True):
            part.append(columns[column])
    if threads and malformed:
        return None
    breaks = np.concatenate(breaks_parts) if breaks_parts else np.zeros(0, dtype=np.int64)
    blank = np.concatenate(blank_parts) if blank_parts else np.zeros(0, dtype=bool)

    # Record numbers (1-based, malformed rows included) of the rows pyarrow kept.
    total = len(breaks) + len(malformed)
    bad_numbers = np.array([number or 0 for number, _ in malformed], dtype=np.int64)
    if len(malformed) and (
        any(number is None for number, _ in malformed)
        or np.any(np.diff(bad_numbers) <= 0)
        or bad_numbers[0] < 1
        or bad_numbers[-1] > total
    ):
        raise _FastReadFailed
    numbers = np.setdiff1d(np.arange(1, total + 1), bad_numbers, assume_unique=True)
    if len(numbers) != len(breaks):
        raise _FastReadFailed
    spans = np.ones(total, dtype=np.int64)
    spans[numbers - 1] += breaks
    bad_cells: list[list[str]] = []
    for number, raw in malformed:
        cells = _single_record(raw, separator)
        bad_cells.append(cells)
        spans[number - 1] += _line_breaks_in(raw, 0, len(raw))
    if int(spans.sum()) != lines:
        raise _FastReadFailed
    starts = first_line + np.cumsum(spans) - spans

    filled = ~blank
    bad_filled = [any(cell.strip() for cell in cells) for cells in bad_cells]
    last = max(
        int(numbers[filled][-1]) if filled.any() else 0,
        max((int(n) for n, f in zip(bad_numbers, bad_filled, strict=True) if f), default=0),
    )
    rows_read = int(filled.sum()) + sum(bad_filled)
    rejections: list[Rejection] = []
    extra = RecordList(len(kept_columns))
    extra_numbers: list[int] = []
    for number, cells, is_filled in zip(bad_numbers, bad_cells, bad_filled, strict=True):
        if not is_filled:
            continue
        before = len(extra)
        record = CsvRecord(int(starts[number - 1]), cells)
        _judge_width(record, width, separator, kept_columns, extra, rejections, last=number == last)
        if len(extra) > before:
            extra_numbers.append(int(number))
    extra.compact()

    mask = None if filled.all() else pa.array(filled)
    columns = []
    for position, part in enumerate(parts):
        column = pa.chunked_array(part, type=pa.string())
        if mask is not None:
            column = column.filter(mask)
        if extra_numbers:
            column = pa.chunked_array([*column.chunks, pa.array(extra.column(position))])
        columns.append(column)
    kept_numbers = numbers[filled]
    if extra_numbers:
        kept_numbers = np.concatenate([kept_numbers, np.array(extra_numbers, dtype=np.int64)])
        order = np.argsort(kept_numbers, kind="stable")
        kept_numbers = kept_numbers[order]
        indices = pa.array(order)
        columns = [column.take(indices) for column in columns]
    return ArrowRecords(columns, starts[kept_numbers - 1]), rejections, rows_read


def _single_array(values):
    """A pyarrow string array (or chunked array) as one contiguous array."""
    if isinstance(values, pa.ChunkedArray):
        if values.nbytes >= 2**31 - 1:
            values = values.cast(pa.large_string())
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


def _single_record(raw: str, separator: str) -> list[str]:
    """The cells of one malformed record as the csv module reads them."""
    reader = csv.reader(_physical_lines(raw), delimiter=separator, strict=False)
    records = list(reader)
    if len(records) != 1:
        raise _FastReadFailed
    return records[0]


def _batch_line_breaks(columns: list, limit: int) -> np.ndarray:
    """Line breaks inside each row's cells (a quoted field may span lines)."""
    rows = len(columns[0]) if columns else 0
    breaks = np.zeros(rows, dtype=np.int64)
    if not rows:
        return breaks
    for column in columns:
        if column.type not in (pa.string(), pa.binary()):
            raise _FastReadFailed
        _, offsets_buffer, data = column.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
            column.offset : column.offset + rows + 1
        ]
        first, last = int(offsets[0]), int(offsets[-1])
        # Byte length bounds the length in characters the csv module limits.
        if last - first >= limit and int(np.diff(offsets).max()) >= limit:
            raise _FastReadFailed
        if data is None or last == first:
            continue
        # A byte search over the column's characters first: most have no line break.
        raw = memoryview(data)[first:last].tobytes()
        if b"\n" not in raw and b"\r" not in raw:
            continue
        breaks += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
        breaks += pc.count_substring(column, "\r").to_numpy(zero_copy_only=False)
        breaks -= pc.count_substring(column, "\r\n").to_numpy(zero_copy_only=False)
    return breaks


def _blank_rows(columns: list) -> np.ndarray:
    """Rows whose every cell is empty or whitespace (``str.strip``), which the csv reader skips."""
    rows = len(columns[0]) if columns else 0
    candidates = np.arange(rows)
    for column in columns:
        if not len(candidates):
            break
        cells = column if len(candidates) == rows else column.take(pa.array(candidates))
        candidates = candidates[_maybe_blank(cells)]
    blank = np.zeros(rows, dtype=bool)
    if len(candidates):
        still = np.ones(len(candidates), dtype=bool)
        indices = pa.array(candidates)
        for column in columns:
            values = column.take(indices).cast(pa.string()).to_pylist()
            still &= np.array([not value.strip() for value in values], dtype=bool)
        blank[candidates[still]] = True
    return blank


def _maybe_blank(cells) -> np.ndarray:
    """False where a cell surely holds more than whitespace: its first character is not one."""
    empty = pc.equal(pc.binary_length(cells), 0).to_numpy(zero_copy_only=False)
    if empty.all():
        return empty
    return empty | _first_is_space(cells)


def _first_is_space(cells) -> np.ndarray:
    """Whether each non-empty cell starts with a character ``str.isspace`` accepts."""
    return _edge_is_space(cells, last=False)


def _last_is_space(cells) -> np.ndarray:
    """Whether each non-empty cell ends with a character ``str.isspace`` accepts."""
    return _edge_is_space(cells, last=True)


# The bytes a whitespace character (for str.isspace) starts and ends with in UTF-8: a byte
# outside them rules whitespace out; a byte inside is checked by Python.
_SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]
_SPACE_FIRST_BYTES = np.zeros(256, dtype=bool)
_SPACE_FIRST_BYTES[[c.encode()[0] for c in _SPACES]] = True
_SPACE_LAST_BYTES = np.zeros(256, dtype=bool)
_SPACE_LAST_BYTES[[c.encode()[-1] for c in _SPACES]] = True


def _edge_is_space(cells, *, last: bool) -> np.ndarray:
    rows = len(cells)
    found = np.zeros(rows, dtype=bool)
    if not rows or cells.type not in (pa.string(), pa.binary()) or cells.null_count:
        return _edge_is_space_by_value(cells, np.arange(rows), last=last)
    _, offsets_buffer, data = cells.buffers()
    if data is None:
        return found
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[cells.offset : cells.offset + rows + 1]
    filled = offsets[1:] > offsets[:-1]
    at = (offsets[1:] - 1 if last else offsets[:-1])[filled]
    table = _SPACE_LAST_BYTES if last else _SPACE_FIRST_BYTES
    found[filled] = table[np.frombuffer(data, dtype=np.uint8)[at]]
    candidates = np.flatnonzero(found)
    if len(candidates):
        found[candidates] = _edge_is_space_by_value(cells, candidates, last=last)
    return found


def _edge_is_space_by_value(cells, rows: np.ndarray, *, last: bool) -> np.ndarray:
    """``str.isspace`` of the first (or last) character of the cells at ``rows``."""
    texts = cells.take(pa.array(rows, pa.int64())).to_pylist()
    out = []
    for text in texts:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        out.append(bool(text) and (text[-1] if last else text[0]).isspace())
    return np.array(out, dtype=bool)


def table_from_rows(
    rows: Sequence[tuple[int, Sequence[str]]],
    header_position: int,
    wanted: Iterable[Sequence[str]] | None = None,
    *,
    header: Sequence[str] | None = None,
    skip: int = 0,
) -> CsvTable:
    """A :class:`CsvTable` over rows that are not CSV text: workbook sheets, JSON or XML records.

    ``rows`` are (line, cells as text); ``rows[header_position]`` is the header (or ``header``
    replaces it). Rows shorter than the header are padded (a sheet drops trailing empty
    cells) and cells past the header are ignored; blank rows are skipped. ``skip`` drops that
    many rows after the header (a description row), not counted as read.
    """
    header_line, found = rows[header_position]
    cells_header = tuple(str(h).strip() for h in (header if header is not None else found))
    keys = tuple(header_key(h) for h in cells_header)
    if wanted is None:
        kept_columns = list(range(len(cells_header)))
    else:
        wanted_keys = {header_key(alias) for aliases in wanted for alias in aliases}
        kept_columns = [i for i, key in enumerate(keys) if key in wanted_keys]
    width = len(cells_header)
    records = RecordList(len(kept_columns))
    raw_rows: dict[int, str] = {}
    for line, cells in rows[header_position + 1 + skip :]:
        if not any(str(c).strip() for c in cells):
            continue
        padded = list(cells[:width]) + [""] * max(0, width - len(cells))
        records.append(CsvRecord(line, [padded[i] for i in kept_columns]))
        raw_rows[line] = shorten(" ; ".join(str(c) for c in cells))
    return CsvTable(
        header=cells_header,
        keys=keys,
        header_line=header_line,
        separator=",",
        records=records,
        rejections=[],
        rows_read=len(records),
        positions={column: position for position, column in enumerate(kept_columns)},
        raw_rows=raw_rows,
    )


def record_text(value: object) -> str:
    """A JSON / XML scalar as cell text; lists and objects as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def flatten_record(record: dict, prefix: str = "", depth: int = 0) -> dict[str, str]:
    """``{"a": {"b": 1}}`` → ``{"a.b": "1"}`` (three levels at most; deeper stays JSON text)."""
    out: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 2:
            out.update(flatten_record(value, f"{name}.", depth + 1))
        else:
            out[name] = record_text(value)
    return out


def table_from_records(
    items: Sequence[object], wanted: Iterable[Sequence[str]], what: str = "élément"
) -> CsvTable:
    """A :class:`CsvTable` over JSON / XML records; line = position in the document + 1.

    Keys are flattened with dots (``extended_attributes.ward``). An item that is not an
    object is rejected.
    """
    wanted_keys = {header_key(alias) for aliases in wanted for alias in aliases}
    header: list[str] = []
    index_of: dict[str, int] = {}
    flat_items: list[dict[str, str] | None] = []
    rejections: list[Rejection] = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            flat_items.append(None)
            rejections.append(
                Rejection(
                    position + 1,
                    f"{what} de type {type(item).__name__} : un objet était attendu",
                    shorten(record_text(item)),
                )
            )
            continue
        flat = {k: v for k, v in flatten_record(item).items() if header_key(k) in wanted_keys}
        for key in flat:
            if key not in index_of:
                index_of[key] = len(header)
                header.append(key)
        flat_items.append(flat)
    records = RecordList(len(header))
    raw_rows: dict[int, str] = {}
    for position, flat in enumerate(flat_items):
        if flat is None:
            continue
        cells = [""] * len(header)
        for key, value in flat.items():
            cells[index_of[key]] = value
        records.append(CsvRecord(position + 1, cells))
        item = items[position]
        raw_rows[position + 1] = shorten(record_text(item))
    return CsvTable(
        header=tuple(header),
        keys=tuple(header_key(h) for h in header),
        header_line=0,
        separator=",",
        records=records,
        rejections=rejections,
        rows_read=len(items),
        positions={i: i for i in range(len(header))},
        raw_rows=raw_rows,
    )


def duplicated_columns(
    header: Sequence[str], column_map: dict[str, Sequence[str]]
) -> list[tuple[str, list[int]]]:
    """(header as found, 1-based positions) of every mapped column the header holds twice or more.

    A column nobody reads may repeat (legacy Facebook exports repeat several): only the ones
    an importer would read are ambiguous.
    """
    keys = [header_key(h) for h in header]
    seen: set[str] = set()
    out: list[tuple[str, list[int]]] = []
    for aliases in column_map.values():
        for alias in aliases:
            key = header_key(alias)
            if key in keys:
                positions = [i + 1 for i, k in enumerate(keys) if k == key]
                if len(positions) > 1 and key not in seen:
                    seen.add(key)
                    out.append((header[positions[0] - 1], positions))
                break
    return out


def refuse_duplicated_columns(header: Sequence[str], column_map: dict[str, Sequence[str]]) -> None:
    """ImportRefused naming the mapped columns the header holds more than once."""
    duplicates = duplicated_columns(header, column_map)
    if not duplicates:
        return
    listed = " ; ".join(
        f"« {shorten(name, 50)} » (colonnes {french_list([str(p) for p in positions])})"
        for name, positions in duplicates
    )
    raise ImportRefused(
        f"Colonnes en double dans l'en-tête : {listed}. Impossible de savoir laquelle lire : "
        "supprimez ou renommez le doublon dans le fichier, puis importez-le à nouveau."
    )


def _judge_width(
    record: CsvRecord,
    width: int,
    separator: str,
    kept_columns: list[int],
    kept: RecordList,
    rejections: list[Rejection],
    *,
    last: bool,
) -> None:
    found = len(record.cells)
    # Trailing empty cells (a spreadsheet's extra separators) are harmless.
    if found == width or (found > width and not any(c.strip() for c in record.cells[width:])):
        kept.append(CsvRecord(record.line, [record.cells[i] for i in kept_columns]))
        return
    if found < width:
        reason = (
            f"{found} champ(s) trouvé(s), {width} attendus d'après l'en-tête : ligne incomplète"
        )
        if last:
            reason += " (le fichier semble tronqué)"
    else:
        reason = (
            f"{found} champs trouvés, {width} attendus d'après l'en-tête : séparateur "
            f"« {_separator_name(separator)} » en trop ou guillemets manquants"
        )
    rejections.append(Rejection(record.line, reason, shorten(separator.join(record.cells))))


def _separator_name(separator: str) -> str:
    return {"\t": "tabulation"}.get(separator, separator)


def shorten(text: str, limit: int = RAW_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def lines_text(lines: Sequence[int], limit: int = EXAMPLES_LIMIT) -> str:
    """French list of example line numbers: "lignes 4, 7, 9…"."""
    shown = ", ".join(str(n) for n in lines[:limit])
    more = "…" if len(lines) > limit else ""
    return f"ligne {shown}" if len(lines) == 1 else f"lignes {shown}{more}"


def french_list(items: Sequence[str]) -> str:
    """« a, b et c »."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


# --------------------------------------------------------------------------- numbers


def _numeric_text(text: str, decimal: str | None) -> str:
    """``text`` rewritten as a plain ``[-]digits[.digits][e±n]`` string, or ValueError."""
    compact = str(text).strip()
    for space in _SPACES:
        compact = compact.replace(space, "")
    if not _NUMBER_SHAPE.fullmatch(compact):
        raise ValueError(f"« {shorten(text, 40)} » n'est pas un nombre")
    has_comma, has_dot = "," in compact, "." in compact
    if decimal == ",":
        if compact.count(",") > 1:
            raise ValueError(f"« {shorten(text, 40)} » : plusieurs virgules décimales")
        return compact.replace(".", "").replace(",", ".")
    if decimal == ".":
        if compact.count(".") > 1:
            raise ValueError(f"« {shorten(text, 40)} » : plusieurs points décimaux")
        return compact.replace(",", "")
    if has_comma and has_dot:
        # Whichever comes last is the decimal mark: 1,234.5 (EN) or 1.234,5 (FR/DE).
        if compact.rfind(",") > compact.rfind("."):
            if not _THOUSANDS_DOT.fullmatch(compact):
                raise ValueError(f"« {shorten(text, 40)} » : séparateurs de milliers incohérents")
            return compact.replace(".", "").replace(",", ".")
        if not _THOUSANDS_COMMA.fullmatch(compact):
            raise ValueError(f"« {shorten(text, 40)} » : séparateurs de milliers incohérents")
        return compact.replace(",", "")
    if has_comma:
        # "1,234" and "12,345,678" are English thousands; "1,5" or "0,25" is a French decimal.
        if _THOUSANDS_COMMA.fullmatch(compact):
            return compact.replace(",", "")
        if compact.count(",") == 1:
            return compact.replace(",", ".")
        raise ValueError(f"« {shorten(text, 40)} » : virgules incohérentes")
    if compact.count(".") > 1:
        if _THOUSANDS_DOT.fullmatch(compact):
            return compact.replace(".", "")
        raise ValueError(f"« {shorten(text, 40)} » : points incohérents")
    return compact


def parse_number(text: str | None, *, decimal: str | None = None) -> float | None:
    """The number written in ``text`` (None when empty or "-"); ValueError when not a number.

    Accepts "3423.0", "1,234", "1 234,5" (normal or no-break spaces), "1.234,5", "-12", "1e3".
    ``decimal`` forces the decimal mark ("," or ".") when the source fixes it.
    """
    if text is None or str(text).strip() in MISSING_TOKENS:
        return None
    value = float(_numeric_text(text, decimal))
    if not math.isfinite(value):
        raise ValueError(f"« {shorten(text, 40)} » : nombre hors limites")
    return value


def parse_count(text: str | None, *, decimal: str | None = None) -> int | None:
    """The non-negative whole number in ``text`` ("3423.0" → 3423); None when empty or "-"."""
    if text is None or str(text).strip() in MISSING_TOKENS:
        return None
    try:
        value = Decimal(_numeric_text(text, decimal))
    except InvalidOperation as exc:  # pragma: no cover - the regex already vetted the shape
        raise ValueError(f"« {shorten(text, 40)} » n'est pas un nombre") from exc
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueError(f"« {shorten(text, 40)} » n'est pas un nombre entier")
    if value < 0:
        raise ValueError(f"« {shorten(text, 40)} » est négatif, un nombre positif était attendu")
    if value > INT64_MAX:
        raise ValueError(f"« {shorten(text, 40)} » : nombre trop grand")
    return int(value)


# --------------------------------------------------------------------------- ids


def clean_id(text: str | None) -> str | None:
    """An identifier as text, stripped; None when empty. Never converted to a number."""
    if text is None:
        return None
    stripped = str(text).strip()
    return stripped or None


def is_excel_mangled_id(text: str | None) -> bool:
    """True for an id Excel turned into scientific notation, like ``1.22158E+17``."""
    return text is not None and bool(_EXCEL_MANGLED_ID.fullmatch(str(text).strip()))


class LinesWarning(str):
    """A warning about some lines of a file, the text ``render(items)``: when a file is read in
    blocks (CsvTable.blocks), :func:`merged_warnings` makes one warning of every block's."""

    key: tuple
    items: tuple
    render: Callable[[list], str]

    def __new__(cls, key: tuple, items: Sequence, render: Callable[[list], str]) -> LinesWarning:
        text = super().__new__(cls, render(list(items)))
        text.key, text.items, text.render = key, tuple(items), render
        return text

    def __reduce__(self):
        # Stored or cached, it is the text: a plain str.
        return str, (str(self),)


def merged_warnings(groups: Iterable[Sequence[str]]) -> list[str]:
    """The warnings of a file's blocks as one list of texts, in the order the blocks first
    give them (where in the file each problem first shows): a LinesWarning once over the
    items of every block, any other warning once."""
    merged: dict[object, str] = {}
    for warnings in groups:
        for warning in warnings:
            if not isinstance(warning, LinesWarning):
                merged.setdefault(("texte", warning), warning)
                continue
            before = merged.get(warning.key)
            if isinstance(before, LinesWarning):
                warning = LinesWarning(warning.key, before.items + warning.items, warning.render)
            merged[warning.key] = warning
    return [str(warning) for warning in merged.values()]


def excel_id_warning(column: str, examples: Sequence[tuple[int, str]]) -> LinesWarning:
    """French warning about ids abîmés par Excel, quoting the first example."""
    return LinesWarning(("excel", column), examples, functools.partial(_excel_id_text, column))


def _excel_id_text(column: str, examples: Sequence[tuple[int, str]]) -> str:
    line, value = examples[0]
    return (
        f"{len(examples)} identifiant(s) de la colonne « {column} » ont été abîmés par Excel "
        f"(ex. « {value} » {lines_text([n for n, _ in examples])}) : ils sont gardés tels quels "
        "mais ne correspondront pas à un import ultérieur du même contenu ; réexportez le "
        "fichier sans l'ouvrir dans Excel."
    )


# --------------------------------------------------------------------------- dates


def zone(timezone: str) -> ZoneInfo:
    """The IANA zone named ``timezone``; ValueError with a French message when unknown."""
    try:
        return ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError) as exc:
        raise ValueError(
            f"Fuseau horaire inconnu : « {shorten(str(timezone), 60)} » (attendu un nom IANA "
            "comme Europe/Paris)"
        ) from exc


def context_zone(timezone: str) -> ZoneInfo:
    """Like :func:`zone` but refuses the whole import, for a bad ``ImportContext.timezone``."""
    try:
        return zone(timezone)
    except ValueError as exc:
        raise ImportRefused(str(exc)) from exc


def parse_datetimes(
    values: Sequence[str | None], formats: str | Sequence[str], timezone: str | ZoneInfo
) -> tuple[pd.Series, list[int]]:
    """UTC timestamps for ``values`` and the positions of non-empty values that did not parse.

    Each value is tried against ``formats`` in order (strptime syntax). A value carrying an
    offset (``%z``) is converted from it; a naive one is read in ``timezone``. Local times
    that do not exist (spring DST gap) shift forward to the first valid instant; ambiguous
    ones (autumn) take the first occurrence, so a bad clock never stops an import.

    ``values`` may also be a pyarrow string array (the cells of the fast CSV reader).
    """
    return _parse_distinct(_DistinctTexts.of(values), formats, timezone)


@dataclass
class _DistinctTexts:
    """Values stripped, as codes into their distinct texts (-1 where empty).

    Exports repeat dates a lot (a 311 export, the same second; an audience file, the same
    day): each distinct text is parsed once. The texts are a list, a pyarrow array, or both.
    """

    codes: np.ndarray
    texts: list[str] | None
    arrow: object | None = None

    @classmethod
    def of(cls, values: object) -> _DistinctTexts:
        if pa is not None and isinstance(values, pa.Array | pa.ChunkedArray):
            return cls._of_arrow(values)
        stripped = [None if v is None else str(v).strip() for v in values]  # type: ignore[attr-defined]
        codes, uniques = pd.factorize(
            np.asarray([v if v else None for v in stripped], dtype=object)
        )
        texts = [str(u) for u in uniques]
        arrow = None
        if pa is not None:
            try:
                arrow = pa.array(texts, pa.string())
            except (pa.ArrowException, UnicodeError):
                arrow = None
        return cls(np.asarray(codes, dtype=np.int64), texts, arrow)

    @classmethod
    def _of_arrow(cls, values) -> _DistinctTexts:
        array = _single_array(values)
        sample = array.slice(0, _DISTINCT_SAMPLE)
        if len(array) > 2 * _DISTINCT_SAMPLE and 2 * len(pc.unique(sample)) > len(sample):
            # Values that hardly repeat (times to the second): hashing them would cost more
            # than reading each one.
            codes = np.arange(len(array), dtype=np.int64)
            uniques = array
        else:
            encoded = array.dictionary_encode()
            codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
            uniques = encoded.dictionary
        # str.strip on the texts it changes only: those starting or ending with whitespace.
        padded = _first_is_space(uniques) | _last_is_space(uniques)
        if padded.any():
            rows = pa.array(np.flatnonzero(padded))
            stripped = [text.strip() for text in uniques.take(rows).to_pylist()]
            uniques = pc.replace_with_mask(
                uniques, pa.array(padded), pa.array(stripped, uniques.type)
            )
        empty = pc.equal(pc.binary_length(uniques), 0).to_numpy(zero_copy_only=False)
        if empty.any():
            codes = np.where(empty[codes], -1, codes)
        return cls(codes, None, uniques)

    def __len__(self) -> int:
        return len(self.texts) if self.texts is not None else len(self.arrow)  # type: ignore[arg-type]

    def filled(self) -> np.ndarray:
        """Which distinct texts are not empty."""
        if self.texts is not None:
            return np.array([bool(text) for text in self.texts], dtype=bool)
        return pc.greater(pc.binary_length(self.arrow), 0).to_numpy(zero_copy_only=False)

    def at(self, positions: np.ndarray) -> list[str]:
        """The distinct texts at ``positions``."""
        if self.texts is not None:
            return [self.texts[i] for i in positions]
        return self.arrow.take(pa.array(positions, pa.int64())).to_pylist()  # type: ignore[attr-defined]


_NAT = np.datetime64("NaT", "us")
_DISTINCT_SAMPLE = 4096  # values looked at to judge whether a column repeats itself


def _parse_distinct(
    distinct: _DistinctTexts, formats: str | Sequence[str], timezone: str | ZoneInfo
) -> tuple[pd.Series, list[int]]:
    """:func:`parse_datetimes` on distinct texts, spread back to every value."""
    tz = timezone if isinstance(timezone, ZoneInfo) else zone(timezone)
    format_list = _format_list(formats)
    count = len(distinct)
    found = np.full(count + 1, _NAT)  # UTC, naive; the last slot stands for empty values
    todo = distinct.filled()
    for fmt in format_list:
        if not todo.any():
            break
        positions = np.flatnonzero(todo)
        naive = np.full(len(positions), _NAT)
        fast = _fixed_width_datetimes(distinct, positions, fmt)
        others = positions if fast is None else positions[np.isnat(fast)]
        if fast is not None:
            naive[:] = fast
        try:
            parsed = pd.to_datetime(
                pd.Series(distinct.at(others), dtype="object"),
                format=fmt,
                errors="coerce",
                utc="%z" in fmt,
            )
        except (ValueError, TypeError, OverflowError):
            continue
        if "%z" in fmt:
            # Values with an offset: UTC already, and this format has no fixed-width reading.
            utc = parsed.astype("datetime64[us, UTC]").dt.tz_localize(None).to_numpy()
        else:
            if len(others):
                naive[np.searchsorted(positions, others)] = parsed.astype(
                    "datetime64[us]"
                ).to_numpy()
            utc = _utc_of_local(naive, tz)
            others = positions
        ok = ~np.isnat(utc)
        found[others[ok]] = utc[ok]
        todo[others[ok]] = False
    codes = np.where(distinct.codes < 0, count, distinct.codes)
    result = pd.Series(found[codes], dtype="datetime64[us]").dt.tz_localize("UTC")
    unread = np.append(todo, False)
    bad = [int(i) for i in np.flatnonzero(unread[codes])]
    return result, bad


def _utc_of_local(naive: np.ndarray, tz: ZoneInfo) -> np.ndarray:
    """Naive UTC times of the local times ``naive`` in ``tz`` (see :func:`parse_datetimes`).

    A local time on the first or last day Python's datetime can hold may have no UTC time it
    can hold (9999-12-31 23:00 in New York is in the year 10000 in UTC): such a time is NaT,
    i.e. unread, where pandas would stop the whole import."""

    def localized(values: np.ndarray) -> np.ndarray:
        local = pd.Series(values, dtype="datetime64[us]")
        return (
            local.dt.tz_localize(
                tz, ambiguous=np.ones(len(local), dtype=bool), nonexistent="shift_forward"
            )
            .dt.tz_convert("UTC")
            .astype("datetime64[us, UTC]")
            .dt.tz_localize(None)
            .to_numpy()
        )

    edge = (naive < _FIRST_SAFE_DAY) | (naive >= _LAST_SAFE_DAY)
    if not edge.any():
        return localized(naive)
    utc = localized(np.where(edge, _NAT, naive)).copy()
    for row in np.flatnonzero(edge):
        try:
            utc[row] = localized(naive[row : row + 1])[0]
        except (NotImplementedError, OverflowError, ValueError):
            utc[row] = _NAT
    return utc


def _format_list(formats: str | Sequence[str] | Sequence[DateFamily]) -> list[str]:
    """The strptime formats of one format, a list of them, or date families."""
    if isinstance(formats, str):
        return [formats]
    if _is_families(formats):
        return [f for family in formats for f in family.formats]  # type: ignore[union-attr]
    return list(formats)  # type: ignore[arg-type]


def _outside_utc_range(text: str, formats: Sequence[str]) -> bool:
    """Whether ``text`` is a date one of ``formats`` reads, on the first or last day Python's
    datetime holds: unread only because its UTC time falls outside (:func:`_utc_of_local`)."""
    for fmt in formats:
        try:
            stamp = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return stamp.date() in (date.min, date.max)
    return False


_FIRST_SAFE_DAY = np.datetime64("0001-01-02", "us")
_LAST_SAFE_DAY = np.datetime64("9999-12-31", "us")


_FIXED_WIDTHS = {"Y": 4, "m": 2, "d": 2, "H": 2, "I": 2, "M": 2, "S": 2, "p": 2}
_FIXED_LITERALS = frozenset(" -/:.,T")


@functools.lru_cache(maxsize=64)
def _fixed_layout(fmt: str) -> tuple[tuple[tuple[str, int, int], ...], int, bool] | None:
    """The fields (directive, offset, width) of a strptime format whose parts all have a fixed
    width, the length before an optional trailing ``%f``, and whether there is one; None for
    any other format (read by pandas alone)."""
    parts: list[tuple[str, int, int]] = []
    position, index, fraction = 0, 0, False
    while index < len(fmt):
        char = fmt[index]
        if char != "%":
            if char not in _FIXED_LITERALS:
                return None
            parts.append(("", position, ord(char)))
            position, index = position + 1, index + 1
            continue
        directive = fmt[index + 1 : index + 2]
        if (
            directive == "f"
            and index + 2 == len(fmt)
            and parts
            and parts[-1] == ("", position - 1, ord("."))
        ):
            # A trailing ".%f": the dot and 1 to 6 digits, read apart (their width varies).
            parts.pop()
            fraction, position, index = True, position - 1, index + 2
            continue
        width = _FIXED_WIDTHS.get(directive)
        if width is None:
            return None
        parts.append((directive, position, width))
        position, index = position + width, index + 2
    directives = [part[0] for part in parts if part[0]]
    numeric = [part for part in parts if part[0] and part[0] != "p"]
    for first, second in zip(parts, parts[1:], strict=False):
        # Two numbers side by side could be cut elsewhere by strptime's patterns.
        if first in numeric and second in numeric:
            return None
    if len(set(directives)) != len(directives) or not {"Y", "m", "d"} <= set(directives):
        return None
    if ("I" in directives) != ("p" in directives) or ("H" in directives and "I" in directives):
        return None
    if fraction and "S" not in directives:
        return None
    return tuple(parts), position, fraction


def _am_pm_is_english() -> bool:
    # pandas reads %p with the locale's words: the fixed reading knows AM and PM only.
    am = time.strftime("%p", (2000, 1, 1, 1, 0, 0, 5, 1, 0))
    pm = time.strftime("%p", (2000, 1, 1, 13, 0, 0, 5, 1, 0))
    return (am, pm) == ("AM", "PM")


def _fixed_width_datetimes(
    distinct: _DistinctTexts, positions: np.ndarray, fmt: str
) -> np.ndarray | None:
    """Naive timestamps of ``distinct.texts[positions]`` read with ``fmt`` by character
    position, NaT where the text is not in the format's exact fixed-width shape (pandas then
    reads it); None when the format has no fixed-width reading.

    Only texts strptime reads the same way are accepted (two-digit fields, valid calendar
    values), so the result is the one pandas gives, without strptime's per-value work.
    """
    layout = _fixed_layout(fmt)
    if layout is None or distinct.arrow is None or not len(positions):
        return None
    parts, length, fraction = layout
    if any(part[0] == "p" for part in parts) and not _am_pm_is_english():
        return None
    if distinct.arrow.type != pa.string():  # type: ignore[attr-defined]
        return None
    texts = distinct.arrow
    if len(positions) != len(texts):  # type: ignore[arg-type]
        texts = texts.take(pa.array(positions))  # type: ignore[attr-defined]
    sizes = pc.binary_length(texts).to_numpy(zero_copy_only=False)
    out = np.full(len(positions), _NAT)
    widths = range(length + 2, length + 8) if fraction else range(length, length + 1)
    for width in widths:
        rows = np.flatnonzero(sizes == width)
        if not len(rows):
            continue
        chosen = texts if len(rows) == len(texts) else texts.take(pa.array(rows))
        offsets = np.frombuffer(chosen.buffers()[1], dtype=np.int32)[chosen.offset :]
        data = np.frombuffer(chosen.buffers()[2], dtype=np.uint8)
        grid = data[offsets[0] : offsets[0] + width * len(rows)].reshape(len(rows), width)
        values, ok = _read_fixed(grid, parts, length, width - length - 1 if fraction else 0)
        out[rows[ok]] = values[ok]
    return out


def _read_fixed(
    grid: np.ndarray, parts: tuple[tuple[str, int, int], ...], length: int, digits: int
) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps of the rows of ``grid`` (one byte per character) and which rows are valid."""
    ok = np.ones(len(grid), dtype=bool)
    # Bytes minus "0" wrap around in uint8: digits give 0 to 9, every other byte more.
    values = grid - np.uint8(ord("0"))
    is_digit = values <= 9

    def number_at(offset: int, width: int) -> np.ndarray:
        # Column by column: numpy reduces a row of two or four cells slowly (all(axis=1)).
        nonlocal ok
        total = values[:, offset].astype(np.int64)
        ok &= is_digit[:, offset]
        for column in range(offset + 1, offset + width):
            ok &= is_digit[:, column]
            total = total * 10 + values[:, column]
        return total

    number: dict[str, np.ndarray] = {}
    for directive, offset, width in parts:
        if not directive:
            ok &= grid[:, offset] == width  # a literal: ``width`` holds its code
        elif directive == "p":
            first, second = grid[:, offset], grid[:, offset + 1]
            ok &= ((first == ord("A")) | (first == ord("P"))) & (second == ord("M"))
            number["p"] = (first == ord("P")).astype(np.int64)
        else:
            number[directive] = number_at(offset, width)
    micro = np.zeros(len(grid), dtype=np.int64)
    if digits:
        ok &= grid[:, length] == ord(".")
        micro = number_at(length + 1, digits) * 10 ** (6 - digits)
    year, month, day = number["Y"], number["m"], number["d"]
    ok &= (year >= 1000) & (month >= 1) & (month <= 12) & (day >= 1)
    if "I" in number:
        hour12 = number["I"]
        ok &= (hour12 >= 1) & (hour12 <= 12)
        hour = hour12 % 12 + 12 * number["p"]
    else:
        hour = number.get("H", np.zeros(len(grid), dtype=np.int64))
        ok &= hour <= 23
    minute = number.get("M", np.zeros(len(grid), dtype=np.int64))
    second = number.get("S", np.zeros(len(grid), dtype=np.int64))
    ok &= (minute <= 59) & (second <= 59)
    month = np.where(ok, month, 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _MONTH_DAYS[month] + ((month == 2) & leap)
    # Days since 1970-01-01 of a proleptic Gregorian date, in integers (H. Hinnant's
    # days_from_civil; the year counts from March so that February ends it).
    march_year = year - (month <= 2)
    era = march_year // 400
    year_of_era = march_year - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    days = (
        era * 146_097
        + year_of_era * 365
        + year_of_era // 4
        - year_of_era // 100
        + day_of_year
        - 719_468
    )
    micros = ((days * 24 + hour) * 60 + minute) * 60 + second
    stamps = (micros * 1_000_000 + micro).view("datetime64[us]")
    return np.where(ok, stamps, _NAT), ok


# Days in each month (index 1 to 12) of a common year.
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def parse_datetime(
    text: str | None, formats: str | Sequence[str], timezone: str | ZoneInfo
) -> pd.Timestamp | None:
    """The UTC timestamp in ``text`` (None when empty); ValueError naming the expected format."""
    parsed, bad = parse_datetimes([text], formats, timezone)
    if bad:
        expected = formats if isinstance(formats, str) else " ou ".join(formats)
        raise ValueError(
            f"date « {shorten(str(text), 40)} » illisible (format attendu : {expected})"
        )
    value = parsed.iloc[0]
    return None if pd.isna(value) else value


@dataclass(frozen=True)
class DateFamily:
    """Formats (strptime) that are one way of writing dates, and its French label.

    Variants of one family (with or without seconds, fractions, an offset, a time) may mix
    in a column; two families may not.
    """

    label: str
    formats: tuple[str, ...]


def _is_families(formats: object) -> bool:
    return (
        not isinstance(formats, str)
        and bool(formats)
        and all(isinstance(f, DateFamily) for f in formats)  # type: ignore[union-attr]
    )


def parse_datetime_families(
    values: Sequence[str | None], families: Sequence[DateFamily], timezone: str | ZoneInfo
) -> tuple[pd.Series, list[int], dict[int, tuple[str, str]]]:
    """UTC timestamps read with the column's dominant family.

    Returns the parsed values (NaT where rejected), the positions that match no family, and
    for each position written in a non-dominant family: (its family label, dominant label).
    """
    distinct = _DistinctTexts.of(values)
    present = distinct.codes >= 0
    results: list[pd.Series] = []
    matched: list[np.ndarray] = []
    for family in families:
        parsed, bad = _parse_distinct(distinct, list(family.formats), timezone)
        ok = present.copy()
        ok[np.asarray(bad, dtype=np.int64)] = False
        results.append(parsed)
        matched.append(ok)
    if not families:
        return (
            pd.Series(pd.NaT, index=range(len(values)), dtype="datetime64[us, UTC]"),
            [int(i) for i in np.flatnonzero(present)],
            {},
        )
    counts = [int(ok.sum()) for ok in matched]
    dominant = max(range(len(families)), key=lambda i: (counts[i], -i))
    result = results[dominant].copy()
    strays: dict[int, tuple[str, str]] = {}
    unreadable: list[int] = []
    for position in np.flatnonzero(present & ~matched[dominant]):
        position = int(position)
        other = next((i for i, ok in enumerate(matched) if ok[position]), None)
        if other is None:
            unreadable.append(position)
        else:
            strays[position] = (families[other].label, families[dominant].label)
            result.iloc[position] = pd.NaT
    return result, unreadable, strays


# --------------------------------------------------------------------------- building frames


_PLAIN_DECIMAL = r"^-?[0-9]{1,300}(?:\.[0-9]{1,300})?$"
_PLAIN_INTEGER = r"^-?[0-9]{1,300}$"


@dataclass(frozen=True)
class _Unread:
    """Why a distinct cell could not be read (the row's rejection reason)."""

    reason: str


def _spread(values: list, codes: np.ndarray) -> list:
    """``values[code]`` for each code, as a list."""
    lookup = np.empty(len(values), dtype=object)
    for position, value in enumerate(values):
        lookup[position] = value
    return lookup[codes].tolist()


def _text_series(values: list[str | None], codes: np.ndarray) -> pd.Series | None:
    """``values[code]`` for each code as a "str" series, built by pyarrow (None when a value
    is not text)."""
    try:
        dictionary = pa.array(values, pa.string())
    except (pa.ArrowException, UnicodeError):
        return None
    decoded = pa.DictionaryArray.from_arrays(pa.array(codes), dictionary).dictionary_decode()
    return pd.Series(pd.array(decoded, dtype="str"))


def _blank_cells(cells) -> np.ndarray:
    """Whether each cell is empty or whitespace only (``not cell.strip()``)."""
    array = _single_array(cells)
    blank = _maybe_blank(array).copy()
    candidates = np.flatnonzero(blank)
    if len(candidates):
        texts = array.take(pa.array(candidates)).to_pylist()
        blank[candidates] = [not text.strip() for text in texts]
    return blank


class SeenKeys:
    """The keys kept by the blocks of a file read so far, and the line of each.

    Keys rarely come back in a later block: until one does, they are a set (looked up and
    grown by C loops) beside each block's lines; the first key found again turns them into a
    key → line map, the line of the row that was kept.
    """

    def __init__(self) -> None:
        self._keys: set[object] = set()
        self._blocks: list[tuple[list[object], np.ndarray]] = []
        self._lines: dict[object, int] | None = None

    def lines_of(self, values: list[object]) -> dict[object, int]:
        """The line where an earlier block kept each of ``values`` found again."""
        if self._lines is None:
            if self._keys.isdisjoint(values):
                return {}
            self._lines = {}
            for keys, lines in reversed(self._blocks):  # the earliest line wins
                self._lines.update(zip(keys, lines.tolist(), strict=True))
            self._keys, self._blocks = set(), []
        found = list(map(self._lines.get, values))
        if found.count(None) == len(found):
            return {}
        return {value: line for value, line in zip(values, found, strict=True) if line is not None}

    def remember(self, values: list[object], lines: np.ndarray, earlier: dict[object, int]) -> None:
        """Add a block's keys and their lines; ``earlier``, what :meth:`lines_of` found among
        them, keep the line of the row that was kept."""
        if self._lines is None:  # then nothing was found
            self._keys.update(values)
            self._blocks.append((values, lines))
            return
        self._lines.update(zip(values, lines.tolist(), strict=True))
        self._lines.update(earlier)


@dataclass
class RowsBuilder:
    """Canonical columns built from CSV records, collecting each row's problems in French."""

    table: CsvTable
    columns: dict[str, list[object]] = field(default_factory=dict)
    problems: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # The kept keys of the blocks before this one, when a file is read in blocks
    # (CsvTable.blocks): a key seen there is a duplicate here too. Shared by those blocks.
    seen_keys: SeenKeys | None = None
    # Column name → (list handed out, copy of it, the column already in its canonical dtype):
    # built column-wise, used by frame_and_rejections while the list is left as it was.
    _typed: dict[str, tuple[list, list, pd.Series]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def _keep_typed(self, name: str, out: list, typed: pd.Series | None) -> None:
        if typed is not None:
            self._typed[name] = (out, list(out), typed)

    def cells(self, index: int | None) -> list[str]:
        """The raw cells of column ``index`` for every record ('' when the column is absent)."""
        return self.table.cells(index)

    def problem(self, row: int, reason: str) -> None:
        """Mark row ``row`` (position among records) as rejected for ``reason``."""
        self.problems.setdefault(row, []).append(reason)

    def add_text(
        self,
        name: str,
        index: int | None,
        transform: Callable[[str], str] | None = None,
    ) -> list[str | None]:
        """Column ``name`` as text (empty → missing), optionally transformed."""
        # Each distinct cell once: a category column repeats a few dozen values a million times.
        codes, cells = self._distinct_cells(index)
        values: list[str | None] = []
        for cell in cells:
            value = cell if cell.strip() else None
            if value is not None and transform is not None:
                value = transform(value)
            values.append(value)
        out = _spread(values, codes)
        self.columns[name] = out
        self._keep_typed(name, out, _text_series(values, codes))
        return out

    def _distinct_cells(self, index: int | None) -> tuple[np.ndarray, list[str]]:
        """The cells of column ``index`` as codes into the list of its distinct cells."""
        cells = self.table.arrow_cells(index)
        if cells is not None:
            encoded = _single_array(cells).dictionary_encode()
            codes = encoded.indices.to_numpy(zero_copy_only=False)
            return codes, encoded.dictionary.to_pylist()
        codes, uniques = pd.factorize(np.asarray(self.cells(index), dtype=object))
        return codes, list(uniques)

    def add_id(self, name: str, index: int | None, *, required: bool) -> list[str | None]:
        """Column ``name`` as an id kept as text; a warning lists ids mangled by Excel."""
        header = self.header_of(index)
        cells = self.table.arrow_cells(index)
        if cells is None:
            return self._add_id_by_cell(name, index, header, required=required)
        array = _single_array(cells)
        values = np.empty(len(array), dtype=object)
        values[:] = array.to_pylist()
        missing = pc.equal(pc.binary_length(array), 0).to_numpy(zero_copy_only=False).copy()
        # clean_id on the cells it changes only: those starting or ending with whitespace.
        padded = _first_is_space(array) | _last_is_space(array)
        for row in np.flatnonzero(padded):
            values[row] = clean_id(values[row])
            missing[row] = values[row] is None
        values[missing] = None
        typed = array
        if padded.any():
            cleaned = [values[row] or "" for row in np.flatnonzero(padded)]
            typed = pc.replace_with_mask(typed, pa.array(padded), pa.array(cleaned, typed.type))
        if missing.any():
            typed = pc.if_else(pa.array(missing), pa.scalar(None, typed.type), typed)
        if required:
            for row in np.flatnonzero(missing):
                self.problem(int(row), f"colonne « {header} » vide : un identifiant était attendu")
        # Only an id with an exponent mark can be one Excel mangled.
        marked = pc.match_substring_regex(array, "[eE]").to_numpy(zero_copy_only=False)
        mangled = [
            (self.line_of(int(row)), values[row])
            for row in np.flatnonzero(marked & ~missing)
            if is_excel_mangled_id(values[row])
        ]
        if mangled:
            self.warnings.append(excel_id_warning(header, mangled))
        out = values.tolist()
        self.columns[name] = out
        self._keep_typed(name, out, pd.Series(pd.array(typed, dtype="str")))
        return out

    def _add_id_by_cell(
        self, name: str, index: int | None, header: str, *, required: bool
    ) -> list[str | None]:
        out: list[str | None] = []
        mangled: list[tuple[int, str]] = []
        for row, cell in enumerate(self.cells(index)):
            value = clean_id(cell)
            if value is None and required:
                self.problem(row, f"colonne « {header} » vide : un identifiant était attendu")
            elif value is not None and is_excel_mangled_id(value):
                mangled.append((self.table.records[row].line, value))
            out.append(value)
        if mangled:
            self.warnings.append(excel_id_warning(header, mangled))
        self.columns[name] = out
        return out

    def add_count(self, name: str, index: int | None, *, decimal: str | None = None) -> list:
        """Column ``name`` as a whole number ("3423.0" → 3423, "-" or empty → missing)."""
        header = self.header_of(index)
        cache: dict[str, int | None | str] = {}
        out: list[int | None] = []
        for row, cell in enumerate(self.cells(index)):
            if cell not in cache:
                try:
                    cache[cell] = parse_count(cell, decimal=decimal)
                except ValueError as exc:
                    cache[cell] = f"colonne « {header} » : {exc} (attendu un nombre entier)"
            value = cache[cell]
            if isinstance(value, str):
                self.problem(row, value)
                value = None
            out.append(value)
        self.columns[name] = out
        return out

    def add_float(self, name: str, index: int | None, *, decimal: str | None = None) -> list:
        """Column ``name`` as a decimal number (empty → missing)."""
        header = self.header_of(index)
        cells = self.table.arrow_cells(index)
        if cells is None:
            return self._add_float_by_cell(name, index, header, decimal=decimal)
        array = _single_array(cells)
        # Plain decimals ("-73.98") are read by pyarrow, which rounds like float(); every
        # other cell goes through parse_number, once per distinct value.
        plain = pc.match_substring_regex(
            array, _PLAIN_INTEGER if decimal == "," else _PLAIN_DECIMAL
        ).to_numpy(zero_copy_only=False)
        numbers = np.full(len(array), np.nan)
        if plain.any():
            numbers[plain] = pc.cast(array.filter(pa.array(plain)), pa.float64()).to_numpy(
                zero_copy_only=False
            )
        missing = np.zeros(len(array), dtype=bool)
        rest = np.flatnonzero(~plain)
        if len(rest):
            read: dict[str, float | None | _Unread] = {}
            for row, cell in zip(rest, array.take(pa.array(rest)).to_pylist(), strict=True):
                if cell not in read:
                    try:
                        read[cell] = parse_number(cell, decimal=decimal)
                    except ValueError as exc:
                        read[cell] = _Unread(
                            f"colonne « {header} » : {exc} (attendu un nombre décimal)"
                        )
                value = read[cell]
                if isinstance(value, _Unread):
                    self.problem(int(row), value.reason)
                    value = None
                if value is None:
                    missing[row] = True
                else:
                    numbers[row] = value
        boxed = numbers.astype(object)
        boxed[missing] = None
        out: list[float | None] = boxed.tolist()
        self.columns[name] = out
        typed = pd.arrays.FloatingArray(np.where(missing, 0.0, numbers), missing)
        self._keep_typed(name, out, pd.Series(typed))
        return out

    def _add_float_by_cell(
        self, name: str, index: int | None, header: str, *, decimal: str | None
    ) -> list:
        out: list[float | None] = []
        for row, cell in enumerate(self.cells(index)):
            try:
                out.append(parse_number(cell, decimal=decimal))
            except ValueError as exc:
                self.problem(row, f"colonne « {header} » : {exc} (attendu un nombre décimal)")
                out.append(None)
        self.columns[name] = out
        return out

    def add_datetime(
        self,
        name: str,
        index: int | None,
        formats: str | Sequence[str],
        timezone: str | ZoneInfo,
        *,
        expected: str,
        required: bool = False,
        prepare: Callable[[str], str] | None = None,
    ) -> pd.Series:
        """Column ``name`` as UTC timestamps; ``expected`` describes the format for the user.

        ``prepare`` rewrites each cell before parsing (e.g. "Sat, Aug 22, 2026" → ISO);
        rejection reasons quote the cell as found in the file.

        ``formats`` may be a list of :class:`DateFamily`: the column must then use one family
        only. The family most rows use wins; a row written in another family is rejected with
        both formats named (03/04 read as both 3 April and March 4 is never guessed).
        """
        header = self.header_of(index)
        array = self.table.arrow_cells(index) if prepare is None else None
        cells = self.cells(index) if array is None else None

        def cell(row: int) -> str:
            return cells[row] if cells is not None else array[row].as_py()  # type: ignore[index]

        if array is not None:
            readable = array
        else:
            readable = cells if prepare is None else [prepare(c) for c in cells]  # type: ignore[union-attr]
        if _is_families(formats):
            parsed, bad, strays = parse_datetime_families(readable, formats, timezone)  # type: ignore[arg-type]
            for row, (found, dominant) in strays.items():
                self.problem(
                    row,
                    f"colonne « {header} » : date « {shorten(cell(row), 40)} » au format "
                    f"{found}, alors que la colonne est au format {dominant} (majoritaire) : "
                    "ligne rejetée, le format d'une date n'est jamais deviné",
                )
        else:
            parsed, bad = parse_datetimes(readable, formats, timezone)  # type: ignore[arg-type]
        for row in bad:
            text = cell(row) if prepare is None else str(readable[row])
            if _outside_utc_range(text, _format_list(formats)):
                reason = (
                    "hors de la plage que Parvis enregistre (une fois ramenée en temps "
                    "universel, elle tombe avant l'an 1 ou après l'an 9999)"
                )
            else:
                reason = f"illisible (format attendu : {expected})"
            self.problem(row, f"colonne « {header} » : date « {shorten(cell(row), 40)} » {reason}")
        if required:
            if cells is not None:
                empty = [row for row, text in enumerate(cells) if not text.strip()]
            else:
                empty = [int(row) for row in np.flatnonzero(_blank_cells(array))]
            for row in empty:
                self.problem(row, f"colonne « {header} » vide : une date était attendue")
        self.columns[name] = parsed
        return parsed

    def add_date(
        self,
        name: str,
        index: int | None,
        formats: str | Sequence[str] | Sequence[DateFamily],
        *,
        expected: str,
        required: bool = False,
    ) -> pd.Series:
        """Column ``name`` as naive calendar days (audience dates); the time of day is dropped."""
        parsed = self.add_datetime(
            name, index, formats, "UTC", expected=expected, required=required
        )
        days = parsed.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
        days = days.astype("datetime64[us]")
        self.columns[name] = days
        return days

    def header_of(self, index: int | None) -> str:
        """The header cell of column ``index`` as found in the file."""
        return "?" if index is None else self.table.header[index]

    def line_of(self, row: int) -> int:
        """The file line of row ``row``."""
        return self.table.line_of(row)

    def lines_of(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """The file lines of rows ``rows``."""
        return self.table.records.lines(rows)

    def reject_duplicates(self, key: Sequence[str | None]) -> None:
        """Reject every row whose natural key repeats one already kept (first one wins)."""
        values = pd.Series(list(key), dtype="object")
        candidates = values.notna().to_numpy().copy()
        if self.problems:
            candidates[list(self.problems)] = False
        considered = values[candidates]
        repeated = considered.duplicated(keep="first")
        firsts = considered[~repeated]
        earlier = {} if self.seen_keys is None else self._reject_seen(firsts)
        if not repeated.any():
            return
        first_line = {
            value: earlier.get(value) or self.line_of(int(row))
            for row, value in firsts[firsts.isin(set(considered[repeated]))].items()
        }
        for row, value in considered[repeated].items():
            self.problem(
                int(row),
                f"identifiant en double dans le fichier, déjà vu ligne {first_line[value]}",
            )

    def _reject_seen(self, firsts: pd.Series) -> dict[object, int]:
        """Reject the rows whose key an earlier block kept, and remember this block's others.

        Returns the line where an earlier block kept each key found again here.
        """
        seen = self.seen_keys
        assert seen is not None
        values = firsts.tolist()
        lines = self.lines_of(firsts.index.to_numpy())
        earlier = seen.lines_of(values)
        if earlier:
            for row, value in zip(firsts.index.tolist(), values, strict=True):
                if value in earlier:
                    self.problem(
                        row,
                        f"identifiant en double dans le fichier, déjà vu ligne {earlier[value]}",
                    )
        seen.remember(values, lines, earlier)
        return earlier

    def frame_and_rejections(self, kind: str) -> tuple[pd.DataFrame, list[Rejection]]:
        """The canonical frame of the rows without problems, and every rejection by line.

        Call it last: the table's raw cells are released first (rejections are built from the
        file text), so a million-row file does not hold its raw and typed values at once.
        """
        line_of = self.table.line_of
        raws = self.table.raw_lines(line_of(row) for row in self.problems)
        rejections = list(self.table.rejections)
        rejections += [
            Rejection(line_of(row), " ; ".join(reasons), raws.get(line_of(row), ""))
            for row, reasons in self.problems.items()
        ]
        rejections.sort(key=lambda r: r.line)
        self.table.records.release()
        keep = None if not self.problems else np.asarray(self.kept_rows(), dtype=np.int64)
        size = len(self.table.records) if keep is None else len(keep)
        data = {}
        schema = SCHEMAS[kind]
        for name in list(self.columns):
            if name not in schema:
                continue
            values = self.columns[name]
            prepared = self._typed.get(name)
            if (
                prepared is not None
                and prepared[0] is values
                and str(prepared[2].dtype) == schema[name]
                and values == prepared[1]
            ):
                # The list is as the builder made it: its canonical column is ready.
                values = prepared[2]
            if isinstance(values, pd.Series):
                series = values if keep is None else values.iloc[keep]
                series = series.reset_index(drop=True)
            else:
                array_values = np.empty(len(values), dtype=object)
                array_values[:] = values
                series = pd.Series(
                    array_values if keep is None else array_values[keep], dtype=object
                )
            data[name] = _typed(series, schema[name])
        for name, dtype in schema.items():
            if name not in data:
                # What conform would add, without converting a column of NA objects.
                data[name] = _missing_column(size, dtype)
        frame = conform(pd.DataFrame(data, index=pd.RangeIndex(size), copy=False), kind)
        return frame, rejections

    def kept_rows(self) -> list[int]:
        """Positions of the rows not rejected so far."""
        rows = np.arange(len(self.table.records))
        if self.problems:
            rows = np.delete(rows, np.fromiter(self.problems, dtype=np.int64))
        return rows.tolist()


# Audience exports that do not name the account they describe are filed under this name.
UNNAMED_ACCOUNT = "compte principal"


def unnamed_account_warning(platform_label: str) -> str:
    """Warning for an audience export that does not say which account it describes."""
    return (
        f"L'export ne nomme pas le compte {platform_label} : les abonnés sont enregistrés sous "
        f"« {UNNAMED_ACCOUNT} ». Si la collectivité suit plusieurs comptes {platform_label}, "
        "leurs séries se mélangeront : n'importez ce type d'export que pour le compte principal."
    )


def date_only_warning(column: str, lines: Sequence[int], zone_name: str) -> str:
    """Warning for dates without a time of day, placed at local midnight."""
    return (
        f"La colonne « {column} » ne donne que le jour, sans l'heure ({len(lines)} ligne(s), "
        f"{lines_text(list(lines))}) : ces dates sont placées à minuit, heure de {zone_name}. "
        "Les délais et répartitions par heure calculés sur ces lignes ne sont pas fiables."
    )


def build_result(
    importer: object, table: CsvTable, rows: RowsBuilder, warnings: Sequence[str] = ()
) -> ParseResult:
    """The ParseResult of a RowsBuilder: canonical frame, rejections, warnings (rows' first)."""
    kind = importer.kind  # type: ignore[attr-defined]
    frame, rejections = rows.frame_and_rejections(kind)
    all_warnings = list(rows.warnings) + [w for w in warnings if w not in rows.warnings]
    if table.rows_read == 0:
        all_warnings.append("Le fichier ne contient aucune ligne de données (en-tête seul).")
    return ParseResult(
        format_id=importer.format_id,  # type: ignore[attr-defined]
        kind=kind,
        frame=frame,
        rows_read=table.rows_read,
        rejections=rejections,
        warnings=all_warnings,
    )


def merged_result(results: Sequence[ParseResult]) -> ParseResult:
    """One ParseResult of the blocks of one file (what parsing it whole gives)."""
    first = results[0]
    if len(results) == 1:
        return replace(first, warnings=merged_warnings([first.warnings]), read_share=1.0)
    frame = pd.concat([r.frame for r in results], ignore_index=True)
    return replace(
        first,
        frame=frame,
        rows_read=sum(r.rows_read for r in results),
        rejections=sorted((x for r in results for x in r.rejections), key=lambda x: x.line),
        warnings=merged_warnings(r.warnings for r in results),
        names=tuple(dict.fromkeys(n for r in results for n in r.names)),
        read_share=1.0,
    )


def _missing_column(size: int, dtype: str) -> pd.Series:
    """A column of ``size`` missing values in the canonical ``dtype``."""
    if dtype == UTC_TS:
        return pd.Series(np.full(size, _NAT)).dt.tz_localize("UTC")
    if dtype == "datetime64[us]":
        return pd.Series(np.full(size, _NAT))
    if dtype == "str" and pa is not None:
        return pd.Series(pd.array(pa.nulls(size, pa.string()), dtype="str"))
    return _typed(pd.Series(pd.NA, index=pd.RangeIndex(size), dtype="object"), dtype)


def _typed(values: pd.Series, dtype: str) -> pd.Series:
    """``values`` in its canonical dtype, column by column (what ``conform`` does, without a copy
    of the whole frame)."""
    if dtype == UTC_TS:
        return pd.to_datetime(values, utc=True).astype(UTC_TS)
    if dtype == "datetime64[us]":
        return pd.to_datetime(values).astype(dtype)
    return values.astype(dtype)


class CsvImporter:
    """What every CSV importer shares: identification by header signature and column mapping.

    Subclasses set ``header_signature`` (variant name → required headers) and ``column_map``
    (canonical column → header aliases).
    """

    input_kind = "csv"
    header_signature: dict[str, tuple[str, ...]]
    column_map: dict[str, tuple[str, ...]]
    # True when each row is read on its own (no decision over a whole column, duplicates found
    # by RowsBuilder.reject_duplicates, line warnings as LinesWarning): the importer then
    # implements parse_table, and a large file can be read and stored a block at a time.
    row_wise = False

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        """The whole file in one ParseResult (a row-wise importer's parse_table on every row)."""
        table, rows, columns = self.mapped_table(sniffed)
        return self.parse_table(table, rows, columns, context)

    def parse_table(
        self,
        table: CsvTable,
        rows: RowsBuilder,
        columns: dict[str, int | None],
        context: ImportContext,
    ) -> ParseResult:
        """The ParseResult of ``table``'s records (a row-wise importer's reading of its rows)."""
        raise NotImplementedError

    def parse_blocks(
        self, sniffed: Sniffed, context: ImportContext, block_rows: int
    ) -> Iterator[ParseResult]:
        """The file read ``block_rows`` records at a time: a ParseResult per block, to be
        stored while the next one is read (the whole file at once unless ``row_wise``).

        A key kept in one block makes the same key a duplicate in the next ones; rejections
        keep their file lines. :func:`merged_result` of the blocks equals :meth:`parse`.
        """
        if not self.row_wise:
            yield self.parse(sniffed, context)
            return
        table, _, columns = self.mapped_table(sniffed, stream=block_rows)
        seen = SeenKeys()
        try:
            for part, share in table.blocks(block_rows):
                result = self.parse_table(part, RowsBuilder(part, seen_keys=seen), columns, context)
                yield replace(result, read_share=min(1.0, share))
        finally:
            table.close()

    def identify(self, sniffed: Sniffed) -> bool:
        """True when the header holds every required column of one of the variants."""
        return any(has_columns(sniffed, required) for required in self.header_signature.values())

    def mapped_table(
        self, sniffed: Sniffed, *, stream: int = 0
    ) -> tuple[CsvTable, RowsBuilder, dict[str, int | None]]:
        """The file's rows (mapped columns only), a rows builder, and canonical → column index
        (``stream``: a large file in parts of about that many records, see read_csv_table)."""
        refuse_duplicated_columns(sniffed.header, self.column_map)
        table = read_csv_table(sniffed, self.column_map.values(), stream=stream)
        columns = {name: table.column(aliases) for name, aliases in self.column_map.items()}
        return table, RowsBuilder(table), columns
