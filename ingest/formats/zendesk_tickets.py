"""Importer for Zendesk tickets as CSV (API field names, or the admin export's titles).

DOC ONLY: API names ``id, created_at, updated_at, status, priority, subject, requester_id,
assignee_id, group_id, via.channel, tags`` plus ``solved_at`` (ticket metrics) when present;
the admin "CSV export" titles (``Id, Created at, Solved at, Status, Subject, Group, Via,
Ticket type, First reply time in minutes, Satisfaction Score…``) are accepted as aliases.
Datetimes are ISO 8601 (``2026-03-04T09:15:00Z``) or the admin export's local
``2026-03-04 09:15``. Requester and assignee (people) are never imported.
"""

from __future__ import annotations

import pandas as pd

from ingest.base import ImportContext, ParseResult, Sniffed
from ingest.canonical import REQUEST
from ingest.parsing import (
    CsvImporter,
    DateFamily,
    build_result,
    context_zone,
    header_key,
)

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "API (snake_case)": ("id", "created_at", "status", "subject", "requester_id"),
    "export d'administration": ("Id", "Created at", "Status", "Subject", "Requester id"),
}

COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("id", "Id"),
    "created_at": ("created_at", "Created at"),
    "closed_at": ("solved_at", "Solved at"),
    "status": ("status", "Status"),
    "description": ("subject", "Subject"),
    "category": ("type", "Ticket type"),
    # The group (a team: "Voirie", "État civil") is the service; its name when exported.
    "service": ("group_name", "group", "Group", "group_id"),
    "channel": ("via.channel", "via_channel", "Via"),
    "first_reply_minutes": ("First reply time in minutes",),
    "due_at": ("due_at", "Due date"),
}

ISO = DateFamily(
    "ISO 8601 (AAAA-MM-JJTHH:MM:SSZ)",
    (
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S.%f%z",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
    ),
)
SOURCE = "zendesk"
SATISFACTION = {header_key(h) for h in ("Satisfaction Score", "satisfaction_rating.score")}


class ZendeskTicketsImporter(CsvImporter):
    """Zendesk tickets CSV → requests (source "zendesk", service = group)."""

    format_id = "zendesk_tickets"
    label = "Zendesk – tickets (CSV)"
    kind = REQUEST
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        table, rows, col = self.mapped_table(sniffed)
        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        created = rows.add_datetime(
            "created_at", col["created_at"], [ISO], tz, expected=ISO.label, required=True
        )
        rows.add_datetime("closed_at", col["closed_at"], [ISO], tz, expected=ISO.label)
        rows.add_datetime("due_at", col["due_at"], [ISO], tz, expected=ISO.label)
        for name in ("status", "description", "category", "service", "channel"):
            rows.add_text(name, col[name], str.strip)
        minutes = rows.add_count("first_reply_minutes", col["first_reply_minutes"])
        rows.columns["first_response_at"] = [
            created.iloc[r] + pd.Timedelta(minutes=m)
            if m is not None and created.iloc[r] == created.iloc[r]
            else None
            for r, m in enumerate(minutes)
        ]
        rows.columns["source"] = [SOURCE] * len(table.records)
        rows.reject_duplicates(native_ids)
        warnings = _warnings(table.keys, col)
        return build_result(self, table, rows, warnings)


def _warnings(keys: tuple[str, ...], col: dict[str, int | None]) -> list[str]:
    warnings = []
    if col["closed_at"] is None:
        warnings.append(
            "Pas de colonne « solved_at » : les dates de résolution sont inconnues et les délais "
            "de traitement ne peuvent pas être calculés. Ajoutez la métrique « solved_at » "
            "(ticket_metrics) à l'export."
        )
    if any(k in SATISFACTION for k in keys):
        warnings.append(
            "La note de satisfaction des tickets n'est pas importée : Parvis n'a pas encore de "
            "place pour elle."
        )
    return warnings


IMPORTER = ZendeskTicketsImporter()
