"""Publication figures: how many posts, how many interactions, and the engagement rate."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from metrics._common import ratio_or_none, require_columns
from metrics.period import Period

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
