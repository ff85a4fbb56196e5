"""Vendor the département outlines used by the report maps into data/referentiel/geo/.

Input: gregoiredavid/france-geojson `departements-avec-outre-mer.geojson` (IGN Admin Express COG 2018 and INSEE
COG 2018, Licence Ouverte), as copied under ../shared/reference/france-geojson. The 101 outlines are simplified
(Douglas-Peucker, finer for the départements the maps enlarge, then coordinates rounded to a fixed grid) to
about 140 KB and written with sorted keys and features, so identical inputs give byte-identical files;
`provenance.json` next to them records source, licence, parameters and checksums. The pipeline reads only the
vendored file, never ../shared.

    python scripts/build_departements_geo.py [--source PATH] [--check]
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from observatory.paths import REPO_ROOT  # noqa: E402
from observatory.report.geo import OVERSEAS, PETITE_COURONNE  # noqa: E402

SOURCE_NAME = "departements-avec-outre-mer.geojson"
SOURCE_SHA256 = "0c331e85eef244d8014f68a4c256bb732e28776aceec53ddf849624f2eb6c163"
OUT_DIR = REPO_ROOT / "data" / "referentiel" / "geo"
OUT_FILE = OUT_DIR / "departements.geojson"
PROVENANCE_FILE = OUT_DIR / "provenance.json"
# About 1.5 km, half a pixel of the 560-pixel map (one pixel of its print PNG): invisible, and it halves
# the points that vl-convert draws three times per release (0.006 took 40 % of the charts' time on the maps).
TOLERANCE_DEG = 0.015
# The départements the maps draw enlarged (overseas insets, Paris and its inner ring) keep about 600 m.
ENLARGED = frozenset(OVERSEAS) | PETITE_COURONNE
TOLERANCE_ENLARGED_DEG = 0.006
DECIMALS = 3
# Islets smaller than this (in square degrees, ~2 km²) vanish at map scale; the largest ring is always kept.
MIN_RING_AREA = 0.0002


def _default_source() -> Path:
    for base in (REPO_ROOT.parent, REPO_ROOT.parent.parent):
        candidate = base / "shared" / "reference" / "france-geojson" / SOURCE_NAME
        if candidate.exists():
            return candidate
    return REPO_ROOT.parent / "shared" / "reference" / "france-geojson" / SOURCE_NAME


def _perpendicular(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def douglas_peucker(points: list, tolerance: float) -> list:
    """Iterative Douglas-Peucker (recursion would overflow on long coastlines)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = first, 0.0
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > distance:
                index, distance = i, d
        if distance > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))) / 2


def _simplify_ring(ring: list, tolerance: float) -> list | None:
    # A closed ring's two ends coincide, so split it in two halves to give Douglas-Peucker two anchors.
    middle = len(ring) // 2
    simplified = douglas_peucker(ring[: middle + 1], tolerance)[:-1] + douglas_peucker(ring[middle:], tolerance)
    rounded = []
    for x, y in simplified:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= 4 else None


def simplify_feature(feature: dict) -> dict:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    largest = max(polygons, key=lambda polygon: _area(polygon[0]))
    code = feature["properties"]["code"]
    tolerance = TOLERANCE_ENLARGED_DEG if code in ENLARGED else TOLERANCE_DEG
    kept = []
    for polygon in polygons:
        if polygon is not largest and _area(polygon[0]) < MIN_RING_AREA:
            continue
        rings = [_simplify_ring(ring, tolerance) for ring in polygon]
        if rings[0] is not None:
            kept.append([ring for ring in rings if ring is not None])
    return {
        "type": "Feature",
        "properties": {"code": code, "nom": feature["properties"]["nom"]},
        "geometry": {"type": "MultiPolygon", "coordinates": kept},
    }


def build(source: Path) -> tuple[bytes, dict]:
    raw = source.read_bytes()
    data = json.loads(raw)
    features = sorted((simplify_feature(f) for f in data["features"]), key=lambda f: f["properties"]["code"])
    collection = {"type": "FeatureCollection", "features": features}
    output = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode() + b"\n"
    provenance = {
        "description": "Contours des départements (France métropolitaine et outre-mer) pour les cartes du rapport.",
        "generator": "scripts/build_departements_geo.py",
        "source": "gregoiredavid/france-geojson, departements-avec-outre-mer.geojson",
        "repository": "https://github.com/gregoiredavid/france-geojson",
        "version": "IGN Admin Express COG 2018, INSEE COG 2018",
        "licence": "Licence Ouverte / Open Licence",
        "producer": "IGN, INSEE ; mis en forme par Grégoire David",
        "input": {"file": SOURCE_NAME, "sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)},
        "simplification": {
            "method": "Douglas-Peucker par anneau, puis arrondi des coordonnées",
            "tolerance_degres": TOLERANCE_DEG,
            "tolerance_degres_departements_agrandis": TOLERANCE_ENLARGED_DEG,
            "departements_agrandis": sorted(ENLARGED),
            "decimales": DECIMALS,
            "aire_minimale_ilot_degres2": MIN_RING_AREA,
        },
        "output": {
            "file": OUT_FILE.name,
            "sha256": hashlib.sha256(output).hexdigest(),
            "bytes": len(output),
            "departements": len(features),
        },
    }
    return output, provenance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=_default_source())
    parser.add_argument("--check", action="store_true", help="compare with the vendored files, write nothing")
    args = parser.parse_args(argv)
    output, provenance = build(args.source)
    if provenance["input"]["sha256"] != SOURCE_SHA256:
        print(f"{args.source}: sha256 {provenance['input']['sha256']} differs from the pinned {SOURCE_SHA256}")
        return 1
    text = json.dumps(provenance, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if args.check:
        same = OUT_FILE.read_bytes() == output and PROVENANCE_FILE.read_text(encoding="utf-8") == text
        print("à jour" if same else "périmé : relancer scripts/build_departements_geo.py")
        return 0 if same else 1
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    OUT_FILE.write_bytes(output)
    PROVENANCE_FILE.write_text(text, encoding="utf-8")
    print(
        f"{OUT_FILE.relative_to(REPO_ROOT)} : {provenance['output']['departements']} départements, "
        f"{len(output) / 1024:.0f} Ko"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
