"""The Graph comments importer's reply matching: the first staff message strictly after each
resident message of the same thread, checked against a plain loop on random threads."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.formats.fb_graph_comments import _replied_at

T0 = pd.Timestamp("2026-03-01T08:00:00Z")


def replied_by_loop(frame: pd.DataFrame) -> list:
    """The definition, message by message."""
    out = []
    for _, row in frame.iterrows():
        if row["is_staff"] or pd.isna(row["sent_at"]) or pd.isna(row["thread_id"]):
            out.append(pd.NaT)
            continue
        later = frame.loc[
            (frame["thread_id"] == row["thread_id"])
            & frame["is_staff"].astype(bool)
            & (frame["sent_at"] > row["sent_at"])
        ]
        out.append(later["sent_at"].min() if len(later) else pd.NaT)
    return out


messages = st.lists(
    st.tuples(
        st.sampled_from(["t1", "t2", "t3", None]),
        st.booleans(),
        st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(messages)
def test_matches_the_definition(rows):
    frame = pd.DataFrame(
        {
            "thread_id": [thread for thread, _, _ in rows],
            "is_staff": [staff for _, staff, _ in rows],
            "sent_at": pd.Series(
                [None if m is None else T0 + pd.Timedelta(minutes=m) for _, _, m in rows],
                dtype="datetime64[us, UTC]",
            ),
        },
        index=pd.RangeIndex(100, 100 + len(rows)),  # the frame's own index is kept
    )
    got = _replied_at(frame) if rows else pd.Series([], dtype="datetime64[us, UTC]")
    expected = replied_by_loop(frame)
    assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in expected]


def test_a_reply_at_the_same_second_does_not_count_and_the_next_does():
    frame = pd.DataFrame(
        {
            "thread_id": ["a", "a", "a", "b"],
            "is_staff": [False, True, True, True],
            "sent_at": pd.to_datetime(
                [
                    "2026-03-01T10:00Z",
                    "2026-03-01T10:00Z",
                    "2026-03-01T11:00Z",
                    "2026-03-01T10:30Z",
                ],
                utc=True,
            ),
        }
    )
    got = _replied_at(frame)
    assert got[0] == pd.Timestamp("2026-03-01T11:00Z")
    assert got[1:].isna().all()
