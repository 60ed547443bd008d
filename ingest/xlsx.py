"""Workbooks (XLSX, Excel 97-2003 BIFF ``.xls``, SpreadsheetML 2003 XML) as plain sheets of cells.

The sniffer puts a :class:`WorkbookSource` in ``Sniffed.json`` for ``xlsx``, ``xls`` and
``xml`` files; importers call :func:`workbook_of` and get a :class:`Workbook` (read once,
then cached on the source) or an ImportRefused with a French message.

Protections, before any workbook library sees the bytes:

* XLSX is a zip: the declared uncompressed size of every member and of the whole archive, and
  each member's compression ratio, are checked against limits (a "zip bomb" of a few kB can
  declare gigabytes). Python's zipfile never inflates past the declared size, so checking
  the declared sizes is enough. openpyxl then reads in read-only mode, through defusedxml.
* SpreadsheetML goes through :mod:`ingest.xml_safe` (no DTD, no entities).
* BIFF ``.xls`` is read by xlrd (pure Python, no macro or formula evaluation).

Cells keep their type (str, int, float, datetime, bool, None): nothing is evaluated, a text
starting with ``=`` stays that text.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ingest.base import ImportRefused
from ingest.parsing import (
    CsvTable,
    header_key,
    refuse_duplicated_columns,
    shorten,
    table_from_rows,
)
from ingest.xml_safe import declared_encoding, describe_root, root_name, spreadsheetml_sheets

# Limits on what an uploaded XLSX may declare once unzipped. A real export of a few thousand
# posts is a few MB unzipped; XML compresses about 5 to 20 times.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # uncompressed / compressed, for members above RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000
MAX_SHEET_COLUMNS = 16_384
MAX_SHEETS_LISTED = 12
HEADER_SEARCH_ROWS = 10

BIFF_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class Sheet:
    """One sheet: its name and its non-blank rows as (1-based row number, cells)."""

    name: str
    rows: list[tuple[int, list[object]]] = field(default_factory=list)

    def text_rows(self) -> list[tuple[int, list[str]]]:
        """The rows with every cell as text (see :func:`cell_text`)."""
        return [(number, [cell_text(c) for c in cells]) for number, cells in self.rows]

    def header_index(self, required: Sequence[str], search: int = HEADER_SEARCH_ROWS) -> int | None:
        """Position in ``rows`` of the first of the first ``search`` rows holding every ``required``."""
        wanted = {header_key(r) for r in required}
        for position, (_number, cells) in enumerate(self.rows[:search]):
            keys = {header_key(cell_text(c)) for c in cells}
            if wanted <= keys:
                return position
        return None


@dataclass
class Workbook:
    """The sheets of a workbook, in order, and what it was read from."""

    source: str  # "xlsx" | "xls" | "spreadsheetml"
    sheets: list[Sheet]

    def names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet_named(self, *prefixes: str) -> Sheet | None:
        """The first sheet whose name starts with one of ``prefixes`` (by header key).

        Excel cuts sheet names at 31 characters and Facebook marks the cut with "...", so a
        prefix match is the only reliable one.
        """
        for prefix in prefixes:
            key = header_key(prefix).rstrip(". ")
            for sheet in self.sheets:
                name = header_key(sheet.name).rstrip(". ")
                if not name or not key:
                    continue
                if name.startswith(key) or (len(name) >= 20 and key.startswith(name)):
                    return sheet
        return None

    def sheet_with(self, required: Sequence[str]) -> tuple[Sheet, int] | None:
        """The first sheet having a header row with every ``required`` column, and its position."""
        for sheet in self.sheets:
            position = sheet.header_index(required)
            if position is not None:
                return sheet, position
        return None

    def described(self) -> str:
        """« Feuilles trouvées : A, B, C » for refusals."""
        names = [f"« {shorten(n, 40)} »" for n in self.names()[:MAX_SHEETS_LISTED]]
        more = len(self.sheets) - MAX_SHEETS_LISTED
        listed = ", ".join(names) + (f"… (+{more})" if more > 0 else "")
        return f"feuilles trouvées : {listed or '(aucune)'}"


def cell_text(value: object) -> str:
    """A cell as the text an importer parses: dates as ISO ``YYYY-MM-DD HH:MM:SS``, whole floats as ints."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return f"{text}.{value.microsecond:06d}" if value.microsecond else text
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(value)
    return str(value)


# --------------------------------------------------------------------------- lazy handle


class WorkbookSource:
    """What the sniffer keeps of a workbook upload; reads it once, on first use.

    ``kind`` is the sniffed kind: "xlsx" and "xls" hold the bytes, "xml" the decoded text.
    """

    def __init__(self, kind: str, data: bytes | None = None, text: str | None = None) -> None:
        self.kind = kind
        self._data = data
        self._text = text
        self._lock = threading.Lock()
        self._done = False
        self._workbook: Workbook | None = None
        self._error: ImportRefused | None = None
        self._root: str | None | ImportRefused = None
        self._root_done = False

    def __repr__(self) -> str:  # keeps Sniffed's repr short
        return f"WorkbookSource({self.kind})"

    def root(self) -> str | None:
        """For XML: the root element's local name (None when unreadable or unsafe)."""
        if self.kind != "xml":
            return None
        if not self._root_done:
            try:
                self._root = root_name(self._text or "")
            except ImportRefused as refused:
                self._root = refused
            self._root_done = True
        return self._root if isinstance(self._root, str) else None

    def root_refusal(self) -> ImportRefused | None:
        """For XML: the refusal met while looking for the root (XML bomb, malformed), if any."""
        self.root()
        return self._root if isinstance(self._root, ImportRefused) else None

    def text(self) -> str:
        return self._text or ""

    def workbook(self) -> Workbook:
        """The workbook, or ImportRefused (bomb, corruption, not a workbook) with a French message."""
        with self._lock:
            if not self._done:
                try:
                    self._workbook = _read(self.kind, self._data, self._text)
                except ImportRefused as refused:
                    self._error = refused
                except MemoryError:
                    self._error = ImportRefused(
                        "Classeur trop volumineux pour être lu en mémoire : exportez une période "
                        "plus courte."
                    )
                self._done = True
                self._data = None  # the sheets are all we need from now on
        if self._error is not None:
            raise ImportRefused(str(self._error))
        assert self._workbook is not None
        return self._workbook


def workbook_of(sniffed: object) -> Workbook | None:
    """The workbook behind a sniffed upload; None when it is not a workbook kind.

    Raises ImportRefused when it is one but cannot be read safely.
    """
    source = getattr(sniffed, "json", None)
    if not isinstance(source, WorkbookSource):
        return None
    if source.kind == "xml" and source.root() != "Workbook":
        refusal = source.root_refusal()
        if refusal is not None:
            raise ImportRefused(str(refusal))
        return None
    return source.workbook()


def locate_table(
    workbook: Workbook,
    signatures: Sequence[Sequence[str]],
    preferred: Sequence[str] = (),
) -> tuple[Sheet, int] | None:
    """The sheet (a ``preferred`` name first, then any) whose header holds one of ``signatures``."""
    candidates: list[Sheet] = []
    named = workbook.sheet_named(*preferred) if preferred else None
    if named is not None:
        candidates.append(named)
    candidates += [s for s in workbook.sheets if s is not named]
    for sheet in candidates:
        for required in signatures:
            position = sheet.header_index(required)
            if position is not None:
                return sheet, position
    return None


def sheet_table(sheet: Sheet, position: int, column_map: dict[str, Sequence[str]]) -> CsvTable:
    """The rows under the header at ``position``, mapped columns only; repeated mapped titles refused."""
    rows = sheet.text_rows()
    refuse_duplicated_columns(rows[position][1], column_map)
    return table_from_rows(rows, position, column_map.values())


def workbook_or_none(sniffed: object) -> Workbook | None:
    """Like :func:`workbook_of` but None instead of a refusal, for ``identify``."""
    try:
        return workbook_of(sniffed)
    except ImportRefused:
        return None


def workbook_refusal(sniffed: object) -> str | None:
    """The French refusal of an unreadable workbook upload, or None when it reads fine."""
    try:
        workbook_of(sniffed)
    except ImportRefused as refused:
        return str(refused)
    return None


def xml_description(sniffed: object) -> str:
    source = getattr(sniffed, "json", None)
    text = source.text() if isinstance(source, WorkbookSource) else getattr(sniffed, "text", "")
    return describe_root(text or "")


def decode_xml(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """The text of an XML upload: declared UTF-8 (or none) is decoded as UTF-8 with replacement.

    The legacy Facebook page-level export holds one invalid UTF-8 sequence; decoding it as
    cp1252 because of that byte would garble every accent of the file.
    """
    declared = declared_encoding(data)
    if encoding == "cp1252" and declared in (None, "utf-8", "utf8"):
        return data.decode("utf-8", errors="replace").lstrip("\ufeff"), "utf-8"
    return text, encoding


# --------------------------------------------------------------------------- readers


def _read(kind: str, data: bytes | None, text: str | None) -> Workbook:
    if kind == "xlsx":
        return read_xlsx(data or b"")
    if kind == "xls":
        return read_xls(data or b"")
    sheets = spreadsheetml_sheets(text or "")
    return Workbook("spreadsheetml", [Sheet(s.name, s.rows) for s in sheets])


def check_zip(data: bytes) -> None:
    """Refuse an XLSX whose zip declares too much data or a suspicious compression ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ImportRefused(
            "Le fichier commence comme un classeur Excel (.xlsx) ou un zip mais il est tronqué "
            "ou corrompu : téléchargez-le à nouveau depuis l'outil d'origine."
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(
            f"Classeur refusé : l'archive contient {len(members)} fichiers internes (limite "
            f"{MAX_MEMBERS}) ; ce n'est pas un export ordinaire."
        )
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > MAX_MEMBER_RATIO:
            raise ImportRefused(
                f"Classeur refusé : le fichier interne « {shorten(member.filename, 60)} » se "
                f"décompresse {ratio:.0f} fois (limite {MAX_MEMBER_RATIO}), signe d'une « bombe "
                "zip » ; exportez à nouveau le fichier depuis l'outil d'origine."
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportRefused(
            f"Classeur refusé : il occupe {total / 1024 / 1024:.0f} Mo une fois décompressé (limite "
            f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} Mo). Exportez une période plus courte."
        )


def read_xlsx(data: bytes) -> Workbook:
    """The sheets of an XLSX, after the zip checks; values only, formulas never evaluated."""
    check_zip(data)
    import openpyxl  # local: importing openpyxl costs ~0.3 s, only workbook uploads pay it

    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl raises many types on a damaged or hostile archive
        raise ImportRefused(
            "Classeur Excel (.xlsx) illisible : il manque une partie du classeur ou elle est "
            f"invalide ({shorten(type(exc).__name__ + ': ' + str(exc), 120)}). Ouvrez-le dans "
            "Excel et enregistrez-le à nouveau, ou téléchargez l'export d'origine."
        ) from exc
    sheets: list[Sheet] = []
    try:
        for worksheet in book.worksheets:
            sheet = Sheet(str(worksheet.title))
            if hasattr(worksheet, "reset_dimensions"):
                # A declared dimension of A1:XFD1048576 would pad every row to 16,384 cells.
                worksheet.reset_dimensions()
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                cells = list(row[:MAX_SHEET_COLUMNS])
                if any(c is not None and str(c).strip() for c in cells):
                    sheet.rows.append((number, cells))
            sheets.append(sheet)
    except ImportRefused:
        raise
    except Exception as exc:
        raise ImportRefused(
            "Classeur Excel (.xlsx) illisible : une feuille est invalide ou contient des "
            f"constructions XML refusées ({shorten(type(exc).__name__ + ': ' + str(exc), 120)}). "
            "Téléchargez l'export d'origine à nouveau."
        ) from exc
    finally:
        book.close()
    return Workbook("xlsx", sheets)


def read_xls(data: bytes) -> Workbook:
    """The sheets of an Excel 97-2003 (BIFF) workbook, read with xlrd."""
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - xlrd is in requirements.txt
        raise ImportRefused(
            "C'est un classeur Excel 97-2003 (.xls) et la lecture de ce format n'est pas "
            "installée : ouvrez-le dans Excel ou LibreOffice et enregistrez-le en .xlsx."
        ) from exc
    try:
        book = xlrd.open_workbook(
            file_contents=data, on_demand=True, logfile=io.StringIO(), formatting_info=False
        )
    except Exception as exc:  # xlrd.XLRDError, struct.error, IndexError… on damaged files
        raise ImportRefused(
            "Classeur Excel 97-2003 (.xls) illisible ou endommagé "
            f"({shorten(type(exc).__name__ + ': ' + str(exc), 120)}). Ouvrez-le dans Excel ou "
            "LibreOffice et enregistrez-le en .xlsx, ou téléchargez l'export d'origine."
        ) from exc
    sheets: list[Sheet] = []
    try:
        for index in range(book.nsheets):
            raw = book.sheet_by_index(index)
            sheet = Sheet(str(raw.name))
            for rowx in range(raw.nrows):
                cells = [
                    _xls_value(book, raw.cell_type(rowx, colx), raw.cell_value(rowx, colx))
                    for colx in range(min(raw.ncols, MAX_SHEET_COLUMNS))
                ]
                if any(c is not None and str(c).strip() for c in cells):
                    sheet.rows.append((rowx + 1, cells))
            sheets.append(sheet)
            book.unload_sheet(index)
    except Exception as exc:
        raise ImportRefused(
            "Classeur Excel 97-2003 (.xls) illisible : une feuille est endommagée "
            f"({shorten(type(exc).__name__ + ': ' + str(exc), 120)}). Enregistrez-le en .xlsx."
        ) from exc
    finally:
        book.release_resources()
    return Workbook("xls", sheets)


def _xls_value(book: object, ctype: int, value: object) -> object:
    import xlrd

    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, book.datemode)  # type: ignore[attr-defined]
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_NUMBER and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def looks_like_biff(data: bytes) -> bool:
    return data.startswith(BIFF_MAGIC)


def is_spreadsheetml(sniffed: object) -> bool:
    source = getattr(sniffed, "json", None)
    return (
        isinstance(source, WorkbookSource) and source.kind == "xml" and source.root() == "Workbook"
    )


__all__ = [
    "Sheet",
    "Workbook",
    "WorkbookSource",
    "cell_text",
    "check_zip",
    "decode_xml",
    "is_spreadsheetml",
    "locate_table",
    "sheet_table",
    "read_xls",
    "read_xlsx",
    "root_name",
    "workbook_of",
    "workbook_or_none",
    "workbook_refusal",
    "xml_description",
]
