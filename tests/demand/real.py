"""Load a real calls file the way an analyst would (ingest, classify, officer time), and read the
same raw file directly with DuckDB so tests can compare against values computed by hand."""

from __future__ import annotations

from publicsafety.analysis.officer_time import measure_officer_time
from publicsafety.engine import Store, memory_store
from publicsafety.ingest import ingest_file
from publicsafety.taxonomy import classify
from tests.conftest import real_data
from tests.taxonomy.realtypes import REAL_FILES
from tests.taxonomy.test_end_to_end import LOADED, PROFILES

# Alexandria: police calls of the complete weeks 41-52 (SOURCE.md).
ALEXANDRIA_FROM = "2025-10-05"
ALEXANDRIA_EXCLUDED = (
    "'DUPPD-Duplicate Police', 'DUPFD-Duplicate Call Fire', 'TEST-Test Call', 'TST-Test Call'"
)
ALEXANDRIA_COMMUNITY = "'PHONE', 'E-911', 'TEXT', 'CELL PHONE', 'TDD', '911 CENTER', 'FLAG DOWN'"
NOLA_EXCLUDED = "'VOI', 'DUP', 'TST', 'TEST'"


def load(city: str, *, areas: tuple[tuple[str, str, str], ...] = ()) -> Store:
    """A fresh in-memory store with the city's calls loaded, classified and timed; `areas` are
    (folder, file, profile) loaded first so the calls are placed in them."""
    store = memory_store(threads=1)
    for folder, name, profile in areas:
        ingest_file(store, real_data(folder, name), profile)
    folder, name, _, _ = REAL_FILES[city]
    result = ingest_file(store, real_data(folder, name), PROFILES[city])
    assert result.rows_loaded == LOADED[city]
    classify(store, city)
    measure_officer_time(store, city)
    return store


def raw(city: str) -> str:
    """SQL for the raw file, every column as text."""
    folder, name, _, _ = REAL_FILES[city]
    return f"read_csv('{real_data(folder, name)}', all_varchar = true, header = true)"
