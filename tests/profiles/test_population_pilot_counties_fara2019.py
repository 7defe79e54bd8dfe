"""Five pilot-city counties, USDA FARA 2019: each row's city comes from its county."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "pilot_cities_population_tracts_fara2019"
FILE = ("pilot_counties_tract_pop_poverty_fara2019", "pilot_county_tracts_fara2019.csv")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (966, 966, 0)
    return store


def test_tracts_and_population_per_city(loaded: Store) -> None:
    rows = loaded.con.execute(
        'SELECT city, count(DISTINCT area_id), sum("count") FROM population'
        " WHERE dimension = 'total' GROUP BY city ORDER BY city"
    ).fetchall()
    # SOURCE.md's table of counties, tracts and 2010 population.
    assert rows == [
        ("Albuquerque", 153, 662_564),
        ("Baltimore", 200, 620_961),
        ("Minneapolis", 299, 1_152_425),
        ("New Orleans", 175, 343_829),
        ("Stockton", 139, 685_306),
    ]


def test_poverty_is_rate_times_population(loaded: Store) -> None:
    first = loaded.con.execute(
        'SELECT city, "count", year, source FROM population'
        " WHERE area_id = '06077000100' AND dimension = 'poverty'"
    ).fetchone()
    # geoid 06077000100: 51.7% of 3,863 residents.
    assert first[0] == "Stockton"
    assert first[1] == pytest.approx(0.517 * 3863)
    assert first[2:] == (
        2018,
        "USDA FARA 2019: ACS 2014-2018 poverty rate x 2010 Census population",
    )
    orleans = loaded.con.execute(
        'SELECT round(sum("count"), 3) FROM population'
        " WHERE city = 'New Orleans' AND dimension = 'poverty'"
    ).fetchone()
    assert orleans == (83_686.063,)
    assert loaded.count("population") == 966 * 2
