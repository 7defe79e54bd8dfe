"""The check of a loaded full year against Vera's published New Orleans yearly totals and
officer-initiated shares. The real calls extract covers part of 2022 only, so the check runs on
a generated year holding exactly the published counts (and on one that is off)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publicsafety.analysis.officer_initiated import check_published_year, published_year
from publicsafety.engine import Store
from publicsafety.errors import InputError
from tests.conftest import real_data

pytestmark = pytest.mark.real_data


def summary() -> Path:
    return real_data("vera_911_call_type_taxonomy", "CityOfficerInitiatedSummary.xlsx")


def add_year(store: Store, city: str, year: int, officer: int, community: int) -> None:
    """Calls spread over the year (every origin known); officer-initiated first."""
    store.con.execute(
        f"""INSERT INTO calls (city, row_id, received_at, origin)
            SELECT '{city}', i, TIMESTAMP '{year}-01-01' + to_minutes(CAST(i % 525000 AS BIGINT)),
                   CASE WHEN i < {officer} THEN 'officer' ELSE 'community' END
            FROM range({officer + community}) t(i)"""
    )


def test_published_figures_read_from_the_file() -> None:
    pub = published_year(summary(), "New Orleans", 2014)
    assert pub["total"] == 447462 and pub["officer_initiated"] == 143863
    assert pub["share_officer_initiated"] == pytest.approx(0.32150887, abs=1e-8)
    assert published_year(summary(), "Seattle", 2018)["officer_initiated"] == 167453


def test_a_year_with_the_published_counts_matches(store: Store) -> None:
    add_year(store, "New Orleans", 2014, officer=143863, community=303599)
    add_year(store, "New Orleans", 2015, officer=10, community=10)  # another year: not counted
    df = check_published_year(store, "New Orleans", 2014, summary()).set_index("figure")
    assert df["within_tolerance"].all()
    assert df.loc["total", "ours"] == 447462 and df.loc["total", "difference"] == 0
    assert df.loc["share_officer_initiated", "difference"] == pytest.approx(0, abs=1e-12)


def test_a_year_that_is_off_is_flagged(store: Store) -> None:
    # A loader that lost the officer-initiated flag on 20,000 events.
    add_year(store, "New Orleans", 2018, officer=150570 - 20000, community=310304 + 20000)
    df = check_published_year(store, "New Orleans", 2018, summary()).set_index("figure")
    assert bool(df.loc["total", "within_tolerance"])
    assert not df.loc["officer_initiated", "within_tolerance"]
    assert df.loc["officer_initiated", "difference"] == -20000
    assert df.loc["share_officer_initiated", "difference"] == pytest.approx(-20000 / 460874)


def test_years_without_a_published_share_and_unknown_years(store: Store) -> None:
    add_year(store, "New Orleans", 2012, officer=0, community=505015)
    df = check_published_year(store, "New Orleans", 2012, summary()).set_index("figure")
    assert bool(df.loc["total", "within_tolerance"])
    assert not df.loc["officer_initiated", "within_tolerance"]  # nothing published to match
    with pytest.raises(InputError, match="published years: 2011"):
        published_year(summary(), "New Orleans", 2022)
    with pytest.raises(InputError, match="sheets in the file"):
        published_year(summary(), "Baltimore", 2018)
