"""docs/scenarios.md: the worked example is the shipped example file, every key the reader accepts
is documented, and the results printed in the document match a fresh run on the real data."""

from __future__ import annotations

import re
from datetime import date

import pytest

from publicsafety.analysis import scenario_files
from publicsafety.analysis.change import ChangeSpec, interrupted_time_series
from publicsafety.analysis.change import sentences as change_sentences
from publicsafety.analysis.diversion import run_diversion, sentences
from publicsafety.analysis.scenario_files import EXAMPLES_DIR, load_scenario
from publicsafety.engine import memory_store
from publicsafety.ingest import ingest_file
from publicsafety.taxonomy import classify
from tests.conftest import ROOT, real_data

DOC = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")


def test_worked_example_is_the_shipped_file() -> None:
    shipped = (EXAMPLES_DIR / "community_responder.toml").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", DOC, re.S)
    assert block is not None and block.group(1) == shipped


def test_every_key_documented() -> None:
    source = (EXAMPLES_DIR.parent / "analysis" / "scenario_files.py").read_text()
    keys = set(re.findall(r'\.(?:get|need|need_number|number|strings)\(\s*"([a-z_]+)"', source))
    assert len(keys) > 25
    # Tables are documented by their headers; a shift's `start` in the `shifts` row.
    shown = ["| `{}` |", "[{}]", "[[{}]]", "[program.{}]"]
    missing = sorted(
        k for k in keys - {"start"} if not any(form.format(k) in DOC for form in shown)
    )
    assert not missing, f"keys not in docs/scenarios.md: {missing}"
    assert "`{ name, start, hours }`" in DOC
    assert scenario_files.STAFFING_METHODS == ("erlang_c", "utilisation")


@pytest.mark.real_data
def test_printed_results_match_a_fresh_run() -> None:
    store = memory_store(threads=1)
    path = real_data("alexandria_va_cad_2025_aug_dec", "alexandria_va_cad_2025w35_w52.csv.gz")
    ingest_file(store, path, "alexandria_calls")
    classify(store, "Alexandria")
    start = date(2025, 10, 5)
    r = run_diversion(store, load_scenario("community_responder.toml"), "Alexandria", since=start)
    for line in sentences(r):
        assert f"\n{line}\n" in DOC
    ems = interrupted_time_series(
        store, ChangeSpec("Alexandria", start, agencies=("ems",), freq="day")
    )
    assert f"\n{change_sentences(ems)[0]}\n" in DOC
    store.close()
