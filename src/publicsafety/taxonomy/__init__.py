"""The call taxonomy: per-city maps (versioned CSV data), a shared base of keyword rules, and the
classifier that applies them inside the engine (DESIGN.md "Call taxonomy"; docs/taxonomy.md)."""

from publicsafety.taxonomy.base import Proposal, propose, propose_keyword
from publicsafety.taxonomy.classify import ClassifyResult, classify
from publicsafety.taxonomy.maps import CityMap, find_map, install_map, read_map, slug
from publicsafety.taxonomy.suggest import suggest, suggest_for_city, types_from_file, unmapped

__all__ = [
    "CityMap",
    "ClassifyResult",
    "Proposal",
    "classify",
    "find_map",
    "install_map",
    "propose",
    "propose_keyword",
    "read_map",
    "slug",
    "suggest",
    "suggest_for_city",
    "types_from_file",
    "unmapped",
]
