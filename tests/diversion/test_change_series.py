"""The series the interrupted time series is fitted on, counted in the engine from hand-made calls:
partial weeks left out, empty weeks counted as zero, response times by the city's convention."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from publicsafety.analysis.change import ChangeSpec, fit_measure, series
from publicsafety.engine import Store
from publicsafety.errors import InputError, StoreError

# received, dispatched, arrived, cleared, call type, origin, stored officer minutes
CALLS = [
    ("2024-01-03 10:00", None, None, None, "WELFARE CHECK", "community", 10.0),  # partial week
    (
        "2024-01-08 09:00",
        "2024-01-08 09:02",
        "2024-01-08 09:10",
        "2024-01-08 09:32",
        "WELFARE CHECK",
        "community",
        None,
    ),  # 30 minutes from dispatch to clear, not stored
    ("2024-01-09 12:00", None, "2024-01-09 12:20", None, "welfare check", "community", 45.0),
    ("2024-01-10 12:00", None, "2024-01-10 12:01", None, "WELFARE CHECK", "officer", 15.0),
    ("2024-01-16 08:00", None, None, None, "BURGLARY", "community", 50.0),
    ("2024-01-23 14:00", None, "2024-01-23 14:05", None, "WELFARE CHECK", "community", 60.0),
    ("2024-02-01 10:00", None, None, None, "WELFARE CHECK", "community", 10.0),  # partial week
]


def insert(store: Store) -> None:
    for i, (rec, disp, arr, clr, ctype, origin, minutes) in enumerate(CALLS, start=1):
        store.con.execute(
            "INSERT INTO calls (city, row_id, received_at, dispatched_at, arrived_at, cleared_at, "
            "call_type, origin, officer_minutes) VALUES ('Testville', ?, ?, ?, ?, ?, ?, ?, ?)",
            [i, rec, disp, arr, clr, ctype, origin, minutes],
        )


def test_weekly_series_by_hand(store: Store) -> None:
    insert(store)
    spec = ChangeSpec("Testville", date(2024, 1, 15), call_types=("Welfare Check",))
    s = series(store, spec)
    # Complete weeks (Mondays) between 2024-01-03 and 2024-02-01: 8, 15 and 22 January.
    assert s["period"].dt.date.tolist() == [date(2024, 1, 8), date(2024, 1, 15), date(2024, 1, 22)]
    assert s["calls"].tolist() == [3, 0, 1]
    assert s["officer_hours"].tolist() == pytest.approx([(30 + 45 + 15) / 60, 0.0, 1.0])
    # Community calls only: the officer-initiated arrival of 1 minute is not a response time.
    assert s["response_calls"].tolist() == [2, 0, 1]
    assert s["median_response_minutes"].iloc[0] == pytest.approx(15.0)
    assert math.isnan(s["median_response_minutes"].iloc[1])
    assert s["days"].tolist() == [7, 7, 7]


def test_straddling_period_left_out() -> None:
    """A program starting on a Wednesday: its week is neither before nor after."""
    periods = pd.date_range("2024-01-01", periods=20, freq="W-MON")
    wobble = [0, 3, -2, 1, -1] * 4
    calls = [100 + w for w in wobble[:10]] + [50 + w for w in wobble[10:]]
    df = pd.DataFrame({"period": periods, "calls": calls, "days": 7})
    est, fitted, _, _ = fit_measure(df, "calls", date(2024, 3, 6), "week")
    assert (est.periods_before, est.periods_after) == (9, 10)
    assert math.isnan(fitted[9])  # the week of 4 March
    assert est.level_change == pytest.approx(0.5, abs=0.05)


def test_unknown_frequency_and_city(store: Store) -> None:
    insert(store)
    with pytest.raises(InputError, match="frequency 'year'"):
        series(store, ChangeSpec("Testville", date(2024, 1, 15), freq="year"))
    with pytest.raises(StoreError, match="no calls in scope"):
        series(store, ChangeSpec("Nowhere", date(2024, 1, 15)))


def test_monthly_series_uses_days_in_month(store: Store) -> None:
    insert(store)
    store.con.execute(
        "INSERT INTO calls (city, row_id, received_at, call_type, origin) VALUES "
        "('Testville', 100, '2024-03-31 23:00', 'WELFARE CHECK', 'community')"
    )
    s = series(store, ChangeSpec("Testville", date(2024, 2, 1), freq="month"))
    # Data run from 3 January to 31 March: February and March are complete, January is not.
    assert s["period"].dt.date.tolist() == [date(2024, 2, 1), date(2024, 3, 1)]
    assert s["calls"].tolist() == [1, 1] and s["days"].tolist() == [29, 31]


def test_monthly_fit_with_season_and_exposure() -> None:
    """Five years of months of unequal length, a yearly season and a 15% drop: the Poisson fit
    with days as exposure and yearly terms recovers the drop."""
    rng = np.random.default_rng(7)
    periods = pd.date_range("2019-01-01", "2023-12-01", freq="MS")
    days = periods.days_in_month.to_numpy()
    season = 0.2 * np.cos(2 * np.pi * periods.day_of_year.to_numpy() / 365.25)
    after = periods >= pd.Timestamp("2022-01-01")
    calls = rng.poisson(40 * days * np.exp(season) * np.where(after, 0.85, 1.0))
    df = pd.DataFrame({"period": periods, "calls": calls, "days": days})
    est, _, _, notes = fit_measure(df, "calls", date(2022, 1, 1), "month")
    assert (est.periods_before, est.periods_after) == (36, 24)
    assert est.level_low < 0.85 < est.level_high < 1
    assert est.level_change == pytest.approx(0.85, abs=0.03)
    assert notes[0].startswith("Seasonality: two yearly sine/cosine pairs")
