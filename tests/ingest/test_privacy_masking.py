"""Masking of contact details in a column of texts: the same as text by text."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from ingest.privacy import masked_text, masked_texts

pieces = st.sampled_from(
    [
        "06 12 34 56 78",
        "a.b@example.org",
        "12 rue Victor-Hugo",
        "bonjour",
        " ",
        "3, allée",
        "+33 6 12 34 56 78",
    ]
)
texts = st.one_of(st.none(), st.lists(pieces, max_size=4).map(" ".join))


@given(st.lists(texts, max_size=20))
def test_a_column_is_masked_as_each_text_is(values):
    series = pd.Series(values, dtype="str", index=range(10, 10 + len(values)))
    got = masked_texts(series)
    assert list(got.index) == list(series.index)
    expected = [None if value is None else masked_text(value) for value in values]
    assert [None if pd.isna(v) else v for v in got] == expected
