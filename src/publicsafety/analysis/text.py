"""Plain-language sentences for the demand results, e.g. "About 1 in 25 calls was about violent
crime; those calls took 4% of officer time." Every number passes the privacy rule first: a count
from 1 to min_count - 1 is never printed, only "fewer than min_count"."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from publicsafety.analysis.officer_initiated import OriginShare
from publicsafety.analysis.officer_time import OfficerTimeResult, ResponseTimes
from publicsafety.analysis.scope import ALL_EVENTS, COMMUNITY_ONLY
from publicsafety.privacy import is_small

CATEGORY_WORDS = {
    "violent_crime": "violent crime",
    "property_crime": "property crime",
    "other_crime": "other crime",
    "traffic": "traffic",
    "disorder": "disorder, noise or disturbance",
    "mental_health_welfare": "mental health or a welfare check",
    "medical": "a medical problem",
    "alarm": "an alarm",
    "investigation_followup": "a follow-up investigation",
    "proactive": "proactive patrol or checks",
    "administrative": "administrative work",
    "other": "other matters",
    "unmapped": "call types not yet mapped",
    "unclassified": "call types not yet classified",
}


# Codes a reader should not have to decode; other snake_case codes read with spaces.
CODE_WORDS = {"co_response": "co-response", "non_emergency": "non-emergency"}
_CODE = re.compile(r"[a-z]+(?:_[a-z]+)+")


def in_words(value: str) -> str:
    """A snake_case code as a reader says it ("mental_health_welfare" -> "mental health
    welfare"); any other text as it is."""
    if _CODE.fullmatch(value):
        return CODE_WORDS.get(value, value.replace("_", " "))
    return value


def listing(items: Sequence[str]) -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b, and c"."""
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])}, and {items[-1]}"


def one_in(share: float) -> str:
    """A share in words a layperson reads easily: 'About 1 in 25', 'About 2 in 5', 'Nearly all'."""
    if not share or math.isnan(share) or share <= 0:
        return "None"
    if share >= 0.95:
        return "Nearly all"
    if share <= 0.34:
        n = max(2, round(1 / share))
        # "1 in 3" for 29% is 15% off: a small share that 1 in N misses by more than a tenth
        # takes the closest fraction with a denominator up to 10 instead ("2 in 7").
        if abs(1 / n - share) <= 0.1 * share or share < 0.1:
            return f"About 1 in {n:,}"
        best = min(
            ((a, d) for d in range(2, 11) for a in range(1, d)),
            key=lambda f: (abs(f[0] / f[1] - share), f[1]),
        )
        return f"About {best[0]} in {best[1]}"
    # Larger shares as the closest simple fraction with a denominator up to 5.
    best = min(
        ((n, d) for d in range(2, 6) for n in range(1, d)), key=lambda f: abs(f[0] / f[1] - share)
    )
    return f"About {best[0]} in {best[1]}"


def _verb(lead: str) -> str:
    return "was" if lead.startswith("About 1 in") else "were"


def percent(share: float) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "an unknown share"
    if 0 < share < 0.005:
        return "less than 1%"
    return f"{share:.0%}"


# How an outcome reads after a percentage ("59% ended in a report").
ENDINGS = {
    "report": "ended in a report",
    "arrest": "in an arrest",
    "citation": "in a citation or warning",
    "action_no_report": "in action without a report",
    "no_action": "with no action (unfounded, gone on arrival or cancelled)",
}


@dataclass
class Sentences:
    lines: list[str]

    def markdown(self) -> str:
        return "\n".join(f"- {line}" for line in self.lines)


def category_sentence(row: pd.Series, min_count: int) -> str:
    """One category row of demand_by(..., 'category') as a sentence."""
    what = CATEGORY_WORDS.get(str(row["category"]), str(row["category"]).replace("_", " "))
    calls_word = "calls" if row["denominator"] == ALL_EVENTS else "community-generated calls"
    if is_small(row["calls"], min_count):
        return f"Fewer than {min_count} {calls_word} were about {what}."
    lead = one_in(float(row["share_of_calls"]))
    head = f"{lead} {calls_word} {_verb(lead)} about {what}"
    hours = row.get("share_of_officer_hours")
    if hours is None or pd.isna(hours):
        return head + "; officer time could not be measured for them."
    return f"{head}; those calls took {percent(float(hours))} of officer time."


def demand_sentences(by_category: pd.DataFrame, min_count: int, top: int = 3) -> list[str]:
    """Sentences for the largest categories and for violent crime, over both denominators."""
    out = []
    every = by_category[by_category["denominator"] == ALL_EVENTS]
    shown: list[str] = []
    for _, row in every.head(top).iterrows():
        out.append(category_sentence(row, min_count))
        shown.append(str(row["category"]))
    violent = every[every["category"] == "violent_crime"]
    if len(violent) and "violent_crime" not in shown:
        out.append(category_sentence(violent.iloc[0], min_count))
    comm = by_category[by_category["denominator"] == COMMUNITY_ONLY]
    if len(comm):
        out.append(
            "Counting only calls from the public (not officer-initiated): "
            + category_sentence(comm.iloc[0], min_count)
        )
    return out


def officer_time_sentence(result: OfficerTimeResult) -> str:
    if result.measured_calls == 0:
        date_only = [n for n in result.notes if "dates without times" in n]
        return (
            date_only[0]
            if date_only
            else "Officer time could not be measured: no call has both a start and a clear time."
        )
    return (
        f"Officer time could be measured on {percent(result.measured_calls / result.calls)} of "
        f"calls; {result.rules.describe()}."
    )


def response_sentence(rt: ResponseTimes, min_count: int) -> str | None:
    t = rt.table
    overall = t[(t.iloc[:, 0] == "all") & (t["segment"] == "received_to_arrived")]
    if overall.empty:
        return None
    row = overall.iloc[0]
    if is_small(row["calls"], min_count):
        return f"Fewer than {min_count} calls have the times needed for a response time."
    return (
        f"Half of the calls counted ({rt.convention.denominator()}) had an officer on scene within "
        f"{row['median_minutes']:.0f} minutes of the call; {percent(float(row['share_over_20']))} "
        f"waited more than 20 minutes and {percent(float(row['share_over_60']))} more than an hour."
    )


def officer_initiated_sentences(
    share: OriginShare, outcomes: pd.DataFrame, min_count: int
) -> list[str]:
    if not share.measurable:
        return [share.sentence_note()]
    if is_small(share.officer, min_count):
        return [f"Fewer than {min_count} events were started by officers themselves."]
    lead = one_in(share.share_of_all_events)
    out = [
        f"{lead} events {_verb(lead)} started by officers themselves rather than "
        f"by a call from the public ({percent(share.share_of_all_events)} of all events)."
    ]
    officer = outcomes[outcomes["origin"] == "officer"] if len(outcomes) else outcomes
    if len(officer):
        parts = []
        for outcome, words in ENDINGS.items():
            row = officer[officer["outcome"] == outcome]
            if len(row) and not is_small(row["calls"].iloc[0], min_count):
                parts.append(f"{percent(float(row['share'].iloc[0]))} {words}")
        if parts:
            out.append("Of officer-initiated events, " + ", ".join(parts) + ".")
    return out
