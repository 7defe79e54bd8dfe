"""Our categories beside Vera's independent categorisation of the same call types.

Vera (with Two Sigma Data Clinic) put each raw call type of four cities into its own categories;
vera_crosswalk.csv says which of our categories count as the same. Agreement is weighted by
Vera's call counts and leaves out types Vera did not categorise.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from publicsafety.taxonomy.maps import find_map, normalize, slug
from publicsafety.taxonomy.suggest import as_count, as_text, suggest


def crosswalk() -> dict[str, frozenset[str]]:
    path = Path(str(resources.files("publicsafety.taxonomy"))) / "vera_crosswalk.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            r["vera_category"]: frozenset(r["our_categories"].split("|"))
            for r in csv.DictReader(fh)
        }


@dataclass(frozen=True)
class Agreement:
    city: str
    calls: int  # calls of types both Vera and our map categorise
    agreeing: int
    disagreements: (
        pd.DataFrame
    )  # call_type, calls, vera_category, our_category, rule; largest first

    @property
    def rate(self) -> float:
        return self.agreeing / self.calls if self.calls else 0.0


def agreement(types: pd.DataFrame, city: str) -> Agreement:
    """Compare a city's map with Vera's categories.

    `types` has columns call_type, calls, vera_category (Vera's call_types_by_city.csv rows for
    the city's call-type column).
    """
    city_map = find_map(city)
    if city_map is None:
        raise ValueError(f"no map for {city}")
    ours = {r.call_type: r for r in city_map.rows if r.call_type}
    xwalk = crosswalk()
    agg: dict[tuple[str, str], int] = {}
    for call_type, calls, vera_category in types[
        ["call_type", "calls", "vera_category"]
    ].itertuples(index=False, name=None):
        vera = (as_text(vera_category) or "").strip()
        text = normalize(as_text(call_type))
        if not vera or text is None or text not in ours:
            continue
        agg[(text, vera)] = agg.get((text, vera), 0) + as_count(calls)
    total = agreeing = 0
    rows = []
    for (text, vera), n in agg.items():
        row = ours[text]
        total += n
        if row.category in xwalk.get(vera, frozenset()):
            agreeing += n
        else:
            rows.append((text, n, vera, row.category, row.rule))
    frame = pd.DataFrame(
        rows, columns=["call_type", "calls", "vera_category", "our_category", "rule"]
    )
    frame = frame.sort_values(["calls", "call_type"], ascending=[False, True]).reset_index(
        drop=True
    )
    return Agreement(city, total, agreeing, frame)


@dataclass(frozen=True)
class Holdout:
    city: str
    calls: int
    classified: int  # calls whose type the base proposed a category for
    agreeing: int  # calls whose proposed category equals the city's reviewed map

    @property
    def classified_share(self) -> float:
        return self.classified / self.calls if self.calls else 0.0

    @property
    def agreement(self) -> float:
        """Share of all calls (not only the classified ones) where proposal and map agree."""
        return self.agreeing / self.calls if self.calls else 0.0


def holdout(types: pd.DataFrame, city: str) -> Holdout:
    """How `suggest` does on a city whose map it may not see (call_type_code, call_type, calls)."""
    city_map = find_map(city)
    if city_map is None:
        raise ValueError(f"no map for {city}")
    by_code = {r.call_type_code.strip().upper(): r for r in city_map.rows if r.call_type_code}
    by_text = {r.call_type: r for r in city_map.rows if r.call_type}
    proposed = suggest(types, frozenset({slug(city)}))
    total = classified = agreeing = 0
    for code, text, category, calls in proposed[
        ["call_type_code", "call_type", "category", "calls"]
    ].itertuples(index=False, name=None):
        n = as_count(calls)
        total += n
        if category == "unmapped":
            continue
        classified += n
        row = by_code.get(str(code).strip().upper()) if code else None
        row = row or by_text.get(normalize(as_text(text)) or "")
        if row is not None and row.category == category:
            agreeing += n
    return Holdout(city, total, classified, agreeing)


def shares(types: pd.DataFrame, city: str) -> pd.DataFrame:
    """Calls and share of calls per category for (call_type_code, call_type, calls), by the city's
    map (types it does not cover count as 'unmapped'), largest first."""
    city_map = find_map(city)
    if city_map is None:
        raise ValueError(f"no map for {city}")
    by_code = {
        r.call_type_code.strip().upper(): r.category for r in city_map.rows if r.call_type_code
    }
    by_text = {r.call_type: r.category for r in city_map.rows if r.call_type}
    totals: dict[str, int] = {}
    for code, text, calls in types[["call_type_code", "call_type", "calls"]].itertuples(
        index=False, name=None
    ):
        code_s = as_text(code)
        category = (by_code.get(code_s.strip().upper()) if code_s else None) or by_text.get(
            normalize(as_text(text)) or "", "unmapped"
        )
        totals[category] = totals.get(category, 0) + as_count(calls)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    frame = pd.DataFrame(ranked, columns=["category", "calls"])
    frame["share"] = frame["calls"] / frame["calls"].sum()
    return frame
