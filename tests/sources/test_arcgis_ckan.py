"""ArcGIS feature services (Hub item -> layer -> query pages) and CKAN datastore_search pages."""

from __future__ import annotations

import csv
import json

import pytest

from publicsafety.sources import arcgis, ckan
from publicsafety.sources.http import FetchError

from .conftest import DATA, SERVICE, arcgis_layer, json_reply

ITEM = "215b4b543d894750aef86c725b56ee2a_0"


def test_hub_item_resolves_to_the_layer_and_pages_until_no_transfer_limit(portal, http, workspace):
    arcgis_layer(portal)
    path = workspace / "stops.csv"
    m = arcgis.fetch(http, ITEM, path, portal=portal.base, page=3)
    pages = portal.hits(f"{SERVICE}/0/query")
    assert [(q["resultOffset"], q["resultRecordCount"]) for q in pages] == [
        ("0", "3"),
        ("3", "3"),
        ("6", "3"),
    ]
    assert pages[0]["orderByFields"] == "OBJECTID" and pages[0]["where"] == "1=1"
    assert pages[0]["outSR"] == "4326" and pages[0]["f"] == "json"
    with path.open(encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    assert m.rows == 7 == len(records)
    first = records[0]
    # Epoch milliseconds come out the way a Hub CSV export writes them.
    assert first["responseDate"] == "2016/10/31 23:57:38+00"
    assert first["masterIncidentNumber"] == "16-395258"
    assert first["X"] == "-93.24645832" and first["Y"] == "44.96615967"
    assert records[4]["X"] == "" and records[4]["lat"] == ""  # no geometry, no coordinates


def test_a_year_is_a_date_range_on_the_layer(portal, http, workspace):
    arcgis_layer(portal)
    arcgis.fetch(
        http, ITEM, workspace / "y.csv", date_field="responseDate", year=2017, portal=portal.base
    )
    where = portal.hits(f"{SERVICE}/0/query")[0]["where"]
    assert where == "responseDate >= DATE '2017-01-01' AND responseDate < DATE '2018-01-01'"


def test_an_error_object_in_a_200_answer_is_an_error(portal, http, workspace):
    arcgis_layer(portal)
    portal.routes[f"{SERVICE}/0/query"] = lambda q, h: json_reply(
        {
            "error": {
                "code": 400,
                "message": "Unable to complete operation.",
                "details": ["Invalid field: responseDat"],
            }
        }
    )
    with pytest.raises(FetchError) as exc:
        arcgis.fetch(http, ITEM, workspace / "e.csv", portal=portal.base)
    assert "400 Unable to complete operation. Invalid field: responseDat" in exc.value.message
    assert exc.value.where == f"{portal.base}{SERVICE}/0/query"


def test_an_id_that_is_neither_url_nor_hub_item_says_what_to_put(http, workspace):
    with pytest.raises(FetchError, match="FeatureServer layer URL"):
        arcgis.fetch(http, "cabq-calls", workspace / "x.csv")


def test_ckan_datastore_search_pages_by_offset_and_drops_the_row_number(portal, http, workspace):
    data = json.loads((DATA / "ckan_calls_records.json").read_text())

    def search(q, h):
        offset, limit = int(q["offset"]), int(q["limit"])
        result = {
            "resource_id": q["resource_id"],
            "fields": data["fields"],
            "records": data["records"][offset : offset + limit],
            "total": len(data["records"]),
            "_links": {
                "start": "/api/3/action/datastore_search",
                "next": f"...offset={offset + limit}",
            },
        }
        return json_reply({"help": "datastore_search", "success": True, "result": result})

    portal.routes["/api/3/action/datastore_search"] = search
    path = workspace / "ckan.csv"
    m = ckan.fetch(http, portal.base, "5d1e8f4c-calls", path, page=2)
    assert [q["offset"] for q in portal.hits("/api/3/action/datastore_search")] == ["0", "2", "4"]
    lines = path.read_text().splitlines()
    assert lines[0] == "call_no,call_type,received,district"
    assert lines[1] == "C1000,WELFARE CHECK,2019-03-01T00:15:00,North"
    assert m.rows == 5 == len(lines) - 1


def test_ckan_refusal_is_reported(portal, http, workspace):
    portal.routes["/api/3/action/datastore_search"] = lambda q, h: json_reply(
        {
            "success": False,
            "error": {"message": "Not found: Resource was not found.", "__type": "Not Found Error"},
        }
    )
    with pytest.raises(FetchError, match="Resource was not found"):
        ckan.fetch(http, portal.base, "nope", workspace / "n.csv")
