"""Benchmark every demand table on N synthetic calls (default 10 million), three ways:
  toolkit  publicsafety.analysis (demand_by, top_call_types, monthly, hour_of_week, demand_by_area,
           and measure_officer_time's UPDATE of calls.officer_minutes);
  floor    the same aggregations hand-written in DuckDB SQL;
  pandas   the same aggregations in pandas, after reading the needed columns from the store
           (reported with and without that read).
The calls are generated straight into a DuckDB store file; each variant runs in its own
subprocess so its peak memory (max RSS) is its own. Times are medians of `--runs` runs.

    python bench/demand.py [--calls 10000000] [--runs 3] [--threads 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from publicsafety.analysis.demand import (
    TABLE_DIMENSIONS,
    demand_by,
    demand_by_area,
    hour_of_week,
    monthly,
    top_call_types,
)
from publicsafety.analysis.officer_time import measure_officer_time
from publicsafety.analysis.scope import Scope
from publicsafety.engine import create_schema, open_store

CITY = "Bench City"
CATEGORIES = [
    "violent_crime",
    "property_crime",
    "other_crime",
    "traffic",
    "disorder",
    "mental_health_welfare",
    "medical",
    "alarm",
    "proactive",
    "administrative",
    "other",
]
RESPONDERS = ["police", "co_response", "civilian", "non_emergency"]
ORIGINS = ["community", "community", "community", "officer", "alarm", "unknown"]
DISPOSITIONS = ["RTF", "NAT", "GOA", "UNF", None]
AREAS = 200


# Officer time by the default rules (dispatch, else arrival, to clear; over 24 hours left out),
# hand-written: the floor's own SQL, and the generator's.
START = "coalesce(dispatched_at, arrived_at)"
MINUTES_SQL = f"""CASE
  WHEN coalesce(date_only, false) OR cleared_at IS NULL OR {START} IS NULL
       OR cleared_at < {START} THEN NULL
  WHEN epoch(cleared_at) - epoch({START}) > 86400 THEN NULL
  ELSE (epoch(cleared_at) - epoch({START})) / 60.0 * CASE WHEN units >= 1 THEN units ELSE 1 END
  END"""
RULE_SQL = f"""CASE
  WHEN coalesce(date_only, false) THEN 'date_only' WHEN cleared_at IS NULL THEN 'no_clear_time'
  WHEN {START} IS NULL THEN 'no_start_time' WHEN cleared_at < {START} THEN 'negative'
  WHEN epoch(cleared_at) - epoch({START}) > 86400 THEN 'over_limit'
  WHEN dispatched_at IS NULL THEN 'measured_from_fallback' ELSE 'measured' END"""


def generate(path: Path, n: int, threads: int) -> None:
    """N calls over 2023 with realistic gaps between milestones, 1 in 20 without an arrival and
    1 in 50 without a clear time; 300 call types in 11 categories; placed in 200 beats."""
    con = duckdb.connect(str(path), config={"threads": threads})
    create_schema(con)
    cats = "[" + ", ".join(f"'{c}'" for c in CATEGORIES) + "]"
    resp = "[" + ", ".join(f"'{r}'" for r in RESPONDERS) + "]"
    orig = "[" + ", ".join(f"'{o}'" for o in ORIGINS) + "]"
    disp = "[" + ", ".join("NULL" if d is None else f"'{d}'" for d in DISPOSITIONS) + "]"
    con.execute(
        f"""
        INSERT INTO calls (city, row_id, received_at, dispatched_at, arrived_at, cleared_at,
                           call_type, priority, origin, disposition, agency, category, responder,
                           date_only)
        SELECT '{CITY}', i, r,
               r + to_seconds(CAST(30 + hash(i, 1) % 1800 AS BIGINT)),
               CASE WHEN CAST(hash(i, 2) % 20 AS BIGINT) = 0 THEN NULL
                    ELSE r + to_seconds(CAST(300 + hash(i, 3) % 2400 AS BIGINT)) END,
               CASE WHEN CAST(hash(i, 4) % 50 AS BIGINT) = 0 THEN NULL
                    ELSE r + to_seconds(CAST(900 + hash(i, 5) % 7200 AS BIGINT)) END,
               'TYPE ' || (CAST(hash(i, 6) % 300 AS BIGINT)), CAST(1 + hash(i, 7) % 4 AS VARCHAR),
               {orig}[1 + CAST(hash(i, 8) % {len(ORIGINS)} AS BIGINT)], {disp}[1 + CAST(hash(i, 9) % {len(DISPOSITIONS)} AS BIGINT)],
               'police', {cats}[1 + CAST(hash(i, 6) % 300 AS BIGINT) % {len(CATEGORIES)}],
               {resp}[1 + CAST(hash(i, 6) % 300 AS BIGINT) % {len(RESPONDERS)}], false
        FROM (SELECT i, TIMESTAMP '2023-01-01' + to_seconds(CAST(hash(i, 0) % 31536000 AS BIGINT)) AS r
              FROM range({n}) t(i))
        """
    )
    con.execute(
        f"""INSERT INTO areas (city, area_set, area_id, name)
            SELECT '{CITY}', 'beats', 'B' || i, 'Beat ' || i FROM range({AREAS}) t(i)"""
    )
    con.execute(
        f"""INSERT INTO population (city, area_set, area_id, dimension, "group", "count")
            SELECT '{CITY}', 'beats', 'B' || i, 'total', 'total', 2000 + i * 10 FROM range({AREAS}) t(i)"""
    )
    # 1 in 100 calls has no point: area_id NULL, as placements records it.
    con.execute(
        f"""INSERT INTO placements SELECT 'calls', i, 'beats',
                   CASE WHEN CAST(hash(i, 10) % 100 AS BIGINT) = 0 THEN NULL ELSE 'B' || (CAST(hash(i, 11) % {AREAS} AS BIGINT)) END
            FROM range({n}) t(i)"""
    )
    con.execute(f"UPDATE calls SET officer_minutes = {MINUTES_SQL}")
    con.execute("CHECKPOINT")
    con.close()


# --- the three variants ---------------------------------------------------------------------


def toolkit_tasks(store: Any) -> dict[str, Callable[[], object]]:
    scope = Scope(CITY)

    def by(d: str) -> Callable[[], object]:
        return lambda: demand_by(store, scope, d)

    tasks: dict[str, Callable[[], object]] = {f"by_{d}": by(d) for d in TABLE_DIMENSIONS}
    tasks["top_call_types"] = lambda: top_call_types(store, scope, 20)
    tasks["monthly_by_category"] = lambda: monthly(store, scope, "category")
    tasks["hour_of_week"] = lambda: hour_of_week(store, scope)
    tasks["by_area"] = lambda: demand_by_area(store, scope, "beats")
    tasks["officer_time_update"] = lambda: measure_officer_time(store, CITY)
    return tasks


FLOOR_VALUE = {
    "category": "coalesce(category, 'unclassified')",
    "responder": "coalesce(responder, 'unclassified')",
    "origin": "coalesce(origin, 'unknown')",
    "agency": "coalesce(agency, 'not recorded')",
    "priority": "coalesce(priority, 'not recorded')",
    "disposition": "coalesce(disposition, disposition_text, 'not recorded')",
    "month": "date_trunc('month', received_at)",
}
# The fastest plain SQL we found: group by (value, community or not); both denominators are
# then sums of those few rows. Every query filters the city, as the toolkit's do.
PAIR = "origin = 'community', count(*), sum(officer_minutes) / 60, count(officer_minutes)"
CITY_SQL = f"city = '{CITY}'"


def floor_tasks(con: duckdb.DuckDBPyConnection) -> dict[str, Callable[[], object]]:
    def q(sql: str) -> Callable[[], object]:
        return lambda: con.execute(sql).fetchall()

    tasks = {
        f"by_{d}": q(f"SELECT {v}, {PAIR} FROM calls WHERE {CITY_SQL} GROUP BY 1, 2")
        for d, v in FLOOR_VALUE.items()
    }
    tasks["top_call_types"] = q(
        f"""SELECT coalesce(call_type, call_type_code, 'not recorded'), any_value(category), count(*) AS n, count(*) / sum(count(*)) OVER (),
                   sum(officer_minutes) / 60, sum(officer_minutes) / sum(sum(officer_minutes)) OVER (),
                   count(officer_minutes)
            FROM calls WHERE {CITY_SQL} GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20"""
    )
    tasks["monthly_by_category"] = q(
        f"""SELECT date_trunc('month', received_at), category, count(*), sum(officer_minutes) / 60,
                  count(*) FILTER (WHERE origin = 'community') FROM calls WHERE {CITY_SQL} GROUP BY 1, 2"""
    )
    tasks["hour_of_week"] = q(
        f"""SELECT (isodow(received_at) - 1) * 24 + hour(received_at), count(*),
                  count(*) FILTER (WHERE origin = 'community'), sum(officer_minutes) / 60,
                  count(officer_minutes), min(received_at), max(received_at)
            FROM calls WHERE {CITY_SQL} AND received_at IS NOT NULL AND NOT coalesce(date_only, false)
            GROUP BY 1"""
    )
    tasks["by_area"] = q(
        f"""SELECT p.area_id, count(*), count(*) FILTER (WHERE c.origin = 'community'),
                  count(*) FILTER (WHERE c.origin = 'officer'), sum(c.officer_minutes) / 60
           FROM calls c LEFT JOIN placements p ON p.kind = 'calls' AND p.row_id = c.row_id
                AND p.area_set = 'beats' WHERE c.{CITY_SQL} GROUP BY 1"""
    )

    def officer_time() -> object:
        # The toolkit both fills the column and counts the rules: so does the floor.
        con.execute(f"UPDATE calls SET officer_minutes = {MINUTES_SQL} WHERE {CITY_SQL}")
        return con.execute(
            f"SELECT {RULE_SQL}, count(*), sum({MINUTES_SQL}), count(*) FILTER (WHERE units >= 1)"
            f" FROM calls WHERE {CITY_SQL} GROUP BY 1"
        ).fetchall()

    tasks["officer_time_update"] = officer_time
    return tasks


def pandas_tasks(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, Callable[[], object]], float]:
    import numpy as np
    import pandas as pd

    start = time.perf_counter()
    df = con.execute(
        """SELECT row_id, received_at, dispatched_at, arrived_at, cleared_at, call_type, priority,
                  origin, disposition, agency, category, responder, officer_minutes FROM calls
           WHERE city = ?""",
        [CITY],
    ).df()
    places = con.execute(
        "SELECT row_id, area_id FROM placements WHERE kind = 'calls' AND area_set = 'beats'"
    ).df()
    read = time.perf_counter() - start
    df["comm"] = df["origin"] == "community"
    df["comm_minutes"] = df["officer_minutes"].where(df["comm"])

    def pair(key: Any) -> Any:
        g = df.groupby(key, dropna=False)
        return g.agg(
            calls=("row_id", "size"),
            minutes=("officer_minutes", "sum"),
            timed=("officer_minutes", "count"),
            comm=("comm", "sum"),
            comm_minutes=("comm_minutes", "sum"),
            comm_timed=("comm_minutes", "count"),
        )

    def month() -> pd.Series:
        return df["received_at"].dt.to_period("M")

    def by(d: str) -> Callable[[], object]:
        return lambda: pair(df[d].fillna("not recorded"))

    dims = ("category", "responder", "origin", "agency", "priority", "disposition")
    tasks: dict[str, Callable[[], object]] = {f"by_{d}": by(d) for d in dims}
    tasks["by_month"] = lambda: pair(month())
    tasks["top_call_types"] = lambda: pair("call_type").nlargest(20, "calls")
    tasks["monthly_by_category"] = lambda: df.groupby([month(), df["category"]]).agg(
        calls=("row_id", "size"), minutes=("officer_minutes", "sum"), comm=("comm", "sum")
    )
    tasks["hour_of_week"] = lambda: pair(
        df["received_at"].dt.dayofweek * 24 + df["received_at"].dt.hour
    )
    tasks["by_area"] = lambda: (
        df.merge(places, on="row_id", how="left")
        .groupby("area_id", dropna=False)
        .agg(calls=("row_id", "size"), comm=("comm", "sum"), minutes=("officer_minutes", "sum"))
    )

    def minutes() -> object:
        start_t = df["dispatched_at"].fillna(df["arrived_at"])
        m = (df["cleared_at"] - start_t).dt.total_seconds() / 60
        return m.where((m >= 0) & (m <= 1440), np.nan)

    tasks["officer_time_update"] = minutes
    return tasks, read


VARIANTS = ("toolkit", "floor", "pandas")


def run_variant(variant: str, path: Path, threads: int) -> dict[str, Any]:
    out: dict[str, Any] = {"variant": variant, "seconds": {}}
    if variant == "toolkit":
        store = open_store(path.parent, threads=threads)
        tasks = toolkit_tasks(store)
    else:
        con = duckdb.connect(str(path), config={"threads": threads})
        if variant == "floor":
            tasks = floor_tasks(con)
        else:
            tasks, read = pandas_tasks(con)
            out["read_seconds"] = read
    for name, fn in tasks.items():
        fn()  # warm the buffer pool: the timed run is the second
        start = time.perf_counter()
        fn()
        out["seconds"][name] = time.perf_counter() - start
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--calls", type=int, default=10_000_000)
    ap.add_argument(
        "--runs", type=int, default=3, help="Rounds; each times every table once, warm."
    )
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="Folder to keep (or reuse) the generated store in.")
    ap.add_argument("--variant", help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.store, args.threads)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_demand_"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "store.duckdb"
    if not path.exists():
        start = time.perf_counter()
        generate(path, args.calls, args.threads)
        print(f"generated {args.calls:,} calls in {time.perf_counter() - start:.1f} s", flush=True)
    # Rounds interleave the variants, so a change in the machine's load (it is shared) hits all
    # three alike; each round runs every variant in a fresh subprocess on a fresh copy of the
    # store (the officer-time UPDATE changes how the store reads).
    rounds: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    for _ in range(args.runs):
        for variant in VARIANTS:
            work = folder / variant / "store.duckdb"
            work.parent.mkdir(exist_ok=True)
            shutil.copyfile(path, work)
            cmd = [sys.executable, __file__, "--variant", variant, "--store", str(work)]
            cmd += ["--threads", str(args.threads)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            rounds[variant].append(json.loads(done.stdout.strip().splitlines()[-1]))
            work.unlink()
    results = {
        v: {
            "seconds": {
                name: statistics.median(r["seconds"][name] for r in rs) for name in rs[0]["seconds"]
            },
            "peak_mb": max(r["peak_mb"] for r in rs),
            "read_seconds": statistics.median(r.get("read_seconds", 0.0) for r in rs),
        }
        for v, rs in rounds.items()
    }
    t, f, p = (results[v]["seconds"] for v in ("toolkit", "floor", "pandas"))
    print(
        f"{args.calls:,} calls, DuckDB threads={args.threads}, medians of {args.runs} interleaved rounds (seconds)"
    )
    print(
        f"{'table':24} {'toolkit':>8} {'floor':>8} {'pandas':>8} {'tk/floor':>9} {'pandas/tk':>10}"
    )
    for name in t:
        print(
            f"{name:24} {t[name]:8.3f} {f[name]:8.3f} {p[name]:8.3f} {t[name] / f[name]:9.2f} {p[name] / t[name]:10.1f}"
        )
    tt, ft, pt = sum(t.values()), sum(f.values()), sum(p.values())
    read = results["pandas"]["read_seconds"]
    print(f"{'all tables':24} {tt:8.3f} {ft:8.3f} {pt:8.3f} {tt / ft:9.2f} {pt / tt:10.1f}")
    print(
        f"pandas also spent {read:.1f} s reading the columns from the store (median): "
        f"with it, pandas/toolkit = {(pt + read) / tt:.1f}"
    )
    print(
        "peak memory (max RSS, MB): "
        + ", ".join(f"{v} {results[v]['peak_mb']:,.0f}" for v in results)
    )
    if not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
