"""CKAN portals: a DataStore resource's records as CSV, paged with datastore_search.

The DataStore's own row number `_id` is the paging order and is left out of the file; the
field order is the one the DataStore reports. CKAN's datastore_search cannot select a date
range, so a year is chosen by a per-year resource id in the catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publicsafety.sources.cache import Manifest, Progress, download_pages, reuse
from publicsafety.sources.http import FetchError, Http
from publicsafety.sources.socrata import base_url

PAGE = 10_000


def fetch(
    http: Http,
    domain: str,
    resource_id: str,
    path: Path,
    *,
    page: int = PAGE,
    refresh: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """Download the DataStore resource to `path` as CSV."""
    hit = None if refresh else reuse(path, resource_id, None)
    if hit is not None:
        return hit
    url = f"{base_url(domain)}/api/3/action/datastore_search"
    params: dict[str, Any] = {"resource_id": resource_id, "limit": page, "sort": "_id"}
    seen_total: list[int] = []

    def fetch_page(offset: int) -> tuple[list[str], list[list[Any]], int | None]:
        data = http.get(url, {**params, "offset": offset}).json()
        if not data.get("success"):
            err = data.get("error") or {}
            raise FetchError(
                f"the CKAN portal refused the request: {err.get('message') or err}",
                where=url,
                fix="check the resource id in sources/catalog.toml (a DataStore resource, not a file link).",
            )
        result = data["result"]
        names = [f["id"] for f in result.get("fields", []) if f["id"] != "_id"]
        records = result.get("records", [])
        rows = [[r.get(n) for n in names] for r in records]
        total = int(result.get("total") or 0)
        seen_total[:] = [total]
        after = offset + len(records)
        return names, rows, after if records and after < total else None

    manifest = Manifest(url=url, source="ckan", params={**params, "dataset": resource_id})

    def tick(done: int, _total: int | None) -> None:
        if progress:
            progress(done, seen_total[0] if seen_total else None)

    return download_pages(path, manifest, fetch_page, refresh=refresh, progress=tick)
