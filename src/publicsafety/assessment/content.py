"""The assessment's questions, read from questions/<lang>.toml with per-city overrides from
questions/cities.toml; neighbourhoods come from the workspace's `areas` table when loaded."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from publicsafety.errors import PublicSafetyError

QUESTIONS = Path(str(resources.files("publicsafety.assessment"))) / "questions"
LANGS = ("en", "es")
TOP_N = 5  # "rank your top five"
POINTS = 100  # "spread 100 points"


@dataclass(frozen=True)
class Factor:
    id: str
    label: str
    prompt: str
    calls: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Item:
    id: str
    scale: str
    text: str
    source: str


@dataclass(frozen=True)
class Demographic:
    id: str
    label: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Questions:
    """Everything one respondent sees, in one language, for one city."""

    lang: str
    city: str
    rating_prompt: str
    rating_labels: tuple[str, ...]
    agree_prompt: str
    agree_labels: tuple[str, ...]
    dont_know: str
    factors: tuple[Factor, ...]
    items: tuple[Item, ...]
    scales: dict[str, str]
    demographics: tuple[Demographic, ...]
    sources: dict[str, str]

    def factor(self, fid: str) -> Factor:
        return next(f for f in self.factors if f.id == fid)

    @property
    def factor_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.factors)


def _read(name: str) -> dict[str, Any]:
    path = QUESTIONS / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PublicSafetyError(
            f"the questions file is not valid TOML: {exc}", where=name, fix="fix the TOML syntax"
        ) from exc


@cache
def cities() -> dict[str, dict[str, Any]]:
    return dict(_read("cities.toml").get("cities", {}))


@cache
def load_questions(lang: str, city: str = "") -> Questions:
    if lang not in LANGS:
        raise PublicSafetyError(f"no questions in language {lang!r}", fix="use en or es")
    raw = _read(f"{lang}.toml")
    over = cities().get(city, {})
    drop = set(over.get("drop", ()))
    factors = []
    for f in raw["factors"]:
        if f["id"] in drop:
            continue
        changed = over.get("factors", {}).get(f["id"], {}).get(lang, {})
        factors.append(
            Factor(
                id=f["id"],
                label=changed.get("label", f["label"]),
                prompt=changed.get("prompt", f["prompt"]),
                calls=tuple(f.get("calls", ())),
                source=f["source"],
            )
        )
    sources = {k: v["cite"] for k, v in _read("sources.toml")["sources"].items()}
    return Questions(
        lang=lang,
        city=city,
        rating_prompt=raw["rating_prompt"],
        rating_labels=tuple(raw["rating_labels"]),
        agree_prompt=raw["agree_prompt"],
        agree_labels=tuple(raw["agree_labels"]),
        dont_know=raw["dont_know"],
        factors=tuple(factors),
        items=tuple(Item(**i) for i in raw["items"]),
        scales=dict(raw["scales"]),
        demographics=tuple(
            Demographic(d["id"], d["label"], tuple((o[0], o[1]) for o in d["options"]))
            for d in raw["demographics"]
        ),
        sources=sources,
    )


def neighbourhoods(city: str, workspace: Path | None = None) -> list[str]:
    """Neighbourhood names: the workspace's `areas` (neighbourhood sets) for the city when loaded,
    else the list in questions/cities.toml."""
    if workspace is not None and (workspace / "store.duckdb").exists():
        import duckdb

        try:
            con = duckdb.connect(str(workspace / "store.duckdb"), read_only=True)
        except duckdb.Error:
            con = None  # another process holds the store for writing: fall back to the list
        if con is not None:
            try:
                rows = con.execute(
                    "SELECT DISTINCT name FROM areas WHERE city = ? AND area_set ILIKE 'neighbo%'"
                    " AND name IS NOT NULL ORDER BY name",
                    [city],
                ).fetchall()
            except duckdb.Error:
                rows = []
            finally:
                con.close()
            if rows:
                return [str(r[0]) for r in rows]
    return list(cities().get(city, {}).get("neighbourhoods", []))
