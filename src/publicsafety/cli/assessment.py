"""`publicsafety assessment ...`: the paper worksheet, a session's results, facilitator accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from publicsafety.cli.common import DEFAULT_WS, WorkspaceOpt, console, emit_json, rich_table


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="The neighbourhood assessment: worksheets, results, facilitators.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="assessment")

    @group.command()
    def worksheet(
        city: Annotated[
            str, typer.Option("--city", help="City, as in assessment/questions/cities.toml.")
        ],
        lang: Annotated[str, typer.Option("--lang", help="en or es.")] = "en",
        session: Annotated[
            str, typer.Option("--session", help="Session code printed on the sheet.")
        ] = "",
        out: Annotated[Path | None, typer.Option("--out", help="PDF file to write.")] = None,
        workspace: WorkspaceOpt = DEFAULT_WS,
    ) -> None:
        """Print the paper worksheet (PDF) with the same questions as the web flow."""
        from publicsafety.assessment.content import cities, neighbourhoods
        from publicsafety.assessment.worksheet import write_worksheet
        from publicsafety.errors import PublicSafetyError

        if city not in cities():
            raise PublicSafetyError(f"no assessment content for city {city!r}",
                                    fix=f"use one of: {', '.join(sorted(cities()))}")  # fmt: skip
        target = out or Path(f"worksheet-{city.lower().replace(' ', '-')}-{lang}.pdf")
        write_worksheet(target, city, lang, session, neighbourhoods(city, workspace))
        typer.echo(f"Wrote {target}")

    @group.command()
    def results(
        session: Annotated[str, typer.Argument(help="Session code.")],
        workspace: WorkspaceOpt = DEFAULT_WS,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print machine-readable JSON.")
        ] = False,
    ) -> None:
        """A session's priorities (points out of 100 with bootstrap intervals), privacy-safe."""
        from publicsafety.assessment.report import session_results

        res = session_results(workspace, session)
        if as_json:
            emit_json(res)
            return
        if res["priorities"] is None:
            typer.echo(f"{res['title']}: results appear once 11 or more people have answered.")
            return
        console.print(
            rich_table(
                f"{res['title']} ({res['city']}, {res['round']}): {res['n']} answers",
                res["priorities"],
            )
        )

    @group.command("add-facilitator")
    def add_facilitator(
        username: Annotated[str, typer.Argument(help="Login name.")],
        role: Annotated[str, typer.Option("--role", help="facilitator or admin.")] = "facilitator",
        password: Annotated[
            str,
            typer.Option(
                "--password",
                prompt=True,
                hide_input=True,
                confirmation_prompt=True,
                envvar="PUBLICSAFETY_NEW_PASSWORD",
                help="At least 10 characters (asked for when not given).",
            ),
        ] = "",
        workspace: WorkspaceOpt = DEFAULT_WS,
    ) -> None:
        """Create (or reset) a facilitator or admin account; the password is stored as an Argon2 hash."""
        from publicsafety.assessment.accounts import add_account
        from publicsafety.assessment.store import open_answers

        add_account(open_answers(workspace), username, password, role)
        typer.echo(f"Account {username} ({role}) saved.")
