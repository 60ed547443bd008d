"""Importer for the LinkedIn Page followers export (Page admin > Analytics > Followers > Export).

DOC ONLY (no real file seen): a workbook whose sheet "New followers" has ``Date, Sponsored
followers, Organic followers, Auto-invited followers, Total followers`` (a note row may sit
above the header), plus demographic sheets that are not imported.

``Total followers`` is read as the cumulative number of followers, unless it is, on every
row, exactly the sum of the three other columns: then it is the day's new followers (that
is what LinkedIn's own export seems to give) and a warning says so. Without a total
column the day's new followers (sum of the three) are imported, with the same warning.
"""

from __future__ import annotations

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.canonical import AUDIENCE
from ingest.parsing import (
    UNNAMED_ACCOUNT,
    CsvTable,
    DateFamily,
    RowsBuilder,
    build_result,
    has_columns,
    read_csv_table,
    refuse_duplicated_columns,
    unnamed_account_warning,
)
from ingest.xlsx import locate_table, sheet_table, workbook_of, workbook_or_none

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "nouveaux abonnés": ("Date", "Organic followers", "Sponsored followers"),
}

COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "date": ("Date",),
    "sponsored": ("Sponsored followers",),
    "organic": ("Organic followers",),
    "auto_invited": ("Auto-invited followers",),
    "total": ("Total followers",),
}

SHEETS = ("New followers",)
DATE_FAMILIES = [
    DateFamily("MM/JJ/AAAA", ("%m/%d/%Y",)),
    DateFamily("date Excel", ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")),
]


class LinkedinFollowersImporter:
    """LinkedIn "New followers" sheet → audience (platform linkedin)."""

    format_id = "linkedin_followers"
    label = "LinkedIn – export des abonnés de la Page (feuille « New followers », XLSX ou XLS)"
    kind = AUDIENCE
    input_kind = "csv"
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP
    expected_sheets = (
        "« New followers » (en-tête « Date, Sponsored followers, Organic followers… »)"
    )

    def identify(self, sniffed: Sniffed) -> bool:
        if sniffed.kind == "csv":
            return any(has_columns(sniffed, r) for r in HEADER_SIGNATURE.values())
        workbook = workbook_or_none(sniffed)
        return (
            workbook is not None
            and locate_table(workbook, list(HEADER_SIGNATURE.values()), SHEETS) is not None
        )

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        table = _table(sniffed)
        rows = RowsBuilder(table)
        col = {name: table.column(aliases) for name, aliases in COLUMN_MAP.items()}
        n = len(table.records)
        days = rows.add_date(
            "date", col["date"], DATE_FAMILIES, expected="MM/JJ/AAAA", required=True
        )
        parts = [
            rows.add_count(name, col[name]) for name in ("sponsored", "organic", "auto_invited")
        ]
        totals = rows.add_count("total", col["total"])
        sums = [
            None if all(p is None for p in values) else sum(p or 0 for p in values)
            for values in zip(*parts, strict=True)
        ]
        warnings: list[str] = []
        if col["total"] is not None:
            complete = [
                r
                for r in range(n)
                if totals[r] is not None and all(p[r] is not None for p in parts)
            ]
            daily = bool(complete) and all(totals[r] == sums[r] for r in complete)
            followers = totals
            if daily:
                warnings.append(
                    "« Total followers » vaut chaque jour la somme des abonnés sponsorisés, "
                    "organiques et invités : ce sont les nouveaux abonnés du jour, pas le total "
                    "de la Page. La colonne « abonnés » contiendra ces nouveaux abonnés quotidiens."
                )
        else:
            followers = sums
            if n:
                warnings.append(
                    "Pas de colonne « Total followers » : les abonnés importés sont les nouveaux "
                    "abonnés du jour (sponsorisés + organiques + invités), pas le total de la Page."
                )
        rows.columns["followers"] = followers
        for row, value in enumerate(followers):
            if value is None:
                rows.problem(row, "aucun nombre d'abonnés sur la ligne")
        rows.columns["platform"] = ["linkedin"] * n
        rows.columns["account"] = [UNNAMED_ACCOUNT] * n
        rows.reject_duplicates([None if d != d else str(d.date()) for d in days])
        if n:
            warnings.insert(0, unnamed_account_warning("LinkedIn"))
        return build_result(self, table, rows, warnings)


def _table(sniffed: Sniffed) -> CsvTable:
    if sniffed.kind == "csv":
        refuse_duplicated_columns(sniffed.header, COLUMN_MAP)
        return read_csv_table(sniffed, COLUMN_MAP.values())
    workbook = workbook_of(sniffed)
    found = locate_table(workbook, list(HEADER_SIGNATURE.values()), SHEETS) if workbook else None
    if found is None:
        raise ImportRefused(
            "Feuille « New followers » introuvable : un export LinkedIn des abonnés était attendu."
        )
    return sheet_table(*found, COLUMN_MAP)


IMPORTER = LinkedinFollowersImporter()
