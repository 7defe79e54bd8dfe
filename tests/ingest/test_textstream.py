"""The decoding stream under the CSV reader: chunk boundaries, bad bytes, encodings, gzip."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publicsafety.ingest import textstream
from publicsafety.ingest.textstream import open_text


def read_all(path: Path, encoding: str) -> tuple[bytes, int]:
    raw, reader = open_text(path, encoding)
    try:
        return reader.read(), raw.replaced
    finally:
        reader.close()


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textstream, "CHUNK", 3)  # every multi-byte letter straddles a chunk


def test_utf8_letters_split_across_chunks_pass_through(tiny_chunks: None, tmp_path: Path) -> None:
    text = "Ñandú,Café,東京,😀\n".encode()
    (tmp_path / "a.csv").write_bytes(text)
    assert read_all(tmp_path / "a.csv", "utf-8") == (text, 0)


def test_bad_bytes_become_replacement_characters_and_are_counted(
    tiny_chunks: None, tmp_path: Path
) -> None:
    (tmp_path / "a.csv").write_bytes(b"CAF\xc9,ok\xff\xfe,\xef\xbf\xbd\n")
    data, replaced = read_all(tmp_path / "a.csv", "utf-8")
    # A U+FFFD already in the file is not counted as a replacement.
    assert data.decode() == "CAF\ufffd,ok\ufffd\ufffd,\ufffd\n"
    assert replaced == 3


def test_bom_dropped_and_cp1252_and_gzip(tmp_path: Path) -> None:
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbfa,b\n")
    assert read_all(tmp_path / "bom.csv", "utf-8-sig") == (b"a,b\n", 0)
    assert read_all(tmp_path / "bom.csv", "utf-8") == (b"a,b\n", 0)
    (tmp_path / "w.csv").write_bytes(b"\x93caf\xe9\x94\n")
    assert read_all(tmp_path / "w.csv", "cp1252")[0].decode() == "\u201ccafé\u201d\n"
    assert read_all(tmp_path / "w.csv", "latin-1")[0].decode() == "\x93café\x94\n"
    with gzip.open(tmp_path / "z.csv.gz", "wb") as f:
        f.write("x,ÿ\n".encode())
    assert read_all(tmp_path / "z.csv.gz", "utf-8") == ("x,ÿ\n".encode(), 0)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=40), st.integers(1, 7))
def test_any_bytes_decode_like_python(data: bytes, chunk: int) -> None:
    import tempfile

    old = textstream.CHUNK
    textstream.CHUNK = chunk
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.csv"
            path.write_bytes(data)
            out, _ = read_all(path, "utf-8")
    finally:
        textstream.CHUNK = old
    expected = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    assert out.decode("utf-8") == expected
