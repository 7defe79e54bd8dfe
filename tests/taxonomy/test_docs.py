"""docs/taxonomy.md documents every taxonomy command and every keyword rule of the base, in the
order the base tries them, so the document cannot drift from the data."""

from __future__ import annotations

import re

from publicsafety.cli.taxonomy import taxonomy_app
from publicsafety.taxonomy.base import keyword_rules
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "taxonomy.md").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    names = [c.name for c in taxonomy_app.registered_commands]
    assert names == ["classify", "unmapped", "suggest", "load"]
    for name in names:
        assert f"publicsafety taxonomy {name}" in DOC, name


def test_rule_table_lists_the_base_in_order() -> None:
    table = re.findall(
        r"^\| (\d+) \| `([a-z_0-9]+)` \| (\w+) \| (\w+) \| ([0-9.]+) \|", DOC, flags=re.M
    )
    expected = [
        (str(i), r.name, r.category, r.responder, f"{r.confidence:g}")
        for i, r in enumerate(keyword_rules(), start=1)
    ]
    assert [
        (n, name, cat, resp, f"{float(conf):g}") for n, name, cat, resp, conf in table
    ] == expected
