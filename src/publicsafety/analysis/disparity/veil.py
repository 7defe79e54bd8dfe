"""Veil of darkness (Grogger & Ridgeway 2006; Pierson et al. 2020): do officers stop a group less
often once it is dark and they can less easily see who is driving?

Only the inter-twilight window is used: clock times that are light on some days of the year and
dark on others, so time of day is held fixed (a natural spline in clock minute) while darkness
varies with the season. Stops between sunset and dusk (civil twilight) are dropped as neither.
Sunset and dusk come from `astral` for the city's location on each date. The engine counts stops
per clock minute x darkness (x area); the binomial model runs on those few hundred rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
from astral import Observer
from astral.sun import sun

from publicsafety.analysis.disparity.groups import MIN_EVENTS, TOO_FEW
from publicsafety.engine import Store
from publicsafety.errors import StoreError

Z95 = 1.959963984540054

VEIL_MEANS = (
    "After dark, officers can less easily see a driver's race before deciding to stop. If a group "
    "makes up a smaller share of stops in darkness than in daylight at the same clock time, that "
    "suggests drivers of that group were stopped partly because of who they appeared to be. A "
    "negative darkness coefficient (odds ratio below 1) points that way; an odds ratio whose "
    "interval covers 1 means the data cannot tell. The test assumes who is driving, and how, does not change "
    "with darkness at a given clock time, and street lighting weakens the 'veil'."
)


@dataclass
class VeilResult:
    group: str
    reference: str
    coef: float  # log odds of `group` vs `reference` among stops, dark vs light
    se: float
    low: float
    high: float
    odds_ratio: float
    stops: int  # stops of the two groups used (in the window, not in twilight)
    dark_stops: int
    window: tuple[int, int]  # clock minutes: earliest sunset .. latest dusk
    dates: int
    area_effects: bool
    stop_filter: str
    table: pd.DataFrame = field(repr=False)  # minute, is_dark, [area,] n_group, n_reference
    model: Any = field(repr=False, default=None)

    @property
    def covers_zero(self) -> bool:
        return self.low <= 0.0 <= self.high


def sun_times(dates: list[dt.date], lat: float, lon: float, timezone: str) -> pd.DataFrame:
    """Sunset and civil dusk (minutes after local midnight) for each date at a place."""
    tz = ZoneInfo(timezone)
    obs = Observer(latitude=lat, longitude=lon)
    rows = []
    for d in dates:
        s = sun(obs, date=d, tzinfo=tz)
        rows.append(
            {
                "date": d,
                "sunset_min": s["sunset"].hour * 60 + s["sunset"].minute,
                "dusk_min": s["dusk"].hour * 60 + s["dusk"].minute,
            }
        )
    return pd.DataFrame(rows)


def veil_counts(
    store: Store,
    *,
    lat: float,
    lon: float,
    timezone: str,
    group: str,
    reference: str,
    city: str | None = None,
    vehicular_only: bool = True,
    area_column: str | None = None,
) -> tuple[pd.DataFrame, tuple[int, int], int, str]:
    """Stops of `group` and `reference` per clock minute and darkness in the inter-twilight
    window (and per area when `area_column` names a stops column such as district)."""
    t = store.table("stops")
    if city:
        t = t.filter(t.city == city)
    t = t.filter(t.subject_race.isin([group, reference]))
    stop_filter = "all stops (the source does not say which were vehicle stops)"
    if vehicular_only:
        if t.filter(t.type.notnull() & (t.type != "unknown")).count().to_pyarrow().as_py() == 0:
            raise StoreError(
                "these stops do not record whether they were vehicle stops",
                where=f"stops of {city or 'the store'}",
                fix="run the test on all stops (vehicular_only=False / --all-stop-types) and say so "
                "when you report it",
            )
        t = t.filter(t.type == "vehicular")
        stop_filter = "vehicle stops"
    t = t.filter(t.date.notnull() & t.time.notnull())
    dates = sorted(t.select("date").distinct().to_pandas()["date"].tolist())
    if not dates:
        raise StoreError(
            f"no {stop_filter} of {group} or {reference} people with a date and time",
            where=f"stops of {city or 'the store'}",
            fix="check that the stops profile maps date, time and race",
        )
    suns = sun_times([pd.Timestamp(d).date() for d in dates], lat, lon, timezone)
    window = (int(suns["sunset_min"].min()), int(suns["dusk_min"].max()))
    sun_t = ibis.memtable(suns)
    j = t.join(sun_t, t.date == sun_t.date)
    j = j.mutate(minute=clock_minute(j.time))
    # Twilight (between sunset and dusk) is neither light nor dark: dropped, as Pierson et al. do.
    j = j.filter(
        j.minute.between(window[0], window[1])
        & ((j.minute < j.sunset_min) | (j.minute > j.dusk_min))
    )
    j = j.mutate(is_dark=(j.minute > j.dusk_min).cast("int8"), is_group=(j.subject_race == group))
    keys = ["minute", "is_dark"] + (["area"] if area_column else [])
    if area_column:
        j = j.mutate(area=j[area_column].cast("string").fill_null("unknown"))
    agg = j.group_by(keys).aggregate(
        n_group=j.is_group.cast("int64").sum(), n_reference=(~j.is_group).cast("int64").sum()
    )
    table = agg.order_by(keys).to_pandas()
    return table, window, len(dates), stop_filter


def fit_veil(
    table: pd.DataFrame, *, spline_df: int = 6, area_effects: bool = False
) -> tuple[float, float, Any]:
    """Binomial model: (n_group, n_reference) ~ is_dark + ns(minute) [+ area]; returns the
    darkness coefficient, its standard error and the fitted model."""
    formula = f"is_dark + cr(minute, df={spline_df}, constraints='center')"
    if area_effects:
        formula += " + C(area)"
    exog = patsy.dmatrix(formula, table, return_type="dataframe")
    endog = table[["n_group", "n_reference"]].to_numpy(dtype=float)
    res = sm.GLM(endog, exog, family=sm.families.Binomial()).fit()
    return float(res.params["is_dark"]), float(res.bse["is_dark"]), res


def clock_minute(time: Any) -> Any:
    """Minute of the day of a clock time: a TIME column, or 'HH:MM[:SS]' text where the engine
    has no TIME type (Spark)."""
    if time.type().is_time():
        return time.hour() * 60 + time.minute()
    parts = time.split(":")
    return parts[0].cast("int64") * 60 + parts[1].cast("int64")


def veil_of_darkness(
    store: Store,
    *,
    lat: float,
    lon: float,
    timezone: str,
    group: str = "black",
    reference: str = "white",
    city: str | None = None,
    vehicular_only: bool = True,
    area_column: str | None = None,
    spline_df: int = 6,
) -> VeilResult:
    """Run the veil-of-darkness test for one group against a reference group."""
    table, window, ndates, stop_filter = veil_counts(
        store,
        lat=lat,
        lon=lon,
        timezone=timezone,
        group=group,
        reference=reference,
        city=city,
        vehicular_only=vehicular_only,
        area_column=area_column,
    )
    table = table[(table["n_group"] + table["n_reference"]) > 0].reset_index(drop=True)
    if table.empty or table["is_dark"].nunique() < 2:
        raise StoreError(
            "no stops in both daylight and darkness in the inter-twilight window",
            where=f"stops of {city or 'the store'}",
            fix="the test needs stops spread over the year with clock times",
        )
    dark = table["is_dark"] == 1
    fewest = min(table.loc[dark, "n_group"].sum(), table.loc[~dark, "n_group"].sum())
    if fewest < MIN_EVENTS:
        raise StoreError(
            f"{TOO_FEW}: fewer than {MIN_EVENTS} stops of {group} drivers in daylight or in "
            "darkness within the inter-twilight window",
            where=f"stops of {city or 'the store'}",
            fix="the test needs more stops of this group; report it as too few to say",
        )
    coef, se, res = fit_veil(table, spline_df=spline_df, area_effects=bool(area_column))
    totals = table["n_group"] + table["n_reference"]
    return VeilResult(
        group=group,
        reference=reference,
        coef=coef,
        se=se,
        low=coef - Z95 * se,
        high=coef + Z95 * se,
        odds_ratio=float(np.exp(coef)),
        stops=int(totals.sum()),
        dark_stops=int(totals[table["is_dark"] == 1].sum()),
        window=window,
        dates=ndates,
        area_effects=bool(area_column),
        stop_filter=stop_filter,
        table=table,
        model=res,
    )


def city_location(store: Store, city: str | None = None) -> tuple[float, float] | None:
    """Where a city is, from its data: the median stop location, else the centre of its areas."""
    stops = store.table("stops")
    if city:
        stops = stops.filter(stops.city == city)
    stops = stops.filter(stops.lat.between(-90, 90) & stops.lng.between(-180, 180))
    got = stops.aggregate(lat=stops.lat.median(), lon=stops.lng.median()).to_pandas().iloc[0]
    if pd.notna(got["lat"]):
        return float(got["lat"]), float(got["lon"])
    areas = store.table("areas")
    if city:
        areas = areas.filter(areas.city == city)
    box = (
        areas.aggregate(
            lat=(areas.ymin.min() + areas.ymax.max()) / 2,
            lon=(areas.xmin.min() + areas.xmax.max()) / 2,
        )
        .to_pandas()
        .iloc[0]
    )
    if pd.notna(box["lat"]):
        return float(box["lat"]), float(box["lon"])
    return None
