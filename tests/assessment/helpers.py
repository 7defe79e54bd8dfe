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


def complete(client: Any, *, area: str = "Riverside", city: str = "Sample City", session: str = "",
             comment: str = "", top: str = "housing", demo: dict[str, str] | None = None) -> Any:  # fmt: skip
    """Answer every step; returns the final POST's response (303 to /done when saved)."""
    q = load_questions("en", city)
    r = post(client, "/assessment/start", {"city": city, "session": session})
    base = r.headers["location"].rsplit("/", 1)[0]
    post(client, base + "/area", {"area": area})
    post(
        client, base + "/rate", {f"rate_{f.id}": "4" for f in q.factors} | {"agree_pj_respect": "2"}
    )
    post(client, base + "/prioritise", {"mode": "rank", "rank_1": top, "rank_2": "violence"})
    token = re.search(r'name="token" value="([^"]+)"', client.get(base + "/about").text).group(1)  # type: ignore[union-attr]
    fields = {
        "token": token,
        "comment": comment,
        **{f"demo_{k}": v for k, v in (demo or {}).items()},
    }
    return post(client, base + "/about", fields)
