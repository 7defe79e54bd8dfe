"""Security for every page: CSRF checks on unsafe methods, a strict Content Security Policy and
other headers.

CSRF: a state-changing request is refused unless the browser says it is same-origin
(Sec-Fetch-Site, else Origin/Referer host) AND it carries the per-session token from the form
(double submit: cookie + hidden field). Forms keep working without JavaScript.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "ps_csrf"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_origin(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in {"same-origin", "none"}
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        # Old browsers and command-line clients send neither; the token check still applies.
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def csrf_ok(request: Request, form: FormData) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = str(form.get(CSRF_FIELD, ""))
    return bool(cookie) and hmac.compare_digest(cookie, sent) and same_origin(request)


MAX_FORM_BYTES = 2_000_000


class CSRFMiddleware:
    """Pure ASGI middleware: checks CSRF on unsafe methods, then replays the body to the app."""

    def __init__(
        self, app: ASGIApp, on_fail: Callable[[Scope, Receive, Send], Awaitable[None]]
    ) -> None:
        self.app = app
        self.on_fail = on_fail  # async (scope, receive, send) -> None, renders the error page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            body = message.get("body", b"")
            size += len(body)
            if size > MAX_FORM_BYTES:
                break
            chunks.append(body)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        request = Request(scope, replay)
        form = await request.form()
        ok = size <= MAX_FORM_BYTES and csrf_ok(request, form)
        sent = False
        if ok:
            await self.app(scope, replay, send)
        else:
            await self.on_fail(scope, replay, send)
