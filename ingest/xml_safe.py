"""Safe XML reading for uploads: no DTD, no entity, no external reference; French refusals.

Every XML upload (SpreadsheetML 2003 workbooks, the legacy Facebook Insights ".xls", Open311
``<service_requests>``) goes through :func:`iter_elements`, built on ``defusedxml`` with
``forbid_dtd=True``: none of the expected exports declares a DTD, so a file that does (the
"billion laughs" bomb, an external entity pointing at a local file) is refused before any
entity could be expanded.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import iterparse

from ingest.base import ImportRefused
from ingest.parsing import shorten

SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
_SS = f"{{{SPREADSHEET_NS}}}"

# A SpreadsheetML cell may jump ahead with ss:Index; a hostile file could ask for column
# 2**31 and make a naive reader allocate a gigantic row. Excel itself stops at 16,384.
MAX_COLUMNS = 16_384
MAX_DEPTH = 64  # elements nested deeper than this are not an export

_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")

XML_BOMB = (
    "Fichier XML refusé : il déclare une DTD ou des entités (<!DOCTYPE …>, <!ENTITY …>), ce "
    "qu'aucun export attendu ne fait ; c'est la forme des « bombes XML » qui saturent la mémoire "
    "du serveur. Exportez à nouveau le fichier depuis l'outil d'origine, sans le modifier."
)


def local_name(tag: str) -> str:
    """``tag`` without its ``{namespace}`` prefix."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def iter_elements(text: str) -> Iterator[tuple[str, Element, int]]:
    """(event, element, depth) for every start/end of ``text``; ImportRefused when unsafe or invalid.

    The caller may ``clear()`` an element at its "end" event to keep memory flat on big files.
    """
    depth = 0
    try:
        for event, element in iterparse(
            io.StringIO(text), events=("start", "end"), forbid_dtd=True, forbid_entities=True
        ):
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise ImportRefused(
                        f"Fichier XML refusé : éléments imbriqués sur plus de {MAX_DEPTH} niveaux, "
                        "ce qui n'est la forme d'aucun export attendu."
                    )
                yield event, element, depth
            else:
                yield event, element, depth
                depth -= 1
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden) as exc:
        raise ImportRefused(XML_BOMB) from exc
    except defusedxml.DefusedXmlException as exc:  # external references, forbidden constructs
        raise ImportRefused(XML_BOMB) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise ImportRefused(
            f"Fichier XML mal formé (ligne {line}, colonne {column + 1}) : le fichier est "
            "probablement tronqué ou modifié à la main ; téléchargez l'export à nouveau."
        ) from exc
    except RecursionError as exc:  # pragma: no cover - expat is iterative, kept as a guard
        raise ImportRefused("Fichier XML trop profondément imbriqué pour être lu.") from exc


def root_name(text: str) -> str | None:
    """Local name of the root element of ``text`` (None when there is none); ImportRefused if unsafe."""
    for event, element, _depth in iter_elements(text):
        if event == "start":
            return local_name(element.tag)
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named in the ``<?xml … encoding="…"?>`` prolog of ``data``, lower-cased."""
    match = _DECLARED_ENCODING.match(data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200])
    return match.group(1).decode("ascii").lower() if match else None


# --------------------------------------------------------------------------- SpreadsheetML


@dataclass
class XmlSheet:
    """One worksheet: its name and its non-empty rows as (1-based row number, cell values)."""

    name: str
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


def spreadsheetml_sheets(text: str) -> list[XmlSheet]:
    """The worksheets of a SpreadsheetML 2003 document (Excel "XML Spreadsheet", legacy FB .xls).

    Cell values: ``str`` for String cells, ``int``/``float`` for Number, ``datetime`` for
    DateTime, ``bool`` for Boolean, ``None`` for empty cells. ``ss:Index`` jumps on rows and
    cells are honoured; rich text (``<html:Font>`` inside ``<Data>``) is flattened to its text.
    """
    sheets: list[XmlSheet] = []
    sheet: XmlSheet | None = None
    row_number = 0
    for event, element, _depth in iter_elements(text):
        name = local_name(element.tag)
        if event == "start":
            if name == "Worksheet":
                sheet = XmlSheet(str(element.get(f"{_SS}Name") or f"Feuille {len(sheets) + 1}"))
                row_number = 0
            elif name == "Table":
                row_number = 0
            continue
        if name == "Row" and sheet is not None:
            row_number = _row_number(element, row_number)
            cells = _row_cells(element)
            element.clear()
            if any(value is not None and str(value).strip() for value in cells):
                sheet.rows.append((row_number, cells))
        elif name == "Worksheet" and sheet is not None:
            sheets.append(sheet)
            sheet = None
            element.clear()
    return sheets


def _row_number(row: Element, previous: int) -> int:
    index = row.get(f"{_SS}Index")
    if index is not None:
        try:
            wanted = int(index)
        except ValueError:
            wanted = previous + 1
        if wanted > previous:
            return wanted
    return previous + 1


def _row_cells(row: Element) -> list[object]:
    cells: list[object] = []
    for cell in row:
        if local_name(cell.tag) != "Cell":
            continue
        index = cell.get(f"{_SS}Index")
        if index is not None:
            try:
                position = int(index)
            except ValueError:
                position = len(cells) + 1
            if position > MAX_COLUMNS:
                raise ImportRefused(
                    f"Feuille XML refusée : une cellule en colonne {position}, au-delà de la limite "
                    f"d'Excel ({MAX_COLUMNS} colonnes) ; ce n'est pas un export valide."
                )
            while len(cells) < position - 1:
                cells.append(None)
        if len(cells) >= MAX_COLUMNS:
            break
        cells.append(_cell_value(cell))
        merge = cell.get(f"{_SS}MergeAcross")
        if merge is not None and merge.isdigit():
            cells.extend([None] * min(int(merge), MAX_COLUMNS - len(cells)))
    return cells


def _cell_value(cell: Element) -> object:
    data = None
    for child in cell:
        if local_name(child.tag) == "Data":
            data = child
            break
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type") or "String"
    if kind == "Number":
        stripped = text.strip()
        if not stripped:
            return None
        try:
            number = float(stripped)
        except ValueError:
            return text
        return int(number) if number.is_integer() and "e" not in stripped.lower() else number
    if kind == "DateTime":
        stripped = text.strip()
        if not stripped:
            return None
        try:
            return datetime.fromisoformat(stripped)
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE")
    return text if text != "" else None


def describe_root(text: str) -> str:
    """A short French description of an XML document's root, for refusals."""
    try:
        name = root_name(text)
    except ImportRefused as refused:
        return str(refused)
    return f"élément racine <{shorten(name or '?', 40)}>"
