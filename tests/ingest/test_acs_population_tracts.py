"""acs_population_tracts reads what `publicsafety fetch census` writes, for the city it is given."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from publicsafety.engine import Store
from publicsafety.errors import InputError
from publicsafety.ingest import ingest_file
from publicsafety.sources import census

# Three Orleans Parish tracts written by hand in the fetcher's layout; tract 2 has two estimates
# the API marked missing (written empty), tract 16 has no residents.
FILE = Path(__file__).resolve().parents[1] / "data" / "ingest" / "acs_tracts_22071.csv"
PROFILE = "acs_population_tracts"


def test_the_fixture_has_the_header_fetch_acs_writes() -> None:
    with FILE.open(newline="") as f:
        header = next(csv.reader(f))
    assert header == ["GEOID", "NAME", "state", "county", "tract", *census.VARIABLES]


def test_counts_per_tract_for_the_named_city(store: Store) -> None:
    result = ingest_file(store, FILE, PROFILE, city="New Orleans")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    assert result.city == "New Orleans"
    rows = store.con.execute(
        'SELECT dimension, "group", "count" FROM population WHERE area_id = ?'
        ' ORDER BY dimension, "group"',
        ["22071000100"],
    ).fetchall()
    assert rows == [
        ("age_band", "0-17", 52.0), ("age_band", "18-24", 84.0), ("age_band", "25-34", 54.0),
        ("age_band", "35-44", 62.0), ("age_band", "45-54", 70.0), ("age_band", "55-64", 120.0),
        ("age_band", "65+", 294.0),
        ("race", "asian/pacific islander", 25.0), ("race", "black", 500.0),
        ("race", "hispanic", 120.0), ("race", "multiple", 40.0),
        ("race", "native american", 5.0), ("race", "other", 10.0), ("race", "white", 300.0),
        ("sex", "female", 414.0), ("sex", "male", 322.0),
        ("total", "total", 1000.0),
    ]  # fmt: skip
    # Missing estimates add as nothing: B03002_007E and B01001_049E are empty for tract 2.
    two = dict(store.con.execute(
        'SELECT "group", "count" FROM population WHERE area_id = ? AND "group" IN'
        " ('asian/pacific islander', '65+')", ["22071000200"]).fetchall())  # fmt: skip
    assert two == {"asian/pacific islander": 40.0, "65+": 530.0}
    # No poverty column in the default fetch: no poverty rows. 17 rows a tract, all one city.
    summary = store.con.execute(
        "SELECT count(*), count(DISTINCT area_id), count(*) FILTER (WHERE dimension = 'poverty'),"
        " min(city), max(city), min(area_set), count(year), min(source) FROM population"
    ).fetchone()
    assert summary == (51, 3, 0, "New Orleans", "New Orleans", "tracts_2020", 0,
                       "ACS 5-year estimates (Census API)")  # fmt: skip


def test_without_a_city_the_load_says_how_to_name_one(store: Store) -> None:
    with pytest.raises(InputError, match="is for any city") as err:
        ingest_file(store, FILE, PROFILE)
    assert 'pass city="Your City" to ingest_file' in str(err.value)
    assert store.con.execute("SELECT count(*) FROM population").fetchone() == (0,)


def test_cli_names_the_city(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from publicsafety.cli import app

    ws = tmp_path / "ws"
    res = CliRunner().invoke(
        app,
        [
            "ingest",
            str(FILE),
            "--profile",
            "acs_population_tracts",
            "--city",
            "New Orleans",
            "-w",
            str(ws),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    (result,) = json.loads(res.output)
    assert result["city"] == "New Orleans"
    assert result["rows_read"] == result["rows_loaded"] + result["rows_quarantined"] > 0
