"""ArcGIS REST feature services (and ArcGIS Hub items): a layer's features as CSV.

A layer is queried with resultOffset / resultRecordCount, ordered by its object id, until the
service stops saying `exceededTransferLimit`. Dates (epoch milliseconds in the JSON) are written
the way a Hub CSV export writes them (`YYYY/MM/DD HH:MM:SS+00`, UTC) so the city profiles read a
fetched file and a portal download alike; point geometry becomes X and Y in WGS84.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from publicsafety.sources.cache import Manifest, Progress, download_pages, reuse
from publicsafety.sources.http import FetchError, Http

HUB_ITEM = re.compile(r"^([0-9a-f]{32})_(\d+)$")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _json(http: Http, url: str, params: dict[str, Any]) -> dict[str, Any]:
    data = http.get(url, params).json()
    if isinstance(data, dict) and "error" in data:
        err = data["error"]
        raise FetchError(
            f"the ArcGIS service refused the query: {err.get('code')} {err.get('message')}"
            f" {'; '.join(err.get('details') or [])}".strip(),
            where=url,
            fix="check the layer URL and the date field in sources/catalog.toml.",
        )
    if not isinstance(data, dict):
        raise FetchError("the ArcGIS service did not answer with a JSON object", where=url)
    return data


def layer_url(http: Http, dataset: str, portal: str = "https://www.arcgis.com") -> str:
    """The FeatureServer layer URL of `dataset`: a layer URL as given, or a Hub item `<id>_<n>`."""
    if dataset.startswith(("http://", "https://")):
        return re.sub(r"/query/?$", "", dataset.rstrip("/"))
    match = HUB_ITEM.match(dataset)
    if not match:
        raise FetchError(
            f"{dataset!r} is neither a layer URL nor an ArcGIS Hub item id (32 hex digits, _, layer)",
            fix="put the FeatureServer layer URL (ending in /FeatureServer/N) in sources/catalog.toml.",
        )
    item = _json(http, f"{portal.rstrip('/')}/sharing/rest/content/items/{match[1]}", {"f": "json"})
    service = item.get("url")
    if not service:
        raise FetchError(f"the ArcGIS item {match[1]} names no service URL", where=portal)
    return f"{service.rstrip('/')}/{match[2]}"


def year_filter(date_field: str | None, year: str | int | None) -> str:
    if not date_field or year is None or str(year) == "all":
        return "1=1"
    y = int(year)
    return f"{date_field} >= DATE '{y}-01-01' AND {date_field} < DATE '{y + 1}-01-01'"


def hub_time(ms: Any) -> str | None:
    """Epoch milliseconds as a Hub CSV export writes them."""
    if ms is None or ms == "":
        return None
    return (EPOCH + timedelta(milliseconds=float(ms))).strftime("%Y/%m/%d %H:%M:%S+00")


def fetch(
    http: Http,
    dataset: str,
    path: Path,
    *,
    date_field: str | None = None,
    year: str | int | None = None,
    portal: str = "https://www.arcgis.com",
    page: int | None = None,
    refresh: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """Download the layer's features (one year when `date_field` is given) to `path` as CSV."""
    hit = None if refresh else reuse(path, dataset, str(year))
    if hit is not None:
        return hit
    url = layer_url(http, dataset, portal)
    info = _json(http, url, {"f": "json"})
    oid = info.get("objectIdField") or "OBJECTID"
    size = page or int(info.get("maxRecordCount") or 1000)
    fields = info.get("fields") or []
    dates = {f["name"] for f in fields if f.get("type") == "esriFieldTypeDate"}
    columns = [f["name"] for f in fields if f.get("type") != "esriFieldTypeGeometry"]
    # Hub exports add X and Y; a layer that already has x / y fields keeps its own.
    has_points = info.get("geometryType") == "esriGeometryPoint" and not {"x", "y"} <= {
        c.lower() for c in columns
    }
    where = year_filter(date_field, year)
    params: dict[str, Any] = {
        "where": where,
        "outFields": "*",
        "orderByFields": oid,
        "returnGeometry": "true" if has_points else "false",
        "outSR": 4326,
        "f": "json",
        "resultRecordCount": size,
    }

    def fetch_page(offset: int) -> tuple[list[str], list[list[Any]], int | None]:
        data = _json(http, f"{url}/query", {**params, "resultOffset": offset})
        feats = data.get("features") or []
        names = columns or [f["name"] for f in data.get("fields") or []]
        header = names + (["X", "Y"] if has_points else [])
        rows = []
        for feat in feats:
            attrs = feat.get("attributes") or {}
            row = [hub_time(attrs.get(n)) if n in dates else attrs.get(n) for n in names]
            if has_points:
                geom = feat.get("geometry") or {}
                row += [geom.get("x"), geom.get("y")]
            rows.append(row)
        more = bool(data.get("exceededTransferLimit")) and feats
        return header, rows, offset + len(feats) if more else None

    total = None
    if progress:
        counted = _json(
            http, f"{url}/query", {"where": where, "returnCountOnly": "true", "f": "json"}
        )
        total = counted.get("count")
    manifest = Manifest(
        url=f"{url}/query",
        source="arcgis",
        params={**params, "dataset": dataset, "year": str(year)},
    )
    return download_pages(
        path, manifest, fetch_page, refresh=refresh, progress=progress, total=total
    )
