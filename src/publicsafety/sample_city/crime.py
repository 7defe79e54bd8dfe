"""Sample City reported crime incidents and arrests, derived from its calls and stops.

An incident is written for every crime call closed "report to follow" (AH Datalytics' definition
of a crime call) plus online reports of theft and fraud that never had a call. Arrests follow
incidents at clearance-like rates and stops that ended in arrest; arrestees' race is drawn from
the neighbourhood's residents with a planted over-representation of Black residents (ARREST_SKEW).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publicsafety.sample_city.calls import YEAR, Calls, call_types
from publicsafety.sample_city.geography import City, points_in
from publicsafety.sample_city.stops import Stops

ONLINE_REPORT_SHARE = 0.10  # extra incidents reported online, as a share of call-based ones
ONLINE_CODES = ("67", "67F")
# Minutes between occurrence and report: (median, log sigma) by UCR class.
REPORT_LAG = {
    "Part I Violent": (10.0, 1.0),
    "Part I Property": (360.0, 1.2),
    "Part II": (20.0, 1.0),
}
ARREST_RATE = {"Part I Violent": 0.30, "Part I Property": 0.10, "Part II": 0.45}
ARREST_SKEW = {"black": 1.6, "hispanic": 1.1}  # arrest odds per resident relative to others
RACE_CODE = {
    "white": "W",
    "black": "B",
    "hispanic": "H",
    "asian/pacific islander": "A",
    "native american": "I",
    "other": "O",
    "multiple": "O",
    "unknown": "U",
}


def _iso(a: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(a, pa.timestamp("s")), pa.string())


def _minutes(m: np.ndarray) -> np.ndarray:
    return np.round(m * 60).astype("timedelta64[s]")


def _floats(a: np.ndarray) -> pa.Array:
    return pa.array(a, mask=np.isnan(a))


def incidents(
    city: City, calls: Calls, rng: np.random.Generator
) -> tuple[pa.Table, dict[str, np.ndarray]]:
    types = call_types()
    has_nibrs = np.array([bool(t.nibrs_code) for t in types])
    src = np.flatnonzero(has_nibrs[calls.type_index] & (calls.disposition == "RTF"))
    online_types = [i for i, t in enumerate(types) if t.code in ONLINE_CODES]
    n_online = round(src.size * ONLINE_REPORT_SHARE)
    pop = city.total.astype(float)
    o_area = rng.choice(pop.size, n_online, p=pop / pop.sum())
    o_lon, o_lat = points_in(city, o_area, rng)
    t_idx = np.concatenate([calls.type_index[src], rng.choice(online_types, n_online)])
    reported = np.concatenate(
        [
            calls.received[src],
            np.datetime64(f"{YEAR}-01-01", "s") + rng.integers(0, 365 * 86400, n_online),
        ]
    )
    area = np.concatenate([calls.area[src], o_area])
    lon = np.concatenate([calls.lon[src], o_lon])
    lat = np.concatenate([calls.lat[src], o_lat])
    order = np.argsort(reported, kind="stable")
    t_idx, reported, area, lon, lat = (
        t_idx[order],
        reported[order],
        area[order],
        lon[order],
        lat[order],
    )
    n = t_idx.size

    ucr = np.array([t.ucr_class for t in types], dtype=object)[t_idx]
    lag = np.empty(n)
    for cls, (med, sig) in REPORT_LAG.items():
        m = ucr == cls
        lag[m] = med * np.exp(sig * rng.standard_normal(int(m.sum())))
    occurred = reported - _minutes(lag)
    ids = pc.binary_join_element_wise(
        f"{str(YEAR)[2:]}-",
        pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), 6, "0"),
        "",
    )
    street = np.array(city.streets, dtype=object)[area, rng.integers(0, 6, n)]
    table = pa.table(
        {
            "Report Number": ids,
            "Reported Date": _iso(reported),
            "Occurred Date": _iso(occurred),
            "Offense Code": pa.array(
                np.array([t.code for t in types], dtype=object)[t_idx], pa.string()
            ),
            "Offense": pa.array(
                np.array([t.offense for t in types], dtype=object)[t_idx], pa.string()
            ),
            "NIBRS Code": pa.array(
                np.array([t.nibrs_code for t in types], dtype=object)[t_idx], pa.string()
            ),
            "UCR Category": pa.array(ucr, pa.string()),
            "Block Address": pc.binary_join_element_wise(
                pc.utf8_lpad(pc.cast(pa.array(rng.integers(1, 60, n)), pa.string()), 3, "0"),
                pa.array(street, pa.string()),
                "XX ",
            ),
            "Beat": pa.array(np.array(city.beat_prefix, dtype=object)[area], pa.string()),
            "District": pa.array(city.district[area]),
            "Neighborhood": pa.array(np.array(city.names, dtype=object)[area], pa.string()),
            "Longitude": _floats(lon),
            "Latitude": _floats(lat),
        }
    )
    facts = {
        "t_idx": t_idx,
        "reported": reported,
        "area": area,
        "lon": lon,
        "lat": lat,
        "ucr": ucr,
        "ids": ids,
    }
    return table, facts


def arrests(
    city: City, facts: dict[str, np.ndarray], stops: Stops, rng: np.random.Generator
) -> pa.Table:
    types = call_types()
    ucr = facts["ucr"]
    p = np.array([ARREST_RATE[c] for c in ucr])
    inc = np.flatnonzero(rng.random(ucr.size) < p)
    n_inc = inc.size
    # Arrestee race: the neighbourhood's residents, weighted by ARREST_SKEW.
    groups = list(city.race)
    mix = np.vstack([city.race[g] * ARREST_SKEW.get(g, 1.0) for g in groups]).astype(float)
    mix = mix / mix.sum(axis=0)
    cum = np.cumsum(mix[:, facts["area"][inc]], axis=0)
    race_i = np.array(groups, dtype=object)[
        (rng.random(n_inc) > cum).sum(axis=0).clip(0, len(groups) - 1)
    ]
    sex_i = np.where(rng.random(n_inc) < 0.78, "M", "F").astype(object)
    age_i = np.clip(np.round(17 + rng.gamma(2.0, 9.0, n_inc)), 17, 85).astype(np.int64)
    when_i = facts["reported"][inc] + _minutes(180 * np.exp(1.5 * rng.standard_normal(n_inc)))
    t_idx = facts["t_idx"][inc]

    st = np.flatnonzero(stops.arrest)
    n_st = st.size
    stop_charge = np.where(
        stops.table["contraband_found"].to_numpy(zero_copy_only=False)[st] == "TRUE", "35A", "90Z"
    ).astype(object)
    stop_desc = np.where(
        stop_charge == "35A", "Drug/narcotic violations", "All other offenses"
    ).astype(object)
    stop_age = stops.age[st]

    charge = np.concatenate(
        [np.array([t.nibrs_code for t in types], dtype=object)[t_idx], stop_charge]
    )
    desc = np.concatenate([np.array([t.offense for t in types], dtype=object)[t_idx], stop_desc])
    offense = np.concatenate(
        [
            np.array([t.description for t in types], dtype=object)[t_idx],
            np.full(n_st, "STOP", dtype=object),
        ]
    )
    klass = np.concatenate([ucr[inc], np.full(n_st, "Part II", dtype=object)])
    race = np.concatenate([race_i, np.array(stops.race[st], dtype=object)])
    sex = np.concatenate([sex_i, np.where(stops.sex[st] == "male", "M", "F").astype(object)])
    age = np.concatenate([age_i, stop_age])
    when = np.concatenate([when_i, stops.stopped[st] + np.timedelta64(600, "s")])
    area = np.concatenate([facts["area"][inc], stops.area[st]])
    lon = np.concatenate([facts["lon"][inc], stops.lon[st]])
    lat = np.concatenate([facts["lat"][inc], stops.lat[st]])
    order = np.argsort(when, kind="stable")
    charge, desc, offense, klass, race, sex, age, when, area, lon, lat = (
        a[order] for a in (charge, desc, offense, klass, race, sex, age, when, area, lon, lat)
    )
    n = charge.size
    iso = _iso(when)
    stamp = pc.binary_join_element_wise(
        pc.replace_substring(pc.utf8_slice_codeunits(iso, 0, 10), "-", "/"),
        pc.utf8_slice_codeunits(iso, 11, 19),
        " ",
    )
    street = np.array(city.streets, dtype=object)[area, rng.integers(0, 6, n)]
    return pa.table(
        {
            "ArrestNumber": pc.binary_join_element_wise(
                f"{str(YEAR)[2:]}",
                pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), 6, "0"),
                "",
            ),
            "ArrestDateTime": stamp,
            "ChargeCode": pa.array(charge, pa.string()),
            "ChargeDescription": pa.array(desc, pa.string()),
            "IncidentOffense": pa.array(offense, pa.string()),
            "UCR Category": pa.array(klass, pa.string()),
            "Race": pa.array([RACE_CODE[r] for r in race], pa.string()),
            "Sex": pa.array(sex, pa.string()),
            "Age": pa.array(np.where(age < 0, 0, age), mask=age < 0),
            "ArrestLocation": pc.binary_join_element_wise(
                pc.utf8_lpad(pc.cast(pa.array(rng.integers(1, 60, n)), pa.string()), 3, "0"),
                pa.array(street, pa.string()),
                "XX ",
            ),
            "District": pa.array(city.district[area]),
            "Neighborhood": pa.array(np.array(city.names, dtype=object)[area], pa.string()),
            "Longitude": _floats(lon),
            "Latitude": _floats(lat),
        }
    )
