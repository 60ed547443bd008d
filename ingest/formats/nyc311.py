"""Importer for NYC 311 Service Requests CSV (NYC Open Data erm2-nwe9, titled and snake_case)."""

from __future__ import annotations

import functools

import pandas as pd

from ingest.base import ImportContext, ParseResult
from ingest.canonical import REQUEST
from ingest.parsing import (
    CsvImporter,
    CsvTable,
    LinesWarning,
    RowsBuilder,
    context_zone,
    lines_text,
)

# Required header cells, per variant. The full export has 41 columns and older extracts
# differ (School-* columns, no Open Data Channel Type), so only a core is required.
HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "portail Open Data": ("Unique Key", "Created Date", "Closed Date", "Complaint Type", "Status"),
    "API (snake_case)": ("unique_key", "created_date", "closed_date", "complaint_type", "status"),
}

# canonical column ← header aliases (portal title, then API name). No French export exists.
# description repeats Descriptor: the short free text of the complaint; Resolution
# Description is the agency's answer, not the request.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("Unique Key", "unique_key"),
    "created_at": ("Created Date", "created_date"),
    "closed_at": ("Closed Date", "closed_date"),
    "due_at": ("Due Date", "due_date"),
    "status": ("Status", "status"),
    "category": ("Complaint Type", "complaint_type"),
    "subcategory": ("Descriptor", "descriptor"),
    "description": ("Descriptor", "descriptor"),
    "district": ("Borough", "borough"),
    "channel": ("Open Data Channel Type", "open_data_channel_type"),
    "service": ("Agency", "agency"),
    "latitude": ("Latitude", "latitude"),
    "longitude": ("Longitude", "longitude"),
}

SOURCE = "nyc311"
# Portal files use US 12-hour local time; the API gives ISO local time without offset.
TIME_FORMATS = [
    "%m/%d/%Y %I:%M:%S %p",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
]
EXPECTED_TIME = "MM/JJ/AAAA hh:mm:ss AM/PM ou AAAA-MM-JJTHH:MM:SS.000"
EARLIEST_PLAUSIBLE = pd.Timestamp("2000-01-01", tz="UTC")


class Nyc311Importer(CsvImporter):
    """NYC 311 service requests CSV → requests (source "nyc311")."""

    format_id = "nyc311"
    label = "NYC 311 – demandes de service (Open Data)"
    kind = REQUEST
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP
    # Every check is on one row (the duplicates and the warnings merge across blocks): a city's
    # export is read and stored a block at a time.
    row_wise = True

    def parse_table(
        self,
        table: CsvTable,
        rows: RowsBuilder,
        col: dict[str, int | None],
        context: ImportContext,
    ) -> ParseResult:
        tz = context_zone(context.timezone)
        n = len(table.records)

        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        created = rows.add_datetime(
            "created_at", col["created_at"], TIME_FORMATS, tz, expected=EXPECTED_TIME, required=True
        )
        closed = rows.add_datetime(
            "closed_at", col["closed_at"], TIME_FORMATS, tz, expected=EXPECTED_TIME
        )
        rows.add_datetime("due_at", col["due_at"], TIME_FORMATS, tz, expected=EXPECTED_TIME)
        for name in (
            "status",
            "category",
            "subcategory",
            "description",
            "district",
            "channel",
            "service",
        ):
            rows.add_text(name, col[name], str.strip)
        rows.add_float("latitude", col["latitude"], decimal=".")
        rows.add_float("longitude", col["longitude"], decimal=".")
        rows.columns["source"] = [SOURCE] * n

        rows.reject_duplicates(native_ids)
        warnings = list(rows.warnings) + _implausible_time_warnings(rows, created, closed)
        frame, rejections = rows.frame_and_rejections(REQUEST)
        if table.rows_read == 0:
            warnings.append("Le fichier ne contient aucune ligne de données (en-tête seul).")
        return ParseResult(
            format_id=self.format_id,
            kind=self.kind,
            frame=frame,
            rows_read=table.rows_read,
            rejections=rejections,
            warnings=warnings,
        )


def _implausible_time_warnings(
    rows: RowsBuilder, created: pd.Series, closed: pd.Series
) -> list[str]:
    """Warnings (kept rows only) for closures before creation, future dates and pre-2000 dates."""
    kept = rows.kept_rows()
    if not kept:
        return []
    now = pd.Timestamp.now(tz="UTC")
    created_k, closed_k = created.iloc[kept], closed.iloc[kept]
    checks = [
        (closed_k < created_k, "clôturée(s) avant d'avoir été créée(s)"),
        ((created_k > now) | (closed_k > now), "datée(s) dans le futur"),
        (
            (created_k < EARLIEST_PLAUSIBLE) | (closed_k < EARLIEST_PLAUSIBLE),
            "datée(s) d'avant 2000",
        ),
    ]
    warnings: list[str] = []
    kept_lines = rows.lines_of(kept)
    for mask, what in checks:
        lines = kept_lines[mask.fillna(False).to_numpy(dtype=bool)].tolist()
        if lines:
            warnings.append(
                LinesWarning(("nyc311", what), lines, functools.partial(_implausible_text, what))
            )
    return warnings


def _implausible_text(what: str, lines: list[int]) -> str:
    return (
        f"{len(lines)} demande(s) {what} ({lines_text(lines)}) : gardées telles quelles, "
        "les délais calculés sur ces lignes seront faux."
    )


IMPORTER = Nyc311Importer()
