"""Property tests of metrics.sentiment: any text gives a score in [−1, 1] or None, never an error."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.sentiment import NOT_EVALUATED, Sentiment, sentiment_label, sentiment_of, sentiments

# Pieces that exercise every rule: negations, « ne » frames, intensifiers, contrasts, phrases,
# capitals, accents, emojis, emoticons and punctuation, in any order.
FRENCH_PIECES = str.split(
    "ne n' pas plus jamais rien aucun personne sans ni peu moins un peu très trop super bien "
    "vraiment mais toujours j' aime déçu DÉÇU decu propre sale nul génial merci bravo honteux "
    "inadmissible nid-de-poule dépôt sauvage aucun problème pas mal c'est la rue le est , . ! "
    "? !!! :) :( :-)) <3 😡 👍 🙏 ❤️ 👍🏽 http://x.fr 12 -"
)
ENGLISH_PIECES = str.split(
    "the service was is not never very kind of but great terrible good bad thanks really "
    "GREAT :) 😡 ! ?"
)


def check(result: Sentiment) -> None:
    assert isinstance(result.language, str) and result.language
    if result.compound is None:
        assert result.label == NOT_EVALUATED
    else:
        assert -1.0 <= result.compound <= 1.0
        assert not math.isnan(result.compound)
        assert result.label == sentiment_label(result.compound)
    for word, value in result.words:
        assert isinstance(word, str) and word
        assert isinstance(value, float) and math.isfinite(value)


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_any_text(text):
    check(sentiment_of(text))


@settings(deadline=None, max_examples=300)
@given(st.lists(st.sampled_from(FRENCH_PIECES), max_size=40))
def test_any_french_word_salad(pieces):
    check(sentiment_of(" ".join(pieces)))


@settings(deadline=None, max_examples=200)
@given(st.lists(st.sampled_from(ENGLISH_PIECES), max_size=30))
def test_any_english_word_salad(pieces):
    check(sentiment_of(" ".join(pieces)))


@settings(deadline=None, max_examples=100)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=30),
            st.lists(st.sampled_from(FRENCH_PIECES), max_size=8).map(" ".join),
        ),
        max_size=30,
    )
)
def test_distinct_text_path_equals_one_by_one(texts):
    frame = sentiments(pd.Series(texts, dtype=object))
    assert len(frame) == len(texts)
    for position, text in enumerate(texts):
        expected = sentiment_of(text)
        row = frame.iloc[position]
        assert (row["language"], row["label"], row["words"]) == (
            expected.language,
            expected.label,
            expected.words,
        )
        if expected.compound is None:
            assert math.isnan(row["compound"])
        else:
            assert row["compound"] == expected.compound
