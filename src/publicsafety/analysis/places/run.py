"""One call for the whole places analysis of an area set, and its privacy-safe tables.

report = analyze_places(store, "neighborhoods", city="New Orleans")
public = public_tables(report)     # counts 1-10 hidden, and what derives from them
for spec in map_specs(report, public): ...   # drawn by publicsafety.report.maps
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from publicsafety import privacy
from publicsafety.analysis.places import burden as burden_mod
from publicsafety.analysis.places.area_profiles import (
    MEASURES,
    MIN_POPULATION,
    AreaFrame,
    area_frame,
    rates,
)
from publicsafety.analysis.places.divergence import THRESHOLD, Divergence, divergence
from publicsafety.analysis.places.spatial import MoranResult, morans_i
from publicsafety.analysis.scope import fetch
from publicsafety.engine import Store
from publicsafety.errors import PublicSafetyError, StoreError

# What officers did, in words for captions ("Officers stopped people in ...").
ACTION = {
    "stops": "stopped people",
    "arrests": "made arrests",
    "officer_calls": "started activity on their own",
}


@dataclass
class PlacesReport:
    city: str
    area_set: str
    frame: AreaFrame
    rates: dict[str, pd.DataFrame]  # measure -> rates table
    divergence: Divergence | None
    moran: MoranResult | None
    burden: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    moran_of: str = ""  # what Moran's I was computed on
    population_from: str | None = None
    label: str | None = None  # what to call the areas in titles ("zone letters")
    enforcement: str = "stops"
    crime: str = "crime"


def only_city(store: Store, area_set: str, city: str | None) -> str:
    a = store.table("areas")
    cities = sorted(
        str(c) for c in fetch(a.filter(a.area_set == area_set).select("city").distinct())["city"]
    )
    if city is not None:
        return city
    if len(cities) == 1:
        return str(cities[0])
    raise StoreError(
        f"{len(cities)} cities have an area set named {area_set!r}"
        if cities
        else f"no city has an area set named {area_set!r}",
        fix="name one with --city" if cities else "load boundaries first (kind = areas profile)",
    )


def placement_notes(
    frame: AreaFrame, area_set: str, min_count: int = privacy.DEFAULT.min_count
) -> list[str]:
    """How many events of each measure were placed, in words a report can print: a count from
    1 to min_count - 1 reads "fewer than min_count", and the other count of its row is then
    not given either (the total minus it would tell)."""
    why = "(no coordinates or area name in the file, or a point or name outside every area)"
    notes = []
    for row in frame.placement.to_dict("records"):
        words = MEASURES[str(row["measure"])][2]
        rows, placed, unplaced = int(row["rows"]), int(row["placed"]), int(row["unplaced"])
        if privacy.is_small(rows, min_count):
            notes.append(
                f"{privacy.count_text(rows, min_count).capitalize()} {words}: too few to say where."
            )
        elif unplaced == 0:
            notes.append(f"All {rows:,} {words} were placed in {area_set}.")
        elif privacy.is_small(unplaced, min_count):
            notes.append(
                f"Nearly all {rows:,} {words} were placed in {area_set};"
                f" {privacy.count_text(unplaced, min_count)} could not be placed {why}."
            )
        elif privacy.is_small(placed, min_count):
            notes.append(
                f"{privacy.count_text(placed, min_count).capitalize()} of {rows:,} {words} were placed"
                f" in {area_set} {why}."
            )
        else:
            notes.append(
                f"{placed:,} of {rows:,} {words} were placed in {area_set};"
                f" {unplaced:,} could not be placed {why}."
            )
    return notes


def analyze_places(
    store: Store,
    area_set: str,
    *,
    city: str | None = None,
    enforcement: str = "stops",
    crime: str = "crime",
    measures: tuple[str, ...] | None = None,
    area_key: str | None = None,
    attribute: Mapping[str, str] | None = None,
    population_from: str | None = None,
    weights: Mapping[str, float] = burden_mod.DEFAULT_WEIGHTS,
    threshold: float = THRESHOLD,
    label: str | None = None,
) -> PlacesReport:
    """Profiles, divergence of `enforcement` from `crime`, Moran's I and the burden index."""
    city = only_city(store, area_set, city)
    frame = area_frame(
        store,
        city,
        area_set,
        measures or tuple(MEASURES),
        area_key=area_key,
        attribute=dict(attribute or {}),
        population_from=population_from,
    )
    notes = [*frame.notes, *placement_notes(frame, area_set, store.settings.privacy.min_count)]
    present = [m for m in MEASURES if m in frame.table.columns]
    has_pop = bool(np.nan_to_num(frame.table["population"].to_numpy(dtype=float)).sum() > 0)
    if not has_pop:
        notes.append(f"No residents are known for {area_set}: rates per 1,000 are not shown.")
    if not frame.geometry:
        notes.append(f"{area_set} was loaded without shapes: there are no maps of it.")
    profile = {m: rates(frame, m) for m in present} if has_pop else {}
    div: Divergence | None = None
    moran: MoranResult | None = None
    placed = (
        dict(zip(frame.placement["measure"], frame.placement["placed"], strict=True))
        if (present)
        else {}
    )
    if placed.get(enforcement, 0) and placed.get(crime, 0):
        try:
            div = divergence(frame.table, enforcement, crime, threshold=threshold)
        except PublicSafetyError as exc:
            notes.append(f"Divergence not modelled: {exc.what}.")
    else:
        missing = [m for m in (enforcement, crime) if not placed.get(m, 0)]
        notes.append(
            f"Divergence not modelled: no {' or '.join(MEASURES[m][2] for m in missing)}"
            f" could be placed in {area_set}."
        )
    moran_of = ""
    ratio: pd.Series | None = None
    if div is not None:
        a = div.areas[div.areas["in_fit"]]
        if frame.geometry:  # neighbours come from shapes
            moran = morans_i(dict(a["pearson_residual"]), frame.geometry)
            moran_of = f"residuals of {enforcement} modelled on {crime}"
        ratio = div.areas["ratio_shrunk"]
    elif enforcement in profile:
        # No crime to tether to: the policing component falls back to enforcement per resident.
        shrunk = profile[enforcement]["rate_shrunk"]
        ratio = shrunk / np.nanmean(shrunk)
        notes.append(
            f"The policing component of the burden index is {MEASURES[enforcement][2]} per 1,000"
            " residents relative to the city, not tethered to crime (no crime could be placed)."
        )
        ok = shrunk[shrunk > 0]
        if len(ok) >= 5 and frame.geometry:
            moran = morans_i(dict(np.log(ok)), frame.geometry)
            moran_of = f"log {MEASURES[enforcement][2]} per 1,000 residents (shrunk)"
    crime_rate = profile[crime]["rate_shrunk"] if crime in profile else None
    pop = frame.table["population"]
    share = frame.table["below_poverty"] / pop.where(pop > 0)
    poverty = share if share.notna().any() else None
    if crime_rate is None and ratio is None and poverty is None:
        ranked = pd.DataFrame()
        notes.append("Burden index not computed: no crime rate, divergence or poverty data.")
    else:
        comp = burden_mod.components(crime_rate, ratio, poverty)
        # Never rank on noise: areas with too few residents stay in the table without a rank.
        few = frame.table["population"].fillna(0) < MIN_POPULATION
        comp.loc[few.reindex(comp.index).to_numpy()] = np.nan
        if few.any():
            notes.append(
                f"{int(few.sum())} areas with fewer than {MIN_POPULATION:,} residents are not"
                " ranked on the burden index."
            )
        ranked = burden_mod.burden(comp, weights)
        ranked.insert(0, "name", frame.table["name"].reindex(ranked.index))
    return PlacesReport(
        city,
        area_set,
        frame,
        profile,
        div,
        moran,
        ranked,
        notes,
        moran_of,
        population_from,
        label,
        enforcement,
        crime,
    )


def public_tables(report: PlacesReport) -> dict[str, privacy.Suppressed]:
    """The tables that may leave the toolkit: every count of 1-10 hidden, with complements, and
    every rate, ratio or expected value derived from a hidden count hidden with it."""
    t = report.frame.table
    counts = [m for m in MEASURES if m in t.columns]
    people = ["population", "below_poverty", *[c for c in t.columns if c.startswith("residents_")]]
    areas = t[["name", *people, *counts]].copy()
    derived: dict[str, list[str]] = {}
    for m, r in report.rates.items():
        for col in ("rate", "rate_low", "rate_high", "rate_shrunk"):
            areas[f"{m}_{col}"] = r[col]
            derived[f"{m}_{col}"] = [m]
        areas[f"{m}_flag"] = r["flag"]
    out = {"areas": privacy.suppress_table(areas.reset_index(), counts, derived=derived)}
    if report.divergence is not None:
        d = report.divergence.areas
        cols = ["name", "population", "crime", "observed", "expected", "ratio", "ratio_shrunk"]
        div = d[[*cols, "ratio_low", "ratio_high", "flag"]].reset_index()
        hidden = privacy.suppress_table(
            div,
            ["crime", "observed"],
            derived={
                "expected": ["crime"],
                "ratio": ["crime", "observed"],
                "ratio_shrunk": ["crime", "observed"],
                "ratio_low": ["crime", "observed"],
                "ratio_high": ["crime", "observed"],
            },
        )
        tbl = hidden.table
        gone = tbl["observed"].isna() | tbl["crime"].isna()
        tbl["flag"] = tbl["flag"].astype(object).where(~gone, "suppressed")
        out["divergence"] = hidden
    if len(report.burden):
        b = report.burden.rename_axis("area_id").reset_index()
        # A component rank places an area between two published rates, which bounds a hidden
        # count: withhold the components built on a hidden count (the index and rank stay).
        shown = out["areas"].table.set_index("area_id")
        withheld = 0
        pairs = (("crime", [report.crime]), ("policing", [report.crime, report.enforcement]))
        for comp, measures in pairs:
            cols = [m for m in measures if m in shown.columns]
            if not cols:
                continue
            lost = shown[cols].isna().any(axis=1).reindex(b["area_id"]).fillna(False).to_numpy()
            withheld += int((lost & b[comp].notna().to_numpy()).sum())
            b.loc[lost, comp] = np.nan
        # An index left resting only on withheld components would give them away.
        bare = b[list(burden_mod.COMPONENTS)].isna().all(axis=1) & b["burden_index"].notna()
        rank_cols = ["burden_index", *[c for c in b.columns if c.startswith("rank")]]
        withheld += int(bare.sum()) * len(rank_cols)
        b.loc[bare, rank_cols] = np.nan
        unranked = b["burden_index"].isna() & ~bare
        b["note"] = np.where(
            bare,
            "suppressed",
            np.where(unranked, f"not ranked: under {MIN_POPULATION} residents", ""),
        )
        out["burden"] = privacy.Suppressed(b, withheld, 0, withheld)
    if len(report.frame.placement):
        # Each row adds up to its published total (rows); the columns add up to nothing a
        # reader is given (measures overlap: crime holds violent and property crime), so a
        # complement is never taken from another measure's row (the data-quality table
        # publishes those).
        placed = privacy.suppress_table(
            report.frame.placement.copy(),
            ["placed", "unplaced"],
            partition=["measure"],
            additive_rows=True,
        )
        # A measure with a small total: its total is hidden too (and both its parts with it).
        small = placed.table["rows"].map(privacy.is_small)
        placed.table["rows"] = placed.table["rows"].astype("Float64").mask(small)
        out["placement"] = placed
    return out


def _parts(ranked: pd.DataFrame) -> str:
    words = {"crime": "crime", "policing": "policing", "need": "poverty"}
    return ", ".join(w for c, w in words.items() if ranked[c].notna().any())


def _num(df: pd.DataFrame, i: Any, col: str) -> float:
    value: Any = df.at[i, col]
    return float(value)


def _name(df: pd.DataFrame, i: Any) -> str:
    return str(df.at[i, "name"])


def _times(x: float) -> str:
    return f"{x:.1f} times" if x < 10 else f"{x:.0f} times"


def map_specs(
    report: PlacesReport, public: Mapping[str, privacy.Suppressed]
) -> list[dict[str, Any]]:
    """One map per measure rate, the divergence ratio and the burden index: the published table,
    the column to draw, the count columns whose suppression hatches an area, and a caption."""
    specs: list[dict[str, Any]] = []
    if not report.frame.geometry:
        return specs  # nothing to draw: an area set loaded without shapes
    areas = public["areas"].table.set_index("area_id")
    where = f"{report.city} {report.label or report.area_set}"
    for m, r in report.rates.items():
        words = MEASURES[m][2]
        col = f"{m}_rate"
        ok = areas[col].notna() & (areas[f"{m}_flag"] == "")
        known = r["population"].fillna(0) > 0  # events where nobody lives have no rate
        total_rate = r.loc[known, "count"].sum() / r.loc[known, "population"].sum() * 1000
        if ok.any():
            top = areas.loc[ok, col].idxmax()
            caption = (
                f"{_name(areas, top)} had the highest rate of {words} among areas with enough"
                f" residents and events: {_num(areas, top, col):,.0f} per 1,000 residents, against"
                f" {total_rate:,.0f} across {report.city}."
            )
        else:
            caption = f"No area has enough residents and {words} for a reliable rate."
        specs.append(
            {
                "name": f"{m}_per_1000",
                "table": areas,
                "value": col,
                "counts": [m],
                "title": f"{words.capitalize()} per 1,000 residents, {where}",
                "legend": f"{words} per 1,000 residents",
                "caption": caption,
            }
        )
    if "divergence" in public and report.divergence is not None:
        d = public["divergence"].table.set_index("area_id")
        enf, cr = report.divergence.enforcement, report.divergence.crime
        above = d[(d["flag"] == "above") & d["ratio_shrunk"].notna()]
        action = ACTION.get(enf, f"recorded {MEASURES[enf][2]}")
        if len(above):
            top = above["ratio_shrunk"].idxmax()
            caption = (
                f"Officers {action} in {_name(d, top)} at {_times(_num(above, top, 'ratio_shrunk'))}"
                f" the rate that {MEASURES[cr][2]} there would predict."
                f" {len(above)} areas were well above the prediction and"
                f" {int((d['flag'] == 'below').sum())} well below."
            )
        else:
            caption = (
                f"No area's {MEASURES[enf][2]} were well above what {MEASURES[cr][2]} predict."
            )
        specs.append(
            {
                "name": f"{enf}_vs_{cr}",
                "table": d,
                "value": "ratio_shrunk",
                "counts": ["observed", "crime"],
                "breaks": [0.67, 0.9, 1.1, 1.5],
                "title": f"{MEASURES[enf][2].capitalize()} against what {MEASURES[cr][2]}"
                f" predict, {where}",
                "legend": "times the predicted level (1 = as predicted)",
                "caption": caption,
            }
        )
    if "burden" in public:
        b = public["burden"].table.set_index("area_id")
        # Withheld areas are hatched on the map; areas too small to rank are "no data".
        b = b.assign(shown=np.where(b["note"] == "suppressed", np.nan, 1.0))
        top = b["rank"].idxmin()
        caption = f"{_name(b, top)} ranks first on the burden index" + (
            "; no reasonable change of weights moves it."
            if _num(b, top, "rank_high") == 1
            else f"; under other reasonable weights its rank stays between"
            f" {_num(b, top, 'rank_low'):.0f} and {_num(b, top, 'rank_high'):.0f}."
        )
        specs.append(
            {
                "name": "burden_index",
                "table": b,
                "value": "burden_index",
                "counts": ["shown"],
                "breaks": [0.2, 0.4, 0.6, 0.8],
                "title": f"Burden index ({_parts(report.burden)}), {where}",
                "legend": "burden index (0 = least, 1 = most)",
                "caption": caption,
            }
        )
    return specs


def source_line(store: Store, report: PlacesReport) -> str:
    """The files behind the figures (the placed event tables, the area set and the residents),
    for the source line under each map and table."""
    acct = report.frame.placement
    kinds: set[str] = set()
    if len(acct):
        kinds = {MEASURES[m][0] for m, n in zip(acct["measure"], acct["placed"], strict=True) if n}
    sets = [report.area_set, *([report.population_from] if report.population_from else [])]
    loads = store.table("loads")
    loads = loads.filter(
        loads.city == report.city,
        loads.kind.isin(sorted(kinds) or [""])
        | (loads.kind.isin(["areas", "population"]) & loads.area_set.isin(sets)),
    )
    found = sorted(str(f) for f in fetch(loads.select("source_file").distinct())["source_file"])
    files = ", ".join(found) or "no files recorded"
    return f"{report.city}: {files}. Counts of 1-10 suppressed. publicsafety places analysis."
