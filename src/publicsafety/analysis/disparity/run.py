"""One call that runs every disparity analysis the store's data allows for a city, and says
why it skipped the ones it could not run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import pandas as pd

from publicsafety.analysis.disparity import gfk, outcomes, rates, veil
from publicsafety.analysis.disparity.groups import DIMENSIONS, MIN_EVENTS, TOO_FEW, reference_for
from publicsafety.engine import Store
from publicsafety.errors import ProfileError, PublicSafetyError
from publicsafety.profiles import load_profile

# Events compared against residents: stops, and force where the city publishes it.
EVENT_TABLES = ("stops", "force")
NO_HITS = "hit-rate test: whether searches found contraband is not recorded"


@dataclass
class DisparityReport:
    """Everything the disparity analysis found for one city (unsuppressed: for analysts; publish
    through `publish.public_tables`)."""

    city: str | None
    stops: int
    rates: (
        pd.DataFrame
    )  # events, benchmark_kind, dimension, group, events, benchmark, rate..., note
    area_rates: pd.DataFrame  # same per area_id (population benchmark)
    area_set: str | None
    outcomes: pd.DataFrame  # dimension, group, outcome, recorded, events, rate..., note
    hit_rates: pd.DataFrame  # dimension, group, searches, hits, hit_rate, difference..., note
    models: pd.DataFrame  # benchmark_kind, area_effects, group, rate_ratio, interval, dispersion
    veil: list[veil.VeilResult] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # analyses not run, and why


Predicate = Callable[[ibis.Table], Any]


def _count(store: Store, table: str, city: str | None, where: Predicate | None = None) -> int:
    """Rows of a table (of one city), counted by the engine (Ibis, so any backend works)."""
    t = store.table(table)
    if city and "city" in t.columns:
        t = t.filter(t.city == city)
    if where is not None:
        t = t.filter(where(t))
    return int(t.count().execute())


def _has_rows(store: Store, table: str, city: str | None, where: Predicate | None = None) -> bool:
    return _count(store, table, city, where) > 0


def city_timezone(store: Store, city: str | None) -> str | None:
    """The time zone the city's stops were recorded in, from the profile they were loaded with."""
    loads = store.table("loads")
    loads = loads.filter(loads.kind == "stops")
    if city:
        loads = loads.filter(loads.city == city)
    for name in sorted(loads.select("profile").distinct().to_pandas()["profile"].dropna()):
        try:
            tz = load_profile(str(name)).read.timezone
        except ProfileError:
            continue
        if tz:
            return tz
    return None


def analyze_disparities(
    store: Store,
    *,
    city: str | None = None,
    dimensions: Sequence[str] = DIMENSIONS,
    reference: dict[str, str] | None = None,
    area_set: str | None = None,
    location: tuple[float, float] | None = None,
    timezone: str | None = None,
    vehicular_only: bool = True,
    veil_groups: Sequence[str] = ("black", "hispanic"),
) -> DisparityReport:
    """Run the benchmarked rates, outcome rates, hit-rate test, area-adjusted models and veil of
    darkness on the city's `stops` (with `population`, `arrests`, `force` and `placements`)."""
    if not _has_rows(store, "stops", city):
        raise PublicSafetyError(
            f"no stops loaded{' for ' + city if city else ''}",
            where=str(store.settings.store_path),
            fix="load stops first: publicsafety ingest FILE --profile <city>_stops",
        )
    skipped: list[str] = []
    refs = {d: r for d in dimensions if (r := reference_for(d, reference))}
    has_arrests = _has_rows(store, "arrests", city, lambda t: t.subject_race.notnull())
    present = [t for t in EVENT_TABLES if _has_rows(store, t, city)]
    rate_parts, area_parts, out_parts, hit_parts = [], [], [], []
    for dim in dimensions:
        ref = refs.get(dim)
        if not _has_rows(store, "stops", city, _known(dim)):
            skipped.append(f"everything by {dim}: not recorded for any stop")
            continue
        has_pop = _has_rows(store, "population", city, _dimension_is(dim))
        for table in present:
            ev = rates.event_counts(store, table, dim, city=city)
            if has_pop:
                bench = rates.benchmark_counts(store, "population", dim, city=city)
                part = rates.benchmarked_rates(ev, bench, reference=ref)
                rate_parts.append(
                    part.assign(events_of=table, benchmark_kind="population", dimension=dim)
                )
            if has_arrests and table == "stops" and dim != "race_sex":
                bench = rates.benchmark_counts(store, "arrests", dim, city=city)
                part = rates.benchmarked_rates(ev, bench, reference=ref, benchmark_is_count=True)
                rate_parts.append(
                    part.assign(events_of=table, benchmark_kind="arrests", dimension=dim)
                )
        if not has_pop:
            skipped.append(f"rates per resident by {dim}: no population counts by {dim} loaded")
        counts = outcomes.outcome_counts(store, dim, city=city)
        out_parts.append(outcomes.outcome_rates(counts, reference=ref).assign(dimension=dim))
        if counts["hit_recorded"].sum() > 0:
            hit_parts.append(outcomes.hit_rates(counts, reference=ref).assign(dimension=dim))
        elif NO_HITS not in skipped:
            skipped.append(NO_HITS)
    chosen_set = area_set or rates.population_area_set(store, "race", city)
    placed = chosen_set is not None and _has_rows(
        store, "placements", None, lambda t: (t.kind == "stops") & (t.area_set == chosen_set)
    )
    models: list[pd.DataFrame] = []
    if placed and "race" in refs:
        assert chosen_set is not None
        ev = rates.event_counts(store, "stops", "race", city=city, area_set=chosen_set)
        bench = rates.benchmark_counts(
            store, "population", "race", city=city, area_set=chosen_set, by_area=True
        )
        area_parts.append(
            rates.benchmarked_rates(ev, bench, reference=refs["race"]).assign(dimension="race")
        )
        models.extend(_models(store, city, chosen_set, refs["race"], has_arrests, skipped))
    else:
        skipped.append(
            "per-area rates and area-adjusted models: stops are not placed in an area set "
            "that has population counts"
        )
    found = _veil(
        store, city, location, timezone, vehicular_only, refs.get("race"), veil_groups, skipped
    )
    return DisparityReport(
        city=city,
        stops=_count(store, "stops", city),
        rates=_concat(rate_parts, ["events_of", "benchmark_kind", "dimension"]),
        area_rates=_concat(area_parts, ["dimension"]),
        area_set=chosen_set if placed else None,
        outcomes=_concat(out_parts, ["dimension"]),
        hit_rates=_concat(hit_parts, ["dimension"]),
        models=pd.concat(models, ignore_index=True) if models else pd.DataFrame(),
        veil=found,
        references=refs,
        skipped=skipped,
    )


def _dimension_is(dimension: str) -> Predicate:
    return lambda t: t.dimension == dimension


def _known(dimension: str) -> Predicate:
    """Engine predicate: the stop records the fields a dimension needs."""
    need = {
        "race": ["subject_race"],
        "sex": ["subject_sex"],
        "age_band": ["subject_age"],
        "race_sex": ["subject_race", "subject_sex"],
    }[dimension]

    def known(t: ibis.Table) -> Any:
        checks = [t[c].cast("string").fill_null("unknown") != "unknown" for c in need]
        out = checks[0]
        for c in checks[1:]:
            out = out & c
        return out

    return known


def _concat(parts: list[pd.DataFrame], front: list[str]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=front)
    df = pd.concat(parts, ignore_index=True)
    return df[front + [c for c in df.columns if c not in front]]


def _models(
    store: Store,
    city: str | None,
    area_set: str,
    reference: str,
    has_arrests: bool,
    skipped: list[str],
) -> list[pd.DataFrame]:
    out = []
    kinds = ["population"] + (["arrests"] if has_arrests else [])
    for kind in kinds:
        cells = gfk.stop_cells(store, area_set=area_set, benchmark=kind, city=city)
        # The too-few rule holds in models too: a group with under MIN_EVENTS stops in cells
        # that have a benchmark would get a coefficient driven by noise (or by zero).
        usable = cells[cells["benchmark"] > 0].groupby("group")["stops"].sum()
        unbenchmarked = sorted(set(cells["group"]) - set(usable.index))
        few = sorted(str(g) for g, n in usable.items() if n < MIN_EVENTS and g != reference)
        cells = cells[~cells["group"].isin(few)]
        left_out = pd.DataFrame(
            {
                "group": few + unbenchmarked,
                "note": [TOO_FEW] * len(few) + ["no benchmark for this group"] * len(unbenchmarked),
            }
        )
        for area in (None, "area_id"):
            try:
                fit = gfk.fit_poisson(cells, reference=reference, area=area)
            except ValueError as exc:
                skipped.append(f"area-adjusted model against {kind}: {exc}")
                break
            out.append(
                fit.groups.assign(
                    benchmark_kind=kind,
                    area_effects=fit.area_effects,
                    reference=reference,
                    dispersion=fit.dispersion,
                    deviance=fit.deviance,
                    cells=fit.cells,
                    note="",
                )
            )
            out.append(
                left_out.assign(benchmark_kind=kind, area_effects=bool(area), reference=reference)
            )
    return out


def _veil(
    store: Store,
    city: str | None,
    location: tuple[float, float] | None,
    timezone: str | None,
    vehicular_only: bool,
    reference: str | None,
    groups: Sequence[str],
    skipped: list[str],
) -> list[veil.VeilResult]:
    if reference is None:
        return []
    location = location or veil.city_location(store, city)
    timezone = timezone or city_timezone(store, city)
    if location is None or timezone is None:
        skipped.append(
            "veil of darkness: the city's location or time zone is unknown (load its areas or "
            "give --lat/--lon, and load stops with a profile that sets read.timezone)"
        )
        return []
    found = []
    for group in groups:
        try:
            found.append(
                veil.veil_of_darkness(
                    store,
                    lat=location[0],
                    lon=location[1],
                    timezone=timezone,
                    group=group,
                    reference=reference,
                    city=city,
                    vehicular_only=vehicular_only,
                )
            )
        except PublicSafetyError as exc:
            skipped.append(f"veil of darkness for {group} drivers: {exc.what}")
        except ValueError as exc:  # a model that cannot be fitted on too few stops
            skipped.append(f"veil of darkness for {group} drivers: {exc}")
    return found


def only_city(store: Store, city: str | None) -> str:
    """The city to analyse: the one given, or the only city with stops in the store."""
    stops = store.table("stops")
    cities = sorted(str(c) for c in stops.select("city").distinct().to_pandas()["city"].dropna())
    if city is not None:
        if city not in cities:
            raise PublicSafetyError(
                f"no stops loaded for {city!r}",
                where=str(store.settings.store_path),
                fix=f"cities with stops: {', '.join(cities) or 'none yet'}",
            )
        return city
    if len(cities) != 1:
        raise PublicSafetyError(
            "the workspace has stops of several cities" if cities else "the workspace has no stops",
            where=str(store.settings.store_path),
            fix=f"choose one with --city ({', '.join(cities)})"
            if cities
            else "load stops first: publicsafety ingest FILE --profile <city>_stops",
        )
    return cities[0]
