"""Classify budget lines by function (police, fire, 911 and dispatch, courts, ...) with rules kept
as reviewable data in functions.csv: each rule is a regular expression on a line's program,
account or department text, with a note saying why.

Lines are tried program first, then account, then department (the most specific text first);
the first rule that matches wins. A line no rule matches is `other`, listed as unmatched so a
person can add a rule. Classification fills only lines whose function is missing unless asked to
overwrite; `review` shows where the rules and a profile's own functions disagree.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from ibis import _

from publicsafety.analysis.scope import fetch
from publicsafety.engine import Store
from publicsafety.errors import InputError, Where
from publicsafety.vocab import BudgetFunction

RULES_FILE = Path(__file__).resolve().parent / "functions.csv"
FIELDS = ("program", "account", "department")
UNMATCHED = "no rule matched"


@dataclass(frozen=True)
class Rule:
    line: int  # line in the rules file, so a reviewer can find the rule
    field: str  # program | account | department | any
    pattern: re.Pattern[str]
    function: str
    note: str


def read_rules(path: Path | str = RULES_FILE) -> tuple[Rule, ...]:
    """Read a rules file; a bad field, pattern or function names the line and how to fix it."""
    path = Path(path)
    rules = []
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            where = Where(path.name, n)
            if row["field"] not in (*FIELDS, "any"):
                raise InputError(
                    f"field {row['field']!r} is not known",
                    where=Where(path.name, n, "field"),
                    fix="use program, account, department or any",
                )
            if row["function"] not in {f.value for f in BudgetFunction}:
                raise InputError(
                    f"function {row['function']!r} is not known",
                    where=Where(path.name, n, "function"),
                    fix="use one of: " + ", ".join(f.value for f in BudgetFunction),
                )
            try:
                pattern = re.compile(row["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise InputError(
                    f"pattern is not a regular expression: {exc}",
                    where=where,
                    fix="escape brackets and dots with a backslash",
                ) from exc
            rules.append(Rule(n, row["field"], pattern, row["function"], row["note"]))
    return tuple(rules)


@cache
def default_rules() -> tuple[Rule, ...]:
    return read_rules()


def classify_line(
    program: object, account: object, department: object, rules: tuple[Rule, ...] | None = None
) -> tuple[str, str]:
    """The function of one budget line and the rule that set it ("functions.csv line N: ...")."""
    rules = default_rules() if rules is None else rules
    texts = dict(zip(FIELDS, (program, account, department), strict=True))
    for name in FIELDS:
        text = texts[name]
        if not isinstance(text, str) or not text.strip():
            continue
        for rule in rules:
            if rule.field in (name, "any") and rule.pattern.search(text):
                return (
                    rule.function,
                    f"functions.csv line {rule.line}: {name} ~ /{rule.pattern.pattern}/",
                )
    return BudgetFunction.OTHER.value, UNMATCHED


def classify_frame(lines: pd.DataFrame, rules: tuple[Rule, ...] | None = None) -> pd.DataFrame:
    """Add `rule_function` and `rule` to a frame of budget lines (program, account, department)."""
    out = lines.copy()
    pairs = [
        classify_line(p, a, d, rules)
        for p, a, d in zip(out["program"], out["account"], out["department"], strict=True)
    ]
    out["rule_function"] = [p[0] for p in pairs]
    out["rule"] = [p[1] for p in pairs]
    return out


def _distinct_lines(store: Store, city: str | None) -> pd.DataFrame:
    # Budgets repeat the same department / program / account text across years: classify
    # each distinct text once.
    t = store.table("budget")
    if city:
        t = t.filter(t.city == city)
    keys = ["city", "department", "program", "account", "function"]
    df = fetch(t.group_by(keys).aggregate(lines=_.count(), amount=_.amount.sum()))
    return df.sort_values(["city", "department", "program", "account"], ignore_index=True)


def review(store: Store, city: str | None = None) -> pd.DataFrame:
    """Each distinct line text with its stored function, the rules' function and the rule; the
    rows where the two disagree, or no rule matched, are the ones to look at."""
    df = classify_frame(_distinct_lines(store, city))
    df["agrees"] = df["function"] == df["rule_function"]
    return df


def classify_budget(store: Store, city: str | None = None, *, overwrite: bool = False) -> int:
    """Set the function of budget lines by the rules: lines without one, or all lines with
    `overwrite`. Returns the number of lines changed."""
    df = classify_frame(_distinct_lines(store, city))
    if not overwrite:
        df = df[df["function"].isna()]
    df = df[df["function"].ne(df["rule_function"]) | df["function"].isna()]
    if df.empty:
        return 0
    mapping = df[["city", "department", "program", "account", "rule_function"]]
    store.con.register("_budget_rules", mapping)
    try:
        before = store.count("budget", "function IS NULL") if not overwrite else None
        store.con.execute(
            """UPDATE budget SET function = m.rule_function FROM _budget_rules m
               WHERE budget.city = m.city
                 AND budget.department IS NOT DISTINCT FROM m.department
                 AND budget.program IS NOT DISTINCT FROM m.program
                 AND budget.account IS NOT DISTINCT FROM m.account"""
            + ("" if overwrite else " AND budget.function IS NULL")
        )
    finally:
        store.con.unregister("_budget_rules")
    if before is not None:
        return before - store.count("budget", "function IS NULL")
    return int(df["lines"].sum())
