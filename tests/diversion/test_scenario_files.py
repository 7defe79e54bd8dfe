"""Scenario files: the examples load and cite their sources; each mistake a user can make is
named with the file, the key and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from publicsafety.analysis.scenario_files import EXAMPLES_DIR, load_scenario
from publicsafety.errors import ScenarioError
from tests.diversion.test_diversion_arithmetic import SCENARIO


def test_examples_load_and_cite() -> None:
    files = sorted(EXAMPLES_DIR.glob("*.toml"))
    assert [f.name for f in files] == ["cahoots_all_hours.toml", "community_responder.toml"]
    for f in files:
        s = load_scenario(f.name)  # an example is found by its name alone
        assert s.path == f
        for p in s.programs:
            assert p.sources, f"{f.name}: {p.name} cites no source"
            if p.cost_per_call is not None:
                assert any("CAHOOTS" in src for src in p.sources)
    star = load_scenario("community_responder.toml").programs[0]
    assert (star.days, star.hours) == (("mon", "tue", "wed", "thu", "fri"), (10, 18))
    assert [sh.start for sh in star.staffing.shifts] == [6, 14, 22]
    # $820,586 / 16,479 calls and $798,000 / (31 van-hours x 365 days), to the cent.
    assert star.cost_per_call == round(820_586 / 16_479, 2)
    assert star.cost_per_team_hour == round(798_000 / (31 * 365), 2)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("share = 0.5", "share = 1.5", "column program[0].share: 1.5 is out of range"),
        ("share = 0.5\n", "", "column program[0].share: is missing"),
        ('responder = "civilian"', 'responder = "police"', "'police' cannot take calls"),
        ("hours = [10, 18]", "hours = [18, 10]", "[18, 10] is not an hour window"),
        ('days = ["mon"', 'days = ["monday"', "unknown value(s) 'monday'"),
        ('categories = ["mental_health_welfare"]', 'categories = ["mental"]', "'mental'"),
        ("minutes_per_call = 30", "minutes_per_cal = 30", "unknown key 'minutes_per_cal'"),
        ('method = "utilisation"', 'method = "erlang"', "'erlang' is not known"),
        ("loaded_hourly_cost = 85", "loaded_hourly_cost = true", "true is not a number"),
        ('categories = ["mental_health_welfare"]\n', "", "the program takes no calls"),
        (
            "max_utilisation = 0.5",
            'max_utilisation = 0.5\nshifts = [{name = "d", start = 0, hours = 12}]',
            "hour 12 does not",
        ),
        ("[officer_cost]", "[officer_costs]", "column officer_cost: is missing"),
        ('name = "311"', 'name = "Responder"', "two programs have the same name"),
        ("share = 1.0", "share = 1.0,", "not valid TOML"),
    ],
)
def test_mistakes_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in SCENARIO
    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert message in err.value.message
    assert err.value.message.startswith("mine.toml")
    assert "How to fix:" in err.value.message


def test_missing_file_lists_examples(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"community_responder\.toml"):
        load_scenario(tmp_path / "nope.toml")
