"""The assessment's pages: the guided flow for residents (no JavaScript needed, resumable), and
for logged-in facilitators their sessions (link, QR code, live results, export, paper entry)."""

from __future__ import annotations

import os
import time
from typing import Any

import segno
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from publicsafety.assessment import aggregate, export, flow
from publicsafety.assessment.accounts import LoginLimited, login
from publicsafety.assessment.content import POINTS, TOP_N, cities, load_questions, neighbourhoods
from publicsafety.assessment.store import AnswerStore, open_answers
from publicsafety.web.app import render

router = APIRouter(prefix="/assessment")
LOGIN_COOKIE = "ps_login"
HONEYPOT = "website"


def setup(app: FastAPI) -> None:
    app.state.answers = open_answers(app.state.workspace)


def min_seconds() -> float:
    """Anti-automation: a person needs at least this long from start to submit."""
    return float(os.environ.get("PUBLICSAFETY_ASSESSMENT_MIN_SECONDS", "5"))


def answers(request: Request) -> AnswerStore:
    store: AnswerStore = request.app.state.answers
    return store


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def areas_for(request: Request, city: str) -> list[str]:
    return neighbourhoods(city, request.app.state.workspace)


def page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    ctx.setdefault("errors", [])
    ctx.update(top_n=TOP_N, points_total=POINTS)
    return render(request, f"assessment/{name}.html", ctx, status)


# -- residents ----------------------------------------------------------------------------------
@router.get("", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    return page(request, "start", {"cities": sorted(cities()), "session": None})


@router.get("/s/{code}", response_class=HTMLResponse)
def session_start(request: Request, code: str) -> HTMLResponse:
    session = answers(request).session(code)
    if session is None:
        return page(request, "start", {"cities": sorted(cities()), "session": None,
                                       "errors": ["session_unknown"]}, 404)  # fmt: skip
    return page(request, "start", {"cities": [session["city"]], "session": session})


@router.post("/start")
async def begin(request: Request) -> Response:
    form = await request.form()
    store = answers(request)
    session = store.session(str(form.get("session", ""))) if form.get("session") else None
    city = session["city"] if session else str(form.get("city", ""))
    if city not in cities():
        errors = ["session_unknown"] if form.get("session") else ["city_missing"]
        return page(
            request, "start", {"cities": sorted(cities()), "session": None, "errors": errors}, 400
        )
    draft = store.new_draft(city, request.state.lang, session["code"] if session else None)
    return see_other(f"/assessment/r/{draft.resume}/area")


@router.get("/resume")
def resume(request: Request, code: str = "") -> Response:
    draft = answers(request).draft(code)
    if draft is None:
        return page(
            request,
            "start",
            {"cities": sorted(cities()), "session": None, "errors": ["resume_unknown"]},
            404,
        )
    if draft.submitted_id:
        return see_other(f"/assessment/r/{draft.resume}/done")
    return see_other(f"/assessment/r/{draft.resume}/{flow.next_step(draft.data)}")


def _step_ctx(request: Request, draft: Any, step: str) -> dict[str, Any]:
    q = load_questions(request.state.lang, draft.city)
    return {"draft": draft, "q": q, "step": step, "steps": flow.STEPS, "data": draft.data,
            "areas": areas_for(request, draft.city), "step_no": flow.STEPS.index(step) + 1}  # fmt: skip


@router.get("/r/{rc}/{step}", response_class=HTMLResponse)
def show_step(request: Request, rc: str, step: str) -> Response:
    draft = answers(request).draft(rc)
    if draft is None or step not in (*flow.STEPS, "done"):
        return page(
            request,
            "start",
            {"cities": sorted(cities()), "session": None, "errors": ["resume_unknown"]},
            404,
        )
    if step == "done":
        if not draft.submitted_id:
            return see_other(f"/assessment/r/{draft.resume}/{flow.next_step(draft.data)}")
        response = answers(request).response(draft.submitted_id)
        q = load_questions(request.state.lang, draft.city)
        return page(request, "done", {"r": response, "q": q, "draft": draft})
    if draft.submitted_id:
        return see_other(f"/assessment/r/{draft.resume}/done")
    return page(request, step, _step_ctx(request, draft, step))


@router.post("/r/{rc}/{step}", response_class=HTMLResponse)
async def save_step(request: Request, rc: str, step: str) -> Response:
    store = answers(request)
    draft = store.draft(rc)
    if draft is None or step not in flow.STEPS:
        return page(
            request,
            "start",
            {"cities": sorted(cities()), "session": None, "errors": ["resume_unknown"]},
            404,
        )
    form = await request.form()
    q = load_questions(request.state.lang, draft.city)
    if step == "area":
        got, errors = flow.read_area(form, areas_for(request, draft.city))
    elif step == "rate":
        got, errors = flow.read_ratings(form, q)
    elif step == "prioritise":
        got, errors = flow.read_priorities(form, q)
    else:
        got, errors = flow.read_about(form, q)
    data = {**draft.data, **{k: v for k, v in got.items() if k not in ("entered", "missing")}}
    if errors:
        ctx = _step_ctx(request, draft, step)
        ctx.update(errors=errors, data={**data, **got})
        return page(request, step, ctx, 400)
    if step != "about":
        store.save_draft(draft.resume, data)
        return see_other(f"/assessment/r/{draft.resume}/{flow.STEPS[flow.STEPS.index(step) + 1]}")
    if form.get(HONEYPOT) or time.time() - draft.created_at < min_seconds():
        # Filled by a robot (hidden field) or faster than a person can read the questions.
        return page(request, "error", {"errors": ["too_fast"]}, 400)
    if form.get("token") != draft.token or flow.next_step(data) != "about":
        return see_other(f"/assessment/r/{draft.resume}/{flow.next_step(data)}")
    store.save_draft(draft.resume, data)
    session = store.session(draft.session_code) if draft.session_code else None
    response = flow.as_response(
        data, city=draft.city, lang=draft.lang, channel="web", session=session
    )
    store.submit(draft.token, response, resume=draft.resume)  # returns after COMMIT
    return see_other(f"/assessment/r/{draft.resume}/done")


# -- facilitators -------------------------------------------------------------------------------
def current_user(request: Request) -> dict[str, Any] | None:
    token = request.cookies.get(LOGIN_COOKIE)
    return answers(request).login_user(token) if token else None


def own_session(request: Request, code: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    user = current_user(request)
    session = answers(request).session(code) if user else None
    if session and user and user["role"] != "admin" and session["owner"] != user["username"]:
        session = None
    return user, session


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login", {})


@router.post("/login", response_class=HTMLResponse)
async def login_post(request: Request) -> Response:
    form = await request.form()
    address = request.client.host if request.client else "unknown"
    try:
        token = login(
            answers(request), str(form.get("username", "")), str(form.get("password", "")), address
        )
    except LoginLimited:
        return page(request, "login", {"errors": ["login_limited"]}, 429)
    if token is None:
        return page(request, "login", {"errors": ["login_failed"]}, 401)
    response = see_other("/assessment/facilitate")
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    token = request.cookies.get(LOGIN_COOKIE)
    if token:
        answers(request).end_login(token)
    response = see_other("/assessment/login")
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.get("/facilitate", response_class=HTMLResponse)
def dashboard(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return see_other("/assessment/login")
    owner = None if user["role"] == "admin" else user["username"]
    return page(request, "facilitate", {"user": user, "sessions": answers(request).sessions(owner),
                                        "cities": sorted(cities())})  # fmt: skip


@router.post("/facilitate", response_class=HTMLResponse)
async def create_session(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return see_other("/assessment/login")
    form = await request.form()
    city, title = str(form.get("city", "")), str(form.get("title", "")).strip()[:200]
    round_ = str(form.get("round", "")).strip()[:50]
    if city not in cities() or not title or not round_:
        ctx = {"user": user, "sessions": answers(request).sessions(), "cities": sorted(cities()),
               "errors": ["session_fields"]}  # fmt: skip
        return page(request, "facilitate", ctx, 400)
    code = answers(request).create_session(city, title, round_, user["username"])
    return see_other(f"/assessment/facilitate/{code}")


def results_ctx(request: Request, session: dict[str, Any]) -> dict[str, Any]:
    q = load_questions(request.state.lang, session["city"])
    rs = answers(request).responses(session_code=session["code"])
    n = len(rs)
    ok = aggregate.publishable(n)
    scales: dict[str, list[str]] = {}
    for item in q.items:
        scales.setdefault(item.scale, []).append(item.id)
    return {
        "q": q, "n": n if ok else None, "shown": ok,
        "table": aggregate.priorities(rs, q.factor_ids, n_boot=500) if ok else None,
        "areas": aggregate.by_neighbourhood(rs, q.factor_ids, n_boot=500) if ok else [],
        "scales": aggregate.trust_scales(rs, scales) if ok else None,
        "paper": sum(r["channel"] == "paper" for r in rs),
    }  # fmt: skip


@router.get("/facilitate/{code}", response_class=HTMLResponse)
def session_page(request: Request, code: str) -> Response:
    user, session = own_session(request, code)
    if user is None:
        return see_other("/assessment/login")
    if session is None:
        return page(request, "error", {"errors": ["session_unknown"]}, 404)
    link = str(request.base_url).rstrip("/") + f"/assessment/s/{session['code']}"
    qr = segno.make(link, error="m").svg_inline(scale=4, title=link, omitsize=True)
    ctx = {
        "user": user,
        "session": session,
        "link": link,
        "qr": qr,
        **results_ctx(request, session),
    }
    return page(request, "session", ctx)


@router.get("/facilitate/{code}/export.{fmt}")
def export_answers(request: Request, code: str, fmt: str) -> Response:
    user, session = own_session(request, code)
    if user is None or session is None or fmt not in ("csv", "xlsx"):
        return see_other("/assessment/login")
    q = load_questions("en", session["city"])
    rows = export.flat_rows(answers(request).responses(session_code=session["code"]), q.factor_ids)
    name = f"assessment-{session['code']}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return Response(export.to_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(export.to_xlsx(rows), media_type=xlsx, headers=headers)


@router.get("/facilitate/{code}/paper", response_class=HTMLResponse)
def paper_form(request: Request, code: str, saved: int | None = None) -> Response:
    user, session = own_session(request, code)
    if user is None or session is None:
        return see_other("/assessment/login")
    q = load_questions(request.state.lang, session["city"])
    return page(request, "paper", {"session": session, "q": q, "areas": areas_for(request, session["city"]),
                                   "saved": saved, "data": {}, "token": os.urandom(12).hex()})  # fmt: skip


@router.post("/facilitate/{code}/paper", response_class=HTMLResponse)
async def paper_save(request: Request, code: str) -> Response:
    user, session = own_session(request, code)
    if user is None or session is None:
        return see_other("/assessment/login")
    form = await request.form()
    q = load_questions(request.state.lang, session["city"])
    area_list = areas_for(request, session["city"])
    data: dict[str, Any] = {}
    errors: list[str] = []
    for got, errs in (flow.read_area(form, area_list), flow.read_ratings(form, q),
                      flow.read_priorities(form, q), flow.read_about(form, q)):  # fmt: skip
        data.update(got)
        errors += errs
    token = str(form.get("token", ""))
    if errors or not token:
        ctx = {"session": session, "q": q, "areas": area_list, "saved": None, "data": data,
               "errors": errors, "token": token or os.urandom(12).hex()}  # fmt: skip
        return page(request, "paper", ctx, 400)
    response = flow.as_response(
        data, city=session["city"], lang=request.state.lang, channel="paper", session=session
    )
    rid = answers(request).submit("paper-" + token, response)
    return see_other(f"/assessment/facilitate/{session['code']}/paper?saved={rid}")


@router.get("/facilitate/{code}/worksheet.pdf")
def worksheet_pdf(request: Request, code: str, lang: str = "en") -> Response:
    import tempfile
    from pathlib import Path

    from publicsafety.assessment.worksheet import write_worksheet

    user, session = own_session(request, code)
    if user is None or session is None:
        return see_other("/assessment/login")
    with tempfile.TemporaryDirectory() as tmp:
        out = write_worksheet(Path(tmp) / "worksheet.pdf", session["city"], lang if lang in ("en", "es") else "en",
                              session["code"], areas_for(request, session["city"]))  # fmt: skip
        pdf = out.read_bytes()
    return Response(pdf, media_type="application/pdf")


@router.get("/facilitate-city", response_class=HTMLResponse)
def city_page(request: Request, city: str = "") -> Response:
    """Citywide results across sessions: only aggregates, through the privacy rules."""
    from publicsafety.assessment.report import city_results

    user = current_user(request)
    if user is None:
        return see_other("/assessment/login")
    if city not in cities():
        return page(request, "error", {"errors": ["city_missing"]}, 404)
    res = city_results(request.app.state.workspace, city, answers(request), n_boot=500)
    return page(
        request, "city", {"user": user, "res": res, "q": load_questions(request.state.lang, city)}
    )
