"""Settings: workspace paths, engine URL and privacy thresholds, from defaults or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_WORKSPACE = Path("workspace")
STORE_FILENAME = "store.duckdb"


@dataclass(frozen=True)
class PrivacySettings:
    """Thresholds for public outputs (DESIGN.md: no published count from 1 to 10)."""

    min_count: int = 11
    sensitive_categories: tuple[str, ...] = ("sexual_assault", "juvenile", "domestic")


@dataclass(frozen=True)
class Settings:
    workspace: Path = DEFAULT_WORKSPACE
    # None means the embedded DuckDB file in the workspace; otherwise an Ibis backend URL
    # such as "pyspark://" or "duckdb:///path/to/file.duckdb".
    engine_url: str | None = None
    privacy: PrivacySettings = field(default_factory=PrivacySettings)

    @property
    def store_path(self) -> Path:
        return self.workspace / STORE_FILENAME

    @property
    def quarantine_dir(self) -> Path:
        return self.workspace / "quarantine"

    @property
    def outputs_dir(self) -> Path:
        return self.workspace / "outputs"


def settings(workspace: Path | str | None = None, engine_url: str | None = None) -> Settings:
    """Settings from arguments, then PUBLICSAFETY_WORKSPACE / PUBLICSAFETY_ENGINE, then defaults."""
    ws = workspace or os.environ.get("PUBLICSAFETY_WORKSPACE") or DEFAULT_WORKSPACE
    url = engine_url or os.environ.get("PUBLICSAFETY_ENGINE") or None
    min_count = int(os.environ.get("PUBLICSAFETY_MIN_COUNT", "11"))
    return Settings(
        workspace=Path(ws), engine_url=url, privacy=PrivacySettings(min_count=min_count)
    )
