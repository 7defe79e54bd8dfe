"""Distinct call types with their volumes, read straight from the real files in ../shared/data
with DuckDB read_csv (no ingest), and Vera's call-type list."""

from __future__ import annotations

import duckdb
import pandas as pd

from tests.conftest import real_data

# city -> (folder, file, code column or None, call type column)
REAL_FILES = {
    "New Orleans": (
        "new_orleans_cfs_2022_rtcc_subset",
        "rtcc_dump_2022_merged_w_calls_for_service_2022.csv",
        "Type",
        "TypeText",
    ),
    "Portland": (
        "portland_cfs_2016_aug_oct",
        "portland_cfs_2016_08_10.csv",
        "final_case_type",
        "CASE DESC",
    ),
    "Sacramento": (
        "sacramento_cad_2019_jan",
        "sacramento_dispatch_2019_01.csv",
        "Call_Type",
        "Description",
    ),
    "Seattle": (
        "seattle_cfs_sample_2018_2023",
        "db_call_data_2018-2023.csv",
        None,
        "Final Call Type",
    ),
    "Alexandria": (
        "alexandria_va_cad_2025_aug_dec",
        "alexandria_va_cad_2025w35_w52.csv.gz",
        None,
        "Problem",
    ),
    "Albuquerque": (
        "albuquerque_apd_incidents_2020_may_nov",
        "abq_apd_incidents_2020.csv.gz",
        None,
        "description",
    ),
}
# Vera's city -> the column of call_types_by_city.csv that holds the (final) call type.
VERA_COLUMNS = {
    "New Orleans": "TypeText",
    "Seattle": "Final Call Type",
    "Detroit": "Call Description",
    "Dallas": "Call (911) Problem",
}


def real_types(city: str) -> pd.DataFrame:
    """call_type_code, call_type, calls for every distinct type in the city's raw file."""
    folder, name, code_col, text_col = REAL_FILES[city]
    path = real_data(folder, name)
    code = f'"{code_col}"' if code_col else "NULL"
    return (
        duckdb.connect()
        .execute(
            f"""SELECT {code} AS call_type_code, "{text_col}" AS call_type, count(*) AS calls
                FROM read_csv(?, all_varchar = true) GROUP BY ALL ORDER BY calls DESC, call_type""",
            [str(path)],
        )
        .df()
    )


# Initial (intake) call-type columns of Vera's list, for the cities that report both.
VERA_INITIAL_COLUMNS = {"New Orleans": "InitialTypeText", "Seattle": "Initial Call Type"}


def vera_types(city: str, column: str | None = None) -> pd.DataFrame:
    """call_type_code (none), call_type, calls, vera_category from Vera's list for one city
    (the final call-type column unless `column` names another; names compared trimmed)."""
    path = real_data("vera_911_call_type_taxonomy", "call_types_by_city.csv")
    return (
        duckdb.connect()
        .execute(
            """SELECT NULL AS call_type_code, "Field 1" AS call_type,
                      coalesce(try_cast("Count" AS BIGINT), 0) AS calls, "Category" AS vera_category
               FROM read_csv(?, all_varchar = true)
               WHERE City = ? AND trim(Column_name) = ? ORDER BY calls DESC, call_type""",
            [str(path), city, column or VERA_COLUMNS[city]],
        )
        .df()
    )


def triples(frame: pd.DataFrame) -> list[tuple[str | None, str | None, int]]:
    return [
        (None if pd.isna(c) else str(c), None if pd.isna(t) else str(t), int(n))
        for c, t, n in frame[["call_type_code", "call_type", "calls"]].itertuples(
            index=False, name=None
        )
    ]
