"""The city dashboard: the report's main figures, filtered by year, area set and category with a
plain GET form (no JavaScript), each table downloadable as CSV. Every table is aggregated in the
engine and passes through the privacy layer before it is shown or downloaded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from publicsafety.engine import Store, open_store
from publicsafety.errors import StoreError
from publicsafety.privacy import sensitive_sql
from publicsafety.report.build import slug
from publicsafety.report.export import publish
from publicsafety.web.dashboard_map import calls_map
from publicsafety.web.i18n import gettext_functions

router = APIRouter()
TABLES = ("calls_by_category", "calls_by_area", "stops_by_race")


@dataclass(frozen=True)
class Filters:
    year: int | None
    area_set: str | None
    category: str | None

    def query(self) -> str:
        parts = [f"{k}={v}" for k, v in vars(self).items() if v not in (None, "")]
        return "&".join(parts)


@contextmanager
def _store(request: Request) -> Iterator[Store]:
    workspace = Path(request.app.state.workspace)
    try:
        store = open_store(workspace, read_only=True)
    except StoreError as exc:
        raise HTTPException(404, exc.message) from exc
    try:
        yield store
    finally:
        store.close()


def cities(store: Store) -> list[str]:
    rows = store.con.execute(
        "SELECT city FROM calls UNION SELECT city FROM stops UNION SELECT city FROM areas ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


def choices(store: Store, city: str) -> dict[str, list[Any]]:
    con = store.con
    years = con.execute(
        "SELECT DISTINCT y FROM (SELECT year(received_at) AS y FROM calls WHERE city = ?"
        " UNION SELECT year(date) FROM stops WHERE city = ?) WHERE y IS NOT NULL ORDER BY y DESC",
        [city, city],
    ).fetchall()
    sets = con.execute(
        "SELECT DISTINCT area_set FROM areas WHERE city = ? ORDER BY 1", [city]
    ).fetchall()
    cats = con.execute(
        "SELECT DISTINCT category FROM calls WHERE city = ? AND category IS NOT NULL ORDER BY 1",
        [city],
    ).fetchall()
    return {
        "years": [int(r[0]) for r in years],
        "area_sets": [str(r[0]) for r in sets],
        "categories": [str(r[0]) for r in cats],
    }


def _calls_where(city: str, f: Filters, alias: str = "") -> tuple[str, list[Any]]:
    p = f"{alias}." if alias else ""
    parts: list[str] = [f"{p}city = ?"]
    params: list[Any] = [city]
    if f.year:
        parts.append(f"year({p}received_at) = ?")
        params.append(f.year)
    if f.category:
        parts.append(f"{p}category = ?")
        params.append(f.category)
    return " AND ".join(parts), params


def table(store: Store, city: str, name: str, f: Filters) -> pd.DataFrame:
    """One dashboard table, already through the privacy layer."""
    con = store.con
    if name == "calls_by_category":
        where, params = _calls_where(city, Filters(f.year, None, None))
        df = con.execute(
            f"SELECT coalesce(category, 'unclassified') AS category, count(*) AS calls"
            f" FROM calls WHERE {where} GROUP BY 1 ORDER BY calls DESC, category",
            params,
        ).df()
        counts = ["calls"]
    elif name == "calls_by_area":
        if not f.area_set:
            return pd.DataFrame(columns=["area", "calls"])
        where, params = _calls_where(city, f, "c")
        # Sensitive call types are counted citywide but never placed on a map or in an area.
        df = con.execute(
            f"""SELECT coalesce(a.name, p.area_id, 'not placed') AS area, count(*) AS calls
            FROM calls c JOIN placements p ON p.kind = 'calls' AND p.row_id = c.row_id
              AND p.area_set = ?
            LEFT JOIN areas a ON a.city = c.city AND a.area_set = p.area_set
              AND a.area_id = p.area_id
            WHERE {where} AND NOT {sensitive_sql("c.call_type")}
            GROUP BY 1 ORDER BY calls DESC, area""",
            [f.area_set, *params],
        ).df()
        counts = ["calls"]
    elif name == "stops_by_race":
        params2: list[Any] = [city]
        extra = ""
        if f.year:
            extra = " AND year(date) = ?"
            params2.append(f.year)
        df = con.execute(
            "SELECT coalesce(subject_race, 'unknown') AS subject_race, count(*) AS stops,"
            " count(*) FILTER (WHERE search_conducted) AS searches"
            f" FROM stops WHERE city = ?{extra} GROUP BY 1 ORDER BY stops DESC, subject_race",
            params2,
        ).df()
        counts = ["stops", "searches"]
    else:
        raise HTTPException(404, f"no table named {name}")
    if df.empty:
        return df
    total = df[counts[0]].sum()
    out = publish(df, counts, min_count=store.settings.privacy.min_count).table
    out[counts] = out[counts].astype("Float64").round().astype("Int64")
    # Shares come from the published counts only, so a hidden count hides its share too.
    out["share"] = out[counts[0]].astype("Float64") / total if total else pd.NA
    return out


def bars(df: pd.DataFrame, label: str, value: str, top: int = 15) -> list[dict[str, Any]]:
    """Rows for a plain SVG bar chart drawn by the template (widths as attributes, no styles)."""
    rows = df.head(top)
    biggest = float(rows[value].max(skipna=True) or 0) if len(rows) else 0.0
    out = []
    for r in rows.itertuples(index=False):
        v = getattr(r, value)
        hidden = v is pd.NA or pd.isna(v)
        out.append({
            "label": str(getattr(r, label)),
            "width": 0 if hidden or not biggest else round(300 * float(v) / biggest, 1),
            "text": "suppressed" if hidden else f"{int(v):,}",
        })  # fmt: skip
    return out


def _filters(
    year: str | None, area_set: str | None, category: str | None, opts: dict[str, list[Any]]
) -> Filters:
    y = int(year) if year and year.isdigit() and int(year) in opts["years"] else None
    a = (
        area_set
        if area_set in opts["area_sets"]
        else (opts["area_sets"][0] if opts["area_sets"] else None)
    )
    c = category if category in opts["categories"] else None
    return Filters(y, a, c)


def _city(store: Store, city_slug: str) -> str:
    for city in cities(store):
        if slug(city) == city_slug:
            return city
    raise HTTPException(404, f"no city {city_slug!r} in this workspace")


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_home(request: Request) -> HTMLResponse:
    from publicsafety.web.app import render

    try:
        with _store(request) as store:
            found = [(c, slug(c)) for c in cities(store)]
    except HTTPException:
        found = []
    return render(request, "dashboard/index.html", {"cities": found})


@router.get("/dashboard/{city_slug}", response_class=HTMLResponse)
def dashboard_city(
    request: Request,
    city_slug: str,
    year: str | None = None,
    area_set: str | None = None,
    category: str | None = None,
) -> HTMLResponse:
    from publicsafety.web.app import render

    with _store(request) as store:
        city = _city(store, city_slug)
        opts = choices(store, city)
        f = _filters(year, area_set, category, opts)
        tables = {name: table(store, city, name, f) for name in TABLES}
        where, params = _calls_where(city, f, "c")
        _ = gettext_functions(request.state.lang)["_"]
        area_map = calls_map(store, city, f.area_set, where, params, _)
    report = Path(request.app.state.workspace) / "outputs" / city_slug / "report" / "report.pdf"
    charts = {
        "calls_by_category": bars(tables["calls_by_category"], "category", "calls"),
        "calls_by_area": bars(tables["calls_by_area"], "area", "calls"),
        "stops_by_race": bars(tables["stops_by_race"], "subject_race", "stops"),
    }
    # Templates test for None; pandas' NA refuses to be tested for truth.
    shown = {k: df.astype(object).where(df.notna(), None) for k, df in tables.items()}
    return render(request, "dashboard/city.html", {
        "city": city, "city_slug": city_slug, "opts": opts, "f": f, "tables": shown,
        "charts": charts, "has_report": report.exists(), "area_map": area_map,
    })  # fmt: skip


@router.get("/dashboard/{city_slug}/{name}.csv")
def dashboard_csv(
    request: Request,
    city_slug: str,
    name: str,
    year: str | None = None,
    area_set: str | None = None,
    category: str | None = None,
) -> Response:
    if name not in TABLES:
        raise HTTPException(404, f"no table named {name}")
    with _store(request) as store:
        city = _city(store, city_slug)
        f = _filters(year, area_set, category, choices(store, city))
        df = table(store, city, name, f)
    filename = re.sub(r"[^a-z0-9_.-]+", "_", f"{city_slug}_{name}_{f.query()}".lower()).strip("_")
    return Response(
        df.to_csv(index=False, na_rep="suppressed"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


@router.get("/dashboard/{city_slug}/report.pdf")
def dashboard_report(request: Request, city_slug: str) -> FileResponse:
    path = Path(request.app.state.workspace) / "outputs" / city_slug / "report" / "report.pdf"
    if not re.fullmatch(r"[a-z0-9_]+", city_slug) or not path.exists():
        raise HTTPException(404, "no report built for this city yet: run `publicsafety report`")
    return FileResponse(path, media_type="application/pdf", filename=f"{city_slug}_report.pdf")
