"""Shared fixtures: the real data folder beside the project, and throw-away stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from publicsafety.engine import Store, memory_store, open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "data"


def real_data(*parts: str) -> Path:
    """Path of a file in ../shared/data; skips outside CI when the folder is missing, fails in CI."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have ../shared/data beside the project: {path} is missing")
        pytest.skip(f"real data not available here: {path}")
    return path


@pytest.fixture
def shared_data() -> Path:
    return real_data()


@pytest.fixture
def store() -> Iterator[Store]:
    """An in-memory store with one thread, so float sums compare exactly."""
    s = memory_store(threads=1)
    yield s
    s.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def file_store(workspace: Path) -> Iterator[Store]:
    s = open_store(workspace, threads=1)
    yield s
    s.close()
