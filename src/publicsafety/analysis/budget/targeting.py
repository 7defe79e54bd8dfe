"""Where a focused basic income program goes (roadmap 5.2): the areas the places analysis's
investment (burden) index ranks highest, or the areas with the highest poverty rates, and how
many recipients each gets.
"""

from __future__ import annotations

import pandas as pd
from ibis import _

from publicsafety.analysis.budget.scenario_file import BasicIncome
from publicsafety.analysis.scope import fetch
from publicsafety.engine import Store
from publicsafety.errors import PublicSafetyError, StoreError


def share_out(weights: list[float], total: int) -> list[int]:
    """Whole shares of `total` in proportion to `weights` that add up to `total` exactly
    (largest remainders; ties go to the earlier entry)."""
    if not weights:
        return []
    whole = sum(weights)
    quota = (
        [w / whole * total for w in weights] if whole > 0 else [total / len(weights)] * len(weights)
    )
    base = [int(q) for q in quota]
    order = sorted(range(len(quota)), key=lambda i: (-(quota[i] - base[i]), i))
    for i in order[: total - sum(base)]:
        base[i] += 1
    return base


def _poverty(store: Store, city: str, area_set: str | None) -> pd.DataFrame:
    pop = store.table("population")
    pop = pop.filter(pop.city == city)
    if area_set:
        pop = pop.filter(pop.area_set == area_set)
    total = (pop.dimension == "total") & (pop["group"] == "total")
    poor = (pop.dimension == "poverty") & (pop["group"] == "below_poverty")
    df = fetch(
        pop.group_by(["area_set", "area_id"])
        .aggregate(residents=pop["count"].sum(where=total), below=pop["count"].sum(where=poor))
        .filter(_.residents > 0, _.below.notnull())
    )
    if df.empty:
        raise StoreError(
            f"no areas of {city} with residents below poverty in the population table",
            fix="load a population file with poverty counts (e.g. pilot_cities_population_tracts_fara2019)"
            " or set areas = 0 in [basic_income] for a program not tied to places",
        )
    sets = sorted(df["area_set"].unique())
    if len(sets) > 1:
        raise StoreError(
            f"{city} has poverty counts in several area sets: {', '.join(sets)}",
            fix='choose one with area_set = "..." in [basic_income]',
        )
    df["poverty_rate"] = df["below"] / df["residents"]
    return df


def _investment_rank(store: Store, city: str, area_set: str) -> pd.Series | None:
    """Areas by the places analysis's burden index (1 = most burdened), or None when the city
    has no boundaries for the area set or the index cannot be computed."""
    from publicsafety.analysis.places.run import analyze_places

    areas = store.table("areas")
    n = int(areas.filter(areas.city == city, areas.area_set == area_set).count().to_pandas())
    if n == 0:
        return None
    try:
        burden = analyze_places(store, area_set, city=city).burden
    except PublicSafetyError:
        return None
    if burden.empty:
        return None
    return burden["rank"].astype(float)


def target_areas(store: Store, city: str, income: BasicIncome) -> pd.DataFrame:
    """Areas for a basic income program: the `areas` the places analysis's investment (burden)
    index ranks highest when the city has boundaries for the area set, else the highest poverty
    rates (residents below the poverty line / residents) in the population table. Recipients are
    shared out in proportion to residents below poverty (largest remainders)."""
    df = _poverty(store, city, income.area_set)
    area_set = str(df["area_set"].iloc[0])
    rank = None if income.rank_by == "poverty" else _investment_rank(store, city, area_set)
    if rank is None and income.rank_by == "investment_index":
        raise StoreError(
            f"no investment index for {city} {area_set}",
            fix="load the area boundaries and run `publicsafety analyze places`, or set "
            'rank_by = "poverty" in [basic_income]',
        )
    if rank is not None:
        df["investment_rank"] = df["area_id"].map(rank)
        df = df.dropna(subset=["investment_rank"]).sort_values(["investment_rank", "area_id"])
        ranked_by = "investment (burden) index of the places analysis"
    else:
        df = df.sort_values(["poverty_rate", "area_id"], ascending=[False, True])
        ranked_by = "poverty rate"
    df = df.head(income.areas).reset_index(drop=True)
    df["recipients"] = share_out(df["below"].tolist(), income.recipients)
    df["rank"] = range(1, len(df) + 1)
    df["ranked_by"] = ranked_by
    return df.rename(columns={"below": "residents_below_poverty"})
