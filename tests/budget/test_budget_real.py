"""Budgets from every set in ../shared/data: figures checked against the raw files' own values."""

from __future__ import annotations

import pytest

from publicsafety.analysis.budget.classify import classify_budget, review
from publicsafety.analysis.budget.compare import (
    PILOT_CITIES,
    actual_vs_adopted,
    budget_summary,
    function_totals,
    pilot_cities,
    sentences,
)
from publicsafety.analysis.budget.cost import cost_from_store
from publicsafety.engine import Store, memory_store
from publicsafety.errors import StoreError
from publicsafety.ingest import ingest_file
from tests.conftest import real_data

pytestmark = pytest.mark.real_data


def one(df, **where):  # type: ignore[no-untyped-def]
    for k, v in where.items():
        df = df[df[k] == v]
    assert len(df) == 1, where
    return df.iloc[0]


def test_abc7_albuquerque_fy19_and_all_pilot_cities(budgets: Store) -> None:
    df = budget_summary(budgets, cities=PILOT_CITIES)
    abq = one(df, city="Albuquerque", source="us_cities_budgets_abc7", fiscal_year=2019)
    assert abq["police"] == 197_141_000
    assert abq["whole_budget"] == 997_710_000
    assert abq["police_share_whole_budget"] == pytest.approx(197_141_000 / 997_710_000)
    # All five pilot cities appear in the ABC7 compilation for FY2019-FY2022.
    abc7 = df[df["source"] == "us_cities_budgets_abc7"]
    assert sorted(abc7["city"].unique()) == sorted(PILOT_CITIES)
    assert abc7.groupby("city")["fiscal_year"].apply(sorted).map(tuple).unique().tolist() == [
        (2019, 2020, 2021, 2022)
    ]
    stockton = abc7[abc7["city"] == "Stockton"].set_index("fiscal_year")["police"].tolist()
    assert stockton == [130_394_165, 135_689_455, 143_500_433, 152_928_298]


def test_realnews_general_fund_share_and_change(budgets: Store) -> None:
    df = budget_summary(budgets, "New Orleans")
    nola = df[df["source"] == "us_cities_budgets_realnews"].set_index("fiscal_year")
    assert nola["police"].tolist() == [
        160_769_723,
        173_366_314,
        175_401_340,
        164_249_786,
        177_786_466,
    ]
    assert nola.loc[2018, "general_fund_basis"] == "general fund total line"
    assert nola.loc[2020, "police_share_general_fund"] == pytest.approx(
        175_401_340 / nola.loc[2020, "general_fund"]
    )
    assert nola.loc[2021, "police_change"] == 164_249_786 - 175_401_340
    assert nola.loc[2021, "police_change_pct"] == pytest.approx(-11_151_554 / 175_401_340)
    assert pd_isna(nola.loc[2018, "police_change"])  # no year before in this source


def pd_isna(v: object) -> bool:
    return v is None or v != v  # NaN is not equal to itself


def test_detroit_categories_share_and_bankruptcy_gap(budgets: Store) -> None:
    df = budget_summary(budgets, "Detroit")
    dt = df[df["source"] == "detroit_budget_categories"].set_index("fiscal_year")
    assert dt.loc[2008, "police"] == 455_543_873
    assert dt.loc[2008, "whole_budget"] == 3_112_141_866
    assert round(dt.loc[2008, "police_share_whole_budget"] * 100, 1) == 14.6
    # FY2013/14 has no spending categories: no police figure, and 2015 has no "year before".
    assert pd_isna(dt.loc[2014, "police"]) and pd_isna(dt.loc[2015, "police_change"])
    assert dt.loc[2016, "police_change"] == 315_562_722 - 289_904_518
    # 2010 census (713,777) for FY2008; FY2015 interpolated between the censuses.
    assert dt.loc[2008, "population"] == 713_777
    assert dt.loc[2015, "population"] == pytest.approx((713_777 + 639_111) / 2)
    assert "interpolated" in dt.loc[2015, "population_source"]


def test_san_francisco_categories(budgets: Store) -> None:
    sf = one(
        budget_summary(budgets, "San Francisco"),
        source="san_francisco_budget_categories",
        fiscal_year=2008,
    )
    assert sf["police"] == 406_970_908
    assert round(sf["police_share_whole_budget"] * 100, 1) == 6.7
    assert sf["lines"] == 8  # seven spending categories and the city total


def test_seattle_functions_sum_and_officer_cost(budgets: Store) -> None:
    by_function = function_totals(budgets, "Seattle", 2020, "seattle_budget_functions_2020")
    assert by_function["amount"].sum() == 409_111_840
    assert dict(zip(by_function["function"], by_function["amount"], strict=True)) == {
        "police": 374_801_441,
        "dispatch": 19_554_912,
        "other": 14_755_487,
    }
    cost = cost_from_store(budgets, "Seattle", 2020, source="seattle_budget_functions_2020")
    assert (cost.police_budget, cost.sworn_fte) == (374_801_441, 1485)
    assert cost.hourly == pytest.approx(374_801_441 / (1485 * 2080))
    assert round(cost.hourly, 2) == 121.34


def test_officer_cost_needs_sworn_positions(budgets: Store) -> None:
    with pytest.raises(StoreError, match="gives no sworn positions"):
        cost_from_store(budgets, "Baltimore", 2020, source="us_cities_budgets_abc7")
    cost = cost_from_store(
        budgets, "Baltimore", 2020, source="us_cities_budgets_abc7", sworn_fte=2500
    )
    assert cost.hourly == pytest.approx(536_376_477 / (2500 * 2080))
    assert "sworn positions given by the user" in cost.source


def test_pilot_cities_side_by_side(budgets: Store) -> None:
    df = pilot_cities(budgets, 2020)
    assert df.attrs["missing"] == []
    # ABC7 for all five; the Real News sheet has no Stockton.
    assert df.groupby("source")["city"].apply(list).to_dict() == {
        "us_cities_budgets_abc7": list(PILOT_CITIES),
        "us_cities_budgets_realnews": ["Albuquerque", "Baltimore", "Minneapolis", "New Orleans"],
    }
    abq = one(df, city="Albuquerque", source="us_cities_budgets_abc7")
    assert abq["police_per_resident"] == pytest.approx(209_848_000 / 564_559)
    text = sentences(abq.to_dict())
    assert text[0] == (
        "In fiscal year 2020, Albuquerque budgeted $209,848,000 for police "
        "(us_cities_budgets_abc7, adopted): 18.9% of the whole city budget."
    )
    assert text[1].startswith("That is $371.70 per resident (564,559 residents")
    assert (
        text[2]
        == "The police budget was up $12,707,000 (6.4%) on the year before in the same source."
    )


def test_classification_rules_against_the_profiles(budgets: Store) -> None:
    df = review(budgets)
    # The rules agree with every function the profiles set, but one: Seattle's homelessness
    # outreach unit (15 sworn officers), which the rules call social services: a line to review.
    disagree = df[~df["agrees"]]
    assert disagree[["city", "program", "function", "rule_function"]].values.tolist() == [
        ["Seattle", "Homelessness Outreach", "police", "social_services"]
    ]
    assert len(df) == 1189  # distinct department / program / account texts per city
    dispatch = one(df, city="Seattle", program="Emergency Dispatch and 911 Communications Services")
    assert dispatch["rule"].startswith("functions.csv line 3: program ~")
    # Filling missing functions changes nothing here; overwriting moves that one line.
    assert classify_budget(budgets, "Seattle") == 0


def test_adopted_and_actual_kept_apart() -> None:
    with memory_store(threads=1) as s:
        result = ingest_file(
            s,
            real_data("police_budgets_us_cities_abc7_fy2019_2022", "adopted_adjusted_budgets.csv"),
            "us_cities_budgets_abc7",
        )
        # 47 rows of proposed, estimated or amended budgets go to quarantine with their reason.
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (255, 208, 47)
        df = budget_summary(s, cities=PILOT_CITIES)
    abq = df[(df["city"] == "Albuquerque") & (df["fiscal_year"] == 2019)].set_index("basis")
    assert abq.loc["adopted", "police"] == 197_141_000
    assert abq.loc["actual", "police"] == 202_053_000
    # Change runs within one basis: actual FY2020 against actual FY2019.
    assert (
        df[(df["city"] == "Albuquerque") & (df["basis"] == "actual")]["police_change"].tolist()[1]
        == 188_954_000 - 202_053_000
    )
    both = actual_vs_adopted(df).set_index(["city", "fiscal_year"])
    assert both.loc[("Albuquerque", 2019), "actual_minus_adopted"] == 4_912_000
    assert both.loc[("New Orleans", 2020), "actual_minus_adopted"] == 166_183_432 - 193_738_832
    assert "Stockton" not in both.index.get_level_values("city")  # adopted budgets only
