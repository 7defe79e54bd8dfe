"""Public-records requests: state laws as data, due-date tracking, and request letters.

Laws live in documents/laws/<state>.toml with a source for every fact; the fields to ask for
live in documents/request_fields.toml. Business days skip weekends and the state's legal holidays
(the `holidays` package).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import holidays
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from publicsafety.errors import PublicSafetyError

HERE = Path(str(resources.files("publicsafety.documents")))


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    days: int
    day_type: str  # calendar | business | reasonable (no fixed number of days)
    text: str
    source: str
    label_es: str = ""


@dataclass(frozen=True)
class Law:
    state: str
    state_name: str
    name: str
    short: str
    citation: str
    url: str
    holidays: str
    source: str
    deadlines: tuple[Deadline, ...]
    fees: dict[str, str]
    appeal: dict[str, str]
    notes: tuple[dict[str, str], ...]
    exemptions: tuple[dict[str, str], ...]


@cache
def load_law(state: str) -> Law:
    """The records law of a state (two-letter code), 'US' for federal FOIA, or 'generic'."""
    path = HERE / "laws" / f"{state.lower()}.toml"
    if not path.exists():
        path = HERE / "laws" / "generic.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    law = data["law"]
    return Law(
        state=law["state"],
        state_name=law["state_name"],
        name=law["name"],
        short=law["short"],
        citation=law["citation"],
        url=law["url"],
        holidays=law["holidays"],
        source=law["source"],
        deadlines=tuple(Deadline(**d) for d in data.get("deadlines", [])),
        fees=data.get("fees", {}),
        appeal=data.get("appeal", {}),
        notes=tuple(data.get("notes", [])),
        exemptions=tuple(data.get("exemptions", [])),
    )


def law_states() -> list[str]:
    return sorted(p.stem.upper() for p in (HERE / "laws").glob("*.toml") if p.stem != "generic")


def _holidays(calendar: str, years: range) -> holidays.HolidayBase:
    if calendar == "US":
        return holidays.US(years=years)
    return holidays.US(subdiv=calendar, years=years)


def add_days(start: date, days: int, day_type: str, calendar: str = "US") -> date:
    """The due date `days` days after `start` (the day of receipt is not counted)."""
    if day_type == "calendar":
        return start + timedelta(days=days)
    if day_type != "business":
        raise ValueError(f"day_type must be calendar or business, not {day_type!r}")
    off = _holidays(calendar, range(start.year, start.year + 2))
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current


@dataclass(frozen=True)
class DueDate:
    deadline: Deadline
    due: date | None  # None where the law sets no fixed number of days


def due_dates(state: str, received: date) -> list[DueDate]:
    """Every deadline of a state's law, counted from the day the agency received the request."""
    law = load_law(state)
    out = []
    for d in law.deadlines:
        due = (
            None
            if d.day_type == "reasonable"
            else add_days(received, d.days, d.day_type, law.holidays)
        )
        out.append(DueDate(d, due))
    return out


@cache
def request_fields() -> dict[str, Any]:
    return tomllib.loads((HERE / "request_fields.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LetterRequest:
    city: str
    state: str
    data: str  # a key of request_fields.toml
    start: date
    end: date
    agency: str | None = None
    requester: str = "[your name]"
    contact: str = "[your email or mailing address]"
    lang: str = "en"
    sent: date | None = None


def request_letter(req: LetterRequest) -> str:
    """A records-request letter naming the exact fields, date range and machine-readable format."""
    fields = request_fields()
    if req.data not in fields:
        raise PublicSafetyError(
            f"no request template for data {req.data!r}",
            fix=f"use one of {', '.join(sorted(fields))}",
        )
    if req.end < req.start:
        raise PublicSafetyError("the end date is before the start date", fix="swap --from and --to")
    law = load_law(req.state)
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # plain-text letter, never rendered as HTML
    )
    template = env.get_template(f"request_letter.{req.lang}.txt.j2")
    sent = req.sent or date.today()
    return template.render(
        req=req,
        law=law,
        spec=fields[req.data],
        agency=req.agency or f"{req.city} Police Department",
        sent=sent,
        dues=due_dates(req.state, sent),
    )


@cache
def _cities() -> dict[str, dict[str, str]]:
    data = tomllib.loads((HERE / "cities.toml").read_text(encoding="utf-8"))
    return {k.lower(): v for k, v in data["cities"].items()}


def city_info(city: str) -> dict[str, str]:
    """State and police agency of a known city; unknown cities get the generic law."""
    info = _cities().get(city.lower())
    if info is None:
        return {"state": "generic", "police": f"{city} Police Department"}
    return info
