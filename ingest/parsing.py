"""Shared parsing helpers for importers: CSV records, header keys, numbers, dates, ids, rejections."""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from ingest.base import ImportRefused, Rejection, Sniffed
from ingest.canonical import conform

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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
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
    records: list[CsvRecord]
    rejections: list[Rejection]
    rows_read: int
    positions: dict[int, int]
    text: str = field(repr=False, default="")

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
        return [record.cells[position] for record in self.records]

    def raw_lines(self, lines: Iterable[int]) -> dict[int, str]:
        """The first physical line of each of ``lines``, shortened, for rejection reports."""
        wanted = set(lines)
        found: dict[int, str] = {}
        if not wanted:
            return found
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


def read_csv_table(sniffed: Sniffed, wanted: Iterable[Sequence[str]] | None = None) -> CsvTable:
    """The header and data records of a sniffed CSV; records of the wrong width are rejected.

    ``wanted`` lists header aliases (e.g. ``COLUMN_MAP.values()``); only the matching columns
    are kept in the records. None keeps every column.
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
    header = tuple(cell.strip() for cell in header_record.cells)
    keys = tuple(header_key(h) for h in header)
    if wanted is None:
        kept_columns = list(range(len(header)))
    else:
        wanted_keys = {header_key(alias) for aliases in wanted for alias in aliases}
        kept_columns = [i for i, key in enumerate(keys) if key in wanted_keys]
    width = len(header)
    kept: list[CsvRecord] = []
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


def _judge_width(
    record: CsvRecord,
    width: int,
    separator: str,
    kept_columns: list[int],
    kept: list[CsvRecord],
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
    ) -> pd.Series:
        """Column ``name`` as UTC timestamps; ``expected`` describes the format for the user."""
        header = self.header_of(index)
        cells = self.cells(index)
        parsed, bad = parse_datetimes(cells, formats, timezone)
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

    def header_of(self, index: int | None) -> str:
        """The header cell of column ``index`` as found in the file."""
        return "?" if index is None else self.table.header[index]

    def line_of(self, row: int) -> int:
        """The file line of row ``row``."""
        return self.table.records[row].line

    def reject_duplicates(self, key: Sequence[str | None]) -> None:
        """Reject every row whose natural key repeats one already kept (first one wins)."""
        first_seen: dict[str, int] = {}
        for row in range(len(self.table.records)):
            value = key[row]
            if row in self.problems or value is None:
                continue
            if value in first_seen:
                self.problem(
                    row, f"identifiant en double dans le fichier, déjà vu ligne {first_seen[value]}"
                )
            else:
                first_seen[value] = self.line_of(row)

    def frame_and_rejections(self, kind: str) -> tuple[pd.DataFrame, list[Rejection]]:
        """The canonical frame of the rows without problems, and every rejection by line."""
        records = self.table.records
        keep = self.kept_rows()
        data = {}
        for name, values in self.columns.items():
            if isinstance(values, pd.Series):
                data[name] = values.iloc[keep].reset_index(drop=True)
            else:
                data[name] = pd.Series([values[row] for row in keep], dtype="object")
        frame = conform(pd.DataFrame(data, index=pd.RangeIndex(len(keep))), kind)
        raws = self.table.raw_lines(records[row].line for row in self.problems)
        rejections = list(self.table.rejections)
        rejections += [
            Rejection(records[row].line, " ; ".join(reasons), raws.get(records[row].line, ""))
            for row, reasons in self.problems.items()
        ]
        rejections.sort(key=lambda r: r.line)
        return frame, rejections

    def kept_rows(self) -> list[int]:
        """Positions of the rows not rejected so far."""
        problems = self.problems
        return [row for row in range(len(self.table.records)) if row not in problems]


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
        table = read_csv_table(sniffed, self.column_map.values())
        columns = {name: table.column(aliases) for name, aliases in self.column_map.items()}
        return table, RowsBuilder(table), columns
