"""Tests of metrics.responses: residents' messages received, answered, and first-response time."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import conform, empty_frame
from metrics.period import Period
from metrics.responses import (
    first_response_hours,
    median_first_response_hours,
    messages_answered,
    messages_received,
    resident_messages_in,
    share_answered,
)

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
