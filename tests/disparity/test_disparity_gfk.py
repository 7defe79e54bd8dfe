"""Gelman & Hill (2007) chapter 6 / Gelman, Fagan & Kiss (2007): NYPD stops 1998-99 by precinct and
ethnicity with past arrests as the benchmark. Published figures (field notes 2.6 and 3.1):

- stops ~ factor(eth), offset log(past.arrests): intercept -0.588 (se 0.004), eth2 +0.070 (0.006),
  eth3 -0.162 (0.009); residual deviance 45,437.4, null deviance 46,120.3.
- with precinct fixed effects: eth2 +0.010, eth3 -0.419, deviance 3,427.1.
eth 1 = black (the baseline in the book), 2 = hispanic, 3 = white.
"""

from __future__ import annotations

import pandas as pd
import pytest

from publicsafety.analysis.disparity.gfk import fit_poisson, stop_cells
from tests.conftest import real_data

pytestmark = pytest.mark.real_data


@pytest.fixture(scope="module")
def cells() -> pd.DataFrame:
    raw = pd.read_csv(real_data("nyc_frisk_gelman_arm", "frisk_with_noise.txt"), sep=" ")
    # The book sums the four crime types into one cell per precinct and ethnicity.
    out = raw.groupby(["precinct", "eth"], as_index=False)[["stops", "past.arrests"]].sum()
    return out.rename(columns={"eth": "group", "past.arrests": "benchmark", "precinct": "area"})


def test_frisk_cells_match_the_book(cells: pd.DataFrame) -> None:
    assert len(cells) == 225
    assert int(cells["stops"].sum()) == 131_420
    assert int(cells["benchmark"].sum()) == 236_539


def test_ethnicity_only_model_reproduces_gelman_hill(cells: pd.DataFrame) -> None:
    fit = fit_poisson(cells, reference="1")
    assert round(fit.intercept, 3) == -0.588
    assert round(fit.intercept_se, 3) == 0.004
    assert round(fit.coef("2"), 3) == 0.070
    assert round(fit.se("2"), 3) == 0.006
    assert round(fit.coef("3"), 3) == -0.162
    assert round(fit.se("3"), 3) == 0.009
    assert round(fit.deviance, 1) == 45_437.4
    assert round(fit.null_deviance, 1) == 46_120.3
    assert fit.cells == 225 and fit.cells_dropped == 0
    # Deviance 45,437 on 222 df: hugely overdispersed, so the honest intervals are much wider.
    assert fit.dispersion > 100
    hisp = fit.groups.set_index("group").loc["2"]
    assert hisp["se_overdispersed"] > 10 * hisp["se"]


def test_precinct_effects_reproduce_gelman_hill(cells: pd.DataFrame) -> None:
    fit = fit_poisson(cells, reference="1", area="area")
    assert round(fit.coef("2"), 3) == 0.010
    assert round(fit.coef("3"), 3) == -0.419
    assert round(fit.deviance, 1) == 3_427.1
    assert fit.df_resid == 225 - 3 - 74


def test_white_as_reference_gives_the_stops_per_arrest_ratios(cells: pd.DataFrame) -> None:
    # Same model, white as the baseline: black and hispanic people were stopped 1.52 and 1.54
    # times as often as white people per past arrest, within precinct.
    fit = fit_poisson(cells, reference="3", area="area")
    ratios = fit.groups.set_index("group")["rate_ratio"].round(2).to_dict()
    assert ratios == {"1": 1.52, "2": 1.54}
    row = fit.groups.set_index("group").loc["1"]
    assert row["ratio_low"] < 1.52 < row["ratio_high"]
    assert row["ratio_low"] > 1.0


def test_zero_benchmark_cells_are_dropped_and_counted(cells: pd.DataFrame) -> None:
    broken = cells.copy()
    broken.loc[0, "benchmark"] = 0
    fit = fit_poisson(broken, reference="1")
    assert fit.cells == 224 and fit.cells_dropped == 1


def test_stop_cells_counts_in_the_engine(store) -> None:
    con = store.con
    con.execute(
        """INSERT INTO stops (city, row_id, subject_race, subject_sex, subject_age)
           SELECT 'Testville', i, CASE WHEN i % 3 = 0 THEN 'white' ELSE 'black' END, 'male', 30
           FROM range(60) t(i)"""
    )
    con.execute(
        """INSERT INTO placements SELECT 'stops', i, 'beats', CASE WHEN i < 30 THEN 'A' ELSE 'B' END
           FROM range(60) t(i)"""
    )
    con.execute(
        """INSERT INTO population (city, area_set, area_id, dimension, "group", count) VALUES
           ('Testville','beats','A','race','black',1000), ('Testville','beats','A','race','white',500),
           ('Testville','beats','B','race','black',200), ('Testville','beats','B','race','white',2000)"""
    )
    got = stop_cells(store, area_set="beats", city="Testville")
    assert got.to_dict("records") == [
        {"area_id": "A", "group": "black", "stops": 20, "benchmark": 1000.0},
        {"area_id": "A", "group": "white", "stops": 10, "benchmark": 500.0},
        {"area_id": "B", "group": "black", "stops": 20, "benchmark": 200.0},
        {"area_id": "B", "group": "white", "stops": 10, "benchmark": 2000.0},
    ]
    fit = fit_poisson(got, reference="white", area="area_id")
    assert fit.groups["group"].tolist() == ["black"]
