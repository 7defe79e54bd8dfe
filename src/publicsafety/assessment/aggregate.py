"""Community priorities from many answers: points (or Borda scores pooled as points) with
bootstrap intervals, by neighbourhood and citywide; raking to the neighbourhood's population with
the effective sample size; rounds compared; trust scales; counts through publicsafety.privacy."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from publicsafety.assessment.flow import priority_shares
from publicsafety.privacy import DEFAULT, is_small

BOOTSTRAP = 1000
SEED = 20261125


def shares_matrix(
    responses: Sequence[Mapping[str, Any]], factor_ids: tuple[str, ...]
) -> np.ndarray:
    rows = [priority_shares(r["mode"], r["priorities"], factor_ids) for r in responses]
    return np.array(rows, dtype=float).reshape(len(rows), len(factor_ids))


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish: (sum w)^2 / sum w^2."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum()) if len(w) else 0.0


def priorities(
    responses: Sequence[Mapping[str, Any]],
    factor_ids: tuple[str, ...],
    weights: np.ndarray | None = None,
    n_boot: int = BOOTSTRAP,
    seed: int = SEED,
) -> pd.DataFrame:
    """Mean share of 100 priority points per factor, with a 95% percentile bootstrap interval
    (respondents resampled with replacement, weights carried along)."""
    m = shares_matrix(responses, factor_ids)
    n = len(m)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    out = pd.DataFrame({"factor": factor_ids})
    if n == 0:
        return out.assign(points=np.nan, low=np.nan, high=np.nan, rank=0)
    out["points"] = w @ m / w.sum()
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    wb = w[idx]  # (B, n)
    boot = np.einsum("bn,bnk->bk", wb, m[idx]) / wb.sum(axis=1, keepdims=True)
    out["low"] = np.percentile(boot, 2.5, axis=0)
    out["high"] = np.percentile(boot, 97.5, axis=0)
    out["rank"] = out["points"].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["rank", "factor"]).reset_index(drop=True)


def publishable(n: int, min_count: int = DEFAULT.min_count) -> bool:
    """Results of a group are shown only when its number of answers may be published."""
    return n >= min_count and not is_small(n, min_count)


def by_neighbourhood(
    responses: Sequence[Mapping[str, Any]], factor_ids: tuple[str, ...], n_boot: int = BOOTSTRAP
) -> list[dict[str, Any]]:
    """Priorities for each neighbourhood with enough answers; smaller ones are named but their
    count and results are withheld (they still count citywide)."""
    areas: dict[str, list[Mapping[str, Any]]] = {}
    for r in responses:
        areas.setdefault(r["area"], []).append(r)
    out = []
    for area in sorted(areas):
        rs = areas[area]
        if publishable(len(rs)):
            out.append(
                {"area": area, "n": len(rs), "table": priorities(rs, factor_ids, n_boot=n_boot)}
            )
        else:
            out.append({"area": area, "n": None, "table": None})
    return out


def rake(
    demographics: Sequence[Mapping[str, Any]], margins: Mapping[str, Mapping[str, float]]
) -> np.ndarray:
    """Raking weights (iterative proportional fitting, Meta's `balance`) so the answers'
    demographics match the population `margins` ({"sex": {"female": 0.52, ...}, ...}, shares
    or counts). Respondents who left a raking question blank keep weight 1; the raked ones are
    scaled so that all weights sum to the number of respondents."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # balance prints a banner on import
        from balance.weighting_methods.rake import rake as ipf

    n = len(demographics)
    dims = list(margins)
    frame = pd.DataFrame([{d: (r.get(d) or None) for d in dims} for r in demographics])
    complete = frame.notna().all(axis=1).to_numpy() if n else np.zeros(0, dtype=bool)
    weights = np.ones(n)
    if complete.sum() == 0:
        return weights
    targets = {}
    for d in dims:
        # Groups nobody in the sample belongs to cannot be weighted up; keep only present ones.
        present = set(frame.loc[complete, d])
        kept = {g: v for g, v in margins[d].items() if g in present}
        scale = sum(kept.values())
        targets[d] = {g: v / scale for g, v in kept.items()} if scale else {}
    sample = frame.loc[complete].reset_index(drop=True).astype(str)
    logging.getLogger("balance").setLevel(logging.ERROR)
    result = ipf(sample, pd.Series(np.ones(len(sample))), None, None, variables=dims,
                 transformations=None, na_action="drop", target_margins=targets,
                 convergence_rate=1e-9, max_iteration=5000)  # fmt: skip
    w = result["weight"].to_numpy(dtype=float)
    weights[complete] = w / w.sum() * complete.sum()
    return weights


def trust_scales(
    responses: Sequence[Mapping[str, Any]], scales: Mapping[str, Sequence[str]]
) -> pd.DataFrame:
    """Mean of each trust scale (1-5). Following the Urban Institute's correction, a person's
    scale score is the mean of their valid answers, and counts only when they answered more than
    half of the scale's items."""
    rows = []
    for scale, items in scales.items():
        scores = []
        for r in responses:
            valid = [r["trust"].get(i) for i in items if r["trust"].get(i) is not None]
            if len(valid) > len(items) / 2:
                scores.append(float(np.mean(valid)))
        n = len(scores)
        ok = publishable(n)
        rows.append({"scale": scale, "n": n if ok else None,
                     "mean": float(np.mean(scores)) if ok else None})  # fmt: skip
    return pd.DataFrame(rows, dtype=object)  # withheld values stay None, not NaN


def compare_rounds(
    responses: Sequence[Mapping[str, Any]], factor_ids: tuple[str, ...], n_boot: int = BOOTSTRAP
) -> pd.DataFrame:
    """Each round's mean points per factor (wide: one column per round, in the order rounds
    first appear), and the change from the first to the last round with a bootstrap interval."""
    rounds: dict[str, list[Mapping[str, Any]]] = {}
    for r in responses:
        rounds.setdefault(r.get("round") or "", []).append(r)
    names = [k for k in rounds if publishable(len(rounds[k]))]
    out = pd.DataFrame({"factor": factor_ids})
    for name in names:
        out[name] = shares_matrix(rounds[name], factor_ids).mean(axis=0)
    if len(names) >= 2:
        first, last = (
            shares_matrix(rounds[names[0]], factor_ids),
            shares_matrix(rounds[names[-1]], factor_ids),
        )
        rng = np.random.default_rng(SEED)
        d = np.array([
            last[rng.integers(0, len(last), len(last))].mean(axis=0)
            - first[rng.integers(0, len(first), len(first))].mean(axis=0)
            for _ in range(n_boot)
        ])  # fmt: skip
        out["change"] = out[names[-1]] - out[names[0]]
        out["change_low"] = np.percentile(d, 2.5, axis=0)
        out["change_high"] = np.percentile(d, 97.5, axis=0)
    out.attrs["rounds"] = names
    return out


def calls_by_category(con: Any, city: str) -> pd.DataFrame:
    """Calls and officer hours per call category for the city (aggregated in the engine)."""
    return con.execute(
        "SELECT category, COUNT(*) AS calls, SUM(officer_minutes) / 60.0 AS officer_hours"
        " FROM calls WHERE city = ? AND category IS NOT NULL GROUP BY category ORDER BY category",
        [city],
    ).df()


def beside_data(
    table: pd.DataFrame, factor_calls: Mapping[str, Sequence[str]], calls: pd.DataFrame
) -> pd.DataFrame:
    """Residents' priority points next to the share of calls and of officer hours in the call
    categories that match each factor (shares only, so no small count is published; a factor
    whose calls total 1-10 has its shares withheld)."""
    total_calls = float(calls["calls"].sum())
    total_hours = float(calls["officer_hours"].fillna(0).sum())
    by_cat = calls.set_index("category")
    rows = []
    for _, row in table.iterrows():
        cats = [c for c in factor_calls.get(row["factor"], ()) if c in by_cat.index]
        n = float(by_cat.loc[cats, "calls"].sum()) if cats else 0.0
        hours = float(by_cat.loc[cats, "officer_hours"].fillna(0).sum()) if cats else 0.0
        hidden = is_small(n) or not total_calls
        rows.append({
            "factor": row["factor"], "points": row["points"],
            "call_share": None if hidden else 100 * n / total_calls,
            "hours_share": None if hidden or not total_hours else 100 * hours / total_hours,
        })  # fmt: skip
    out = pd.DataFrame(rows)
    for col in ("call_share", "hours_share"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)  # withheld: None, not NaN
    return out
