"""Tests of metrics.responses: messages received and answered, conversations (24-hour rule),
first-response time on both clocks, targets, buckets, moderation and channels."""

import json
from datetime import date, time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import conform, empty_frame
from metrics.period import Period
from metrics.responses import (
    RESPONSE_TIME_BUCKETS,
    conversation_starts,
    first_response_distribution,
    first_response_hours,
    first_response_summary,
    first_response_times,
    median_first_response_hours,
    messages_answered,
    messages_needing_answer,
    messages_received,
    moderation_share,
    resident_messages_in,
    response_rate,
    response_target_outcomes,
    responses_by_channel,
    share_answered,
    share_within_target,
)
from metrics.targets import Target
from metrics.working_time import WorkingCalendar

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
UTC_TS = "datetime64[us, UTC]"


def canonical(kind: str, rows) -> pd.DataFrame:
    # ISO strings with and without fractions or offsets are parsed here, explicitly.
    frame = pd.DataFrame(list(rows))
    for column in frame.columns:
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return conform(frame, kind)


def messages(*rows: dict) -> pd.DataFrame:
    return canonical("message", rows)


def message(sent_at, replied_at=None, is_staff=False):
    return {
        "channel": "facebook",
        "sent_at": sent_at,
        "replied_at": replied_at,
        "is_staff": is_staff,
    }


def instants(*values) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), utc=True, format="ISO8601")).astype(UTC_TS)


@pytest.fixture
def march_messages() -> pd.DataFrame:
    return messages(
        # m0: first instant of March, answered 2 h 30 later → 2.5 h
        message("2026-03-01T00:00:00+01:00", "2026-03-01T02:30:00+01:00"),
        # m1: author unknown (is_staff NA) → resident; answered 24 h later
        message("2026-03-10T10:00:00Z", "2026-03-11T10:00:00Z", is_staff=None),
        # m2: unanswered
        message("2026-03-12T10:00:00Z"),
        # m3: "reply" one hour BEFORE the message → answered, but its delay is excluded
        message("2026-03-13T10:00:00Z", "2026-03-13T09:00:00Z"),
        # m4: staff message → never counted
        message("2026-03-14T10:00:00Z", is_staff=True),
        # m5: 01/04 00:00 local → out
        message("2026-04-01T00:00:00+02:00", "2026-04-01T01:00:00+02:00"),
        # m6: last hour of March, answered after the period ends: 23:00 → 02/04 09:00 = 34 h
        message("2026-03-31T23:00:00+02:00", "2026-04-02T09:00:00+02:00"),
        # m7: no date → out
        message(None, "2026-03-05T10:00:00Z"),
    )


def test_received_counts_residents_in_period(march_messages):
    # m0, m1, m2, m3, m6
    assert resident_messages_in(march_messages, MARCH).index.tolist() == [0, 1, 2, 3, 6]
    assert messages_received(march_messages, MARCH) == 5


def test_answered_counts_any_reply_date(march_messages):
    # m0, m1, m3, m6 have a reply date (m6's is after the period)
    assert messages_answered(march_messages, MARCH) == 4


def test_share_answered(march_messages):
    # 4 / 5
    assert share_answered(march_messages, MARCH) == pytest.approx(0.8)


def test_median_first_response(march_messages):
    # delays 2.5 (m0), 24 (m1), 34 (m6); m3 negative excluded, m2 unanswered → median 24
    assert median_first_response_hours(march_messages, MARCH) == pytest.approx(24.0)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    frame = messages(
        message("2026-03-02T10:00Z", "2026-03-02T11:00Z"),  # 1 h
        message("2026-03-03T10:00Z", "2026-03-03T14:00Z"),  # 4 h
    )
    # (1 + 4) / 2 = 2.5
    assert median_first_response_hours(frame, MARCH) == pytest.approx(2.5)


def test_first_response_hours_elementwise():
    received = instants(
        "2026-03-01T10:00Z", "2026-03-01T10:00Z", "2026-03-01T10:00Z", "2026-03-01T10:00Z", None
    )
    replied = instants(
        "2026-03-01T10:00Z",  # same instant → 0 h
        "2026-03-01T10:45Z",  # 0.75 h
        "2026-03-01T09:00Z",  # negative → NaN, not 0
        None,  # unanswered → NaN
        "2026-03-01T10:00Z",  # no receipt date → NaN
    )
    got = first_response_hours(received, replied)
    assert got.dtype == "float64"
    np.testing.assert_array_equal(got.to_numpy(), [0.0, 0.75, np.nan, np.nan, np.nan])


def test_first_response_hours_across_dst_changes():
    received = instants("2026-03-28T12:00:00+01:00", "2026-10-24T12:00:00+02:00")
    replied = instants("2026-03-29T12:00:00+02:00", "2026-10-25T12:00:00+01:00")
    # noon to noon is 23 h over the spring change and 25 h over the autumn one
    assert first_response_hours(received, replied).tolist() == [23.0, 25.0]


def test_empty_frame():
    empty = empty_frame("message")
    assert messages_received(empty, MARCH) == 0
    assert messages_answered(empty, MARCH) == 0
    assert share_answered(empty, MARCH) is None
    assert median_first_response_hours(empty, MARCH) is None


def test_only_staff_messages():
    frame = messages(message("2026-03-02T10:00Z", is_staff=True))
    assert messages_received(frame, MARCH) == 0
    assert share_answered(frame, MARCH) is None


def test_all_missing_replies_and_staff_flags():
    frame = messages(
        message("2026-03-02T10:00Z", is_staff=None), message("2026-03-03T10:00Z", is_staff=None)
    )
    assert messages_received(frame, MARCH) == 2
    assert messages_answered(frame, MARCH) == 0
    assert share_answered(frame, MARCH) == 0.0
    assert median_first_response_hours(frame, MARCH) is None


def test_only_negative_delays_give_no_median():
    frame = messages(message("2026-03-02T10:00Z", "2026-03-02T09:00Z"))
    assert messages_answered(frame, MARCH) == 1
    assert median_first_response_hours(frame, MARCH) is None


def test_new_york_period():
    period = Period(date(2026, 3, 8), date(2026, 3, 8), "America/New_York")
    frame = messages(
        message("2026-03-08T00:00:00-05:00", "2026-03-08T03:00:00-04:00"),  # in; 01:00 jumps → 2 h
        message("2026-03-09T00:00:00-04:00"),  # out: next local day
    )
    assert messages_received(frame, period) == 1
    assert median_first_response_hours(frame, period) == pytest.approx(2.0)


def test_return_types_are_plain_python(march_messages):
    assert type(messages_received(march_messages, MARCH)) is int
    assert type(messages_answered(march_messages, MARCH)) is int
    assert type(share_answered(march_messages, MARCH)) is float
    assert type(median_first_response_hours(march_messages, MARCH)) is float


BASE = pd.Timestamp("2026-03-01T00:00Z")
random_message = st.tuples(
    st.one_of(st.none(), st.integers(min_value=-10 * 24 * 60, max_value=40 * 24 * 60)),  # sent
    st.one_of(st.none(), st.integers(min_value=-3 * 24 * 60, max_value=10 * 24 * 60)),  # delay
    st.one_of(st.none(), st.booleans()),  # is_staff
)


def random_frame(rows) -> pd.DataFrame:
    return messages(
        *(
            message(
                None if sent is None else BASE + pd.Timedelta(minutes=sent),
                None
                if sent is None or delay is None
                else BASE + pd.Timedelta(minutes=sent + delay),
                staff,
            )
            for sent, delay, staff in rows
        )
    )


@settings(deadline=None)
@given(rows=st.lists(random_message, max_size=30))
def test_response_invariants(rows):
    frame = random_frame(rows)
    received = messages_received(frame, MARCH)
    answered = messages_answered(frame, MARCH)
    assert 0 <= answered <= received
    share = share_answered(frame, MARCH)
    assert (share is None) == (received == 0)
    assert share is None or 0.0 <= share <= 1.0
    delays = first_response_hours(frame["sent_at"], frame["replied_at"]).dropna()
    assert (delays >= 0).all()
    median = median_first_response_hours(frame, MARCH)
    assert median is None or median >= 0


# ----------------------------------------------------------------------------------------------
# Conversations (Meta's 24-hour rule), both clocks, targets, buckets, moderation, channels


def say(channel, thread, sent_at, staff=False, replied_at=None, hidden=None):
    return {
        "channel": channel,
        "thread_id": thread,
        "sent_at": sent_at,
        "is_staff": staff,
        "replied_at": replied_at,
        "is_hidden": hidden,
    }


@pytest.fixture
def threads() -> pd.DataFrame:
    # March 2026 is CET (UTC+1) before the 29th: 09:00Z = 10:00 local.
    return messages(
        # thread A: a0 starts it; a1 30 min later does not need an answer; a2 staff answers
        # a0 after 2 h; a3 "merci" 1 h after staff does not; a4 after 48 h of silence does
        say("facebook", "A", "2026-03-02T09:00Z", hidden=False),  # 0 a0
        say("facebook", "A", "2026-03-02T09:30Z", hidden=True),  # 1 a1
        say("facebook", "A", "2026-03-02T11:00Z", staff=True),  # 2 a2
        say("facebook", "A", "2026-03-02T12:00Z", hidden=False),  # 3 a3
        say("facebook", "A", "2026-03-04T12:00Z", hidden=False),  # 4 a4: unanswered
        # thread B: Friday 17:00 local → staff Monday 09:30 local: 64.5 h, 1.5 working hours
        say("facebook", "B", "2026-03-06T16:00Z"),  # 5 b0
        say("facebook", "B", "2026-03-09T08:30Z", staff=True),  # 6 b1
        # thread C (e-mail): no staff message in the frame, the export's replied_at: 0.5 h
        say("email", "C", "2026-03-10T09:00Z", replied_at="2026-03-10T09:30Z"),  # 7 c0
        # thread D: a staff message first, a resident 1 h later → no answer needed
        say("instagram", "D", "2026-03-11T09:00Z", staff=True),  # 8 d0
        say("instagram", "D", "2026-03-11T10:00Z"),  # 9 d1
        # a letter without thread: a thread of its own, answered 8 days later (192 h)
        say("courrier", None, "2026-03-12T09:00Z", replied_at="2026-03-20T09:00Z"),  # 10 e0
        # thread F: February, out of the period; undated message ignored
        say("facebook", "F", "2026-02-27T09:00Z"),  # 11
        say("facebook", "F", None),  # 12
    )


def test_conversation_starts_follow_the_24_hour_rule(threads):
    starts = conversation_starts(threads)
    # a0, a4, b0, c0, e0 and the February f0; not a1, a2, a3, b1, d0, d1, the undated one
    assert starts.index.tolist() == [0, 4, 5, 7, 10, 11]
    assert starts["answered"].tolist() == [True, False, True, True, True, False]
    assert starts.loc[0, "first_response_at"] == pd.Timestamp("2026-03-02T11:00Z")  # a2
    assert starts.loc[5, "first_response_at"] == pd.Timestamp("2026-03-09T08:30Z")  # b1
    assert starts.loc[7, "first_response_at"] == pd.Timestamp("2026-03-10T09:30Z")  # replied_at


def test_silence_of_exactly_24_hours_starts_a_new_conversation():
    frame = messages(
        say("facebook", "T", "2026-03-02T09:00Z"),
        say("facebook", "T", "2026-03-03T08:59:59Z"),  # 23 h 59 min 59 s later → same
        say("facebook", "T", "2026-03-04T08:59:59Z"),  # exactly 24 h later → new
    )
    assert conversation_starts(frame).index.tolist() == [0, 2]


def test_staff_message_at_the_same_instant_answers_in_zero_hours():
    frame = messages(
        say("facebook", "T", "2026-03-02T09:00Z", staff=True),
        say("facebook", "T", "2026-03-02T09:00Z"),
    )
    starts = first_response_times(frame, MARCH)
    assert starts.index.tolist() == [1]
    assert starts["hours"].tolist() == [0.0]


def test_threads_of_two_channels_never_mix():
    frame = messages(
        say("facebook", "1", "2026-03-02T09:00Z"),
        say("instagram", "1", "2026-03-02T10:00Z", staff=True),
    )
    assert conversation_starts(frame)["answered"].tolist() == [False]


def test_needing_answer_and_response_rate(threads):
    # March: a0, a4, b0, c0, e0 → 5 needing an answer, 4 answered (a4 is not) → 0.8
    assert messages_needing_answer(threads, MARCH).index.tolist() == [0, 4, 5, 7, 10]
    assert response_rate(threads, MARCH) == pytest.approx(0.8)


def test_first_response_times_on_both_clocks(threads):
    times = first_response_times(threads, MARCH)
    # calendar: a0 2 h, a4 —, b0 64.5 h, c0 0.5 h, e0 8 days = 192 h
    np.testing.assert_array_equal(times["hours"].to_numpy(), [2.0, np.nan, 64.5, 0.5, 192.0])
    # working: a0 10:00–12:00 = 2; b0 Fri 17:00–17:30 + Mon 08:30–09:30 = 1.5; c0 0.5;
    # e0 Thu 12 10:00 → Fri 20 10:00: 6 (Thu) + 5 × 7.5 (Fri 13 … Thu 19) + 1.5 (Fri 20) = 45
    np.testing.assert_array_equal(times["working_hours"].to_numpy(), [2.0, np.nan, 1.5, 0.5, 45.0])


def test_first_response_summary(threads):
    summary = first_response_summary(threads, MARCH)
    assert summary["count"] == 4
    # calendar sorted 0.5, 2, 64.5, 192: median (2 + 64.5) / 2 = 33.25;
    # P90 at rank 0.9 × 3 = 2.7: 64.5 + 0.7 × (192 − 64.5) = 153.75
    assert summary["median_hours"] == pytest.approx(33.25)
    assert summary["p90_hours"] == pytest.approx(153.75)
    # working sorted 0.5, 1.5, 2, 45: median 1.75; P90 2 + 0.7 × 43 = 32.1
    assert summary["median_working_hours"] == pytest.approx(1.75)
    assert summary["p90_working_hours"] == pytest.approx(32.1)


def test_distribution_buckets(threads):
    # calendar 0.5 | 2 | 64.5 | 192; working 0.5 | 1.5, 2 | 45
    assert first_response_distribution(threads, MARCH) == {
        "under_1h": 1,
        "1_4h": 1,
        "4_8h": 0,
        "8_24h": 0,
        "1_3d": 1,
        "over_3d": 1,
    }
    working = first_response_distribution(threads, MARCH, clock="working")
    assert working == {"under_1h": 1, "1_4h": 2, "4_8h": 0, "8_24h": 0, "1_3d": 1, "over_3d": 0}
    with pytest.raises(ValueError, match="Horloge"):
        first_response_distribution(threads, MARCH, clock="lunar")


def test_bucket_bounds_are_included_below():
    frame = messages(
        say("facebook", "1", "2026-03-02T09:00Z"),
        say("facebook", "1", "2026-03-02T13:00Z", staff=True),  # exactly 4 h → "4_8h"
        say("facebook", "2", "2026-03-02T09:00Z"),
        say("facebook", "2", "2026-03-03T09:00Z", staff=True),  # exactly 24 h → "1_3d"
    )
    got = first_response_distribution(frame, MARCH)
    assert got["4_8h"] == 1 and got["1_3d"] == 1 and sum(got.values()) == 2


def test_share_within_target_with_default_targets(threads):
    # default: social 24 h, e-mail 5 working days, letters 15 days; as_of = latest instant
    # of the data (20/03 09:00Z). a0 2 h met; a4 unanswered, due 05/03 → missed;
    # b0 64.5 h > 24 h missed; c0 met; e0 192 h ≤ 360 h met → 3 ÷ 5
    judged = response_target_outcomes(threads, MARCH)
    assert judged["outcome"].tolist() == ["met", "missed", "missed", "met", "met"]
    assert share_within_target(threads, MARCH) == pytest.approx(0.6)


def test_unanswered_before_its_deadline_is_pending(threads):
    # judged on 05/03 00:00Z, a4 (due 05/03 12:00Z) is pending → 3 ÷ 4
    as_of = pd.Timestamp("2026-03-05T00:00Z")
    assert share_within_target(threads, MARCH, as_of=as_of) == pytest.approx(0.75)


def test_custom_targets_by_channel_or_kind(threads):
    # a channel's own spelling wins over its kind; instagram has no conversation
    targets = {"social": Target(72), "facebook": Target(1), "email": Target(10, "days")}
    judged = response_target_outcomes(threads, MARCH, targets)
    # facebook 1 h: a0 (2 h) missed, a4 missed, b0 missed; c0 met; the letter has no target
    assert judged["outcome"].tolist() == ["missed", "missed", "missed", "met", None]
    assert share_within_target(threads, MARCH, targets) == pytest.approx(0.25)


def test_moderation_share(threads):
    # residents in March: a0 F, a1 T, a3 F, a4 F known; b0, c0, d1, e0 unknown → 1 ÷ 4
    assert moderation_share(threads, MARCH) == pytest.approx(0.25)
    assert moderation_share(messages(say("email", "x", "2026-03-02T09:00Z")), MARCH) is None


def test_responses_by_channel(threads):
    rows = responses_by_channel(threads, MARCH)
    assert [row["channel"] for row in rows] == ["facebook", "courrier", "email", "instagram"]
    facebook, letter, email, instagram = rows
    # facebook: a0, a1, a3, a4, b0 received; a0, a4, b0 need an answer; a0, b0 answered
    assert facebook["messages_received"] == 5
    assert facebook["needing_answer"] == 3
    assert facebook["answered"] == 2
    assert facebook["response_rate"] == pytest.approx(2 / 3)
    assert facebook["median_hours"] == pytest.approx((2 + 64.5) / 2)
    assert facebook["median_working_hours"] == pytest.approx((2 + 1.5) / 2)
    assert facebook["target"] == "24 h"
    assert facebook["share_within_target"] == pytest.approx(1 / 3)  # a0 met, a4, b0 missed
    assert facebook["moderation_share"] == pytest.approx(0.25)
    assert letter["target"] == "15 jours" and letter["p90_hours"] == 192.0
    assert email["kind"] == "email" and email["target"] == "5 jours ouvrés"
    assert email["moderation_share"] is None
    # instagram: d1 received but needs no answer → nothing to compute, target still shown
    assert instagram["messages_received"] == 1 and instagram["needing_answer"] == 0
    assert instagram["response_rate"] is None and instagram["median_hours"] is None
    assert instagram["target"] == "24 h"
    assert json.loads(json.dumps(rows)) == rows


def test_working_calendar_of_another_region(threads):
    # the same figures with a calendar open every weekday 08:00–18:00 in one range
    long_days = WorkingCalendar(ranges=((time(8), time(18)),))
    times = first_response_times(threads, MARCH, long_days)
    # b0: Fri 17:00–18:00 (1) + Mon 08:00–09:30 (1.5) = 2.5
    assert times.loc[5, "working_hours"] == 2.5


def test_conversation_figures_on_an_empty_frame():
    empty = empty_frame("message")
    assert conversation_starts(empty).empty
    assert response_rate(empty, MARCH) is None
    assert first_response_summary(empty, MARCH) == {
        "count": 0,
        "median_hours": None,
        "p90_hours": None,
        "median_working_hours": None,
        "p90_working_hours": None,
    }
    assert sum(first_response_distribution(empty, MARCH).values()) == 0
    assert share_within_target(empty, MARCH) is None
    assert moderation_share(empty, MARCH) is None
    assert responses_by_channel(empty, MARCH) == []


random_thread_message = st.tuples(
    st.sampled_from(["facebook", "email", "courrier", "instagram", None]),
    st.one_of(st.none(), st.sampled_from(["t1", "t2", "t3"])),
    st.one_of(st.none(), st.integers(min_value=-5 * 24 * 60, max_value=35 * 24 * 60)),  # sent
    st.one_of(st.none(), st.booleans()),  # is_staff
    st.one_of(st.none(), st.integers(min_value=-600, max_value=10 * 24 * 60)),  # replied delay
    st.one_of(st.none(), st.booleans()),  # is_hidden
)


@settings(deadline=None)
@given(rows=st.lists(random_thread_message, max_size=30))
def test_conversation_invariants(rows):
    def at(minutes):
        return None if minutes is None else BASE + pd.Timedelta(minutes=minutes)

    frame = messages(
        *(
            say(
                channel,
                thread,
                at(sent),
                staff,
                None if sent is None or delay is None else at(sent + delay),
                hidden,
            )
            for channel, thread, sent, staff, delay, hidden in rows
        )
    )
    needing = messages_needing_answer(frame, MARCH)
    assert len(needing) <= messages_received(frame, MARCH)
    rate = response_rate(frame, MARCH)
    assert (rate is None) == needing.empty
    assert rate is None or 0.0 <= rate <= 1.0
    times = first_response_times(frame, MARCH)
    valid = times["hours"].notna()
    assert (times.loc[valid, "hours"] >= 0).all()
    assert (times.loc[valid, "working_hours"] >= 0).all()
    assert (times.loc[valid, "working_hours"] <= times.loc[valid, "hours"] + 1e-9).all()
    assert times["working_hours"].notna().equals(valid)
    for clock in ("calendar", "working"):
        assert sum(first_response_distribution(frame, MARCH, clock).values()) == int(valid.sum())
    summary = first_response_summary(frame, MARCH)
    if summary["median_hours"] is not None:
        assert 0 <= summary["median_hours"] <= summary["p90_hours"] + 1e-9
        assert summary["median_working_hours"] <= summary["median_hours"] + 1e-9
    for share in (share_within_target(frame, MARCH), moderation_share(frame, MARCH)):
        assert share is None or 0.0 <= share <= 1.0
    assert len(RESPONSE_TIME_BUCKETS) == 6
