"""Read and check reallocation scenario files (TOML): the budget year the money comes from, an
optional diversion scenario, how an officer-hour is costed, how much money moves and an optional
focused basic income program. The format is documented in docs/budget.md; every mistake names
the file, the key and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publicsafety.analysis.scenario_files import read_scenario_toml
from publicsafety.errors import ScenarioError, Where

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
MOVE_BASES = ("officer_time_freed", "amount", "share_of_police", "none")
RANK_BY = ("auto", "investment_index", "poverty")

# Stockton's SEED (Stockton Economic Empowerment Demonstration): $500 a month to 125 residents
# for 24 months from February 2019, randomised (guaranteedincomeworks.org).
SEED = "Stockton SEED: $500 a month, 125 recipients, 24 months from February 2019 (guaranteedincomeworks.org)"


@dataclass(frozen=True)
class OfficerCostSpec:
    loaded_hourly_cost: float | None  # given; else derived from the budget
    sworn_fte: float | None  # when the budget gives no sworn positions
    hours_per_officer: float
    source: str


@dataclass(frozen=True)
class Move:
    basis: str  # officer_time_freed | amount | share_of_police | none
    amount: float | None
    share: float | None
    source: str


@dataclass(frozen=True)
class BasicIncome:
    monthly_amount: float
    recipients: int
    months: int
    admin_cost_share: float
    area_set: str | None
    areas: int
    rank_by: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Reallocation:
    name: str
    path: Path
    city: str | None
    fiscal_year: int | None
    budget_source: str | None
    police_budget: float | None  # given instead of read from the store
    diversion: Path | None
    officer_cost: OfficerCostSpec | None
    move: Move
    basic_income: BasicIncome | None
    notes: tuple[str, ...]


class _Table:
    """Typed access to one TOML table, naming the key in every error."""

    def __init__(self, path: Path, data: Any, prefix: str) -> None:
        if not isinstance(data, dict):
            raise _fail(
                path, prefix.rstrip("."), "must be a table", f"write [{prefix.rstrip('.')}]"
            )
        self.path, self.data, self.prefix, self.used = path, data, prefix, set[str]()

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        self.used.add(name)
        value = self.data.get(name, default)
        # booleans are ints to Python; no key of this format is a yes/no
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise _fail(self.path, self.prefix + name, f"{value!r} has the wrong type", _hint(kind))
        return value

    def number(self, name: str, default: float | None, lo: float, hi: float) -> float | None:
        value = self.get(name, (int, float), default)
        if value is not None and not lo <= value <= hi:
            raise _fail(
                self.path, self.prefix + name, f"{value} is out of range", f"give {lo:g} to {hi:g}"
            )
        return None if value is None else float(value)

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.get(name, list, [])
        if not all(isinstance(v, str) for v in value):
            raise _fail(self.path, self.prefix + name, "must be a list of text", '["..."]')
        return tuple(value)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise _fail(
                self.path,
                self.prefix + extra[0],
                f"unknown key {extra[0]!r}",
                f"known keys here: {', '.join(sorted(self.used))}",
            )


def _hint(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    words = {int: "a number", float: "a number", str: 'text in "quotes"', list: "a list [...]"}
    return "write " + " or ".join(sorted({words.get(k, k.__name__) for k in kinds}))


def _fail(path: Path, key: str, what: str, fix: str) -> ScenarioError:
    return ScenarioError(what, where=Where(path.name, column=key), fix=fix)


def load_reallocation(path: Path | str) -> Reallocation:
    """Read a reallocation file (a path, or the name of an example in analysis/budget/examples)."""
    path, data = read_scenario_toml(path, EXAMPLES_DIR)
    top = _Table(path, data, "")
    head = _Table(path, top.get("reallocation", dict, None) or _missing(path), "reallocation.")
    diversion = head.get("diversion", str)
    div_path = None
    if diversion:
        # relative to the scenario file; otherwise the diversion module finds its own examples
        div_path = (
            path.parent / diversion if (path.parent / diversion).exists() else Path(diversion)
        )
    cost = None
    if "officer_cost" in data:
        c = _Table(path, top.get("officer_cost", dict), "officer_cost.")
        cost = OfficerCostSpec(
            c.number("loaded_hourly_cost", None, 1, 10_000),
            c.number("sworn_fte", None, 1, 100_000),
            float(c.number("hours_per_officer", 2080.0, 100, 8784) or 2080.0),
            c.get("source", str, ""),
        )
        c.done()
    m = _Table(path, top.get("move", dict, {}), "move.")
    basis = m.get("basis", str, "officer_time_freed" if diversion else "none")
    if basis not in MOVE_BASES:
        raise _fail(path, "move.basis", f"{basis!r} is not known", f"use {', '.join(MOVE_BASES)}")
    move = Move(
        basis,
        m.number("amount", None, 0, 1e12),
        m.number("share", None, 0, 1),
        m.get("source", str, ""),
    )
    m.done()
    if (basis == "amount" and move.amount is None) or (
        basis == "share_of_police" and move.share is None
    ):
        key = "amount" if basis == "amount" else "share"
        raise _fail(path, f"move.{key}", f"basis {basis} needs {key}", f"add {key} = ... to [move]")
    if basis == "officer_time_freed" and not diversion:
        raise _fail(
            path,
            "move.basis",
            "officer time freed needs a diversion scenario",
            'set diversion = "FILE.toml" in [reallocation] or choose basis amount',
        )
    income = None
    if "basic_income" in data:
        b = _Table(path, top.get("basic_income", dict), "basic_income.")
        rank_by = b.get("rank_by", str, "auto")
        if rank_by not in RANK_BY:
            raise _fail(
                path,
                "basic_income.rank_by",
                f"{rank_by!r} is not known",
                f"use {', '.join(RANK_BY)}",
            )
        income = BasicIncome(
            float(b.number("monthly_amount", 500, 1, 100_000) or 500),
            int(b.number("recipients", 125, 1, 10_000_000) or 125),
            int(b.number("months", 24, 1, 240) or 24),
            float(b.number("admin_cost_share", 0.0, 0, 1) or 0.0),
            b.get("area_set", str),
            int(b.number("areas", 5, 0, 100_000) or 0),
            rank_by,
            b.strings("sources") or (SEED,),
        )
        b.done()
    scenario = Reallocation(
        name=head.get("name", str) or _need(path, "reallocation.name"),
        path=path,
        city=head.get("city", str),
        fiscal_year=None
        if (fy := head.number("fiscal_year", None, 1900, 2100)) is None
        else int(fy),
        budget_source=head.get("budget_source", str),
        police_budget=head.number("police_budget", None, 1, 1e12),
        diversion=div_path,
        officer_cost=cost,
        move=move,
        basic_income=income,
        notes=head.strings("notes"),
    )
    head.done()
    top.used.update({"reallocation", "officer_cost", "move", "basic_income"})
    top.done()
    return scenario


def _missing(path: Path) -> dict[str, Any]:
    raise _fail(
        path, "reallocation", "no [reallocation] table", "start the file with [reallocation]"
    )


def _need(path: Path, key: str) -> str:
    raise _fail(path, key, "missing", f'add {key.split(".")[-1]} = "..."')
