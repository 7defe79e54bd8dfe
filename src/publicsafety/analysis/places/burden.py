"""The burden index (roadmap 3.1): which areas carry the most crime, policing untethered to crime
and need, so investment can go where it is due. docs/places.md documents every choice.

Each component is turned into a percentile rank among the areas that have it (0 = lowest,
1 = highest), so no component wins by its units. The index is the weighted mean of the ranks an
area has (weights renormalised over the components present). Stability: the index is recomputed
under alternative weights drawn around the chosen ones (Dirichlet) and the 5th-95th percentile of
each area's rank is reported; a narrow interval is a rank the reader can rely on.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

# crime: reported crime per 1,000 residents (EB-shrunk); policing: log of the EB-shrunk ratio of
# enforcement to what crime predicts; need: share of residents below the poverty line.
COMPONENTS = ("crime", "policing", "need")
DEFAULT_WEIGHTS: dict[str, float] = {"crime": 1 / 3, "policing": 1 / 3, "need": 1 / 3}
CONCENTRATION = 30.0  # Dirichlet concentration: weights mostly within about +-0.15 of the choice
DRAWS = 2000
SEED = 31


def _pct_rank(v: pd.Series) -> pd.Series:
    ok = v.notna()
    out = pd.Series(np.nan, index=v.index)
    if ok.sum() > 1:
        out[ok] = (v[ok].rank(method="average") - 1) / (ok.sum() - 1)
    elif ok.sum() == 1:
        out[ok] = 0.5
    return out


def components(
    crime_rate: pd.Series | None, policing_ratio: pd.Series | None, poverty_share: pd.Series | None
) -> pd.DataFrame:
    """The three component ranks side by side (a missing component is a column of NaN)."""
    index = next(s.index for s in (crime_rate, policing_ratio, poverty_share) if s is not None)
    raw = pd.DataFrame(index=index)
    raw["crime"] = crime_rate if crime_rate is not None else np.nan
    raw["policing"] = np.log(policing_ratio) if policing_ratio is not None else np.nan
    raw["need"] = poverty_share if poverty_share is not None else np.nan
    return raw.apply(_pct_rank)


def index(ranks: pd.DataFrame, weights: Mapping[str, float] = DEFAULT_WEIGHTS) -> pd.Series:
    w = np.array([float(weights.get(c, 0.0)) for c in COMPONENTS])
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError("burden weights must be zero or more and not all zero")
    r = ranks[list(COMPONENTS)].to_numpy(dtype=float)
    present = np.isfinite(r) & (w > 0)
    num = np.nansum(np.where(present, r * w, 0.0), axis=1)
    den = (present * w).sum(axis=1)
    return pd.Series(np.where(den > 0, num / np.where(den > 0, den, 1), np.nan), index=ranks.index)


def burden(
    ranks: pd.DataFrame,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
) -> pd.DataFrame:
    """Index, rank (1 = most burdened) and the 5th-95th percentile rank under weights drawn
    around `weights`, plus the rank under each one-component-doubled alternative."""
    base = index(ranks, weights)
    out = pd.DataFrame({"burden_index": base}, index=ranks.index)
    out = pd.concat([ranks, out], axis=1)
    out["rank"] = base.rank(ascending=False, method="min")
    used = [c for c in COMPONENTS if weights.get(c, 0) > 0 and ranks[c].notna().any()]
    w0 = np.array([weights[c] for c in used], dtype=float)
    w0 = w0 / w0.sum()
    rng = np.random.default_rng(seed)
    sims = rng.dirichlet(w0 * CONCENTRATION, size=draws) if len(used) > 1 else np.ones((draws, 1))
    r = ranks[used].to_numpy(dtype=float)
    present = np.isfinite(r)
    num = np.where(present, r, 0.0) @ sims.T
    den = present.astype(float) @ sims.T
    idx = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    idx_df = pd.DataFrame(idx, index=ranks.index)
    sim_ranks = idx_df.rank(ascending=False, method="min").to_numpy()
    ranked = np.isfinite(sim_ranks).any(axis=1)
    low = np.full(len(out), np.nan)
    high = np.full(len(out), np.nan)
    low[ranked] = np.percentile(sim_ranks[ranked], 5, axis=1)
    high[ranked] = np.percentile(sim_ranks[ranked], 95, axis=1)
    out["rank_low"], out["rank_high"] = low, high
    for c in used:
        alt = dict(weights)
        alt[c] = 2 * weights[c]
        out[f"rank_{c}_doubled"] = index(ranks, alt).rank(ascending=False, method="min")
    return out.sort_values(["rank", "burden_index"], ascending=[True, False])
