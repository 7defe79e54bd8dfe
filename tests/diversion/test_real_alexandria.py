"""Diversion and change over time on the Alexandria CAD export (every timestamp, an officer-
initiated flag; SOURCE.md: police capture is complete from 2025-10-05, weeks 41-52)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from publicsafety.analysis.change import ChangeSpec, interrupted_time_series, sentences
from publicsafety.analysis.diversion import run_diversion
from publicsafety.analysis.scenario_files import load_scenario
from publicsafety.engine import Store, memory_store
from publicsafety.ingest import ingest_file
from publicsafety.taxonomy import classify
from tests.conftest import real_data

pytestmark = pytest.mark.real_data

COMPLETE = date(2025, 10, 5)  # first day of week 41


@pytest.fixture(scope="module")
def alexandria() -> Iterator[Store]:
    store = memory_store(threads=1)
    path = real_data("alexandria_va_cad_2025_aug_dec", "alexandria_va_cad_2025w35_w52.csv.gz")
    assert ingest_file(store, path, "alexandria_calls").rows_loaded == 28646
    classify(store, "Alexandria")
    yield store
    store.close()


def test_worked_example_on_weeks_41_to_52(alexandria: Store) -> None:
    r = run_diversion(
        alexandria, load_scenario("community_responder.toml"), "Alexandria", since=COMPLETE
    )
    assert (r.start, r.end, r.days) == (COMPLETE, date(2025, 12, 27), 84)
    assert (r.calls, r.community_calls) == (14384, 10277)  # police calls only
    a, b = r.programs.to_dict("records")
    # 472 community mental-health/welfare, trespass, intoxication and panhandling calls; 314
    # outside weekdays 10-18; 22 priority 1 or naming a weapon; 136 eligible, half moved.
    assert (a["matching_calls"], a["outside_hours"], a["disqualified"]) == (472, 314, 22)
    assert (a["eligible_calls"], a["eligible_calls_timed"], a["calls_moved"]) == (136, 120, 68)
    assert a["officer_hours_moved"] == pytest.approx(208.151, abs=0.001)
    assert a["officer_hours_freed"] == pytest.approx(208.151 * 0.99, abs=0.001)
    # Demand is under one call an hour: Erlang C keeps one team on each of the 40 weekday
    # hours; 12 weeks x 40 team-hours x $70.53 and 68 calls x $49.80.
    assert a["team_hours_per_week"] == 40 and a["peak_teams"] == 1
    assert a["cost_staffed_basis"] == pytest.approx(12 * 40 * 70.53)
    assert a["cost_per_call_basis"] == pytest.approx(68 * 49.80)
    assert (b["eligible_calls"], b["eligible_calls_timed"], b["calls_moved"]) == (3056, 2930, 1528)
    assert b["officer_hours_moved"] == pytest.approx(1798.035, abs=0.001)
    assert b["share_of_all_calls"] == pytest.approx(1528 / 14384)


def test_capture_change_of_2025_10_05_found(alexandria: Store) -> None:
    """SOURCE.md: TRAFFIC STOP events went from 30 to 156 a week when the export began to take in
    officer-initiated activity. The series reproduces both and the step is found; the size of
    the step is larger than the ratio of means because the fit extrapolates each trend."""
    spec = ChangeSpec(
        "Alexandria", COMPLETE, call_types=("TRAFFIC STOP",), agencies=("police",), freq="day"
    )
    r = interrupted_time_series(alexandria, spec)
    calls = r.estimates.set_index("measure").loc["calls"]
    assert (calls["periods_before"], calls["periods_after"]) == (42, 84)
    assert calls["before_mean"] * 7 == pytest.approx(29.83, abs=0.01)
    assert calls["after_mean"] * 7 == pytest.approx(156.08, abs=0.01)
    assert calls["level_change"] == pytest.approx(9.91, abs=0.01)
    assert calls["level_low"] > 5
    # Traffic stops are started by officers: no community response times to model.
    assert "median_response_minutes" not in set(r.estimates["measure"])
    assert any("Not modelled: median_response_minutes" in n for n in r.notes)


def test_ems_steady_all_period_shows_no_change(alexandria: Store) -> None:
    """SOURCE.md: EMS calls are steady at about 53 a day all period; the same test on them
    finds no change in calls or unit hours (intervals include none)."""
    spec = ChangeSpec("Alexandria", COMPLETE, agencies=("ems",), freq="day")
    r = interrupted_time_series(alexandria, spec)
    est = r.estimates.set_index("measure")
    assert est.loc["calls", "before_mean"] == pytest.approx(52.81, abs=0.01)
    assert est.loc["calls", "level_low"] < 1 < est.loc["calls", "level_high"]
    assert est.loc["officer_hours", "level_low"] < 0 < est.loc["officer_hours", "level_high"]
    assert sentences(r)[0].startswith("Calls per day changed by -7% at the start")
    assert "the data do not show one" in sentences(r)[0]


def test_cahoots_example_all_hours(alexandria: Store) -> None:
    r = run_diversion(
        alexandria, load_scenario("cahoots_all_hours.toml"), "Alexandria", since=COMPLETE
    )
    civ, co = r.programs.to_dict("records")
    # What the Alexandria taxonomy map sends to a civilian responder, less weapon words.
    assert (civ["matching_calls"], civ["disqualified"], civ["eligible_calls"]) == (1369, 40, 1329)
    assert civ["calls_moved"] == pytest.approx(1329 * 0.6)
    assert civ["officer_hours_freed"] == pytest.approx(1008.924, abs=0.001)
    # The busiest hour of the week averages 1.1 calls: 1.1 x 28 / 60 = 0.51 team-hours, under
    # the 60% utilisation cap for one team, so one team around the clock (168 hours a week).
    staff = r.staffing[r.staffing["program"] == civ["program"]]
    assert staff["busiest_hour_calls"].max() == pytest.approx(1.1)
    assert civ["team_hours_per_week"] == 168 and civ["peak_teams"] == 1
    # The co-responder's officer still goes: calls move, officer time does not.
    assert co["calls_moved"] == 32.5 and co["officer_hours_freed"] == 0
