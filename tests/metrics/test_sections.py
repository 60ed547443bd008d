"""Tests of metrics.sections: JSON-ready figures per dashboard section, with fixed keys."""

import json
from datetime import date, time

import numpy as np
import pandas as pd
import pytest

from ingest.canonical import conform, empty_frame
from metrics import engagement, responses, services_publics
from metrics import requests as request_figures
from metrics._common import plain
from metrics.period import Period
from metrics.sections import (
    LIBRARY_KEYS,
    SECTION_DOC_KEYS,
    SECTIONS,
    SectionOptions,
    section_figures,
)
from metrics.targets import Target
from metrics.working_time import WorkingCalendar

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def canonical(kind: str, rows) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    for column in frame.columns:
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return conform(frame, kind)


@pytest.fixture
def frames():
    publications = canonical(
        "publication",
        [
            {"platform": "facebook", "account": "Ville", "native_id": "a", "post_type": "Photos",
             "published_at": "2026-03-02T09:00Z", "reach": 1000, "reactions": 50},
            {"platform": "facebook", "account": "Ville", "native_id": "b", "post_type": "Photos",
             "published_at": "2026-03-03T09:00Z", "reach": 500, "reactions": 5},
        ],
    )  # fmt: skip
    messages = canonical(
        "message",
        [
            {"channel": "facebook", "thread_id": "A", "sent_at": "2026-03-02T09:00Z",
             "is_staff": False, "is_hidden": False},
            {"channel": "facebook", "thread_id": "A", "sent_at": "2026-03-02T11:00Z",
             "is_staff": True},
            {"channel": "facebook", "thread_id": "B", "sent_at": "2026-03-06T16:00Z",
             "is_staff": False, "is_hidden": True},
            {"channel": "facebook", "thread_id": "B", "sent_at": "2026-03-09T08:30Z",
             "is_staff": True},
            {"channel": "email", "thread_id": "C", "sent_at": "2026-03-10T09:00Z",
             "is_staff": False},
        ],
    )  # fmt: skip
    requests = canonical(
        "request",
        [
            {"created_at": "2026-03-02T09:00Z", "closed_at": "2026-03-04T09:00Z",
             "category": "voirie", "district": "Nord", "channel": "courriel"},
            {"created_at": "2026-03-06T16:00Z", "closed_at": "2026-03-09T08:30Z",
             "category": "voirie", "district": "Nord", "channel": "courrier"},
            {"created_at": "2026-02-10T09:00Z", "closed_at": "2026-03-10T09:00Z",
             "category": "propreté", "district": "Sud", "channel": "PHONE"},
            {"created_at": "2026-03-20T09:00Z", "category": "propreté", "district": "Sud",
             "channel": "ONLINE"},
            {"created_at": "2025-12-01T09:00Z", "category": "voirie", "district": "Sud"},
        ],
    )  # fmt: skip
    audience = conform(
        pd.DataFrame(
            [("facebook", "Ville", "2026-02-28", 5000), ("facebook", "Ville", "2026-03-20", 5100)],
            columns=["platform", "account", "date", "followers"],
        ),
        "audience",
    )
    return publications, messages, requests, audience


def only_plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and only_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(only_plain(v) for v in value)
    return value is None or type(value) in (bool, int, float, str)


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_is_json_ready(section, frames):
    figures = section_figures(section, *frames, MARCH)
    assert only_plain(figures)
    assert json.loads(json.dumps(figures)) == figures
    assert figures["section"] == section
    assert figures["period"] == {
        "start": "2026-03-01",
        "end": "2026-03-31",
        "timezone": "Europe/Paris",
    }


def test_responses_section_fixed_keys_and_values(frames):
    figures = section_figures("responses", *frames, MARCH)
    # conversations: A (2 h, 2 working h), B (64.5 h, 1.5 working h), C unanswered → 2/3
    assert figures["response_rate"] == pytest.approx(2 / 3)
    assert figures["median_first_response_hours"] == pytest.approx((2 + 64.5) / 2)
    assert figures["p90_first_response_hours"] == pytest.approx(2 + 0.9 * 62.5)
    assert figures["median_first_response_working_hours"] == pytest.approx((2 + 1.5) / 2)
    assert figures["moderation_share"] == 0.5
    assert figures["targets"] == {"social": "24 h", "email": "5 jours ouvrés", "letter": "15 jours"}
    assert sum(figures["response_time_buckets"].values()) == 2
    assert [row["channel"] for row in figures["by_channel"]] == ["facebook", "email"]
    messages = frames[1]
    assert figures["response_rate"] == responses.response_rate(messages, MARCH)


def test_requests_section_fixed_keys_and_values(frames):
    figures = section_figures("requests", *frames, MARCH)
    requests = frames[2]
    # closed in March: 48 h, 64.5 h, 672 h → median 64.5, P90 550.5
    assert figures["median_resolution_hours"] == 64.5
    assert figures["median_resolution_hours"] == request_figures.median_resolution_hours(
        requests, MARCH
    )
    assert figures["p90_resolution_hours"] == pytest.approx(550.5)
    assert figures["median_resolution_working_hours"] == 15.0
    # KM: 48 (6 → 5/6)… see test_requests; here 5 requests: 48 E, 64.5 E, 277 C, 672 E, 2893 C
    # S: 48 → 4/5, 64.5 → 3/5, 672 (2 at risk) → 3/10 → 672
    assert figures["km_median_resolution_hours"] == 672.0
    assert figures["aging"] == {"0_7d": 0, "8_30d": 1, "31_90d": 0, "over_90d": 1}
    assert sum(figures["aging"].values()) == figures["open_backlog"] == 2
    assert figures["reopen_rate"] is None
    assert figures["satisfaction_rate"] is None  # no satisfaction column
    assert figures["flows_frequency"] == "week"
    assert figures["backlog_weekly"][-1] == {"date": "2026-03-31", "open": 2}
    assert set(figures["breakdowns"]) == {"category", "district", "channel", "service"}
    # every group is under the default minimum of 10 requests
    assert figures["breakdowns"]["district"]["groups"] == []
    assert figures["breakdowns"]["district"]["hidden"] == ["Nord", "Sud"]


def test_options_change_the_figures(frames):
    options = SectionOptions(
        calendar=WorkingCalendar(ranges=((time(8), time(18)),)),
        targets={"voirie": Target(1, "hours")},
        populations={"Nord": 4000},
        minimum_group_size=1,
        as_of=pd.Timestamp("2026-04-01T00:00Z"),
    )
    figures = section_figures("requests", *frames, MARCH, options)
    nord = figures["breakdowns"]["district"]["groups"][0]
    assert nord["group"] == "Nord" and nord["received_per_1000"] == pytest.approx(0.5)
    assert nord["share_closed_within_target"] == 0.0  # voirie in 1 h: both late
    # r0 Mon 10:00 → Wed 10:00 local with 10-hour days: 8 + 10 + 2 = 20 working hours
    assert figures["median_resolution_working_hours"] == 20.0


def test_engagement_section(frames):
    figures = section_figures("engagement", *frames, MARCH)
    assert figures["publications"] == 2
    assert figures["engagement_rate_reach"] == pytest.approx(55 / 1500)
    # followers on the day before: 28/02 → 5000 for both → 55 / 10 000
    assert figures["engagement_rate_followers"] == pytest.approx(55 / 10_000)
    assert [p["native_id"] for p in figures["top_posts"]] == ["a", "b"]
    assert [p["native_id"] for p in figures["bottom_posts"]] == ["b", "a"]
    assert figures["best_time"]["grid"] == "weekday"
    assert figures["audience_growth"][0]["net_change"] == 100
    without = section_figures("engagement", frames[0], None, None, None, MARCH)
    assert without["engagement_rate_followers"] is None and without["audience_growth"] == []
    on_followers = SectionOptions(engagement_base="followers")
    assert (
        section_figures("engagement", frames[0], None, None, None, MARCH, on_followers)["top_posts"]
        == []
    )


def test_services_publics_section(frames):
    survey = pd.Series([5, 4, 1])
    figures = section_figures("services-publics", *frames, MARCH, SectionOptions(survey=survey))
    # received in March: courriel, courrier, ONLINE; the old ones are not
    assert figures["channel_families"] == {
        "electronic": 2, "letter": 1, "phone": 0, "counter": 0, "unknown": 0,
    }  # fmt: skip
    assert figures["satisfaction"]["net_satisfaction"] == pytest.approx(1 / 3)
    requests = frames[2]
    assert figures["sve_share"] == services_publics.sve_share(requests, MARCH)
    assert section_figures("services-publics", *frames, MARCH)["satisfaction"] is None


def test_empty_frames_give_zeros_and_nones():
    empty = (
        empty_frame("publication"),
        empty_frame("message"),
        empty_frame("request"),
        empty_frame("audience"),
    )
    for section in SECTIONS:
        figures = section_figures(section, *empty, MARCH)
        assert only_plain(figures)
    assert section_figures("requests", *empty, MARCH)["km_median_resolution_hours"] is None
    assert section_figures("responses", *empty, MARCH)["response_rate"] is None


def test_unknown_section_and_missing_frames_are_refused(frames):
    with pytest.raises(ValueError, match="Section inconnue"):
        section_figures("sentiment", *frames, MARCH)
    with pytest.raises(ValueError, match="messages"):
        section_figures("responses", frames[0], None, frames[2], frames[3], MARCH)


def test_doc_keys_registry():
    assert set(SECTION_DOC_KEYS) == {"rules", *SECTIONS}
    assert len(LIBRARY_KEYS) == len(set(LIBRARY_KEYS))


def test_plain_converts_numpy_pandas_and_missing_values():
    value = {
        "a": np.int64(3),
        "b": np.float64("nan"),
        "c": [pd.NA, pd.NaT, np.bool_(True)],
        "d": pd.Timestamp("2026-03-01T00:00Z"),
        "e": date(2026, 3, 1),
        5: (1.5, "x"),
    }
    assert plain(value) == {
        "a": 3,
        "b": None,
        "c": [None, None, True],
        "d": "2026-03-01T00:00:00+00:00",
        "e": "2026-03-01",
        "5": [1.5, "x"],
    }
    assert engagement.DEFAULT_MINIMUM_BASE == 100
