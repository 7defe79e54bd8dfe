"""The grid index places points exactly as testing each point with shapely does.

Compared on real boundary files (with a buffered copy of one area laid over its neighbours, so
some points are in two areas) and on shapes with holes, with points on vertices, on the middle
of edges, outside every area and without coordinates.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, shape
from tests.conftest import real_data

from publicsafety.ingest import geo, grid

BOUNDARIES = [
    ("new_orleans_neighborhoods_geo", "neighborhoods.geojson"),
    ("minneapolis_neighborhoods_geo", "Neighborhoods.geojson"),
    ("baltimore_csa_geo", "baltimore_csa2010.geojson"),
]


def hard_points(polys: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random points over the areas' box and a margin, then vertices, edge midpoints, NaN."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = shapely.total_bounds(polys)
    lon = rng.uniform(x0 - 0.01, x1 + 0.01, n)
    lat = rng.uniform(y0 - 0.01, y1 + 0.01, n)
    coords = shapely.get_coordinates(polys)
    k = min(len(coords) - 1, n // 4)
    lon[:k], lat[:k] = coords[:k, 0], coords[:k, 1]
    mid = (coords[:k] + coords[1 : k + 1]) / 2
    lon[k : 2 * k], lat[k : 2 * k] = mid[:, 0], mid[:, 1]
    lon[2 * k : 2 * k + 100] = np.nan
    return lon, lat


def assert_same(lon: np.ndarray, lat: np.ndarray, polys: np.ndarray) -> geo.Assignment:
    index = geo.area_grid(polys, len(lon))
    assert index is not None, "the grid is not used at this size"
    fast = geo.assign_points(lon, lat, polys, index)
    exact = geo._assign_exact(lon, lat, polys)
    np.testing.assert_array_equal(fast.index, exact.index)
    np.testing.assert_array_equal(fast.multiple, exact.multiple)
    np.testing.assert_array_equal(fast.on_boundary, exact.on_boundary)
    # Most points are answered by the grid alone.
    assert (index.lookup(lon, lat) == grid.EXACT).mean() < 0.5
    return exact


@pytest.mark.real_data
@pytest.mark.parametrize(("folder", "name"), BOUNDARIES)
def test_real_boundaries(folder: str, name: str) -> None:
    features = json.loads(real_data(folder, name).read_text())["features"]
    polys = np.array([shape(f["geometry"]) for f in features if f["geometry"]], dtype=object)
    polys = np.append(polys, polys[3].buffer(0.003))  # overlaps its neighbours
    lon, lat = hard_points(polys, 300_000, seed=len(polys))
    exact = assert_same(lon, lat, polys)
    assert exact.on_boundary.sum() > 1000 and exact.multiple.sum() > 50


def test_holes_overlaps_and_a_point_area() -> None:
    ring = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (7, 3), (7, 7), (3, 7)]])
    polys = np.array([ring, shapely.box(4, 4, 6, 6), shapely.box(8, 8, 12, 12),
                      shapely.box(20, 0, 21, 1)], dtype=object)  # fmt: skip
    lon, lat = hard_points(polys, 100_000, seed=1)
    exact = assert_same(lon, lat, polys)
    # The hole belongs to the small box inside it, not to the ring around it.
    assert exact.index[(lon > 4.5) & (lon < 5.5) & (lat > 4.5) & (lat < 5.5)].tolist() == [1] * int(
        ((lon > 4.5) & (lon < 5.5) & (lat > 4.5) & (lat < 5.5)).sum()
    )


def test_small_inputs_skip_the_grid() -> None:
    assert geo.area_grid([shapely.box(0, 0, 1, 1)], 1_000) is None
