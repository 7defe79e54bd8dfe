"""Plain-language summary of a disparity report, written from the published (privacy-safe)
tables only, with what each figure means and does not mean."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from publicsafety.analysis.disparity.groups import MIN_EVENTS, TOO_FEW
from publicsafety.analysis.disparity.outcomes import HIT_RATE_MEANS, OUTCOMES
from publicsafety.analysis.disparity.rates import BENCHMARKS, RATIO_MEANS
from publicsafety.analysis.disparity.run import DisparityReport
from publicsafety.analysis.disparity.veil import VEIL_MEANS

RACE_LABELS = {
    "asian/pacific islander": "Asian and Pacific Islander people",
    "multiple": "People of more than one race",
    "other": "People of another race",
}


def label(dimension: str, group: str) -> str:
    """A group as a reader says it: 'Black people', 'men', 'people aged 18-24', 'black women'."""
    if dimension == "sex":
        return {"male": "men", "female": "women"}.get(group, f"people of sex '{group}'")
    if dimension == "age_band":
        return "people aged 65 and over" if group == "65+" else f"people aged {group}"
    if dimension == "race_sex":
        race, _, sex = group.rpartition(" ")
        who = {"male": "men", "female": "women"}.get(sex, "people")
        return (
            RACE_LABELS.get(race, f"{race.title()} people")
            .replace("people", who)
            .replace("People", who.title())
        )
    return RACE_LABELS.get(group, f"{group.title()} people")


def _ok(*values: Any) -> bool:
    return all(v is not None and not pd.isna(v) and math.isfinite(float(v)) for v in values)


def _times(r: float, low: float, high: float) -> tuple[str, str]:
    """How often against the reference group, and the ratio to add in brackets (if any). An
    interval that covers 1 is no clear difference, whatever the estimate."""
    if low <= 1 <= high:
        return "neither clearly more nor less often than", f"{r:.2f} times as often; "
    if 0.95 <= r < 1.05:
        return "about as often as", f"{r:.2f} times; "
    if r >= 1:
        return f"{r:.1f} times as often as", ""
    return "less often than", f"{r:.2f} times as often; "


def _interval(lo: float, hi: float, digits: int = 1) -> str:
    # Ratios below 2 need more decimals, or "0.0 to 0.0" or "1.0 to 1.0" says nothing.
    digits = max(digits, 2) if lo < 2 else digits
    return f"95% interval {lo:.{digits}f} to {hi:.{digits}f}"


def rate_sentences(rates: pd.DataFrame, refs: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for (events_of, kind, dim), part in rates.groupby(
        ["events_of", "benchmark_kind", "dimension"], sort=False
    ):
        ref = refs.get(str(dim))
        if ref is None:
            continue
        verb = "stopped" if events_of == "stops" else "subjected to force"
        per = "per resident" if kind == "population" else "per arrest"
        ref_rate = _ref_rate(part, ref)
        for r in part.to_dict("records"):
            if r["group"] == ref or not _ok(r["ratio"], r["ratio_low"], r["ratio_high"]):
                continue
            if kind == "population":
                levels = f"{r['rate']:.1f} per 1,000 residents against {ref_rate:.1f}"
            else:
                levels = f"{r['rate'] / 1000:.2f} per arrest against {ref_rate / 1000:.2f}"
            how, ratio = _times(r["ratio"], r["ratio_low"], r["ratio_high"])
            lines.append(
                _cap(
                    f"{label(str(dim), r['group'])} were {verb} {how} "
                    f"{_mid(label(str(dim), ref))}, {per} "
                    f"({ratio}{_interval(r['ratio_low'], r['ratio_high'])}; {levels})."
                )
            )
    return lines


def _mid(text: str) -> str:
    """A label inside a sentence: 'People aged 18-24' -> 'people aged 18-24'; names of races
    keep their capital."""
    return text[:1].lower() + text[1:] if text.startswith(("People", "Men", "Women")) else text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ref_rate(part: pd.DataFrame, ref: str) -> float:
    row = part[part["group"] == ref]
    return float(row["rate"].iloc[0]) if len(row) and _ok(row["rate"].iloc[0]) else float("nan")


def outcome_sentences(out: pd.DataFrame, refs: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for (dim, outcome), part in out.groupby(["dimension", "outcome"], sort=False):
        ref = refs.get(str(dim))
        if ref is None or dim == "race_sex":
            continue
        ref_row = part[part["group"] == ref]
        if not len(ref_row) or not _ok(ref_row["rate"].iloc[0]):
            continue
        ref_rate = float(ref_row["rate"].iloc[0])
        d = str(dim)
        for r in part.to_dict("records"):
            if r["group"] == ref or not _ok(r["ratio"], r["ratio_low"], r["ratio_high"]):
                continue
            # Every race is listed; for sex and age only differences the data can tell apart,
            # to keep the summary readable (the tables hold every group).
            if d != "race" and r["ratio_low"] <= 1 <= r["ratio_high"]:
                continue
            how, ratio = _times(r["ratio"], r["ratio_low"], r["ratio_high"])
            lines.append(
                f"Once stopped, {_mid(label(d, r['group']))} were {OUTCOMES[str(outcome)]} "
                f"{how} {_mid(label(d, ref))} ({ratio}{r['rate']:.1%} against "
                f"{ref_rate:.1%}; {_interval(r['ratio_low'], r['ratio_high'], 2)})."
            )
    return lines


def hit_sentences(hits: pd.DataFrame, refs: dict[str, str]) -> list[str]:
    lines: list[str] = []
    part = hits[hits["dimension"] == "race"]
    ref = refs.get("race")
    ref_row = part[part["group"] == ref]
    if ref is None or not len(ref_row) or not _ok(ref_row["hit_rate"].iloc[0]):
        return lines
    ref_rate = float(ref_row["hit_rate"].iloc[0])
    for r in part.to_dict("records"):
        if r["group"] == ref or not _ok(r["difference"], r["difference_low"], r["difference_high"]):
            continue
        lo, hi = r["difference_low"], r["difference_high"]
        if hi < 0:
            verdict = "lower, which points to searches of this group on weaker evidence"
        elif lo > 0:
            verdict = "higher, which does not point to a lower bar for searching this group"
        else:
            verdict = "a difference too uncertain to draw a conclusion from"
        lines.append(
            f"Searches of {_mid(label('race', r['group']))} found contraband {r['hit_rate']:.1%} of the "
            f"time, against {ref_rate:.1%} for {_mid(label('race', ref))}: "
            f"{100 * r['difference']:+.1f} points (95% interval {100 * lo:+.1f} to {100 * hi:+.1f}), {verdict}."
        )
    return lines


def model_sentences(models: pd.DataFrame, area_set: str | None) -> list[str]:
    lines: list[str] = []
    if models.empty:
        return lines
    for r in models[models["area_effects"]].to_dict("records"):
        if not _ok(r.get("rate_ratio"), r.get("ratio_low"), r.get("ratio_high")):
            continue
        per = "per resident" if r["benchmark_kind"] == "population" else "per arrest"
        how, ratio = _times(r["rate_ratio"], r["ratio_low"], r["ratio_high"])
        lines.append(
            f"Comparing people within the same {area_set or 'area'}, {per}: {_mid(label('race', r['group']))} "
            f"were stopped {how} {_mid(label('race', r['reference']))} "
            f"({ratio}{_interval(r['ratio_low'], r['ratio_high'], 2)}, widened for overdispersion)."
        )
    return lines


def veil_sentences(report: DisparityReport) -> list[str]:
    lines: list[str] = []
    for v in report.veil:
        if v.high < 0:
            verdict = "a smaller share of stops after dark, which suggests bias in who was stopped in daylight"
        elif v.low > 0:
            verdict = "a larger share of stops after dark, which does not suggest bias against them in daylight"
        else:
            verdict = (
                "a share of stops in darkness neither clearly smaller nor larger than in "
                "daylight, so the test finds no sign either way"
            )
        lines.append(
            f"Veil of darkness ({v.stop_filter}; {v.stops:,} stops of {_mid(label('race', v.group))} "
            f"and {_mid(label('race', v.reference))} between "
            f"{v.window[0] // 60:02d}:{v.window[0] % 60:02d} and "
            f"{v.window[1] // 60:02d}:{v.window[1] % 60:02d} over {v.dates:,} days): "
            f"{_mid(label('race', v.group))} made up {verdict} (odds ratio {v.odds_ratio:.2f}, "
            f"95% interval {math.exp(v.low):.2f} to {math.exp(v.high):.2f})."
        )
    return lines


TOO_FEW_SECTIONS = {
    "rates": "stops and force per resident or per arrest",
    "outcomes": "what happened after the stop",
    "hit_rates": "what searches found",
}


def too_few(tables: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Groups with fewer than MIN_EVENTS events, per part of the report."""
    found: dict[str, list[str]] = {}
    for name, what in TOO_FEW_SECTIONS.items():
        df = tables.get(name)
        if df is None or df.empty:
            continue
        # Per group, which outcomes (a group can have enough stops for one and too few
        # stops with a frisk, say).
        groups: dict[str, set[str]] = {}
        for r in df.to_dict("records"):
            if str(r.get("note", "")).startswith(TOO_FEW):
                which = groups.setdefault(label(str(r["dimension"]), str(r["group"])), set())
                if "outcome" in r and str(r["outcome"]) in OUTCOMES:
                    which.add(OUTCOMES[str(r["outcome"])])
        if groups:
            found[what] = [
                _cap(f"{g} ({', '.join(sorted(w))})" if w else g) for g, w in sorted(groups.items())
            ]
    return found


def facts(tables: dict[str, pd.DataFrame], report: DisparityReport) -> dict[str, Any]:
    """The summary as data (for --json and the web pages)."""
    return {
        "city": report.city,
        "stops": report.stops,
        "reference_groups": report.references,
        "findings": {
            "rates": rate_sentences(tables.get("rates", pd.DataFrame()), report.references)
            if "rates" in tables and not tables["rates"].empty
            else [],
            "after_the_stop": outcome_sentences(tables["outcomes"], report.references)
            if "outcomes" in tables
            else [],
            "hit_rates": hit_sentences(tables["hit_rates"], report.references)
            if "hit_rates" in tables
            else [],
            "area_adjusted": model_sentences(report.models, report.area_set),
            "veil_of_darkness": veil_sentences(report),
        },
        "too_few_to_say": too_few(tables),
        "not_run": report.skipped,
        "what_a_ratio_means": RATIO_MEANS,
        "benchmarks": {k: {"what": v[0], "weaknesses": v[1]} for k, v in BENCHMARKS.items()},
        "what_a_hit_rate_means": HIT_RATE_MEANS,
        "what_the_veil_of_darkness_means": VEIL_MEANS,
    }


def summarize(tables: dict[str, pd.DataFrame], report: DisparityReport) -> str:
    """Markdown text for a lay reader."""
    f = facts(tables, report)
    title = f"# Disparities in policing: {report.city or 'all cities in the store'}"
    out = [title, "", f"Based on {report.stops:,} recorded stops.", ""]
    sections = [
        ("Who is stopped", "rates"),
        ("After the stop", "after_the_stop"),
        ("Do searches find anything?", "hit_rates"),
        ("Within the same neighbourhood", "area_adjusted"),
        ("Daylight and darkness", "veil_of_darkness"),
    ]
    for heading, key in sections:
        if f["findings"][key]:
            out += [f"## {heading}", ""] + [f"- {s}" for s in f["findings"][key]] + [""]
    if f["too_few_to_say"]:
        out += [
            "## Too few to say",
            "",
            f"Fewer than {MIN_EVENTS} events, too few for a figure to mean anything, so none is "
            "given:",
            "",
        ]
        out += [f"- {what}: {', '.join(groups)}" for what, groups in f["too_few_to_say"].items()]
        out += [""]
    out += ["## What these numbers mean and do not mean", "", RATIO_MEANS, ""]
    for what, weak in BENCHMARKS.values():
        out += [f"- Compared with {what}: {weak}"]
    out += ["", HIT_RATE_MEANS, "", VEIL_MEANS, ""]
    out += [
        "Counts from 1 to 10, and anything that would let a reader work one out, are hidden to "
        "protect the people in the data.",
        "",
    ]
    if f["not_run"]:
        out += ["## Not run", ""] + [f"- {s}" for s in f["not_run"]] + [""]
    return "\n".join(out)
