"""GeoJSON of the demo commune's quartiers for the tests: Voronoi cells of their centres."""

from __future__ import annotations

import json

from data.demo.commune import QUARTIERS

BOX = (0.655, 47.366, 0.726, 47.416)  # west, south, east, north


def _clip(polygon, site, other):
    # Keep the part of ``polygon`` closer to ``site`` than to ``other`` (a half-plane).
    (sx, sy), (ox, oy) = site, other
    nx, ny = ox - sx, oy - sy
    limit = (ox * ox + oy * oy - sx * sx - sy * sy) / 2

    def inside(p):
        return p[0] * nx + p[1] * ny <= limit

    def cut(p, q):
        a, b = p[0] * nx + p[1] * ny - limit, q[0] * nx + q[1] * ny - limit
        t = a / (a - b)
        return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

    out = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        if inside(p):
            out.append(p)
            if not inside(q):
                out.append(cut(p, q))
        elif inside(q):
            out.append(cut(p, q))
    return out


def demo_features(name_property: str = "nom") -> list[dict]:
    """One polygon per demo quartier, wound counter-clockwise as RFC 7946 says."""
    west, south, east, north = BOX
    sites = [(q.lon, q.lat) for q in QUARTIERS]
    features = []
    for quartier, site in zip(QUARTIERS, sites, strict=True):
        cell = [(west, south), (east, south), (east, north), (west, north)]
        for other in sites:
            if other != site:
                cell = _clip(cell, site, other)
        ring = [[round(x, 6), round(y, 6)] for x, y in cell] + [
            [round(cell[0][0], 6), round(cell[0][1], 6)]
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {name_property: quartier.name, "code": quartier.number},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return features


def demo_geojson(name_property: str = "nom") -> bytes:
    """The demo quartiers as a GeoJSON file."""
    return json.dumps(
        {"type": "FeatureCollection", "features": demo_features(name_property)}
    ).encode("utf-8")
