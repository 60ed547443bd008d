"""Publication figures: posts, interactions, engagement rates (reach, impressions, followers),
breakdowns, top and bottom posts, best time to post, audience growth."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from metrics._common import as_utc, ratio_or_none, require_columns
from metrics.period import DEFAULT_TIMEZONE, Period

# Likes / favourites are exported as reactions. Clicks and saves are deliberately left out:
# not every network exports them, and they would make rates incomparable across networks.
INTERACTION_COLUMNS: tuple[str, ...] = ("reactions", "comments", "shares")
ENGAGEMENT_BASES: tuple[str, ...] = ("reach", "impressions")

EngagementBase = Literal["reach", "impressions"]


def publications_in(posts: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The rows of ``posts`` published within ``period`` (missing publication date → out)."""
    require_columns(posts, ("published_at",), "publications")
    return posts.loc[period.contains(posts["published_at"])]


def publication_count(posts: pd.DataFrame, period: Period) -> int:
    """Number of posts published within ``period``."""
    return len(publications_in(posts, period))


def interactions_per_post(posts: pd.DataFrame) -> pd.Series:
    """Reactions + comments + shares of each post (Int64).

    A missing component counts as 0, but a post with all three missing stays missing: nothing
    was exported for it, which is not the same as nobody reacting.
    """
    require_columns(posts, INTERACTION_COLUMNS, "publications")
    components = posts.loc[:, list(INTERACTION_COLUMNS)].astype("Int64")
    return components.sum(axis=1, min_count=1).astype("Int64")


def interaction_total(posts: pd.DataFrame, period: Period) -> int:
    """Sum of the interactions of the posts published within ``period``."""
    return int(interactions_per_post(publications_in(posts, period)).sum())


def engagement_rate(
    posts: pd.DataFrame, period: Period, base: EngagementBase = "reach"
) -> float | None:
    """Σ interactions ÷ Σ ``base`` over the period's posts where both are known (a fraction).

    Posts whose base or interactions are missing are left out of both sums, so an unexported
    figure never counts as zero. None when no post qualifies or the summed base is 0.
    """
    if base not in ENGAGEMENT_BASES:
        raise ValueError(
            f"Base du taux d'engagement inconnue : {base!r} (attendu : « reach » ou « impressions »)."
        )
    require_columns(posts, (base,), "publications")
    published = publications_in(posts, period)
    interactions = interactions_per_post(published)
    denominators = published[base].astype("Int64")
    qualifies = (interactions.notna() & denominators.notna()).astype(bool)
    return ratio_or_none(int(interactions[qualifies].sum()), int(denominators[qualifies].sum()))


# ----------------------------------------------------------------------------------------------
# Per-post rates, the followers base, breakdowns, rankings, best time, audience growth

RateBase = Literal["reach", "impressions", "followers"]
RATE_BASES: tuple[str, ...] = ("reach", "impressions", "followers")
BREAKDOWNS: tuple[str, ...] = ("platform", "account", "post_type", "hour", "weekday")
DEFAULT_MINIMUM_BASE = 100
DEFAULT_MINIMUM_POSTS_PER_CELL = 3
UNKNOWN_GROUP = "(non renseigné)"
_DAY = pd.Timedelta(days=1)


def followers_at_publication(
    posts: pd.DataFrame, audience: pd.DataFrame, timezone: str = "Europe/Paris"
) -> pd.Series:
    """Followers of each post's platform and account on the local day before publication,
    or on the nearest earlier day known (float, NaN when none is known).

    The audience is matched on platform and account; a post without account takes the
    platform's only account when the audience has exactly one for that platform.
    """
    require_columns(posts, ("platform", "account", "published_at"), "publications")
    require_columns(audience, ("platform", "account", "date", "followers"), "audience")
    result = pd.Series(np.nan, index=posts.index, dtype="float64")
    known = audience.loc[audience["date"].notna() & audience["followers"].notna()]
    published = as_utc(posts["published_at"])
    if known.empty or published.isna().all():
        return result

    accounts = known.assign(account=known["account"].astype("str").fillna(""))
    platforms = accounts["platform"].astype("str").fillna("")
    single = accounts.groupby(platforms)["account"].nunique()
    only_account = accounts.groupby(platforms)["account"].first()[single == 1]
    post_platform = posts["platform"].astype("str").fillna("")
    post_account = posts["account"].astype("str")
    post_account = post_account.where(
        post_account.notna(), post_platform.map(only_account).astype("str")
    ).fillna("")

    day_before = published.dt.tz_convert(timezone).dt.tz_localize(None).dt.floor("D") - _DAY
    left = pd.DataFrame(
        {
            "key": (post_platform + "\x1f" + post_account).to_numpy(),
            "day": day_before.astype("datetime64[us]").to_numpy(),
            "row": np.arange(len(posts)),
        }
    ).loc[published.notna().to_numpy(dtype=bool)]
    right = pd.DataFrame(
        {
            "key": (platforms + "\x1f" + accounts["account"]).to_numpy(),
            "day": pd.to_datetime(accounts["date"]).astype("datetime64[us]").to_numpy(),
            "followers": accounts["followers"].astype("float64").to_numpy(),
        }
    )
    matched = pd.merge_asof(left.sort_values("day"), right.sort_values("day"), on="day", by="key")
    result.iloc[matched["row"].to_numpy()] = matched["followers"].to_numpy()
    return result


def post_metrics(
    posts: pd.DataFrame,
    period: Period | None = None,
    audience: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per post (of ``period`` if given): interactions, reach, impressions, followers
    (from ``audience``) and the rate on each base (NaN where the base is missing or 0, or no
    interaction component was exported)."""
    require_columns(posts, ("platform", "published_at", *ENGAGEMENT_BASES), "publications")
    chosen = posts if period is None else publications_in(posts, period)
    timezone = DEFAULT_TIMEZONE if period is None else period.timezone
    interactions = interactions_per_post(chosen).astype("float64")
    frame = pd.DataFrame(index=chosen.index)
    for column in ("platform", "account", "native_id", "published_at", "post_type", "permalink"):
        if column in chosen.columns:
            frame[column] = chosen[column]
    frame["interactions"] = interactions
    frame["reach"] = chosen["reach"].astype("float64")
    frame["impressions"] = chosen["impressions"].astype("float64")
    frame["followers"] = (
        np.nan if audience is None else followers_at_publication(chosen, audience, timezone)
    )
    for base in RATE_BASES:
        denominator = frame[base].where(frame[base] > 0)
        frame[f"rate_{base}"] = interactions / denominator
    return frame


def engagement_rate_followers(
    posts: pd.DataFrame, audience: pd.DataFrame, period: Period
) -> float | None:
    """Σ interactions ÷ Σ followers at publication, over the period's posts where both are
    known; None when no post qualifies or the summed followers are 0."""
    return _rate(post_metrics(posts, period, audience), "followers")


def engagement_by(
    posts: pd.DataFrame,
    period: Period,
    by: str = "platform",
    base: RateBase = "reach",
    audience: pd.DataFrame | None = None,
) -> list[dict[str, object]]:
    """Posts, interactions, summed base and rate (total ÷ total) per ``by``: platform,
    account, post_type, hour (local, 0–23) or weekday (0 = Monday). JSON-ready."""
    if by not in BREAKDOWNS:
        raise ValueError(f"Ventilation inconnue : {by!r} (attendu : {', '.join(BREAKDOWNS)}).")
    _check_base(base)
    metrics = post_metrics(posts, period, audience)
    groups = _groups(metrics, by, period.timezone)
    rows = []
    for group in sorted(groups.dropna().unique(), key=lambda g: (isinstance(g, str), g)):
        mine = metrics.loc[(groups == group).to_numpy(dtype=bool)]
        qualifies = mine["interactions"].notna() & mine[base].notna()
        rows.append(
            {
                by: group,
                "posts": len(mine),
                "interactions": int(mine["interactions"].sum()),
                "base": int(mine.loc[qualifies, base].sum()),
                "rate": _rate(mine, base),
            }
        )
    return rows


def ranked_posts(
    posts: pd.DataFrame,
    period: Period,
    base: RateBase = "reach",
    count: int = 5,
    minimum_base: int = DEFAULT_MINIMUM_BASE,
    audience: pd.DataFrame | None = None,
    bottom: bool = False,
) -> list[dict[str, object]]:
    """The ``count`` posts with the highest (or, ``bottom``, lowest) rate on ``base``, among
    the period's posts whose base is at least ``minimum_base``. JSON-ready."""
    _check_base(base)
    metrics = post_metrics(posts, period, audience)
    rate = f"rate_{base}"
    eligible = metrics.loc[metrics[rate].notna() & (metrics[base] >= minimum_base)].copy()
    eligible["_order"] = np.arange(len(eligible))
    ranked = eligible.sort_values(
        [rate, "published_at", "_order"], ascending=[bottom, True, True], kind="stable"
    ).head(count)
    return [
        {
            "platform": _text(row.get("platform")),
            "account": _text(row.get("account")),
            "native_id": _text(row.get("native_id")),
            "published_at": None
            if pd.isna(row["published_at"])
            else row["published_at"].isoformat(),
            "post_type": _text(row.get("post_type")),
            "permalink": _text(row.get("permalink")),
            "interactions": int(row["interactions"]),
            "base": int(row[base]),
            "rate": float(row[rate]),
        }
        for _, row in ranked.iterrows()
    ]


def best_time_grid(
    posts: pd.DataFrame,
    period: Period,
    base: RateBase = "reach",
    minimum_posts: int = DEFAULT_MINIMUM_POSTS_PER_CELL,
    audience: pd.DataFrame | None = None,
) -> dict[str, object]:
    """Median per-post rate per local weekday × hour cell, JSON-ready.

    Cells with fewer than ``minimum_posts`` rated posts get no value. When less than half of
    the rated posts fall in cells that have a value, the grid is coarsened to weekday ×
    3-hour blocks, then to weekday only; ``grid`` says which one is returned ("hour",
    "3h" or "weekday"); each cell gives ``weekday`` (0 = Monday), ``slot`` (first hour of
    the cell, None for the weekday grid), ``posts`` and ``median_rate``.
    """
    _check_base(base)
    metrics = post_metrics(posts, period, audience)
    rated = metrics.loc[metrics[f"rate_{base}"].notna()]
    local = as_utc(rated["published_at"]).dt.tz_convert(period.timezone)
    weekday = local.dt.day_of_week
    grids = {"hour": local.dt.hour, "3h": local.dt.hour // 3 * 3, "weekday": None}
    chosen = "weekday"
    for name, slot in grids.items():
        keys = weekday if slot is None else weekday * 100 + slot
        sizes = keys.value_counts()
        covered = int(sizes[sizes >= minimum_posts].sum())
        if len(rated) and covered * 2 >= len(rated):
            chosen = name
            break
    slot = grids[chosen]
    cells = pd.DataFrame(
        {
            "weekday": weekday.astype("int64"),
            "slot": -1 if slot is None else slot.astype("int64"),
            "rate": rated[f"rate_{base}"],
        }
    )
    summary = cells.groupby(["weekday", "slot"])["rate"].agg(["size", "median"]).reset_index()
    return {
        "grid": chosen,
        "base": base,
        "minimum_posts": minimum_posts,
        "cells": [
            {
                "weekday": int(row.weekday),
                "slot": None if row.slot < 0 else int(row.slot),
                "posts": int(row.size),
                "median_rate": float(row.median) if row.size >= minimum_posts else None,
            }
            for row in summary.itertuples(index=False)
        ],
    }


def audience_growth(audience: pd.DataFrame, period: Period) -> list[dict[str, object]]:
    """Per platform and account: followers before the period (last count on or before the
    day before it starts; failing that, the first count of the period), at its end (last
    count on or before its last day), net change, and followers gained (sum of the day-to-day
    increases between those two counts). JSON-ready."""
    require_columns(audience, ("platform", "account", "date", "followers"), "audience")
    known = audience.loc[audience["date"].notna() & audience["followers"].notna()].copy()
    known["day"] = pd.to_datetime(known["date"]).dt.floor("D")
    first = pd.Timestamp(period.start) - _DAY
    last = pd.Timestamp(period.end)
    known = known.loc[known["day"] <= last]
    rows = []
    keys = known[["platform", "account"]].astype("str").fillna(UNKNOWN_GROUP)
    for (platform, account), series in known.groupby(
        [keys["platform"], keys["account"]], sort=True
    ):
        ordered = series.sort_values("day", kind="stable").drop_duplicates("day", keep="last")
        before = ordered.loc[ordered["day"] <= first]
        within = ordered.loc[ordered["day"] > first]
        if within.empty:
            continue
        steps = pd.concat([before.tail(1), within])
        counts = steps["followers"].astype("float64").to_numpy()
        changes = np.diff(counts)
        rows.append(
            {
                "platform": platform,
                "account": account,
                "from_date": steps["day"].iat[0].date().isoformat(),
                "to_date": steps["day"].iat[-1].date().isoformat(),
                "followers_start": int(counts[0]),
                "followers_end": int(counts[-1]),
                "net_change": int(counts[-1] - counts[0]),
                "gained": int(changes[changes > 0].sum()),
                "complete": not before.empty,
            }
        )
    return rows


def _rate(metrics: pd.DataFrame, base: str) -> float | None:
    qualifies = (metrics["interactions"].notna() & metrics[base].notna()).to_numpy(dtype=bool)
    return ratio_or_none(
        int(metrics.loc[qualifies, "interactions"].sum()), int(metrics.loc[qualifies, base].sum())
    )


def _check_base(base: str) -> None:
    if base not in RATE_BASES:
        raise ValueError(
            f"Base du taux d'engagement inconnue : {base!r} "
            "(attendu : « reach », « impressions » ou « followers »)."
        )


def _groups(metrics: pd.DataFrame, by: str, timezone: str) -> pd.Series:
    if by in ("hour", "weekday"):
        local = as_utc(metrics["published_at"]).dt.tz_convert(timezone)
        values = local.dt.hour if by == "hour" else local.dt.day_of_week
        return values.astype("Int64").astype(object)
    if by not in metrics.columns:
        raise KeyError(f"Colonne manquante dans le tableau « publications » : {by}.")
    return metrics[by].astype("str").fillna(UNKNOWN_GROUP).astype(object)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
