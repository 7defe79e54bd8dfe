"""Seattle police 2020 budget by function: BOM, trailing empty columns, N/A FTEs, functions."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "seattle_budget_functions_2020"


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(
        store, real_data("seattle_police_budget_by_function_2020", "data.csv"), PROFILE
    )
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (53, 53, 0)
    return store


def test_lines_add_up_to_the_adopted_total(loaded: Store) -> None:
    total = loaded.con.execute("SELECT sum(amount), count(*) FROM budget").fetchone()
    assert total == (409_111_840, 53)  # "Total 2020 SPD Adopted budget: $409 Million"
    functions = loaded.con.execute(
        "SELECT function, count(*), sum(amount) FROM budget GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert functions == [
        ("dispatch", 1, 19_554_912),
        ("other", 2, 2_029_350 + 12_726_137),
        ("police", 50, 409_111_840 - 19_554_912 - 2_029_350 - 12_726_137),
    ]


def test_first_and_largest_lines(loaded: Store) -> None:
    # The first data line (after the BOM header) is a cost pool with N/A FTEs.
    first = loaded.con.execute(
        "SELECT program, amount, sworn_fte, fiscal_year, basis, department FROM budget"
        " WHERE source_line = 2"
    ).fetchone()
    assert first == (
        "Costs - Capital Purchases",
        23_451,
        None,
        2020,
        "adopted",
        "Seattle Police Department",
    )
    largest = loaded.con.execute(
        "SELECT program, amount, sworn_fte FROM budget ORDER BY amount DESC LIMIT 1"
    ).fetchone()
    assert largest == ("Emergency (911) Response Services", 120_329_345, 721)
    sworn = loaded.con.execute("SELECT sum(sworn_fte), count(sworn_fte) FROM budget").fetchone()
    assert sworn == (1497, 51)
    # fte = Civilian FTE + Sworn FTE (parse = "sum"): 590 civilian + 1,497 sworn on 51 lines;
    # the two cost pools say N/A in both and stay missing.
    fte = loaded.con.execute(
        "SELECT sum(fte), count(fte), sum(fte - sworn_fte) FROM budget"
    ).fetchone()
    assert fte == (2087, 51, 590)
    assert loaded.con.execute(
        "SELECT fte FROM budget WHERE program = 'Emergency (911) Response Services'"
    ).fetchone() == (736,)
