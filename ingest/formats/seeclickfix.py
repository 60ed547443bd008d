"""Importer for SeeClickFix issues (API v2 ``/issues``: ``{"issues": […], "metadata": …}``).

DOC ONLY (SeeClickFix/dev.seeclickfix.com ``lib/resources.rb``): ``id, status (Open |
Acknowledged | Closed | Archived), summary, description, lat, lng, address, created_at,
acknowledged_at, closed_at, reporter{…}, …``, datetimes ISO 8601 with offset. The reporter
(a resident's name and avatar) is personal data and is not imported.
"""

from __future__ import annotations

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.canonical import REQUEST
from ingest.formats.open311 import ISO
from ingest.parsing import RowsBuilder, build_result, context_zone, table_from_records

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "API v2 /issues": ("id", "status", "summary", "created_at"),
}

COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("id",),
    "status": ("status",),
    "category": ("summary",),
    "subcategory": ("request_type.title",),
    "description": ("description",),
    "created_at": ("created_at",),
    "acknowledged_at": ("acknowledged_at",),
    "closed_at": ("closed_at",),
    "latitude": ("lat",),
    "longitude": ("lng",),
}

SOURCE = "seeclickfix"


def issues_of(document: object) -> list | None:
    if isinstance(document, dict) and isinstance(document.get("issues"), list):
        return document["issues"]
    if isinstance(document, list):
        return document
    return None


class SeeClickFixImporter:
    """SeeClickFix issues JSON → requests (source "seeclickfix")."""

    format_id = "seeclickfix"
    label = "SeeClickFix – signalements (JSON de l'API v2)"
    kind = REQUEST
    input_kind = "json"
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP
    expected_shape = (
        '{"issues": [signalement…]} ou une liste, chaque signalement avec "id", "status", '
        '"summary" et "created_at"'
    )

    def identify(self, sniffed: Sniffed) -> bool:
        if sniffed.kind != "json":
            return False
        required = HEADER_SIGNATURE["API v2 /issues"]
        objects = [i for i in issues_of(sniffed.json) or [] if isinstance(i, dict)]
        return bool(objects) and all(all(k in i for k in required) for i in objects)

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        items = issues_of(sniffed.json)
        if items is None:
            raise ImportRefused(f"JSON SeeClickFix non reconnu : attendu {self.expected_shape}.")
        table = table_from_records(items, COLUMN_MAP.values(), "signalement")
        rows = RowsBuilder(table)
        col = {name: table.column(aliases) for name, aliases in COLUMN_MAP.items()}
        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        rows.add_datetime(
            "created_at", col["created_at"], [ISO], tz, expected=ISO.label, required=True
        )
        for name in ("acknowledged_at", "closed_at"):
            rows.add_datetime(name, col[name], [ISO], tz, expected=ISO.label)
        for name in ("status", "category", "subcategory", "description"):
            rows.add_text(name, col[name], str.strip)
        rows.add_float("latitude", col["latitude"], decimal=".")
        rows.add_float("longitude", col["longitude"], decimal=".")
        rows.columns["source"] = [SOURCE] * len(table.records)
        rows.reject_duplicates(native_ids)
        return build_result(self, table, rows)


IMPORTER = SeeClickFixImporter()
