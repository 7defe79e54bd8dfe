"""Real News Network police budgets: xlsx first sheet, mixed-case city names, empty rows below."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "us_cities_budgets_realnews"
FILE = ("police_budgets_us_cities_realnews_2018_2022", "police_budgets_2018_2022.xlsx")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    # 467 cities; the 376 empty rows under the table are not records.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (467, 467, 0)
    return store


def test_pilot_cities_police_budgets(loaded: Store) -> None:
    def police(city: str) -> list[float]:
        rows = loaded.con.execute(
            "SELECT amount FROM budget WHERE city = ? AND function = 'police' ORDER BY fiscal_year",
            [city],
        ).fetchall()
        return [r[0] for r in rows]

    # SOURCE.md, p18 ... p22; "albuquerque" and "minneapolis" are lower case in the sheet.
    assert police("New Orleans") == [
        160_769_723,
        173_366_314,
        175_401_340,
        164_249_786,
        177_786_466,
    ]
    assert police("Baltimore") == [493_738_648, 491_823_576, 536_376_477, 527_963_783, 521_725_791]
    assert police("Minneapolis") == [
        173_668_000,
        179_195_000,
        188_298_000,
        160_591_310,
        187_579_596,
    ]
    assert police("Albuquerque") == [
        170_559_000,
        188_856_000,
        205_348_000,
        180_277_000,
        222_596_000,
    ]
    assert police("Stockton") == []


def test_lines_per_year_and_general_fund(loaded: Store) -> None:
    rows = loaded.con.execute(
        "SELECT fiscal_year, count(*) FILTER (function = 'police'),"
        " count(*) FILTER (function = 'total') FROM budget GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # Years a city left blank are not written.
    assert rows == [(2018, 452, 452), (2019, 463, 463), (2020, 467, 467), (2021, 465, 465),
                    (2022, 433, 433)]  # fmt: skip
    gf = loaded.con.execute(
        "SELECT amount, fund, department, source_line FROM budget"
        " WHERE city = 'Albuquerque' AND function = 'total' AND fiscal_year = 2022"
    ).fetchone()
    assert gf == (714_521_000, "General Fund", "General fund (all departments)", 315)
    names = loaded.con.execute(
        "SELECT count(*) FROM budget WHERE city <> upper(city[1]) || city[2:]"
    ).fetchone()
    assert names == (0,)  # every city name starts with a capital after the crosswalk
    assert loaded.count("budget", "city IN ('McAllen', 'Poughkeepsie', 'O''Fallon')") > 0
