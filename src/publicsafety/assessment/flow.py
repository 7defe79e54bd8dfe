"""The guided flow's steps: read each step's form into a draft, say what is missing, and turn a
finished draft into a response. Shared by the web pages and the paper data-entry form.

Errors are short codes; the templates show them in the person's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from publicsafety.assessment.content import POINTS, TOP_N, Questions

STEPS = ("area", "rate", "prioritise", "about")
MAX_COMMENT = 2000
Form = Mapping[str, Any]


def _scale(value: Any, top: int = 5) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= top else None


def read_area(form: Form, choices: list[str]) -> tuple[dict[str, Any], list[str]]:
    area = str(form.get("area", "")).strip()
    if area not in choices:
        return {}, ["area_missing"]
    return {"area": area}, []


def read_ratings(form: Form, q: Questions) -> tuple[dict[str, Any], list[str]]:
    """Each factor needs a rating 1-5 or "don't know" (dk); the trust items are optional."""
    ratings: dict[str, int | None] = {}
    missing = []
    for f in q.factors:
        raw = str(form.get(f"rate_{f.id}", "")).strip()
        if raw == "dk":
            ratings[f.id] = None
        elif _scale(raw) is not None:
            ratings[f.id] = _scale(raw)
        else:
            missing.append(f.id)
    trust = {i.id: _scale(form.get(f"agree_{i.id}")) for i in q.items}
    errors = ["rating_missing"] if missing else []
    return {"ratings": ratings, "trust": trust, "missing": missing}, errors


def read_priorities(form: Form, q: Questions) -> tuple[dict[str, Any], list[str]]:
    """Either the top five in order (mode=rank) or 100 points spread (mode=points)."""
    ids = set(q.factor_ids)
    if form.get("mode") == "points":
        points: dict[str, int] = {}
        for fid in q.factor_ids:
            raw = str(form.get(f"points_{fid}", "")).strip() or "0"
            if not raw.isdigit():
                return {"mode": "points", "entered": dict(form)}, ["points_number"]
            if int(raw):
                points[fid] = int(raw)
        if sum(points.values()) != POINTS:
            return {"mode": "points", "entered": dict(form)}, ["points_sum"]
        return {"mode": "points", "priorities": points}, []
    chosen = [str(form.get(f"rank_{r}", "")).strip() for r in range(1, TOP_N + 1)]
    picked = [c for c in chosen if c]
    if not picked or any(c not in ids for c in picked):
        return {"mode": "rank", "entered": dict(form)}, ["rank_missing"]
    if len(set(picked)) != len(picked):
        return {"mode": "rank", "entered": dict(form)}, ["rank_duplicate"]
    return {"mode": "rank", "priorities": {c: r for r, c in enumerate(chosen, 1) if c}}, []


def read_about(form: Form, q: Questions) -> tuple[dict[str, Any], list[str]]:
    """Optional demographics (prefer not to say = empty) and an optional comment."""
    demo = {}
    for d in q.demographics:
        value = str(form.get(f"demo_{d.id}", "")).strip()
        demo[d.id] = value if value in {o[0] for o in d.options} else None
    comment = str(form.get("comment", "")).strip()
    if len(comment) > MAX_COMMENT:
        return {"demographics": demo, "comment": comment}, ["comment_long"]
    return {"demographics": demo, "comment": comment}, []


def next_step(data: Mapping[str, Any]) -> str:
    """The first step not yet done: where a resumed draft continues."""
    if "area" not in data:
        return "area"
    if "ratings" not in data:
        return "rate"
    if "priorities" not in data:
        return "prioritise"
    return "about"


def priority_shares(
    mode: str, priorities: Mapping[str, int], factor_ids: tuple[str, ...]
) -> list[float]:
    """A respondent's priorities as shares of 100 points, so ranks and points can be pooled.
    A rank r of the top five earns TOP_N + 1 - r Borda points (5, 4, 3, 2, 1), unranked 0."""
    if mode == "points":
        raw = [float(priorities.get(f, 0)) for f in factor_ids]
    else:
        raw = [float(TOP_N + 1 - priorities[f]) if f in priorities else 0.0 for f in factor_ids]
    total = sum(raw)
    return [POINTS * v / total if total else 0.0 for v in raw]


def as_response(data: Mapping[str, Any], *, city: str, lang: str, channel: str,
                session: Mapping[str, Any] | None) -> dict[str, Any]:  # fmt: skip
    return {
        "city": city,
        "lang": lang,
        "channel": channel,
        "session_code": session["code"] if session else None,
        "round": session["round"] if session else "",
        "area": data["area"],
        "ratings": data["ratings"],
        "trust": data.get("trust", {}),
        "mode": data["mode"],
        "priorities": data["priorities"],
        "demographics": data.get("demographics", {}),
        "comment": data.get("comment", ""),
    }
