"""A session's results as plain data (CLI and JSON), through the privacy rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publicsafety.assessment import aggregate
from publicsafety.assessment.content import load_questions
from publicsafety.assessment.store import open_answers
from publicsafety.errors import PublicSafetyError


def session_results(workspace: Path, code: str) -> dict[str, Any]:
    store = open_answers(workspace)
    session = store.session(code)
    if session is None:
        raise PublicSafetyError(f"no session with code {code!r}",
                                fix="check the code on the facilitator's page (`/assessment/facilitate`)")  # fmt: skip
    q = load_questions("en", session["city"])
    rs = store.responses(session_code=session["code"])
    out: dict[str, Any] = {k: session[k] for k in ("code", "city", "title", "round")}
    if not aggregate.publishable(len(rs)):
        return {**out, "n": None, "priorities": None}
    table = aggregate.priorities(rs, q.factor_ids)
    rows = [
        {"rank": int(r["rank"]), "factor": q.factor(str(r["factor"])).label, "points": round(float(r["points"]), 1),
         "low": round(float(r["low"]), 1), "high": round(float(r["high"]), 1)}
        for r in table.to_dict("records")
    ]  # fmt: skip
    return {**out, "n": len(rs), "priorities": rows}


# Census / canonical population groups -> the assessment's "about you" answers. Groups with no
# counterpart are left out of the raking targets.
GROUPS = {
    "race": {"black": "black", "white": "white", "hispanic": "hispanic", "asian/pacific islander": "asian",
             "native american": "native", "other": "other", "multiple": "other"},
    "sex": {"female": "female", "male": "male"},
    "age_band": {"0-17": "under_18", "18-24": "18_24", "25-34": "25_44", "35-44": "25_44",
                 "45-54": "45_64", "55-64": "45_64", "65+": "65_plus"},
}  # fmt: skip


def _store_con(workspace: Path) -> Any:
    """A read-only connection to the workspace's data store, or None when there is none (or it
    is being written by another program: results then show without the data beside them)."""
    import duckdb

    path = workspace / "store.duckdb"
    if not path.exists():
        return None
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None


def population_margins(con: Any, city: str, area: str) -> dict[str, dict[str, float]]:
    rows = con.execute(
        'SELECT p.dimension, p."group", SUM(p.count) FROM population p JOIN areas a'
        " ON a.city = p.city AND a.area_set = p.area_set AND a.area_id = p.area_id"
        " WHERE a.city = ? AND a.name = ? GROUP BY 1, 2 ORDER BY 1, 2",
        [city, area],
    ).fetchall()
    margins: dict[str, dict[str, float]] = {}
    for dim, group, count in rows:
        mine = GROUPS.get(dim, {}).get(group)
        if mine and count:
            margins.setdefault(dim, {})
            margins[dim][mine] = margins[dim].get(mine, 0.0) + float(count)
    return margins


def city_results(
    workspace: Path, city: str, store: Any = None, n_boot: int = aggregate.BOOTSTRAP
) -> dict[str, Any]:
    """Citywide priorities (raw, and raked within each neighbourhood to its population when the
    workspace holds population counts), rounds compared, and the calls data beside them."""
    import numpy as np

    store = store or open_answers(workspace)
    q = load_questions("en", city)
    rs = store.responses(city=city)
    out: dict[str, Any] = {"city": city, "n": len(rs) if aggregate.publishable(len(rs)) else None}
    if out["n"] is None:
        return {**out, "priorities": None, "weighted": None, "rounds": None, "beside": None}
    out["priorities"] = aggregate.priorities(rs, q.factor_ids, n_boot=n_boot)
    out["rounds"] = aggregate.compare_rounds(rs, q.factor_ids, n_boot=n_boot)
    out["weighted"] = out["beside"] = None
    con = _store_con(workspace)
    if con is None:
        return out
    try:
        weights = np.ones(len(rs))
        raked_areas = 0
        for area in sorted({r["area"] for r in rs}):
            idx = [i for i, r in enumerate(rs) if r["area"] == area]
            margins = population_margins(con, city, area)
            if margins:
                dims = {
                    d: m
                    for d, m in margins.items()
                    if any(rs[i]["demographics"].get(d) for i in idx)
                }
                if dims:
                    weights[idx] = aggregate.rake([rs[i]["demographics"] for i in idx], dims)
                    raked_areas += 1
        if raked_areas:
            out["weighted"] = aggregate.priorities(rs, q.factor_ids, weights=weights, n_boot=n_boot)
            out["ess"] = aggregate.effective_sample_size(weights)
            out["raked_areas"] = raked_areas
        calls = aggregate.calls_by_category(con, city)
        if len(calls):
            factor_calls = {f.id: f.calls for f in q.factors}
            out["beside"] = aggregate.beside_data(out["priorities"], factor_calls, calls)
    finally:
        con.close()
    return out
