"""Reallocation arithmetic on four hand-made calls, two budget lines and four tracts; every
figure is worked out by hand in the comments."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from publicsafety.analysis.budget.classify import classify_budget, review
from publicsafety.analysis.budget.reallocation import run_reallocation, sentences
from publicsafety.analysis.budget.scenario_file import load_reallocation
from publicsafety.analysis.budget.targeting import target_areas
from publicsafety.engine import Store
from publicsafety.errors import ScenarioError, StoreError

DIVERSION = """
[scenario]
name = "One responder"

[officer_cost]
loaded_hourly_cost = 1
source = "replaced by the reallocation file"

[[program]]
name = "Responder"
responder = "civilian"
categories = ["mental_health_welfare"]
share = 1.0
minutes_per_call = 30
cost_per_call = 50

[program.staffing]
method = "utilisation"
max_utilisation = 0.5
"""

REALLOCATION = """
[reallocation]
name = "Hand-checked"
city = "Testville"
fiscal_year = 2024
diversion = "diversion.toml"

[officer_cost]
hours_per_officer = 2080
source = "test budget"

[move]
basis = "officer_time_freed"

[basic_income]
monthly_amount = 500
recipients = 7
months = 24
admin_cost_share = 0.1
areas = 2
"""

# received_at, call_type, category, officer_minutes: one week, Monday 1 to Sunday 7 January
CALLS = [
    ("2024-01-01 10:30", "WELFARE CHECK", "mental_health_welfare", 60),
    ("2024-01-02 11:00", "WELFARE CHECK", "mental_health_welfare", 30),
    ("2024-01-03 12:00", "BURGLARY", "property_crime", 90),
    ("2024-01-07 23:00", "NOISE", "disorder", 20),
]
# area, residents, below poverty: rates 30%, 20%, 40%, 5%
TRACTS = [("A", 1000, 300), ("B", 2000, 400), ("C", 500, 200), ("D", 1000, 50)]
PER_YEAR = 365.25 / 7


def fill(store: Store) -> None:
    for i, (at, ctype, cat, minutes) in enumerate(CALLS, start=1):
        store.con.execute(
            "INSERT INTO calls (city, row_id, call_id, received_at, call_type, category, "
            "priority, origin, officer_minutes, agency) VALUES (?, ?, ?, ?, ?, ?, '2', "
            "'community', ?, 'police')",
            ["Testville", i, f"C{i}", at, ctype, cat, minutes],
        )
    # Police: $10,400,000 and 50 sworn: 10,400,000 / (50 x 2,080) = $100 an officer-hour.
    store.con.execute(
        "INSERT INTO budget (city, row_id, fiscal_year, department, program, fund, amount, "
        "basis, function, sworn_fte) VALUES "
        "('Testville', 1, 2024, 'Police Department', 'Patrol', 'General Fund', 10400000, "
        "'adopted', 'police', 50), "
        "('Testville', 2, 2024, 'Parks', 'Recreation Centers', 'General Fund', 600000, "
        "'adopted', NULL, NULL)"
    )
    for i, (area, total, below) in enumerate(TRACTS):
        for dim, group, n in (("total", "total", total), ("poverty", "below_poverty", below)):
            store.con.execute(
                'INSERT INTO population (city, row_id, area_set, area_id, dimension, "group", '
                "count) VALUES ('Testville', ?, 'tracts', ?, ?, ?, ?)",
                [i * 2 + (dim == "poverty"), area, dim, group, n],
            )


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    (tmp_path / "diversion.toml").write_text(DIVERSION, encoding="utf-8")
    path = tmp_path / "realloc.toml"
    path.write_text(REALLOCATION, encoding="utf-8")
    return path


def test_money_moved_alternatives_and_net_by_hand(store: Store, scenario: Path) -> None:
    fill(store)
    r = run_reallocation(store, load_reallocation(scenario))
    assert (r.police_budget, r.fiscal_year) == (10_400_000, 2024)
    assert r.officer_cost is not None and r.officer_cost.hourly == 100
    p = r.programs.iloc[0]
    # Two welfare calls in 7 days, 60 + 30 = 90 minutes: 1.5 officer-hours a week.
    assert p["calls_moved_per_year"] == pytest.approx(2 * PER_YEAR)
    assert p["officer_hours_freed_per_year"] == pytest.approx(1.5 * PER_YEAR)
    # Freed time at the derived $100 an hour, not the $1 of the diversion file.
    assert p["value_of_officer_time_freed_per_year"] == pytest.approx(150 * PER_YEAR)
    # No staffed cost given: $50 a call.
    assert p["cost_basis"] == "cost per call"
    assert p["alternative_cost_per_year"] == pytest.approx(100 * PER_YEAR)
    assert p["positions"] == pytest.approx(p["team_hours_per_week"] * 2 / 40)
    # Basic income: 500 x 7 x 24 x 1.1 = 92,400 in all; a year is 500 x 7 x 12 x 1.1 = 46,200.
    t = r.totals
    assert t["basic_income_total"] == pytest.approx(92_400)
    assert t["basic_income_per_year"] == pytest.approx(46_200)
    assert t["money_moved"] == pytest.approx(150 * PER_YEAR)  # 7,826.79
    assert t["police_budget_after"] == pytest.approx(10_400_000 - 150 * PER_YEAR)
    assert t["officer_positions_freed"] == pytest.approx(1.5 * PER_YEAR / 2080)
    assert t["alternatives_cost"] == pytest.approx(100 * PER_YEAR)
    # Net: 5,217.86 + 46,200 - 7,826.79 = 43,591.07 more spent a year.
    assert t["net_change"] == pytest.approx(100 * PER_YEAR + 46_200 - 150 * PER_YEAR)
    assert round(t["net_change"], 2) == 43_591.07
    # Areas: C (40%) and A (30%); 7 recipients by residents below poverty 200 : 300 gives
    # quotas 2.8 and 4.2, rounded down to 2 and 4; the one left goes to C (remainder .8).
    assert r.areas[["area_id", "poverty_rate", "recipients"]].values.tolist() == [
        ["C", 0.4, 3],
        ["A", 0.3, 4],
    ]
    items = dict(zip(r.lines["item"], r.lines["assumption"], strict=True))
    assert items["Loaded cost of an officer-hour"].startswith(
        "$10,400,000 police budget / (50.0 sworn positions x 2,080 paid hours a year) = $100.00"
    )
    assert "the 2 tracts ranked highest by poverty rate" in items["Basic income: whole program"]
    assert all(r.lines["assumption"].str.len() > 10)  # every figure says what it rests on
    text = sentences(r)
    assert text[0] == (
        "Testville: the scenario moves $7,827 a year out of a $10,400,000 police budget "
        "(0.08%; source not recorded, fiscal year 2024)."
    )
    assert text[-1] == "In all the city would spend $43,591 a year more than today."


def test_share_of_police_with_given_budget_and_cost(store: Store, tmp_path: Path) -> None:
    fill(store)
    path = tmp_path / "share.toml"
    path.write_text(
        """
[reallocation]
name = "Five percent"
city = "Testville"
police_budget = 2000000

[officer_cost]
loaded_hourly_cost = 85
source = "payroll"

[move]
basis = "share_of_police"
share = 0.05

[basic_income]
areas = 0
""",
        encoding="utf-8",
    )
    r = run_reallocation(store, load_reallocation(path))
    t = r.totals
    # SEED defaults: 500 x 125 x 24 = 1,500,000; a year 750,000. Moved: 5% of 2,000,000.
    assert (t["basic_income_total"], t["basic_income_per_year"]) == (1_500_000, 750_000)
    assert t["money_moved"] == 100_000 and t["police_budget_after"] == 1_900_000
    assert t["net_change"] == 650_000
    assert r.areas.empty and r.diversion is None
    assert r.police_budget_source == "given in the scenario file"
    assert (
        "Stockton SEED"
        in dict(zip(r.lines["item"], r.lines["assumption"], strict=True))[
            "Basic income: whole program"
        ]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[reallocation]\nname = 'x'\ncolour = 1\n", "unknown key 'colour'"),
        ("[reallocation]\nname = 'x'\n[move]\nbasis = 'amount'\n", "basis amount needs amount"),
        ("[reallocation]\nname = 'x'\n[move]\nbasis = 'officer_time_freed'\n", "needs a diversion"),
        ("[reallocation]\nname = 'x'\n[basic_income]\nmonths = 0\n", "0 is out of range"),
        ("[reallocation]\nname = 'x'\n[basic_income]\nrecipients = '5'\n", "wrong type"),
        ("[budget]\n", "no [reallocation] table"),
    ],
)
def test_file_mistakes_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_reallocation(path)


def test_missing_budget_and_areas_are_explained(store: Store, scenario: Path) -> None:
    with pytest.raises(StoreError, match="no police budget for Testville in fiscal year 2024"):
        run_reallocation(store, load_reallocation(scenario))
    s = load_reallocation(scenario)
    assert s.basic_income is not None
    with pytest.raises(StoreError, match="no areas of Testville"):
        target_areas(store, "Testville", s.basic_income)


def test_classify_fills_missing_functions(store: Store) -> None:
    fill(store)
    assert classify_budget(store, "Testville") == 1  # the parks line had no function
    df = review(store, "Testville")
    assert df.set_index("program")["function"].to_dict() == {
        "Patrol": "police",
        "Recreation Centers": "parks",
    }


def test_without_boundaries_areas_rank_by_poverty(store: Store, scenario: Path) -> None:
    fill(store)
    s = load_reallocation(scenario)
    assert s.basic_income is not None and s.basic_income.rank_by == "auto"
    # No polygons for Testville's tracts: the places analysis cannot rank them, poverty does.
    assert target_areas(store, "Testville", s.basic_income)["ranked_by"].unique().tolist() == [
        "poverty rate"
    ]
    strict = dataclasses.replace(s.basic_income, rank_by="investment_index")
    with pytest.raises(StoreError, match="no investment index for Testville tracts"):
        target_areas(store, "Testville", strict)
