"""Drive the assessment through HTTP (TestClient or httpx): one respondent, start to finish."""

from __future__ import annotations

import re
from typing import Any

from publicsafety.assessment.content import load_questions

SAME = {"sec-fetch-site": "same-origin"}


def csrf(client: Any) -> str:
    if not client.cookies.get("ps_csrf"):
        client.get("/assessment")
    return str(client.cookies.get("ps_csrf"))


def post(client: Any, url: str, data: dict[str, str]) -> Any:
    return client.post(
        url, data={"csrf_token": csrf(client), **data}, headers=SAME, follow_redirects=False
    )


def fill(client: Any, *, area: str = "Riverside", city: str = "Sample City", session: str = "",
         top: str = "housing") -> tuple[str, str]:  # fmt: skip
    """Answer the first three steps; returns the draft's base URL and its client token."""
    q = load_questions("en", city)
    r = post(client, "/assessment/start", {"city": city, "session": session})
    base = r.headers["location"].rsplit("/", 1)[0]
    post(client, base + "/area", {"area": area})
    post(
        client, base + "/rate", {f"rate_{f.id}": "4" for f in q.factors} | {"agree_pj_respect": "2"}
    )
    second = "housing" if top == "violence" else "violence"
    post(client, base + "/prioritise", {"mode": "rank", "rank_1": top, "rank_2": second})
    token = re.search(r'name="token" value="([^"]+)"', client.get(base + "/about").text).group(1)  # type: ignore[union-attr]
    return base, token


def finish(
    client: Any, base: str, token: str, comment: str = "", demo: dict[str, str] | None = None
) -> Any:
    fields = {
        "token": token,
        "comment": comment,
        **{f"demo_{k}": v for k, v in (demo or {}).items()},
    }
    return post(client, base + "/about", fields)


def complete(client: Any, *, area: str = "Riverside", city: str = "Sample City", session: str = "",
             comment: str = "", top: str = "housing", demo: dict[str, str] | None = None) -> Any:  # fmt: skip
    """Answer every step; returns the final POST's response (303 to /done when saved)."""
    base, token = fill(client, area=area, city=city, session=session, top=top)
    return finish(client, base, token, comment, demo)
