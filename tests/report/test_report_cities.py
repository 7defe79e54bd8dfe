"""The report on real cities from their real files: New Orleans (calls subset, SOPP stops,
incidents subset, zones, tracts, neighbourhoods with population) and Minneapolis (stops, use of
force, neighbourhoods with demographics). Figures are checked against the real files' counts,
sections without data say what would fill them, and no small count is published."""

from __future__ import annotations

import pytest
from tests.report.cities import load_city
from tests.report.report_checks import small_counts, tables
from typer.testing import CliRunner

from publicsafety.cli import app

pytestmark = pytest.mark.real_data


def _report(tmp_path_factory: pytest.TempPathFactory, city: str) -> str:
    ws = load_city(tmp_path_factory.mktemp("city") / "workspace", city)
    result = CliRunner().invoke(app, ["report", "--city", city, "-w", str(ws), "--format", "html"])
    assert result.exit_code == 0, result.output
    slug = city.lower().replace(" ", "_")
    return (ws / "outputs" / slug / "report" / "report.html").read_text("utf-8")


@pytest.fixture(scope="module")
def new_orleans(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _report(tmp_path_factory, "New Orleans")


@pytest.fixture(scope="module")
def minneapolis(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _report(tmp_path_factory, "Minneapolis")


def test_new_orleans_counts_from_the_real_files(new_orleans: str) -> None:
    # 7,203 calls kept of the RTCC subset, 395,457 SOPP stops, 7,174 reports.
    assert (
        "This report draws on 7,203 calls for service, 395,457 stops, and 7,174 reported crimes."
        in new_orleans
    )
    coverage = next(rows for headers, rows in tables(new_orleans) if "first day" in headers)
    assert ["stops", "395,457", "2011-07-01", "2018-07-18", "0"] in coverage
    # The reports subset carries no dates at all: the quality section says so rather than hiding it.
    assert ["incidents", "7,174", "no dates", "no dates", "7,174"] in coverage


def test_new_orleans_sections(new_orleans: str) -> None:
    for title in ("Service demand", "Officer-initiated activity", "Places", "Disparities"):
        assert f"There is no {title.lower()} analysis" not in new_orleans
    assert "Calls from the community per 1,000 residents, New Orleans" in new_orleans
    # SOPP stops name only the zone letter: city_options.toml merges zones by letter for them.
    assert "Stops per 1,000 residents, New Orleans police zones (by letter)" in new_orleans
    # No budget file was loaded for New Orleans.
    assert "There is no budget and scenarios analysis for New Orleans yet" in new_orleans


def test_minneapolis_without_calls_says_what_would_fill_the_gaps(minneapolis: str) -> None:
    assert "This report draws on 51,920 stops and 12,925 uses of force." in minneapolis
    assert (
        "There is no service demand analysis for Minneapolis yet. It needs a calls-for-service"
        in minneapolis
    )
    assert (
        "Black people were stopped 5.4 times as often as White people, per resident" in minneapolis
    )
    assert "Stops per 1,000 residents, Minneapolis" in minneapolis


def test_no_small_count_in_either_report(new_orleans: str, minneapolis: str) -> None:
    assert small_counts(new_orleans) == []
    assert small_counts(minneapolis) == []
    # Suppression is at work: hidden cells are marked, not left blank.
    assert '<td class="num">suppressed</td>' in new_orleans
