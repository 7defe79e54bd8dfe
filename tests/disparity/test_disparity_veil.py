"""Veil of darkness validated on stops simulated here (New Orleans sun, 2016-2017).

The share of black drivers among stops rises steeply with clock time in every simulation, so a
plain dark-vs-light comparison would see "bias" that is only time of day; the test's spline in
clock minute must absorb it. With no bias the darkness interval covers zero; with a planted bias
(log odds -0.3 in darkness) it finds it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from astral import Observer
from astral.sun import sun

from publicsafety.analysis.disparity.veil import sun_times, veil_of_darkness
from publicsafety.errors import StoreError
from tests.disparity.helpers import insert

NOLA = {"lat": 29.95, "lon": -90.07, "timezone": "America/Chicago"}


def simulate(bias: float, seed: int, per_day: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    obs, tz = Observer(NOLA["lat"], NOLA["lon"]), ZoneInfo(NOLA["timezone"])
    rows = []
    day = dt.date(2016, 1, 1)
    while day <= dt.date(2017, 12, 31):
        s = sun(obs, date=day, tzinfo=tz)
        dusk = s["dusk"].hour * 60 + s["dusk"].minute
        minutes = rng.integers(16 * 60 + 30, 21 * 60 + 30, per_day)
        # Share of black drivers climbs from about 31% to 69% over the evening.
        logit = -0.8 + 1.6 * (minutes - 16 * 60 - 30) / 300 + bias * (minutes > dusk)
        black = rng.random(per_day) < 1 / (1 + np.exp(-logit))
        for m, b in zip(minutes, black, strict=True):
            rows.append(
                {
                    "city": "Sim",
                    "date": day,
                    "time": dt.time(int(m) // 60, int(m) % 60),
                    "type": "vehicular",
                    "subject_race": "black" if b else "white",
                }
            )
        day += dt.timedelta(days=1)
    out = pd.DataFrame(rows)
    out["row_id"] = range(len(out))
    return out


def naive_log_odds_ratio(table: pd.DataFrame) -> float:
    g = table.groupby("is_dark")[["n_group", "n_reference"]].sum()
    odds = g["n_group"] / g["n_reference"]
    return float(np.log(odds.loc[1] / odds.loc[0]))


def test_sun_times_new_orleans_midsummer() -> None:
    got = sun_times([dt.date(2016, 6, 21)], **NOLA).iloc[0]
    # Sunset 20:04 and civil dusk 20:32 CDT (US Naval Observatory: 8:04 pm / 8:32 pm).
    assert (got["sunset_min"], got["dusk_min"]) == (20 * 60 + 4, 20 * 60 + 32)


def test_no_bias_interval_covers_zero(store) -> None:
    insert(store, "stops", simulate(0.0, seed=7))
    res = veil_of_darkness(store, city="Sim", **NOLA)
    assert res.covers_zero, (res.coef, res.low, res.high)
    # Without the clock-time spline the same data would look strongly "biased" the other way.
    assert naive_log_odds_ratio(res.table) > 0.3 > 6 * res.se
    assert res.dates == 731 and res.stop_filter == "vehicle stops"
    # Window: earliest sunset (early December, 16:59 CST) to latest dusk (late June, 20:32 CDT).
    assert res.window == (16 * 60 + 59, 20 * 60 + 32)


def test_planted_bias_is_found(store) -> None:
    insert(store, "stops", simulate(-0.3, seed=11))
    res = veil_of_darkness(store, city="Sim", **NOLA)
    assert res.high < 0
    assert res.low < -0.3 < res.high
    assert res.odds_ratio < 1
    # A plain dark-vs-light comparison would miss it: later hours hold more black drivers.
    assert naive_log_odds_ratio(res.table) > 0


def test_stops_without_a_type_need_an_explicit_choice(store) -> None:
    sim = simulate(0.0, seed=3, per_day=5).drop(columns=["type"])
    insert(store, "stops", sim)
    with pytest.raises(StoreError, match="vehicle stops"):
        veil_of_darkness(store, city="Sim", **NOLA)
    res = veil_of_darkness(store, city="Sim", vehicular_only=False, **NOLA)
    assert res.stop_filter.startswith("all stops")
