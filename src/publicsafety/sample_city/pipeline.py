"""The demo as a small pipeline of named steps: generate Sample City, ingest it, summarise.

Each later analysis adds one step to STEPS: a function that takes the DemoContext, reads the
store, writes its outputs under `ctx.outputs_dir` and records them in `ctx.outputs`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publicsafety.engine import Store, open_store
from publicsafety.errors import StoreError
from publicsafety.report.demo import report_step
from publicsafety.sample_city import CITY, FILES, LABEL, Generated, generate, measure, readme
from publicsafety.sample_city.targets import TARGETS


@dataclass
class DemoContext:
    workspace: Path
    seed: int
    calls: int
    store: Store | None = None
    generated: Generated | None = None
    achieved: dict[str, float] = field(default_factory=dict)
    loads: list[Any] = field(default_factory=list)  # publicsafety.ingest.IngestResult
    summary: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)  # output name -> file or folder

    @property
    def home(self) -> Path:
        return self.workspace / "sample_city"

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def outputs_dir(self) -> Path:
        return self.workspace / "outputs"

    def open(self) -> Store:
        if self.store is None:
            self.store = open_store(self.workspace)
        return self.store


Step = tuple[str, Callable[[DemoContext], None]]
# Tables the summary counts, in print order.
SUMMARY_TABLES = ("calls", "stops", "incidents", "arrests", "areas", "population", "budget")


def _check_manifest(ctx: DemoContext) -> None:
    """Refuse to mix two different Sample Cities in one store."""
    path = ctx.home / "manifest.json"
    want = {"label": LABEL, "seed": ctx.seed, "calls": ctx.calls}
    if path.exists():
        have = json.loads(path.read_text(encoding="utf-8"))
        if (have.get("seed"), have.get("calls")) != (ctx.seed, ctx.calls):
            raise StoreError(
                f"this workspace already holds a Sample City made with seed {have.get('seed')} and"
                f" {have.get('calls'):,} calls; loading another one beside it would mix two cities",
                where=str(path),
                fix=f"run the demo with --seed {have.get('seed')} --calls {have.get('calls')}, or give it"
                " a fresh folder with --workspace",
            )
    ctx.home.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(want, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def generate_step(ctx: DemoContext) -> None:
    _check_manifest(ctx)
    ctx.generated = generate(ctx.raw_dir, ctx.seed, ctx.calls)
    ctx.achieved = measure.measure(ctx.raw_dir)
    quirks = measure.quirks(ctx.raw_dir)
    ctx.outputs["raw files"] = ctx.raw_dir
    ctx.outputs["about Sample City"] = readme.write(
        ctx.generated, ctx.achieved, quirks, ctx.home / "SAMPLE_CITY.md"
    )


def ingest_step(ctx: DemoContext) -> None:
    from publicsafety.ingest import ingest_file

    store = ctx.open()
    quarantine = store.settings.quarantine_dir
    for name, profile in FILES.values():
        ctx.loads.append(ingest_file(store, ctx.raw_dir / name, profile, quarantine_dir=quarantine))
    ctx.outputs["store"] = store.settings.store_path
    ctx.outputs["quarantine"] = quarantine


def summary_step(ctx: DemoContext) -> None:
    store = ctx.open()
    city = CITY.replace("'", "''")
    rows = {name: store.count(name, f"city = '{city}'") for name in SUMMARY_TABLES}
    reasons = store.con.execute(
        "SELECT kind, reason, count(*) FROM quarantine WHERE city = ? GROUP BY ALL ORDER BY kind, reason",
        [CITY],
    ).fetchall()
    placed = {}
    for kind in ("calls", "stops", "incidents", "arrests"):
        got = store.con.execute(
            "SELECT count(*) FILTER (p.area_id IS NOT NULL), count(*) FILTER (p.area_id IS NULL)"
            f' FROM placements p JOIN "{kind}" e ON e.row_id = p.row_id'
            " WHERE p.kind = ? AND p.area_set = 'neighborhoods' AND e.city = ?",
            [kind, CITY],
        ).fetchall()[0]
        if got:
            placed[kind] = {"placed": int(got[0]), "not_placed": int(got[1])}
    ctx.summary = {
        "label": LABEL,
        "seed": ctx.seed,
        "calls_generated": ctx.calls,
        "tables": rows,
        "loads": [
            {
                "file": r.file,
                "profile": r.profile,
                "rows_read": r.rows_read,
                "rows_loaded": r.rows_loaded,
                "rows_quarantined": r.rows_quarantined,
                "dates_sentinel": getattr(r, "dates_sentinel", 0),
                "skipped": r.skipped,
            }
            for r in ctx.loads
        ],
        "quarantine": [{"table": k, "reason": r, "rows": n} for k, r, n in reasons],
        "placed": placed,
        "targets": [
            {
                "key": t.key,
                "target": t.value,
                "achieved": ctx.achieved.get(t.key),
                "met": t.holds(ctx.achieved[t.key]),
            }
            for t in TARGETS
            if t.key in ctx.achieved
        ],
        "outputs": {k: str(v) for k, v in ctx.outputs.items()},
    }


STEPS: list[Step] = [
    ("generate", generate_step),
    ("ingest", ingest_step),
    ("summary", summary_step),
    ("report", report_step),
]


def run_demo(
    workspace: Path,
    *,
    seed: int,
    calls: int,
    steps: list[Step] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> DemoContext:
    """Run the demo's steps in order into `workspace`; returns the context with the summary."""
    if calls < 1000:
        raise StoreError(
            f"--calls {calls} is too few for a city's year",
            fix="give --calls 1000 or more (default 300,000)",
        )
    ctx = DemoContext(workspace=Path(workspace), seed=seed, calls=calls)
    try:
        for name, step in steps or STEPS:
            if on_step:
                on_step(name)
            step(ctx)
    finally:
        if ctx.store is not None:
            ctx.store.close()
    return ctx
