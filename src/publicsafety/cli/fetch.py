"""`publicsafety fetch`: download a city's dataset from its portal (or Census data) and ingest it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from publicsafety.cli.common import DEFAULT_WS, JsonOpt, WorkspaceOpt, console, emit_json
from publicsafety.sources import census, fetch_dataset
from publicsafety.sources.cache import Progress as Tick
from publicsafety.sources.cache import raw_path
from publicsafety.sources.http import FetchError, Http


@contextmanager
def _bar(label: str, quiet: bool) -> Iterator[Tick | None]:
    if quiet:
        yield None
        return
    with Progress(
        "{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


def fetch_cmd(
    city: Annotated[
        str, typer.Argument(help="City as in the catalogue (new_orleans), or `census`.")
    ],
    dataset: Annotated[
        str, typer.Argument(help="calls, stops, arrests ...; for census: acs (default) or tracts.")
    ] = "acs",
    year: Annotated[str, typer.Option("--year", "-y", help="Year to fetch, or `all`.")] = "all",
    workspace: WorkspaceOpt = DEFAULT_WS,
    no_ingest: Annotated[bool, typer.Option("--no-ingest", help="Download only.")] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Download again even if cached.")
    ] = False,
    catalog: Annotated[
        Path | None, typer.Option("--catalog", help="A catalogue TOML of your own portals.")
    ] = None,
    state: Annotated[str | None, typer.Option("--state", help="census: state FIPS (22).")] = None,
    county: Annotated[
        str | None, typer.Option("--county", help="census: county FIPS (071).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Download a city's dataset from its open data portal into WORKSPACE/raw (cached, checksummed,
    resumable) and ingest it with the city's profile. `fetch census --state 22 --county 071
    --year 2019` downloads ACS population by tract; `fetch census tracts --state 22 --year 2019`
    the TIGER/Line tract shapes."""
    if city == "census":
        _census(dataset, year, state, county, workspace, refresh, as_json)
        return
    if dataset == "acs":
        raise FetchError(
            "name the dataset to fetch",
            fix=f"for example: publicsafety fetch {city} calls --year 2019",
        )
    with _bar(f"{city} {dataset} {year}", as_json) as tick:
        result = fetch_dataset(
            workspace, city, dataset, year, catalog=catalog, ingest=not no_ingest,
            refresh=refresh, progress=tick,
        )  # fmt: skip
    if as_json:
        emit_json(result.as_dict())
        return
    m = result.manifest
    how = "already downloaded (checksum matches)" if result.cache_hit else "downloaded"
    console.print(
        f"{result.path}: {how}, {m.rows or 0:,} rows, {m.bytes:,} bytes, sha256 {m.sha256[:12]}..."
        f" (catalogue entry {result.status}).",
        soft_wrap=True,  # a long path must not be broken across lines
    )
    if result.ingest:
        r = result.ingest
        console.print(
            f"Ingested with {result.profile}: read {r['rows_read']:,} rows, loaded {r['rows_loaded']:,},"
            f" quarantined {r['rows_quarantined']:,}"
            + (" (already loaded; nothing changed)." if r["skipped"] else "."),
            soft_wrap=True,
        )
        for message in r["messages"]:
            console.print(f"  {message}", highlight=False, markup=False)


def _census(
    dataset: str,
    year: str,
    state: str | None,
    county: str | None,
    workspace: Path,
    refresh: bool,
    as_json: bool,
) -> None:
    if not state or not year.isdigit():
        raise FetchError(
            "census data needs --state and a --year",
            fix="for example: publicsafety fetch census --state 22 --county 071 --year 2019",
        )
    where = f"{state}{county or ''}"
    # Mirrors (and the tests' local server) stand in for the Census Bureau's hosts.
    api = os.environ.get("PUBLICSAFETY_CENSUS_API", census.API)
    tiger = os.environ.get("PUBLICSAFETY_TIGER_URL", census.TIGER)
    with Http() as http, _bar(f"census {dataset} {year}", as_json) as tick:
        if dataset == "acs":
            path = raw_path(workspace, "census", "acs5", year, f"{where}.csv")
            m = census.fetch_acs(
                http,
                path,
                state=state,
                county=county,
                year=int(year),
                api=api,
                refresh=refresh,
                progress=tick,
            )
        elif dataset == "tracts":
            path = raw_path(workspace, "census", "tracts", year, f"{state}.zip")
            m = census.fetch_tracts(
                http, path, state=state, year=int(year), base=tiger, refresh=refresh, progress=tick
            )
        else:
            raise FetchError(f"census dataset {dataset!r} is not acs or tracts")
    if as_json:
        emit_json({"file": str(path), "manifest": m.as_dict()})
        return
    rows = f"{m.rows:,} tracts, " if m.rows is not None else ""
    console.print(f"{path}: {rows}{m.bytes:,} bytes, sha256 {m.sha256[:12]}...", soft_wrap=True)
    console.print(
        "Census files are not ingested here: load them with a population or areas profile"
        " (`publicsafety ingest FILE --profile NAME`)."
    )


def register(app: typer.Typer) -> None:
    app.command("fetch")(fetch_cmd)
