"""`publicsafety taxonomy ...`: classify calls, list unmapped call types, propose and load maps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from publicsafety.cli.common import (
    DEFAULT_WS,
    JsonOpt,
    WorkspaceOpt,
    console,
    emit_json,
    rich_table,
)
from publicsafety.engine import open_store
from publicsafety.errors import InputError
from publicsafety.taxonomy import (
    classify,
    install_map,
    suggest,
    suggest_for_city,
    types_from_file,
    unmapped,
)
from publicsafety.taxonomy.suggest import write_suggestion

taxonomy_app = typer.Typer(
    help="Call taxonomy: what each call type is about and who could answer it."
)

CityOpt = Annotated[str | None, typer.Option("--city", help="Only this city (as in its profile).")]
FINAL_NOTE = "Calls are classified on the final call type; the initial type is kept beside it."


@taxonomy_app.command("classify")
def classify_cmd(
    city: CityOpt = None, workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False
) -> None:
    """Fill category, responder and category_rule on every call from the city's map."""
    with open_store(workspace) as store:
        results = classify(store, city, workspace)
    rows = [
        {
            "city": r.city,
            "map": r.map_file or "(none)",
            "calls": r.calls,
            "by_map": r.by_map,
            "by_keyword": r.by_keyword,
            "unmapped": r.unmapped,
            "on_initial_type": r.on_initial,
            "map_coverage": round(r.coverage, 4),
        }
        for r in results
    ]
    if as_json:
        emit_json({"note": FINAL_NOTE, "cities": rows})
        return
    console.print(rich_table("Classified calls", rows))
    console.print(FINAL_NOTE)


@taxonomy_app.command("unmapped")
def unmapped_cmd(
    city: CityOpt = None,
    limit: Annotated[int, typer.Option(help="Show at most this many call types.")] = 50,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Call types the city's map does not cover, by calls and officer hours (run classify first)."""
    with open_store(workspace, read_only=True) as store:
        frame = unmapped(store, city)
    rows = [
        {str(k): (None if v != v else v) for k, v in rec.items()}  # NaN (no times) -> blank
        for rec in frame.head(limit).to_dict(orient="records")
    ]
    if as_json:
        emit_json(rows)
        return
    console.print(
        rich_table(f"{len(frame)} call types not in a map (top {min(limit, len(frame))})", rows)
    )
    console.print(
        "Officer hours: cleared minus arrival (or dispatch), 0-24 h spans; blank when no times."
    )


@taxonomy_app.command("suggest")
def suggest_cmd(
    out: Annotated[Path, typer.Option("--out", help="Where to write the proposed map (CSV).")],
    city: CityOpt = None,
    from_file: Annotated[
        Path | None,
        typer.Option("--from", help="CSV of raw call types: call_type[, call_type_code][, calls]."),
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Write a proposed map for a city's call types, to edit and load with `taxonomy load`."""
    if (city is None) == (from_file is None):
        raise InputError(
            "give exactly one of --city and --from", fix="e.g. --city Portland or --from types.csv"
        )
    if from_file is not None:
        frame = suggest(types_from_file(from_file))
    else:
        assert city is not None
        with open_store(workspace, read_only=True) as store:
            frame = suggest_for_city(store, city)
    write_suggestion(frame, out)
    total = int(frame["calls"].sum())
    classified = int(frame.loc[frame["category"] != "unmapped", "calls"].sum())
    share = f" ({classified / total:.1%} of {total:,} calls)" if total else ""
    console.print(
        f"Wrote {len(frame)} call types to {out}; {int((frame['category'] != 'unmapped').sum())} have a "
        f"proposal{share}. Edit category and responder (rows left 'unmapped' must be filled or deleted), "
        "then run `publicsafety taxonomy load FILE --city NAME`."
    )


@taxonomy_app.command("load")
def load_cmd(
    file: Annotated[Path, typer.Argument(help="An edited map CSV.")],
    city: Annotated[str, typer.Option("--city", help="City the map is for.")],
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Check an edited map and install it in the workspace, where it replaces the shipped map."""
    dest = install_map(file, city, workspace)
    console.print(
        f"Installed {dest}. Run `publicsafety taxonomy classify --city {city!r}` to apply it."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(taxonomy_app, name="taxonomy")
