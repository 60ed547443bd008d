"""Importer for Paris "DansMaRue – anomalies signalées" (opendata.paris.fr dataset ``dans-ma-rue``).

Two headers for the same data:

* API field names (real rows seen): ``numero, type, soustype, adresse, code_postal, ville,
  arrondissement, conseilquartier, datedecl, anneedecl, moisdecl, prefixe, intervenant,
  id_dmr, geo_shape, geo_point_2d`` (extra columns, such as those a re-user appended, are
  ignored);
* the portal's ``;``-separated download with human labels (``ID DECLARATION;TYPE
  DECLARATION;SOUS TYPE DECLARATION;ADRESSE;CODE POSTAL;VILLE;ARRONDISSEMENT;DATE
  DECLARATION;…``), known from memory only.

The open dataset has **no status and no closing date**: both stay empty and a warning says
resolution times cannot be computed from this source. ``datedecl`` is a day: local midnight.
district = arrondissement (always filled, 20 stable values, the level residents and elected
officials speak of; the conseil de quartier is finer but not always filled). channel =
prefixe (Android, IOS application, Page DMR Paris.fr, Back Office), service = intervenant,
native_id = id_dmr (``A2024C016447``), else numero.
"""

from __future__ import annotations

from ingest.base import ImportContext, ParseResult, Sniffed
from ingest.canonical import REQUEST
from ingest.parsing import (
    CsvImporter,
    DateFamily,
    build_result,
    context_zone,
    date_only_warning,
    lines_text,
)

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "API (noms de champs)": ("numero", "type", "soustype", "datedecl"),
    "portail (libellés, ;)": (
        "ID DECLARATION",
        "TYPE DECLARATION",
        "SOUS TYPE DECLARATION",
        "DATE DECLARATION",
    ),
}

COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "id_dmr": ("id_dmr", "ID DMR"),
    "numero": ("numero", "ID DECLARATION"),
    "category": ("type", "TYPE DECLARATION"),
    "subcategory": ("soustype", "SOUS TYPE DECLARATION"),
    "created_at": ("datedecl", "DATE DECLARATION"),
    "district": ("arrondissement", "ARRONDISSEMENT"),
    "channel": ("prefixe", "PREFIXE"),
    "service": ("intervenant", "INTERVENANT"),
    "geo_point": ("geo_point_2d", "GEO_POINT_2D", "GEO POINT 2D", "geo_point"),
}

DATE_FAMILIES = [
    DateFamily(
        "AAAA-MM-JJ",
        ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"),
    ),
    DateFamily("JJ/MM/AAAA", ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")),
]
SOURCE = "dansmarue"
NO_RESOLUTION = (
    "DansMaRue (données ouvertes) ne donne ni statut ni date de clôture : les délais de "
    "traitement et taux de résolution ne peuvent pas être calculés à partir de cette source. "
    "Seuls les volumes, catégories, arrondissements et canaux sont disponibles."
)


class DansMaRueImporter(CsvImporter):
    """DansMaRue open data CSV (API names or portal labels) → requests (source "dansmarue")."""

    format_id = "dansmarue"
    label = "Paris DansMaRue – anomalies signalées (données ouvertes)"
    kind = REQUEST
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        table, rows, col = self.mapped_table(sniffed)
        n = len(table.records)

        long_ids = rows.add_id("id_dmr", col["id_dmr"], required=False)
        numbers = rows.add_id("numero", col["numero"], required=col["id_dmr"] is None)
        native_ids = [a or b for a, b in zip(long_ids, numbers, strict=True)]
        if col["id_dmr"] is not None:
            for row, value in enumerate(native_ids):
                if value is None:
                    rows.problem(
                        row,
                        "colonnes « id_dmr » et « numero » vides : un identifiant était attendu",
                    )
        rows.columns["native_id"] = native_ids
        cells = rows.cells(col["created_at"])
        created = rows.add_datetime(
            "created_at",
            col["created_at"],
            DATE_FAMILIES,
            tz,
            expected="AAAA-MM-JJ",
            required=True,
        )
        for name in ("category", "subcategory", "district", "channel", "service"):
            rows.add_text(name, col[name], str.strip)
        points = rows.add_text("geo_point", col["geo_point"], str.strip)
        latitudes, longitudes, bad_points = [], [], []
        for row, point in enumerate(points):
            lat, lon = _point(point)
            if point and lat is None:
                bad_points.append(rows.line_of(row))
            latitudes.append(lat)
            longitudes.append(lon)
        rows.columns["latitude"] = latitudes
        rows.columns["longitude"] = longitudes
        rows.columns["source"] = [SOURCE] * n
        rows.reject_duplicates(native_ids)

        warnings = [NO_RESOLUTION] if n else []
        day_only = [
            rows.line_of(r)
            for r in rows.kept_rows()
            if created.iloc[r] == created.iloc[r] and ":" not in cells[r]
        ]
        if day_only:
            warnings.append(date_only_warning(rows.header_of(col["created_at"]), day_only, str(tz)))
        if bad_points:
            warnings.append(
                f"{len(bad_points)} coordonnée(s) « geo_point_2d » illisible(s) "
                f"({lines_text(bad_points)}) : lignes gardées sans position."
            )
        return build_result(self, table, rows, warnings)


def _point(text: str | None) -> tuple[float | None, float | None]:
    """``"48.875, 2.331"`` → (48.875, 2.331); (None, None) when absent or unreadable."""
    if not text:
        return None, None
    parts = [p.strip() for p in text.strip("[]() ").split(",")]
    if len(parts) != 2:
        return None, None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


IMPORTER = DansMaRueImporter()
