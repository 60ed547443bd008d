"""Importer for Open311 GeoReport v2 service requests (``GET /requests.json`` or ``.xml``).

Spec: a JSON array of requests, or XML ``<service_requests><request>…</request>…``, fields
``service_request_id, status (open|closed), service_name, service_code, description,
agency_responsible, requested_datetime, updated_datetime, expected_datetime, address,
zipcode, lat, long …``; datetimes in ISO 8601 with an offset. There is no closing date:
``updated_datetime`` is the closing time when ``status`` is ``closed``. Chicago-style
extensions (``extended_attributes.ward``, ``extended_attributes.channel``) are read when there.
"""

from __future__ import annotations

import numpy as np

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.canonical import REQUEST
from ingest.parsing import (
    DateFamily,
    RowsBuilder,
    build_result,
    context_zone,
    lines_text,
    table_from_records,
)
from ingest.xlsx import WorkbookSource
from ingest.xml_safe import iter_elements, local_name

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "GeoReport v2 (JSON ou XML)": ("service_request_id", "status", "requested_datetime"),
}

# canonical (or helper) column ← field names, first found wins.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("service_request_id",),
    "status": ("status",),
    "created_at": ("requested_datetime",),
    "updated": ("updated_datetime",),
    "due_at": ("expected_datetime",),
    "category": ("service_name",),
    "description": ("description",),
    "service": ("agency_responsible",),
    # district = Chicago's ward when the request has one, else its postcode (an
    # arrondissement in Paris, Lyon, Marseille), request by request.
    "ward": ("extended_attributes.ward", "ward"),
    "zipcode": ("zipcode",),
    "channel": ("extended_attributes.channel", "channel"),
    "latitude": ("lat",),
    "longitude": ("long", "lon", "lng"),
}

ISO = DateFamily(
    "ISO 8601 (AAAA-MM-JJTHH:MM:SS±HH:MM)",
    (
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S.%f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S.%f",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S",
    ),
)
SOURCE = "open311"
ITEM = "demande"


def requests_of(document: object) -> list | None:
    """The list of request objects of a GeoReport JSON document (bare array or wrapped)."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("service_requests", "requests"):
            value = document.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict) and isinstance(value.get("request"), list):
                return value["request"]
    return None


def xml_requests(text: str) -> list[dict]:
    """``<service_requests><request>…`` as a list of flat dicts (nested elements dotted)."""
    items: list[dict] = []
    for event, element, depth in iter_elements(text):
        if event == "end" and depth == 2 and local_name(element.tag) == "request":
            items.append(_element_dict(element))
            element.clear()
    return items


def _element_dict(element, prefix: str = "", depth: int = 0) -> dict:
    out: dict[str, str] = {}
    for child in element:
        name = f"{prefix}{local_name(child.tag)}"
        if len(child) and depth < 2:
            out.update(_element_dict(child, f"{name}.", depth + 1))
        elif name in out:
            out[name] = f"{out[name]} | {(child.text or '').strip()}"
        else:
            out[name] = (child.text or "").strip()
    return out


class Open311Importer:
    """Open311 GeoReport v2 requests (JSON or XML) → requests (source "open311")."""

    format_id = "open311"
    label = "Open311 GeoReport v2 – demandes (JSON ou XML)"
    kind = REQUEST
    input_kind = "json"
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP
    expected_shape = (
        'une liste de demandes avec "service_request_id", "status" et "requested_datetime" '
        "(ou le XML <service_requests><request>…)"
    )

    def identify(self, sniffed: Sniffed) -> bool:
        if sniffed.kind == "json":
            # Every object is a request; a stray non-object item is rejected at parse time.
            objects = [i for i in requests_of(sniffed.json) or [] if isinstance(i, dict)]
            return bool(objects) and all("service_request_id" in i for i in objects)
        source = sniffed.json
        return (
            sniffed.kind == "xml"
            and isinstance(source, WorkbookSource)
            and source.root() == "service_requests"
        )

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        if sniffed.kind == "json":
            items = requests_of(sniffed.json)
            if items is None:
                raise ImportRefused(f"JSON Open311 non reconnu : attendu {self.expected_shape}.")
        else:
            items = xml_requests(sniffed.text or "")
        table = table_from_records(items, COLUMN_MAP.values(), ITEM)
        rows = RowsBuilder(table)
        col = {name: table.column(aliases) for name, aliases in COLUMN_MAP.items()}
        n = len(table.records)

        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        created = rows.add_datetime(
            "created_at", col["created_at"], [ISO], tz, expected=ISO.label, required=True
        )
        updated = rows.add_datetime("updated", col["updated"], [ISO], tz, expected=ISO.label)
        rows.add_datetime("due_at", col["due_at"], [ISO], tz, expected=ISO.label)
        statuses = rows.add_text("status", col["status"], str.strip)
        for name in ("category", "description", "service", "channel"):
            rows.add_text(name, col[name], str.strip)
        wards = rows.add_text("ward", col["ward"], str.strip)
        zipcodes = rows.add_text("zipcode", col["zipcode"], str.strip)
        rows.columns["district"] = [w or z for w, z in zip(wards, zipcodes, strict=True)]
        rows.add_float("latitude", col["latitude"], decimal=".")
        rows.add_float("longitude", col["longitude"], decimal=".")
        closed = [(s or "").lower() == "closed" for s in statuses]
        rows.columns["closed_at"] = updated.where(np.asarray(closed, dtype=bool))
        rows.columns["source"] = [SOURCE] * n
        rows.reject_duplicates(native_ids)

        warnings = []
        no_time = [
            rows.line_of(r)
            for r in rows.kept_rows()
            if closed[r] and updated.iloc[r] != updated.iloc[r]
        ]
        if no_time:
            warnings.append(
                f"{len(no_time)} demande(s) « closed » sans « updated_datetime » "
                f"({lines_text(no_time)}) : date de clôture inconnue, délai non calculable."
            )
        before = [
            rows.line_of(r)
            for r in rows.kept_rows()
            if closed[r]
            and updated.iloc[r] == updated.iloc[r]
            and updated.iloc[r] < created.iloc[r]
        ]
        if before:
            warnings.append(
                f"{len(before)} demande(s) clôturée(s) avant d'avoir été créée(s) "
                f"({lines_text(before)}) : gardées telles quelles, leurs délais seront faux."
            )
        return build_result(self, table, rows, warnings)


IMPORTER = Open311Importer()
