"""The example reallocation files (the worked example of docs/budget.md) run on the real data:
New Orleans calls, the ABC7 police budgets and the USDA FARA tract poverty counts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import duckdb
import pytest

from publicsafety.analysis.budget.cost import cost_from_store, cost_of_service, cost_sentences
from publicsafety.analysis.budget.reallocation import run_reallocation, sentences
from publicsafety.analysis.budget.scenario_file import EXAMPLES_DIR, load_reallocation
from publicsafety.analysis.scope import Scope
from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from tests.conftest import ROOT, real_data
from tests.demand.real import load

pytestmark = pytest.mark.real_data

FARA = ("pilot_counties_tract_pop_poverty_fara2019", "pilot_county_tracts_fara2019.csv")


@pytest.fixture(scope="module")
def nola() -> Iterator[Store]:
    s = load("New Orleans")  # calls ingested, classified and timed
    ingest_file(
        s,
        real_data("police_budgets_us_cities_abc7_fy2019_2022", "adopted_budgets_only.csv"),
        "us_cities_budgets_abc7",
    )
    ingest_file(s, real_data(*FARA), "pilot_cities_population_tracts_fara2019")
    yield s
    s.close()


def top_poverty_tracts(county: str, n: int) -> list[str]:
    """The raw file's tracts with the highest poverty rate, read straight from the CSV."""
    rows = duckdb.sql(
        f"""SELECT geoid::VARCHAR FROM read_csv('{real_data(*FARA)}', all_varchar = true)
            WHERE county = '{county}' AND pop2010::DOUBLE > 0
            ORDER BY poverty_rate::DOUBLE DESC, geoid LIMIT {n}"""
    ).fetchall()
    return [r[0] for r in rows]


def test_new_orleans_worked_example(nola: Store) -> None:
    r = run_reallocation(nola, load_reallocation("new_orleans_reallocation.toml"))
    assert (r.police_budget, r.fiscal_year) == (217_546_610, 2022)
    assert r.officer_cost is not None
    assert r.officer_cost.hourly == pytest.approx(217_546_610 / (1000 * 2080))  # $104.59
    t = r.totals
    programs = r.programs.set_index("program")
    # The money moved is the freed officer time at the derived hourly cost, program by program.
    freed = programs["officer_hours_freed_per_year"]
    assert t["money_moved"] == pytest.approx((freed * r.officer_cost.hourly).sum())
    assert round(t["money_moved"]) == 115_144
    assert round(t["officer_hours_freed"]) == 1_101
    # The community responder is costed by its staffed shifts: 40 team-hours a week at $70.53.
    responder = programs.loc["Community responder"]
    assert responder["cost_basis"] == "staffed shifts"
    assert responder["team_hours_per_week"] == 40 and responder["positions"] == 2
    assert responder["alternative_cost_per_year"] == pytest.approx(40 * 70.53 * 365.25 / 7)
    assert programs.loc["Telephone and online reports (311)", "cost_basis"] == "no cost given"
    # SEED-sized basic income: 500 x 125 x 24 = 1.5 million; a year 750,000.
    assert (t["basic_income_total"], t["basic_income_per_year"]) == (1_500_000, 750_000)
    assert t["net_change"] == pytest.approx(
        responder["alternative_cost_per_year"] + 750_000 - t["money_moved"]
    )
    # Orleans Parish has no boundaries loaded here, so tracts rank by poverty rate; they are the
    # raw file's five poorest tracts and share the 125 recipients.
    assert r.areas["area_id"].tolist() == top_poverty_tracts("Orleans Parish", 5)
    assert r.areas["recipients"].tolist() == [31, 20, 37, 20, 17]
    assert r.areas["recipients"].sum() == 125
    assert sentences(r)[0] == (
        "New Orleans: the scenario moves $115,144 a year out of a $217,546,610 police budget "
        "(0.05%; us_cities_budgets_abc7, fiscal year 2022)."
    )


def test_new_orleans_cost_of_service(nola: Store) -> None:
    cost = cost_from_store(nola, "New Orleans", 2022, sworn_fte=1000)
    df = cost_of_service(nola, Scope("New Orleans", agencies=("police",)), cost)
    top = df.iloc[0]
    assert top["category"] == "violent_crime"
    assert (top["calls"], top["calls_with_officer_time"]) == (1852, 1835)
    assert top["officer_hours"] == pytest.approx(6133.8667, abs=1e-3)
    assert top["cost_per_year"] == pytest.approx(top["officer_hours_per_year"] * cost.hourly)
    assert df["share_of_cost"].sum() == pytest.approx(1.0)
    assert cost_sentences(df, cost, "New Orleans")[1] == (
        "Violent crime calls take about 6,872 officer-hours a year, costing about $718,780 "
        "(40% of the officer time on calls; $350 for each call with a recorded officer time)."
    )


def test_stockton_seed_example() -> None:
    from publicsafety.engine import memory_store

    with memory_store(threads=1) as s:
        ingest_file(
            s,
            real_data("police_budgets_us_cities_abc7_fy2019_2022", "adopted_budgets_only.csv"),
            "us_cities_budgets_abc7",
        )
        ingest_file(s, real_data(*FARA), "pilot_cities_population_tracts_fara2019")
        r = run_reallocation(s, load_reallocation("stockton_seed.toml"))
    t = r.totals
    assert r.police_budget == 130_394_165
    assert t["money_moved"] == 750_000
    assert t["share_of_police_moved"] == pytest.approx(750_000 / 130_394_165)  # 0.58%
    assert t["net_change"] == 0  # the move pays for a year of the program exactly
    assert r.areas["area_id"].tolist() == top_poverty_tracts("San Joaquin County", 5)
    assert r.areas["recipients"].sum() == 125


DOC = (ROOT / "docs" / "budget.md").read_text(encoding="utf-8")


def test_docs_worked_example_is_the_shipped_file() -> None:
    shipped = (EXAMPLES_DIR / "new_orleans_reallocation.toml").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", DOC, re.S)
    assert block is not None and block.group(1) == shipped


def test_docs_name_every_key() -> None:
    source = (EXAMPLES_DIR.parent / "scenario_file.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'\.(?:get|number|strings)\(\s*"([a-z_]+)"', source))
    assert len(keys) > 20
    missing = sorted(k for k in keys if f"| `{k}` |" not in DOC and f"[{k}]" not in DOC)
    assert not missing, f"keys not in docs/budget.md: {missing}"


def test_docs_results_match_a_fresh_run(nola: Store) -> None:
    r = run_reallocation(nola, load_reallocation("new_orleans_reallocation.toml"))
    for sentence in sentences(r):
        assert f"> {sentence}\n" in DOC
