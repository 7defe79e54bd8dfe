"""Coverage-guided fuzz target for the address generaliser (atheris).

Run: .venv/bin/pip install atheris==3.1.0 && .venv/bin/python fuzz/fuzz_hundred_block.py -runs=200000
It fails if the generaliser raises, or publishes a house number finer than the hundred block.
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports():
    from publicsafety.privacy import hundred_block

BLOCK = re.compile(r"^(\d+) block of ")


def test_one_input(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(200)
    out = hundred_block(text)
    if out is None:
        return
    m = BLOCK.match(out)
    if m and int(m.group(1)) % 100:
        raise AssertionError(f"{text!r} -> {out!r}")
    if re.search(r"\b\d+\s+block of .*\d{3,}\s", out):
        raise AssertionError(f"house number left in {out!r}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
