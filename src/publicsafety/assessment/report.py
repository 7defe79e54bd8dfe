"""A session's results as plain data (CLI and JSON), through the privacy rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publicsafety.assessment import aggregate
from publicsafety.assessment.content import load_questions
from publicsafety.assessment.store import open_answers
from publicsafety.errors import PublicSafetyError


def session_results(workspace: Path, code: str) -> dict[str, Any]:
    store = open_answers(workspace)
    session = store.session(code)
    if session is None:
        raise PublicSafetyError(f"no session with code {code!r}",
                                fix="check the code on the facilitator's page (`/assessment/facilitate`)")  # fmt: skip
    q = load_questions("en", session["city"])
    rs = store.responses(session_code=session["code"])
    out: dict[str, Any] = {k: session[k] for k in ("code", "city", "title", "round")}
    if not aggregate.publishable(len(rs)):
        return {**out, "n": None, "priorities": None}
    table = aggregate.priorities(rs, q.factor_ids)
    rows = [{"rank": int(r.rank), "factor": q.factor(r.factor).label, "points": round(r.points, 1),
             "low": round(r.low, 1), "high": round(r.high, 1)} for r in table.itertuples()]  # fmt: skip
    return {**out, "n": len(rs), "priorities": rows}
