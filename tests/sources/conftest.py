"""A local portal for the fetch tests: http.server on 127.0.0.1 in a thread, answering in the
real response shapes (Socrata SODA CSV paging, ArcGIS REST query JSON, CKAN datastore_search,
Census API arrays, a plain file with HTTP Range) from the fixtures in tests/data/sources.

Tests marked `live` hit the real services; pyproject's addopts deselect them unless `-m live`
is given.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from publicsafety.sources.http import Http, RetryPolicy

DATA = Path(__file__).resolve().parents[1] / "data" / "sources"


Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Portal:
    """Routes by path; records every request; can be told to fail the next requests to a path."""

    base: str = ""
    routes: dict[str, Callable[[dict[str, str], dict[str, str]], Reply]] = field(
        default_factory=dict
    )
    failures: dict[str, list[Reply]] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)

    def fail(self, path: str, *replies: Reply) -> None:
        self.failures.setdefault(path, []).extend(replies)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [q for p, q, _ in self.log if p == path]

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Reply:
        self.log.append((path, query, headers))
        if self.failures.get(path):
            return self.failures[path].pop(0)
        if path not in self.routes:
            return 404, {"Content-Type": "application/json"}, b'{"error": "not found"}'
        return self.routes[path](query, headers)


def _handler(portal: Portal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            if "in" in query:  # the Census API repeats `in`; keep every value
                query["in"] = " ".join(parse_qs(parts.query)["in"])
            status, headers, body = portal.answer(parts.path, query, dict(self.headers))
            cut = headers.pop("X-Cut-After", None)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # A cut connection: promise the whole body, send part of it, hang up.
            self.wfile.write(body[: int(cut)] if cut else body)
            if cut:
                self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def portal() -> Iterator[Portal]:
    p = Portal()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(p))
    p.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield p
    server.shutdown()
    server.server_close()


@pytest.fixture
def http() -> Iterator[Http]:
    """A client that records its waits instead of sleeping."""
    waits: list[float] = []
    client = Http(timeout=10, retry=RetryPolicy(attempts=4, base=0.5, sleep=waits.append))
    client.waits = waits  # type: ignore[attr-defined]
    yield client
    client.close()


def json_reply(data: object) -> Reply:
    return 200, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(data).encode()


def socrata_dataset(
    portal: Portal, dataset_id: str, csv_file: str, view_file: str | None = None
) -> list[list[str]]:
    """Serve a SODA dataset: CSV pages by $limit/$offset, count(*), and the view's metadata."""
    text = (DATA / csv_file).read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text)))
    header, rows = records[0], records[1:]

    def page(query: dict[str, str], _h: dict[str, str]) -> Reply:
        offset, limit = int(query.get("$offset", 0)), int(query.get("$limit", 1000))
        buf = io.StringIO()
        w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows[offset : offset + limit])
        return (
            200,
            {"Content-Type": "text/csv; charset=UTF-8", "X-SODA2-Fields": json.dumps(header)},
            buf.getvalue().encode(),
        )

    portal.routes[f"/resource/{dataset_id}.csv"] = page
    portal.routes[f"/resource/{dataset_id}.json"] = lambda q, h: json_reply(
        [{"count": str(len(rows))}]
    )
    if view_file:
        view = json.loads((DATA / view_file).read_text(encoding="utf-8"))
        portal.routes[f"/api/views/{dataset_id}.json"] = lambda q, h: json_reply(view)
    return rows


SERVICE = "/arcgis/rest/services/Police_Stop_Data/FeatureServer"


def arcgis_layer(portal: Portal) -> list[dict[str, object]]:
    """Serve the Minneapolis stops item, layer and query (pages end with exceededTransferLimit)."""
    item = json.loads((DATA / "arcgis_item_215b4b543d894750aef86c725b56ee2a.json").read_text())
    item["url"] = item["url"].replace("SERVICE_URL", portal.base)
    layer = json.loads((DATA / "arcgis_minneapolis_stops_layer.json").read_text())
    feats = json.loads((DATA / "arcgis_minneapolis_stops_features.json").read_text())["features"]

    def query(q: dict[str, str], _h: dict[str, str]) -> Reply:
        if q.get("returnCountOnly") == "true":
            return json_reply({"count": len(feats)})
        offset = int(q.get("resultOffset", 0))
        count = min(int(q.get("resultRecordCount", 2000)), layer["maxRecordCount"])
        chunk = feats[offset : offset + count]
        body: dict[str, object] = {
            "objectIdFieldName": "OBJECTID",
            "geometryType": "esriGeometryPoint",
            "spatialReference": {"wkid": 4326, "latestWkid": 4326},
            "fields": layer["fields"],
            "features": chunk,
        }
        if offset + count < len(feats):
            body["exceededTransferLimit"] = True
        return json_reply(body)

    portal.routes["/sharing/rest/content/items/215b4b543d894750aef86c725b56ee2a"] = lambda q, h: (
        json_reply(item)
    )
    portal.routes[f"{SERVICE}/0"] = lambda q, h: json_reply(layer)
    portal.routes[f"{SERVICE}/0/query"] = query
    return feats


def static_file(portal: Portal, path: str, body: bytes, *, ranges: bool = True) -> None:
    """Serve bytes, honouring `Range: bytes=N-` with 206 when `ranges`."""

    def reply(_q: dict[str, str], headers: dict[str, str]) -> Reply:
        rng = headers.get("Range")
        if ranges and rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            return (
                206,
                {
                    "Content-Type": "application/zip",
                    "Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}",
                },
                body[start:],
            )
        return 200, {"Content-Type": "application/zip"}, body

    portal.routes[path] = reply
