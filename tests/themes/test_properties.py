"""Property tests: any text gets a class among the known ones, coverages stay in [0, 1], counts
per class add up to the total, and every keyword of the default files is found on its own."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.content_audit import (
    ALL_CLASSES,
    class_comparison,
    content_class_counts,
    content_classes,
    load_audit_rules,
)
from metrics.resident_voice import (
    ALL_VOICE_CLASSES,
    load_voice_rules,
    voice_classes,
    voice_counts,
    voice_coverage,
)
from metrics.sentiment import NEGATIVE, NEUTRAL, NOT_EVALUATED, POSITIVE
from metrics.themes import fold, load_taxonomy, primary_theme, theme_coverage, themes_of
from tests.themes.support import bold, posts

TAXONOMY = load_taxonomy()
AUDIT = load_audit_rules()
VOICE = load_voice_rules()
KEYWORDS = [(theme.name, keyword) for theme in TAXONOMY.themes for keyword in theme.keywords]

PIECES = str.split(
    "merci bravo ? ! Pourquoi ne pas il faudrait nid-de-poule NID DE POULE lampadaires "
    "éclairage toujours pas en panne depuis inadmissible conseil municipal maire travaux "
    "fermeture votre avis #BudgetParticipatif réunion publique école écoles Œuvre vœux , . … "
    "👍 😡 [téléphone masqué] 12 rue"
)
texts_strategy = st.one_of(
    st.text(),
    st.lists(st.sampled_from(PIECES), max_size=20).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=8).map(lambda pieces: bold(" ".join(pieces))),
    st.none(),
)
labels_strategy = st.sampled_from([POSITIVE, NEUTRAL, NEGATIVE, NOT_EVALUATED])


@settings(deadline=None, max_examples=200)
@given(st.lists(texts_strategy, max_size=12))
def test_any_text_gets_a_voice_class_and_counts_add_up(texts):
    series = pd.Series(texts, dtype="str")
    classes = voice_classes(series, VOICE)
    assert set(classes) <= set(ALL_VOICE_CLASSES)
    assert classes.index.equals(series.index)
    counts = voice_counts(classes)
    assert counts.index.tolist() == list(ALL_VOICE_CLASSES)
    assert int(counts.sum()) == len(texts)
    coverage = voice_coverage(series, VOICE)
    assert coverage is None or 0.0 <= coverage <= 1.0


@settings(deadline=None, max_examples=200)
@given(
    st.lists(st.tuples(texts_strategy, labels_strategy, st.sampled_from(["message", "demande"])))
)
def test_any_text_label_and_source_gets_a_voice_class(rows):
    texts = pd.Series([text for text, _, _ in rows], dtype="str")
    labels = pd.Series([label for _, label, _ in rows], dtype="str")
    sources = pd.Series([source for _, _, source in rows], dtype="str")
    classes = voice_classes(texts, VOICE, labels, sources)
    assert set(classes) <= set(ALL_VOICE_CLASSES)
    assert len(classes) == len(rows)


@settings(deadline=None, max_examples=200)
@given(st.lists(texts_strategy, max_size=12))
def test_any_post_text_gets_a_content_class_and_counts_add_up(texts):
    series = pd.Series(texts, dtype="str")
    classes = content_classes(series, AUDIT)
    assert set(classes) <= set(ALL_CLASSES)
    assert int(content_class_counts(classes).sum()) == len(texts)


@settings(deadline=None, max_examples=100)
@given(
    st.lists(
        st.tuples(
            texts_strategy,
            st.none() | st.integers(0, 500),
            st.none() | st.integers(0, 5000),
        ),
        max_size=10,
    )
)
def test_class_comparison_posts_add_up_and_rates_are_fractions(rows):
    frame = posts(
        *[
            dict(published_at="2026-03-01T10:00:00Z", text=text, reactions=r, reach=reach)
            for text, r, reach in rows
        ]
    )
    table = class_comparison(frame, content_classes(frame["text"], AUDIT))
    assert int(table["posts"].sum()) == len(rows)
    shares = table["share_of_posts"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all()
    if rows:
        assert abs(float(shares.sum()) - 1.0) < 1e-9


@settings(deadline=None, max_examples=200)
@given(st.lists(texts_strategy, max_size=12))
def test_themes_coverage_and_primary_theme(texts):
    series = pd.Series(texts, dtype="str")
    coverage = theme_coverage(series, TAXONOMY)
    assert coverage is None or 0.0 <= coverage <= 1.0
    found = themes_of(series, TAXONOMY)
    primary = primary_theme(series, TAXONOMY)
    for names, first in zip(found, primary, strict=True):
        assert set(names) <= set(TAXONOMY.names)
        assert len(set(names)) == len(names)
        assert (first if isinstance(first, str) else None) == (names[0] if names else None)


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_fold_is_idempotent_and_plain(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert set(folded) <= set("abcdefghijklmnopqrstuvwxyz0123456789 ")


@settings(deadline=None, max_examples=300)
@given(st.sampled_from(KEYWORDS), st.sampled_from([str.upper, str.lower, str.title, bold]))
def test_every_default_keyword_alone_finds_its_theme(pair, case):
    theme, keyword = pair
    found = themes_of(pd.Series([f"« {case(keyword)} » !"], dtype="str"), TAXONOMY).iloc[0]
    assert theme in found
