"""The text of chosen physical lines of a file, found in one forward pass, for quarantine.

Quarantined CSV records keep the file's own text (quotes, spaces, inner line breaks) rather than
a rebuild from their fields. Ingest asks for them batch by batch, in file order, so one pass over
the file serves the whole load. Line breaks are counted as the CSV reader counts them: \\n, \\r\\n
and a lone \\r each end a line.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import numpy as np

from publicsafety.ingest.textstream import ENCODINGS

CHUNK = 1 << 24


def _breaks(data: bytes, final: bool) -> tuple[np.ndarray, np.ndarray]:
    """Where the lines of `data` end (content end) and the next ones start. Without `final`, a
    \\r as the last byte is left undecided (a \\n may follow in the next chunk)."""
    arr = np.frombuffer(data, np.uint8)
    nl = np.flatnonzero(arr == 10)
    if b"\r" not in data:
        return nl, nl + 1
    cr = np.flatnonzero(arr == 13)
    after = np.minimum(cr + 1, len(arr) - 1)
    lone = cr[(cr + 1 < len(arr)) & (arr[after] != 10)]
    if final and len(arr) and arr[-1] == 13:
        lone = np.append(lone, len(arr) - 1)
    crlf = nl[(nl > 0) & (arr[np.maximum(nl - 1, 0)] == 13)]
    ends = np.sort(np.concatenate([nl, lone]))
    starts = ends + 1
    # A \r\n line ends before its \r.
    ends[np.isin(ends, crlf)] -= 1
    return ends, starts


class LineFinder:
    """Reads `path` forward; `texts` returns whole records by their first line and line count."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.encoding = ENCODINGS.get(encoding.lower(), encoding)
        if self.encoding == "utf-8-sig":
            self.encoding = "utf-8"
        raw = open(path, "rb")  # noqa: SIM115 - closed in close()
        self.file: Any = gzip.GzipFile(fileobj=raw) if path.name.lower().endswith(".gz") else raw
        self.raw = raw
        self.data = b""  # text read and not yet passed
        self.line = 1  # the number of the first line in `data`
        self.ends = np.empty(0, np.int64)  # content end of each complete line in `data`
        self.starts = np.empty(0, np.int64)  # where the line after each of them starts
        self.eof = False

    def _more(self, first: int) -> None:
        """Read on, first dropping the lines before `first`."""
        k = min(first - self.line, len(self.starts))
        cut = int(self.starts[k - 1]) if k > 0 else 0
        chunk = self.file.read(CHUNK)
        self.eof = not chunk
        self.data = self.data[cut:] + chunk
        self.line += k
        self.ends, self.starts = _breaks(self.data, final=self.eof)
        if self.eof and len(self.data) > (int(self.starts[-1]) if len(self.starts) else 0):
            # The last line has no line break.
            self.ends = np.append(self.ends, len(self.data))
            self.starts = np.append(self.starts, len(self.data))

    def texts(self, wanted: list[tuple[int, int]]) -> dict[int, str]:
        """Record text by first line, for `wanted` (first line, line count) in file order."""
        out: dict[int, str] = {}
        for first, count in sorted(wanted):
            last = first + count - 1
            while self.line + len(self.ends) <= last and not self.eof:
                self._more(first)
            if first < self.line or self.line + len(self.ends) <= last:
                continue  # before what was read already, or past the end of the file
            k = first - self.line
            begin = int(self.starts[k - 1]) if k > 0 else 0
            end = int(self.ends[last - self.line])
            out[first] = self.data[begin:end].decode(self.encoding, errors="replace")
        return out

    def close(self) -> None:
        if self.file is not self.raw:
            self.file.close()
        self.raw.close()
