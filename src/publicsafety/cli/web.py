"""`publicsafety serve`: run the web app."""

from __future__ import annotations

from typing import Annotated

import typer

from publicsafety.cli.common import DEFAULT_WS, WorkspaceOpt


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        workspace: WorkspaceOpt = DEFAULT_WS,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port.")] = 8000,
    ) -> None:
        """Run the web app (dashboard, documents, assessment) on http://HOST:PORT."""
        import uvicorn

        from publicsafety.web.app import create_app

        typer.echo(f"Serving {workspace} at http://{host}:{port}/  (Ctrl+C to stop)")
        uvicorn.run(create_app(workspace), host=host, port=port, log_level="warning")
