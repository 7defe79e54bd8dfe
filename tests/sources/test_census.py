"""Census: ACS API arrays joined by tract; TIGER files resumed with HTTP Range."""

from __future__ import annotations

import hashlib
import json

import pytest

from publicsafety.sources import census
from publicsafety.sources.cache import part_path, read_manifest
from publicsafety.sources.http import FetchError

from .conftest import DATA, json_reply, static_file

VARS = ["B01003_001E", "B03002_003E", "B03002_004E"]


def test_acs_tracts_with_geoid_and_sentinels_blank(portal, http, workspace, monkeypatch):
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    table = json.loads((DATA / "census_acs5_2019_22071.json").read_text())
    portal.routes["/data/2019/acs/acs5"] = lambda q, h: json_reply(table)
    path = workspace / "acs.csv"
    m = census.fetch_acs(
        http, path, state=22, county="71", year=2019, variables=VARS, api=f"{portal.base}/data"
    )
    (q,) = portal.hits("/data/2019/acs/acs5")
    assert q["get"] == "NAME,B01003_001E,B03002_003E,B03002_004E"
    assert q["for"] == "tract:*" and q["in"] == "state:22 county:071"
    assert "key" not in q
    lines = path.read_text().splitlines()
    assert lines[0] == "GEOID,NAME,state,county,tract,B01003_001E,B03002_003E,B03002_004E"
    assert (
        lines[1]
        == '22071000100,"Census Tract 1, Orleans Parish, Louisiana",22,071,000100,3952,2161,1407'
    )
    # -666666666 is the ACS "no estimate" mark, not a count.
    assert lines[3] == '22071001600,"Census Tract 16, Orleans Parish, Louisiana",22,071,001600,0,,'
    assert m.rows == 3


def test_acs_asks_in_groups_under_the_50_variable_limit_and_joins_on_tract(
    portal, http, workspace, monkeypatch
):
    monkeypatch.setenv("CENSUS_API_KEY", "k3y")

    def answer(q, h):
        names = q["get"].split(",")
        head = [*names, "state", "county", "tract"]
        rows = [
            [("Tract 1" if n == "NAME" else str(i)) for i, n in enumerate(names)]
            + ["22", "071", "000100"]
        ]
        return json_reply([head, *rows])

    portal.routes["/data/2019/acs/acs5"] = answer
    m = census.fetch_acs(
        http, workspace / "all.csv", state="22", county="071", year=2019, api=f"{portal.base}/data"
    )
    hits = portal.hits("/data/2019/acs/acs5")
    assert [len(q["get"].split(",")) for q in hits] == [49, 10]  # NAME + 48, NAME + 9: 57 variables
    assert all(q["key"] == "k3y" for q in hits)
    header = (workspace / "all.csv").read_text().splitlines()[0].split(",")
    assert len(header) == 5 + len(census.VARIABLES) and m.rows == 1


def test_bad_fips_says_what_to_give(http, workspace):
    with pytest.raises(FetchError, match="2-digit FIPS"):
        census.fetch_acs(http, workspace / "x.csv", state="LA", county=None, year=2019)


def test_tiger_download_resumes_with_range_after_a_broken_connection(portal, http, workspace):
    body = bytes(range(256)) * 400  # 102,400 bytes standing in for tl_2019_22_tract.zip
    url_path = "/geo/tiger/TIGER2019/TRACT/tl_2019_22_tract.zip"
    static_file(portal, url_path, body)
    # The first answer promises the whole file and hangs up after 40,000 bytes.
    portal.fail(url_path, (200, {"Content-Type": "application/zip", "X-Cut-After": "40000"}, body))
    path = workspace / "tracts.zip"
    m = census.fetch_tracts(http, path, state=22, year=2019, base=f"{portal.base}/geo/tiger")
    ranges = [h.get("Range") for p, _q, h in portal.log if p == url_path]
    assert ranges[0] is None
    assert (
        ranges[1] == f"bytes={40000 - (40000 - int(ranges[1][6:-1]))}-"
    )  # resumed from what arrived
    assert int(ranges[1][6:-1]) > 0
    assert path.read_bytes() == body
    assert m.sha256 == hashlib.sha256(body).hexdigest() and m.bytes == len(body)
    assert len(http.waits) == 1


def test_tiger_partial_file_from_an_earlier_run_is_continued(portal, http, workspace):
    body = b"PK" + bytes(range(200)) * 50
    url_path = "/geo/tiger/TIGER2020/TRACT/tl_2020_27_tract.zip"
    static_file(portal, url_path, body)
    path = workspace / "mn.zip"
    census.fetch_tracts(http, path, state=27, year=2020, base=f"{portal.base}/geo/tiger")
    # Pretend the run died half way: keep half of the file as .part with its checkpoint.
    m = read_manifest(path)
    m.complete, m.bytes = False, 3000
    from publicsafety.sources.cache import write_manifest

    write_manifest(path, m)
    part_path(path).write_bytes(body[:3000])
    path.unlink()
    portal.log.clear()
    again = census.fetch_tracts(http, path, state=27, year=2020, base=f"{portal.base}/geo/tiger")
    assert [h.get("Range") for _p, _q, h in portal.log] == ["bytes=3000-"]
    assert path.read_bytes() == body and again.complete


def test_server_without_range_support_restarts_cleanly(portal, http, workspace):
    body = b"0123456789" * 1000
    url_path = "/geo/tiger/TIGER2019/TRACT/tl_2019_06_tract.zip"
    static_file(portal, url_path, body, ranges=False)
    portal.fail(url_path, (200, {"X-Cut-After": "2500"}, body))
    path = workspace / "ca.zip"
    census.fetch_tracts(http, path, state=6, year=2019, base=f"{portal.base}/geo/tiger")
    assert path.read_bytes() == body  # not a second copy appended to the first part
