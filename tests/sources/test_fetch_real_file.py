"""A real published file served as a Socrata dataset: fetch + ingest gives the same calls as
ingesting the file itself (Seattle's 222-call extract, paged 50 at a time under API names)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest

from publicsafety.engine import open_store
from publicsafety.ingest import ingest_file
from publicsafety.sources import fetch_dataset
from tests.conftest import real_data

from .conftest import json_reply

pytestmark = pytest.mark.real_data

COLUMNS = "call_id, received_at, arrived_at, call_type, initial_call_type, priority, origin, district, beat, lon, lat"


def test_seattle_extract_through_the_portal_equals_the_file(portal, workspace, tmp_path, store):
    original = real_data("seattle_cfs_sample_2018_2023", "db_call_data_2018-2023.csv")
    with original.open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    header, rows = records[0], records[1:]
    # SODA answers with API field names (lower case, underscores); the view maps them back.
    api = [re.sub(r"[^a-z0-9]+", "_", h.lower()).strip("_") for h in header]
    view = {"columns": [{"fieldName": a, "name": h} for a, h in zip(api, header, strict=True)]}

    def page(q, h):
        offset, limit = int(q["$offset"]), int(q["$limit"])
        buf = io.StringIO()
        w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(api)
        w.writerows(rows[offset : offset + limit])
        return (
            200,
            {"Content-Type": "text/csv; charset=UTF-8", "X-SODA2-Fields": json.dumps(api)},
            buf.getvalue().encode(),
        )

    portal.routes["/resource/33kz-ixgy.csv"] = page
    portal.routes["/api/views/33kz-ixgy.json"] = lambda q, h: json_reply(view)
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(
        # One page of 50,000 would do; 50 a page exercises paging on the real rows.
        f'[seattle.calls]\ntype = "socrata"\ndomain = "{portal.base}"\nid = "33kz-ixgy"\n'
        'date_field = "original_time_queued"\npage = 50\nprofile = "seattle_calls"\nstatus = "verified"\nchecked = "test"\n'
    )
    fetched = fetch_dataset(workspace, "seattle", "calls", "all", catalog=catalog)
    assert [q["$offset"] for q in portal.hits("/resource/33kz-ixgy.csv")] == [
        "0",
        "50",
        "100",
        "150",
        "200",
    ]
    r = fetched.ingest
    assert (fetched.manifest.rows, r["rows_read"], r["rows_loaded"], r["rows_quarantined"]) == (
        222,
        222,
        222,
        0,
    )

    direct = ingest_file(store, original, "seattle_calls")
    assert (direct.rows_read, direct.rows_loaded) == (222, 222)
    want = store.con.execute(f"SELECT {COLUMNS} FROM calls ORDER BY call_id").fetchall()
    with open_store(workspace, read_only=True) as ws:
        got = ws.con.execute(f"SELECT {COLUMNS} FROM calls ORDER BY call_id").fetchall()
    assert got == want
    by_id = {row[0]: row for row in got}
    assert by_id["2023000319821"][1:4] == (
        datetime(2023, 11, 4, 18, 8, 26),
        datetime(2023, 11, 4, 18, 51, 6),
        "--SUSPICIOUS CIRCUM. - SUSPICIOUS PERSON",
    )
