"""Socrata (SODA 2) portals: a dataset's rows as CSV, paged with $limit / $offset.

Pages are ordered by the system row id `:id`, which SODA documents as the stable order for
paging; without an $order, pages may overlap or skip rows. A year is chosen either by a
per-year dataset id or by a $where on the dataset's date field.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from publicsafety.sources.cache import Manifest, Progress, download_pages, reuse
from publicsafety.sources.http import FetchError, Http

PAGE = 50_000  # SODA 2.1 allows up to 50,000 rows a request without an app token


def base_url(domain: str) -> str:
    return domain.rstrip("/") if domain.startswith(("http://", "https://")) else f"https://{domain}"


def year_filter(date_field: str | None, year: str | int | None) -> str | None:
    """The $where that keeps one calendar year (None when the dataset id is already one year)."""
    if not date_field or year is None or str(year) == "all":
        return None
    y = int(year)
    return f"{date_field} >= '{y}-01-01T00:00:00' AND {date_field} < '{y + 1}-01-01T00:00:00'"


def count_rows(http: Http, domain: str, dataset_id: str, where: str | None) -> int | None:
    """Rows the portal says the query holds (for the progress bar); None if it will not say."""
    params: dict[str, Any] = {"$select": "count(*)"}
    if where:
        params["$where"] = where
    try:
        data = http.get(f"{base_url(domain)}/resource/{dataset_id}.json", params).json()
        return int(next(iter(data[0].values())))
    except (FetchError, ValueError, KeyError, IndexError, StopIteration, TypeError):
        return None


def display_names(http: Http, domain: str, dataset_id: str) -> dict[str, str]:
    """API field name -> column name as the portal's CSV export writes it (from the view's
    metadata); empty when the portal will not say, and the API names are then kept."""
    try:
        view = http.get(f"{base_url(domain)}/api/views/{dataset_id}.json").json()
        return {c["fieldName"]: c["name"] for c in view.get("columns", []) if "fieldName" in c}
    except (FetchError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def fetch(
    http: Http,
    domain: str,
    dataset_id: str,
    path: Path,
    *,
    date_field: str | None = None,
    year: str | int | None = None,
    page: int = PAGE,
    header: str = "display",
    refresh: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """Download the dataset (one year of it when `date_field` is given) to `path` as CSV."""
    hit = None if refresh else reuse(path, dataset_id, str(year))
    if hit is not None:
        return hit
    url = f"{base_url(domain)}/resource/{dataset_id}.csv"
    where = year_filter(date_field, year)
    params: dict[str, Any] = {"$order": ":id", "$limit": page}
    if where:
        params["$where"] = where

    def fetch_page(offset: int) -> tuple[list[str], list[list[Any]], int | None]:
        response = http.get(url, {**params, "$offset": offset})
        records = list(csv.reader(io.StringIO(response.text)))
        if not records:
            return [], [], None
        header, rows = [names.get(h, h) for h in records[0]], records[1:]
        after = offset + len(rows) if len(rows) >= page else None
        return header, rows, after

    names = display_names(http, domain, dataset_id) if header == "display" else {}
    total = count_rows(http, domain, dataset_id, where) if progress else None
    manifest = Manifest(
        url=url, source="socrata", params={**params, "dataset": dataset_id, "year": str(year)}
    )
    return download_pages(
        path, manifest, fetch_page, refresh=refresh, progress=progress, total=total
    )
