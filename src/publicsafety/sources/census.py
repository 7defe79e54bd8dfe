"""US Census Bureau: ACS 5-year population by tract (race, sex, age) and TIGER/Line tract shapes.

The ACS API answers a JSON array of arrays whose first row is the header; it takes at most 50
variables a call, so the variables are asked for in groups and joined on the tract. The key is
optional (CENSUS_API_KEY): without one the API allows a small number of calls a day per address.
Negative sentinels such as -666666666 mean "no estimate" and are written as empty values.
TIGER/Line files are plain zip downloads and resume with HTTP Range.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from publicsafety.sources.cache import (
    Manifest,
    PagedCsv,
    Progress,
    cached,
    download_file,
    start,
)
from publicsafety.sources.http import FetchError, Http

API = "https://api.census.gov/data"
TIGER = "https://www2.census.gov/geo/tiger"
MAX_VARS = 48  # the API's limit is 50 names a call, with room for NAME

# Total; race and Hispanic origin (B03002, mutually exclusive groups); sex by age (B01001).
RACE = {
    "B03002_003E": "white",
    "B03002_004E": "black",
    "B03002_005E": "native american",
    "B03002_006E": "asian",
    "B03002_007E": "pacific islander",
    "B03002_008E": "other",
    "B03002_009E": "two or more",
    "B03002_012E": "hispanic",
}
SEX_AGE = [f"B01001_{i:03d}E" for i in range(2, 50)]
VARIABLES = ["B01003_001E", *RACE, *SEX_AGE]


def _fips(value: str | int, width: int, what: str) -> str:
    text = str(value).strip()
    if not text.isdigit() or len(text) > width:
        raise FetchError(
            f"{what} {value!r} is not a FIPS code",
            fix=f"give the {width}-digit FIPS code (for example --state 22 --county 071 for Orleans Parish, LA).",
        )
    return text.zfill(width)


def _number(value: Any) -> Any:
    # ACS marks a missing estimate with large negative sentinels (-666666666, -999999999 ...).
    try:
        return None if value is not None and float(value) <= -555555555 else value
    except (TypeError, ValueError):
        return value


def fetch_acs(
    http: Http,
    path: Path,
    *,
    state: str | int,
    county: str | int | None,
    year: int,
    variables: list[str] | None = None,
    api: str = API,
    key: str | None = None,
    refresh: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """ACS 5-year estimates for every tract of a state (or one county) to `path` as CSV."""
    st = _fips(state, 2, "state")
    names = variables or VARIABLES
    url = f"{api.rstrip('/')}/{int(year)}/acs/acs5"
    geo: dict[str, Any] = {"for": "tract:*", "in": f"state:{st}"}
    if county is not None:
        geo["in"] = [f"state:{st}", f"county:{_fips(county, 3, 'county')}"]
    key = key if key is not None else os.environ.get("CENSUS_API_KEY")
    manifest = Manifest(url=url, source="census", params={**geo, "variables": names})
    hit = None if refresh else cached(path, url)
    if hit is not None and hit.params == manifest.params:
        return hit
    manifest = start(path, manifest, refresh=True)
    merged: dict[tuple[str, ...], dict[str, Any]] = {}
    header: list[str] = []
    groups = [names[i : i + MAX_VARS] for i in range(0, len(names), MAX_VARS)]
    for n, group in enumerate(groups, 1):
        params = {"get": ",".join(["NAME", *group]), **geo}
        if key:
            params["key"] = key
        try:
            table = http.get(url, params).json()
        except ValueError as exc:
            raise FetchError(
                "the Census API did not answer JSON (an invalid key answers an HTML page)",
                where=url,
                fix="check CENSUS_API_KEY, or unset it to call without a key.",
            ) from exc
        head, rows = table[0], table[1:]
        geo_cols = [c for c in ("state", "county", "tract") if c in head]
        for row in rows:
            rec = dict(zip(head, row, strict=True))
            merged.setdefault(tuple(rec[c] for c in geo_cols), {}).update(rec)
        header = header or ["GEOID", "NAME", *geo_cols]
        header += [v for v in group if v not in header]
        if progress:
            progress(n, len(groups))
    writer = PagedCsv(path, manifest)
    try:
        rows_out = []
        for geo_key, rec in sorted(merged.items()):
            values = {"GEOID": "".join(geo_key), **{k: _number(v) for k, v in rec.items()}}
            rows_out.append([values.get(c) for c in header])
        writer.add(header, rows_out, 0)
    finally:
        writer.close()
    return writer.finish()


def tiger_url(year: int, state: str | int, base: str = TIGER) -> str:
    st = _fips(state, 2, "state")
    return f"{base.rstrip('/')}/TIGER{int(year)}/TRACT/tl_{int(year)}_{st}_tract.zip"


def fetch_tracts(
    http: Http,
    path: Path,
    *,
    state: str | int,
    year: int,
    base: str = TIGER,
    refresh: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """The TIGER/Line tract shapefile (zip) of a state, resumable."""
    url = tiger_url(year, state, base)
    return download_file(http, url, path, source="census", refresh=refresh, progress=progress)
