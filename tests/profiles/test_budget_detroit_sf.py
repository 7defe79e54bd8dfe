"""Detroit and San Francisco police budgets: spending categories as accounts, money with commas."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
FOLDER = "police_budgets_detroit_sf_2007_2021"


def by_year(store: Store) -> dict[int, tuple[int, float, float]]:
    rows = store.con.execute(
        "SELECT fiscal_year, count(*) FILTER (function = 'police'),"
        " sum(amount) FILTER (function = 'police'), sum(amount) FILTER (function = 'total')"
        " FROM budget GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return {y: (n, p, t) for y, n, p, t in rows}


def test_detroit(store: Store) -> None:
    result = ingest_file(store, real_data(FOLDER, "dt_pdbudget.csv"), "detroit_budget_categories")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (14, 14, 0)
    years = by_year(store)
    assert sorted(years) == list(range(2008, 2022))
    # 2007/8: seven categories add up to the department budget of 455,543,873.
    assert years[2008] == (7, 455_543_873, 3_112_141_866)
    assert years[2021] == (7, 328_711_027, 2_200_000_000)
    # 2013/14 has no categories in the file: only the city total is there.
    assert years[2014] == (0, None, 2_564_480_780)
    salaries = store.con.execute(
        "SELECT amount FROM budget WHERE fiscal_year = 2008 AND account = 'Salaries'"
    ).fetchone()
    assert salaries == (218_461_385,)
    assert store.count("budget") == 13 * 8 + 1


def test_san_francisco(store: Store) -> None:
    result = ingest_file(
        store, real_data(FOLDER, "sf_pdbudget.csv"), "san_francisco_budget_categories"
    )
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (14, 14, 0)
    years = by_year(store)
    assert years[2008] == (7, 406_970_908, 6_079_785_411)
    assert years[2021] == (7, 738_548_384, 11_957_452_556)
    accounts = store.con.execute(
        "SELECT account, amount FROM budget WHERE fiscal_year = 2008 AND function = 'police'"
        " ORDER BY amount DESC LIMIT 2"
    ).fetchall()
    assert accounts == [("Salaries", 282_014_291), ("Fringe benefits", 49_454_135)]
    assert store.con.execute("SELECT DISTINCT city, basis FROM budget").fetchall() == [
        ("San Francisco", "adopted")
    ]
