"""Fetch a city's data from its open data portal into the workspace, then ingest it.

`fetch_dataset(workspace, "new_orleans", "calls", 2019)` looks the dataset up in our catalogue
(`catalog.toml`, data not code), downloads it to `<workspace>/raw/<city>/<dataset>/<year>.csv`
with a manifest (cache, checksum, resume: see `cache`), and loads it through the city profile.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from publicsafety.sources import arcgis, ckan, socrata
from publicsafety.sources.cache import (
    Manifest,
    Progress,
    raw_path,
    reuse,
    slug,
)
from publicsafety.sources.http import FetchError, Http

TYPES = frozenset({"socrata", "arcgis", "ckan"})
STATUSES = frozenset({"verified", "partly verified", "unverified"})


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: where a city's dataset of one kind lives."""

    city: str
    dataset: str
    type: str
    status: str
    checked: str
    domain: str = ""
    id: str = ""
    years: dict[str, str] = field(default_factory=dict)
    date_field: str | None = None
    header: str = "display"
    profile: str | None = None
    profiles: dict[str, str] = field(default_factory=dict)
    portal: str = "https://www.arcgis.com"
    page: int | None = None  # rows a request; default: the portal type's own limit

    def dataset_id(self, year: str) -> tuple[str, bool]:
        """The id to fetch for `year`, and whether it still needs the year filter."""
        if year in self.years:
            return self.years[year], False
        if self.id:
            return self.id, year != "all"
        known = ", ".join(sorted(self.years)) or "none"
        raise FetchError(
            f"the catalogue has no {self.city} {self.dataset} dataset for {year} (years: {known})",
            fix="choose one of those years, or add the portal's id for this year to the catalogue.",
        )

    def profile_for(self, year: str) -> str | None:
        chosen = self.profile
        for start, name in sorted(self.profiles.items()):
            if year.isdigit() and int(year) >= int(start):
                chosen = name
        return chosen


def load_catalog(path: Path | str | None = None) -> dict[tuple[str, str], Entry]:
    """The built-in catalogue, or a TOML file of the same form (a user's own portals)."""
    if path is None:
        text = resources.files("publicsafety.sources").joinpath("catalog.toml").read_text("utf-8")
        where = "sources/catalog.toml"
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise FetchError(f"cannot read the catalogue: {exc}", where=where) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FetchError(f"the catalogue is not valid TOML: {exc}", where=where) from exc
    out: dict[tuple[str, str], Entry] = {}
    for city, datasets in data.items():
        for name, raw in datasets.items():
            out[(city, name)] = _entry(city, name, raw, where)
    return out


def _entry(city: str, name: str, raw: dict[str, Any], where: str) -> Entry:
    here = f"{where} [{city}.{name}]"
    if raw.get("type") not in TYPES:
        raise FetchError(
            f"type {raw.get('type')!r} is not one of {', '.join(sorted(TYPES))}", where=here
        )
    if raw.get("status") not in STATUSES:
        raise FetchError(
            f"status {raw.get('status')!r} is not one of {', '.join(sorted(STATUSES))}",
            where=here,
            fix="say how far the id was checked, and against what in `checked`.",
        )
    known = {f for f in Entry.__dataclass_fields__} - {"city", "dataset"}
    unknown = set(raw) - known
    if unknown:
        raise FetchError(f"unknown keys {', '.join(sorted(unknown))}", where=here)
    years = {str(k): str(v) for k, v in raw.get("years", {}).items()}
    values = {k: v for k, v in raw.items() if k != "years"}
    values.setdefault("checked", "")
    return Entry(city=city, dataset=name, years=years, **values)


@dataclass
class FetchResult:
    city: str
    dataset: str
    year: str
    path: Path
    manifest: Manifest
    cache_hit: bool
    status: str
    profile: str | None
    ingest: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "city": self.city,
            "dataset": self.dataset,
            "year": self.year,
            "file": str(self.path),
            "cache_hit": self.cache_hit,
            "catalog_status": self.status,
            "profile": self.profile,
            "manifest": self.manifest.as_dict(),
            "ingest": self.ingest,
        }


def find_entry(city: str, dataset: str, catalog: dict[tuple[str, str], Entry]) -> Entry:
    key = (slug(city), slug(dataset))
    if key in catalog:
        return catalog[key]
    have = ", ".join(f"{c} {d}" for c, d in sorted(catalog))
    raise FetchError(
        f"no catalogue entry for {key[0]} {key[1]}",
        fix=f"known: {have}. Add your city's portal to a catalogue file and pass --catalog FILE.",
    )


def download(
    workspace: Path,
    entry: Entry,
    year: str | int,
    *,
    http: Http,
    refresh: bool = False,
    progress: Progress | None = None,
) -> tuple[Path, Manifest, bool]:
    """Download one year of a catalogue entry; returns the file, its manifest and cache hit."""
    year = str(year)
    dataset_id, filtered = entry.dataset_id(year)
    if not dataset_id:
        raise FetchError(
            f"the catalogue knows no dataset id for {entry.city} {entry.dataset} ({entry.status}): {entry.checked}",
            fix="find the dataset on the city portal and add its id to a catalogue file (--catalog).",
        )
    path = raw_path(workspace, entry.city, entry.dataset, year, "csv")
    hit = None if refresh else reuse(path, dataset_id, year)  # raises on a checksum mismatch
    if hit is not None:
        return path, hit, True
    date_field = entry.date_field if filtered else None
    if filtered and not date_field:
        raise FetchError(
            f"{entry.city} {entry.dataset} is one dataset for all years and the catalogue names no date_field",
            fix="fetch --year all, or add date_field to the catalogue entry.",
        )
    if entry.type == "socrata":
        manifest = socrata.fetch(
            http, entry.domain, dataset_id, path, date_field=date_field, year=year,
            header=entry.header, page=entry.page or socrata.PAGE, refresh=refresh, progress=progress,
        )  # fmt: skip
    elif entry.type == "arcgis":
        manifest = arcgis.fetch(
            http, dataset_id, path, date_field=date_field, year=year, portal=entry.portal,
            page=entry.page, refresh=refresh, progress=progress,
        )  # fmt: skip
    else:
        if filtered:
            raise FetchError(
                "CKAN's datastore_search cannot select a year",
                fix="list one resource id per year under `years` in the catalogue, or fetch --year all.",
            )
        manifest = ckan.fetch(
            http, entry.domain, dataset_id, path, page=entry.page or ckan.PAGE,
            refresh=refresh, progress=progress,
        )  # fmt: skip
    return path, manifest, False


def fetch_dataset(
    workspace: Path,
    city: str,
    dataset: str,
    year: str | int,
    *,
    catalog: Path | str | None = None,
    ingest: bool = True,
    refresh: bool = False,
    http: Http | None = None,
    progress: Progress | None = None,
) -> FetchResult:
    """Download (or reuse) one year of a city's dataset, then ingest it with the city profile."""
    entry = find_entry(city, dataset, load_catalog(catalog))
    own = http is None
    client = http or Http()
    try:
        path, manifest, hit = download(
            Path(workspace), entry, year, http=client, refresh=refresh, progress=progress
        )
    finally:
        if own:
            client.close()
    profile = entry.profile_for(str(year))
    result = FetchResult(
        entry.city, entry.dataset, str(year), path, manifest, hit, entry.status, profile
    )
    if ingest:
        if not profile:
            raise FetchError(
                f"downloaded {path.name} ({manifest.rows or 0:,} rows), but no built-in profile reads"
                f" {entry.city} {entry.dataset}",
                where=str(path),
                fix="write a profile (`publicsafety profile draft`) and run `publicsafety ingest"
                " FILE --profile YOURS`, or fetch with --no-ingest.",
            )
        from publicsafety.engine import open_store
        from publicsafety.ingest import ingest_file

        with open_store(Path(workspace)) as store:
            result.ingest = ingest_file(store, path, profile).as_dict()
    return result
