"""Tests of metrics.engagement: publication count, interactions and engagement rates."""

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import conform, empty_frame
from metrics.engagement import (
    engagement_rate,
    interaction_total,
    interactions_per_post,
    publication_count,
    publications_in,
)
from metrics.period import Period

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
NA = None


def canonical(kind: str, rows) -> pd.DataFrame:
    # ISO strings with and without fractions or offsets are parsed here, explicitly.
    frame = pd.DataFrame(list(rows))
    for column in frame.columns:
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return conform(frame, kind)


def posts(*rows: dict) -> pd.DataFrame:
    return canonical("publication", rows)


def post(published_at, reach=NA, impressions=NA, reactions=NA, comments=NA, shares=NA, **extra):
    return dict(
        published_at=published_at,
        reach=reach,
        impressions=impressions,
        reactions=reactions,
        comments=comments,
        shares=shares,
        **extra,
    )


@pytest.fixture
def march_posts() -> pd.DataFrame:
    return posts(
        # p0: first instant of March → in; interactions 5 + 2 + 1 = 8
        post(
            "2026-03-01T00:00:00+01:00",
            reach=100,
            impressions=200,
            reactions=5,
            comments=2,
            shares=1,
        ),
        # p1: in; interactions 3 (comments, shares NA → 0); impressions NA
        post("2026-03-15T12:00:00Z", reach=50, reactions=3),
        # p2: in; all three components NA → interactions NA; reach NA
        post("2026-03-20T09:00:00Z", impressions=100),
        # p3: last µs of March → in; interactions 2; bases 0
        post(
            "2026-03-31T23:59:59.999999+02:00",
            reach=0,
            impressions=0,
            reactions=2,
            comments=0,
            shares=0,
        ),
        # p4: 01/04 00:00 local → out
        post("2026-04-01T00:00:00+02:00", reach=1000, impressions=1000, reactions=100),
        # p5: no date → out
        post(None, reach=10, reactions=7),
        # p6: last minute of February → out
        post("2026-02-28T23:59:00+01:00", reach=10, reactions=1),
    )


def test_publications_in_and_count(march_posts):
    # p0, p1, p2, p3 are in March.
    assert publications_in(march_posts, MARCH).index.tolist() == [0, 1, 2, 3]
    assert publication_count(march_posts, MARCH) == 4


def test_interactions_per_post(march_posts):
    got = interactions_per_post(march_posts)
    assert got.dtype == "Int64"
    # 5+2+1, 3+0+0, all NA, 2+0+0, 100, 7, 1
    assert got.tolist() == [8, 3, pd.NA, 2, 100, 7, 1]


def test_interaction_total(march_posts):
    # p0 8 + p1 3 + p2 (NA, adds nothing) + p3 2 = 13
    assert interaction_total(march_posts, MARCH) == 13


def test_engagement_rate_by_reach(march_posts):
    # p0 8/100, p1 3/50, p2 excluded (reach NA), p3 2/0 kept → (8+3+2)/(100+50+0) = 13/150
    assert engagement_rate(march_posts, MARCH, "reach") == pytest.approx(13 / 150)
    assert engagement_rate(march_posts, MARCH) == pytest.approx(13 / 150)  # reach is the default


def test_engagement_rate_by_impressions(march_posts):
    # p0 8/200, p1 excluded (impressions NA), p2 excluded (interactions all NA although
    # impressions 100 — otherwise the base would be 300), p3 2/0 → (8+2)/(200+0) = 0.05
    assert engagement_rate(march_posts, MARCH, "impressions") == pytest.approx(0.05)


def test_engagement_rate_can_exceed_one():
    # 30 interactions over a reach of 20 → 1.5
    frame = posts(post("2026-03-02T10:00Z", reach=20, reactions=30))
    assert engagement_rate(frame, MARCH, "reach") == pytest.approx(1.5)


def test_engagement_rate_none_when_base_sums_to_zero_or_nothing_qualifies():
    only_zero_reach = posts(post("2026-03-02T10:00Z", reach=0, reactions=4))
    assert engagement_rate(only_zero_reach, MARCH, "reach") is None  # 4 / 0
    no_base = posts(post("2026-03-02T10:00Z", reactions=4))
    assert engagement_rate(no_base, MARCH, "reach") is None  # nothing qualifies
    outside = posts(post("2026-05-02T10:00Z", reach=100, reactions=4))
    assert engagement_rate(outside, MARCH, "reach") is None  # no post in the period


def test_clicks_saves_and_video_views_are_not_interactions():
    frame = posts(
        post("2026-03-02T10:00Z", reach=100, reactions=1, clicks=500, saves=40, video_views=900)
    )
    assert interaction_total(frame, MARCH) == 1
    assert engagement_rate(frame, MARCH, "reach") == pytest.approx(0.01)


def test_unknown_base_is_refused():
    with pytest.raises(ValueError, match="Base du taux"):
        engagement_rate(empty_frame("publication"), MARCH, "followers")  # type: ignore[arg-type]


def test_empty_frame():
    empty = empty_frame("publication")
    assert publication_count(empty, MARCH) == 0
    assert interaction_total(empty, MARCH) == 0
    assert interactions_per_post(empty).empty
    assert engagement_rate(empty, MARCH, "reach") is None
    assert engagement_rate(empty, MARCH, "impressions") is None


def test_all_missing_counts():
    frame = posts(post("2026-03-02T10:00Z"), post("2026-03-03T10:00Z"))
    assert publication_count(frame, MARCH) == 2
    assert interaction_total(frame, MARCH) == 0
    assert interactions_per_post(frame).isna().all()
    assert engagement_rate(frame, MARCH, "reach") is None


def test_missing_column_gives_a_clear_error():
    with pytest.raises(KeyError, match="published_at"):
        publication_count(pd.DataFrame({"reach": [1]}), MARCH)


def test_return_types_are_plain_python():
    frame = posts(post("2026-03-02T10:00Z", reach=10, reactions=1))
    assert type(publication_count(frame, MARCH)) is int
    assert type(interaction_total(frame, MARCH)) is int
    assert type(engagement_rate(frame, MARCH, "reach")) is float


counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10**6))
random_post = st.fixed_dictionaries(
    {
        "published_at": st.one_of(
            st.none(),
            st.datetimes(
                min_value=pd.Timestamp("2026-02-01").to_pydatetime(),
                max_value=pd.Timestamp("2026-05-01").to_pydatetime(),
            ).map(lambda d: d.isoformat() + "Z"),
        ),
        "reach": counts,
        "impressions": counts,
        "reactions": counts,
        "comments": counts,
        "shares": counts,
    }
)


@settings(deadline=None)
@given(rows=st.lists(random_post, max_size=25))
def test_engagement_invariants(rows):
    frame = posts(*rows)
    in_period = publications_in(frame, MARCH)
    assert 0 <= publication_count(frame, MARCH) <= len(frame)
    assert interaction_total(frame, MARCH) == int(interactions_per_post(in_period).sum()) >= 0
    for base in ("reach", "impressions"):
        rate = engagement_rate(frame, MARCH, base)
        assert rate is None or rate >= 0
        if rate is not None:
            assert (in_period[base].fillna(0) > 0).any()
