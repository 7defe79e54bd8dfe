"""User-facing errors: each says what happened, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Where:
    """A place in an input: file, and optionally line and column (1-based)."""

    file: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line:,}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


class PublicSafetyError(Exception):
    """Base error. `what` is the problem, `where` the place, `fix` what the user can do."""

    def __init__(self, what: str, *, where: Where | str | None = None, fix: str | None = None):
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.fix:
            text += f"\nHow to fix: {self.fix}"
        return text


class ProfileError(PublicSafetyError):
    """A city profile is unknown, unreadable or inconsistent."""


class InputError(PublicSafetyError):
    """An input file cannot be read as its profile says."""


class StoreError(PublicSafetyError):
    """The workspace store is missing, locked or lacks a table."""


class PrivacyError(PublicSafetyError):
    """A public output would break a privacy rule."""


class ScenarioError(PublicSafetyError):
    """A scenario file is invalid."""
