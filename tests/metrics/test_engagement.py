"""Tests of metrics.engagement: counts, interactions, rates on reach, impressions and followers,
breakdowns, top and bottom posts, best time and audience growth."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import conform, empty_frame
from metrics.engagement import (
    audience_growth,
    best_time_grid,
    engagement_by,
    engagement_rate,
    engagement_rate_followers,
    followers_at_publication,
    interaction_total,
    interactions_per_post,
    post_metrics,
    publication_count,
    publications_in,
    ranked_posts,
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


# ----------------------------------------------------------------------------------------------
# Per-post rates, followers base, breakdowns, rankings, best time, audience growth


def audience(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["platform", "account", "date", "followers"])
    return conform(frame, "audience")


@pytest.fixture
def feed() -> pd.DataFrame:
    # March 2026 is CET (UTC+1): 09:00Z = 10:00 local
    return posts(
        post("2026-03-02T09:00Z", reach=1000, impressions=2000, reactions=50, comments=10,
             shares=0, platform="facebook", account="Ville", native_id="a", post_type="Photos"),
        post("2026-03-03T09:30Z", reach=200, reactions=4, platform="facebook", account="Ville",
             native_id="b", post_type="Liens"),
        post("2026-03-09T17:00Z", reach=50, reactions=20, platform="instagram", native_id="c"),
        post("2026-03-09T09:10Z", reach=400, reactions=8, platform="facebook", account="Ville",
             native_id="d", post_type="Photos"),
        post("2026-03-16T09:45Z", reach=100, reactions=1, platform="facebook", account="Ville",
             native_id="e", post_type="Photos"),
        post("2026-03-04T12:00Z", impressions=500, reactions=5, platform="x",
             account="ville_x", native_id="f", post_type="Tweet"),
        post("2026-04-02T09:00Z", reach=10, reactions=9, platform="facebook", account="Ville",
             native_id="g"),
    )  # fmt: skip


@pytest.fixture
def followers() -> pd.DataFrame:
    return audience(
        ("facebook", "Ville", "2026-02-28", 5000),
        ("facebook", "Ville", "2026-03-02", 5100),
        ("facebook", "Ville", "2026-03-08", 5200),
        ("facebook", "Ville", "2026-03-20", 5150),
        ("facebook", "Ville", "2026-04-05", 9999),  # after the period
        ("facebook", "Autre", "2026-03-01", 100),
        ("instagram", "ville_ig", "2026-03-08", 800),
    )


def test_followers_on_the_day_before_publication(feed, followers):
    got = followers_at_publication(feed, followers)
    # a: 02/03 → day before 01/03 → nearest earlier 28/02 = 5000; b: 03/03 → 02/03 = 5100;
    # c: instagram without account → the only instagram account, 08/03 = 800;
    # d: 09/03 → 08/03 = 5200; e: 16/03 → 15/03 → 08/03 = 5200; f: no x audience;
    # g: 02/04 → 01/04 → 20/03 = 5150 (never the "Autre" account)
    np.testing.assert_array_equal(got.to_numpy(), [5000, 5100, 800, 5200, 5200, np.nan, 5150])


def test_followers_use_the_local_day():
    # 01/03 23:30Z is 02/03 00:30 in Paris: published on 02/03 → day before 01/03 → 20
    # (on the UTC day it would be 28/02 → 10)
    late = posts(post("2026-03-01T23:30Z", platform="facebook", account="Ville"))
    counts = audience(
        ("facebook", "Ville", "2026-02-28", 10), ("facebook", "Ville", "2026-03-01", 20)
    )
    assert followers_at_publication(late, counts).tolist() == [20.0]
    assert followers_at_publication(late, counts, "UTC").tolist() == [10.0]


def test_post_metrics(feed, followers):
    metrics = post_metrics(feed, MARCH, followers)
    assert metrics["native_id"].tolist() == ["a", "b", "c", "d", "e", "f"]
    assert metrics["interactions"].tolist() == [60, 4, 20, 8, 1, 5]
    # 60/1000, 4/200, 20/50, 8/400, 1/100, x has no reach
    np.testing.assert_allclose(
        metrics["rate_reach"].to_numpy(), [0.06, 0.02, 0.4, 0.02, 0.01, np.nan]
    )
    np.testing.assert_allclose(
        metrics["rate_impressions"].to_numpy(), [0.03, np.nan, np.nan, np.nan, np.nan, 0.01]
    )
    np.testing.assert_allclose(
        metrics["rate_followers"].to_numpy(),
        [60 / 5000, 4 / 5100, 20 / 800, 8 / 5200, 1 / 5200, np.nan],
    )
    # without an audience the followers rate is simply missing
    assert post_metrics(feed, MARCH)["rate_followers"].isna().all()


def test_engagement_rate_followers(feed, followers):
    # (60 + 4 + 20 + 8 + 1) ÷ (5000 + 5100 + 800 + 5200 + 5200) = 93 ÷ 21 300; x has none
    assert engagement_rate_followers(feed, followers, MARCH) == pytest.approx(93 / 21_300)
    empty_audience = conform(pd.DataFrame(), "audience")
    assert engagement_rate_followers(feed, empty_audience, MARCH) is None


def test_engagement_by_platform(feed):
    # facebook a b d e: 73 ÷ 1700; instagram 20 ÷ 50; x: 5 interactions, no reach → None
    assert engagement_by(feed, MARCH, "platform") == [
        {"platform": "facebook", "posts": 4, "interactions": 73, "base": 1700, "rate": 73 / 1700},
        {"platform": "instagram", "posts": 1, "interactions": 20, "base": 50, "rate": 0.4},
        {"platform": "x", "posts": 1, "interactions": 5, "base": 0, "rate": None},
    ]


def test_engagement_by_post_type_hour_and_weekday(feed, followers):
    by_type = {row["post_type"]: row for row in engagement_by(feed, MARCH, "post_type")}
    assert list(by_type) == ["(non renseigné)", "Liens", "Photos", "Tweet"]
    assert by_type["Photos"]["rate"] == pytest.approx(69 / 1500)  # a d e: (60+8+1)/(1000+400+100)
    by_hour = {row["hour"]: row for row in engagement_by(feed, MARCH, "hour")}
    # local hours: a 10, b 10, c 18, d 10, e 10, f 13
    assert sorted(by_hour) == [10, 13, 18]
    assert by_hour[10]["posts"] == 4 and by_hour[10]["rate"] == pytest.approx(73 / 1700)
    by_day = {row["weekday"]: row for row in engagement_by(feed, MARCH, "weekday")}
    # Monday a c d e: (60+20+8+1)/(1000+50+400+100); Tuesday b; Wednesday f (no reach)
    assert by_day[0]["rate"] == pytest.approx(89 / 1550)
    assert by_day[2]["rate"] is None
    by_followers = engagement_by(feed, MARCH, "platform", "followers", followers)
    assert by_followers[0]["rate"] == pytest.approx(73 / (5000 + 5100 + 5200 + 5200))
    with pytest.raises(ValueError, match="Ventilation"):
        engagement_by(feed, MARCH, "colour")


def test_top_and_bottom_posts(feed):
    # reach ≥ 100: a 0.06, b 0.02, d 0.02, e 0.01 (c has 0.4 on a reach of 50: not ranked);
    # ties keep the earlier post first
    top = ranked_posts(feed, MARCH, count=3)
    assert [p["native_id"] for p in top] == ["a", "b", "d"]
    assert top[0] == {
        "platform": "facebook",
        "account": "Ville",
        "native_id": "a",
        "published_at": "2026-03-02T09:00:00+00:00",
        "post_type": "Photos",
        "permalink": None,
        "interactions": 60,
        "base": 1000,
        "rate": 0.06,
    }
    bottom = ranked_posts(feed, MARCH, count=3, bottom=True)
    assert [p["native_id"] for p in bottom] == ["e", "b", "d"]
    assert ranked_posts(feed, MARCH, count=1, minimum_base=0)[0]["native_id"] == "c"
    assert ranked_posts(feed, MARCH, base="impressions")[0]["native_id"] == "a"  # 0.03 > 0.01
    with pytest.raises(ValueError, match="Base du taux"):
        ranked_posts(feed, MARCH, base="likes")  # type: ignore[arg-type]


def test_best_time_grid_by_hour(feed):
    # rated on reach: a (Mon 10 h), b (Tue 10 h), c (Mon 18 h), d (Mon 10 h), e (Mon 10 h)
    # Monday 10 h has 3 posts → 3 of 5 posts in a cell with a value ≥ half → hour grid
    grid = best_time_grid(feed, MARCH)
    assert grid["grid"] == "hour" and grid["minimum_posts"] == 3
    cells = {(c["weekday"], c["slot"]): c for c in grid["cells"]}
    assert cells[(0, 10)] == {"weekday": 0, "slot": 10, "posts": 3, "median_rate": 0.02}
    assert cells[(1, 10)]["median_rate"] is None  # 1 post
    assert sum(c["posts"] for c in grid["cells"]) == 5


def test_best_time_grid_falls_back_to_weekday(feed):
    # at 4 posts per cell no hour or 3-hour cell qualifies; Monday has a c d e
    grid = best_time_grid(feed, MARCH, minimum_posts=4)
    assert grid["grid"] == "weekday"
    monday = next(c for c in grid["cells"] if c["weekday"] == 0)
    assert monday["slot"] is None and monday["posts"] == 4
    assert monday["median_rate"] == pytest.approx((0.02 + 0.06) / 2)  # 0.01 0.02 0.06 0.4


def test_best_time_grid_falls_back_to_three_hour_blocks():
    # Monday 09:10, 10:20 and 11:30 local: one post per hour, three in the 09–12 block
    frame = posts(
        post("2026-03-02T08:10Z", reach=100, reactions=1),
        post("2026-03-02T09:20Z", reach=100, reactions=2),
        post("2026-03-02T10:30Z", reach=100, reactions=3),
    )
    grid = best_time_grid(frame, MARCH)
    assert grid["grid"] == "3h"
    assert grid["cells"] == [{"weekday": 0, "slot": 9, "posts": 3, "median_rate": 0.02}]


def test_best_time_grid_without_posts():
    grid = best_time_grid(empty_frame("publication"), MARCH)
    assert grid["cells"] == [] and grid["grid"] == "weekday"


def test_audience_growth(followers):
    rows = audience_growth(followers, MARCH)
    assert rows == [
        # only a count in the period: no reference before it → incomplete
        {"platform": "facebook", "account": "Autre", "from_date": "2026-03-01",
         "to_date": "2026-03-01", "followers_start": 100, "followers_end": 100,
         "net_change": 0, "gained": 0, "complete": False},
        # 5000 (28/02) → 5100 → 5200 → 5150: net +150, gained 100 + 100 = 200
        {"platform": "facebook", "account": "Ville", "from_date": "2026-02-28",
         "to_date": "2026-03-20", "followers_start": 5000, "followers_end": 5150,
         "net_change": 150, "gained": 200, "complete": True},
        {"platform": "instagram", "account": "ville_ig", "from_date": "2026-03-08",
         "to_date": "2026-03-08", "followers_start": 800, "followers_end": 800,
         "net_change": 0, "gained": 0, "complete": False},
    ]  # fmt: skip


rated_post = st.fixed_dictionaries(
    {
        "published_at": st.datetimes(
            min_value=pd.Timestamp("2026-02-25").to_pydatetime(),
            max_value=pd.Timestamp("2026-04-03").to_pydatetime(),
        ).map(lambda d: d.isoformat() + "Z"),
        "platform": st.sampled_from(["facebook", "instagram"]),
        "account": st.sampled_from(["Ville", None]),
        "reach": counts,
        "impressions": counts,
        "reactions": counts,
        "comments": counts,
        "shares": counts,
    }
)


@settings(deadline=None)
@given(
    rows=st.lists(rated_post, max_size=20),
    follower_counts=st.lists(st.integers(min_value=0, max_value=10**5), max_size=5),
)
def test_engagement_library_invariants(rows, follower_counts):
    frame = posts(*rows)
    days = [f"2026-03-{day:02d}" for day in (1, 5, 10, 20, 28)]
    counts_ = audience(
        *(("facebook", "Ville", day, n) for day, n in zip(days, follower_counts, strict=False))
    )
    metrics = post_metrics(frame, MARCH, counts_)
    for base in ("reach", "impressions", "followers"):
        rates = metrics[f"rate_{base}"].dropna()
        assert (rates >= 0).all()
    rate = engagement_rate_followers(frame, counts_, MARCH)
    assert rate is None or rate >= 0
    by_platform = engagement_by(frame, MARCH, "platform")
    assert sum(row["posts"] for row in by_platform) == publication_count(frame, MARCH)
    top = ranked_posts(frame, MARCH, count=50, minimum_base=10)
    assert all(p["base"] >= 10 for p in top)
    assert [p["rate"] for p in top] == sorted((p["rate"] for p in top), reverse=True)
    grid = best_time_grid(frame, MARCH)
    assert sum(c["posts"] for c in grid["cells"]) == int(metrics["rate_reach"].notna().sum())
    assert all(
        (c["median_rate"] is None) == (c["posts"] < grid["minimum_posts"]) for c in grid["cells"]
    )
    for row in audience_growth(counts_, MARCH):
        assert row["gained"] >= max(row["net_change"], 0)
