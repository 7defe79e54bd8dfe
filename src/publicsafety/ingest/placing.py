"""Placing event points in area sets: which beat, zone, neighbourhood or tract holds each point.

`place` gives every event row with lon/lat the id of the area it falls in, per area set of its
city, in `placements` (area_id NULL when the row has no point or its point is in no area).
`Placer` does the same for the rows of a load as ingest writes them, batch by batch, keeping
each area set's polygons and grid index between batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import shapely

from publicsafety import tables
from publicsafety.engine import Store
from publicsafety.errors import StoreError
from publicsafety.ingest import geo

EVENT_KINDS = tuple(tables.EVENT_TABLES)

# Share of points outside the area set's box above which the CRS is probably wrong.
SUSPECT_OUTSIDE_SHARE = 0.5


def lon_column(kind: str) -> str:
    # stops follow the Stanford Open Policing names (lng); the other event tables use lon.
    return "lng" if "lng" in tables.column_names(kind) else "lon"


def missing_sql(kind: str, alias: str = "") -> str:
    """SQL true when a row has no usable point. (0, 0) is a sentinel: no US city lies there."""
    lon, lat = f'{alias}"{lon_column(kind)}"', f'{alias}"lat"'
    return (
        f"({lon} IS NULL OR {lat} IS NULL OR isnan({lon}) OR isnan({lat})"
        f" OR ({lon} = 0 AND {lat} = 0))"
    )


def check_kind(kind: str) -> None:
    if kind not in EVENT_KINDS:
        raise StoreError(
            f"{kind!r} is not an event table with points",
            fix=f"use one of {', '.join(EVENT_KINDS)}",
        )


@dataclass(frozen=True)
class PlaceSummary:
    """How the points of one event table and city fell into one area set."""

    kind: str
    city: str
    area_set: str
    rows: int
    placed: int
    not_placed: int  # has a point, but in no area of the set
    no_coordinates: int
    multiple: int  # inside more than one area: the first by area id was taken
    on_boundary: int  # on an area's edge only (placed, counted here too)
    outside_bbox: int  # farther than ~2 km from the set's bounding box: wrong CRS or a bad point

    @property
    def warning(self) -> str | None:
        with_point = self.rows - self.no_coordinates
        if with_point and self.outside_bbox / with_point > SUSPECT_OUTSIDE_SHARE:
            return (
                f"{self.outside_bbox:,} of {with_point:,} {self.kind} points of {self.city} lie "
                f"outside the {self.area_set} boundaries' box: check read.crs in the profile "
                "(state-plane feet?) and that x and y are not swapped"
            )
        return None


class AreaSet:
    """One area set of a city, ready to place points: ids, polygons, box, grid index."""

    def __init__(self, store: Store, city: str, name: str) -> None:
        self.city, self.name = city, name
        polys = store.con.execute(
            "SELECT area_id, geometry FROM areas WHERE city = ? AND area_set = ?"
            " ORDER BY area_id, row_id",
            [city, name],
        ).fetchall()
        self.ids = pa.array([p[0] for p in polys], type=pa.string())
        self.geoms = shapely.from_wkb([p[1] for p in polys]) if polys else np.array([], object)
        self.index: Any = "build"  # geo.assign_points builds a grid unless given one

    def assign(self, lon: np.ndarray, lat: np.ndarray) -> tuple[geo.Assignment, int]:
        """Each point's polygon, and how many points lie outside the set's box."""
        if not len(self.geoms):
            none = np.zeros(len(lon), bool)
            return geo.Assignment(np.full(len(lon), -1, np.int32), none, none.copy()), 0
        found = geo.assign_points(lon, lat, list(self.geoms), self.index)
        xmin, ymin, xmax, ymax = shapely.total_bounds(self.geoms)
        outside = int(geo.outside_bbox(lon, lat, geo.BBox(xmin, ymin, xmax, ymax)).sum())
        return found, outside


def _points(store: Store, kind: str, city: str, where: str, params: list[Any]) -> dict[str, Any]:
    """row_id, lon and lat (NaN where the row has no usable point) of the rows `where` picks."""
    lon = lon_column(kind)
    missing = missing_sql(kind)
    return store.con.execute(
        f"""SELECT row_id, CASE WHEN {missing} THEN 'NaN'::DOUBLE ELSE "{lon}" END AS lon,
        CASE WHEN {missing} THEN 'NaN'::DOUBLE ELSE lat END AS lat
        FROM "{kind}" WHERE city = ? AND {where}""",
        [city, *params],
    ).fetchnumpy()


@dataclass
class Placed:
    """Points of one area set and the areas found for them, ready to write."""

    areas: AreaSet
    row_id: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    found: geo.Assignment | None = None
    outside: int = 0

    def assign(self) -> Placed:
        """Find each point's area (numpy and shapely: may run in another thread)."""
        self.found, self.outside = self.areas.assign(self.lon, self.lat)
        return self

    def write(self, store: Store, kind: str) -> PlaceSummary:
        assert self.found is not None
        found, areas = self.found, self.areas
        area_id = areas.ids.take(pa.array(found.index, mask=found.index < 0))
        new = pa.table({"row_id": pa.array(self.row_id), "area_id": area_id})
        # A relation queried under a name, not con.register: inside the load's transaction a
        # registered view keeps its data until commit.
        store.con.from_arrow(new).query(
            "new_placements",
            f"INSERT INTO placements (kind, row_id, area_set, area_id) SELECT '{kind}', row_id,"
            f" {_quote(areas.name)}, area_id FROM new_placements",
        )
        placed = int((found.index >= 0).sum())
        no_coords = int(np.isnan(self.lon).sum())
        return PlaceSummary(
            kind=kind,
            city=areas.city,
            area_set=areas.name,
            rows=len(self.row_id),
            placed=placed,
            not_placed=len(self.row_id) - placed - no_coords,
            no_coordinates=no_coords,
            multiple=int(found.multiple.sum()),
            on_boundary=int(found.on_boundary.sum()),
            outside_bbox=self.outside,
        )


def _fetch(store: Store, kind: str, areas: AreaSet, where: str, params: list[Any]) -> Placed:
    """The points of the rows of `kind` in `areas`' city that `where` picks."""
    pts = _points(store, kind, areas.city, where, params)
    return Placed(
        areas,
        np.asarray(pts["row_id"], dtype=np.int64),
        np.asarray(pts["lon"], dtype="float64"),
        np.asarray(pts["lat"], dtype="float64"),
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def area_sets(store: Store, city: str) -> list[str]:
    rows = store.con.execute(
        "SELECT DISTINCT area_set FROM areas WHERE city = ? ORDER BY area_set", [city]
    ).fetchall()
    return [r[0] for r in rows]


def _cities(store: Store, kind: str, where: str, params: list[Any]) -> list[str]:
    rows = store.con.execute(
        f'SELECT DISTINCT city FROM "{kind}" WHERE {where} ORDER BY city', params
    ).fetchall()
    return [r[0] for r in rows]


def place(
    store: Store, kind: str, load_id: int | None = None, *, area_set: str | None = None
) -> list[PlaceSummary]:
    """Place the points of one event table in every area set of their city (or only `area_set`).

    Writes one `placements` row per event row and area set (area_id NULL when the row has no point
    or its point is in no area), replacing earlier placements of the same rows. With `load_id`,
    only that load's rows are placed.
    """
    check_kind(kind)
    where, params = "(CAST(? AS INTEGER) IS NULL OR load_id = ?)", [load_id, load_id]
    out = []
    for city in _cities(store, kind, where, params):
        for name in area_sets(store, city):
            if area_set is None or name == area_set:
                areas = AreaSet(store, city, name)
                store.con.execute(
                    f"""DELETE FROM placements WHERE kind = ? AND area_set = ?
                    AND row_id IN (SELECT row_id FROM "{kind}" WHERE city = ? AND {where})""",
                    [kind, name, city, *params],
                )
                out.append(_fetch(store, kind, areas, where, params).assign().write(store, kind))
    return out


class Placer:
    """Places the new rows of one load as ingest writes them.

    `points(lo, hi)` reads the points of rows `lo`..`hi` (row_id) for every area set of their
    city; each `Placed.assign()` may then run in another thread; `Placed.write` stores them.
    The rows are new, so there are no earlier placements to replace; each area set's polygons
    and grid index are made once per load and city, the grid sized for `rows_hint` points.
    """

    def __init__(self, store: Store, kind: str, load_id: int, rows_hint: int) -> None:
        check_kind(kind)
        self.store, self.kind, self.load_id, self.hint = store, kind, load_id, rows_hint
        self.sets: dict[str, list[AreaSet]] = {}

    def _sets(self, city: str) -> list[AreaSet]:
        if city not in self.sets:
            self.sets[city] = [AreaSet(self.store, city, n) for n in area_sets(self.store, city)]
            for areas in self.sets[city]:
                if len(areas.geoms):
                    areas.index = geo.area_grid(list(areas.geoms), self.hint)
        return self.sets[city]

    def points(self, lo: int, hi: int) -> list[Placed]:
        """The points of this load's rows with row_id from `lo` to `hi` (inclusive)."""
        where = "load_id = ? AND row_id BETWEEN ? AND ?"
        params = [self.load_id, lo, hi]
        return [
            _fetch(self.store, self.kind, areas, where, params)
            for city in _cities(self.store, self.kind, where, params)
            for areas in self._sets(city)
        ]
