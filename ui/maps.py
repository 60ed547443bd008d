"""Maps of the quartiers without any tile server: Altair charts of the uploaded quartier polygons
(coloured by a figure, labelled with it) or of aggregated request locations.

No Streamlit here: the same charts go on the Quartiers page and, as PNG images, into the PDF
brief. Colour is never the only carrier of a value: every polygon is labelled with its figure,
and a polygon without a figure is white with a dashed outline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from services.brief import QuartierView, name_key
from services.settings import QuartierMap
from ui.format import count_text, hours_text, rate_text

# Figures a map can show: key of QuartierView.rows → (French label, English label, kind).
MAP_FIGURES: dict[str, tuple[str, str, str]] = {
    "received_per_1000": (
        "Demandes reçues pour 1 000 habitants",
        "Requests received per 1,000 inhabitants",
        "per1000",
    ),
    "received": ("Demandes reçues", "Requests received", "count"),
    "closed_per_1000": (
        "Demandes clôturées pour 1 000 habitants",
        "Requests closed per 1,000 inhabitants",
        "per1000",
    ),
    "closed": ("Demandes clôturées", "Requests closed", "count"),
    "open_per_1000": (
        "En cours en fin de période pour 1 000 habitants",
        "Open at the end of the period per 1,000 inhabitants",
        "per1000",
    ),
    "open_at_end": ("En cours en fin de période", "Open at the end of the period", "count"),
    "median_resolution_hours": ("Délai médian de clôture", "Median time to close", "hours"),
    "share_closed_within_target": (
        "Part clôturée dans le délai cible",
        "Share closed within target",
        "rate",
    ),
}
PER_1000 = tuple(k for k, (_, _, kind) in MAP_FIGURES.items() if kind == "per1000")
# Light to medium blue: black labels stay readable on every shade (contrast over 5:1), the
# shades stay ordered once printed in black and white, and even the lightest one differs from
# the white of a quartier without figure.
SHADES = ["#d6e0ee", "#5f83b8"]
EMPTY_FILL = "#ffffff"


def figure_label(key: str, lang: str = "fr") -> str:
    """The label of a map figure."""
    french, english, _ = MAP_FIGURES[key]
    return french if lang == "fr" else english


def figure_text(key: str, value: float | None, lang: str = "fr") -> str:
    """A map figure formatted for its unit (French by default)."""
    kind = MAP_FIGURES[key][2]
    if kind == "rate":
        return rate_text(value, lang, digits=0)
    if kind == "hours":
        return hours_text(value, lang)
    if kind == "per1000":
        if value is None:
            return "non disponible" if lang == "fr" else "not available"
        from babel.numbers import format_decimal

        return format_decimal(round(value, 1), format="#,##0.0", locale=_locale(lang))
    return count_text(value, lang)


def _locale(lang: str) -> str:
    return "fr_FR" if lang == "fr" else "en_GB"


def available_figures(view: QuartierView) -> list[str]:
    """The figures this view can show (per 1,000 inhabitants only with populations)."""
    return [k for k in MAP_FIGURES if view.has_populations or k not in PER_1000]


# ----------------------------------------------------------------------------------------------
# Geometry helpers


def _signed_area(ring: Sequence[Sequence[float]]) -> float:
    # Shoelace formula on (longitude, latitude): positive when counter-clockwise.
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:], strict=False)
    )


def _wound(rings: list, exterior_clockwise: bool = True) -> list:
    out = []
    for number, ring in enumerate(rings):
        clockwise = _signed_area(ring) < 0
        wanted = exterior_clockwise if number == 0 else not exterior_clockwise
        out.append(list(ring) if clockwise == wanted else list(reversed(ring)))
    return out


def d3_geometry(geometry: dict) -> dict:
    """``geometry`` with the ring order Vega's map projection (d3-geo) expects.

    GeoJSON (RFC 7946) winds exterior rings counter-clockwise; d3-geo reads a ring as the
    spherical area on its right, so such a polygon would cover the whole Earth but itself.
    Exterior rings are made clockwise, holes counter-clockwise.
    """
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _wound(geometry["coordinates"])}
    return {
        "type": "MultiPolygon",
        "coordinates": [_wound(polygon) for polygon in geometry["coordinates"]],
    }


def label_position(geometry: dict) -> tuple[float, float]:
    """Where to write a quartier's label: the centroid of its largest outer ring."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    ring = max((p[0] for p in polygons), key=lambda r: abs(_signed_area(r)))
    area = _signed_area(ring)
    if abs(area) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:], strict=False):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


# ----------------------------------------------------------------------------------------------
# Charts


def _status_text(status: str, lang: str) -> str:
    texts = {
        "hidden": ("masqué (petit groupe)", "hidden (small group)"),
        "none": ("pas de demande", "no request"),
    }
    french, english = texts[status]
    return french if lang == "fr" else english


def map_features(view: QuartierView, figure: str, lang: str = "fr") -> list[dict]:
    """The uploaded polygons with the figure of each quartier in their properties: ``value``
    (None when hidden or without requests), ``text`` (formatted) and ``status``."""
    if view.quartiers is None:
        return []
    rows = {name_key(r["group"]): r for r in view.rows}
    hidden = {name_key(h) for h in view.hidden}
    features = []
    for feature in view.quartiers.features:
        name = feature["properties"]["name"]
        row = rows.get(name_key(name))
        value = None if row is None else row.get(figure)
        if row is not None:
            status, text = "shown", figure_text(figure, value, lang)
        else:
            status = "hidden" if name_key(name) in hidden else "none"
            text = _status_text(status, lang)
        features.append(
            {
                "type": "Feature",
                "geometry": d3_geometry(feature["geometry"]),
                "properties": {"name": name, "value": value, "text": text, "status": status},
            }
        )
    return features


def _legend_labels(kind: str, lang: str) -> str:
    # Vega formats numbers in English; the legend is rewritten in French (decimal comma).
    if lang != "fr":
        return "datum.label"
    if kind == "rate":
        return "replace(datum.label, '%', ' %')"
    return "replace(datum.label, '.', ',')"


def quartier_map_chart(
    view: QuartierView,
    figure: str,
    lang: str = "fr",
    width: int | str = "container",
    height: int = 420,
) -> alt.LayerChart:
    """The uploaded quartier polygons shaded and labelled by ``figure``."""
    features = map_features(view, figure, lang)
    kind = MAP_FIGURES[figure][2]
    label = figure_label(figure, lang)
    legend_format = {"rate": ".0%", "hours": ".0f", "per1000": ".1f", "count": ".0f"}[kind]
    tooltip = [
        alt.Tooltip("properties.name:N", title="Quartier"),
        alt.Tooltip("properties.text:N", title=label),
    ]
    # Two layers rather than a condition on missing values (Vega-Lite would filter them out or
    # map them onto the scale): quartiers without figure, white and dotted; the others, shaded.
    empty = [f for f in features if f["properties"]["value"] is None]
    shown = [f for f in features if f["properties"]["value"] is not None]
    layers = []
    if empty:
        layers.append(
            alt.Chart(alt.Data(values=empty))
            .mark_geoshape(fill=EMPTY_FILL, stroke="#222222", strokeWidth=1, strokeDash=[4, 3])
            .encode(tooltip=tooltip)
        )
    if shown:
        layers.append(
            alt.Chart(alt.Data(values=shown))
            .mark_geoshape(stroke="#222222", strokeWidth=1)
            .encode(
                color=alt.Color(
                    "properties.value:Q",
                    title=None,
                    scale=alt.Scale(range=SHADES, zero=False, nice=True),
                    legend=alt.Legend(
                        orient="bottom",
                        format=legend_format,
                        labelExpr=_legend_labels(kind, lang),
                        gradientLength=220,
                    ),
                ),
                tooltip=tooltip,
            )
        )
    labels = [
        {
            "longitude": lon,
            "latitude": lat,
            "label": f"{f['properties']['name']}\n{f['properties']['text']}",
        }
        for f in features
        for lon, lat in [label_position(f["geometry"])]
    ]
    text = (
        alt.Chart(alt.Data(values=labels))
        .mark_text(fontSize=11, lineBreak="\n", color="#111111", fontWeight="bold")
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="label:N")
    )
    return (
        alt.layer(*layers, text)
        .project(type="mercator")
        .properties(width=width, height=height, title=label)
    )


def points_map_chart(
    view: QuartierView,
    lang: str = "fr",
    width: int | str = "container",
    height: int = 420,
    district_labels: Iterable[dict] = (),
) -> alt.LayerChart:
    """Requests received in the period, counted per cell of about 500 m, as circles whose area
    grows with the count (never one point per request)."""
    count_title = "Demandes reçues" if lang == "fr" else "Requests received"
    title = (
        "Demandes reçues, par carreau d'environ 500 m"
        if lang == "fr"
        else "Requests received, per cell of about 500 m"
    )
    cells = alt.Chart(alt.Data(values=list(view.cells))).mark_circle(
        color="#1d4e89", opacity=0.55, stroke="#111111", strokeWidth=0.8
    )
    circles = cells.encode(
        longitude="longitude:Q",
        latitude="latitude:Q",
        size=alt.Size(
            "requests:Q",
            title=count_title,
            scale=alt.Scale(range=[20, 900], zero=True),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[alt.Tooltip("requests:Q", title=count_title)],
    )
    layers = [circles]
    labels = list(district_labels)
    if labels:
        layers.append(
            alt.Chart(alt.Data(values=labels))
            .mark_text(fontSize=11, fontWeight="bold", color="#111111", dy=-4)
            .encode(longitude="longitude:Q", latitude="latitude:Q", text="label:N")
        )
    return (
        alt.layer(*layers)
        .project(type="mercator")
        .properties(width=width, height=height, title=title)
    )


def map_chart(
    view: QuartierView,
    figure: str,
    lang: str = "fr",
    width: int | str = "container",
    height: int = 420,
) -> alt.LayerChart | None:
    """The polygons when a GeoJSON was uploaded, else the request cells, else None."""
    if view.quartiers is not None:
        return quartier_map_chart(view, figure, lang, width, height)
    if view.cells:
        return points_map_chart(view, lang, width, height, view.positions)
    return None


def map_description(view: QuartierView, figure: str, lang: str = "fr") -> str:
    """One sentence saying what the map shows and how to read it."""
    label = figure_label(figure, lang)
    if view.quartiers is not None:
        if lang == "fr":
            return (
                f"Chaque quartier est teinté selon « {label} » : plus la teinte est foncée, plus "
                "le chiffre est élevé ; le chiffre est écrit sous son nom, et un quartier blanc "
                "au contour pointillé n'a pas de chiffre affiché."
            )
        return (
            f"Each quartier is shaded by “{label}”: the darker, the higher; the figure is "
            "written under its name, and a white quartier with a dotted outline has no figure."
        )
    if lang == "fr":
        return (
            f"Chaque cercle regroupe les demandes reçues dans un carreau d'environ 500 m "
            f"({count_text(view.located, lang)} demandes localisées sur "
            f"{count_text(view.received, lang)}) : plus il est grand, plus elles sont nombreuses."
        )
    return (
        f"Each circle groups the requests received in a cell of about 500 m "
        f"({count_text(view.located, lang)} located requests out of "
        f"{count_text(view.received, lang)}): the bigger, the more requests."
    )


def map_table(view: QuartierView, figure: str, lang: str = "fr") -> pd.DataFrame:
    """The data of the map as a table: quartier and figure, or cell position and count."""
    if view.quartiers is not None:
        features = map_features(view, figure, lang)
        return pd.DataFrame(
            {
                "Quartier": [f["properties"]["name"] for f in features],
                figure_label(figure, lang): [f["properties"]["text"] for f in features],
            }
        )
    lat, lon, count = (
        ("Latitude du centre", "Longitude du centre", "Demandes reçues")
        if lang == "fr"
        else ("Centre latitude", "Centre longitude", "Requests received")
    )
    return pd.DataFrame(
        {
            lat: [c["latitude"] for c in view.cells],
            lon: [c["longitude"] for c in view.cells],
            count: [c["requests"] for c in view.cells],
        }
    )


def outline_chart(
    quartiers: QuartierMap, known: Iterable[str] = (), lang: str = "fr", height: int = 320
) -> alt.LayerChart:
    """A preview of uploaded polygons: each labelled with its name; a quartier found in the
    data is grey, one the data does not know is white with a dotted outline."""
    known_keys = {name_key(k) for k in known}
    features = [
        {
            "type": "Feature",
            "geometry": d3_geometry(f["geometry"]),
            "properties": {
                "name": f["properties"]["name"],
                "found": name_key(f["properties"]["name"]) in known_keys,
            },
        }
        for f in quartiers.features
    ]
    shapes = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke="#222222", strokeWidth=1)
        .encode(
            color=alt.condition(
                "datum.properties.found", alt.value("#d9d9d9"), alt.value("#ffffff")
            ),
            strokeDash=alt.condition(
                "datum.properties.found", alt.value([1, 0]), alt.value([4, 3])
            ),
            tooltip=[alt.Tooltip("properties.name:N", title="Quartier")],
        )
    )
    labels = [
        {"longitude": lon, "latitude": lat, "label": f["properties"]["name"]}
        for f in features
        for lon, lat in [label_position(f["geometry"])]
    ]
    text = (
        alt.Chart(alt.Data(values=labels))
        .mark_text(fontSize=11, fontWeight="bold", color="#111111")
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="label:N")
    )
    return (
        alt.layer(shapes, text)
        .project(type="mercator")
        .properties(width="container", height=height)
    )


QUARTIER_COLUMNS: dict[str, tuple[str, str]] = {
    "group": ("Quartier", "Quartier"),
    "population": ("Habitants", "Inhabitants"),
    "received": ("Demandes reçues", "Requests received"),
    "received_per_1000": ("Reçues pour 1 000 hab.", "Received per 1,000 inh."),
    "closed": ("Demandes clôturées", "Requests closed"),
    "closed_per_1000": ("Clôturées pour 1 000 hab.", "Closed per 1,000 inh."),
    "open_at_end": ("En cours en fin de période", "Open at the end"),
    "open_per_1000": ("En cours pour 1 000 hab.", "Open per 1,000 inh."),
    "median_resolution_hours": ("Délai médian de clôture", "Median time to close"),
    "share_closed_within_target": ("Part clôturée dans le délai cible", "Share within target"),
}


def quartier_table(view: QuartierView, lang: str = "fr", formatted: bool = True) -> pd.DataFrame:
    """The figures of each shown quartier, with readable column names: formatted text for the
    screen, or plain numbers (hours, fractions) for a spreadsheet."""
    keys = [
        k for k in QUARTIER_COLUMNS if view.has_populations or k not in ("population", *PER_1000)
    ]
    frame = pd.DataFrame([{k: row.get(k) for k in keys} for row in view.rows], columns=keys)
    if formatted:
        for key in keys:
            if key in MAP_FIGURES:
                frame[key] = [figure_text(key, v, lang) for v in frame[key]]
            elif key == "population":
                frame[key] = [count_text(v, lang) for v in frame[key]]
    elif "median_resolution_hours" in frame:
        frame = frame.rename(columns={"median_resolution_hours": "median_resolution_hours_h"})
    names = {k: (QUARTIER_COLUMNS[k][0 if lang == "fr" else 1]) for k in QUARTIER_COLUMNS}
    names["median_resolution_hours_h"] = (
        "Délai médian de clôture (heures)" if lang == "fr" else "Median time to close (hours)"
    )
    return frame.rename(columns=names)
