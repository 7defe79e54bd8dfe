"""The synthetic "Sample City": a seeded, calibrated city whose raw files run through the toolkit.

`generate(out_dir, seed, calls)` writes neighbourhood polygons, population, a year of calls,
stops, incidents, arrests and a budget as raw CSV / GeoJSON, each labelled "Sample City —
synthetic data". The same seed always gives the same bytes. `publicsafety demo` (see pipeline.py)
ingests them through the built-in sample_city_* profiles, exactly as real city files are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from publicsafety.sample_city import budget, calls, crime, geography, stops
from publicsafety.sample_city.files import LABEL, write_csv, write_geojson

CITY = "Sample City"
DEFAULT_SEED = 2025
DEFAULT_CALLS = 300_000
STOPS_PER_CALL = 0.1  # about 30,000 stops a year beside 300,000 calls

# Raw file of each kind and the built-in profile that ingests it, in ingest order (areas first,
# so event points are placed in the neighbourhoods as they load).
FILES: dict[str, tuple[str, str]] = {
    "areas": ("sample_city_neighborhoods.geojson", "sample_city_neighborhoods"),
    "population": ("sample_city_population.csv", "sample_city_population"),
    "calls": ("sample_city_calls_2025.csv", "sample_city_calls"),
    "stops": ("sample_city_stops_2025.csv", "sample_city_stops"),
    "incidents": ("sample_city_incidents_2025.csv", "sample_city_incidents"),
    "arrests": ("sample_city_arrests_2025.csv", "sample_city_arrests"),
    "budget": ("sample_city_budget_fy2025.csv", "sample_city_budget"),
}

__all__ = ["CITY", "DEFAULT_CALLS", "DEFAULT_SEED", "FILES", "LABEL", "Generated", "generate"]


@dataclass
class Generated:
    """What `generate` wrote: the raw files by kind and the rows written to each."""

    seed: int
    calls: int
    raw_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    population: int = 0


def _population_table(city: geography.City) -> dict[str, object]:
    cols: dict[str, object] = {"nbhd_id": city.ids, "neighborhood": city.names, "total": city.total}
    for group, column in geography.RACE_COLUMNS.items():
        cols[column] = city.race[group]
    cols["female"] = city.female
    cols["male"] = city.total - city.female
    for band, column in geography.AGE_COLUMNS.items():
        cols[column] = city.age[band]
    cols["below_poverty"] = city.below_poverty
    return cols


def generate(out_dir: Path, seed: int = DEFAULT_SEED, n_calls: int = DEFAULT_CALLS) -> Generated:
    """Write Sample City's raw files into out_dir; deterministic in (seed, n_calls)."""
    import pyarrow as pa

    out_dir.mkdir(parents=True, exist_ok=True)
    # Independent streams per part, so e.g. a different call count leaves the map unchanged.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    city = geography.build_city(streams[0])
    k = calls.generate(city, n_calls, streams[1])
    s = stops.generate(city, round(n_calls * STOPS_PER_CALL), streams[2])
    inc_table, facts = crime.incidents(city, k, streams[3])
    arr_table = crime.arrests(city, facts, s, streams[4])
    bud_table = budget.generate(int(city.total.sum()), streams[5])
    pop_table = pa.table(_population_table(city))

    out = Generated(seed=seed, calls=n_calls, raw_dir=out_dir, population=int(city.total.sum()))
    props = [
        {"nbhd_id": i, "name": n, "district": int(d), "zone": z, "population": int(p)}
        for i, n, d, z, p in zip(
            city.ids, city.names, city.district, city.beat_prefix, city.total, strict=True
        )
    ]
    path = out_dir / FILES["areas"][0]
    out.files["areas"] = write_geojson(props, list(city.polygons), path, seed)
    out.rows["areas"] = len(props)
    for kind, table in (
        ("population", pop_table),
        ("calls", k.table),
        ("stops", s.table),
        ("incidents", inc_table),
        ("arrests", arr_table),
        ("budget", bud_table),
    ):
        out.files[kind] = write_csv(table, out_dir / FILES[kind][0], seed)
        out.rows[kind] = table.num_rows
    return out
