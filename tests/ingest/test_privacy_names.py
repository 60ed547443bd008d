"""Masking of the residents' names that comments write (a tagged neighbour)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from ingest.privacy import NAME_MASK, masked_names


def texts(*values) -> pd.Series:
    return pd.Series(list(values), dtype="str")


AUTHORS = texts("David Dubois", "Marie-Claire Le Goff", "Paul", None, "jean martin")


def test_full_names_of_the_files_authors_are_masked():
    got = masked_names(
        texts(
            "David Dubois regarde ça",
            "Merci David Dubois !",
            "Marie-Claire Le Goff et Jean Martin",
            "DAVID DUBOIS",
            "David  Dubois",
            None,
        ),
        AUTHORS,
    )
    assert got.tolist()[:5] == [
        f"{NAME_MASK} regarde ça",
        f"Merci {NAME_MASK} !",
        f"{NAME_MASK} et {NAME_MASK}",
        NAME_MASK,
        NAME_MASK,
    ]
    assert pd.isna(got.iloc[5])


def test_single_names_streets_and_lower_case_words_stay():
    # « Paul » alone is too often a street or a place; « david dubois » without capitals is not
    # how a tag is written.
    kept = texts("Rue Paul Bert", "Paul est venu", "david dubois", "La place Victor Hugo")
    assert masked_names(kept, AUTHORS).tolist() == kept.tolist()


def test_no_author_names_changes_nothing():
    values = texts("David Dubois regarde ça")
    assert masked_names(values, texts(None)).tolist() == values.tolist()


words = st.text(alphabet="abcdefghij ", max_size=40)


@given(st.lists(words, max_size=10))
def test_lower_case_texts_are_never_changed(values):
    series = texts(*values)
    assert masked_names(series, AUTHORS).tolist() == series.tolist()
