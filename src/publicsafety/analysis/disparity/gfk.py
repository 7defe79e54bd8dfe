"""Area-adjusted Poisson models of stops by group in the manner of Gelman, Fagan & Kiss (2007):
stops in each area x group cell ~ Poisson(benchmark x exp(mu + group + area)).

The cells are counted in the engine (`stop_cells`); only the few hundred cell totals reach
statsmodels. Intervals use the quasi-Poisson scale (Pearson chi2 / df) because stop counts are
far more variable than a Poisson model allows: the plain Poisson standard errors, which the
published walk-throughs quote, are reported too but are too narrow to lean on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis
import numpy as np
import pandas as pd
import statsmodels.api as sm

from publicsafety.analysis.disparity.groups import NOT_A_GROUP, group_expr
from publicsafety.engine import Store
from publicsafety.errors import StoreError

Z95 = 1.959963984540054


@dataclass
class PoissonFit:
    """Group effects from one Poisson model; ratios are relative to the reference group."""

    reference: str
    area_effects: bool
    groups: pd.DataFrame  # group, coef, se, se_overdispersed, rate_ratio, ratio_low, ratio_high
    intercept: float
    intercept_se: float
    deviance: float
    null_deviance: float
    df_resid: int
    dispersion: float  # Pearson chi2 / df: 1 for Poisson-like data, far above 1 for stops
    cells: int
    cells_dropped: int  # cells with no benchmark (log offset undefined)
    model: Any = field(repr=False, default=None)

    def coef(self, group: str) -> float:
        return float(dict(zip(self.groups["group"], self.groups["coef"], strict=True))[group])

    def se(self, group: str) -> float:
        return float(dict(zip(self.groups["group"], self.groups["se"], strict=True))[group])


def _dummies(values: pd.Series, first: str) -> pd.DataFrame:
    levels = [first, *sorted(set(values) - {first})]
    cat = pd.Categorical(values, categories=levels)
    return pd.get_dummies(cat, drop_first=True, dtype=float).set_axis(levels[1:], axis=1)


def fit_poisson(
    cells: pd.DataFrame,
    *,
    reference: str,
    count: str = "stops",
    exposure: str = "benchmark",
    group: str = "group",
    area: str | None = None,
) -> PoissonFit:
    """Fit count ~ group (+ area) with offset log(exposure), the reference group as baseline."""
    data = cells[[c for c in (group, area, count, exposure) if c]].copy()
    data[group] = data[group].astype(str)
    usable = data[exposure].astype(float) > 0
    dropped = int((~usable).sum())
    data = data[usable].reset_index(drop=True)
    if reference not in set(data[group]):
        raise ValueError(f"reference group {reference!r} has no cells with a benchmark")
    design = _dummies(data[group], reference)
    group_names = list(design.columns)
    if area:
        areas = data[area].astype(str)
        design = pd.concat(
            [design, _dummies(areas, sorted(set(areas))[0]).add_prefix("area:")], axis=1
        )
    design.insert(0, "const", 1.0)
    y = data[count].astype(float).to_numpy()
    offset = np.log(data[exposure].astype(float).to_numpy())
    res = sm.GLM(y, design.to_numpy(), family=sm.families.Poisson(), offset=offset).fit()
    df_resid = int(res.df_resid)
    dispersion = float(res.pearson_chi2 / df_resid) if df_resid > 0 else float("nan")
    scale = np.sqrt(max(dispersion, 1.0)) if np.isfinite(dispersion) else 1.0
    rows = []
    for i, name in enumerate(group_names, start=1):
        coef, se = float(res.params[i]), float(res.bse[i])
        rows.append(
            {
                "group": name,
                "coef": coef,
                "se": se,
                "se_overdispersed": se * scale,
                "rate_ratio": float(np.exp(coef)),
                "ratio_low": float(np.exp(coef - Z95 * se * scale)),
                "ratio_high": float(np.exp(coef + Z95 * se * scale)),
            }
        )
    return PoissonFit(
        reference=reference,
        area_effects=bool(area),
        groups=pd.DataFrame(rows),
        intercept=float(res.params[0]),
        intercept_se=float(res.bse[0]),
        deviance=float(res.deviance),
        null_deviance=float(res.null_deviance),
        df_resid=df_resid,
        dispersion=dispersion,
        cells=len(data),
        cells_dropped=dropped,
        model=res,
    )


def stop_cells(
    store: Store,
    *,
    area_set: str,
    benchmark: str = "population",
    dimension: str = "race",
    city: str | None = None,
) -> pd.DataFrame:
    """Stops and benchmark per area x group (area_id, group, stops, benchmark), counted in the engine.

    `benchmark` is "population" (residents of the group in the area, from `population`) or
    "arrests" (arrests of the group placed in the area, from `arrests` and `placements`).
    """
    stops = _placed(store, "stops", area_set, dimension, city)
    if benchmark == "population":
        pop = store.table("population")
        pop = pop.filter((pop.area_set == area_set) & (pop.dimension == dimension))
        if city:
            pop = pop.filter(pop.city == city)
        bench = pop.group_by(["area_id", "group"]).aggregate(benchmark=pop["count"].sum())
    elif benchmark == "arrests":
        bench = _placed(store, "arrests", area_set, dimension, city).rename(benchmark="arrests")
    else:
        raise ValueError(f"unknown benchmark {benchmark!r}: use 'population' or 'arrests'")
    joined = stops.outer_join(bench, ["area_id", "group"])
    out = joined.select(
        area_id=ibis.coalesce(joined.area_id, joined.area_id_right),
        group=ibis.coalesce(joined.group, joined.group_right),
        stops=joined.stops.fill_null(0),
        benchmark=joined.benchmark.fill_null(0),
    ).order_by(["area_id", "group"])
    df = out.to_pandas()
    if df.empty:
        raise StoreError(
            f"no stops or {benchmark} placed in area set {area_set!r}",
            where="stops / placements tables",
            fix="load stops and the area set, then place the stops (publicsafety ingest)",
        )
    return df[~df["group"].isin(NOT_A_GROUP) & df["area_id"].notna()].reset_index(drop=True)


def _placed(store: Store, table: str, area_set: str, dimension: str, city: str | None) -> Any:
    """Events of one table counted per placed area and group (column named after the table)."""
    t = store.table(table)
    if city:
        t = t.filter(t.city == city)
    pl = store.table("placements")
    pl = pl.filter((pl.kind == table) & (pl.area_set == area_set) & pl.area_id.notnull())
    j = t.join(pl, t.row_id == pl.row_id)
    j = j.mutate(group=group_expr(j, dimension))
    return j.group_by(["area_id", "group"]).aggregate(**{table: j.count()})
