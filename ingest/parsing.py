"""Shared parsing helpers for importers: CSV records, header keys, numbers, dates, ids, rejections."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import accumulate
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from ingest.base import ImportRefused, ParseResult, Rejection, Sniffed
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
    # Physical lines cut from the text one at a time: io.StringIO would first copy the whole
    # text into a 4-bytes-per-character buffer (600 MB for a 150 MB export).
    reader = csv.reader(_physical_lines(text), delimiter=separator, strict=False)
    consumed = 0
    while True:
        start = consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRefused(
                f"Lecture du CSV impossible à partir de la ligne {start} ({exc}) : un guillemet "
                "ouvert n'est probablement jamais refermé ; un CSV bien formé était attendu."
            ) from exc
        consumed = reader.line_num
        if any(cell.strip() for cell in cells):
            yield CsvRecord(start, cells)


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


class RecordList:
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

    def line(self, row: int) -> int:
        return self._lines[row]

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, row: int) -> CsvRecord:
        if isinstance(row, slice):  # type: ignore[unreachable]
            return [self[i] for i in range(*row.indices(len(self)))]  # type: ignore[return-value]
        if row < 0:
            row += len(self)
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
    records: RecordList
    rejections: list[Rejection]
    rows_read: int
    positions: dict[int, int]
    text: str = field(repr=False, default="")
    # For tables not read from CSV text (workbook sheets, JSON/XML records): the raw rows by
    # line, used instead of ``text`` in rejection reports.
    raw_rows: dict[int, str] | None = field(repr=False, default=None)

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
        last = max(wanted)
        start, number = 0, 1
        # Same line breaks as the csv module reading a newline="" stream: \r\n, \r or \n.
        for match in _LINE_BREAK.finditer(self.text):
            if number in wanted:
                found[number] = shorten(self.text[start : match.start()])
            if number >= last:
                return found
            start, number = match.end(), number + 1
        if number in wanted:
            found[number] = shorten(self.text[start:])
        return found


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_csv_table(
    sniffed: Sniffed,
    wanted: Iterable[Sequence[str]] | None = None,
    *,
    header: Sequence[str] | None = None,
    skip: int = 0,
) -> CsvTable:
    """The header and data records of a sniffed CSV; records of the wrong width are rejected.

    ``wanted`` lists header aliases (e.g. ``COLUMN_MAP.values()``); only the matching columns
    are kept in the records. None keeps every column. ``header`` replaces the header cells
    as found (same width; an importer uses it to tell apart columns the file names twice);
    ``skip`` drops that many records after the header (a description row), not counted as read.
    """
    if sniffed.kind != "csv" or sniffed.text is None or sniffed.header_row is None:
        raise ImportRefused(
            "Aucune ligne d'en-tête trouvée : un CSV avec une ligne d'en-tête était attendu."
        )
    separator = sniffed.separator or ","
    records = csv_records(sniffed.text, separator)
    header_record: CsvRecord | None = None
    for index, record in enumerate(records):
        if index == sniffed.header_row:
            header_record = record
            break
    if header_record is None:
        raise ImportRefused("Ligne d'en-tête introuvable : le fichier a changé pendant la lecture.")
    found_header = tuple(cell.strip() for cell in header_record.cells)
    if header is not None and len(header) == len(found_header):
        found_header = tuple(str(h).strip() for h in header)
    header = found_header
    keys = tuple(header_key(h) for h in header)
    for _ in range(skip):
        if next(records, None) is None:
            break
    if wanted is None:
        kept_columns = list(range(len(header)))
    else:
        wanted_keys = {header_key(alias) for aliases in wanted for alias in aliases}
        kept_columns = [i for i, key in enumerate(keys) if key in wanted_keys]
    width = len(header)
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
    return CsvTable(
        header=header,
        keys=keys,
        header_line=header_record.line,
        separator=separator,
        records=kept,
        rejections=rejections,
        rows_read=rows_read,
        positions={column: position for position, column in enumerate(kept_columns)},
        text=sniffed.text,
    )


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


def excel_id_warning(column: str, examples: Sequence[tuple[int, str]]) -> str:
    """French warning about ids abîmés par Excel, quoting the first example."""
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
    """
    tz = timezone if isinstance(timezone, ZoneInfo) else zone(timezone)
    format_list = [formats] if isinstance(formats, str) else list(formats)
    texts = pd.Series(
        [None if v is None else str(v).strip() for v in values], dtype="object"
    ).replace("", None)
    result = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[us, UTC]")
    todo = texts.notna()
    for fmt in format_list:
        if not todo.any():
            break
        subset = texts[todo]
        try:
            parsed = pd.to_datetime(subset, format=fmt, errors="coerce", utc="%z" in fmt)
        except (ValueError, TypeError, OverflowError):
            continue
        if "%z" not in fmt:
            parsed = parsed.dt.tz_localize(
                tz, ambiguous=np.ones(len(parsed), dtype=bool), nonexistent="shift_forward"
            ).dt.tz_convert("UTC")
        parsed = parsed.astype("datetime64[us, UTC]")
        ok = parsed.notna()
        result.loc[ok[ok].index] = parsed[ok]
        todo.loc[ok[ok].index] = False
    bad = [int(i) for i in np.flatnonzero(todo.to_numpy())]
    return result, bad


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
    present = np.fromiter(
        (v is not None and str(v).strip() != "" for v in values), dtype=bool, count=len(values)
    )
    results: list[pd.Series] = []
    matched: list[np.ndarray] = []
    for family in families:
        parsed, bad = parse_datetimes(values, list(family.formats), timezone)
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


@dataclass
class RowsBuilder:
    """Canonical columns built from CSV records, collecting each row's problems in French."""

    table: CsvTable
    columns: dict[str, list[object]] = field(default_factory=dict)
    problems: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

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
        out: list[str | None] = []
        for cell in self.cells(index):
            value = cell if cell.strip() else None
            if value is not None and transform is not None:
                value = transform(value)
            out.append(value)
        self.columns[name] = out
        return out

    def add_id(self, name: str, index: int | None, *, required: bool) -> list[str | None]:
        """Column ``name`` as an id kept as text; a warning lists ids mangled by Excel."""
        header = self.header_of(index)
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
        cells = self.cells(index)
        readable = cells if prepare is None else [prepare(c) for c in cells]
        if _is_families(formats):
            parsed, bad, strays = parse_datetime_families(readable, formats, timezone)  # type: ignore[arg-type]
            for row, (found, dominant) in strays.items():
                self.problem(
                    row,
                    f"colonne « {header} » : date « {shorten(cells[row], 40)} » au format "
                    f"{found}, alors que la colonne est au format {dominant} (majoritaire) : "
                    "ligne rejetée, le format d'une date n'est jamais deviné",
                )
        else:
            parsed, bad = parse_datetimes(readable, formats, timezone)  # type: ignore[arg-type]
        for row in bad:
            self.problem(
                row,
                f"colonne « {header} » : date « {shorten(cells[row], 40)} » illisible "
                f"(format attendu : {expected})",
            )
        if required:
            for row, cell in enumerate(cells):
                if not cell.strip():
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

    def reject_duplicates(self, key: Sequence[str | None]) -> None:
        """Reject every row whose natural key repeats one already kept (first one wins)."""
        values = pd.Series(list(key), dtype="object")
        candidates = values.notna().to_numpy().copy()
        if self.problems:
            candidates[list(self.problems)] = False
        considered = values[candidates]
        repeated = considered.duplicated(keep="first")
        if not repeated.any():
            return
        firsts = considered[~repeated]
        first_line = {
            value: self.line_of(int(row))
            for row, value in firsts[firsts.isin(set(considered[repeated]))].items()
        }
        for row, value in considered[repeated].items():
            self.problem(
                int(row),
                f"identifiant en double dans le fichier, déjà vu ligne {first_line[value]}",
            )

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
        frame = conform(pd.DataFrame(data, index=pd.RangeIndex(size), copy=False), kind)
        return frame, rejections

    def kept_rows(self) -> list[int]:
        """Positions of the rows not rejected so far."""
        problems = self.problems
        return [row for row in range(len(self.table.records)) if row not in problems]


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

    def identify(self, sniffed: Sniffed) -> bool:
        """True when the header holds every required column of one of the variants."""
        return any(has_columns(sniffed, required) for required in self.header_signature.values())

    def mapped_table(self, sniffed: Sniffed) -> tuple[CsvTable, RowsBuilder, dict[str, int | None]]:
        """The file's rows (mapped columns only), a rows builder, and canonical → column index."""
        refuse_duplicated_columns(sniffed.header, self.column_map)
        table = read_csv_table(sniffed, self.column_map.values())
        columns = {name: table.column(aliases) for name, aliases in self.column_map.items()}
        return table, RowsBuilder(table), columns
