"""Benchmark service demand and places at growing sizes on DuckDB and on Spark local mode.

For each size (millions of synthetic calls, default 1, 10 and 50) it generates one DuckDB store
with points in a fictional city of 200 neighbourhood polygons (bench/place.py's Voronoi cells),
then runs, each variant in its own subprocess on its own copy of the store:
  duckdb  the toolkit on the embedded store (threads = 2, as many as Spark's local[2]);
  spill   demand and places with DuckDB's memory limit set below the store's size, spilling to
          disk (largest size only, unless --spill-all). Placement is numpy work in Python that
          no DuckDB limit bounds, so this variant starts from a store already placed;
  spark   Spark local mode (local[2], 2 GB driver): tables copied to Parquet, then the same
          analysis functions, unchanged (Ibis on PySpark), and engines/spark.py's placement.
Steps timed, once each (the machine is shared: compare sizes, not single seconds):
  place   area assignment of every call (ingest.areas.place / engines.spark.place);
  demand  demand_by for every table dimension and demand_by_area for the neighbourhoods;
  places  calls from the community and officer-initiated calls per neighbourhood (the places
          analysis' area_frame).
Peak memory is the largest resident set of the variant's whole process tree (Python, and for
Spark its JVM and Python workers), sampled every 0.2 s from /proc (Linux).

    python bench/scale.py [--sizes 1,10,50] [--variants duckdb,spill,spark] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import shapely

from publicsafety.analysis.demand import TABLE_DIMENSIONS, demand_by, demand_by_area
from publicsafety.analysis.places.area_profiles import area_frame
from publicsafety.analysis.scope import Scope
from publicsafety.engine import Store, create_schema, open_store
from publicsafety.engines import spark
from publicsafety.ingest import areas

sys.path.insert(0, str(Path(__file__).parent))
from place import XMAX, XMIN, YMAX, YMIN, polygons

CITY = "Bench City"
SET = "neighborhoods"
CATEGORIES = ["violent_crime", "property_crime", "traffic", "disorder", "medical", "other"]
ORIGINS = ["community", "community", "community", "officer", "alarm", "unknown"]
DISPOSITIONS = ["RTF", "NAT", "GOA", "UNF", None]
THREADS = 2


def _list(values: Sequence[str | None]) -> str:
    return "[" + ", ".join("NULL" if v is None else f"'{v}'" for v in values) + "]"


def generate(path: Path, n: int) -> None:
    """N calls over 2023 spread over the city's box and a little past it (1 in 100 without a
    point); 300 call types in six categories; officer minutes for 49 in 50; 200 neighbourhoods
    with populations."""
    con = duckdb.connect(str(path), config={"threads": THREADS})
    create_schema(con)
    pick = "[1 + CAST(hash(i, {k}) % {n} AS BIGINT)]"
    con.execute(
        f"""
        INSERT INTO calls (city, load_id, row_id, received_at, call_type, priority, origin,
                           disposition, agency, category, responder, date_only, officer_minutes,
                           lon, lat)
        SELECT '{CITY}', 1, i,
               TIMESTAMP '2023-01-01' + to_seconds(CAST(hash(i, 0) % 31536000 AS BIGINT)),
               'TYPE ' || CAST(hash(i, 6) % 300 AS BIGINT), CAST(1 + hash(i, 7) % 4 AS VARCHAR),
               {_list(ORIGINS)}{pick.format(k=8, n=len(ORIGINS))},
               {_list(DISPOSITIONS)}{pick.format(k=9, n=len(DISPOSITIONS))}, 'police',
               {_list(CATEGORIES)}[1 + CAST(hash(i, 6) % 300 AS BIGINT) % {len(CATEGORIES)}],
               'police', false,
               CASE WHEN hash(i, 4) % 50 = 0 THEN NULL ELSE 5 + hash(i, 5) % 120 END,
               CASE WHEN hash(i, 10) % 100 = 0 THEN NULL
                    ELSE {XMIN - 0.01} + (hash(i, 11) % 1000000) / 1e6 * {XMAX - XMIN + 0.02} END,
               CASE WHEN hash(i, 10) % 100 = 0 THEN NULL
                    ELSE {YMIN - 0.01} + (hash(i, 12) % 1000000) / 1e6 * {YMAX - YMIN + 0.02} END
        FROM range({n}) t(i)
        """
    )
    polys = polygons(200, np.random.default_rng(20261125))
    rows = [
        (CITY, 1, k, SET, f"N{k:03d}", f"Neighbourhood {k}", shapely.to_wkb(p), 2000.0 + 10 * k)
        for k, p in enumerate(polys)
    ]
    con.executemany(
        """INSERT INTO areas (city, load_id, row_id, area_set, area_id, name, geometry, population)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    con.execute("CHECKPOINT")
    con.close()


def _demand(store: Store) -> object:
    scope = Scope(CITY)
    return [demand_by(store, scope, d) for d in TABLE_DIMENSIONS] + [
        demand_by_area(store, scope, SET)
    ]


def _places(store: Store) -> object:
    return area_frame(store, CITY, SET, ("community_calls", "officer_calls"))


def duckdb_steps(store: Store) -> dict[str, Callable[[], object]]:
    return {
        "place": lambda: areas.place(store, "calls", area_set=SET),
        "demand": lambda: _demand(store),
        "places": lambda: _places(store),
    }


def spark_steps(store: Store, folder: Path) -> dict[str, Callable[[], object]]:
    return {
        "place": lambda: spark.place(store, "calls", CITY, SET, folder),
        "demand": lambda: _demand(store),
        "places": lambda: _places(store),
    }


def run_variant(variant: str, path: Path) -> dict[str, Any]:
    """One variant in this process; prints seconds per step as JSON."""
    out: dict[str, Any] = {"seconds": {}}
    start = time.perf_counter()
    if variant == "spark":
        session = spark.session()
        out["seconds"]["start"] = time.perf_counter() - start
        start = time.perf_counter()
        with open_store(path.parent, read_only=True, threads=THREADS) as duck:
            spark.copy_tables(duck, session, path.parent / "parquet")
        out["seconds"]["copy"] = time.perf_counter() - start
        steps = spark_steps(spark.spark_store(session, duck.settings), path.parent / "parquet")
    else:
        store = open_store(path.parent, threads=THREADS)
        if variant == "spill":
            # Below the data's size on disk, so the joins and groupings must spill.
            limit = max(64, path.stat().st_size // 2**20 // 4)
            out["memory_limit_mb"] = limit
            store.con.execute(f"SET memory_limit = '{limit}MB'")
            store.con.execute(f"SET temp_directory = '{path.parent / 'spill'}'")
        steps = duckdb_steps(store)
        if variant == "spill":
            del steps["place"]
    for name, fn in steps.items():
        start = time.perf_counter()
        fn()
        out["seconds"][name] = time.perf_counter() - start
    return out


def _tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier.extend(kids)
    total = 0
    for p in tree:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def measure(cmd: list[str]) -> tuple[dict[str, Any], float]:
    """Run a variant subprocess; its JSON result and the peak RSS of its tree in MB."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{cmd[-3]} failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1]), peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sizes", default="1,10,50", help="millions of calls, comma-separated")
    ap.add_argument("--variants", default="duckdb,spill,spark")
    ap.add_argument("--spill-all", action="store_true", help="run `spill` at every size")
    ap.add_argument("--keep", type=Path, help="folder to keep (or reuse) the generated stores in")
    ap.add_argument("--variant", help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.store)))
        return
    sizes = [float(s) for s in args.sizes.split(",")]
    variants = args.variants.split(",")
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    print(
        f"{'calls':>11} {'variant':8} {'start':>6} {'copy':>6} {'place':>7} {'demand':>7}"
        f" {'places':>7} {'total':>7} {'peak MB':>8} {'store MB':>9}",
        flush=True,
    )
    for size in sizes:
        n = int(size * 1_000_000)
        base = root / f"{n}" / "store.duckdb"
        base.parent.mkdir(parents=True, exist_ok=True)
        if not base.exists():
            generate(base, n)
        store_mb = base.stat().st_size / 2**20
        for variant in variants:
            if variant == "spill" and size != max(sizes) and not args.spill_all:
                continue
            work = root / f"{n}" / variant / "store.duckdb"
            shutil.rmtree(work.parent, ignore_errors=True)
            work.parent.mkdir(parents=True)
            shutil.copyfile(base, work)
            if variant == "spill":
                with open_store(work.parent, threads=THREADS) as placed:
                    areas.place(placed, "calls", area_set=SET)
            cmd = [sys.executable, __file__, "--variant", variant, "--store", str(work)]
            result, peak = measure(cmd)
            s = result["seconds"]
            work_s = s.get("place", 0) + s["demand"] + s["places"]
            label = variant + (
                f" {result['memory_limit_mb']}M" if "memory_limit_mb" in result else ""
            )
            print(
                f"{n:>11,} {label:8} {s.get('start', 0):6.1f} {s.get('copy', 0):6.1f}"
                f" {s.get('place', float('nan')):7.1f} {s['demand']:7.1f} {s['places']:7.1f} {work_s:7.1f}"
                f" {peak:8,.0f} {store_mb:9,.0f}",
                flush=True,
            )
            shutil.rmtree(work.parent)
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
