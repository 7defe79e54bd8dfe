"""The interrupted time series checked on simulated series whose truth is known."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from publicsafety.analysis.change import ChangeSpec, design, fit_series, nw_lags, sentences
from publicsafety.errors import InputError

START = date(2022, 1, 3)  # a Monday


def weekly(seed: int, level: float = 1.0, hours_shift: float = 0.0) -> pd.DataFrame:
    """Three years of weekly calls (150 a week, a yearly swing of +-15%, a small upward trend);
    from START on the rate is multiplied by `level` and officer hours move by `hours_shift`."""
    rng = np.random.default_rng(seed)
    periods = pd.date_range("2020-01-06", "2022-12-26", freq="W-MON")
    t = np.arange(len(periods))
    season = 0.15 * np.sin(2 * np.pi * periods.day_of_year.to_numpy() / 365.25)
    after = periods >= pd.Timestamp(START)
    rate = 150 * np.exp(season + 0.001 * t) * np.where(after, level, 1.0)
    calls = rng.poisson(rate)
    hours = 300 + 40 * season + rng.normal(0, 8, len(t)) + np.where(after, hours_shift, 0.0)
    return pd.DataFrame(
        {
            "period": periods,
            "calls": calls,
            "officer_hours": hours,
            "days": 7,
            "median_response_minutes": np.nan,
            "response_calls": 0,
        }
    )


def spec() -> ChangeSpec:
    return ChangeSpec(city="Simulated", start=START, freq="week")


def test_no_change_interval_covers_zero() -> None:
    r = fit_series(weekly(seed=1), spec())
    calls = r.estimates.set_index("measure").loc["calls"]
    assert calls["level_low"] < 1 < calls["level_high"]
    hours = r.estimates.set_index("measure").loc["officer_hours"]
    assert hours["level_low"] < 0 < hours["level_high"]
    assert "data do not show one" in sentences(r)[0]


def test_planted_level_change_found() -> None:
    """A 20% drop in calls and 30 fewer officer hours a week: found in each of 100 series (the
    interval excludes no change) and estimated without bias (one fit's error is about 0.03)."""
    calls, hours = [], []
    for seed in range(1000, 1100):
        est = fit_series(weekly(seed=seed, level=0.8, hours_shift=-30.0), spec()).estimates
        c, h = est.set_index("measure").loc["calls"], est.set_index("measure").loc["officer_hours"]
        assert c["level_high"] < 1 and h["level_high"] < 0
        calls.append(c["level_change"])
        hours.append(h["level_change"])
    assert np.mean(calls) == pytest.approx(0.8, abs=0.01)
    assert np.mean(hours) == pytest.approx(-30, abs=1)
    assert max(abs(np.array(calls) - 0.8)) < 0.12


def test_counterfactual_and_sentences() -> None:
    r = fit_series(weekly(seed=3, level=0.8, hours_shift=-30.0), spec())
    calls = r.estimates.set_index("measure").loc["calls"]
    assert calls["level_low"] < 0.8 < calls["level_high"]
    assert sentences(r)[0].startswith("Calls per week changed by -17% at the start")
    assert "the interval excludes no change" in sentences(r)[0]
    # The counterfactual after the start is the fitted line without the step.
    after = r.series["period"] >= pd.Timestamp(START)
    ratio = r.series.loc[after, "calls_fitted"] / r.series.loc[after, "calls_counterfactual"]
    assert ratio.iloc[0] == pytest.approx(calls["level_change"])


def test_interval_coverage_on_200_series() -> None:
    """95% intervals should hold the true rate ratio in roughly 95% of series."""
    hits = 0
    for seed in range(200):
        e = fit_series(weekly(seed=100 + seed, level=1.1), spec()).estimates
        row = e[e["measure"] == "calls"].iloc[0]
        hits += row["level_low"] <= 1.1 <= row["level_high"]
    assert 0.88 <= hits / 200 <= 0.99


def test_design_columns_and_lags() -> None:
    periods = pd.Series(pd.date_range("2023-01-02", periods=28, freq="D"))
    x, notes = design(periods, date(2023, 1, 16), "day")
    assert list(x.columns[:4]) == ["const", "trend", "step", "trend_after"]
    assert x["step"].sum() == 14 and x["trend_after"].iloc[-1] == 13
    assert [c for c in x.columns if c.startswith("dow_")] == [f"dow_{d}" for d in range(1, 7)]
    assert "less than two years" in notes[0]
    assert nw_lags(156, "week") == 4 and nw_lags(100, "day") == 7


def test_too_few_periods_refused() -> None:
    df = weekly(seed=3)
    with pytest.raises(InputError, match="periods before"):
        fit_series(df, ChangeSpec(city="Simulated", start=date(2020, 2, 3), freq="week"))
