"""Importer for the FixMyStreet (mySociety) dashboard CSV export (``/dashboard?export=1``).

Header from the vendor's code (``perllib/FixMyStreet/Reporting.pm``) and tests: ``Report ID,
Title, Detail, User Name, Category, [Subcategory,] Created, Confirmed, Acknowledged, Fixed,
Closed, Status, Latitude, Longitude, Query, Ward, Easting, Northing, Report URL, Device Type,
Site Used, Reported As``; cobrands append columns. Timestamps are Perl DateTime strings,
``2024-01-15T10:23:45``, in the site's local time (no offset).

* created_at = Confirmed (the report reaches the council when its author confirms it),
  else Created for an unconfirmed report;
* acknowledged_at = Acknowledged (first state change after confirmation);
* closed_at = Fixed, else Closed: the first time the report left the open states (FixMyStreet
  fills Fixed at the first "fixed" update and Closed at the first closing one, so Fixed,
  when both exist, is the earlier). A report whose Status is open again keeps no closing time;
* ``User Name`` is a resident's name: never imported (the request schema has no
  pseudonymised author column).
"""

from __future__ import annotations

import numpy as np

from ingest.base import ImportContext, ParseResult, Sniffed
from ingest.canonical import REQUEST
from ingest.parsing import (
    CsvImporter,
    DateFamily,
    build_result,
    context_zone,
    header_key,
    lines_text,
)

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "tableau de bord": ("Report ID", "Title", "Category", "Created", "Confirmed", "Status"),
}

COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("Report ID",),
    "title": ("Title",),
    "detail": ("Detail",),
    "category": ("Category",),
    "subcategory": ("Subcategory",),
    "created": ("Created",),
    "confirmed": ("Confirmed",),
    "acknowledged_at": ("Acknowledged",),
    "fixed": ("Fixed",),
    "closed": ("Closed",),
    "status": ("Status",),
    "latitude": ("Latitude",),
    "longitude": ("Longitude",),
    "district": ("Ward",),
    "channel": ("Device Type", "Site Used"),
}

ISO_LOCAL = DateFamily(
    "AAAA-MM-JJTHH:MM:SS",
    ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f"),
)
# FixMyStreet states still open (Problem.pm open_states); any other state is fixed or closed.
OPEN_STATES = {
    header_key(s)
    for s in (
        "confirmed",
        "investigating",
        "in progress",
        "action scheduled",
        "planned",
        "for triage",
        "unconfirmed",
        "open",
    )
}
SOURCE = "fixmystreet"


class FixMyStreetImporter(CsvImporter):
    """FixMyStreet dashboard CSV → requests (source "fixmystreet")."""

    format_id = "fixmystreet"
    label = "FixMyStreet – export CSV du tableau de bord"
    kind = REQUEST
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        table, rows, col = self.mapped_table(sniffed)
        n = len(table.records)

        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        times = {}
        for name in ("created", "confirmed", "acknowledged_at", "fixed", "closed"):
            times[name] = rows.add_datetime(
                name,
                col[name],
                [ISO_LOCAL],
                tz,
                expected=ISO_LOCAL.label,
                required=name == "created",
            )
        rows.columns["created_at"] = times["confirmed"].fillna(times["created"])
        statuses = rows.add_text("status", col["status"], str.strip)
        reopened = [header_key(s or "") in OPEN_STATES for s in statuses]
        resolved = times["fixed"].fillna(times["closed"])
        rows.columns["closed_at"] = resolved.mask(np.asarray(reopened, dtype=bool))
        titles = rows.add_text("title", col["title"], str.strip)
        details = rows.add_text("detail", col["detail"], str.strip)
        rows.columns["description"] = [
            "\n".join(part for part in (t, d) if part) or None
            for t, d in zip(titles, details, strict=True)
        ]
        for name in ("category", "subcategory", "district", "channel"):
            rows.add_text(name, col[name], str.strip)
        rows.add_float("latitude", col["latitude"], decimal=".")
        rows.add_float("longitude", col["longitude"], decimal=".")
        rows.columns["source"] = [SOURCE] * n
        rows.reject_duplicates(native_ids)

        warnings = []
        again = [
            rows.line_of(r)
            for r in rows.kept_rows()
            if reopened[r] and resolved.iloc[r] == resolved.iloc[r]
        ]
        if again:
            warnings.append(
                f"{len(again)} signalement(s) résolu(s) puis rouvert(s) (statut ouvert mais "
                f"date « Fixed » ou « Closed », {lines_text(again)}) : comptés comme ouverts, "
                "sans date de clôture."
            )
        return build_result(self, table, rows, warnings)


IMPORTER = FixMyStreetImporter()
