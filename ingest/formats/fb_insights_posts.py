"""Importer for the legacy Facebook Insights "Post data" export (2013 – 2018).

Three flavours of one export, all real files seen (``/work/shared/realdata``):

* CSV: UTF-8 with BOM, row 1 the metric titles, row 2 their "Lifetime: …" descriptions,
  likes / comments / shares flattened into ``Lifetime Post Stories by action type - like`` …;
* XLSX (re-saved by Excel) and the ".xls" that is really SpreadsheetML 2003 XML: sheet
  "Key Metrics" with the same two header rows (titles in 2017-11, API ids such as
  ``post_impressions_unique:lifetime`` in 2017-07), and the like / comment / share counts on
  the sheet "Lifetime Post Stories by act..." (one header row, joined on Post ID).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.canonical import PUBLICATION
from ingest.parsing import (
    CsvTable,
    DateFamily,
    RowsBuilder,
    build_result,
    context_zone,
    csv_records,
    has_columns,
    header_key,
    lines_text,
    parse_count,
    read_csv_table,
    refuse_duplicated_columns,
    table_from_rows,
)
from ingest.xlsx import Sheet, Workbook, workbook_of, workbook_or_none

# Required header cells, per variant (Key Metrics sheet, or the CSV header).
HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "titres (CSV, XLSX)": ("Post ID", "Permalink", "Posted", "Lifetime Post Total Reach"),
    "identifiants d'API (.xls 2017)": (
        "Post ID",
        "Permalink",
        "Posted",
        "post_impressions_unique:lifetime",
    ),
}

# canonical (or helper) column ← header aliases: human title first, then API id. Titles the
# export repeats (organic / paid video views, once "Total Count", once "Unique Users") are
# told apart by their description row and renamed "<title> [Total Count]" before mapping.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("Post ID",),
    "permalink": ("Permalink",),
    "text": ("Post Message",),
    "post_type": ("Type",),
    "published_at": ("Posted",),
    "reach": ("Lifetime Post Total Reach", "post_impressions_unique:lifetime"),
    "impressions": ("Lifetime Post Total Impressions", "post_impressions:lifetime"),
    # Clicks anywhere in the post (Total Count).
    "clicks": ("Lifetime Post Consumptions", "post_consumptions:lifetime"),
    "video_organic": (
        "Lifetime Organic Video Views [Total Count]",
        "post_video_views_organic:lifetime",
    ),
    "video_paid": ("Lifetime Paid Video Views [Total Count]", "post_video_views_paid:lifetime"),
    # CSV flavour only: the "Post Stories" sheet flattened (Total Count, not unique users).
    "reactions": ("Lifetime Post Stories by action type - like",),
    "comments": ("Lifetime Post Stories by action type - comment",),
    "shares": ("Lifetime Post Stories by action type - share",),
}

# The workbook sheet with the like / comment / share counts (Total Count), joined on Post ID.
STORIES_SHEET = ("Lifetime Post Stories by action type", "Lifetime Post Stories by act")
STORIES_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("Post ID",),
    "reactions": ("like",),
    "comments": ("comment",),
    "shares": ("share",),
}

DATE_FAMILIES = [
    DateFamily(
        "AAAA-MM-JJ HH:MM:SS",
        ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"),
    ),
    DateFamily(
        "MM/JJ/AAAA hh:mm:ss AM/PM",
        ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"),
    ),
]
EXPECTED_TIME = "MM/JJ/AAAA hh:mm:ss AM/PM (CSV) ou une date Excel"

_DESCRIPTION = re.compile(r"\s*(lifetime|daily|weekly|28 days)\s*:", re.IGNORECASE)
_SUFFIX = re.compile(r"\(([^()]*)\)\s*$")
_PAGE_SLUG = re.compile(r"https?://(?:www\.|m\.)?facebook\.com/([^/?#]+)/", re.IGNORECASE)
_NOT_A_PAGE = {"permalink.php", "photo.php", "story.php", "groups", "events", "watch"}


def is_description_row(cells: Sequence[str]) -> bool:
    """True for the second header row of a legacy Insights export ("Lifetime: The number…")."""
    filled = [c for c in cells if str(c).strip()]
    return bool(filled) and all(_DESCRIPTION.match(str(c)) for c in filled)


def disambiguated_header(header: Sequence[str], descriptions: Sequence[str] | None) -> list[str]:
    """``header`` with each repeated title suffixed by its description's unit, "[Total Count]".

    Without a description (or when two descriptions end alike) the repeats get "[2]", "[3]"….
    """
    keys = [header_key(h) for h in header]
    counts = Counter(keys)
    out = list(header)
    used: set[str] = set()
    for i, h in enumerate(header):
        if counts[keys[i]] < 2:
            continue
        description = descriptions[i] if descriptions and i < len(descriptions) else ""
        match = _SUFFIX.search(str(description or ""))
        candidate = f"{h} [{match.group(1).strip()}]" if match else ""
        if not candidate or header_key(candidate) in used:
            n = 2
            while header_key(f"{h} [{n}]") in used:
                n += 1
            candidate = f"{h} [{n}]" if header_key(h) in used else h
        used.add(header_key(candidate))
        out[i] = candidate
    return out


class FbInsightsPostsImporter:
    """Legacy Facebook Insights "Post data" (CSV, XLSX, SpreadsheetML .xls) → publications."""

    format_id = "fb_insights_posts"
    label = "Facebook Insights – ancien export « Post data » (CSV, XLS ou XLSX, 2013-2018)"
    kind = PUBLICATION
    input_kind = "csv"
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP
    expected_sheets = "« Key Metrics » (+ « Lifetime Post Stories by act... »)"

    def identify(self, sniffed: Sniffed) -> bool:
        if sniffed.kind == "csv":
            return any(has_columns(sniffed, r) for r in HEADER_SIGNATURE.values())
        workbook = workbook_or_none(sniffed)
        return workbook is not None and _key_metrics(workbook) is not None

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        warnings: list[str] = []
        stories: dict[str, tuple[int, dict[str, int | None], list[str]]] | None = None
        if sniffed.kind == "csv":
            table = _csv_table(sniffed)
        else:
            workbook = workbook_of(sniffed)
            found = _key_metrics(workbook) if workbook is not None else None
            if workbook is None or found is None:
                raise ImportRefused(
                    "Feuille « Key Metrics » introuvable : un export Facebook Insights « Post "
                    "data » était attendu."
                )
            table = _sheet_table(*found)
            stories_sheet = workbook.sheet_named(*STORIES_SHEET)
            if stories_sheet is not None:
                stories = _stories(stories_sheet)
        rows = RowsBuilder(table)
        col = {name: table.column(aliases) for name, aliases in COLUMN_MAP.items()}
        n = len(table.records)

        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        permalinks = rows.add_text("permalink", col["permalink"], str.strip)
        rows.add_text("text", col["text"])
        rows.add_text("post_type", col["post_type"], str.strip)
        rows.add_datetime(
            "published_at",
            col["published_at"],
            DATE_FAMILIES,
            tz,
            expected=EXPECTED_TIME,
            required=True,
        )
        for name in ("reach", "impressions", "clicks"):
            rows.add_count(name, col[name])
        organic = rows.add_count("video_organic", col["video_organic"])
        paid = rows.add_count("video_paid", col["video_paid"])
        rows.columns["video_views"] = [
            None if o is None and p is None else (o or 0) + (p or 0)
            for o, p in zip(organic, paid, strict=True)
        ]
        rows.columns["platform"] = ["facebook"] * n
        rows.columns["account"] = [
            _account(link, post_id) for link, post_id in zip(permalinks, native_ids, strict=True)
        ]

        if sniffed.kind == "csv":
            for name in ("reactions", "comments", "shares"):
                rows.add_count(name, col[name])
            if col["reactions"] is None:
                warnings.append(
                    "Colonnes « Lifetime Post Stories by action type - like / comment / share » "
                    "absentes : les réactions, commentaires et partages ne sont pas importés."
                )
        else:
            _join_stories(rows, native_ids, stories, warnings)

        rows.reject_duplicates(native_ids)
        return build_result(self, table, rows, warnings)


def _key_metrics(workbook: Workbook) -> tuple[Sheet, int] | None:
    """The "Key Metrics" sheet (the one with Post ID, Posted and reach) and its header position."""
    for required in HEADER_SIGNATURE.values():
        found = workbook.sheet_with(required)
        if found is not None:
            return found
    return None


def _csv_table(sniffed: Sniffed) -> CsvTable:
    return legacy_csv_table(sniffed, COLUMN_MAP)


def _sheet_table(sheet: Sheet, position: int) -> CsvTable:
    return legacy_sheet_table(sheet, position, COLUMN_MAP)


def legacy_csv_table(sniffed: Sniffed, column_map: dict[str, tuple[str, ...]]) -> CsvTable:
    """The CSV's records, the description row skipped and repeated titles told apart."""
    header = list(sniffed.header)
    description: list[str] | None = None
    if sniffed.text is not None and sniffed.header_row is not None:
        for index, record in enumerate(csv_records(sniffed.text, sniffed.separator or ",")):
            if index == sniffed.header_row + 1:
                description = record.cells
                break
    has_description = description is not None and is_description_row(description)
    renamed = disambiguated_header(header, description if has_description else None)
    refuse_duplicated_columns(renamed, column_map)
    return read_csv_table(
        sniffed, column_map.values(), header=renamed, skip=1 if has_description else 0
    )


def legacy_sheet_table(
    sheet: Sheet, position: int, column_map: dict[str, tuple[str, ...]]
) -> CsvTable:
    """The sheet's rows under its header, the description row skipped, repeats told apart."""
    rows = sheet.text_rows()
    header = rows[position][1]
    description = rows[position + 1][1] if position + 1 < len(rows) else None
    has_description = description is not None and is_description_row(description)
    renamed = disambiguated_header(header, description if has_description else None)
    refuse_duplicated_columns(renamed, column_map)
    return table_from_rows(
        rows, position, column_map.values(), header=renamed, skip=1 if has_description else 0
    )


def _stories(sheet: Sheet) -> dict[str, tuple[int, dict[str, int | None], list[str]]] | None:
    """Post ID → (sheet row, like/comment/share counts, problems) from the "Post Stories" sheet."""
    position = sheet.header_index(("Post ID",))
    if position is None:
        return None
    rows = sheet.text_rows()
    refuse_duplicated_columns(rows[position][1], STORIES_MAP)
    table = table_from_rows(rows, position, STORIES_MAP.values())
    col = {name: table.column(aliases) for name, aliases in STORIES_MAP.items()}
    out: dict[str, tuple[int, dict[str, int | None], list[str]]] = {}
    for position_in_table, record in enumerate(table.records):
        cells = {name: table.cells(col[name])[position_in_table] for name in STORIES_MAP}
        post_id = cells["native_id"].strip()
        if not post_id:
            continue
        counts: dict[str, int | None] = {}
        problems: list[str] = []
        for name in ("reactions", "comments", "shares"):
            try:
                counts[name] = parse_count(cells[name])
            except ValueError as exc:
                counts[name] = None
                header = STORIES_MAP[name][0]
                problems.append(
                    f"feuille « {sheet.name} » ligne {record.line}, colonne « {header} » : {exc} "
                    "(attendu un nombre entier)"
                )
        out.setdefault(post_id, (record.line, counts, problems))
    return out


def _join_stories(
    rows: RowsBuilder,
    native_ids: list[str | None],
    stories: dict[str, tuple[int, dict[str, int | None], list[str]]] | None,
    warnings: list[str],
) -> None:
    """reactions / comments / shares of each post from the "Post Stories" sheet."""
    for name in ("reactions", "comments", "shares"):
        rows.columns[name] = [None] * len(native_ids)
    if stories is None:
        warnings.append(
            "Feuille « Lifetime Post Stories by action type » absente : les réactions, "
            "commentaires et partages ne sont pas importés (seuls les chiffres de « Key "
            "Metrics » le sont)."
        )
        return
    missing: list[int] = []
    for row, post_id in enumerate(native_ids):
        if post_id is None:
            continue
        found = stories.get(post_id)
        if found is None:
            missing.append(rows.line_of(row))
            continue
        _line, counts, problems = found
        for name, value in counts.items():
            rows.columns[name][row] = value
        for problem in problems:
            rows.problem(row, problem)
    if missing:
        warnings.append(
            f"{len(missing)} publication(s) de « Key Metrics » absente(s) de la feuille des "
            f"réactions ({lines_text(missing)}) : réactions, commentaires et partages laissés vides."
        )


def _account(permalink: str | None, post_id: str | None) -> str | None:
    """The page's name from the permalink (facebook.com/<page>/…), else its id (Post ID prefix)."""
    match = _PAGE_SLUG.match(permalink or "")
    if match and match.group(1).lower() not in _NOT_A_PAGE:
        return match.group(1)
    if post_id and "_" in post_id:
        return post_id.split("_", 1)[0]
    return None


IMPORTER = FbInsightsPostsImporter()
