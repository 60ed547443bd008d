"""The list of importers, format detection and the parse_file entry point with its refusals."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Sequence
from io import BytesIO

from ingest.base import ImportContext, Importer, ImportRefused, ParseResult, Sniffed
from ingest.formats import (
    dansmarue,
    fb_graph_comments,
    fb_insights_page,
    fb_insights_posts,
    fixmystreet,
    freshdesk_tickets,
    linkedin_followers,
    linkedin_posts,
    meta_daily,
    meta_posts,
    nyc311,
    open311,
    resident_messages,
    seeclickfix,
    x_account_content,
    x_tweet_activity,
    zendesk_tickets,
)
from ingest.parsing import french_list, header_key, shorten
from ingest.sniff import max_file_bytes, sniff
from ingest.xlsx import WorkbookSource, cell_text, is_spreadsheetml, workbook_of

__all__ = [
    "detect",
    "header_key",
    "importers",
    "parse_blocks",
    "parse_file",
    "refusal_message",
    "size_refusal",
]

# Detection order only matters for messages; each file must be recognised by exactly one.
_IMPORTERS: tuple[Importer, ...] = (
    x_tweet_activity.IMPORTER,
    x_account_content.IMPORTER,
    meta_posts.IMPORTER,
    meta_daily.IMPORTER,
    fb_graph_comments.IMPORTER,
    fb_insights_posts.IMPORTER,
    fb_insights_page.IMPORTER,
    linkedin_posts.IMPORTER,
    linkedin_followers.IMPORTER,
    resident_messages.IMPORTER,
    nyc311.IMPORTER,
    open311.IMPORTER,
    fixmystreet.IMPORTER,
    seeclickfix.IMPORTER,
    dansmarue.IMPORTER,
    zendesk_tickets.IMPORTER,
    freshdesk_tickets.IMPORTER,
)

COLUMNS_SHOWN = 15  # found columns quoted in a refusal before "… (+N)"
CLOSEST_SHOWN = 2


def importers() -> list[Importer]:
    """Every registered importer, in detection order."""
    return list(_IMPORTERS)


def detect(sniffed: Sniffed, candidates: Sequence[Importer] | None = None) -> Importer:
    """The one importer that recognises ``sniffed``; ImportRefused when none or several do.

    ``candidates`` replaces the registered importers (tests use it to fake an ambiguity).
    """
    pool = importers() if candidates is None else list(candidates)
    matches = [importer for importer in pool if importer.identify(sniffed)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        labels = [f"« {m.label} » ({m.format_id})" for m in matches]
        raise ImportRefused(
            f"Fichier ambigu : reconnu à la fois comme {french_list(labels)}. Un seul format "
            "était attendu ; signalez ce fichier à l'équipe Parvis."
        )
    raise ImportRefused(refusal_message(sniffed, pool))


def parse_file(
    data: bytes, context: ImportContext, candidates: Sequence[Importer] | None = None
) -> ParseResult:
    """Check the size, sniff, detect the format and parse ``data`` into a canonical frame."""
    sniffed, importer = _sniffed_importer(data, candidates)
    return importer.parse(sniffed, context)


def parse_blocks(
    data: bytes,
    context: ImportContext,
    block_rows: int,
    candidates: Sequence[Importer] | None = None,
) -> Iterator[ParseResult]:
    """:func:`parse_file` a block of about ``block_rows`` rows at a time, for the importers
    that read each row on its own (``row_wise``); the whole file as one block otherwise.

    A refusal comes with the first block, before any row is given.
    """
    sniffed, importer = _sniffed_importer(data, candidates)
    blocks = getattr(importer, "parse_blocks", None)
    if blocks is None:
        yield importer.parse(sniffed, context)
    else:
        yield from blocks(sniffed, context, block_rows)


def _sniffed_importer(
    data: bytes, candidates: Sequence[Importer] | None
) -> tuple[Sniffed, Importer]:
    """The sniffed file and its one importer, or ImportRefused (size, format, ambiguity)."""
    limit = max_file_bytes()
    if len(data) > limit:
        raise ImportRefused(size_refusal(len(data), limit))
    sniffed = sniff(data)
    try:
        importer = detect(sniffed, candidates)
    except ImportRefused:
        # The sniffer only saw "PK": a cut download deserves its own message, not "unsupported".
        if sniffed.kind == "xlsx" and not _is_readable_zip(data):
            raise ImportRefused(
                "Le fichier commence comme un classeur Excel (.xlsx) ou un zip mais il est "
                "tronqué ou corrompu : téléchargez-le à nouveau depuis l'outil d'origine."
            ) from None
        raise
    return sniffed, importer


def size_refusal(size: int, limit: int) -> str:
    """French refusal for a file over the upload limit."""
    return (
        f"Fichier trop volumineux : {_megabytes(size)}, la limite est de {_megabytes(limit)} "
        "(réglable par l'administrateur avec PARVIS_MAX_UPLOAD_MB). Exportez une période plus courte."
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " Mo"


def _accepted(pool: Sequence[Importer]) -> str:
    return french_list([f"« {importer.label} »" for importer in pool]) or "aucun"


def refusal_message(sniffed: Sniffed, pool: Sequence[Importer] | None = None) -> str:
    """Why no importer took ``sniffed``: what was found and what was expected, in French."""
    pool = importers() if pool is None else list(pool)
    accepted = f"Formats acceptés : {_accepted(pool)}."
    kind = sniffed.kind
    if kind == "empty":
        return f"Le fichier est vide : un export CSV ou JSON était attendu. {accepted}"
    if kind == "pdf":
        return (
            "C'est un fichier PDF, pas un export de données : téléchargez l'export CSV (ou JSON) "
            f"depuis l'outil d'origine plutôt qu'un rapport imprimable. {accepted}"
        )
    if kind == "binary":
        return (
            "Ce fichier n'est pas un fichier texte lisible (contenu binaire, image ou fichier "
            f"corrompu) : un export CSV ou JSON était attendu. {accepted}"
        )
    if kind in ("xlsx", "xls") or (kind == "xml" and is_spreadsheetml(sniffed)):
        return _workbook_refusal(sniffed, pool, accepted)
    if kind == "xml":
        return _xml_refusal(sniffed, pool, accepted)
    if kind == "json":
        return _json_refusal(sniffed, pool, accepted)
    return _csv_refusal(sniffed, pool, accepted)


WORKBOOK_NAMES = {
    "xlsx": "classeur Excel (.xlsx)",
    "xls": "classeur Excel 97-2003 (.xls)",
    "xml": "classeur XML (SpreadsheetML, l'ancien « .xls » de Facebook Insights)",
}


def _workbook_refusal(sniffed: Sniffed, pool: Sequence[Importer], accepted: str) -> str:
    """A workbook no importer took: its sheets and first rows, and the sheets each format wants."""
    what = WORKBOOK_NAMES.get(sniffed.kind, "classeur")
    try:
        workbook = workbook_of(sniffed)
    except ImportRefused as refused:
        return str(refused)
    if workbook is None:  # pragma: no cover - is_spreadsheetml / kind vouched for it
        return f"Ce {what} n'a pas pu être lu. {accepted}"
    firsts = []
    for sheet in workbook.sheets[:3]:
        if sheet.rows:
            cells = [cell_text(c) for c in sheet.rows[0][1] if cell_text(c).strip()]
            shown = ", ".join(shorten(c, 30) for c in cells[:8]) + ("…" if len(cells) > 8 else "")
            firsts.append(f"« {shorten(sheet.name, 40)} » commence par : {shown}")
    first = f" ({' ; '.join(firsts)})" if firsts else " (feuilles vides)"
    expected = "; ".join(
        f"« {i.label} » : feuille {i.expected_sheets}"  # type: ignore[attr-defined]
        for i in pool
        if getattr(i, "expected_sheets", None)
    )
    return (
        f"Ce {what} n'est pas un export reconnu : {workbook.described()}{first}. "
        f"Classeurs attendus : {expected or 'aucun'}. {accepted}"
    )


def _xml_refusal(sniffed: Sniffed, pool: Sequence[Importer], accepted: str) -> str:
    source = sniffed.json
    if isinstance(source, WorkbookSource):
        refusal = source.root_refusal()
        if refusal is not None:
            return str(refusal)
        root = source.root()
    else:  # pragma: no cover - the sniffer always attaches a source to XML
        root = None
    found = f"élément racine <{shorten(root, 40)}>" if root else "aucun élément"
    return (
        f"Fichier XML non reconnu : {found}. Attendu : un classeur SpreadsheetML (ancien export "
        "Facebook Insights « .xls », racine <Workbook>) ou des demandes Open311 (racine "
        f"<service_requests>). {accepted}"
    )


def _is_readable_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False
    return True


def _json_refusal(sniffed: Sniffed, pool: Sequence[Importer], accepted: str) -> str:
    document = sniffed.json
    if document in ([], {}) or (isinstance(document, dict) and document.get("data") == []):
        return (
            "Le fichier JSON ne contient aucun élément (liste « data » vide) : rien à importer. "
            f"Vérifiez la période ou la page demandées à l'export. {accepted}"
        )
    if isinstance(document, dict):
        keys = ", ".join(shorten(str(k), 40) for k in list(document)[:COLUMNS_SHOWN])
        found = f"un objet avec les clés : {keys or '(aucune)'}"
    elif isinstance(document, list):
        found = f"une liste de {len(document)} élément(s)"
    else:
        found = f"une valeur isolée ({type(document).__name__})"
    json_formats = [i for i in pool if getattr(i, "input_kind", "csv") == "json"]
    expected = (
        "; ".join(f"« {i.label} » : {getattr(i, 'expected_shape', '')}" for i in json_formats)
        or "aucun format JSON n'est pris en charge"
    )
    return f"Fichier JSON non reconnu : il contient {found}. Attendu : {expected}. {accepted}"


def _csv_refusal(sniffed: Sniffed, pool: Sequence[Importer], accepted: str) -> str:
    text = sniffed.text or ""
    start = text.lstrip()
    if start[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError as exc:
            where = f"ligne {exc.lineno}, colonne {exc.colno}" if hasattr(exc, "lineno") else ""
            return (
                f"Le fichier ressemble à du JSON mais il est invalide ou tronqué ({where} : "
                f"{getattr(exc, 'msg', exc)}) : un document JSON complet était attendu. {accepted}"
            )
        except RecursionError:
            return f"Document JSON trop profondément imbriqué pour être lu. {accepted}"
    if not sniffed.header:
        first = text.strip().splitlines()[0] if text.strip() else ""
        return (
            "Aucune ligne d'en-tête reconnue dans les premières lignes du fichier (première ligne : "
            f"« {shorten(first, 120)} ») : un CSV avec une ligne de titres de colonnes était "
            f"attendu. {accepted}"
        )
    found = list(sniffed.header)
    shown = ", ".join(shorten(h, 50) or "(vide)" for h in found[:COLUMNS_SHOWN])
    if len(found) > COLUMNS_SHOWN:
        shown += f"… (+{len(found) - COLUMNS_SHOWN})"
    closest = closest_formats(sniffed.header, pool)
    if not closest:
        return f"Colonnes trouvées : {shown} — aucun format connu n'a ces colonnes. {accepted}"
    parts = [
        f"{label} (colonnes manquantes : {', '.join(missing)})"
        for label, missing in closest[:CLOSEST_SHOWN]
    ]
    return f"Colonnes trouvées : {shown} — formats attendus les plus proches : {' ; '.join(parts)}."


def closest_formats(
    header: Sequence[str], pool: Sequence[Importer] | None = None
) -> list[tuple[str, list[str]]]:
    """(label, missing required columns) of the formats sharing columns with ``header``, best first.

    Uses each importer's ``header_signature`` (variant → required columns), when it has one.
    """
    pool = importers() if pool is None else list(pool)
    found = {header_key(h) for h in header}
    scored: list[tuple[float, int, str, list[str]]] = []
    for order, importer in enumerate(pool):
        signature = getattr(importer, "header_signature", None) or {}
        best: tuple[float, list[str], str] | None = None
        for variant, required in signature.items():
            missing = [column for column in required if header_key(column) not in found]
            share = 1 - len(missing) / len(required) if required else 0.0
            if best is None or share > best[0]:
                best = (share, missing, variant)
        if best is not None and best[0] > 0:
            share, missing, variant = best
            label = importer.label if len(signature) == 1 else f"{importer.label} [{variant}]"
            scored.append((share, order, label, missing))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(label, missing) for _, _, label, missing in scored]
