"""Ingest benchmark: our ingest of N synthetic calls against the floor and the usual notebook.

    python bench/ingest.py                 # 10,000,000 calls (about 1.3 GB of CSV)
    python bench/ingest.py --rows 1000000  # while developing

It writes a CSV of synthetic calls (id, four timestamps as text, type code and text, priority,
disposition with some void / duplicate / test events, beat with a few Excel-mangled codes,
lon/lat with some missing, a self-initiated flag), a city profile for it and 200 square areas,
then times side by side, each run in its own process (medians of --runs runs, peak memory from
the process's own peak RSS):

- ours: `publicsafety.ingest.ingest_file` into a fresh store: parse, normalise, classify origin,
  quarantine, row accounting, and area assignment (`ingest.areas.place`);
- floor: the faster of DuckDB's `read_csv` into a table and `pyarrow.csv.read_csv`, no
  normalisation;
- store: the least any ingest into a store file can cost: `pyarrow.csv.read_csv` with the
  timestamps parsed, written as they are into a DuckDB table file (no normalisation, no checks,
  no quarantine, no areas);
- pandas: `pandas.read_csv` plus the same normalisation and area assignment (shapely 2
  `contains_xy` per area with a bounding-box filter), the result left in memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

BBOX = (-90.14, 29.90, -89.94, 30.05)  # lon/lat box of the synthetic city
GRID = (20, 10)  # 200 square areas
TYPES = [
    ("21", "THEFT"), ("103", "DISTURBANCE"), ("18", "TRAFFIC INCIDENT"), ("62A", "BURGLAR ALARM"),
    ("35", "SIMPLE BATTERY"), ("TS", "TRAFFIC STOP"), ("SS", "SUSPICIOUS PERSON"),
    ("103M", "MENTAL HEALTH"), ("17F", "WARRANT"), ("DP", "DIRECTED PATROL"),
    ("67", "THEFT FROM VEHICLE"), ("94", "DISCHARGING FIREARM"), ("20", "AUTO ACCIDENT"),
    ("21R", "RECOVERY OF STOLEN VEHICLE"), ("BC", "BUSINESS CHECK"), ("911", "SILENT 911 CALL"),
]  # fmt: skip
DISPOSITIONS = ["RTF", "GOA", "NAT", "UNF", "REF", "CIT", "ARR", "VOI", "DUP", "TST"]
DISPOSITION_P = [0.40, 0.20, 0.15, 0.10, 0.06, 0.04, 0.03, 0.01, 0.008, 0.002]
EXCLUDED = ("VOI", "DUP", "TST")
FORMAT = "%m/%d/%Y %H:%M:%S"

PROFILE = f"""
[profile]
name = "bench_calls"
city = "Bench City"
kind = "calls"
title = "Synthetic calls for the ingest benchmark"

[read]
format = "csv"
datetime_formats = ["{FORMAT}"]

[columns]
call_id = "CallID"
received_at = "TimeCreate"
dispatched_at = "TimeDispatch"
arrived_at = "TimeArrive"
cleared_at = "TimeClosed"
call_type_code = "TypeCode"
call_type = "TypeText"
priority = "Priority"
disposition = "Disposition"
beat = {{ from = "Beat", parse = "excel_text" }}
lon = "Longitude"
lat = "Latitude"
origin = "SelfInitiated"

[values.origin]
map = {{ Y = "officer", N = "community" }}
default = "unknown"
missing = "unknown"

[[exclude]]
column = "Disposition"
values = {json.dumps(list(EXCLUDED))}
reason = "void, duplicate or test event"
"""

AREAS_PROFILE = """
[profile]
name = "bench_areas"
city = "Bench City"
kind = "areas"

[read]
format = "geojson"

[areas]
area_set = "grid"
id = "area_id"
name = "name"
"""


def _squares() -> list[tuple[str, tuple[float, float, float, float]]]:
    nx, ny = GRID
    x0, y0, x1, y1 = BBOX
    dx, dy = (x1 - x0) / nx, (y1 - y0) / ny
    return [
        (f"A{i:02d}{j:02d}", (x0 + i * dx, y0 + j * dy, x0 + (i + 1) * dx, y0 + (j + 1) * dy))
        for i in range(nx)
        for j in range(ny)
    ]


def write_areas(path: Path) -> None:
    features = []
    for area_id, (a, b, c, d) in _squares():
        ring = [[a, b], [c, b], [c, d], [a, d], [a, b]]
        features.append({
            "type": "Feature",
            "properties": {"area_id": area_id, "name": f"Area {area_id}"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        })  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def _chunk(rng: np.random.Generator, start: int, n: int) -> pa.Table:
    base = np.datetime64("2023-01-01T00:00:00", "s")
    received = base + np.sort(rng.integers(0, 365 * 86400, n)).astype("timedelta64[s]")
    steps = rng.exponential([120, 300, 1500], size=(n, 3)).astype("int64").cumsum(axis=1)

    def stamp(values: np.ndarray, missing: float) -> pa.Array:
        text = pc.strftime(pa.array(values, pa.timestamp("s")), format=FORMAT)
        return pc.if_else(pa.array(rng.random(n) < missing), pa.scalar(None, pa.string()), text)

    ids = pc.binary_join_element_wise(
        "C", pc.utf8_lpad(pc.cast(pa.array(np.arange(start, start + n)), pa.string()), 9, "0"), ""
    )
    kinds = rng.integers(0, len(TYPES), n)
    beats = [f"{d}{s}{n_:02d}" for d in range(1, 9) for s in "ABCDE" for n_ in range(1, 6)]
    beat_idx = rng.integers(0, len(beats), n)
    beat = pa.array(np.array(beats)[beat_idx])
    mangled = pa.array(rng.random(n) < 0.002)  # a few "8E01" beats that Excel turned into numbers
    beat = pc.if_else(mangled, pa.scalar("8.00E+01"), beat)
    x0, y0, x1, y1 = BBOX
    has_point = rng.random(n) > 0.03
    lon = np.where(has_point, np.round(rng.uniform(x0, x1, n), 6), np.nan)
    lat = np.where(has_point, np.round(rng.uniform(y0, y1, n), 6), np.nan)
    return pa.table({
        "CallID": ids,
        "TimeCreate": stamp(received, 0.0),
        "TimeDispatch": stamp(received + steps[:, 0].astype("timedelta64[s]"), 0.05),
        "TimeArrive": stamp(received + steps[:, 1].astype("timedelta64[s]"), 0.15),
        "TimeClosed": stamp(received + steps[:, 2].astype("timedelta64[s]"), 0.01),
        "TypeCode": pa.array([t[0] for t in TYPES]).take(pa.array(kinds)),
        "TypeText": pa.array([t[1] for t in TYPES]).take(pa.array(kinds)),
        "Priority": pc.cast(pa.array(rng.integers(0, 4, n) + 1), pa.string()),
        "Disposition": pa.array(np.array(DISPOSITIONS)[rng.choice(len(DISPOSITIONS), n, p=DISPOSITION_P)]),
        "Beat": beat,
        "Longitude": pa.array(lon, from_pandas=True),
        "Latitude": pa.array(lat, from_pandas=True),
        "SelfInitiated": pa.array(np.where(rng.random(n) < 0.4, "Y", "N")),
    })  # fmt: skip


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    chunk = 1_000_000
    with pacsv.CSVWriter(path, _chunk(rng, 0, 1).schema) as writer:
        for start in range(0, rows, chunk):
            writer.write_table(_chunk(rng, start, min(chunk, rows - start)))


# -- variants (each runs in its own process) ------------------------------------------------
def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _start() -> tuple[float, float]:
    return time.perf_counter(), _cpu()


def _since(start: tuple[float, float]) -> dict[str, float]:
    """Wall seconds, and CPU seconds of all threads (steadier on a busy machine)."""
    return {"seconds": time.perf_counter() - start[0], "cpu_seconds": _cpu() - start[1]}


def run_ours(csv: Path, work: Path) -> dict[str, object]:
    from publicsafety.engine import open_store
    from publicsafety.ingest import ingest_file
    from publicsafety.profiles import load_profile

    with open_store(work / "workspace") as store:
        note = ""
        try:
            ingest_file(store, work / "areas.geojson", load_profile(work / "bench_areas.toml"))
        except Exception as exc:  # the areas code is another module's; report and go on
            note = f"areas not loaded, no area assignment timed: {type(exc).__name__}: {exc}"
        t = _start()
        r = ingest_file(store, csv, load_profile(work / "bench_calls.toml"))
        timed = _since(t)
        placed = store.count("placements")
    return {**timed, "rows_read": r.rows_read, "rows_loaded": r.rows_loaded,
            "rows_quarantined": r.rows_quarantined, "placed": placed, "note": note}  # fmt: skip


def run_duckdb(csv: Path, work: Path) -> dict[str, object]:
    import duckdb

    con = duckdb.connect(str(work / "floor.duckdb"))
    t = _start()
    con.execute(f"CREATE TABLE calls AS SELECT * FROM read_csv('{csv}', all_varchar = true)")
    timed = _since(t)
    rows = con.execute("SELECT count(*) FROM calls").fetchall()[0][0]
    con.close()
    return {**timed, "rows_read": rows}


def run_pyarrow(csv: Path, work: Path) -> dict[str, object]:
    t = _start()
    table = pacsv.read_csv(csv)
    return {**_since(t), "rows_read": table.num_rows}


def run_store(csv: Path, work: Path) -> dict[str, object]:
    import duckdb

    t = _start()
    types = {c: pa.string() for c in ("CallID", "TypeCode", "Priority", "Beat")}
    opts = pacsv.ConvertOptions(timestamp_parsers=[FORMAT], column_types=types)
    parsed = pacsv.read_csv(csv, convert_options=opts)
    con = duckdb.connect(str(work / "floor.duckdb"))
    con.execute("CREATE TABLE calls AS SELECT * FROM parsed")
    con.close()  # checkpoints: the table is on disk
    timed = _since(t)
    return {**timed, "rows_read": parsed.num_rows}


def run_pandas(csv: Path, work: Path) -> dict[str, object]:
    import pandas as pd
    import shapely

    t = _start()
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    for col in ("TimeCreate", "TimeDispatch", "TimeArrive", "TimeClosed"):
        df[col] = pd.to_datetime(df[col].replace("", None), format=FORMAT, errors="coerce")
    df["origin"] = (
        df["SelfInitiated"].str.strip().str.upper().map({"Y": "officer", "N": "community"})
    )
    df["origin"] = df["origin"].fillna("unknown")
    df["Beat"] = df["Beat"].str.replace(r"^(\d+)\.0*E\+(\d+)$", r"\1E\2", regex=True)
    df["Longitude"] = pd.to_numeric(df["Longitude"].replace("", None), errors="coerce")
    df["Latitude"] = pd.to_numeric(df["Latitude"].replace("", None), errors="coerce")
    df = df[~df["Disposition"].isin(EXCLUDED)]
    lon, lat = df["Longitude"].to_numpy(), df["Latitude"].to_numpy()
    area = np.full(len(df), None, dtype=object)
    for area_id, (a, b, c, d) in _squares():
        box = (lon >= a) & (lon <= c) & (lat >= b) & (lat <= d)
        idx = np.nonzero(box)[0]
        inside = shapely.contains_xy(shapely.box(a, b, c, d), lon[idx], lat[idx])
        area[idx[inside]] = area_id
    df["area"] = area
    timed = _since(t)
    return {**timed, "rows_read": len(df), "placed": int(pd.notna(df["area"]).sum())}


VARIANTS = {"ours": run_ours, "duckdb": run_duckdb, "pyarrow": run_pyarrow, "store": run_store,
            "pandas": run_pandas}  # fmt: skip


def child(variant: str, csv: Path, work: Path) -> None:
    out = VARIANTS[variant](csv, work)
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(variant: str, csv: Path, work: Path, runs: int) -> dict[str, object]:
    results = []
    for _ in range(runs):
        for stale in (work / "workspace", work / "floor.duckdb"):
            _remove(stale)
        done = subprocess.run(
            [sys.executable, __file__, "--child", variant, "--csv", str(csv), "--work", str(work)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    secs = [float(r["seconds"]) for r in results]
    cpu = statistics.median(float(r["cpu_seconds"]) for r in results)
    return {**results[0], "seconds": statistics.median(secs), "cpu_seconds": cpu, "runs": secs,
            "peak_mib": max(float(r["peak_mib"]) for r in results)}  # fmt: skip


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.unlink()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path, help="working folder (default: a new temporary folder)")
    ap.add_argument("--variants", default="ours,duckdb,pyarrow,store,pandas")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.csv, args.work)
        return
    work = args.dir or Path(tempfile.mkdtemp(prefix="publicsafety-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv = work / f"calls_{args.rows}.csv"
    if not csv.exists():
        t = time.perf_counter()
        generate(csv, args.rows)
        print(f"generated {args.rows:,} calls ({csv.stat().st_size / 2**20:,.0f} MiB) in"
              f" {time.perf_counter() - t:.1f} s: {csv}")  # fmt: skip
    (work / "bench_calls.toml").write_text(PROFILE)
    (work / "bench_areas.toml").write_text(AREAS_PROFILE)
    write_areas(work / "areas.geojson")
    results = {}
    for variant in args.variants.split(","):
        results[variant] = measure(variant, csv, work, args.runs)
        r = results[variant]
        print(f"{variant:8} {r['seconds']:8.2f} s  {args.rows / r['seconds']:>12,.0f} rows/s"
              f"  cpu {r['cpu_seconds']:7.2f} s  peak {r['peak_mib']:7,.0f} MiB"
              f"  runs {', '.join(f'{s:.2f}' for s in r['runs'])}", flush=True)  # fmt: skip
    report(results, args.rows)
    if args.dir is None:
        _remove(work)  # a temporary folder of ours: the CSV is large


def report(results: dict[str, dict[str, object]], rows: int) -> None:
    print(f"\n{rows:,} rows (medians of wall seconds; CPU seconds add up all threads)")
    if "ours" in results:
        o = results["ours"]
        print(f"ours: read {o['rows_read']:,}, loaded {o['rows_loaded']:,}, quarantined"
              f" {o['rows_quarantined']:,}, placements {o['placed']:,}")  # fmt: skip
        if o.get("note"):
            print(f"NOTE: {o['note']}"[:300])
    for key, label in (("seconds", "wall"), ("cpu_seconds", "cpu")):
        got = {k: float(v[key]) for k, v in results.items()}  # type: ignore[arg-type]
        floors = [got[k] for k in ("duckdb", "pyarrow") if k in got]
        if "ours" in got and floors:
            ratio = got["ours"] / min(floors)
            verdict = "met" if ratio <= 1.5 else "NOT met"
            print(f"{label}: ours / floor  = {ratio:.2f}x  (target <= 1.5x: {verdict})")
            if "duckdb" in got:
                print(
                    f"{label}: ours / duckdb read_csv into a table = {got['ours'] / got['duckdb']:.2f}x"
                )
        if "store" in got and floors:
            ratio = got["store"] / min(floors)
            print(f"{label}: store bound / floor = {ratio:.2f}x (parse and write alone)")
            if "ours" in got:
                print(f"{label}: ours / store bound = {got['ours'] / got['store']:.2f}x")
        if "ours" in got and "pandas" in got:
            speed = got["pandas"] / got["ours"]
            verdict = "met" if speed >= 2 else "NOT met"
            print(f"{label}: pandas / ours = {speed:.2f}x  (target >= 2x: {verdict})")
    if "ours" in results:
        peak = float(results["ours"]["peak_mib"])  # type: ignore[arg-type]
        verdict = "met" if peak < 2048 else "NOT met"
        print(f"ours peak memory {peak:,.0f} MiB (target < 2048 MiB: {verdict})")


if __name__ == "__main__":
    main()
