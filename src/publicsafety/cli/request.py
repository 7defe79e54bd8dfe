"""`publicsafety request`: write a public-records request letter and track its due dates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from publicsafety.cli.common import JsonOpt, emit_json
from publicsafety.documents.records import (
    LetterRequest,
    city_info,
    due_dates,
    load_law,
    request_letter,
)

request_app = typer.Typer(
    help="Public-records requests: a letter naming the exact data to ask for, and its due dates.",
    invoke_without_command=True,
)


@request_app.callback()
def letter(
    ctx: typer.Context,
    city: Annotated[str | None, typer.Option(help="City whose police data you ask for.")] = None,
    data: Annotated[
        str,
        typer.Option(help="calls, stops, incidents, arrests, force, complaints, budget, staffing"),
    ] = "calls",
    start: Annotated[
        str | None, typer.Option("--from", help="First day (YYYY-MM-DD); default: 3 years ago.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day (YYYY-MM-DD); default: today.")
    ] = None,
    state: Annotated[str | None, typer.Option(help="Override the state (two letters).")] = None,
    agency: Annotated[str | None, typer.Option(help="Override the agency name.")] = None,
    requester: Annotated[str, typer.Option(help="Your name.")] = "[your name]",
    contact: Annotated[
        str, typer.Option(help="Your email or address.")
    ] = "[your email or mailing address]",
    lang: Annotated[str, typer.Option(help="en or es")] = "en",
    out: Annotated[Path | None, typer.Option(help="Write the letter to this file.")] = None,
) -> None:
    """Write a request letter: `publicsafety request --city "New Orleans" --data calls`."""
    if ctx.invoked_subcommand is not None:
        return
    if city is None:
        raise typer.BadParameter("give --city NAME (e.g. --city Minneapolis)", param_hint="--city")
    info = city_info(city)
    today = date.today()
    req = LetterRequest(
        city=city,
        state=state or info["state"],
        data=data,
        start=date.fromisoformat(start) if start else today - timedelta(days=3 * 365),
        end=date.fromisoformat(end) if end else today,
        agency=agency or info["police"],
        requester=requester,
        contact=contact,
        lang=lang,
    )
    text = request_letter(req)
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}")
    else:
        typer.echo(text)


@request_app.command("track")
def track(
    received: Annotated[
        str, typer.Option(help="Day the agency received the request (YYYY-MM-DD).")
    ],
    city: Annotated[str | None, typer.Option(help="City (gives the state).")] = None,
    state: Annotated[
        str | None, typer.Option(help="State (two letters), or US for federal FOIA.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Due dates of a request under the state's law, business days counted with its holidays."""
    code = state or (city_info(city)["state"] if city else "generic")
    law = load_law(code)
    rows = [
        {
            "deadline": d.deadline.label,
            "due": d.due.isoformat() if d.due else "no fixed date",
            "days": d.deadline.days,
            "day_type": d.deadline.day_type,
            "source": d.deadline.source,
        }
        for d in due_dates(code, date.fromisoformat(received))
    ]
    if as_json:
        emit_json({"law": law.name, "citation": law.citation, "deadlines": rows})
        return
    typer.echo(f"{law.name} ({law.citation})")
    for r in rows:
        typer.echo(f"  {r['due']:>13}  {r['deadline']}  [{r['source']}]")


def register(app: typer.Typer) -> None:
    app.add_typer(request_app, name="request")
