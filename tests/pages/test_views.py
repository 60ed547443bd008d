"""services.views on small hand-made frames: what each page is given to show."""

from datetime import date

import pandas as pd
import pytest

from ingest.canonical import conform
from metrics.period import Period
from metrics.sections import SectionOptions
from services import views

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31), "Europe/Paris")


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# ----------------------------------------------------------------------------------------------
# Sub-periods


def test_weeks_and_months_are_clipped_to_the_period():
    weeks = views.sub_periods(Period(date(2026, 10, 1), date(2026, 10, 12)), "week")
    assert [(p.start, p.end) for p in weeks] == [
        (date(2026, 10, 1), date(2026, 10, 4)),  # Thursday to Sunday
        (date(2026, 10, 5), date(2026, 10, 11)),
        (date(2026, 10, 12), date(2026, 10, 12)),
    ]
    months = views.sub_periods(Period(date(2025, 12, 15), date(2026, 2, 10)), "month")
    assert [(p.start, p.end) for p in months] == [
        (date(2025, 12, 15), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 10)),
    ]
    with pytest.raises(ValueError, match="Fréquence"):
        views.sub_periods(OCTOBER, "day")


def test_weeks_up_to_three_months_then_months():
    assert views.default_frequency(OCTOBER) == "week"
    assert views.default_frequency(Period(date(2026, 8, 1), date(2026, 10, 31))) == "week"
    assert views.default_frequency(Period(date(2025, 11, 1), date(2026, 10, 31))) == "month"


# ----------------------------------------------------------------------------------------------
# Publications


def post(platform, native_id, when, reach, impressions, reactions, text="", **extra):
    return {
        "platform": platform,
        "native_id": native_id,
        "account": {"facebook": "Ville", "instagram": "ville", "x": "ville_x"}[platform],
        "published_at": utc(when),
        "text": text,
        "post_type": extra.get("post_type", "Photos"),
        "permalink": f"https://example.org/{native_id}",
        "reach": reach,
        "impressions": impressions,
        "reactions": reactions,
        "comments": 0,
        "shares": 0,
    }


@pytest.fixture
def posts() -> pd.DataFrame:
    rows = [
        post("facebook", "f1", "2026-10-05 08:00", 1000, 2000, 50, "Travaux   rue\nde la Gare"),
        post("facebook", "f2", "2026-10-06 08:00", 500, 1000, 10, "Marché"),
        post("instagram", "i1", "2026-10-13 16:00", 2000, 4000, 100, "Photo du parc"),
        post("x", "x1", "2026-10-14 09:00", None, 300, 6, "Conseil municipal", post_type="Tweet"),
        post("facebook", "f3", "2026-10-20 08:00", 50, 80, 25, "Peu vue"),  # under the minimum
        post("facebook", "f9", "2026-11-02 08:00", 900, 900, 90, "Hors période"),
    ]
    return conform(pd.DataFrame(rows), "publication")


@pytest.fixture
def audience() -> pd.DataFrame:
    rows = [
        {"platform": "facebook", "account": "Ville", "date": "2026-09-30", "followers": 5000},
        {"platform": "facebook", "account": "Ville", "date": "2026-10-15", "followers": 5100},
        {"platform": "facebook", "account": "Ville", "date": "2026-10-31", "followers": 5050},
        {"platform": "instagram", "account": "ville", "date": "2026-10-10", "followers": 800},
        {"platform": "instagram", "account": "ville", "date": "2026-10-30", "followers": 820},
        {"platform": "facebook", "account": "Ville", "date": "2026-09-01", "followers": 4000},
    ]
    return conform(pd.DataFrame(rows), "audience")


def test_publication_figures_on_the_reach_base(posts):
    view = views.publications_figures(posts, None, OCTOBER)
    assert view.base == "reach" and view.freq == "week"
    assert view.figures["publications"] == 5
    assert view.figures["interactions"] == 50 + 10 + 100 + 6 + 25
    # x1 has no reach: left out of the rate, on both sides
    assert view.figures["rate"] == pytest.approx((50 + 10 + 100 + 25) / (1000 + 500 + 2000 + 50))
    assert view.figures["rate"] == view.figures["engagement_rate_reach"]
    assert view.without_base == ("x",)
    platforms = view.by_platform.set_index("group")
    assert platforms.loc["facebook", "posts"] == 3
    assert platforms.loc["instagram", "rate"] == pytest.approx(0.05)
    assert pd.isna(platforms.loc["x", "rate"])
    assert set(view.by_post_type["group"]) == {"Photos", "Tweet"}
    assert view.has_audience is False and view.audience_series.empty


def test_engagement_over_time_has_a_line_for_all_networks_and_each_rated_one(posts):
    view = views.publications_figures(posts, None, OCTOBER)
    frame = view.over_time
    assert sorted(set(frame["series"])) == sorted({views.ALL_SERIES, "facebook", "instagram"})
    every = frame.loc[frame["series"] == views.ALL_SERIES]
    assert list(every["start"]) == [
        date(2026, 10, 1),
        date(2026, 10, 5),
        date(2026, 10, 12),
        date(2026, 10, 19),
        date(2026, 10, 26),
    ]
    assert every["posts"].sum() == 5
    assert pd.isna(every["rate"].iloc[0])  # no post in the first days
    assert every["rate"].iloc[1] == pytest.approx(60 / 1500)
    # On the impressions base X has a rate, so it gets its own line.
    impressions = views.publications_figures(posts, None, OCTOBER, base="impressions")
    assert "x" in set(impressions.over_time["series"])
    assert impressions.without_base == ()


def test_one_line_only_when_a_single_network_has_a_rate(posts):
    facebook_and_x = posts.loc[posts["platform"].isin(["facebook", "x"])]
    view = views.publications_figures(facebook_and_x, None, OCTOBER, freq="month")
    assert set(view.over_time["series"]) == {views.ALL_SERIES}
    assert len(view.over_time) == 1 and view.freq == "month"


def test_ranked_posts_need_the_minimum_base_and_show_an_excerpt_in_local_time(posts):
    view = views.publications_figures(posts, None, OCTOBER)
    top = view.top_posts
    assert "f3" not in " ".join(top["permalink"])  # reach 50 < 100: not ranked
    assert list(top["rate"])[:2] == pytest.approx([0.05, 0.05])
    assert top["excerpt"].iloc[0] == "Travaux rue de la Gare"  # the oldest first on equal rates
    assert top["published_at"].iloc[0] == pd.Timestamp("2026-10-05 10:00")  # Paris, summer time
    assert view.bottom_posts["rate"].iloc[0] == pytest.approx(0.02)
    assert view.minimum_base == 100


def test_long_excerpts_are_cut_with_an_ellipsis():
    rows = [post("facebook", "long", "2026-10-05 08:00", 1000, 1000, 10, "mot " * 80)]
    view = views.publications_figures(conform(pd.DataFrame(rows), "publication"), None, OCTOBER)
    excerpt = view.top_posts["excerpt"].iloc[0]
    assert len(excerpt) <= views.EXCERPT_LENGTH and excerpt.endswith("…")


def test_best_time_grid_and_export_rows(posts):
    view = views.publications_figures(posts, None, OCTOBER)
    assert view.best_time["grid"] == "weekday" and view.best_time["minimum_posts"] == 3
    assert set(view.best_time_cells.columns) == {"weekday", "slot", "posts", "median_rate"}
    exported = view.posts
    assert len(exported) == 5 and "text" in exported.columns
    assert exported["published_at"].dt.tz is None  # local wall-clock time for spreadsheets
    assert {"rate_reach", "rate_impressions", "rate_followers"} <= set(exported.columns)


def test_followers_base_with_and_without_audience(posts, audience):
    without = views.publications_figures(posts, None, OCTOBER, base="followers")
    assert without.figures["rate"] is None
    assert without.over_time["rate"].isna().all()
    assert without.top_posts.empty

    view = views.publications_figures(posts, audience, OCTOBER, base="followers")
    assert view.has_audience
    assert view.figures["rate"] == view.figures["engagement_rate_followers"] is not None
    series = view.audience_series
    assert set(series["series"]) == {"facebook", "instagram"}
    assert series["date"].min() == date(2026, 9, 30)  # the count the day before the period
    growth = view.audience_growth.set_index("platform")
    assert growth.loc["facebook", "net_change"] == 50 and growth.loc["facebook", "gained"] == 100
    assert bool(growth.loc["facebook", "complete"]) and not bool(
        growth.loc["instagram", "complete"]
    )


def test_engagement_by_content_class_and_by_theme():
    texts = [
        "Fermeture exceptionnelle de la piscine jeudi",
        "Le conseil municipal félicite les lauréats",
        "Donnez votre avis sur le budget participatif",
        "Bonjour",
    ]
    rows = [
        post("facebook", f"p{i}", f"2026-10-{5 + i:02d} 08:00", 1000, 2000, 10 * (i + 1), text)
        for i, text in enumerate(texts)
    ]
    view = views.publications_figures(conform(pd.DataFrame(rows), "publication"), None, OCTOBER)
    content = view.by_class["content"]
    assert list(content["group"]) == list(views.CLASS_KEYS)  # the four classes, fixed order
    assert content["posts"].tolist() == [1, 1, 1, 1]
    by_class = content.set_index("group")
    assert by_class.loc["service pratique", "rate"] == pytest.approx(0.01)
    assert by_class.loc["autre", "interactions_per_post"] == pytest.approx(40)
    # Too few posts per theme to compare them: hidden, and named.
    assert view.by_class["theme"].empty and view.themes_hidden


def test_an_unknown_base_is_refused(posts):
    with pytest.raises(ValueError, match="Base inconnue"):
        views.publications_figures(posts, None, OCTOBER, base="clicks")


def test_no_post_gives_empty_frames_not_errors():
    view = views.publications_figures(conform(pd.DataFrame(), "publication"), None, OCTOBER)
    assert view.figures["publications"] == 0 and view.figures["rate"] is None
    for frame in (view.over_time, view.by_platform, view.top_posts, view.best_time_cells):
        assert frame.empty


# ----------------------------------------------------------------------------------------------
# Réponses aux habitants


def message(channel, native_id, thread, when, staff=False, text="", hidden=None):
    return {
        "channel": channel,
        "native_id": native_id,
        "thread_id": thread,
        "sent_at": utc(when),
        "author": "page" if staff else f"hab-{native_id}",
        "is_staff": staff,
        "text": text,
        "is_hidden": hidden,
    }


@pytest.fixture
def messages() -> pd.DataFrame:
    rows = [
        message("facebook", "a1", "A", "2026-10-05 08:00", text="Quand passe la balayeuse ?"),
        message("facebook", "a2", "A", "2026-10-05 10:00", staff=True, text="Jeudi."),
        message("facebook", "b1", "B", "2026-10-06 08:00", text="Lampadaire éteint rue Haute"),
        message("facebook", "c1", "C", "2026-10-20 08:00", text="Et le marché ?", hidden=True),
        message("email", "d1", "D", "2026-10-07 08:00", text="Demande de rendez-vous"),
        message("email", "d2", "D", "2026-10-08 08:00", staff=True, text="Rendez-vous fixé"),
        message("facebook", "z1", "Z", "2026-10-21 08:00", staff=True, text="Publication"),
    ]
    return conform(pd.DataFrame(rows), "message", enriched=True)


def test_response_figures_follow_the_conversations(messages):
    view = views.responses_figures(messages, OCTOBER)
    figures = view.figures
    assert figures["messages_received"] == 4
    assert figures["needing_answer"] == 4 and figures["answered"] == 2
    assert figures["response_rate"] == pytest.approx(0.5)
    assert figures["median_first_response_hours"] == pytest.approx((2 + 24) / 2)
    assert figures["moderation_share"] == pytest.approx(1.0)  # the only known status is hidden
    assert view.targets["social"] == "24 h"
    assert view.over_time["needing_answer"].sum() == 4
    assert view.over_time["answered"].sum() == 2


def test_buckets_on_both_clocks_sum_to_the_answered_conversations(messages):
    buckets = views.responses_figures(messages, OCTOBER).buckets
    assert set(buckets["clock"]) == {"calendar", "working"}
    for clock in ("calendar", "working"):
        mine = buckets.loc[buckets["clock"] == clock]
        assert list(mine["bucket"]) == [key for key, _, _ in views.responses.RESPONSE_TIME_BUCKETS]
        assert mine["count"].sum() == 2
        assert mine["share"].sum() == pytest.approx(1.0)
    calendar = buckets.loc[buckets["clock"] == "calendar"].set_index("bucket")["count"]
    assert calendar["1_4h"] == 1 and calendar["1_3d"] == 1


def test_waiting_conversations_oldest_first_with_their_wait(messages):
    view = views.responses_figures(messages, OCTOBER)
    assert view.data_date == pd.Timestamp("2026-10-21 10:00")  # latest message, Paris time
    waiting = view.waiting
    assert list(waiting["text"]) == ["Lampadaire éteint rue Haute", "Et le marché ?"]
    assert waiting["waited_hours"].tolist() == pytest.approx([15 * 24, 24])
    assert list(waiting["outcome"]) == ["missed", "pending"]
    assert pd.isna(waiting["hidden"].iloc[0]) and bool(waiting["hidden"].iloc[1])
    assert waiting["sent_at"].iloc[0] == pd.Timestamp("2026-10-06 10:00")


def test_channels_and_the_export_without_author_or_text(messages):
    view = views.responses_figures(messages, OCTOBER)
    channels = view.by_channel.set_index("channel")
    assert channels.loc["facebook", "needing_answer"] == 3
    assert channels.loc["email", "target"] == "5 jours ouvrés"
    exported = view.conversations
    assert len(exported) == 4
    assert "text" not in exported.columns and "author" not in exported.columns
    assert set(exported["outcome"].dropna()) <= {"met", "missed", "pending"}


def test_no_message_gives_empty_frames():
    view = views.responses_figures(conform(pd.DataFrame(), "message", enriched=True), OCTOBER)
    assert view.figures["messages_received"] == 0 and view.figures["response_rate"] is None
    assert view.waiting.empty and view.over_time.empty and view.data_date is None
    assert view.buckets["count"].sum() == 0


# ----------------------------------------------------------------------------------------------
# Demandes et réclamations


def request(native_id, created, closed=None, source="grc", **extra):
    return {
        "source": source,
        "native_id": str(native_id),
        "created_at": utc(created),
        "closed_at": None if closed is None else utc(closed),
        "category": extra.get("category", "Voirie"),
        "district": extra.get("district", "Centre"),
        "channel": extra.get("channel", "PHONE"),
        "service": extra.get("service", "DVE"),
        "description": "12 rue des Lilas",
        "latitude": 47.38,
        "longitude": 0.69,
    }


@pytest.fixture
def requests() -> pd.DataFrame:
    rows = [
        request(i, f"2026-10-{i + 1:02d} 08:00", f"2026-10-{i + 3:02d} 08:00") for i in range(8)
    ]
    rows += [request(10 + i, f"2026-10-{10 + i:02d} 08:00") for i in range(4)]  # still open
    rows += [request(20, "2026-06-01 08:00")]  # open for months
    rows += [
        request(30 + i, "2026-10-15 08:00", category="Bruit", district="Gare") for i in range(3)
    ]
    rows += [
        request(40 + i, "2026-10-16 00:00", source="dansmarue", category="Propreté")
        for i in range(2)
    ]
    rows += [request(50, "2026-08-01 08:00", "2026-08-05 08:00")]  # before: not counted
    return conform(pd.DataFrame(rows), "request", enriched=True)


def test_request_figures_flows_backlog_and_aging(requests):
    options = SectionOptions(minimum_group_size=5)
    view = views.requests_figures(requests, OCTOBER, options=options)
    figures = view.figures
    assert figures["requests_received"] == 8 + 4 + 3 + 2
    assert figures["requests_closed"] == 8
    assert figures["open_backlog"] == 4 + 1 + 3 + 2
    assert figures["median_resolution_hours"] == pytest.approx(48)
    # 8 closed out of 18 followed: fewer than half, the Kaplan–Meier median is not reached
    assert figures["km_median_resolution_hours"] is None
    assert view.freq == "week" and list(view.flows.columns[:2]) == ["start", "end"]
    assert view.flows["received"].sum() == 17 and view.flows["closed"].sum() == 8
    assert view.backlog_freq == "day" and len(view.backlog) == 31
    assert view.backlog["open"].iloc[-1] == figures["open_backlog"]
    aging = view.aging.set_index("bucket")["count"]
    assert aging.sum() == figures["open_backlog"] and aging["over_90d"] == 1


def test_sources_without_closing_dates_are_named(requests):
    view = views.requests_figures(requests, OCTOBER)
    assert view.sources == ("dansmarue", "grc")
    assert view.sources_without_closing == ("dansmarue",)


def test_breakdowns_hide_small_groups_and_give_rates_per_1000(requests):
    options = SectionOptions(minimum_group_size=5, populations={"Centre": 12000})
    view = views.requests_figures(requests, OCTOBER, options=options)
    categories = view.breakdowns["category"]
    assert list(categories.groups["group"]) == ["Voirie"]
    assert set(categories.hidden) == {"Bruit", "Propreté"} and categories.minimum_size == 5
    districts = view.breakdowns["district"].groups.set_index("group")
    assert districts.loc["Centre", "received_per_1000"] == pytest.approx(14 / 12000 * 1000)
    assert view.populations_set
    assert set(view.breakdowns) == {"category", "district", "channel", "service"}
    within = view.within_target.set_index("category")
    assert within.loc["Voirie", "target"] == "15 jours"


def test_request_export_has_no_free_text_nor_coordinates(requests):
    exported = views.requests_figures(requests, OCTOBER).requests
    assert len(exported) == 17 + 1  # the old open request counts: it is open at the end
    assert not {"description", "latitude", "longitude", "sentiment"} & set(exported.columns)
    assert exported["created_at"].dt.tz is None
    assert exported["created_at"].is_monotonic_increasing


def test_the_columns_the_page_leaves_unread_change_no_figure(requests):
    scored = requests.assign(language="fr", sentiment=-0.6, sentiment_label="négatif")
    narrowed = conform(scored[list(views.REQUEST_PAGE_COLUMNS)], "request", enriched=True)
    assert "description" not in views.REQUEST_PAGE_COLUMNS
    options = SectionOptions(minimum_group_size=2, populations={"district": {"Centre": 5000}})
    full = views.requests_figures(scored, OCTOBER, options=options)
    read = views.requests_figures(narrowed, OCTOBER, options=options)
    assert read.figures == full.figures
    for name in ("flows", "backlog", "aging", "within_target", "requests"):
        pd.testing.assert_frame_equal(getattr(read, name), getattr(full, name))
    assert read.breakdowns.keys() == full.breakdowns.keys()
    for by, breakdown in full.breakdowns.items():
        pd.testing.assert_frame_equal(read.breakdowns[by].groups, breakdown.groups)
    assert (read.sources, read.sources_without_closing) == (
        full.sources,
        full.sources_without_closing,
    )


def test_months_for_a_long_period(requests):
    year = Period(date(2025, 11, 1), date(2026, 10, 31))
    view = views.requests_figures(requests, year)
    assert view.freq == "month" and len(view.flows) == 12
    assert view.backlog_freq == "week"
