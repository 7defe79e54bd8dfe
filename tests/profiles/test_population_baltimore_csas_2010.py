"""Baltimore CSAs, BNIA Vital Signs: only 2010 has counts; the city total row is not a CSA."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "baltimore_population_csas_2010"
FILE = ("baltimore_csa_vital_signs_2010_2018", "vital_signs_census_crime_wide.csv")
LATER_YEARS = "Vital Signs year other than 2010: population counts exist only for the 2010 census"
CITY_ROW = "whole-city total row, not a Community Statistical Area"


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    # 56 areas x 9 years; 55 CSAs of 2010 load, 8 later years x 56 and 2010's city row do not.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (504, 55, 449)
    assert result.quarantine_reasons == {LATER_YEARS: 448, CITY_ROW: 1}
    return store


def test_55_csas_add_up_to_the_city_less_the_jail(loaded: Store) -> None:
    got = {
        (d, g): (n, c)
        for d, g, n, c in loaded.con.execute(
            'SELECT dimension, "group", count(DISTINCT area_id), sum("count") FROM population'
            " GROUP BY ALL"
        ).fetchall()
    }
    # 620,961 city residents in 2010 less 5,237 in the detention block with no CSA row.
    assert got[("total", "total")] == (55, 615_724)
    assert got[("sex", "male")] == (55, 287_170)
    assert got[("sex", "female")] == (55, 328_554)
    assert len(got) == 12  # total, 2 sexes, 6 race groups, 3 age bands
    # Age shares x total: 0-17 is two rows per CSA (under 5, 5-17); 25-64 is not loaded.
    assert got[("age_band", "0-17")][0] == 55
    assert round(got[("age_band", "0-17")][1], 1) == 133_451.0
    assert round(got[("age_band", "18-24")][1], 1) == 76_902.0
    assert round(got[("age_band", "65+")][1], 4) == 72_776.2273
    assert loaded.count("population", "dimension = 'age_band'") == 55 * 4


def test_race_percentages_become_counts(loaded: Store) -> None:
    black = loaded.con.execute(
        "SELECT \"count\" FROM population WHERE area_id = 'Allendale/Irvington/S. Hilton'"
        " AND \"group\" = 'black'"
    ).fetchone()[0]
    assert black == pytest.approx(88.16673860763396 / 100 * 16217)
    # The six mutually exclusive race groups add back to each CSA's total.
    worst = loaded.con.execute(
        "SELECT max(abs(r - t)) FROM (SELECT area_id, sum(\"count\") FILTER (dimension = 'race')"
        " AS r, sum(\"count\") FILTER (dimension = 'total') AS t FROM population GROUP BY area_id)"
    ).fetchone()[0]
    assert worst < 1.0


def test_quarantine_keeps_the_excluded_rows_verbatim(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT source_line, column_name, value, raw LIKE 'Baltimore City,2010,%' FROM quarantine"
        " WHERE reason = ?",
        [CITY_ROW],
    ).fetchone()
    assert row == (11, "csa2010", "Baltimore City", True)
