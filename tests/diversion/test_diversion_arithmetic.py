"""Diversion arithmetic on twelve hand-made calls whose every figure is worked out by hand below."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publicsafety.analysis.diversion import (
    erlang_c_wait_share,
    run_diversion,
    sentences,
    teams_needed,
    weekday_counts,
)
from publicsafety.analysis.scenario_files import Program, load_scenario
from publicsafety.engine import Store
from publicsafety.errors import StoreError

SCENARIO = """
[scenario]
name = "Hand-checked"
city = "Testville"
agencies = ["police"]

[officer_cost]
loaded_hourly_cost = 85
source = "test value"

[[program]]
name = "Responder"
responder = "civilian"
categories = ["mental_health_welfare"]
days = ["mon", "tue", "wed", "thu", "fri"]
hours = [10, 18]
share = 0.5
exclude_priorities = ["1"]
exclude_keywords = ["weapon"]
minutes_per_call = 30
officer_time_retained = 0.1
cost_per_call = 50
cost_per_team_hour = 70

[program.staffing]
method = "utilisation"
max_utilisation = 0.5

[[program]]
name = "311"
responder = "non_emergency"
call_types = ["NOISE"]
share = 1.0
"""

# received_at, call_type, category, priority, origin, officer_minutes, what happens
CALLS = [
    ("2024-01-01 10:30", "WELFARE CHECK", "mental_health_welfare", "2", "community", 60, "A"),
    ("2024-01-01 11:15", "WELFARE CHECK", "mental_health_welfare", "2", "community", 30, "A"),
    ("2024-01-02 09:59", "WELFARE CHECK", "mental_health_welfare", "2", "community", 45, "early"),
    ("2024-01-03 12:00", "WELFARE CHECK", "mental_health_welfare", "1", "community", 45, "prio 1"),
    (
        "2024-01-04 13:00",
        "MENTAL SUBJECT WITH WEAPON",
        "mental_health_welfare",
        "2",
        "community",
        45,
        "weapon",
    ),
    ("2024-01-06 12:00", "WELFARE CHECK", "mental_health_welfare", "2", "community", 45, "Sat"),
    ("2024-01-05 17:59", "WELFARE CHECK", "mental_health_welfare", "2", "officer", 45, "officer"),
    ("2024-01-08 10:00", "WELFARE CHECK", "mental_health_welfare", "2", "community", None, "A"),
    ("2024-01-14 23:00", "NOISE", "disorder", "3", "community", 20, "B"),
    ("2024-01-01 00:05", "NOISE", "disorder", "3", "community", 40, "B"),
    ("2024-01-10 15:00", "NOISE", "mental_health_welfare", "3", "community", 10, "A first"),
    ("2024-01-02 14:00", "BURGLARY", "property_crime", "2", "community", 90, "none"),
]


def insert_calls(store: Store, city: str = "Testville") -> None:
    for i, (at, ctype, cat, prio, origin, minutes, _) in enumerate(CALLS, start=1):
        store.con.execute(
            "INSERT INTO calls (city, row_id, call_id, received_at, call_type, category, "
            "priority, origin, officer_minutes, agency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [city, i, f"C{i}", at, ctype, cat, prio, origin, minutes, "police"],
        )


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "hand.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_counts_hours_and_costs_by_hand(store: Store, scenario_file: Path) -> None:
    insert_calls(store)
    r = run_diversion(store, load_scenario(scenario_file))
    assert (r.start, r.end, r.days) == (date(2024, 1, 1), date(2024, 1, 14), 14)
    assert (r.calls, r.community_calls) == (12, 11)
    a, b = (row._asdict() for row in r.programs.itertuples(index=False))
    # Responder: 8 community welfare calls; 2 outside hours (Tue 09:59, Saturday), 2 disqualified
    # (priority 1, "WEAPON"), 4 eligible (the NOISE call of category mental_health_welfare goes
    # to the first program), 3 of them timed: 60 + 30 + 10 = 100 minutes.
    assert (a["matching_calls"], a["outside_hours"], a["disqualified"]) == (8, 2, 2)
    assert (a["eligible_calls"], a["eligible_calls_timed"]) == (4, 3)
    assert a["calls_moved"] == 2.0
    assert a["officer_hours_moved"] == pytest.approx(100 / 60 * 0.5)
    assert a["officer_hours_freed"] == pytest.approx(100 / 60 * 0.5 * 0.9)
    assert a["value_of_officer_time_freed"] == pytest.approx(0.75 * 85)
    assert a["share_of_all_calls"] == pytest.approx(2 / 12)
    assert a["share_of_community_calls"] == pytest.approx(2 / 11)
    assert a["cost_per_call_basis"] == pytest.approx(2 * 50)
    # One team on each weekday hour 10-17: the day shift (8-16) is on 6 hours, the evening
    # shift (16-24) 2 hours: 8 team-hours a weekday, 40 a week, 80 in two weeks at $70.
    assert a["team_hours_per_week"] == 40
    assert a["cost_staffed_basis"] == pytest.approx(80 * 70)
    assert a["calls_moved_per_year"] == pytest.approx(2 * 365.25 / 14)
    # 311: three NOISE calls match, the one taken by the responder is not counted again.
    assert (b["matching_calls"], b["eligible_calls"], b["calls_moved"]) == (3, 2, 2.0)
    assert b["officer_hours_freed"] == pytest.approx(1.0)
    assert b["team_hours_per_week"] == 0 and math.isnan(b["cost_staffed_basis"])


def test_staffing_table_and_hour_of_week(store: Store, scenario_file: Path) -> None:
    insert_calls(store)
    r = run_diversion(store, load_scenario(scenario_file))
    s = r.staffing
    assert set(s["program"]) == {"Responder"}  # 311 needs no team on the street
    monday = s[s["day"] == "mon"].set_index("shift")
    assert monday.loc["day", "hours_on_duty"] == 6 and monday.loc["evening", "hours_on_duty"] == 2
    assert monday.loc["night", "teams"] == 0
    assert monday.loc["day", "teams"] == 1 and monday.loc["day", "responders"] == 2
    # Monday 10:00 had two eligible calls in two Mondays: 2 x 0.5 / 2 = 0.5 calls an hour.
    assert monday.loc["day", "busiest_hour_calls"] == pytest.approx(0.5)
    assert s[s["day"] == "sat"]["teams"].sum() == 0
    how = r.hour_of_week
    assert how[how["program"] == "Responder"][["dow", "hour", "calls"]].values.tolist() == [
        [1, 10, 2],
        [1, 11, 1],
        [3, 15, 1],
    ]


def test_assumptions_and_sentences(store: Store, scenario_file: Path) -> None:
    insert_calls(store)
    r = run_diversion(store, load_scenario(scenario_file))
    text = " ".join(r.assumptions["Responder"])
    assert "Takes 50% of eligible calls" in text and "mon, tue, wed, thu, fri, 10:00-18:00" in text
    assert "priority 1; call types naming weapon" in text
    assert "$85.00 an officer-hour (test value)" in text
    assert any("16,479 of 109,855" in n for n in r.notes)
    first = sentences(r)[0]
    assert first.startswith("Responder: about 52 calls a year (16.7% of all calls)")
    assert "up to 1 team(s)" in first and "$2,609 a year at the cost per call" in first


def test_other_city_and_unclassified_refused(store: Store, scenario_file: Path) -> None:
    insert_calls(store)
    with pytest.raises(StoreError, match="no calls in scope"):
        run_diversion(store, load_scenario(scenario_file), city="Elsewhere")
    store.con.execute("UPDATE calls SET category = NULL")
    with pytest.raises(StoreError, match="not classified"):
        run_diversion(store, load_scenario(scenario_file))


def test_erlang_c_by_hand() -> None:
    # Erlang C with 3 servers and 2 erlangs of load is 4/9 (textbook value).
    assert erlang_c_wait_share(3, 2.0) == pytest.approx(4 / 9)
    assert erlang_c_wait_share(2, 2.0) == 1.0 and erlang_c_wait_share(1, 0.0) == 0.0
    p = Program(name="x", responder="civilian", share=1.0, categories=("medical",))
    # 4 calls an hour of 30 minutes: 3 teams leave 4/9 x e^(-1/3) = 31.8% waiting over 10
    # minutes (short of 80% answered); 4 teams leave 8.9%.
    late3 = 4 / 9 * math.exp(-10 / 30)
    assert 1 - late3 < 0.8
    assert teams_needed(4.0, 30.0, p) == 4
    assert teams_needed(0.0, 30.0, p) == 1


def test_weekday_counts() -> None:
    assert weekday_counts(date(2024, 1, 1), date(2024, 1, 14)) == [2] * 7
    # Wednesday 2024-01-03 to Monday 2024-01-08: one of each from Wednesday to Sunday, one Monday.
    assert weekday_counts(date(2024, 1, 3), date(2024, 1, 8)) == [1, 0, 1, 1, 1, 1, 1]


def test_priority_screen_that_matches_nothing_is_named(store: Store, scenario_file: Path) -> None:
    insert_calls(store)
    store.con.execute("UPDATE calls SET priority = 'P' || priority")  # codes like P1, P2, P3
    r = run_diversion(store, load_scenario(scenario_file))
    assert r.programs.loc[0, "disqualified"] == 1  # only the weapon call is screened out now
    note = r.notes[-1]
    assert note.startswith("No call has priority 1, so that screen removes nothing here")
    assert "commonest priorities are P2, P3, P1" in note


@settings(max_examples=200, deadline=None)
@given(
    rate=st.floats(0.0, 40.0),
    more=st.floats(0.0, 10.0),
    minutes=st.floats(5.0, 120.0),
)
def test_teams_grow_with_demand_and_meet_the_target(
    rate: float, more: float, minutes: float
) -> None:
    p = Program(name="x", responder="civilian", share=1.0, categories=("medical",))
    teams = teams_needed(rate, minutes, p)
    assert teams_needed(rate + more, minutes, p) >= teams
    load = rate * minutes / 60
    assert teams > load or rate == 0  # fewer teams than the load can never keep up
    late = erlang_c_wait_share(teams, load) * math.exp(-(teams - load) * 10 / minutes)
    assert 1 - late >= 0.8
    if teams > 1:  # and one team fewer would miss the target
        fewer = teams - 1
        late = erlang_c_wait_share(fewer, load) * math.exp(-(fewer - load) * 10 / minutes)
        assert fewer <= load or 1 - late < 0.8
