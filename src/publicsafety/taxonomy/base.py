"""The shared base: keyword rules (base.csv) and the reviewed maps of other cities, which together
propose a category and responder, with a confidence and the rule that fired, for a call type that
no map of its own city covers.

Rules in base.csv are tried in file order and the first match wins, so specific rules (risk
disqualifiers, aggravated assault) sit above general ones (assault, suspicious, other).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from publicsafety.errors import InputError, Where
from publicsafety.taxonomy.maps import CATEGORIES, RESPONDERS, builtin_maps, normalize, read_map

# Confidence of a proposal copied from another city's reviewed map with the same call type text.
SEEN_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    category: str
    responder: str
    confidence: float
    note: str


@dataclass(frozen=True)
class Proposal:
    category: str
    responder: str
    confidence: float
    rule: str  # "seen:<city>" or "kw:<rule name>" or "none"


UNMAPPED = Proposal("unmapped", "unmapped", 0.0, "none")


def base_path() -> Path:
    return Path(str(resources.files("publicsafety.taxonomy"))) / "base.csv"


@cache
def keyword_rules(path: Path | None = None) -> tuple[Rule, ...]:
    path = path or base_path()
    rules = []
    with path.open(newline="", encoding="utf-8") as fh:
        for i, rec in enumerate(csv.DictReader(fh), start=2):
            where = Where(path.name, i)
            try:
                pattern = re.compile(rec["pattern"])
            except re.error as exc:
                raise InputError(
                    f"bad pattern: {exc}", where=where, fix="fix the regular expression"
                ) from exc
            if rec["category"] not in CATEGORIES or rec["responder"] not in RESPONDERS:
                raise InputError("unknown category or responder", where=where, fix="see vocab.py")
            rules.append(
                Rule(
                    rec["rule"],
                    pattern,
                    rec["category"],
                    rec["responder"],
                    float(rec["confidence"]),
                    rec["note"],
                )
            )
    return tuple(rules)


def propose_keyword(text: str | None) -> Proposal:
    """First keyword rule matching the normalised call type text."""
    norm = normalize(text)
    if norm is None:
        return UNMAPPED
    for rule in keyword_rules():
        if rule.pattern.search(norm):
            return Proposal(rule.category, rule.responder, rule.confidence, f"kw:{rule.name}")
    return UNMAPPED


@cache
def _seen_index(exclude: frozenset[str]) -> dict[str, Proposal]:
    """Call type text -> the majority (category, responder) across other cities' reviewed maps."""
    votes: dict[str, Counter[tuple[str, str, str]]] = {}
    for key, path in builtin_maps().items():
        if key in exclude:
            continue
        for row in read_map(path, key).rows:
            if row.call_type:
                votes.setdefault(row.call_type, Counter())[(row.category, row.responder, key)] += 1
    index = {}
    for text, counter in votes.items():
        by_pair: Counter[tuple[str, str]] = Counter()
        cities: dict[tuple[str, str], str] = {}
        for (cat, resp, city), n in counter.items():
            by_pair[(cat, resp)] += n
            cities.setdefault((cat, resp), city)
        (cat, resp), _ = by_pair.most_common(1)[0]
        index[text] = Proposal(cat, resp, SEEN_CONFIDENCE, f"seen:{cities[(cat, resp)]}")
    return index


def propose(text: str | None, exclude: frozenset[str] = frozenset()) -> Proposal:
    """Propose for one call type: another city's reviewed map with the same text, else keywords.

    `exclude` holds city slugs whose maps must not be consulted (the city being suggested for,
    or a city held out to measure how well the base does on a city it has not seen).
    """
    norm = normalize(text)
    if norm is None:
        return UNMAPPED
    seen = _seen_index(exclude).get(norm)
    return seen if seen is not None else propose_keyword(norm)
