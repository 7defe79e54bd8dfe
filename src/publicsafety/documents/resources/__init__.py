"""Public resources per city (211, 311, 988, crisis and community responder programs, police
oversight), as TOML data with a source for every entry: national.toml applies everywhere,
<city_slug>.toml adds the city's own."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from publicsafety.errors import PublicSafetyError

HERE = Path(__file__).parent
REQUIRED = ("kind", "name", "name_es", "what", "what_es", "contact", "contact_es", "source")


def city_slug(city: str) -> str:
    return city.lower().replace(" ", "_")


def _read(path: Path) -> list[dict[str, Any]]:
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("resources", [])
    for i, entry in enumerate(entries, 1):
        missing = [k for k in REQUIRED if not str(entry.get(k, "")).strip()]
        if missing:
            raise PublicSafetyError(
                f"resource {i} lacks {', '.join(missing)}",
                where=str(path),
                fix="every resource needs a name, what it is for and how to reach it in both"
                " languages, and the source that says so",
            )
    return entries


def load_resources(city: str) -> dict[str, list[dict[str, Any]]]:
    """`national` (every city) and `local` (this city's file; empty when there is none yet)."""
    local = HERE / f"{city_slug(city)}.toml"
    return {
        "national": _read(HERE / "national.toml"),
        "local": _read(local) if local.is_file() else [],
    }
