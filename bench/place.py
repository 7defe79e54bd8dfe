"""Benchmark point placement: N random points (default 1 million) in P polygons (default 200).

The polygons are Voronoi cells tiling a city-sized box, densified to about the vertex count of
real neighbourhood boundaries. Times, medians of 3 runs, one DuckDB thread:
  assign  geo.assign_points on numpy arrays (the geometry work alone);
  place   areas.place end to end: fetch lon/lat from the store, assign, write `placements`.

    python bench/place.py [--points 1000000] [--polygons 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pyarrow as pa
import shapely

from publicsafety.engine import memory_store
from publicsafety.ingest import areas, geo, placing

# A box about 30 km by 25 km, around a fictional city.
XMIN, YMIN, XMAX, YMAX = -92.3, 37.9, -91.95, 38.15


def polygons(n: int, rng: np.random.Generator) -> list[shapely.Geometry]:
    seeds = shapely.multipoints(
        np.column_stack([rng.uniform(XMIN, XMAX, n), rng.uniform(YMIN, YMAX, n)])
    )
    frame = shapely.box(XMIN, YMIN, XMAX, YMAX)
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame))
    cells = shapely.intersection(cells, frame)
    # Real boundaries follow streets and rivers: a few hundred vertices each, not six.
    return list(shapely.segmentize(cells, 0.0005))


def median_seconds(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--polygons", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(20261125)
    polys = polygons(args.polygons, rng)
    # Points spread a little past the box, so some fall outside every polygon; 1 % missing.
    lon = rng.uniform(XMIN - 0.01, XMAX + 0.01, args.points)
    lat = rng.uniform(YMIN - 0.01, YMAX + 0.01, args.points)
    lon[rng.random(args.points) < 0.01] = np.nan
    vertices = int(shapely.get_num_coordinates(np.array(polys, dtype=object)).sum())

    t_assign = median_seconds(lambda: geo.assign_points(lon, lat, polys), args.runs)

    store = memory_store(threads=1)
    con = store.con
    geoms = np.array(polys, dtype=object)
    b = shapely.bounds(geoms)
    n = len(polys)
    con.register(
        "_a",
        pa.table(
            {
                "city": ["Bench"] * n,
                "row_id": np.arange(1, n + 1),
                "area_set": ["cells"] * n,
                "area_id": [f"{i:03d}" for i in range(n)],
                "geometry": pa.array(list(shapely.to_wkb(geoms)), pa.binary()),
                "xmin": b[:, 0],
                "ymin": b[:, 1],
                "xmax": b[:, 2],
                "ymax": b[:, 3],
            }
        ),
    )
    con.execute("INSERT INTO areas BY NAME SELECT * FROM _a")
    con.register(
        "_p",
        pa.table({"row_id": np.arange(1, args.points + 1), "lon": lon, "lat": lat}),
    )
    con.execute(
        "INSERT INTO calls (city, load_id, row_id, lon, lat) SELECT 'Bench', 1, row_id, lon, lat FROM _p"
    )
    summaries: list[placing.PlaceSummary] = []

    def run_place() -> None:
        summaries[:] = areas.place(store, "calls")

    t_place = median_seconds(run_place, args.runs)
    s = summaries[0]
    print(
        f"{args.points:,} points in {len(polys)} polygons ({vertices:,} vertices), {args.runs} runs"
    )
    print(f"  assign_points  median {t_assign:6.2f} s  {args.points / t_assign:12,.0f} points/s")
    print(f"  place (store)  median {t_place:6.2f} s  {args.points / t_place:12,.0f} points/s")
    print(
        f"  placed {s.placed:,}  not placed {s.not_placed:,}  no coordinates {s.no_coordinates:,}"
        f"  on an edge {s.on_boundary:,}  multiple {s.multiple:,}"
    )
    assert store.count("placements") == args.points
    store.close()


if __name__ == "__main__":
    main()
