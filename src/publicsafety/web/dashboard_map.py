"""The dashboard's map: calls for service by area of the chosen area set, with the same filters
as its tables, drawn server-side as SVG (the report's choropleth) in the page's language.

Counts pass through the privacy layer before anything is drawn: an area with 1 to 10 calls (or
one hidden so that such an area cannot be worked out) is hatched, and its rate is never shown.
Sensitive call types are counted citywide but never placed on the map.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from publicsafety.analysis.places.area_profiles import load_areas, population
from publicsafety.engine import Store
from publicsafety.errors import StoreError
from publicsafety.privacy import sensitive_sql
from publicsafety.report.export import publish
from publicsafety.report.maps import choropleth, layer_from

Gettext = Callable[..., str]


def _areas(store: Store, city: str, area_set: str) -> pd.DataFrame:
    """Areas with a shape: name, geometry, residents (as the places analysis reads them: one
    population source, never two loads added up)."""
    try:
        table, geometry = load_areas(store, city, area_set)
    except StoreError:
        return pd.DataFrame(columns=["name", "geometry", "residents"])
    residents = population(store, city, area_set)
    table = table.loc[[a for a in table.index if a in geometry]].copy()
    table["geometry"] = pd.Series({a: geometry[a] for a in table.index}, dtype=object)
    table["residents"] = [residents.get(a, np.nan) for a in table.index]
    return table


def calls_map(
    store: Store, city: str, area_set: str | None, where: str, params: list[Any], _: Gettext
) -> str | None:
    """The map as an SVG element, or None when the area set has no shapes.

    `where` and `params` select the calls (alias `c`), as the dashboard's tables do."""
    if not area_set:
        return None
    areas = _areas(store, city, area_set)
    if areas.empty:
        return None
    counts = store.con.execute(
        f"""SELECT p.area_id, count(*) AS calls
            FROM calls c JOIN placements p ON p.kind = 'calls' AND p.row_id = c.row_id
              AND p.area_set = ?
            WHERE {where} AND p.area_id IS NOT NULL AND NOT {sensitive_sql("c.call_type")}
            GROUP BY 1""",
        [area_set, *params],
    ).fetchall()
    table = areas[["name", "residents"]].copy()
    table["calls"] = pd.Series(dict(counts), dtype="float64").reindex(table.index).fillna(0)
    public = publish(
        table.reset_index(), ["calls"], min_count=store.settings.privacy.min_count
    ).table.set_index("area_id")
    per_resident = bool((table["residents"] > 0).any())
    if per_resident:
        public["value"] = (
            1000 * public["calls"] / public["residents"].where(public["residents"] > 0)
        )
        title = _("Calls per 1,000 residents, %(city)s, %(areas)s", city=city, areas=area_set)
        legend = _("calls per 1,000 residents")
    else:
        public["value"] = public["calls"]
        title = _("Calls, %(city)s, %(areas)s", city=city, areas=area_set)
        legend = _("calls")
    layer = layer_from(public, "value", ["calls"])
    shown = {k: v for k, v in layer.values.items() if np.isfinite(v)}
    if shown:
        top = max(shown, key=lambda k: shown[k])
        caption = _(
            "%(area)s had the most: %(value)s. Areas with too few calls to publish are hatched.",
            area=layer.names[top],
            value=f"{shown[top]:,.1f}" if per_resident else f"{shown[top]:,.0f}",
        )
    else:
        caption = _("No area has enough calls to publish.")
    words = {
        "suppressed": _("suppressed"),
        "suppressed (too few)": _("suppressed (too few events to publish)"),
        "no data": _("no data"),
        "under": _("under %(value)s", value="{}"),
        "or more": _("%(value)s or more", value="{}"),
        "to": _("%(low)s to %(high)s", low="{}", high="{}"),
        "Source": _("Source: %(source)s", source="{}"),
    }
    source = _("%(city)s calls for service; counts of 1 to 10 suppressed.", city=city)
    svg = choropleth(
        dict(areas["geometry"]),
        layer,
        title=_plain(title),
        legend_title=_plain(legend),
        source=_plain(source),
        caption=_plain(caption),
        words={k: _plain(v) for k, v in words.items()},
    )
    # An image with a name for screen readers; the table below it holds the same numbers.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def _plain(text: str) -> str:
    """Translated text as plain text: the drawing escapes what it writes itself."""
    return str(Markup(text).unescape())
