"""Area profiles: per area of one area set, residents, events by measure, and rates per 1,000
with exact Poisson intervals, small-area flags and empirical-Bayes shrinkage (roadmap 2.1, 3.1).

Counting runs in the engine (one grouped Ibis aggregate per measure over `placements`, on
DuckDB or Spark); only one row per area comes back. Rows that could not be placed in an area are counted, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import ibis
import numpy as np
import pandas as pd
import shapely
from ibis import _
from scipy.stats import chi2

from publicsafety import tables
from publicsafety.analysis.scope import fetch
from publicsafety.engine import Store
from publicsafety.errors import StoreError
from publicsafety.privacy import sensitive_expr
from publicsafety.vocab import BELOW_POVERTY_GROUP, TOTAL_GROUP

# measure -> (event table, (column, value) the rows must have or None, plain words for captions)
MEASURES: dict[str, tuple[str, tuple[str, str] | None, str]] = {
    "stops": ("stops", None, "stops"),
    "arrests": ("arrests", None, "arrests"),
    "crime": ("incidents", None, "reported crimes"),
    "violent_crime": ("incidents", ("crime_category", "violent"), "reported violent crimes"),
    "property_crime": ("incidents", ("crime_category", "property"), "reported property crimes"),
    "community_calls": ("calls", ("origin", "community"), "calls from the community"),
    "officer_calls": ("calls", ("origin", "officer"), "officer-initiated calls"),
}


def measure_rows(store: Store, city: str, measure: str) -> ibis.Table:
    """The event rows of a city that a measure counts. Calls of sensitive types (sexual
    assault, juvenile, domestic) are counted in totals elsewhere but never by area."""
    kind, only, _ = MEASURES[measure]
    e = store.table(kind)
    e = e.filter(e.city == city)
    if kind == "calls":
        e = e.filter(~sensitive_expr(e.call_type))
    return e if only is None else e.filter(e[only[0]] == only[1])


SENSITIVE_NOTE = (
    "Calls of sensitive types (sexual assault, juvenile, domestic) are left out of the call "
    "counts by area, as the privacy rules require."
)


# Below these, an area's rate is flagged and shrunk rather than ranked on its own (CPE's rule of
# thumb: no model on fewer than 10 events; 500 residents keeps one event from moving a rate by 2).
MIN_POPULATION = 500
MIN_EVENTS = 20


@dataclass
class AreaFrame:
    """One row per area: name, population, below_poverty and one count column per measure."""

    city: str
    area_set: str
    table: pd.DataFrame  # index area_id
    geometry: dict[str, object]  # area_id -> shapely geometry (WGS84)
    placement: pd.DataFrame  # measure, rows, placed, unplaced, no_area_key
    notes: list[str] = field(default_factory=list)


def _key(area_key: str | None, column: Any) -> Any:
    """The area key of a text column: its value, or the first group of `area_key` upper-cased
    (NULL where the pattern does not match)."""
    if area_key is None:
        return column
    found = column.re_extract(area_key, 1).upper()
    return ibis.ifelse(found == "", ibis.null("string"), found)


def _check_key(area_key: str | None) -> None:
    if area_key is None:
        return
    try:
        if re.compile(area_key).groups < 1:
            raise re.error("no group")
    except re.error as exc:
        raise StoreError(
            f"area key {area_key!r} is not a regular expression with one group ({exc})",
            fix="give a pattern whose first (...) group is the key, e.g. '([A-Za-z])$' for the "
            "letter at the end of a zone id",
        ) from exc


def load_areas(
    store: Store, city: str, area_set: str, area_key: str | None = None
) -> tuple[pd.DataFrame, dict[str, object]]:
    """Areas of a set as (table of area_id, name; geometry by id); with `area_key`, areas whose
    ids share the key (the regex's first group) are merged into one."""
    _check_key(area_key)
    a = store.table("areas")
    found = fetch(
        a.filter(a.city == city, a.area_set == area_set)
        .order_by(["area_id", "row_id"])
        .select("area_id", "name", "geometry")
    )
    rows = list(found.itertuples(index=False, name=None))
    if not rows:
        a = a.filter(a.city == city)
        sets = sorted(str(v) for v in fetch(a.select("area_set").distinct())["area_set"])
        raise StoreError(
            f"{city} has no areas in a set named {area_set!r}",
            fix="load the boundaries first (`publicsafety ingest FILE --profile ...`); sets loaded: "
            + (", ".join(sets) or "none"),
        )
    pattern = re.compile(area_key) if area_key else None
    groups: dict[str, list[object]] = {}
    names: dict[str, str] = {}
    for area_id, name, wkb in rows:
        key = str(area_id)
        if pattern is not None:
            m = pattern.search(key)
            if not m or not m.group(1):
                continue
            key = m.group(1).upper()
        shapes = groups.setdefault(key, [])
        if wkb is not None and not (isinstance(wkb, float) and np.isnan(wkb)):
            # (an area set loaded without shapes still counts by attribute)
            shapes.append(shapely.from_wkb(bytes(wkb)))
        names.setdefault(key, key if pattern is not None else str(name or area_id))
    geometry = {k: shapely.union_all(v) if len(v) > 1 else v[0] for k, v in groups.items() if v}
    table = pd.DataFrame({"area_id": list(groups), "name": [names[k] for k in groups]})
    return table.set_index("area_id"), geometry


def population(
    store: Store, city: str, area_set: str, group: str = TOTAL_GROUP
) -> dict[str, float]:
    """Residents of one population group per area (the `population` table, else `areas`)."""
    # Two loads of the same set (say ACS 2015 and ACS 2016) must not add up: take the one
    # source covering the most areas, the latest year on a tie.
    p = store.table("population")
    p = p.filter(p.city == city, p.area_set == area_set, p["group"] == group)
    df = fetch(p.group_by(["source", "year", "area_id"]).aggregate(n=p["count"].sum()))
    if not df.empty:
        cover = df.groupby(["source", "year"], dropna=False)["area_id"].nunique().reset_index()
        cover["no_year"] = cover["year"].isna()
        pick = cover.sort_values(
            ["area_id", "no_year", "year", "source"], ascending=[False, True, False, True]
        ).iloc[0]
        same = df["source"].fillna("\0").eq(_or(pick["source"])) & df["year"].fillna(-1).eq(
            -1 if pd.isna(pick["year"]) else pick["year"]
        )
        rows = df[same].groupby("area_id")["n"].sum(min_count=1).items()
        return {str(a): float(n) for a, n in rows if pd.notna(n)}
    if group != TOTAL_GROUP:
        return {}
    a = store.table("areas")
    a = a.filter(a.city == city, a.area_set == area_set, a.population.notnull())
    got = fetch(a.group_by("area_id").aggregate(n=a.population.sum()))
    return {str(k): float(n) for k, n in zip(got["area_id"], got["n"], strict=True) if pd.notna(n)}


def _or(value: Any) -> Any:
    return "\0" if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _groups(store: Store, city: str, area_set: str) -> list[str]:
    p = store.table("population")
    p = p.filter(p.city == city, p.area_set == area_set, ~p.dimension.isin(["total", "poverty"]))
    df = fetch(p.select("dimension", "group").distinct())
    df = df.sort_values(["dimension", "group"], ignore_index=True)
    return [str(g) for g in df["group"]]


def interpolate(
    values: dict[str, float], source: dict[str, object], target: dict[str, object]
) -> dict[str, float]:
    """Areal interpolation: each source area's value shared among target areas by overlap area,
    assuming residents spread evenly within a source area (documented in docs/places.md)."""
    if not values:
        return {}  # nothing known at the source: unknown at the target, not zero
    out = dict.fromkeys(target, 0.0)
    tgt_ids = list(target)
    tgt = np.array([target[t] for t in tgt_ids], dtype=object)
    tree = shapely.STRtree(tgt)
    for sid, geom in source.items():
        value = values.get(sid)
        if not value:
            continue
        full = shapely.area(geom)
        if full <= 0:
            continue
        for j in tree.query(geom, predicate="intersects"):
            share = shapely.area(shapely.intersection(geom, tgt[j])) / full
            out[tgt_ids[j]] += value * share
    return out


def _counts(
    store: Store,
    city: str,
    area_set: str,
    measure: str,
    area_key: str | None,
    attribute: str | None,
) -> tuple[dict[str, int], dict[str, int]]:
    kind = MEASURES[measure][0]
    e = measure_rows(store, city, measure)
    if attribute is not None:
        # The source names the area (e.g. the SOPP zone letter) instead of giving a point.
        if attribute not in tables.column_names(kind):
            raise StoreError(
                f"{kind} has no column {attribute!r} to name areas by",
                fix=f"columns of {kind}: {', '.join(tables.column_names(kind))}",
            )
        keyed = e.mutate(k=_key(area_key, e[attribute].cast("string")))
    else:
        p = store.table("placements")
        p = p.filter(p.kind == kind, p.area_set == area_set).select("row_id", "area_id")
        j = e.left_join(p, e.row_id == p.row_id)
        keyed = j.mutate(k=_key(area_key, j.area_id))
    got = fetch(keyed.group_by("k").aggregate(n=_.count()))
    by_key: dict[str, int] = {}
    unplaced = 0
    for k, n in zip(got["k"], got["n"], strict=True):
        if k is None or (isinstance(k, float) and np.isnan(k)):
            unplaced += int(n)
            continue
        by_key[str(k)] = by_key.get(str(k), 0) + int(n)
    total = sum(by_key.values()) + unplaced
    return by_key, {"rows": total, "unplaced": unplaced}


def area_frame(
    store: Store,
    city: str,
    area_set: str,
    measures: tuple[str, ...] = ("stops", "arrests", "crime", "community_calls", "officer_calls"),
    *,
    area_key: str | None = None,
    attribute: dict[str, str] | None = None,
    population_from: str | None = None,
) -> AreaFrame:
    """Count each measure per area of `area_set` and attach residents and residents in poverty.

    `area_key` merges areas sharing a key (regex group on area_id). `attribute` maps an event
    table to a column that names the area (counted by that value, not by placement).
    `population_from` takes residents from another area set of the city by areal interpolation.
    """
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise StoreError(
            f"unknown measure(s): {', '.join(unknown)}", fix=f"use any of {', '.join(MEASURES)}"
        )
    table, geometry = load_areas(store, city, area_set, area_key)
    attribute = attribute or {}
    notes: list[str] = []
    src_set = population_from or area_set
    # Residents in total, in poverty, and by race, sex and age where the population data has them.
    groups = [TOTAL_GROUP, BELOW_POVERTY_GROUP, *_groups(store, city, src_set)]
    residents = {g: population(store, city, src_set, g) for g in groups}
    src_geom = load_areas(store, city, src_set)[1] if population_from else None
    for g, values in residents.items():
        if src_geom is not None:
            residents[g] = interpolate(values, src_geom, geometry)
        elif area_key:
            residents[g] = _merge(values, area_key)
    if population_from:
        notes.append(
            f"Residents estimated from {src_set} by area of overlap (even spread assumed)."
        )
    for g, values in residents.items():
        col = {TOTAL_GROUP: "population", BELOW_POVERTY_GROUP: "below_poverty"}.get(
            g, f"residents_{g}"
        )
        table[col] = [values.get(a, np.nan) if values else np.nan for a in table.index]
    placement = []
    if any(MEASURES[m][0] == "calls" for m in measures):
        notes.append(SENSITIVE_NOTE)
    for m in measures:
        kind = MEASURES[m][0]
        counts, acct = _counts(store, city, area_set, m, area_key, attribute.get(kind))
        if attribute.get(kind):
            counts = _by_name(counts, table)
        if not acct["rows"]:
            continue
        outside = sum(n for k, n in counts.items() if k not in table.index)
        if acct["rows"] - acct["unplaced"] - outside > 0:
            # A measure none of whose rows could be placed gets no column: zeros would read as
            # "no events here" rather than "not known".
            table[m] = [counts.get(a, 0) for a in table.index]
        placement.append(
            {
                "measure": m,
                "rows": acct["rows"],
                "placed": acct["rows"] - acct["unplaced"] - outside,
                "unplaced": acct["unplaced"] + outside,
            }
        )
    return AreaFrame(city, area_set, table, geometry, pd.DataFrame(placement), notes)


def _norm(text: str) -> str:
    """Case, hyphens and runs of spaces ignored: "Bryn- Mawr" names the area "BRYN - MAWR"."""
    return " ".join(text.upper().replace("-", " ").replace("_", " ").split())


def _by_name(counts: dict[str, int], table: pd.DataFrame) -> dict[str, int]:
    """Counts keyed by the value a source wrote, re-keyed by the area it names (its id, else its
    name); values naming no area keep their own key and are counted as not placed."""
    lookup: dict[str, str] = {}
    for area_id in table.index:
        lookup.setdefault(_norm(str(area_id)), str(area_id))
    for area_id, name in table["name"].items():
        lookup.setdefault(_norm(str(name)), str(area_id))
    out: dict[str, int] = {}
    for value, n in counts.items():
        key = lookup.get(_norm(value), value)
        out[key] = out.get(key, 0) + n
    return out


def _merge(values: dict[str, float], area_key: str) -> dict[str, float]:
    pattern = re.compile(area_key)
    out: dict[str, float] = {}
    for area_id, v in values.items():
        m = pattern.search(area_id)
        if m and m.group(1):
            out[m.group(1).upper()] = out.get(m.group(1).upper(), 0.0) + v
    return out


def poisson_interval(count: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson mean given observed counts."""
    k = np.asarray(count, dtype=float)
    a = 1 - level
    lo = np.where(k > 0, chi2.ppf(a / 2, 2 * k) / 2, 0.0)
    hi = chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return lo, hi


def eb_rates(count: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """Marshall's (1991) global empirical-Bayes rates: each area's rate pulled toward the city
    rate by how little its own count says (method-of-moments gamma prior)."""
    k = np.asarray(count, dtype=float)
    n = np.asarray(exposure, dtype=float)
    ok = n > 0
    m = k[ok].sum() / n[ok].sum()
    r = np.where(ok, k / np.where(ok, n, 1), np.nan)
    s2 = np.sum(n[ok] * (r[ok] - m) ** 2) / n[ok].sum()
    a = max(s2 - m / n[ok].mean(), 0.0)
    weight = np.where(ok, a / (a + m / np.where(ok, n, 1)), np.nan)
    return m + weight * (r - m)


def rates(
    frame: AreaFrame,
    measure: str,
    *,
    per: float = 1000.0,
    level: float = 0.95,
    min_population: float = MIN_POPULATION,
    min_events: int = MIN_EVENTS,
) -> pd.DataFrame:
    """Rate per `per` residents of one measure, exact interval, flags and EB-shrunk rate.

    Areas without residents get no rate (flag "no residents"); areas under `min_population` or
    `min_events` are flagged so rankings use the shrunk rate, never the raw one.
    """
    t = frame.table
    k = t[measure].to_numpy(dtype=float)
    n = t["population"].to_numpy(dtype=float)
    has = np.nan_to_num(n) > 0
    lo, hi = poisson_interval(k, level)
    safe = np.where(has, n, 1.0)
    out = pd.DataFrame(index=t.index)
    out["name"] = t["name"]
    out["population"] = n
    out["count"] = k.astype(int)
    out["rate"] = np.where(has, k / safe * per, np.nan)
    out["rate_low"] = np.where(has, lo / safe * per, np.nan)
    out["rate_high"] = np.where(has, hi / safe * per, np.nan)
    shrunk = np.full(len(k), np.nan)
    if has.sum() >= 3:
        shrunk[has] = eb_rates(k[has], n[has]) * per
    out["rate_shrunk"] = shrunk
    flags = []
    for pop_i, k_i, h in zip(n, k, has, strict=True):
        if not h:
            flags.append("no residents")
        elif pop_i < min_population:
            flags.append("few residents")
        elif k_i < min_events:
            flags.append("few events")
        else:
            flags.append("")
    out["flag"] = flags
    return out
