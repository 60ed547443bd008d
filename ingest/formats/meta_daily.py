"""Importer for Meta Business Suite page-level daily series ("Facebook follows" …).

DOC ONLY (no real file seen): UTF-16 LE with BOM, line 1 ``sep=,``, line 2 the metric name
(``"Facebook follows"``, ``"Views"``, ``"Facebook visits"`` …), line 3 ``"Date","Primary"``,
then ``"2025-08-01T00:00:00","20"`` per day. Only follow / follower series are audience data:
any other metric is refused with its name (documented choice: importing views as followers
would be wrong, and nothing else in the canonical schema takes them).
"""

from __future__ import annotations

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.canonical import AUDIENCE
from ingest.parsing import (
    UNNAMED_ACCOUNT,
    CsvImporter,
    DateFamily,
    build_result,
    csv_records,
    header_key,
    shorten,
    unnamed_account_warning,
)

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "série quotidienne": ("Date", "Primary"),
}

COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "date": ("Date",),
    "followers": ("Primary",),
}

DATE_FAMILIES = [
    DateFamily("AAAA-MM-JJTHH:MM:SS", ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")),
]

# Metric names (by header key) → (platform, True when it counts new follows per day).
# "follows" = follows gained that day; "followers" = the total on that day.
FOLLOW_METRICS: dict[str, tuple[str, bool]] = {
    "facebook follows": ("facebook", True),
    "instagram follows": ("instagram", True),
    "facebook followers": ("facebook", False),
    "instagram followers": ("instagram", False),
    "abonnements facebook": ("facebook", True),
    "abonnements instagram": ("instagram", True),
    "abonnes facebook": ("facebook", False),
    "abonnes instagram": ("instagram", False),
    "followers facebook": ("facebook", False),
    "followers instagram": ("instagram", False),
}


class MetaDailyImporter(CsvImporter):
    """Meta Business Suite daily series (follows / followers) → audience."""

    format_id = "meta_daily"
    label = "Meta Business Suite – série quotidienne d'abonnés (« Facebook follows », UTF-16)"
    kind = AUDIENCE
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def identify(self, sniffed: Sniffed) -> bool:
        return (
            sniffed.kind == "csv"
            and len(sniffed.header) == 2
            and {header_key(h) for h in sniffed.header} == {"date", "primary"}
        )

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        metric = _metric_name(sniffed)
        known = FOLLOW_METRICS.get(header_key(metric or ""))
        if known is None:
            named = f"« {shorten(metric, 60)} »" if metric else "(aucun nom de série)"
            raise ImportRefused(
                f"Série Meta Business Suite {named} : seules les séries d'abonnés (« Facebook "
                "follows », « Instagram follows », « … followers ») sont importées, comme "
                "audience. Les vues, visites, interactions ou la couverture de la Page n'ont pas "
                "encore de place dans Parvis ; exportez la série « Facebook follows »."
            )
        platform, daily_new = known
        table, rows, col = self.mapped_table(sniffed)
        n = len(table.records)
        days = rows.add_date(
            "date", col["date"], DATE_FAMILIES, expected="AAAA-MM-JJTHH:MM:SS", required=True
        )
        counts = rows.add_count("followers", col["followers"])
        for row, value in enumerate(counts):
            if value is None:
                rows.problem(row, "colonne « Primary » vide : un nombre était attendu")
        rows.columns["platform"] = [platform] * n
        rows.columns["account"] = [UNNAMED_ACCOUNT] * n
        rows.reject_duplicates([None if d != d else str(d.date()) for d in days])
        warnings = [unnamed_account_warning(platform.capitalize())] if n else []
        if daily_new and n:
            warnings.append(
                f"La série « {metric} » compte les abonnements gagnés chaque jour, pas le total "
                "des abonnés : la colonne « abonnés » contiendra ces nouveaux abonnements "
                "quotidiens. Additionnez-les pour une évolution, ne les lisez pas comme un total."
            )
        return build_result(self, table, rows, warnings)


def _metric_name(sniffed: Sniffed) -> str | None:
    """The one-cell line just above the header (line 2 of the file, after ``sep=,``)."""
    if sniffed.text is None or not sniffed.header_row:
        return None
    previous: list[str] | None = None
    for index, record in enumerate(csv_records(sniffed.text, sniffed.separator or ",")):
        if index == sniffed.header_row:
            break
        previous = record.cells
    if not previous:
        return None
    filled = [c.strip() for c in previous if c.strip()]
    if len(filled) != 1 or filled[0].lower().startswith("sep="):
        return None
    return filled[0]


IMPORTER = MetaDailyImporter()
