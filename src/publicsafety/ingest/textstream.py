"""Open a raw text file as a stream of valid UTF-8 bytes, whatever the profile's encoding.

The CSV parser needs valid UTF-8. Files come as utf-8, utf-8 with a BOM, cp1252 or latin-1, and
some utf-8 files hold stray Windows bytes (a name typed in Excel). We decode with the profile's
encoding and errors="replace", so a wrongly encoded byte becomes U+FFFD and never costs a row;
the number of replaced bytes is counted so ingest can say so. `.gz` files are decompressed.

A plain UTF-8 file (`FileText`) skips this stream: Arrow reads it itself, much faster, and the
CSV reader replaces stray bytes value by value with the same result.
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
    """A readable binary stream of UTF-8 bytes decoded from the file in `encoding`."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self.source: Any = (
            gzip.GzipFile(fileobj=self.file) if path.name.lower().endswith(".gz") else self.file
        )
        self.encoding = ENCODINGS.get(encoding.lower(), encoding)
        self.decoder = codecs.getincrementaldecoder(self.encoding)(errors="replace")
        self.pending = bytearray()
        self.carry = b""  # an incomplete UTF-8 sequence at the end of the last chunk
        self.first = True
        self.done = False
        self.replaced = 0  # bytes the decoder could not decode (each became U+FFFD)
        self.tail = b""  # the last bytes of text, to tell whether the file ends in a quote
        self.utf8 = self.encoding in ("utf-8", "utf-8-sig")

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
        buf = self.carry + chunk if self.carry else chunk
        self.carry = b""
        if self.utf8 and self.first and not self.done and codecs.BOM_UTF8[: len(buf)] == buf:
            # Too few bytes yet to tell a byte-order mark (tiny reads): wait for more.
            self.carry = buf
            return
        data = self._utf8(buf, final=not chunk) if self.utf8 else self._decode(buf, not chunk)
        self.first = False
        if data:
            self.pending += data
            self.tail = (self.tail + data[-64:])[-64:]

    def _utf8(self, buf: bytes, final: bool) -> bytes:
        """UTF-8 input passes through unchanged when valid (the common case, and fast)."""
        if self.first and buf.startswith(codecs.BOM_UTF8):
            buf = buf[3:]
        cut = len(buf) if final else _complete(buf)
        piece, self.carry = buf[:cut], buf[cut:]
        try:
            piece.decode("utf-8")
            return piece
        except UnicodeDecodeError:
            self.replaced += replaced_bytes(piece)
            return piece.decode("utf-8", errors="replace").encode("utf-8")

    def _decode(self, buf: bytes, final: bool) -> bytes:
        text = self.decoder.decode(buf, final=final)
        self.replaced += text.count("\ufffd")
        return text.encode("utf-8")

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        while len(self.pending) < size and not self.done:
            self._fill()
        n = min(size, len(self.pending))
        buffer[:n] = self.pending[:n]
        del self.pending[:n]
        return n

    def close(self) -> None:
        if self.source is not self.file:
            self.source.close()
        self.file.close()
        super().close()


def replaced_bytes(raw: bytes) -> int:
    """How many U+FFFD decoding `raw` as UTF-8 with errors="replace" adds (stray bytes)."""
    try:
        raw.decode("utf-8")
        return 0
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace").count("\ufffd") - raw.count(b"\xef\xbf\xbd")


def open_text(path: Path, encoding: str) -> tuple[Utf8Stream, io.BufferedReader]:
    """The decoding stream (for counters) and a buffered reader over it (for reading)."""
    raw = Utf8Stream(path, encoding)
    return raw, io.BufferedReader(raw, buffer_size=CHUNK)


def _complete(buf: bytes) -> int:
    """Length of `buf` without a UTF-8 sequence cut off at its end."""
    for k in range(1, min(4, len(buf)) + 1):
        b = buf[-k]
        if b & 0xC0 == 0x80:
            continue  # a continuation byte: look further back for the lead byte
        if b < 0xC0:
            return len(buf)
        need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
        return len(buf) - k if k < need else len(buf)
    return len(buf)


def is_plain_utf8(path: Path, encoding: str) -> bool:
    """True for a file Arrow can read as it is: UTF-8 (with or without a BOM), not compressed."""
    enc = ENCODINGS.get(encoding.lower(), encoding)
    return enc in ("utf-8", "utf-8-sig") and not path.name.lower().endswith(".gz")


class FileText:
    """A plain UTF-8 file: the header is read here (after a byte-order mark), the rest by Arrow
    from `offset` (`arrow_file`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = open(path, "rb", buffering=CHUNK)  # noqa: SIM115 - closed in close()
        if self.file.read(3) != codecs.BOM_UTF8:
            self.file.seek(0)
        self.size = path.stat().st_size
        self.replaced = 0  # bytes not valid UTF-8, counted by the reader as it replaces them
        self.arrow: Any = None
        with open(path, "rb") as f:
            f.seek(max(0, self.size - 64))
            self.tail = f.read()

    def arrow_file(self, offset: int) -> Any:
        import pyarrow as pa

        self.arrow = pa.OSFile(str(self.path))
        self.arrow.seek(offset)
        return self.arrow

    @property
    def position(self) -> int:
        return int(self.arrow.tell()) if self.arrow is not None else self.file.tell()

    def close(self) -> None:
        if self.arrow is not None:
            self.arrow.close()
        self.file.close()
