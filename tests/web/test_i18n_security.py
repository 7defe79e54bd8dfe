"""Interface translations are complete, and CSRF refuses cross-site posts."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from fastapi import Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from publicsafety.web.app import WEB, create_app
from publicsafety.web.i18n import LOCALES, pick_language

MSG = re.compile(r"""_\(\s*(["'])(.+?)\1\s*[,)]""", re.S)


def template_strings() -> set[str]:
    found: set[str] = set()
    # Templates, and pages drawn in Python with the request's `_` (the dashboard's map).
    for path in [*(WEB / "templates").rglob("*.html"), *WEB.glob("*.py")]:
        found |= {m.group(2) for m in MSG.finditer(path.read_text(encoding="utf-8"))}
    return found


def test_every_interface_string_has_a_spanish_translation() -> None:
    with (LOCALES / "es" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="es")
    translated = {m.id for m in catalog if m.id and m.string}
    missing = sorted(template_strings() - translated)
    assert missing == [], f"add these to locales/es/LC_MESSAGES/messages.po: {missing}"


def test_language_choice_order() -> None:
    assert pick_language("es", "en", "en-US") == "es"
    assert pick_language(None, "es", "en-US") == "es"
    assert pick_language(None, None, "es-MX,es;q=0.9,en;q=0.5") == "es"
    assert pick_language("fr", None, "de") == "en"


def _app_with_form(tmp_path: Path) -> TestClient:
    app = create_app(tmp_path)

    @app.post("/echo")
    async def echo(request: Request) -> PlainTextResponse:
        form = await request.form()
        return PlainTextResponse(str(form.get("comment")))

    return TestClient(app)


def test_csrf_same_site_post_with_token_passes(tmp_path: Path) -> None:
    client = _app_with_form(tmp_path)
    client.get("/")
    token = client.cookies.get("ps_csrf")
    r = client.post(
        "/echo",
        data={"comment": "hello", "csrf_token": token},
        headers={"sec-fetch-site": "same-origin"},
    )
    assert (r.status_code, r.text) == (200, "hello")


def test_csrf_cross_site_post_is_refused(tmp_path: Path) -> None:
    client = _app_with_form(tmp_path)
    client.get("/")
    token = client.cookies.get("ps_csrf")
    for headers in ({"sec-fetch-site": "cross-site"}, {"origin": "https://evil.example"}):
        r = client.post("/echo", data={"comment": "x", "csrf_token": token}, headers=headers)
        assert r.status_code == 403
        assert "did not come from this site" in r.text
    r = client.post("/echo", data={"comment": "x", "csrf_token": "forged"})
    assert r.status_code == 403


def test_each_request_renders_in_its_own_language(tmp_path: Path) -> None:
    """The language of one request never leaks into the next (macros imported by templates
    included): alternate Spanish and English on one app."""
    client = TestClient(create_app(tmp_path))
    for lang, text in [
        ("es", "No encontramos ese código"),
        ("en", "could not find that resume code"),
    ] * 2:
        r = client.get(f"/assessment/resume?code=NOPE&lang={lang}")
        assert r.status_code == 404 and text in r.text, lang
