"""Socrata: SODA CSV pages by $limit/$offset, the export's column names, resume, cache, checksums."""

from __future__ import annotations

import csv
import json

import pytest

from publicsafety.sources import socrata
from publicsafety.sources.cache import manifest_path, part_path, raw_path, read_manifest
from publicsafety.sources.http import FetchError

from .conftest import socrata_dataset

ID = "hp7u-i9hf"
CSV_PATH = f"/resource/{ID}.csv"


def rows_of(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_pages_with_limit_and_offset_in_id_order(portal, http, workspace):
    socrata_dataset(portal, ID, "socrata_nola_calls_2020.csv", f"socrata_view_{ID}.json")
    path = raw_path(workspace, "New Orleans", "calls", 2020, "csv")
    m = socrata.fetch(http, portal.base, ID, path, page=3)
    pages = portal.hits(CSV_PATH)
    assert [(q["$offset"], q["$limit"], q["$order"]) for q in pages] == [
        ("0", "3", ":id"),
        ("3", "3", ":id"),
        ("6", "3", ":id"),
    ]
    assert "$where" not in pages[0]  # one dataset per year: no date filter
    records = rows_of(path)
    assert m.rows == 7 == len(records) - 1
    assert [r[0] for r in records[1:]] == [f"A0000{i}20" for i in range(1, 8)]
    assert m.complete and m.next_offset == 6 and not part_path(path).exists()
    assert path == workspace / "raw" / "new_orleans" / "calls" / "2020.csv"
    on_disk = json.loads(manifest_path(path).read_text())
    assert on_disk["url"] == f"{portal.base}{CSV_PATH}"
    assert on_disk["rows"] == 7 and len(on_disk["sha256"]) == 64 and on_disk["fetched_at"]


def test_header_uses_the_export_names_from_the_view_metadata(portal, http, workspace):
    socrata_dataset(portal, ID, "socrata_nola_calls_2020.csv", f"socrata_view_{ID}.json")
    path = workspace / "display.csv"
    socrata.fetch(http, portal.base, ID, path)
    header = rows_of(path)[0]
    assert header[:3] == ["NOPD_Item", "Type", "TypeText"]
    assert "BLOCK_ADDRESS" in header and "Location" in header
    api = workspace / "api.csv"
    socrata.fetch(http, portal.base, ID, api, header="api")
    assert rows_of(api)[0][:3] == ["nopd_item", "type", "typetext"]


def test_a_year_of_a_multi_year_dataset_is_a_date_range_on_the_date_field(portal, http, workspace):
    socrata_dataset(portal, ID, "socrata_nola_calls_2020.csv")
    socrata.fetch(http, portal.base, ID, workspace / "y.csv", date_field="timecreate", year=2020)
    where = portal.hits(CSV_PATH)[0]["$where"]
    assert where == "timecreate >= '2020-01-01T00:00:00' AND timecreate < '2021-01-01T00:00:00'"


def test_resume_after_an_interrupted_download_asks_only_for_the_missing_pages(
    portal, http, workspace
):
    socrata_dataset(portal, ID, "socrata_nola_calls_2020.csv")
    whole = workspace / "whole.csv"
    socrata.fetch(http, portal.base, ID, whole, page=3, header="api")
    portal.log.clear()

    path = workspace / "2020.csv"
    # Every later page fails until the retries run out: the run stops after one good page.
    real = portal.routes[CSV_PATH]

    def stop_after_first(q, h):
        return real(q, h) if q["$offset"] == "0" else (503, {}, b"busy")

    portal.routes[CSV_PATH] = stop_after_first
    with pytest.raises(FetchError, match="HTTP 503 after 4 tries"):
        socrata.fetch(http, portal.base, ID, path, page=3, header="api")
    checkpoint = read_manifest(path)
    assert checkpoint is not None and not checkpoint.complete
    assert (checkpoint.rows, checkpoint.next_offset) == (3, 3)
    assert part_path(path).stat().st_size == checkpoint.bytes
    # A page half-written when the process died is cut back to the checkpoint.
    with part_path(path).open("ab") as f:
        f.write(b'"A0000420","18","TRAFF')

    portal.routes[CSV_PATH] = real
    portal.log.clear()
    m = socrata.fetch(http, portal.base, ID, path, page=3, header="api")
    assert [q["$offset"] for q in portal.hits(CSV_PATH)] == ["3", "6"]
    assert m.rows == 7 and m.complete
    assert path.read_bytes() == whole.read_bytes()


def test_cache_hit_sends_no_request(portal, http, workspace):
    socrata_dataset(portal, ID, "socrata_nola_calls_2020.csv")
    path = workspace / "c.csv"
    first = socrata.fetch(http, portal.base, ID, path)
    sent = len(portal.log)
    again = socrata.fetch(http, portal.base, ID, path)
    assert len(portal.log) == sent
    assert again.sha256 == first.sha256


def test_checksum_mismatch_is_reported_and_refresh_downloads_again(portal, http, workspace):
    socrata_dataset(portal, ID, "socrata_nola_calls_2020.csv")
    path = workspace / "m.csv"
    first = socrata.fetch(http, portal.base, ID, path)
    path.write_text(path.read_text().replace("TULANE", "TULANA").replace("Tulane", "Tulana"))
    with pytest.raises(FetchError) as exc:
        socrata.fetch(http, portal.base, ID, path)
    assert "changed after download" in exc.value.message
    assert first.sha256[:12] in exc.value.message
    assert "--refresh" in exc.value.message
    fresh = socrata.fetch(http, portal.base, ID, path, refresh=True)
    assert fresh.sha256 == first.sha256
    assert "025XX Tulane Ave" in path.read_text()
