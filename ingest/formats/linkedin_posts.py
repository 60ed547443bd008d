"""Importer for the LinkedIn Page content export (Page admin > Analytics > Content > Export).

DOC ONLY (no real file seen): an ``.xlsx`` (or, older, a BIFF ``.xls``) whose sheet
"All posts" has a note on row 1 and the header on row 2: ``Post title, Post link, Post type,
…, Created date, …, Impressions, Views (excluding off-site video views), Clicks, …, Likes,
Comments, Reposts, …``. Older exports say ``Update title / Update link / Update type`` and
``Shares``. ``Created date`` is ``MM/DD/YYYY`` (a day, no time). The daily "Metrics" sheet of
the same workbook is not imported.
"""

from __future__ import annotations

import hashlib
import re

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.canonical import PUBLICATION
from ingest.parsing import (
    CsvTable,
    DateFamily,
    RowsBuilder,
    build_result,
    context_zone,
    date_only_warning,
    has_columns,
    lines_text,
    read_csv_table,
    refuse_duplicated_columns,
)
from ingest.xlsx import locate_table, sheet_table, workbook_of, workbook_or_none

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "« Post … » (actuel)": ("Post title", "Post link", "Created date", "Impressions"),
    "« Update … » (ancien)": ("Update title", "Update link", "Created date", "Impressions"),
}

# canonical (or helper) column ← header aliases, first found wins.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "link": ("Post link", "Update link"),
    "text": ("Post title", "Update title"),
    "post_type": ("Content Type", "Post type", "Update type"),
    "published_at": ("Created date",),
    "impressions": ("Impressions",),
    "video_views": ("Views (excluding off-site video views)", "Video views", "Views"),
    "clicks": ("Clicks",),
    "reactions": ("Reactions", "Likes"),
    "comments": ("Comments",),
    "shares": ("Reposts", "Shares"),
}

SHEETS = ("All posts", "All updates")
DATE_FAMILIES = [
    DateFamily("MM/JJ/AAAA", ("%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")),
    DateFamily("date Excel", ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")),
]
EXPECTED_DATE = "MM/JJ/AAAA ou une date Excel"
_URN = re.compile(r"urn:li:(?:activity|share|ugcPost):\d+", re.IGNORECASE)


def post_id(link: str | None) -> str | None:
    """The post's URN in a LinkedIn link (``urn:li:activity:7…``), else the link itself."""
    if not link or not link.strip():
        return None
    match = _URN.search(link)
    return match.group(0) if match else link.strip()


class LinkedinPostsImporter:
    """LinkedIn Page "All posts" sheet (XLSX, XLS or CSV) → publications (platform linkedin)."""

    format_id = "linkedin_posts"
    label = "LinkedIn – export des publications de la Page (feuille « All posts », XLSX ou XLS)"
    kind = PUBLICATION
    input_kind = "csv"
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP
    expected_sheets = "« All posts » (en-tête « Post title, Post link, … Created date »)"

    def identify(self, sniffed: Sniffed) -> bool:
        if sniffed.kind == "csv":
            return any(has_columns(sniffed, r) for r in HEADER_SIGNATURE.values())
        workbook = workbook_or_none(sniffed)
        return (
            workbook is not None
            and locate_table(workbook, list(HEADER_SIGNATURE.values()), SHEETS) is not None
        )

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        table = _table(sniffed)
        rows = RowsBuilder(table)
        col = {name: table.column(aliases) for name, aliases in COLUMN_MAP.items()}
        n = len(table.records)

        links = rows.add_text("link", col["link"], str.strip)
        texts = rows.add_text("text", col["text"])
        rows.columns["permalink"] = links
        rows.add_text("post_type", col["post_type"], str.strip)
        cells = rows.cells(col["published_at"])
        published = rows.add_datetime(
            "published_at",
            col["published_at"],
            DATE_FAMILIES,
            tz,
            expected=EXPECTED_DATE,
            required=True,
        )
        for name in ("impressions", "video_views", "clicks", "reactions", "comments", "shares"):
            rows.add_count(name, col[name])

        native_ids: list[str | None] = []
        unlinked: list[int] = []
        for row, (link, text) in enumerate(zip(links, texts, strict=True)):
            native = post_id(link)
            if native is None:
                # No link (some sponsored posts): a stable id from the day and the text.
                digest = hashlib.sha256(f"{cells[row].strip()}|{text or ''}".encode()).hexdigest()
                native = f"sans-lien-{digest[:16]}"
                unlinked.append(rows.line_of(row))
            native_ids.append(native)
        rows.columns["native_id"] = native_ids
        rows.columns["platform"] = ["linkedin"] * n
        rows.reject_duplicates(native_ids)

        warnings: list[str] = []
        if unlinked:
            warnings.append(
                f"{len(unlinked)} publication(s) sans lien ({lines_text(unlinked)}) : identifiées "
                "par leur date et leur titre ; modifier le titre créera un doublon à l'import suivant."
            )
        midnight = [
            rows.line_of(r)
            for r in rows.kept_rows()
            if published.iloc[r] == published.iloc[r]
            and ":" not in cells[r].replace(" 00:00:00", "")
        ]
        if midnight:
            warnings.append(
                date_only_warning(rows.header_of(col["published_at"]), midnight, str(tz))
            )
        return build_result(self, table, rows, warnings)


def _table(sniffed: Sniffed) -> CsvTable:
    if sniffed.kind == "csv":
        refuse_duplicated_columns(sniffed.header, COLUMN_MAP)
        return read_csv_table(sniffed, COLUMN_MAP.values())
    workbook = workbook_of(sniffed)
    found = locate_table(workbook, list(HEADER_SIGNATURE.values()), SHEETS) if workbook else None
    if found is None:
        raise ImportRefused(
            "Feuille « All posts » introuvable : un export LinkedIn des publications était attendu."
        )
    return sheet_table(*found, COLUMN_MAP)


IMPORTER = LinkedinPostsImporter()
