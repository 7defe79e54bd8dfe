"""A store holding every budget set of ../shared/data, loaded once per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from publicsafety.engine import Store, memory_store
from publicsafety.ingest import ingest_file
from tests.conftest import real_data

BUDGET_SETS = (
    (
        "police_budgets_us_cities_abc7_fy2019_2022",
        "adopted_budgets_only.csv",
        "us_cities_budgets_abc7",
    ),
    (
        "police_budgets_us_cities_realnews_2018_2022",
        "police_budgets_2018_2022.xlsx",
        "us_cities_budgets_realnews",
    ),
    ("police_budgets_detroit_sf_2007_2021", "dt_pdbudget.csv", "detroit_budget_categories"),
    ("police_budgets_detroit_sf_2007_2021", "sf_pdbudget.csv", "san_francisco_budget_categories"),
    ("seattle_police_budget_by_function_2020", "data.csv", "seattle_budget_functions_2020"),
)


@pytest.fixture(scope="module")
def budgets() -> Iterator[Store]:
    s = memory_store(threads=1)
    for folder, name, profile in BUDGET_SETS:
        ingest_file(s, real_data(folder, name), profile)
    yield s
    s.close()
