"""FastAPI application factory; each feature adds its pages with a router."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from publicsafety import __version__
from publicsafety.web.i18n import LANGUAGES, gettext_functions, pick_language
from publicsafety.web.security import CSRF_COOKIE, CSRF_FIELD, HEADERS, CSRFMiddleware, new_token

WEB = Path(str(resources.files("publicsafety.web")))
templates = Jinja2Templates(directory=str(WEB / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.autoescape = True

# Routers of features (assessment, dashboard, documents ...) register here: module paths with a
# `router` attribute (fastapi.APIRouter) and optional `setup(app)`.
FEATURES: tuple[str, ...] = (
    "publicsafety.web.assessment",
    "publicsafety.web.dashboard",
    "publicsafety.web.documents",
)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render a template in the request's language with the CSRF token and language switch."""
    lang = request.state.lang
    ctx = {
        **gettext_functions(lang),
        "request": request,
        "lang": lang,
        "languages": LANGUAGES,
        "csrf_field": CSRF_FIELD,
        "csrf_token": request.state.csrf_token,
        "version": __version__,
        "path": request.url.path,
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def create_app(workspace: Path | str = "workspace") -> FastAPI:
    app = FastAPI(title="publicsafety", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.workspace = Path(workspace)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

    @app.middleware("http")
    async def language_csrf_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.lang = pick_language(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
            request.headers.get("accept-language"),
        )
        token = request.cookies.get(CSRF_COOKIE) or new_token()
        request.state.csrf_token = token
        response = await call_next(request)
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        if CSRF_COOKIE not in request.cookies:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie("lang", request.state.lang, samesite="lax", max_age=365 * 86400)
        return response

    async def csrf_failed(scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        request.state.lang = pick_language(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
            request.headers.get("accept-language"),
        )
        request.state.csrf_token = request.cookies.get(CSRF_COOKIE) or new_token()
        response = render(request, "error.html", {"kind": "csrf"}, status=403)
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        await response(scope, receive, send)

    # Added last so it runs first, outside the language middleware.
    app.add_middleware(CSRFMiddleware, on_fail=csrf_failed)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return render(request, "home.html")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    import importlib

    for feature in FEATURES:
        module = importlib.import_module(feature)
        app.include_router(module.router)
        if hasattr(module, "setup"):
            module.setup(app)
    return app
