"""Sample City hits its published calibration targets within the stated tolerances (targets.py)."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import openpyxl
import pytest

from publicsafety.sample_city import DEFAULT_CALLS, DEFAULT_SEED, generate
from publicsafety.sample_city import targets as T
from publicsafety.sample_city.measure import measure, quirks
from tests.conftest import real_data


@pytest.fixture(scope="module", params=[DEFAULT_SEED, 7])
def city(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, float]:
    started = time.perf_counter()
    raw = generate(
        tmp_path_factory.mktemp("city") / "raw", seed=request.param, n_calls=DEFAULT_CALLS
    ).raw_dir
    return raw, time.perf_counter() - started


@pytest.fixture(scope="module")
def achieved(city: tuple[Path, float]) -> dict[str, float]:
    return measure(city[0])


@pytest.mark.parametrize("target", T.TARGETS, ids=lambda t: t.key)
def test_target_is_met(target: T.Target, achieved: dict[str, float]) -> None:
    got = achieved[target.key]
    assert target.holds(got), f"{target.what}: {got:.4f}, want {target.value} ± {target.tolerance}"


def test_generation_of_a_default_year_is_fast(city: tuple[Path, float]) -> None:
    # About 2 s on one free core; the bound leaves room for a busy shared machine.
    assert city[1] < 30


def test_quirks_are_planted_at_the_nopd_rates(city: tuple[Path, float]) -> None:
    q = quirks(city[0])
    n = q["rows"]
    assert n == DEFAULT_CALLS
    assert q["duplicate"] == round(T.DUPLICATE_SHARE * n) == 6_918
    assert q["void"] == round(T.VOID_SHARE * n) == 10_194
    assert q["test"] == round(T.TEST_SHARE * n) == 142
    assert q["dispatch_1900_sentinel"] == 300
    assert q["negative_duration"] == 600
    assert q["over_24_hours"] >= 900  # the planted ones, plus any long call that ran past a day
    assert q["missing_location"] == 1_500
    assert q["missing_arrival"] >= 24_000


def test_targets_have_sources_and_plausible_tolerances() -> None:
    for t in T.TARGETS:
        assert t.source and t.kind in ("published", "measured", "design")
        assert 0 < t.tolerance < abs(t.value)


@pytest.mark.real_data
def test_officer_share_target_is_the_new_orleans_2014_2019_mean() -> None:
    path = real_data("vera_911_call_type_taxonomy", "CityOfficerInitiatedSummary.xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True)["New Orleans"]
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    year, share = head.index("year"), head.index("pecent_self_initaited")
    shares = [r[share] for r in rows[1:] if r[year] and 2014 <= int(r[year]) <= 2019]
    assert len(shares) == 6
    assert pytest.approx(sum(shares) / 600, abs=5e-5) == T.NOLA_OFFICER_SHARE_2014_2019


@pytest.mark.real_data
def test_hour_of_day_target_is_alexandria_police_peak_over_trough() -> None:
    path = real_data("alexandria_va_cad_2025_aug_dec", "alexandria_va_cad_2025w35_w52.csv.gz")
    hours = (
        duckdb.connect()
        .execute(
            f"""SELECT Hour::INT AS h, count(*) FROM read_csv('{path}', all_varchar = true)
            WHERE Agency = 'POLICE' AND WeekNo::INT >= 41 GROUP BY h ORDER BY h"""
        )
        .fetchall()
    )
    counts = [n for _, n in hours]
    assert len(counts) == 24
    assert (max(counts), min(counts), counts.index(min(counts))) == (928, 225, 5)
    assert pytest.approx(max(counts) / min(counts)) == T.PEAK_TROUGH_ALEXANDRIA


@pytest.mark.real_data
def test_poverty_target_is_the_pilot_counties_mean() -> None:
    path = real_data(
        "pilot_counties_tract_pop_poverty_fara2019", "pilot_county_tracts_fara2019.csv"
    )
    rates = (
        duckdb.connect()
        .execute(
            f"""SELECT county, sum(pop2010 * poverty_rate) / sum(pop2010) / 100 FROM read_csv('{path}')
            WHERE poverty_rate IS NOT NULL GROUP BY county ORDER BY county"""
        )
        .fetchall()
    )
    assert [c for c, _ in rates] == [
        "Baltimore city",
        "Bernalillo County",
        "Hennepin County",
        "Orleans Parish",
        "San Joaquin County",
    ]
    assert pytest.approx(sum(r for _, r in rates) / 5, abs=5e-6) == T.POVERTY_PILOT_COUNTIES
