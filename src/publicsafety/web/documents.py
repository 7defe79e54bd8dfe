"""The toolkit's documents in the web app: each chapter as a page, for a chosen city and
language, and the records-request generator (a GET form that returns the letter as text)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from publicsafety.documents.records import (
    LetterRequest,
    _cities,
    city_info,
    request_fields,
    request_letter,
)
from publicsafety.documents.render import load_sections, render_section
from publicsafety.documents.toolkit import city_context
from publicsafety.errors import PublicSafetyError

router = APIRouter()


def known_cities() -> list[str]:
    return sorted(name.title() for name in _cities())


def _city(city: str | None) -> str:
    cities = known_cities()
    return city if city in cities else cities[0]


@router.get("/documents", response_class=HTMLResponse)
def documents_index(request: Request, city: str | None = None) -> HTMLResponse:
    from publicsafety.web.app import render

    sections = load_sections(request.state.lang)
    return render(request, "documents/index.html", {
        "sections": sections, "city": _city(city), "cities": known_cities(),
    })  # fmt: skip


@router.get("/documents/request", response_class=HTMLResponse)
def request_form(request: Request) -> HTMLResponse:
    from publicsafety.web.app import render

    today = date.today()
    return render(request, "documents/request.html", {
        "cities": known_cities(), "kinds": sorted(request_fields()),
        "start": (today - timedelta(days=3 * 365)).isoformat(), "end": today.isoformat(),
    })  # fmt: skip


@router.get("/documents/request/letter")
def request_letter_text(
    request: Request,
    city: str,
    data: str,
    start: str,
    end: str,
    requester: str = "[your name]",
    contact: str = "[your email or mailing address]",
) -> PlainTextResponse:
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise HTTPException(400, "dates must be written YYYY-MM-DD") from exc
    info = city_info(city)
    req = LetterRequest(
        city=city, state=info["state"], data=data, start=first, end=last,
        agency=info["police"], requester=requester or "[your name]",
        contact=contact or "[your email or mailing address]", lang=request.state.lang,
    )  # fmt: skip
    try:
        text = request_letter(req)
    except PublicSafetyError as exc:
        raise HTTPException(400, exc.message) from exc
    return PlainTextResponse(text)


@router.get("/documents/{slug}", response_class=HTMLResponse)
def document_page(request: Request, slug: str, city: str | None = None) -> HTMLResponse:
    from publicsafety.web.app import render

    sections = {s.slug: s for s in load_sections(request.state.lang)}
    if slug not in sections:
        raise HTTPException(404, f"no toolkit chapter {slug!r}")
    chosen = _city(city)
    body = render_section(sections[slug], city_context(chosen, request.state.lang))
    return render(request, "documents/page.html", {
        "section": sections[slug], "body": body, "city": chosen, "cities": known_cities(),
    })  # fmt: skip
