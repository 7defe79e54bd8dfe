"""Open a raw text file as a stream of valid UTF-8 bytes, whatever the profile's encoding.

The CSV parser needs valid UTF-8. Files come as utf-8, utf-8 with a BOM, cp1252 or latin-1, and
some utf-8 files hold stray Windows bytes (a name typed in Excel). We decode with the profile's
encoding and errors="replace", so a wrongly encoded byte becomes U+FFFD and never costs a row;
the number of replaced bytes is counted so ingest can say so. `.gz` files are decompressed.
"""

from __future__ import annotations

import codecs
import gzip
import io
from pathlib import Path
from typing import Any

CHUNK = 1 << 22

ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1252": "cp1252",
             "windows-1252": "cp1252", "latin-1": "latin-1", "latin1": "latin-1",
             "iso-8859-1": "latin-1"}  # fmt: skip


class Utf8Stream(io.RawIOBase):
    """A readable binary stream of UTF-8 bytes decoded from `raw` in `encoding`."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self.source: Any = (
            gzip.GzipFile(fileobj=self.file) if path.name.lower().endswith(".gz") else self.file
        )
        self.encoding = ENCODINGS.get(encoding.lower(), encoding)
        self.decoder = codecs.getincrementaldecoder(self.encoding)(errors="replace")
        self.pending = b""
        self.done = False
        self.replaced = 0  # U+FFFD produced by the decoder (bytes it could not decode)
        self.tail = b""  # the last bytes of text, to tell whether the file ends in a quote

    def readable(self) -> bool:
        return True

    @property
    def position(self) -> int:
        """Bytes of the file on disk consumed so far (compressed bytes for .gz)."""
        return self.file.tell()

    def _fill(self) -> None:
        chunk = self.source.read(CHUNK)
        if not chunk:
            self.done = True
            tail = self.decoder.decode(b"", final=True)
            self.replaced += tail.count("\ufffd")
            self.pending += tail.encode("utf-8")
            return
        text = self.decoder.decode(chunk)
        # A U+FFFD already in the input is counted too: harmless, it was a replacement before.
        self.replaced += text.count("\ufffd")
        data = text.encode("utf-8")
        self.pending += data
        if data:
            self.tail = (self.tail + data)[-64:]

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        while len(self.pending) < size and not self.done:
            self._fill()
        out, self.pending = self.pending[:size], self.pending[size:]
        buffer[: len(out)] = out
        return len(out)

    def close(self) -> None:
        if self.source is not self.file:
            self.source.close()
        self.file.close()
        super().close()


def open_text(path: Path, encoding: str) -> tuple[Utf8Stream, io.BufferedReader]:
    """The decoding stream (for counters) and a buffered reader over it (for reading)."""
    raw = Utf8Stream(path, encoding)
    return raw, io.BufferedReader(raw, buffer_size=CHUNK)
