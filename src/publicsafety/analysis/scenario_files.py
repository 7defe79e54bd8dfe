"""Read and check diversion scenario files (TOML): who takes which calls, when, at what cost.

The format is documented in docs/scenarios.md; the example files in publicsafety/scenarios/ cite
the published program figures their defaults come from. Every mistake a user can make in a file
is reported with the file, the key and how to fix it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publicsafety.errors import ScenarioError, Where
from publicsafety.vocab import Category, Origin, Responder

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "scenarios"
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STAFFING_METHODS = ("erlang_c", "utilisation")
TAKERS = tuple(r.value for r in Responder if r not in (Responder.POLICE, Responder.UNMAPPED))


@dataclass(frozen=True)
class Shift:
    name: str
    start: int  # hour of day the shift starts (0-23)
    hours: int  # length in hours

    def covers(self, hour: int) -> bool:
        return (hour - self.start) % 24 < self.hours


@dataclass(frozen=True)
class Staffing:
    """How many teams each hour needs. Erlang C: fewest teams so that `service_level` of calls
    wait no more than `target_wait_minutes` (random arrivals, one team per call). Utilisation:
    offered team-hours divided by `max_utilisation`, rounded up."""

    method: str = "erlang_c"
    target_wait_minutes: float = 10.0
    service_level: float = 0.8
    max_utilisation: float = 0.6
    shifts: tuple[Shift, ...] = (Shift("night", 0, 8), Shift("day", 8, 8), Shift("evening", 16, 8))


@dataclass(frozen=True)
class Program:
    """One alternative responder and the calls it may take."""

    name: str
    responder: str  # civilian | co_response | non_emergency
    share: float  # share of eligible calls it takes (expected value, 0-1)
    categories: tuple[str, ...] = ()
    call_types: tuple[str, ...] = ()  # matched against call_type or call_type_code
    taxonomy_responders: tuple[str, ...] = ()  # calls whose default responder is one of these
    origins: tuple[str, ...] = (Origin.COMMUNITY.value,)
    days: tuple[str, ...] = DAY_NAMES
    hours: tuple[int, int] = (0, 24)  # received from hours[0] to before hours[1]
    exclude_priorities: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    minutes_per_call: float = 45.0  # responder team time per call
    team_size: int = 2
    officer_time_retained: float = 0.0  # share of the calls' officer time still spent (backup)
    cost_per_call: float | None = None
    cost_per_team_hour: float | None = None
    staffing: Staffing = field(default_factory=Staffing)
    sources: tuple[str, ...] = ()

    @property
    def staffed(self) -> bool:
        """311 and online reports take calls without a team on the street."""
        return self.responder != Responder.NON_EMERGENCY.value

    def window(self) -> str:
        days = ", ".join(self.days) if self.days != DAY_NAMES else "every day"
        lo, hi = self.hours
        return f"{days}, {lo:02d}:00-{hi:02d}:00" if (lo, hi) != (0, 24) else f"{days}, all hours"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    officer_hourly_cost: float
    officer_cost_source: str
    programs: tuple[Program, ...]
    city: str | None = None
    agencies: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _fail(path: Path, key: str, what: str, fix: str) -> ScenarioError:
    return ScenarioError(what, where=Where(path.name, column=key), fix=fix)


class _Reader:
    """Typed access to one TOML table, naming the key in every error."""

    def __init__(self, path: Path, data: dict[str, Any], prefix: str) -> None:
        self.path, self.data, self.prefix = path, data, prefix
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        self.used.add(name)
        if name not in self.data:
            return default
        value = self.data[name]
        numeric = kind in (int, float, (int, float))
        # TOML true/false are Python bools, which are ints: not a number here.
        if not isinstance(value, kind) or (numeric and isinstance(value, bool)):
            words: dict[Any, str] = {dict: "table", list: "list", str: "text in quotes"}
            names = words.get(kind, "number")
            shown = str(value).lower() if isinstance(value, bool) else repr(value)
            raise _fail(self.path, self.key(name), f"{shown} is not a {names}", f"write a {names}")
        return value

    def need(self, name: str, kind: type | tuple[type, ...]) -> Any:
        value = self.get(name, kind)
        if value is None:
            raise _fail(
                self.path, self.key(name), "is missing", "see docs/scenarios.md for this key"
            )
        return value

    def number(self, name: str, default: float | None, lo: float, hi: float) -> float | None:
        value = self.get(name, (int, float), default)
        if value is None:
            return None
        if not lo <= float(value) <= hi:
            raise _fail(
                self.path, self.key(name), f"{value} is out of range", f"use {lo:g} to {hi:g}"
            )
        return float(value)

    def need_number(self, name: str, lo: float, hi: float) -> float:
        value = self.number(name, None, lo, hi)
        if value is None:
            raise _fail(
                self.path, self.key(name), "is missing", "see docs/scenarios.md for this key"
            )
        return value

    def strings(self, name: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self.get(name, list, [])
        if not all(isinstance(v, str) for v in value):
            raise _fail(self.path, self.key(name), "must be a list of strings", 'e.g. ["a", "b"]')
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                raise _fail(
                    self.path,
                    self.key(name),
                    f"unknown value(s) {', '.join(map(repr, bad))}",
                    f"use any of: {', '.join(allowed)}",
                )
        return tuple(value)

    def check_unknown(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise _fail(
                self.path,
                self.key(extra[0]),
                f"unknown key {extra[0]!r}",
                f"known keys here: {', '.join(sorted(self.used))}",
            )


def _staffing(path: Path, data: dict[str, Any], prefix: str) -> Staffing:
    r = _Reader(path, data, prefix)
    method = r.get("method", str, "erlang_c")
    if method not in STAFFING_METHODS:
        raise _fail(
            path, r.key("method"), f"{method!r} is not known", "use erlang_c or utilisation"
        )
    shifts = []
    for i, s in enumerate(r.get("shifts", list, [])):
        sr = _Reader(path, s if isinstance(s, dict) else {}, f"{prefix}shifts[{i}].")
        start = int(sr.number("start", None, 0, 23) or 0)
        shifts.append(Shift(sr.need("name", str), start, int(sr.number("hours", 8, 1, 24) or 8)))
        sr.check_unknown()
    out = Staffing(
        method=method,
        target_wait_minutes=float(r.number("target_wait_minutes", 10.0, 0, 600) or 0),
        service_level=float(r.number("service_level", 0.8, 0.01, 0.999) or 0.8),
        max_utilisation=float(r.number("max_utilisation", 0.6, 0.05, 1.0) or 0.6),
        **({"shifts": tuple(shifts)} if shifts else {}),
    )
    r.check_unknown()
    covered = [h for h in range(24) if sum(s.covers(h) for s in out.shifts) != 1]
    if covered:
        raise _fail(
            path,
            r.key("shifts"),
            f"shifts must cover each hour of the day exactly once (hour {covered[0]} does not)",
            "give shifts that tile the day, e.g. starts 0, 8 and 16 of 8 hours each",
        )
    return out


def _program(path: Path, data: dict[str, Any], i: int) -> Program:
    r = _Reader(path, data, f"program[{i}].")
    name = r.need("name", str)
    responder = r.need("responder", str)
    if responder not in TAKERS:
        raise _fail(
            path,
            r.key("responder"),
            f"{responder!r} cannot take calls from police",
            f"use one of: {', '.join(TAKERS)}",
        )
    categories = r.strings("categories", tuple(c.value for c in Category))
    call_types = r.strings("call_types")
    taxonomy = r.strings("taxonomy_responders", tuple(x.value for x in Responder))
    if not (categories or call_types or taxonomy):
        raise _fail(
            path,
            r.key("categories"),
            "the program takes no calls",
            "give categories, call_types or taxonomy_responders",
        )
    hours = r.get("hours", list, [0, 24])
    if (
        len(hours) != 2
        or not all(isinstance(h, int) for h in hours)
        or not (0 <= hours[0] < hours[1] <= 24)
    ):
        raise _fail(
            path,
            r.key("hours"),
            f"{hours!r} is not an hour window",
            "write [start, end] with 0 <= start < end <= 24, e.g. [10, 18]",
        )
    staffing = _staffing(path, r.get("staffing", dict, {}), f"{r.prefix}staffing.")
    program = Program(
        name=name,
        responder=responder,
        share=r.need_number("share", 0, 1),
        categories=categories,
        call_types=call_types,
        taxonomy_responders=taxonomy,
        origins=r.strings("origins", tuple(o.value for o in Origin)) or (Origin.COMMUNITY.value,),
        days=r.strings("days", DAY_NAMES) or DAY_NAMES,
        hours=(hours[0], hours[1]),
        exclude_priorities=r.strings("exclude_priorities"),
        exclude_keywords=r.strings("exclude_keywords"),
        minutes_per_call=float(r.number("minutes_per_call", 45.0, 1, 24 * 60) or 45.0),
        team_size=int(r.number("team_size", 2, 1, 20) or 2),
        officer_time_retained=float(r.number("officer_time_retained", 0.0, 0, 1) or 0.0),
        cost_per_call=r.number("cost_per_call", None, 0, 1e7),
        cost_per_team_hour=r.number("cost_per_team_hour", None, 0, 1e6),
        staffing=staffing,
        sources=r.strings("sources"),
    )
    r.check_unknown()
    return program


def read_scenario_toml(path: Path | str, examples_dir: Path) -> tuple[Path, dict[str, Any]]:
    """Read a scenario TOML file given by path or by the name of a shipped example; a missing
    file or bad TOML is a ScenarioError that says how to fix it."""
    path = Path(path)
    if not path.exists() and (examples_dir / path.name).exists():
        path = examples_dir / path.name
    try:
        with open(path, "rb") as f:
            return path, tomllib.load(f)
    except FileNotFoundError as exc:
        examples = ", ".join(sorted(p.name for p in examples_dir.glob("*.toml")))
        raise ScenarioError(
            "no such scenario file",
            where=str(path),
            fix=f"give a path, or the name of an example: {examples}",
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(
            f"not valid TOML: {exc}",
            where=path.name,
            fix="check quotes, brackets and commas on that line",
        ) from exc


def load_scenario(path: Path | str) -> Scenario:
    """Read a scenario file; a ScenarioError names the key and says how to fix any mistake."""
    path, data = read_scenario_toml(path, EXAMPLES_DIR)
    top = _Reader(path, data, "")
    head = _Reader(path, top.need("scenario", dict), "scenario.")
    cost = _Reader(path, top.need("officer_cost", dict), "officer_cost.")
    programs = tuple(_program(path, p, i) for i, p in enumerate(top.need("program", list)))
    if not programs:
        raise _fail(path, "program", "no [[program]] table", "add at least one [[program]]")
    names = [p.name for p in programs]
    if len(set(names)) != len(names):
        raise _fail(path, "program", "two programs have the same name", "give each a new name")
    scenario = Scenario(
        name=head.need("name", str),
        path=path,
        city=head.get("city", str),
        agencies=head.strings("agencies"),
        notes=head.strings("notes"),
        officer_hourly_cost=cost.need_number("loaded_hourly_cost", 1, 10_000),
        officer_cost_source=cost.need("source", str),
        programs=programs,
    )
    for reader in (top, head, cost):
        reader.check_unknown()
    return scenario
