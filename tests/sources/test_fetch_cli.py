"""End to end: `publicsafety fetch` downloads from a (local) portal, then ingests with the profile."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.engine import open_store
from publicsafety.sources import fetch_dataset
from publicsafety.sources.http import FetchError

from .conftest import arcgis_layer, socrata_dataset

ID = "hp7u-i9hf"


def catalog_for(portal, tmp_path):
    path = tmp_path / "catalog.toml"
    path.write_text(
        f"""
[new_orleans.calls]
type = "socrata"
domain = "{portal.base}"
years = {{ "2019" = "qf6q-pp4b", "2020" = "{ID}" }}
date_field = "timecreate"
profile = "new_orleans_calls"
profiles = {{ "2020" = "new_orleans_calls_2020" }}
status = "verified"
checked = "test portal"

[minneapolis.stops]
type = "arcgis"
id = "215b4b543d894750aef86c725b56ee2a_0"
portal = "{portal.base}"
date_field = "responseDate"
profile = "minneapolis_stops"
status = "partly verified"
checked = "test portal"

[new_orleans.force]
type = "socrata"
domain = "{portal.base}"
id = "9mnw-mbde"
date_field = "date_occurred"
status = "verified"
checked = "test portal"
""",
        encoding="utf-8",
    )
    return path


def test_fetch_then_ingest_new_orleans_2020_calls(portal, workspace, tmp_path):
    socrata_dataset(portal, ID, "socrata_nola_calls_2020.csv", f"socrata_view_{ID}.json")
    catalog = catalog_for(portal, tmp_path)
    args = [
        "fetch",
        "new_orleans",
        "calls",
        "--year",
        "2020",
        "--workspace",
        str(workspace),
        "--catalog",
        str(catalog),
    ]
    out = CliRunner().invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["file"] == str(workspace / "raw" / "new_orleans" / "calls" / "2020.csv")
    assert result["profile"] == "new_orleans_calls_2020" and result["cache_hit"] is False
    ingest = result["ingest"]
    assert (ingest["rows_read"], ingest["rows_loaded"], ingest["rows_quarantined"]) == (7, 6, 1)
    assert ingest["rows_read"] == result["manifest"]["rows"]
    with open_store(workspace, read_only=True) as store:
        rows = store.con.execute(
            "SELECT call_id, strftime(received_at, '%Y-%m-%d %H:%M:%S'), origin, beat, block_address"
            " FROM calls ORDER BY call_id"
        ).fetchall()
    assert rows[0] == ("A0000120", "2020-01-01 00:00:36", "community", "1J03", "025XX Tulane Ave")
    assert rows[3] == (
        "A0000420",
        "2020-01-01 00:02:41",
        "officer",
        "6E01",
        "Louisiana Ave & Magazine St",
    )
    assert "A0000520" not in [r[0] for r in rows]  # the VOID call went to quarantine

    # The same command again: the cached file (checksum checked) and no request sent.
    sent = len(portal.log)
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "already downloaded (checksum matches)" in again.output
    assert "already loaded; nothing changed" in again.output
    assert len(portal.log) == sent


def test_fetch_minneapolis_stops_from_an_arcgis_hub_item(portal, workspace, tmp_path):
    arcgis_layer(portal)
    catalog = catalog_for(portal, tmp_path)
    args = [
        "fetch",
        "Minneapolis",
        "stops",
        "--year",
        "2017",
        "-w",
        str(workspace),
        "--catalog",
        str(catalog),
    ]
    out = CliRunner().invoke(app, args)  # with the progress bar, as a person runs it
    assert out.exit_code == 0, out.output
    assert "2017.csv: downloaded, 7 rows" in out.output
    assert "(catalogue entry partly verified)" in out.output
    assert "Ingested with minneapolis_stops: read 7 rows, loaded 7, quarantined 0." in out.output
    with open_store(workspace, read_only=True) as store:
        races = store.con.execute(
            "SELECT subject_race, count(*) FROM stops GROUP BY 1 ORDER BY 1"
        ).fetchall()
    # East African is mapped to black by the profile: two Black and one East African stop.
    assert races == [("black", 3), ("hispanic", 1), ("unknown", 2), ("white", 1)]
    with open_store(workspace, read_only=True) as store:
        first = store.con.execute(
            "SELECT strftime(stopped_at, '%Y-%m-%d %H:%M:%S'), lat, lng, neighborhood FROM stops"
            " WHERE stop_id = '16-395258'"
        ).fetchone()
    # The test portal ignores `where`, so the 2016 rows come too; dates read as the Hub writes them.
    assert first == ("2016-10-31 23:57:38", 44.96615967, -93.24645832, "Cedar Riverside")


def test_no_profile_downloads_but_says_how_to_load(portal, workspace, tmp_path):
    socrata_dataset(portal, "9mnw-mbde", "socrata_nola_calls_2020.csv")
    catalog = catalog_for(portal, tmp_path)
    with pytest.raises(FetchError) as exc:
        fetch_dataset(workspace, "new_orleans", "force", 2020, catalog=catalog)
    assert "no built-in profile reads new_orleans force" in exc.value.message
    assert "--no-ingest" in exc.value.message
    r = fetch_dataset(workspace, "new_orleans", "force", 2020, catalog=catalog, ingest=False)
    assert r.ingest is None and r.manifest.rows == 7 and r.cache_hit


def test_unknown_city_and_year_are_clean_cli_errors(portal, workspace, tmp_path):
    catalog = catalog_for(portal, tmp_path)
    with pytest.raises(FetchError, match="no catalogue entry for gotham calls"):
        fetch_dataset(workspace, "Gotham", "calls", 2020, catalog=catalog)
    with pytest.raises(
        FetchError, match=r"no new_orleans calls dataset for 2017 \(years: 2019, 2020\)"
    ):
        fetch_dataset(workspace, "new_orleans", "calls", 2017, catalog=catalog)
