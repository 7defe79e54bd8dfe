"""Coordinates and boundary files: reproject city coordinates to WGS84 and read area polygons.

City files often give x/y in state-plane feet (New Orleans EPSG:3452, Sacramento EPSG:2226, NYC
EPSG:2263, Portland's .prj in international feet); everything in the store is WGS84 lon/lat.
"""

from __future__ import annotations

import codecs
import difflib
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapefile
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from publicsafety.errors import InputError, ProfileError, Where

WGS84 = "EPSG:4326"

# Encodings as ESRI tools write them in .cpg files, mapped to Python codec names.
_CPG_ALIASES = {
    "ANSI 1252": "cp1252",
    "1252": "cp1252",
    "ISO 8859-1": "latin-1",
    "88591": "latin-1",
    "65001": "utf-8",
}


@dataclass(frozen=True)
class BBox:
    """A lon/lat bounding box."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float

    def expand(self, margin: float) -> BBox:
        return BBox(self.xmin - margin, self.ymin - margin, self.xmax + margin, self.ymax + margin)


def parse_crs(crs: str | Path) -> pyproj.CRS:
    """A CRS from "EPSG:nnnn", any string pyproj reads (WKT, PROJ), or the path of a .prj file."""
    text = str(crs).strip()
    if text.lower().endswith(".prj") and Path(text).exists():
        text = Path(text).read_text(encoding="utf-8", errors="replace").strip()
    try:
        return pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError as exc:
        raise ProfileError(
            f"unknown coordinate reference system {str(crs)[:80]!r}",
            fix='set read.crs in the city profile to "EPSG:nnnn" (for example EPSG:3452 for '
            "Louisiana South state-plane feet) or to the text of the .prj file beside the data",
        ) from exc


@lru_cache(maxsize=32)
def _transformer(crs: str) -> pyproj.Transformer | None:
    source = parse_crs(crs)
    if source == pyproj.CRS.from_user_input(WGS84):
        return None
    # always_xy: inputs and outputs are (x, y) = (lon, lat), whatever the CRS's axis order says.
    return pyproj.Transformer.from_crs(source, WGS84, always_xy=True)


def to_wgs84(x: np.ndarray, y: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (float64 arrays) of points given in `crs`; NaN stays NaN.

    Points the projection cannot convert (pyproj returns inf) become NaN too.
    """
    xa = np.asarray(x, dtype="float64")
    ya = np.asarray(y, dtype="float64")
    t = _transformer(str(crs))
    if t is None:
        lon, lat = xa.copy(), ya.copy()
    else:
        lon, lat = t.transform(xa, ya)
        lon, lat = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    lon[bad] = np.nan
    lat[bad] = np.nan
    return lon, lat


def outside_bbox(lon: np.ndarray, lat: np.ndarray, bbox: BBox, margin: float = 0.02) -> np.ndarray:
    """True for points with coordinates that lie outside `bbox` widened by `margin` degrees.

    Points outside the city's box are almost always a wrong CRS, swapped x/y or a sentinel such as
    (0, 0); missing coordinates are not flagged here (they are counted as missing elsewhere).
    """
    box = bbox.expand(margin)
    with np.errstate(invalid="ignore"):
        inside = (lon >= box.xmin) & (lon <= box.xmax) & (lat >= box.ymin) & (lat <= box.ymax)
    return ~inside & np.isfinite(lon) & np.isfinite(lat)


@dataclass
class Feature:
    """One feature of a boundary file; `problem` says why it cannot be loaded (None when fine)."""

    number: int  # 1-based feature number in the file (stored as source_line)
    id: str | None
    name: str | None
    geometry: BaseGeometry | None
    properties: dict[str, Any]
    problem: str | None = None
    problem_column: str | None = None
    raw: str = ""


@dataclass
class PolygonFile:
    """What `read_polygons` found: the features, how many geometries were repaired, the source CRS."""

    path: Path
    features: list[Feature] = field(default_factory=list)
    repaired: int = 0
    crs: str = WGS84


def _text(value: Any) -> str | None:
    """An id or name as text: integral floats lose their ".0" (DBF numeric fields)."""
    if value is None:
        return None
    if isinstance(value, float):
        if not np.isfinite(value):
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """The polygon part of a geometry (make_valid may return a collection with stray lines)."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon | MultiPolygon)]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if isinstance(merged, Polygon | MultiPolygon) else None


def dbf_encoding(shp: Path) -> str:
    cpg = shp.with_suffix(".cpg")
    if not cpg.exists():
        return "utf-8"
    name = cpg.read_text(encoding="ascii", errors="replace").strip()
    try:
        # A name Python knows is passed as written, so pyshp (which reads the .cpg too) agrees.
        codecs.lookup(name)
        return name
    except LookupError:
        return _CPG_ALIASES.get(name.upper(), "utf-8")


def _read_shapefile(path: Path, crs: str | None) -> tuple[list[dict[str, Any]], str | None]:
    prj = path.with_suffix(".prj")
    source_crs = crs or (
        prj.read_text(encoding="utf-8", errors="replace") if prj.exists() else None
    )
    encoding = dbf_encoding(path)
    try:
        reader = shapefile.Reader(str(path), encoding=encoding)
    except (shapefile.ShapefileException, OSError) as exc:
        raise InputError(
            f"cannot read the shapefile: {exc}",
            where=str(path),
            fix="a shapefile needs its .shp, .shx and .dbf side by side with the same name",
        ) from exc
    records: list[dict[str, Any]] = []
    with reader, warnings.catch_warnings():
        # pyshp warns when our encoding name differs from the .cpg text ("ANSI 1252" -> cp1252).
        warnings.filterwarnings("ignore", message="Specified encoding")
        names = [f[0] for f in reader.fields[1:]]
        try:
            for sr in reader.iterShapeRecords():
                props = dict(zip(names, list(sr.record), strict=True))
                shp = sr.shape
                geom = shp.__geo_interface__ if shp.shapeType != shapefile.NULL else None
                records.append({"properties": props, "geometry": geom})
        except (UnicodeDecodeError, shapefile.ShapefileException) as exc:
            raise InputError(
                f"the attribute table is not {encoding}: {exc}",
                where=Where(str(path.with_suffix(".dbf")), len(records) + 1),
                fix="write the right encoding (for example ISO-8859-1) into the .cpg file",
            ) from exc
    return records, source_crs


def _geojson_crs(data: dict[str, Any]) -> str | None:
    # The 2008 GeoJSON spec allowed a "crs" member; RFC 7946 files are always WGS84.
    name = (data.get("crs") or {}).get("properties", {}).get("name")
    if not name:
        return None
    if "CRS84" in name.upper():
        return WGS84
    if "EPSG" in name.upper():
        return "EPSG:" + name.replace("::", ":").rsplit(":", 1)[-1]
    return str(name)


def _read_geojson(path: Path, crs: str | None) -> tuple[list[dict[str, Any]], str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(
            f"not valid GeoJSON: {exc}",
            where=Where(str(path), line),
            fix="export the boundaries again as GeoJSON, or as a shapefile",
        ) from exc
    if data.get("type") == "Feature":
        features = [data]
    elif data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        features = data["features"]
    else:
        raise InputError(
            f"GeoJSON of type {data.get('type')!r} holds no features",
            where=str(path),
            fix="give a FeatureCollection of Polygon or MultiPolygon features",
        )
    records = [
        {"properties": f.get("properties") or {}, "geometry": f.get("geometry")}
        if isinstance(f, dict)
        else {"properties": {}, "geometry": None}
        for f in features
    ]
    return records, crs or _geojson_crs(data)


def _bounds_look_geographic(geoms: list[BaseGeometry]) -> bool:
    if not geoms:
        return True
    xmin, ymin, xmax, ymax = shapely.total_bounds(np.array(geoms, dtype=object))
    return bool(-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90)


def read_polygons(
    path: Path | str, *, id_field: str, name_field: str | None = None, crs: str | None = None
) -> PolygonFile:
    """Features of a GeoJSON file or ESRI shapefile, geometries in WGS84.

    The CRS is `crs` when given, else the shapefile's .prj (or the GeoJSON "crs" member), else
    WGS84. Invalid geometries are repaired with shapely.make_valid and counted; features without
    an id or a polygon keep a `problem` so the caller can quarantine them.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".shp":
        raw, source_crs = _read_shapefile(path, crs)
    elif suffix in (".geojson", ".json"):
        raw, source_crs = _read_geojson(path, crs)
    else:
        raise InputError(
            f"unknown boundary file type {suffix!r}",
            where=str(path),
            fix="give a .geojson / .json file or the .shp of a shapefile",
        )
    if raw:
        fields = set().union(*(r["properties"] for r in raw))
        for wanted in (id_field, name_field):
            if wanted and wanted not in fields:
                close = difflib.get_close_matches(wanted, sorted(fields), n=3, cutoff=0.4)
                raise InputError(
                    f"the boundary file has no field {wanted!r}",
                    where=Where(str(path), column=wanted),
                    fix=f"fields in the file: {', '.join(sorted(fields))}"
                    + (f"; closest: {', '.join(close)}" if close else ""),
                )
    result = PolygonFile(path=path)
    geoms: list[BaseGeometry | None] = []
    for number, rec in enumerate(raw, start=1):
        props = rec["properties"]
        feat = Feature(
            number=number,
            id=_text(props.get(id_field)),
            name=_text(props.get(name_field)) if name_field else None,
            geometry=None,
            properties=props,
            raw=json.dumps({"properties": props}, default=str, ensure_ascii=False),
        )
        geom = None
        if rec["geometry"]:
            try:
                geom = shape(rec["geometry"])
            except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
                feat.problem, feat.problem_column = f"unreadable geometry: {exc}", "geometry"
        geoms.append(geom)
        result.features.append(feat)
    present = [g for g in geoms if g is not None]
    if source_crs is None:
        if not _bounds_look_geographic(present):
            raise InputError(
                "the boundary file gives no coordinate reference system and its coordinates "
                "are not longitude/latitude",
                where=str(path),
                fix="put the .prj file beside the .shp, or set read.crs in the profile "
                '(for example crs = "EPSG:3452")',
            )
        source_crs = WGS84
    result.crs = source_crs
    transformer = _transformer(source_crs)
    for feat, geom in zip(result.features, geoms, strict=True):
        if geom is None or geom.is_empty:
            if feat.problem is None:
                feat.problem, feat.problem_column = "feature has no geometry", "geometry"
            continue
        if transformer is not None:
            geom = shapely.transform(geom, _projector(transformer))
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
            result.repaired += 1
        poly = _polygonal(geom)
        if poly is None or poly.is_empty:
            feat.problem = f"geometry is a {geom.geom_type}, not a polygon"
            feat.problem_column = "geometry"
            continue
        feat.geometry = poly
        if feat.id is None:
            feat.problem, feat.problem_column = f"no area id in field {id_field!r}", id_field
    return result


def _projector(transformer: pyproj.Transformer) -> Any:
    def project(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return project


@dataclass
class Assignment:
    """Index into the polygon list for each point (-1: in none), and match details."""

    index: np.ndarray
    multiple: np.ndarray
    on_boundary: np.ndarray


def area_grid(geoms: Sequence[object] | np.ndarray, points: int) -> Any:
    """A grid index (ingest/grid.py) for `geoms`, sized for about `points` points, or None when
    exact tests alone are as quick."""
    from publicsafety.ingest import grid

    polys = np.asarray(geoms, dtype=object)

    def centres(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        found = _assign_exact(x, y, polys)
        return found.index, np.where(found.index < 0, 0, np.where(found.multiple, 2, 1))

    return grid.build(polys, points, centres)


def assign_points(
    lon: np.ndarray, lat: np.ndarray, geoms: Sequence[object], index: Any = "build"
) -> Assignment:
    """The first polygon (in list order) containing each point (see `_assign_exact`).

    For many points a grid (`area_grid`, built here unless `index` is given: one, or None for
    none) answers for those in cells far from every edge, and only the rest are tested one by
    one: the same answers, much faster.
    """
    from publicsafety.ingest import grid

    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    polys = np.asarray(geoms, dtype=object)
    if isinstance(index, str):
        index = area_grid(polys, len(lon))
    if index is None:
        return _assign_exact(lon, lat, polys)
    code = index.lookup(lon, lat)
    exact = np.flatnonzero(code == grid.EXACT)
    found = _assign_exact(lon[exact], lat[exact], polys)
    out = Assignment(code, np.zeros(len(lon), dtype=bool), np.zeros(len(lon), dtype=bool))
    out.index[exact] = found.index
    out.multiple[exact] = found.multiple
    out.on_boundary[exact] = found.on_boundary
    return out


def _assign_exact(
    lon: np.ndarray, lat: np.ndarray, geoms: Sequence[object] | np.ndarray
) -> Assignment:
    """The first polygon (in list order) containing each point; vectorised with shapely 2.

    Points are sorted by longitude once, so each polygon's bounding box selects its candidates with
    a binary search plus a latitude test on that slice, and only those go to `contains_xy`. Points
    in no polygon's interior get a second pass with `intersects_xy`, so a point exactly on an edge
    (street centre lines are often boundaries) still lands in an area.
    """
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    finite = np.isfinite(lon) & np.isfinite(lat)
    order = np.argsort(np.where(finite, lon, np.inf), kind="stable")
    xs, ys = lon[order], lat[order]
    n_finite = int(finite.sum())
    index = np.full(len(lon), -1, dtype=np.int32)
    hits = np.zeros(len(lon), dtype=np.int32)
    boundary = np.zeros(len(lon), dtype=bool)
    polys = np.asarray(geoms, dtype=object)
    shapely.prepare(polys)
    bounds = shapely.bounds(polys)

    def candidates(i: int) -> np.ndarray:
        xmin, ymin, xmax, ymax = bounds[i]
        lo = int(np.searchsorted(xs[:n_finite], xmin, side="left"))
        hi = int(np.searchsorted(xs[:n_finite], xmax, side="right"))
        seg = ys[lo:hi]
        return np.flatnonzero((seg >= ymin) & (seg <= ymax)) + lo

    for i, poly in enumerate(polys):
        cand = candidates(i)
        if cand.size:
            inside = cand[shapely.contains_xy(poly, xs[cand], ys[cand])]
            hits[inside] += 1
            first = inside[index[inside] < 0]
            index[first] = i
    if (index[:n_finite] < 0).any():
        for i, poly in enumerate(polys):
            cand = candidates(i)
            cand = cand[index[cand] < 0]
            if cand.size:
                edge = cand[shapely.intersects_xy(poly, xs[cand], ys[cand])]
                index[edge] = i
                boundary[edge] = True
    out = Assignment(np.empty_like(index), np.empty_like(boundary), np.empty_like(boundary))
    out.index[order] = index
    out.multiple[order] = hits > 1
    out.on_boundary[order] = boundary
    return out
