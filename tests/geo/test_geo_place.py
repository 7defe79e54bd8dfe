"""Area sets and point placement on small synthetic polygons: holes, shared edges, multipolygons,
overlaps, points outside, missing and (0, 0) coordinates, reloads and places named by attribute."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from publicsafety.engine import Store
from publicsafety.errors import StoreError
from publicsafety.ingest import areas, geo, placing
from publicsafety.profiles import Profile, parse_profile

CITY = "Sample Town"


def f(x: float, y: float) -> list[float]:
    """Grid units to lon/lat near New Orleans; polygons and points share it, so edges are exact."""
    return [-90 + x / 100, 30 + y / 100]


def ring(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [f(x0, y0), f(x1, y0), f(x1, y1), f(x0, y1), f(x0, y0)]


def feature(props: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


FEATURES = [
    # A: 0..10 square with a hole 4..6; B: 10..20 square sharing A's east edge.
    feature(
        {"ID": "A", "NAME": "Alpha - North", "POP": "1,200"},
        {"type": "Polygon", "coordinates": [ring(0, 0, 10, 10), ring(4, 4, 6, 6)]},
    ),
    feature(
        {"ID": "B", "NAME": "Bravo", "POP": 800},
        {"type": "Polygon", "coordinates": [ring(10, 0, 20, 10)]},
    ),
    # C: two squares, one area.
    feature(
        {"ID": "C", "NAME": "Charlie", "POP": None},
        {"type": "MultiPolygon", "coordinates": [[ring(0, 20, 5, 25)], [ring(15, 20, 20, 25)]]},
    ),
    # D lies inside B: points there match both; B comes first in area id order.
    feature(
        {"ID": "D", "NAME": "Delta", "POP": 50},
        {"type": "Polygon", "coordinates": [ring(12, 2, 18, 8)]},
    ),
    feature(
        {"ID": "", "NAME": "Nameless", "POP": 1},
        {"type": "Polygon", "coordinates": [ring(30, 0, 31, 1)]},
    ),
    feature({"ID": "F", "NAME": "Foxtrot", "POP": 2}, None),
    feature(
        {"ID": "G", "NAME": "Golf", "POP": "many"},
        {"type": "Polygon", "coordinates": [ring(40, 0, 41, 1)]},
    ),
]

# (grid x, grid y) or None, and the area expected.
POINTS: list[tuple[tuple[float, float] | None, str | None]] = [
    ((2, 2), "A"),
    ((5, 5), None),  # in A's hole
    ((4, 5), "A"),  # on the hole's edge
    ((10, 5), "A"),  # on the edge A and B share: first by id
    ((15, 5), "B"),  # in B and in D
    ((11, 1), "B"),
    ((2, 22), "C"),
    ((17, 22), "C"),  # C's second part
    ((10, 22), None),  # between C's parts
    ((1000, 1000), None),  # far out of town
    (None, None),  # no coordinates
]


def areas_profile(area_set: str = "wards", population: bool = True) -> Profile:
    spec = {"area_set": area_set, "id": "ID", "name": "NAME"}
    if population:
        spec["population"] = "POP"
    return parse_profile(
        {
            "profile": {"name": "sample_town_wards", "city": CITY, "kind": "areas"},
            "read": {"format": "geojson"},
            "areas": spec,
        }
    )


def write_geojson(path: Path, feats: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    return path


def add_points(store: Store, kind: str, points: list, load_id: int = 1, city: str = CITY) -> None:
    lon_col = "lng" if kind == "stops" else "lon"
    start = store.con.execute(f"SELECT coalesce(max(row_id), 0) FROM {kind}").fetchall()[0][0]
    for i, (xy, _) in enumerate(points, start=1):
        lon, lat = f(*xy) if xy else (None, None)
        store.con.execute(
            f"INSERT INTO {kind} (city, load_id, row_id, source_file, source_line, {lon_col}, lat)"
            " VALUES (?, ?, ?, 'events.csv', ?, ?, ?)",
            [city, load_id, start + i, i + 1, lon, lat],
        )


def placed(store: Store, kind: str = "calls", area_set: str = "wards") -> list[str | None]:
    rows = store.con.execute(
        "SELECT e.source_line, p.area_id FROM placements p JOIN "
        f"{kind} e ON e.row_id = p.row_id WHERE p.kind = ? AND p.area_set = ? ORDER BY e.row_id",
        [kind, area_set],
    ).fetchall()
    return [r[1] for r in rows]


@pytest.fixture
def wards(store: Store, tmp_path: Path) -> Store:
    counts = areas.load_areas(
        store, write_geojson(tmp_path / "wards.geojson", FEATURES), areas_profile(), 1
    )
    assert counts == (7, 4, 3)
    return store


def test_load_areas_writes_rows_with_trace_bbox_and_population(wards: Store) -> None:
    rows = wards.con.execute(
        "SELECT area_id, name, population, source_line, source_file, load_id, xmin, ymax,"
        " geometry FROM areas ORDER BY area_id"
    ).fetchall()
    assert [r[:6] for r in rows] == [
        ("A", "Alpha - North", 1200.0, 1, "wards.geojson", 1),
        ("B", "Bravo", 800.0, 2, "wards.geojson", 1),
        ("C", "Charlie", None, 3, "wards.geojson", 1),
        ("D", "Delta", 50.0, 4, "wards.geojson", 1),
    ]
    assert rows[0][6] == f(0, 0)[0] and rows[2][7] == f(0, 25)[1]
    hole = shapely.from_wkb(rows[0][8])
    assert isinstance(hole, Polygon) and len(hole.interiors) == 1


def test_features_without_id_geometry_or_number_are_quarantined_not_dropped(wards: Store) -> None:
    got = wards.con.execute(
        "SELECT source_line, column_name, value, reason, kind, load_id, raw FROM quarantine"
        " ORDER BY source_line"
    ).fetchall()
    assert [g[:6] for g in got] == [
        (5, "ID", "", "no area id in field 'ID'", "areas", 1),
        (6, "geometry", None, "feature has no geometry", "areas", 1),
        (7, "POP", "many", "population 'many' is not a number", "areas", 1),
    ]
    assert json.loads(got[2][6])["properties"]["NAME"] == "Golf"


def test_place_holes_edges_multipolygons_overlaps_outside_and_missing(wards: Store) -> None:
    add_points(wards, "calls", POINTS)
    wards.con.execute(
        "INSERT INTO calls (city, load_id, row_id, lon, lat) VALUES (?, 1, 99, 0, 0)", [CITY]
    )
    (summary,) = areas.place(wards, "calls")
    assert placed(wards) == [want for _, want in POINTS] + [None]
    assert summary == placing.PlaceSummary(
        kind="calls",
        city=CITY,
        area_set="wards",
        rows=12,
        placed=7,
        not_placed=3,  # the hole, between C's parts, far away
        no_coordinates=2,  # NULL, and the (0, 0) sentinel
        multiple=1,  # (15, 5) in B and D
        on_boundary=2,  # hole edge, shared edge
        outside_bbox=1,
    )
    assert summary.warning is None
    # Placing again replaces, never duplicates.
    areas.place(wards, "calls")
    assert wards.count("placements") == 12


def test_stops_use_the_lng_column(wards: Store) -> None:
    add_points(wards, "stops", POINTS[:3])
    (summary,) = areas.place(wards, "stops")
    assert (summary.kind, summary.placed, summary.not_placed) == ("stops", 2, 1)
    assert placed(wards, "stops") == ["A", None, "A"]


def test_place_one_load_leaves_other_loads_alone(wards: Store) -> None:
    add_points(wards, "calls", POINTS[:2], load_id=1)
    add_points(wards, "calls", POINTS[4:6], load_id=2)
    (summary,) = areas.place(wards, "calls", load_id=2)
    assert summary.rows == 2 and summary.placed == 2
    assert placed(wards) == ["B", "B"]


def test_areas_of_another_city_are_not_used(wards: Store) -> None:
    add_points(wards, "calls", POINTS[:1], city="Elsewhere")
    assert areas.place(wards, "calls") == []


def test_loading_areas_places_points_already_loaded(store: Store, tmp_path: Path) -> None:
    add_points(store, "calls", POINTS)
    areas.load_areas(store, write_geojson(tmp_path / "w.geojson", FEATURES), areas_profile(), 3)
    assert placed(store) == [want for _, want in POINTS]


def test_reloading_an_area_set_replaces_it_and_re_places(wards: Store, tmp_path: Path) -> None:
    add_points(wards, "calls", POINTS)
    areas.place(wards, "calls")
    # The new version of the set has only A (as one solid square) and no bad features.
    solid = feature(
        {"ID": "A", "NAME": "Alpha", "POP": 5},
        {"type": "Polygon", "coordinates": [ring(0, 0, 10, 10)]},
    )
    counts = areas.load_areas(
        wards, write_geojson(tmp_path / "v2.geojson", [solid]), areas_profile(), 2
    )
    assert counts == (1, 1, 0)
    assert wards.con.execute("SELECT area_id, load_id FROM areas").fetchall() == [("A", 2)]
    assert wards.count("quarantine") == 0  # the old load's quarantined features went with it
    assert placed(wards) == ["A", "A", "A", "A", None, None, None, None, None, None, None]
    assert wards.count("placements") == len(POINTS)


def test_a_second_area_set_is_kept_beside_the_first(wards: Store, tmp_path: Path) -> None:
    add_points(wards, "calls", POINTS[:1])
    districts = [
        feature({"ID": 1, "NAME": "One"}, {"type": "Polygon", "coordinates": [ring(0, 0, 50, 50)]})
    ]
    areas.load_areas(
        wards,
        write_geojson(tmp_path / "d.geojson", districts),
        areas_profile("districts", False),
        2,
    )
    assert placed(wards, area_set="districts") == ["1"]
    assert placed(wards, area_set="wards") == []  # loading districts placed in districts only
    summary = areas.place(wards, "calls")
    assert [s.area_set for s in summary] == ["districts", "wards"]
    assert placed(wards, area_set="wards") == ["A"]
    assert wards.count("areas") == 5


def test_wrong_crs_is_flagged(wards: Store) -> None:
    # Louisiana state-plane feet stored as if they were lon/lat.
    wards.con.execute(
        "INSERT INTO calls (city, load_id, row_id, lon, lat) VALUES (?, 1, 1, 3692036, 543335),"
        " (?, 1, 2, 3692040, 543340)",
        [CITY, CITY],
    )
    (summary,) = areas.place(wards, "calls")
    assert summary.outside_bbox == 2 and summary.not_placed == 2
    assert summary.warning is not None and "read.crs" in summary.warning


def test_placement_summary_adds_up_per_area_set(wards: Store) -> None:
    add_points(wards, "calls", POINTS)
    areas.place(wards, "calls")
    add_points(wards, "calls", POINTS[:2], load_id=2)  # loaded, not yet placed
    assert areas.placement_summary(wards) == [
        {
            "kind": "calls",
            "city": CITY,
            "area_set": "wards",
            "rows": 13,
            "placed": 7,
            "not_placed": 3,
            "no_coordinates": 1,
            "pending": 2,
        }
    ]


def test_place_by_attribute_fills_unplaced_rows_and_measures_agreement(wards: Store) -> None:
    names = ["alpha-north", "ALPHA -  NORTH", "Bravo", "bravo", "D", "Nowhere", None]
    pts = [(2, 2), None, (2, 2), None, (15, 5), None, None]
    for i, (name, xy) in enumerate(zip(names, pts, strict=True), start=1):
        lon, lat = f(*xy) if xy else (None, None)
        wards.con.execute(
            "INSERT INTO stops (city, load_id, row_id, neighborhood, lng, lat) VALUES (?, 1, ?, ?, ?, ?)",
            [CITY, i, name, lon, lat],
        )
    areas.place(wards, "stops")
    (got,) = areas.place_by_attribute(wards, "stops", "neighborhood", "wards")
    assert (got.rows_with_value, got.matched, got.filled, got.agree, got.disagree) == (
        6,
        5,
        2,
        1,
        2,
    )
    assert got.agreement == pytest.approx(1 / 3)
    assert got.unmatched == {"Nowhere": 1}
    # The point wins where there is one; the name fills rows without one.
    assert placed(wards, "stops") == ["A", "A", "A", "B", "B", None, None]


def test_place_by_attribute_with_transform(wards: Store) -> None:
    for i, beat in enumerate(["B07", "C11", "X01", "b02"], start=1):
        wards.con.execute(
            "INSERT INTO calls (city, load_id, row_id, beat) VALUES (?, 1, ?, ?)", [CITY, i, beat]
        )
    (got,) = areas.place_by_attribute(wards, "calls", "beat", "wards", transform=lambda b: b[:1])
    assert (got.matched, got.filled) == (3, 3)
    assert got.unmatched == {"X01": 1}
    assert placed(wards) == ["B", "C", "B"]


def test_place_rejects_tables_without_points(store: Store) -> None:
    with pytest.raises(StoreError):
        areas.place(store, "budget")
    with pytest.raises(StoreError):
        areas.place_by_attribute(store, "calls", "no_such_column", "wards")


def test_normalise_name() -> None:
    assert areas.normalise_name("Bryn- Mawr") == areas.normalise_name("BRYN - MAWR") == "BRYN MAWR"
    assert areas.normalise_name("  Cedar_Riverside ") == "CEDAR RIVERSIDE"


def brute_force(lon: np.ndarray, lat: np.ndarray, polys: list) -> list[int]:
    """The rule, one point at a time: first polygon containing the point, else first touching it."""
    out = []
    for x, y in zip(lon, lat, strict=True):
        p = shapely.Point(x, y)
        hit = next((i for i, g in enumerate(polys) if g.contains(p)), None)
        if hit is None:
            hit = next((i for i, g in enumerate(polys) if g.intersects(p)), -1)
        out.append(hit if np.isfinite(x) and np.isfinite(y) else -1)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_assign_points_matches_brute_force_on_random_overlaps(seed: int) -> None:
    rng = np.random.default_rng(seed)
    polys = []
    for _ in range(25):
        x, y = rng.integers(0, 40, 2) / 4
        w, h = rng.integers(2, 16, 2) / 4
        polys.append(
            box(x, y, x + w, y + h) if rng.random() < 0.5 else shapely.Point(x, y).buffer(w / 2)
        )
    # Points on the boxes' 0.25 grid hit their edges exactly; a few are missing.
    lon = rng.integers(-4, 60, 2000) / 4
    lat = rng.integers(-4, 60, 2000) / 4
    lon[::97] = np.nan
    got = geo.assign_points(lon, lat, polys)
    assert got.index.tolist() == brute_force(lon, lat, polys)
    assert got.on_boundary.sum() > 0 and got.multiple.sum() > 0


grid = st.integers(0, 12)


@st.composite
def framed_squares(draw: st.DrawFn) -> shapely.Geometry:
    """A square on the integer grid, sometimes with a square hole."""
    x, y, size = draw(grid), draw(grid), draw(st.integers(2, 8))
    shell = box(x, y, x + size, y + size)
    if size >= 4 and draw(st.booleans()):
        return shell.difference(box(x + 1, y + 1, x + size - 1, y + size - 1))
    return shell


@settings(max_examples=60, deadline=None)
@given(
    polys=st.lists(framed_squares(), min_size=1, max_size=8),
    pts=st.lists(st.tuples(grid, grid), min_size=1, max_size=60),
)
def test_assign_points_property_first_containing_then_first_touching(
    polys: list, pts: list[tuple[int, int]]
) -> None:
    lon = np.array([p[0] for p in pts], dtype="float64")
    lat = np.array([p[1] for p in pts], dtype="float64")
    got = geo.assign_points(lon, lat, polys)
    assert got.index.tolist() == brute_force(lon, lat, polys)
    # A point counts as multiple only when two interiors hold it, and never also as an edge point.
    assert not (got.multiple & got.on_boundary).any()
