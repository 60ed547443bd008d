"""Importer for the legacy Facebook Insights page-level export (daily "Key Metrics", 2013-2018).

Real file seen: a SpreadsheetML ".xls" of 38 sheets whose "Key Metrics" sheet has one row per
day, API ids as titles (``page_fans:lifetime``, ``page_fan_adds_unique:day`` …) and a
"Lifetime: …" description row. Only the number of fans (people who like the Page, the
"followers" of that time) is imported; the other series have no canonical column yet.
"""

from __future__ import annotations

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.canonical import AUDIENCE
from ingest.formats.fb_insights_posts import legacy_csv_table, legacy_sheet_table
from ingest.parsing import (
    UNNAMED_ACCOUNT,
    DateFamily,
    RowsBuilder,
    build_result,
    has_columns,
    unnamed_account_warning,
)
from ingest.xlsx import Workbook, workbook_of, workbook_or_none

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "identifiants d'API (.xls)": ("Date", "page_fans:lifetime"),
    "titres (CSV, XLSX)": ("Date", "Lifetime Total Likes"),
}

# canonical column ← header aliases (API id, then the title of the same metric).
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "date": ("Date",),
    "followers": ("page_fans:lifetime", "Lifetime Total Likes"),
}

DATE_FAMILIES = [
    DateFamily("AAAA-MM-JJ", ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S.%f")),
    DateFamily("MM/JJ/AAAA", ("%m/%d/%Y", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S")),
]
PLATFORM = "facebook"


class FbInsightsPageImporter:
    """Legacy Facebook Insights page export → audience (fans of the Page per day)."""

    format_id = "fb_insights_page"
    label = "Facebook Insights – ancien export « Page » (fans par jour, XLS ou CSV, 2013-2018)"
    kind = AUDIENCE
    input_kind = "csv"
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP
    expected_sheets = "« Key Metrics » avec les colonnes « Date » et « page_fans:lifetime »"

    def identify(self, sniffed: Sniffed) -> bool:
        if sniffed.kind == "csv":
            return any(has_columns(sniffed, r) for r in HEADER_SIGNATURE.values())
        workbook = workbook_or_none(sniffed)
        return workbook is not None and _key_metrics(workbook) is not None

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        if sniffed.kind == "csv":
            table = legacy_csv_table(sniffed, COLUMN_MAP)
        else:
            workbook = workbook_of(sniffed)
            found = _key_metrics(workbook) if workbook is not None else None
            if found is None:
                raise ImportRefused(
                    "Feuille « Key Metrics » introuvable : un export Facebook Insights de Page "
                    "était attendu."
                )
            table = legacy_sheet_table(*found, COLUMN_MAP)
        rows = RowsBuilder(table)
        col = {name: table.column(aliases) for name, aliases in COLUMN_MAP.items()}
        days = rows.add_date(
            "date", col["date"], DATE_FAMILIES, expected="AAAA-MM-JJ", required=True
        )
        followers = rows.add_count("followers", col["followers"])
        header = rows.header_of(col["followers"])
        for row, value in enumerate(followers):
            if value is None:
                rows.problem(row, f"colonne « {header} » vide : un nombre de fans était attendu")
        n = len(table.records)
        rows.columns["platform"] = [PLATFORM] * n
        rows.columns["account"] = [UNNAMED_ACCOUNT] * n
        rows.reject_duplicates([None if d != d else str(d.date()) for d in days])
        warnings = [unnamed_account_warning("Facebook")] if n else []
        return build_result(self, table, rows, warnings)


def _key_metrics(workbook: Workbook):
    for required in HEADER_SIGNATURE.values():
        found = workbook.sheet_with(required)
        if found is not None:
            return found
    return None


IMPORTER = FbInsightsPageImporter()
