"""The demo's last step: run every analysis Sample City's data allows, build its report, and say
where the report is and how to open the dashboard."""

from __future__ import annotations

from typing import Any


def report_step(ctx: Any) -> None:
    """A `publicsafety.sample_city.pipeline` step (ctx is its DemoContext)."""
    from publicsafety.cli.report import run_analyses
    from publicsafety.report.build import build_report, slug
    from publicsafety.sample_city import CITY

    # The analyses open the store themselves; one process may hold only one connection to it.
    if ctx.store is not None:
        ctx.store.close()
        ctx.store = None
    problems = run_analyses(ctx.workspace, CITY, say=False)
    written = build_report(ctx.workspace, CITY)
    outputs = ctx.summary.setdefault("outputs", {})
    for path in written:
        ctx.outputs[f"report ({path.suffix[1:]})"] = path
        outputs[f"report ({path.suffix[1:]})"] = str(path)
    url = f"http://127.0.0.1:8000/dashboard/{slug(CITY)}"
    outputs["app"] = f"publicsafety serve --workspace {ctx.workspace}  then open {url}"
    if problems:
        ctx.summary["report_problems"] = problems
