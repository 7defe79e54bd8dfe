"""Divergence (roadmap 2.1): where enforcement runs above or below what reported crime predicts.

Across the areas of one set, enforcement counts (stops, arrests, officer-initiated calls) are
modelled on crime with residents as the exposure:

    log E[enforcement_i] = log(residents_i) + b0 + b1 * log(crime_i + 0.5)

by a Poisson GLM and a negative binomial (NB2) model whose extra variance stands for the ordinary
differences between areas (statsmodels). Per area: observed and expected enforcement, their ratio,
and the ratio shrunk toward 1 by empirical Bayes (the gamma posterior of the NB model), with a 95%
interval. An area is flagged "above" when the whole interval lies above 1 and the shrunk ratio is
at least `threshold`, "below" for the mirror case. docs/places.md has the reasoning.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import gamma
from statsmodels.discrete.discrete_model import NegativeBinomial

from publicsafety.errors import StoreError

# Areas with fewer residents than this are left out of the fit (their ratios are still shown,
# shrunk): a handful of residents in an industrial area would make the offset meaningless.
MIN_POPULATION_FIT = 100
THRESHOLD = 1.5


@dataclass
class Fit:
    """A fitted model: coefficients (intercept, slope on log crime), standard errors, NB alpha."""

    family: str
    params: np.ndarray
    bse: np.ndarray
    alpha: float  # 0 for Poisson
    loglik: float
    deviance: float | None
    n: int


@dataclass
class Divergence:
    enforcement: str
    crime: str
    offset: str  # "population" or "none"
    poisson: Fit
    negbin: Fit
    areas: pd.DataFrame  # per area: observed, expected, ratio, ratio_shrunk, low, high, flag


def design(crime: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(len(crime)), np.log(np.asarray(crime, dtype=float) + 0.5)])


def fit_poisson(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> Fit:
    res = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit()
    return Fit("poisson", res.params, res.bse, 0.0, float(res.llf), float(res.deviance), len(y))


def fit_negbin(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> Fit:
    """NB2 by maximum likelihood (statsmodels): BFGS from the Poisson coefficients and a moment
    estimate of alpha, then Newton to polish. Newton alone diverges on large counts (tens of
    thousands of stops per area), so its answer is kept only when it is finite and no worse."""
    pois = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit()
    mu = pois.mu
    alpha0 = max(float(np.mean(((y - mu) ** 2 - mu) / mu**2)), 0.01)
    model = NegativeBinomial(y, x, offset=offset, loglike_method="nb2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(
            start_params=np.append(pois.params, alpha0), disp=False, maxiter=1000, method="bfgs"
        )
        polished = model.fit(start_params=res.params, disp=False, maxiter=100, method="newton")
    if np.all(np.isfinite(polished.params)) and polished.llf >= res.llf - 1e-9:
        res = polished
    params = np.asarray(res.params)
    if not np.all(np.isfinite(params)) or params[-1] <= 0:
        raise StoreError(
            "the negative binomial model did not converge on these areas",
            fix="try a coarser or finer area set, or other measures",
        )
    bse = np.asarray(res.bse)
    return Fit("negbin", params[:-1], bse[:-1], float(params[-1]), float(res.llf), None, len(y))


def divergence(
    table: pd.DataFrame,
    enforcement: str,
    crime: str,
    *,
    use_population: bool = True,
    threshold: float = THRESHOLD,
    level: float = 0.95,
) -> Divergence:
    """Fit both models on the areas of `table` (an AreaFrame table) and score each area."""
    for col in (enforcement, crime):
        if col not in table.columns:
            raise StoreError(
                f"no {col} counts for these areas",
                fix="load that event table for the city, or pick other measures "
                "(--enforcement / --crime)",
            )
    pop = table["population"].to_numpy(dtype=float)
    if use_population and not np.isfinite(pop).any():
        use_population = False
    y_all = table[enforcement].to_numpy(dtype=float)
    c_all = table[crime].to_numpy(dtype=float)
    if use_population:
        fit_rows = np.nan_to_num(pop) >= MIN_POPULATION_FIT
        off_all = np.log(np.where(np.nan_to_num(pop) > 0, pop, np.nan))
    else:
        fit_rows = np.ones(len(y_all), dtype=bool)
        off_all = np.zeros(len(y_all))
    if fit_rows.sum() < 5 or c_all[fit_rows].sum() == 0 or y_all[fit_rows].sum() == 0:
        raise StoreError(
            f"too few areas with residents, {crime} and {enforcement} to fit a model"
            f" ({int(fit_rows.sum())} areas)",
            fix="use a finer area set, or check that both event tables were placed in it",
        )
    x_all = design(c_all)
    y, x, off = y_all[fit_rows], x_all[fit_rows], off_all[fit_rows]
    pois = fit_poisson(y, x, off)
    nb = fit_negbin(y, x, off)
    mu = np.exp(off_all + x_all @ nb.params)
    areas = pd.DataFrame(index=table.index)
    areas["name"] = table["name"]
    areas["population"] = pop
    areas["crime"] = c_all.astype(int)
    areas["observed"] = y_all.astype(int)
    areas["expected"] = mu
    areas["expected_poisson"] = np.exp(off_all + x_all @ pois.params)
    areas["ratio"] = y_all / mu
    # Gamma posterior of the area's multiplier under the NB model (prior mean 1, variance alpha).
    shape = 1.0 / max(nb.alpha, 1e-12) + y_all
    rate = 1.0 / max(nb.alpha, 1e-12) + mu
    a = 1 - level
    areas["ratio_shrunk"] = shape / rate
    areas["ratio_low"] = gamma.ppf(a / 2, shape, scale=1 / rate)
    areas["ratio_high"] = gamma.ppf(1 - a / 2, shape, scale=1 / rate)
    areas["pearson_residual"] = (y_all - mu) / np.sqrt(mu + nb.alpha * mu**2)
    flag = np.where(
        (areas["ratio_low"] > 1) & (areas["ratio_shrunk"] >= threshold),
        "above",
        np.where((areas["ratio_high"] < 1) & (areas["ratio_shrunk"] <= 1 / threshold), "below", ""),
    )
    areas["flag"] = np.where(np.isfinite(mu), flag, "not modelled")
    areas["in_fit"] = fit_rows
    return Divergence(
        enforcement, crime, "population" if use_population else "none", pois, nb, areas
    )
