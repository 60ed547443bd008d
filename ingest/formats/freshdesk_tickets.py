"""Importer for the Freshdesk tickets CSV export (Tickets > Export).

DOC ONLY: ``Ticket ID, Subject, Status, Priority, Source, Type, Agent, Group, Created time,
Due by Time, Resolved time, Closed time, Last update time, Initial response time, …,
Resolution time (in hrs), Resolution status, …``, times ``2026-03-04 09:15:00`` in the
helpdesk's time zone (no offset: read in the context time zone). closed_at = Resolved time
(when the agent solved it), else Closed time; first_response_at = Initial response time.
Agent (a person) is never imported.
"""

from __future__ import annotations

from ingest.base import ImportContext, ParseResult, Sniffed
from ingest.canonical import REQUEST
from ingest.parsing import CsvImporter, DateFamily, build_result, context_zone

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "export des tickets": ("Ticket ID", "Subject", "Status", "Created time"),
}

COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("Ticket ID",),
    "description": ("Subject",),
    "status": ("Status",),
    "category": ("Type",),
    "service": ("Group",),
    "channel": ("Source",),
    "created_at": ("Created time",),
    "closed_at": ("Resolved time", "Closed time"),
    "first_response_at": ("Initial response time",),
    "due_at": ("Due by Time",),
}

LOCAL = DateFamily(
    "AAAA-MM-JJ HH:MM:SS",
    ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"),
)
SOURCE = "freshdesk"


class FreshdeskTicketsImporter(CsvImporter):
    """Freshdesk tickets CSV → requests (source "freshdesk", service = group)."""

    format_id = "freshdesk_tickets"
    label = "Freshdesk – tickets (CSV)"
    kind = REQUEST
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        table, rows, col = self.mapped_table(sniffed)
        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        for name in ("created_at", "closed_at", "first_response_at", "due_at"):
            rows.add_datetime(
                name,
                col[name],
                [LOCAL],
                tz,
                expected=LOCAL.label,
                required=name == "created_at",
            )
        for name in ("description", "status", "category", "service", "channel"):
            rows.add_text(name, col[name], str.strip)
        rows.columns["source"] = [SOURCE] * len(table.records)
        rows.reject_duplicates(native_ids)
        warnings = []
        if any("satisfaction" in k for k in table.keys):
            warnings.append(
                "Les réponses aux enquêtes de satisfaction ne sont pas importées : Parvis n'a "
                "pas encore de place pour elles."
            )
        return build_result(self, table, rows, warnings)


IMPORTER = FreshdeskTicketsImporter()
