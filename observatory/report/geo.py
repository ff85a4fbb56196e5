"""Département outlines laid out for a France map: metropolitan France in a Lambert conformal conic
projection, the five overseas départements in a column of insets on its left (not to scale, framed), and
Paris with its inner ring enlarged in a frame on the right.

Coordinates are projected here, once, and the charts draw them with Vega-Lite's `identity` projection,
so that no map depends on a projection the reader's tool may not have."""

from __future__ import annotations

import json
import math
from functools import lru_cache

from observatory.paths import REFERENTIAL_DIR

OUTLINES = REFERENTIAL_DIR / "geo" / "departements.geojson"
OVERSEAS = ["971", "972", "973", "974", "976"]
PETITE_COURONNE = {"75", "92", "93", "94"}
# Lambert-93 standard parallels and origin (spherical form: the difference is invisible at this scale).
_PHI1, _PHI2, _PHI0, _LAMBDA0 = map(math.radians, (44.0, 49.0, 46.5, 3.0))
_N = math.log(math.cos(_PHI1) / math.cos(_PHI2)) / math.log(
    math.tan(math.pi / 4 + _PHI2 / 2) / math.tan(math.pi / 4 + _PHI1 / 2)
)
_F = math.cos(_PHI1) * math.tan(math.pi / 4 + _PHI1 / 2) ** _N / _N
_RHO0 = _F / math.tan(math.pi / 4 + _PHI0 / 2) ** _N
# Units: metropolitan France spans about 1 000 units of height; insets are squares of INSET units.
_SCALE = 1000 / 0.17
INSET, GAP = 150.0, 25.0


def _lambert(lon: float, lat: float) -> tuple[float, float]:
    rho = _F / math.tan(math.pi / 4 + math.radians(lat) / 2) ** _N
    theta = _N * (math.radians(lon) - _LAMBDA0)
    return rho * math.sin(theta) * _SCALE, (_RHO0 - rho * math.cos(theta)) * _SCALE


def _points(geometry: dict):
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            yield from ring


def _map_geometry(geometry: dict, transform) -> dict:
    coordinates = [
        [[list(transform(x, y)) for x, y in ring] for ring in polygon] for polygon in geometry["coordinates"]
    ]
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _round(geometry: dict) -> dict:
    coordinates = [
        [[[round(x, 1), round(y, 1)] for x, y in ring] for ring in polygon] for polygon in geometry["coordinates"]
    ]
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _bounds(points) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=1)
def _layout() -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    metro, overseas = [], {}
    for feature in data["features"]:
        code = feature["properties"]["code"]
        if code in OVERSEAS:
            overseas[code] = feature
        else:
            metro.append((feature, _map_geometry(feature["geometry"], _lambert)))
    x0, _, x1, y1 = _bounds([p for _, g in metro for p in _points(g)])
    features = [_feature(f, g) for f, g in metro]
    frames = []
    # One inset per overseas département, stacked on the left of the mainland, top to bottom.
    left = x0 - GAP - INSET
    for rank, code in enumerate(OVERSEAS):
        feature = overseas[code]
        # Local equirectangular projection, then scaled to fit the inset square with a margin.
        latitudes = [y for _, y in _points(feature["geometry"])]
        shrink = math.cos(math.radians(sum(latitudes) / len(latitudes)))
        local = _map_geometry(feature["geometry"], lambda lon, lat, c=shrink: (lon * c, lat))
        top = y1 - rank * (INSET + GAP)
        (placed,) = _fit([local], left, top, INSET)
        features.append(_feature(feature, placed))
        frames.append(_frame(left, top - INSET, left + INSET, top, feature["properties"]["nom"]))
    # Paris and its inner ring are a few pixels wide at France scale: repeat them enlarged on the right.
    ring = [(f, g) for f, g in metro if f["properties"]["code"] in PETITE_COURONNE]
    zoom_left, zoom_size = x1 + GAP, INSET * 1.3
    for (feature, _), placed in zip(ring, _fit([g for _, g in ring], zoom_left, y1, zoom_size), strict=True):
        features.append(_feature(feature, placed))
    frames.append(_frame(zoom_left, y1 - zoom_size, zoom_left + zoom_size, y1, "Paris et petite couronne"))
    features.sort(key=lambda f: f["properties"]["code"])
    return tuple(features), tuple(frames)


def _fit(geometries: list[dict], left: float, top: float, size: float) -> list[dict]:
    """Scale and move planar geometries, together, into the square (left, top, size) with a margin."""
    bx0, by0, bx1, by1 = _bounds([p for g in geometries for p in _points(g)])
    scale = (size - 20) / max(bx1 - bx0, by1 - by0)
    cx, cy, mx, my = left + size / 2, top - size / 2, (bx0 + bx1) / 2, (by0 + by1) / 2
    return [_map_geometry(g, lambda x, y: (cx + (x - mx) * scale, cy + (y - my) * scale)) for g in geometries]


def _feature(feature: dict, geometry: dict) -> dict:
    properties = {"code": feature["properties"]["code"], "nom": feature["properties"]["nom"]}
    return {"type": "Feature", "properties": properties, "geometry": _round(geometry)}


def _frame(x0: float, y0: float, x1: float, y1: float, name: str) -> dict:
    ring = [[round(x, 1), round(y, 1)] for x, y in [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]
    # The label's anchor sits just below the frame; charts draw it with longitude/latitude channels.
    properties = {"nom": name, "x": round((x0 + x1) / 2, 1), "y": round(y0 - 4, 1)}
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def departement_features(values: dict[str, dict] | None = None) -> list[dict]:
    """Projected features, one per département, with `values[code]` merged into their properties."""
    values = values or {}
    return [{**f, "properties": {**f["properties"], **values.get(f["properties"]["code"], {})}} for f in _layout()[0]]


def inset_frames() -> list[dict]:
    return list(_layout()[1])


def departement_codes() -> list[str]:
    """Each département once (Paris and its inner ring are drawn twice: in place and enlarged)."""
    return sorted({f["properties"]["code"] for f in _layout()[0]})
