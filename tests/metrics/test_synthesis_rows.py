"""The request rows the Synthèse reads (store/aggregates.py) are enough: on any request set, the
pandas definitions give on them the same figures as on every row, plus what the database counts.

Pure pandas: these are the identities the SQL side relies on; tests/store/test_aggregates.py
checks the SQL against the same definitions.
"""

from collections import Counter
from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import conform
from metrics.period import Period
from metrics.requests import (
    UNKNOWN_GROUP,
    median_resolution_hours,
    open_backlog,
    requests_breakdown,
    requests_closed,
    requests_received,
)
from metrics.targets import latest_instant

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), "Europe/Paris")
START, END = MARCH.start_utc, MARCH.end_utc
US = pd.Timedelta(microseconds=1)
DAY = pd.Timedelta(days=1)

instant = st.one_of(
    st.none(),
    st.sampled_from([START - 90 * DAY, START - US, START, START + US, END - US, END, END + US]),
    st.integers(-40 * 24 * 60, 70 * 24 * 60).map(lambda m: START + pd.Timedelta(minutes=m)),
)
request = st.fixed_dictionaries(
    {
        "created_at": instant,
        "closed_at": instant,
        "due_at": instant,
        "category": st.sampled_from([None, "Voirie", "Bruit", UNKNOWN_GROUP]),
        "district": st.sampled_from([None, "Nord", "Sud"]),
    }
)


def frame_of(rows: list[dict]) -> pd.DataFrame:
    return conform(
        pd.DataFrame(rows, columns=["created_at", "closed_at", "due_at", "category", "district"]),
        "request",
    )


def backlog_rows(frame: pd.DataFrame, at: pd.Timestamp) -> pd.Series:
    created, closed = frame["created_at"], frame["closed_at"]
    return ((created < at) & (closed.isna() | (closed >= at))).fillna(False).astype(bool)


@settings(deadline=None)
@given(rows=st.lists(request, max_size=40))
def test_counts_split_into_the_ranges_the_database_counts(rows):
    frame = frame_of(rows)
    created, closed = frame["created_at"], frame["closed_at"]
    # open at the end = (never closed) + (closed at the end or after), both created before it
    never_closed = int(((created < END) & closed.isna()).sum())
    closed_later = int(((created < END) & (closed >= END)).sum())
    assert open_backlog(frame, END) == never_closed + closed_later
    assert requests_received(frame, MARCH) == int(((created >= START) & (created < END)).sum())
    assert requests_closed(frame, MARCH) == int(((closed >= START) & (closed < END)).sum())


@settings(deadline=None)
@given(rows=st.lists(request, max_size=40))
def test_the_median_needs_only_the_requests_closed_in_the_period(rows):
    frame = frame_of(rows)
    closed = frame.loc[MARCH.contains(frame["closed_at"]), ["created_at", "closed_at"]]
    assert median_resolution_hours(closed, MARCH) == median_resolution_hours(frame, MARCH)
    assert requests_closed(closed, MARCH) == requests_closed(frame, MARCH)


@settings(deadline=None)
@given(rows=st.lists(request, max_size=40), by=st.sampled_from(["category", "district"]))
def test_a_breakdown_needs_the_flows_the_backlog_per_group_and_the_data_date(rows, by):
    frame = frame_of(rows)
    flows = frame.loc[MARCH.contains(frame["created_at"]) | MARCH.contains(frame["closed_at"])]
    # What the database gives instead of the other rows: the latest date among all rows and
    # the open requests per group (a missing value is the unknown group).
    as_of = latest_instant(frame, ("created_at", "closed_at"))
    still_open = Counter(
        UNKNOWN_GROUP if pd.isna(key) else key for key in frame.loc[backlog_rows(frame, END), by]
    )

    full = requests_breakdown(frame, MARCH, by=by, minimum_size=1)
    partial = requests_breakdown(flows, MARCH, by=by, minimum_size=1, as_of=as_of)
    for group in partial["groups"]:
        group["open_at_end"] = still_open.get(group["group"], 0)
    assert partial == full
