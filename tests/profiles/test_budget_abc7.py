"""ABC7 police budgets: wide fiscal years melt to police and city-total lines; city from agency."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "us_cities_budgets_abc7"
FOLDER = "police_budgets_us_cities_abc7_fy2019_2022"
UNSIMPLIFIED = (
    "budget type not simplified to adopted or actual by the compilers"
    " (proposed, estimated, amended ...)"
)


def police(store: Store, city: str, basis: str = "adopted") -> list[float]:
    rows = store.con.execute(
        "SELECT amount FROM budget WHERE city = ? AND function = 'police' AND basis = ?"
        " ORDER BY fiscal_year",
        [city, basis],
    ).fetchall()
    return [r[0] for r in rows]


def test_adopted_budgets_of_the_five_pilot_cities(store: Store) -> None:
    result = ingest_file(store, real_data(FOLDER, "adopted_budgets_only.csv"), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (109, 109, 0)
    # SOURCE.md: adopted LEA budgets FY19 / FY20 / FY21 / FY22.
    assert police(store, "Albuquerque") == [197_141_000, 209_848_000, 184_480_000, 226_894_000]
    assert police(store, "Baltimore") == [509_618_142, 536_376_477, 527_963_783, 555_084_016]
    assert police(store, "Minneapolis") == [185_693_185, 193_256_931, 164_290_913, 193_104_690]
    assert police(store, "New Orleans") == [192_020_049, 193_738_832, 177_816_365, 217_546_610]
    assert police(store, "Stockton") == [130_394_165, 135_689_455, 143_500_433, 152_928_298]
    row = store.con.execute(
        "SELECT department, fiscal_year, basis, source_line FROM budget"
        " WHERE city = 'Albuquerque' AND function = 'police' ORDER BY fiscal_year LIMIT 1"
    ).fetchone()
    assert row == ("Albuquerque Police Department", 2019, "adopted", 2)


def test_every_agency_gets_a_city_and_na_years_are_skipped(store: Store) -> None:
    ingest_file(store, real_data(FOLDER, "adopted_budgets_only.csv"), PROFILE)
    lines = store.con.execute(
        "SELECT function, count(*), count(DISTINCT city) FROM budget GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    # 109 agencies x 4 years of police budgets; two agencies have NA city totals (8 lines).
    assert lines == [("police", 436, 109), ("total", 428, 107)]
    assert store.count("budget", "city = 'multiple'") == 0
    total = store.con.execute(
        "SELECT amount FROM budget WHERE city = 'Albuquerque' AND function = 'total'"
        " AND fiscal_year = 2019"
    ).fetchone()
    assert total == (997_710_000,)
    # Typos in agency names are fixed by the crosswalk; "3.29e+09"-style totals are numbers.
    assert store.count("budget", "city IN ('Corpus Christi', 'Tucson', 'Washington')") == 24
    assert store.count("budget", "city IN ('Corpus Cristi', 'Tuscon')") == 0


def test_adjusted_file_keeps_adopted_and_actual(store: Store) -> None:
    result = ingest_file(store, real_data(FOLDER, "adopted_adjusted_budgets.csv"), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (255, 208, 47)
    assert result.quarantine_reasons == {UNSIMPLIFIED: 47}
    # Albuquerque's actual spending beside its adopted budget.
    assert police(store, "Albuquerque", "actual") == [
        202_053_000,
        188_954_000,
        182_521_000,
        212_290_000,
    ]
    bases = store.con.execute(
        "SELECT basis, count(DISTINCT source_line) FROM budget GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert bases == [("actual", 96), ("adopted", 112)]
    # An unsimplified row keeps its detailed label ("Amended") in quarantine.
    q = store.con.execute(
        "SELECT source_line, column_name, raw FROM quarantine WHERE reason = ?"
        " ORDER BY source_line LIMIT 1",
        [UNSIMPLIFIED],
    ).fetchone()
    assert q[:2] == (5, "Adopted.Actual...Simplified")
    # raw is the file's own text, quotes and all.
    assert q[2].startswith('"California","Anaheim Police Department ","Amended","",168787727,')
