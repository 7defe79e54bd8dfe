"""Change over time (roadmap 4): did calls, officer hours or response times change when a program
started? An interrupted time series of the call types the program serves.

The engine counts calls, officer hours and median response times per day, week or month; Python
fits a segmented regression with seasonality (statsmodels): a Poisson GLM for call counts and OLS
for hours and response times, both with Newey-West (HAC) standard errors, so over-dispersion and
autocorrelation widen the intervals instead of faking precision.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import numpy as np
import pandas as pd
import statsmodels.api as sm
from ibis import _

from publicsafety.analysis.officer_time import ResponseConvention, minutes_expr, rules_for
from publicsafety.analysis.scope import Scope, fetch, minutes, one_row, require_calls
from publicsafety.engine import Store
from publicsafety.errors import InputError

FREQS = ("day", "week", "month")
MEASURES = ("calls", "officer_hours", "median_response_minutes")
MIN_PERIODS = 8  # on each side of the start

CAVEATS = (
    "Calls are not incidents (Wheeler): a program can change how calls are coded or recorded "
    "without changing what happens on the street, and fewer police calls is a measure of police "
    "workload, not of safety.",
    "Dose before effect: compare the size of any change with how many calls the program actually "
    "took; a change far larger than the program's own volume points to something else.",
    "Regression to the mean: programs often start after an unusually bad spell, which would have "
    "eased anyway; a long, stable before period guards against this.",
    "Other changes at the same time (new records system, staffing, a policy, a pandemic, a "
    "change in how data are exported) move the series too; the model cannot tell them apart.",
)


@dataclass(frozen=True)
class ChangeSpec:
    """What to measure: the calls a program serves in one city, and when it started."""

    city: str
    start: date
    call_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    freq: str = "week"

    def scope(self) -> Scope:
        return Scope(
            self.city,
            agencies=self.agencies,
            origins=self.origins,
            categories=self.categories,
        )


def series(store: Store, spec: ChangeSpec) -> pd.DataFrame:
    """Calls, officer hours and median response minutes per complete period (engine-side), with
    empty periods filled with zero calls; the partial first and last periods are left out."""
    if spec.freq not in FREQS:
        raise InputError(
            f"frequency {spec.freq!r} is not known",
            where="--freq",
            fix=f"use one of: {', '.join(FREQS)}",
        )
    scope = spec.scope()
    require_calls(store, scope)
    every = Scope(spec.city, agencies=spec.agencies).calls(store)
    bounds = one_row(every.aggregate(lo=every.received_at.min(), hi=every.received_at.max()))
    bounds = {k: pd.Timestamp(v).normalize() for k, v in bounds.items()}
    t = scope.calls(store).filter(lambda c: c.received_at.notnull())
    if spec.call_types:
        t = t.filter(t.call_type.upper().isin([c.upper() for c in spec.call_types]))
    conv = ResponseConvention.for_city(spec.city)
    rt = minutes(t.received_at, t.arrived_at)
    ok = rt.between(conv.min_minutes, conv.max_minutes)
    if conv.origins:
        ok &= t.origin.isin(list(conv.origins))
    if conv.dispositions:
        ok &= t.disposition.upper().isin(list(conv.dispositions))
    ok = ok.fill_null(False)
    officer = ibis.coalesce(t.officer_minutes, minutes_expr(t, rules_for(spec.city)))
    unit = {"day": "D", "week": "W", "month": "M"}[spec.freq]
    df = fetch(
        t.mutate(period=t.received_at.truncate(unit).date(), m=officer, rt=rt, ok=ok)
        .group_by("period")
        .aggregate(
            calls=_.count(),
            minutes=_.m.sum(),
            # (a filtered median: Spark wants a plain percentile over the kept values)
            median_response_minutes=ibis.ifelse(_.ok, _.rt, ibis.null("float64")).median(),
            response_calls=_.count(where=_.ok),
        )
    ).sort_values("period", ignore_index=True)
    df["officer_hours"] = df["minutes"].fillna(0) / 60.0
    df = df[["period", "calls", "officer_hours", "median_response_minutes", "response_calls"]]
    lo, hi = pd.Timestamp(bounds["lo"]), pd.Timestamp(bounds["hi"])
    alias = {"day": "D", "week": "W-MON", "month": "MS"}[spec.freq]
    first = lo if spec.freq == "day" else lo.to_period(alias[0]).start_time
    index = pd.date_range(first, hi, freq=alias)
    out = pd.DataFrame({"period": index})
    df["period"] = pd.to_datetime(df["period"])
    out = out.merge(df, on="period", how="left").fillna(
        {"calls": 0, "officer_hours": 0.0, "response_calls": 0}
    )
    out["days"] = [_days(p, spec.freq) for p in out["period"]]
    complete = (out["period"] >= lo) & (out["period"] + pd.to_timedelta(out["days"] - 1, "D") <= hi)
    out = out[complete].reset_index(drop=True)
    out["calls"] = out["calls"].astype("int64")
    out["response_calls"] = out["response_calls"].astype("int64")
    out["period"] = out["period"].astype("datetime64[us]")  # the same from every engine
    return out


def _days(period: pd.Timestamp, freq: str) -> int:
    return {"day": 1, "week": 7}.get(freq) or int(period.days_in_month)


@dataclass
class Estimate:
    measure: str
    model: str
    level_change: float  # rate ratio for calls, difference in units otherwise
    level_low: float
    level_high: float
    level_p: float
    slope_change: float  # per period (ratio for calls)
    slope_low: float
    slope_high: float
    before_mean: float
    after_mean: float
    periods_before: int
    periods_after: int


@dataclass
class ChangeResult:
    spec: ChangeSpec
    series: pd.DataFrame  # period, observed measures, fitted and counterfactual per measure
    estimates: pd.DataFrame  # one row per measure (Estimate fields)
    notes: list[str] = field(default_factory=list)
    caveats: tuple[str, ...] = CAVEATS


def design(periods: pd.Series, start: date, freq: str) -> tuple[pd.DataFrame, list[str]]:
    """Segmented-regression design: trend, step at the start, trend change after it, seasonal
    terms (day of week for daily series; yearly sine/cosine pairs when two years are covered)."""
    p = pd.to_datetime(periods).reset_index(drop=True)
    t = np.arange(len(p), dtype=float)
    after = (p >= pd.Timestamp(start)).to_numpy()
    t0 = int(np.argmax(after)) if after.any() else len(p)
    x = pd.DataFrame({"const": 1.0, "trend": t, "step": after.astype(float)})
    x["trend_after"] = np.where(after, t - t0, 0.0)
    notes = []
    if freq == "day":
        for d in range(1, 7):
            x[f"dow_{d}"] = (p.dt.day_of_week == d).astype(float).to_numpy()
    span = (p.iloc[-1] - p.iloc[0]).days if len(p) else 0
    if span >= 730:
        doy = 2 * math.pi * p.dt.day_of_year.to_numpy() / 365.25
        for k in (1, 2):
            x[f"sin{k}"], x[f"cos{k}"] = np.sin(k * doy), np.cos(k * doy)
        notes.append("Seasonality: two yearly sine/cosine pairs (the series covers two years).")
    else:
        notes.append(
            "The series covers less than two years, so the yearly season is not modelled: a "
            "seasonal swing around the start date can look like an effect."
        )
    return x, notes


def nw_lags(n: int, freq: str) -> int:
    """Newey-West lag length: the usual 4(n/100)^(2/9) rule, at least a week for daily data."""
    lags = math.floor(4 * (n / 100) ** (2 / 9))
    return max(lags, 7 if freq == "day" else 1)


def fit_measure(
    df: pd.DataFrame, measure: str, start: date, freq: str
) -> tuple[Estimate, np.ndarray, np.ndarray, list[str]]:
    """Fit one measure; returns the estimate, fitted values and the no-change counterfactual."""
    data = df.dropna(subset=[measure])
    # A period that straddles the start is neither before nor after: leave it out.
    begins = pd.to_datetime(data["period"])
    straddles = (begins < pd.Timestamp(start)) & (
        begins + pd.to_timedelta(data["days"], "D") > pd.Timestamp(start)
    )
    data = data[~straddles].reset_index(drop=True)
    if measure == "median_response_minutes":
        data = data[data["response_calls"] > 0].reset_index(drop=True)
    x, notes = design(data["period"], start, freq)
    before, after = int((x["step"] == 0).sum()), int((x["step"] == 1).sum())
    if min(before, after) < MIN_PERIODS:
        raise InputError(
            f"{measure}: {before} periods before and {after} after the start; at least "
            f"{MIN_PERIODS} each are needed",
            where=f"--start {start}",
            fix="use a shorter period (--freq day or week) or wait for more data",
        )
    y = data[measure].astype(float).to_numpy()
    link: Callable[[Any], Any]
    kw: dict[str, Any] = {"cov_type": "HAC", "cov_kwds": {"maxlags": nw_lags(len(y), freq)}}
    if measure == "calls":
        exposure = data["days"].astype(float).to_numpy()
        res = sm.GLM(y, x, family=sm.families.Poisson(), exposure=exposure).fit(**kw)
        link = np.exp
        model = "Poisson GLM (log link, days as exposure), Newey-West errors"
    else:
        res = sm.OLS(y, x).fit(**kw)
        link, exposure = (lambda v: v), np.ones(len(y))
        model = "OLS, Newey-West errors"
    ci = np.asarray(res.conf_int())
    names = list(x.columns)
    s, tr = names.index("step"), names.index("trend_after")
    coef = np.asarray(res.params)
    pvals = np.asarray(res.pvalues)
    cf = x.copy()
    cf["step"], cf["trend_after"] = 0.0, 0.0
    scale = exposure if measure == "calls" else 1.0
    fitted = link(x.to_numpy() @ coef) * scale
    counterfactual = link(cf.to_numpy() @ coef) * scale
    est = Estimate(
        measure=measure,
        model=model,
        level_change=float(link(coef[s])),
        level_low=float(link(ci[s, 0])),
        level_high=float(link(ci[s, 1])),
        level_p=float(pvals[s]),
        slope_change=float(link(coef[tr])),
        slope_low=float(link(ci[tr, 0])),
        slope_high=float(link(ci[tr, 1])),
        before_mean=float(y[x["step"].to_numpy() == 0].mean()),
        after_mean=float(y[x["step"].to_numpy() == 1].mean()),
        periods_before=before,
        periods_after=after,
    )
    full_fit = pd.Series(fitted, index=data["period"]).reindex(df["period"]).to_numpy()
    full_cf = pd.Series(counterfactual, index=data["period"]).reindex(df["period"]).to_numpy()
    return est, full_fit, full_cf, notes


def interrupted_time_series(store: Store, spec: ChangeSpec) -> ChangeResult:
    """Segmented regression of calls, officer hours and median response time around `start`."""
    df = series(store, spec)
    return fit_series(df, spec)


def fit_series(df: pd.DataFrame, spec: ChangeSpec) -> ChangeResult:
    """Fit every measure that has data (a series from `series`, or one built by hand)."""
    out = df.copy()
    rows, notes = [], []
    for measure in MEASURES:
        if measure not in out or out[measure].dropna().sum() == 0:
            notes.append(f"No {measure.replace('_', ' ')} in the data: not modelled.")
            continue
        try:
            est, fit, cf, extra = fit_measure(out, measure, spec.start, spec.freq)
        except InputError as exc:
            if measure == "calls":
                raise
            notes.append(f"Not modelled: {exc.what}.")
            continue
        out[f"{measure}_fitted"], out[f"{measure}_counterfactual"] = fit, cf
        rows.append(est.__dict__)
        notes += [n for n in extra if n not in notes]
    what = ", ".join(spec.call_types or spec.categories) or "all calls"
    if spec.agencies:
        what += f" ({', '.join(spec.agencies)})"
    notes.insert(
        0,
        f"{spec.city}, {what}: {len(out)} complete {spec.freq}s from "
        f"{out['period'].iloc[0].date()} to {out['period'].iloc[-1].date()}; the program started "
        f"{spec.start}. Calls: a rate ratio (1.10 = 10% more); hours and minutes: a difference.",
    )
    return ChangeResult(spec, out, pd.DataFrame(rows), notes)


def sentences(r: ChangeResult) -> list[str]:
    """Plain-language results, one per measure, each with its interval."""
    out = []
    for e in r.estimates.to_dict("records"):
        if e["measure"] == "calls":
            change = f"{e['level_change'] - 1:+.0%}"
            interval = f"{e['level_low'] - 1:+.0%} to {e['level_high'] - 1:+.0%}"
            what = f"Calls per {r.spec.freq}"
        else:
            unit = "hours" if e["measure"] == "officer_hours" else "minutes"
            change = f"{e['level_change']:+,.1f} {unit}"
            interval = f"{e['level_low']:+,.1f} to {e['level_high']:+,.1f}"
            what = f"Officer hours per {r.spec.freq}" if unit == "hours" else "Median response time"
        covers = e["level_low"] <= (1.0 if e["measure"] == "calls" else 0.0) <= e["level_high"]
        verdict = (
            "the interval includes no change, so the data do not show one"
            if covers
            else "the interval excludes no change"
        )
        out.append(
            f"{what} changed by {change} at the start (95% interval {interval}); {verdict}. "
            f"Average {e['before_mean']:,.1f} before and {e['after_mean']:,.1f} after."
        )
    return out
