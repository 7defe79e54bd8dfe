"""What one ingest did: rows read, loaded and quarantined, and what it noticed on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class IngestResult:
    load_id: int
    file: str
    profile: str
    kind: str
    city: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    skipped: bool = False
    seconds: float = 0.0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    rows_blank: int = 0  # records with every field empty: no data, not counted as rows
    dates_sentinel: int = 0  # date values that were a "never happened" sentinel, read as missing
    bytes_replaced: int = 0  # bytes not valid in the file's encoding, kept as U+FFFD
    duplicate_headers: list[str] = field(default_factory=list)
    # Raw values a value map without `default` did not match: column -> raw value -> rows.
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    quarantine_file: str | None = None
    messages: list[str] = field(default_factory=list)
    placed: bool | None = None  # area ids assigned (None: not an event table or no areas code)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)
