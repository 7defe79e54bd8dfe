"""Benchmark the full city report on N synthetic calls (default 10 million) read from the store.

The calls (with 200 beats, their residents and every call placed) are generated straight into a
DuckDB store file by bench/demand.py's generator. Then `publicsafety report` runs in a fresh
subprocess, with the analyses (classify, demand and officer-initiated, places on the beats) and
rebuilding HTML and PDF from their outputs (--no-run), each --runs times; it prints the median
wall and CPU seconds and the largest peak memory (max RSS of one subprocess).

    python bench/report.py [--calls 10000000] [--threads 2] [--runs 3] [--keep DIR]

--threads is for generating the store; the report uses DuckDB's default (every core).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _demand_bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_demand", HERE / "demand.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run one command in a fresh process: wall and CPU seconds, peak memory, what it said."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
        # ru_maxrss of children is the largest child so far: each run is measured alone below.
        "peak_mb": round(after.ru_maxrss / 1024),
        "output": done.stdout.strip().splitlines()[-2:],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--calls", type=int, default=10_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (median)")
    ap.add_argument(
        "--keep", type=Path, help="Folder to keep (or reuse) the generated workspace in."
    )
    args = ap.parse_args()
    demand = _demand_bench()
    ws = args.keep or Path(tempfile.mkdtemp(prefix="report-bench-"))
    store = ws / "store.duckdb"
    if not store.exists():
        ws.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        demand.generate(store, args.calls, args.threads)
        print(f"generated {args.calls:,} calls in {time.perf_counter() - start:.1f} s", flush=True)
    import os

    env = dict(os.environ)
    cli = [sys.executable, "-m", "publicsafety", "report", "--city", demand.CITY, "-w", str(ws)]
    results = {"calls": args.calls, "threads": args.threads}
    # A runner process per measurement, so each peak memory belongs to one run.
    for name, extra in (
        ("full report (analyses + HTML + PDF)", []),
        ("HTML + PDF only", ["--no-run"]),
    ):
        runs = []
        for _ in range(args.runs):
            runner = [sys.executable, __file__, "--_one", json.dumps([*cli, *extra])]
            done = subprocess.run(runner, capture_output=True, text=True, env=env)
            if done.returncode != 0:
                raise SystemExit(done.stderr[-2000:])
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        results[name] = {
            "wall_s": statistics.median(r["wall_s"] for r in runs),
            "cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs),
            "runs_wall_s": [r["wall_s"] for r in runs],
            "output": runs[-1]["output"],
        }
        print(name, results[name], flush=True)
    full = results["full report (analyses + HTML + PDF)"]["wall_s"]
    verdict = "met" if full < 30 else "NOT met"
    print(f"full report on {args.calls:,} calls: median {full} s (target < 30 s: {verdict})")
    run_log = ws / "outputs" / "bench_city" / "report" / "run.json"
    if run_log.exists():
        results["analyses that stopped"] = json.loads(run_log.read_text())["problems"]
    print(json.dumps(results, indent=2))
    if not args.keep:
        shutil.rmtree(ws, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--_one":
        import os

        print(json.dumps(timed(json.loads(sys.argv[2]), dict(os.environ))))
    else:
        main()
