"""Sample City stops in the Stanford Open Policing Project's standard form, with a planted disparity.

Stops per resident, search rates and contraband hit rates by race follow the OPP tutorial's
Philadelphia 2017 figures (targets.py): Black residents are stopped 3.4 times and Hispanic
residents 1.5 times as often per head as white residents, searched 1.5 and 1.2 times as often once
stopped, and searches of them find contraband less often (a lower bar for searching).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publicsafety.sample_city import calls as calls_mod
from publicsafety.sample_city.geography import City, points_in

# Per resident, relative to white residents.
STOP_RATE = {
    "white": 1.0,
    "black": 3.4,
    "hispanic": 1.5,
    "asian/pacific islander": 0.6,
    "native american": 1.0,
    "other": 1.0,
    "multiple": 1.0,
}
SEARCH_RATE = {"white": 0.040, "black": 0.060, "hispanic": 0.048}  # others: as white
FRISK_RATE = {"white": 0.020, "black": 0.042, "hispanic": 0.030}
HIT_RATE = {"white": 0.30, "black": 0.24, "hispanic": 0.25}
REASONS = {
    "vehicular": {
        "MOVING VIOLATION": 0.55,
        "EQUIPMENT VIOLATION": 0.25,
        "REGISTRATION / LICENSE": 0.12,
        "INVESTIGATIVE STOP": 0.08,
    },
    "pedestrian": {
        "SUSPICIOUS PERSON": 0.45,
        "INVESTIGATIVE STOP": 0.30,
        "CALL FOR SERVICE": 0.15,
        "WARRANT CHECK": 0.10,
    },
}
BASES = {"probable cause": 0.55, "consent": 0.25, "plain view": 0.08, "other": 0.12}
UNKNOWN_RACE_SHARE = 0.01
MISSING_AGE_SHARE = 0.02


@dataclass
class Stops:
    race: np.ndarray
    sex: np.ndarray
    age: np.ndarray  # -1 when missing
    area: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    stopped: np.ndarray  # datetime64[s]
    arrest: np.ndarray
    table: pa.Table


def _bool_text(a: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    text = np.where(a, "TRUE", "FALSE").astype(object)
    if valid is not None:
        text[~valid] = None
    return pa.array(text, pa.string())


def generate(city: City, n: int, rng: np.random.Generator) -> Stops:
    groups = list(STOP_RATE)
    # Race by per-resident rate (so the citywide ratios are the planted ones), then where each
    # stop happens among that group's residents, weighted towards poorer, more patrolled areas.
    w = np.array([city.race[g].sum() * STOP_RATE[g] for g in groups], dtype=float)
    per_race = rng.multinomial(n, w / w.sum())
    race = np.repeat(np.array(groups, dtype=object), per_race)
    area = np.empty(n, dtype=np.int64)
    start = 0
    for g, k in zip(groups, per_race, strict=True):
        aw = city.race[g] * (1 + 3 * city.poverty_rate)
        area[start : start + k] = rng.choice(aw.size, k, p=aw / aw.sum())
        start += k
    shuffle = rng.permutation(n)
    race, area = race[shuffle], area[shuffle]
    lon, lat = points_in(city, area, rng)
    stopped = calls_mod.received_times(n, calls_mod.HOURS_OFFICER, rng, True)
    order = np.argsort(stopped, kind="stable")
    race, area, lon, lat, stopped = race[order], area[order], lon[order], lat[order], stopped[order]

    sex = np.where(rng.random(n) < 0.68, "male", "female").astype(object)
    age = np.clip(np.round(16 + rng.gamma(2.2, 8.0, n)), 16, 90).astype(np.int64)
    stop_type = np.where(rng.random(n) < 0.75, "vehicular", "pedestrian").astype(object)
    reason = np.empty(n, dtype=object)
    for t, options in REASONS.items():
        m = stop_type == t
        reason[m] = calls_mod.pick(rng, int(m.sum()), options)

    def exactly(table: dict[str, float], among: np.ndarray) -> np.ndarray:
        # Exact counts per group (not coin flips), so the planted ratios hold even for the
        # few hundred searches of the smaller groups.
        hit = np.zeros(n, dtype=bool)
        for g in groups:
            idx = np.flatnonzero(among & (race == g))
            k = round(table.get(g, table["white"]) * idx.size)
            hit[rng.choice(idx, k, replace=False)] = True
        return hit

    everyone = np.ones(n, dtype=bool)
    searched = exactly(SEARCH_RATE, everyone)
    frisked = exactly(FRISK_RATE, everyone)
    contraband = exactly(HIT_RATE, searched)
    arrest = (rng.random(n) < 0.02) | (contraband & (rng.random(n) < 0.35))
    citation = ~arrest & (rng.random(n) < np.where(stop_type == "vehicular", 0.45, 0.10))
    warning = ~arrest & ~citation & (rng.random(n) < 0.7)
    outcome = np.full(n, None, dtype=object)
    outcome[warning] = "warning"
    outcome[citation] = "citation"
    outcome[arrest] = "arrest"
    basis = np.full(n, None, dtype=object)
    basis[searched] = calls_mod.pick(rng, int(searched.sum()), BASES)

    # Quirks: unknown race and missing age, as recorded in real SOPP releases.
    race_out = race.copy()
    race_out[rng.random(n) < UNKNOWN_RACE_SHARE] = "unknown"
    age_missing = rng.random(n) < MISSING_AGE_SHARE
    age_out = pa.array(np.where(age_missing, 0, age), mask=age_missing)

    iso = pc.cast(pa.array(stopped, pa.timestamp("s")), pa.string())
    prefix = np.array(city.beat_prefix, dtype=object)[area]
    street = np.array(city.streets, dtype=object)[area, rng.integers(0, 6, n)]
    location = pc.binary_join_element_wise(
        pc.utf8_lpad(pc.cast(pa.array(rng.integers(1, 60, n)), pa.string()), 3, "0"),
        pa.array(street, pa.string()),
        "XX ",
    )
    table = pa.table(
        {
            "raw_row_number": pa.array(np.arange(1, n + 1)),
            "date": pc.utf8_slice_codeunits(iso, 0, 10),
            "time": pc.utf8_slice_codeunits(iso, 11, 19),
            "location": location,
            "lat": pa.array(lat),
            "lng": pa.array(lon),
            "beat": pa.array(prefix, pa.string()),
            "district": pa.array(city.district[area]),
            "neighborhood": pa.array(np.array(city.names, dtype=object)[area], pa.string()),
            "subject_age": age_out,
            "subject_race": pa.array(race_out, pa.string()),
            "subject_sex": pa.array(sex, pa.string()),
            "type": pa.array(stop_type, pa.string()),
            "reason_for_stop": pa.array(reason, pa.string()),
            "search_conducted": _bool_text(searched),
            "search_basis": pa.array(basis, pa.string()),
            "contraband_found": _bool_text(contraband, searched),
            "frisk_performed": _bool_text(frisked),
            "arrest_made": _bool_text(arrest),
            "citation_issued": _bool_text(citation),
            "warning_issued": _bool_text(warning),
            "outcome": pa.array(outcome, pa.string()),
        }
    )
    return Stops(race, sex, np.where(age_missing, -1, age), area, lon, lat, stopped, arrest, table)
