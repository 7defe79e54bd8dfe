"""A year of Sample City calls for service, written in the shape of a New Orleans CAD export.

Call types come from call_types.csv (codes and names modelled on New Orleans, with Vera's
grouping); who started the call, where, when and for how long are drawn with vectorised numpy so
300,000 calls take about a second. Real-world quirks are planted at stated rates (QUIRKS).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publicsafety.sample_city import targets
from publicsafety.sample_city.geography import City, points_in

YEAR = 2025

# Relative call volume by hour of day (00-23): trough before dawn, peak late afternoon.
HOURS_COMMUNITY = np.array([
    0.55, 0.42, 0.34, 0.28, 0.24, 0.24, 0.36, 0.55, 0.75, 0.88, 0.95, 1.00,
    1.02, 1.05, 1.10, 1.18, 1.22, 1.22, 1.20, 1.15, 1.08, 0.98, 0.85, 0.70,
])  # fmt: skip
HOURS_OFFICER = np.array([
    0.85, 0.70, 0.55, 0.42, 0.33, 0.30, 0.45, 0.70, 0.95, 1.10, 1.15, 1.10,
    1.00, 1.00, 1.05, 1.10, 1.10, 1.05, 1.00, 1.05, 1.15, 1.20, 1.15, 1.05,
])  # fmt: skip
HOURS_ALARM = np.array([
    0.60, 0.50, 0.50, 0.50, 0.60, 0.80, 1.00, 1.30, 1.40, 1.20, 1.00, 1.00,
    1.00, 1.00, 1.00, 1.10, 1.20, 1.30, 1.20, 1.00, 0.90, 0.80, 0.70, 0.60,
])  # fmt: skip
# Monday..Sunday; Friday and Saturday busier.
WEEKDAYS = np.array([0.97, 0.96, 0.97, 0.99, 1.05, 1.06, 1.00])
SEASON_AMPLITUDE = 0.075  # calls peak in mid-July, +-7.5 % around the yearly mean

COMMUNITY_SOURCES = (
    ("911", 0.70),
    ("TELEPHONE OTHER, NOT 911", 0.27),
    ("IN PERSON COMPLAINT", 0.02),
    ("TEXT MESSAGE", 0.01),
)
OFFICER_SOURCE = "ONVIEW"
ALARM_SOURCE = "ALARM CALL"

DISPOSITION_TEXT = {
    "RTF": "REPORT TO FOLLOW",
    "NAT": "NECESSARY ACTION TAKEN",
    "GOA": "GONE ON ARRIVAL",
    "UNF": "UNFOUNDED",
    "REF": "REFERRED TO EXTERNAL AGENCY",
    "DUP": "DUPLICATE",
    "VOI": "VOID",
    "TST": "TEST INCIDENT",
}
DISPOSITIONS = {
    "crime": {"RTF": 0.72, "GOA": 0.13, "NAT": 0.08, "UNF": 0.05, "REF": 0.02},
    "alarm": {"UNF": 0.62, "NAT": 0.28, "GOA": 0.10},
    "service": {"NAT": 0.60, "GOA": 0.25, "UNF": 0.08, "RTF": 0.05, "REF": 0.02},
    "traffic": {"RTF": 0.55, "NAT": 0.35, "GOA": 0.10},
    "traffic_stop": {"NAT": 0.85, "RTF": 0.15},
    "proactive": {"NAT": 0.96, "RTF": 0.04},
    "medical": {"NAT": 0.65, "REF": 0.25, "GOA": 0.10},
    "admin": {"NAT": 0.80, "UNF": 0.10, "REF": 0.10},
}

# Planted quirks, as shares of all rows.
QUIRKS = {
    "DUP": targets.DUPLICATE_SHARE,  # excluded by the profile -> quarantine
    "VOI": targets.VOID_SHARE,
    "TST": targets.TEST_SHARE,
    "missing_arrival": 0.08,  # blank TimeArrive (New Orleans 2022 subset: 641 of 7,476)
    "dispatch_1900": 0.001,  # TimeDispatch written as the 01/01/1900 sentinel
    "negative_duration": 0.002,  # TimeClosed before TimeArrive (clock entry errors)
    "over_24h": 0.003,  # calls left open for one to five days
    "missing_location": 0.005,  # blank Location (no geocode)
}
# Minutes from call to dispatch and dispatch to arrival: (median, log sigma) by priority level.
QUEUE = {0: (25.0, 1.0), 1: (7.5, 1.0), 2: (1.5, 0.9), 3: (1.0, 0.8)}
TRAVEL = {0: (9.0, 0.6), 1: (7.0, 0.6), 2: (5.0, 0.5), 3: (4.0, 0.5)}
ONSCENE_SIGMA = 0.7


@dataclass(frozen=True)
class CallType:
    code: str
    description: str
    category: str
    vera_group: str
    violent: bool
    serious_violent: bool
    community_pct: float
    officer_pct: float
    priority: str
    onscene_minutes: float
    disposition_profile: str
    nibrs_code: str
    ucr_class: str
    offense: str


def call_types() -> list[CallType]:
    """The call-type catalogue (call_types.csv beside this module)."""
    text = resources.files("publicsafety.sample_city").joinpath("call_types.csv").read_text("utf-8")
    out = []
    for r in csv.DictReader(text.splitlines()):
        out.append(
            CallType(
                code=r["code"],
                description=r["description"],
                category=r["category"],
                vera_group=r["vera_group"],
                violent=r["violent"] == "1",
                serious_violent=r["serious_violent"] == "1",
                community_pct=float(r["community_pct"]),
                officer_pct=float(r["officer_pct"]),
                priority=r["priority"],
                onscene_minutes=float(r["onscene_minutes"]),
                disposition_profile=r["disposition_profile"],
                nibrs_code=r["nibrs_code"],
                ucr_class=r["ucr_class"],
                offense=r["offense"],
            )
        )
    return out


@dataclass
class Calls:
    """The generated calls: arrays the other generators reuse, and the raw table to write."""

    type_index: np.ndarray
    received: np.ndarray  # datetime64[s]
    area: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    disposition: np.ndarray  # codes
    officer: np.ndarray  # bool: officer-initiated
    table: pa.Table


def _hour_weights(hours: np.ndarray, night_boost: bool) -> np.ndarray:
    start = np.datetime64(f"{YEAR}-01-01T00", "h")
    stamps = start + np.arange(np.datetime64(f"{YEAR + 1}-01-01T00", "h") - start)
    day = (stamps - start).astype(np.int64) // 24
    hour = (stamps - start).astype(np.int64) % 24
    weekday = (stamps.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 1970-01-01 was Thursday
    w = hours[hour] * WEEKDAYS[weekday]
    w = w * (1 + SEASON_AMPLITUDE * np.cos(2 * np.pi * (day - 195) / 365))
    if night_boost:  # Friday and Saturday nights run late
        w = np.where(((weekday == 5) | (weekday == 6)) & (hour < 4), w * 1.35, w)
    return w / w.sum()


def received_times(n: int, hours: np.ndarray, rng: np.random.Generator, night: bool) -> np.ndarray:
    p = _hour_weights(hours, night)
    idx = rng.choice(p.size, n, p=p)
    secs = rng.integers(0, 3600, n)
    return np.datetime64(f"{YEAR}-01-01T00:00:00", "s") + idx * 3600 + secs


def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(median.size))


def pick(rng: np.random.Generator, n: int, options: dict[str, float]) -> np.ndarray:
    keys = list(options)
    p = np.array([options[k] for k in keys])
    return np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p / p.sum())]


def stamp(a: np.ndarray) -> pa.Array:
    """Timestamps as "MM/DD/YYYY HH:MM:SS" text (NaT -> null); slicing ISO text is ~20x faster
    than pyarrow's strftime."""
    iso = pc.cast(pa.array(a, pa.timestamp("s")), pa.string())

    def part(start: int, stop: int) -> pa.Array:
        return pc.utf8_slice_codeunits(iso, start, stop)

    return pc.binary_join_element_wise(
        part(5, 7), "/", part(8, 10), "/", part(0, 4), " ", part(11, 19), ""
    )


def generate(city: City, n: int, rng: np.random.Generator) -> Calls:
    types = call_types()
    n_officer = int(rng.binomial(n, targets.NOLA_OFFICER_SHARE_2014_2019))
    n_public = n - n_officer
    pub_p = np.array([t.community_pct for t in types])
    off_p = np.array([t.officer_pct for t in types])
    t_idx = np.concatenate(
        [
            rng.choice(len(types), n_public, p=pub_p / pub_p.sum()),
            rng.choice(len(types), n_officer, p=off_p / off_p.sum()),
        ]
    )
    officer = np.arange(n) >= n_public
    is_alarm = np.array([t.category == "alarm" for t in types])[t_idx] & ~officer

    # Where: poorer neighbourhoods call more and are patrolled (and stopped) far more.
    pov = city.poverty_rate
    weights = {
        "community": city.total * (0.6 + 2.0 * pov),
        "alarm": city.total * (1.3 - pov),
        "officer": city.total * (0.3 + 4.0 * pov),
    }
    group = np.where(officer, "officer", np.where(is_alarm, "alarm", "community"))
    area = np.empty(n, dtype=np.int64)
    received = np.empty(n, dtype="datetime64[s]")
    for g, hours, night in (
        ("community", HOURS_COMMUNITY, True),
        ("alarm", HOURS_ALARM, False),
        ("officer", HOURS_OFFICER, True),
    ):
        m = group == g
        w = weights[g]
        area[m] = rng.choice(w.size, int(m.sum()), p=w / w.sum())
        received[m] = received_times(int(m.sum()), hours, rng, night)
    lon, lat = points_in(city, area, rng)

    # Sort by time so item numbers run in order, as in a CAD export.
    order = np.argsort(received, kind="stable")
    t_idx, officer, is_alarm, area = t_idx[order], officer[order], is_alarm[order], area[order]
    received, lon, lat = received[order], lon[order], lat[order]

    # Type at intake: 8 % of public calls were reclassified after intake.
    init_idx = t_idx.copy()
    reclass = (~officer) & (rng.random(n) < 0.08)
    init_idx[reclass] = rng.choice(len(types), int(reclass.sum()), p=pub_p / pub_p.sum())

    codes = np.array([t.code for t in types], dtype=object)
    descs = np.array([t.description for t in types], dtype=object)
    prios = np.array([t.priority for t in types], dtype=object)
    level = np.array([int(t.priority[0]) for t in types])[t_idx]

    # Timings (minutes).
    q_med = np.array([QUEUE[lv][0] for lv in range(4)])[level]
    q_sig = np.array([QUEUE[lv][1] for lv in range(4)])[level]
    tr_med = np.array([TRAVEL[lv][0] for lv in range(4)])[level]
    tr_sig = np.array([TRAVEL[lv][1] for lv in range(4)])[level]
    queue = np.where(officer, rng.uniform(0, 0.5, n), _lognormal(rng, q_med, q_sig))
    travel = np.where(officer, 0.0, _lognormal(rng, tr_med, tr_sig))
    onscene = _lognormal(
        rng, np.array([t.onscene_minutes for t in types])[t_idx], np.full(n, ONSCENE_SIGMA)
    )
    minute = np.timedelta64(60, "s")
    dispatched = received + np.round(queue * 60).astype("timedelta64[s]")
    arrived = dispatched + np.round(travel * 60).astype("timedelta64[s]")
    cleared = arrived + np.round(onscene * 60).astype("timedelta64[s]")

    disposition = np.empty(n, dtype=object)
    prof = np.array([t.disposition_profile for t in types], dtype=object)[t_idx]
    for name, options in DISPOSITIONS.items():
        m = prof == name
        disposition[m] = pick(rng, int(m.sum()), options)

    # Quirks at exact counts, on disjoint rows.
    nat = np.datetime64("NaT", "s")
    perm = rng.permutation(n)
    cursor = 0

    def take(share: float) -> np.ndarray:
        nonlocal cursor
        k = round(share * n)
        rows = perm[cursor : cursor + k]
        cursor += k
        return rows

    for code in ("DUP", "VOI", "TST"):
        rows = take(QUIRKS[code])
        disposition[rows] = code
        dispatched[rows] = nat
        arrived[rows] = nat
        cleared[rows] = received[rows] + np.round(rng.uniform(1, 10, rows.size) * 60).astype(
            "timedelta64[s]"
        )
    arrived[take(QUIRKS["missing_arrival"])] = nat
    dispatched[take(QUIRKS["dispatch_1900"])] = np.datetime64("1900-01-01T00:00:00", "s")
    rows = take(QUIRKS["negative_duration"])
    cleared[rows] = (
        arrived[rows] - np.round(rng.uniform(1, 120, rows.size)).astype(np.int64) * minute
    )
    rows = take(QUIRKS["over_24h"])
    cleared[rows] = received[rows] + np.round(rng.uniform(24, 120, rows.size) * 3600).astype(
        "timedelta64[s]"
    )
    no_loc = take(QUIRKS["missing_location"])

    # Item numbers: month letter, sequence within the month, two-digit year (New Orleans style).
    month = received.astype("datetime64[M]").astype(np.int64) % 12
    first = np.searchsorted(month, np.arange(12))
    seq = np.arange(n) - first[month] + 1
    letters = np.array(list("ABCDEFGHIJKL"), dtype=object)[month]
    item = pc.binary_join_element_wise(
        pa.array(letters, pa.string()),
        pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), 5, "0"),
        str(YEAR)[2:],
        "",
    )
    source = np.where(officer, OFFICER_SOURCE, np.where(is_alarm, ALARM_SOURCE, "")).astype(object)
    comm = ~officer & ~is_alarm
    source[comm] = pick(rng, int(comm.sum()), dict(COMMUNITY_SOURCES))

    prefix = np.array(city.beat_prefix, dtype=object)[area]
    beat = pc.binary_join_element_wise(
        pa.array(prefix, pa.string()),
        pc.utf8_lpad(pc.cast(pa.array(rng.integers(1, 5, n)), pa.string()), 2, "0"),
        "",
    )
    street = np.array(city.streets, dtype=object)[area, rng.integers(0, 6, n)]
    block = pc.binary_join_element_wise(
        pc.utf8_lpad(pc.cast(pa.array(rng.integers(1, 60, n)), pa.string()), 3, "0"),
        pa.array(street, pa.string()),
        "XX ",
    )
    has_loc = np.ones(n, dtype=bool)
    has_loc[no_loc] = False
    point = pc.binary_join_element_wise(
        "POINT (",
        pc.cast(pa.array(lon), pa.string()),
        " ",
        pc.cast(pa.array(lat), pa.string()),
        ")",
        "",
    )
    point = pc.if_else(pa.array(has_loc), point, pa.scalar(None, pa.string()))

    table = pa.table(
        {
            "item_number": item,
            "Type": pa.array(codes[t_idx], pa.string()),
            "TypeText": pa.array(descs[t_idx], pa.string()),
            "Priority": pa.array(prios[t_idx], pa.string()),
            "InitialType": pa.array(codes[init_idx], pa.string()),
            "InitialTypeText": pa.array(descs[init_idx], pa.string()),
            "InitialPriority": pa.array(prios[init_idx], pa.string()),
            "CallSource": pa.array(source, pa.string()),
            "TimeCreate": stamp(received),
            "TimeDispatch": stamp(dispatched),
            "TimeArrive": stamp(arrived),
            "TimeClosed": stamp(cleared),
            "Disposition": pa.array(disposition, pa.string()),
            "DispositionText": pa.array([DISPOSITION_TEXT[d] for d in disposition], pa.string()),
            "Beat": beat,
            "PoliceDistrict": pa.array(city.district[area]),
            "BLOCK_ADDRESS": block,
            "Location": point,
        }
    )
    lon = np.where(has_loc, lon, np.nan)
    lat = np.where(has_loc, lat, np.nan)
    return Calls(t_idx, received, area, lon, lat, disposition, officer, table)
