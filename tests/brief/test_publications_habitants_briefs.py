"""The publications and residents' parts of the brief: their figures as the pages format them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from babel.numbers import format_decimal

import services.brief
from metrics.definitions import method_fields, method_title
from metrics.period import Period, last_complete_month
from services.brief import SENTIMENT_WEEKS, ClassComparison, brief_content
from services.views import publications_view
from services.voice import voice_view
from tests.brief.support import pdf_text, words
from ui.brief import (
    PART_DEFINITIONS,
    TEXT_LENGTH,
    VOICE_ROWS,
    brief_pdf,
    comparison_text,
    render_brief,
)
from ui.format import PLATFORM_NAMES, count_text, date_text, rate_text, signed_points_text


@pytest.fixture(scope="module")
def month() -> Period:
    return last_complete_month(date.today())


@pytest.fixture(scope="module")
def content(shared_demo_db, month):
    return brief_content(shared_demo_db, month, parts=("publications", "habitants"))


@pytest.fixture(scope="module")
def publications(content):
    """The publications brief: (reader, text)."""
    return pdf_text(render_brief(content, page="publications"))


@pytest.fixture(scope="module")
def habitants(content):
    """The residents' brief: (reader, text)."""
    return pdf_text(render_brief(content, page="habitants"))


def _signed(value: float, digits: int = 2) -> str:
    """A sentiment score as the habitants page's tables write it in French."""
    return f"{value:+.{digits}f}".replace(".", ",")


def _rate(value: object) -> str:
    return rate_text(None if pd.isna(value) else float(value))


def _defined(key: str) -> str:
    """How a definition starts in the PDF: its title then the beginning of its formula."""
    return words(f"{method_title(key)} Formule : {method_fields(key)['Formule']}")[:70]


# ----------------------------------------------------------------------------------------------
# Publications


def test_the_part_reads_the_publications_page_view(shared_demo_db, content, month):
    view = content.publications.view
    page = publications_view(shared_demo_db, month)  # what the page shows on the reach base
    assert view.figures == page.figures
    pd.testing.assert_frame_equal(view.top_posts, page.top_posts)
    pd.testing.assert_frame_equal(view.over_time, page.over_time)
    networks = content.publications.networks
    assert list(networks["platform"]) == list(page.by_platform["group"])
    assert list(networks["posts"]) == list(page.by_platform["posts"])
    impressions = publications_view(shared_demo_db, month, base="impressions").by_platform
    assert networks["engagement_rate_impressions"].tolist() == pytest.approx(
        impressions["rate"].tolist(), nan_ok=True
    )


def test_the_publications_brief_has_a_table_per_network(content, publications):
    _, text = publications
    assert "Engagement par réseau social" in text
    assert "Réseau Publications Interactions Taux d'engagement (portée)" in text
    networks = content.publications.networks
    assert len(networks) >= 2
    for row in networks.itertuples():
        line = words(
            f"{PLATFORM_NAMES[row.platform]} {count_text(row.posts)} "
            f"{count_text(row.interactions)} {_rate(row.engagement_rate_reach)} "
            f"{_rate(row.engagement_rate_impressions)}"
        )
        assert line in text
    # X exports no reach: its rate says so, and why.
    assert networks["engagement_rate_reach"].isna().any()
    assert "« non disponible » : le réseau n'exporte pas cette base" in text


def test_the_publications_brief_has_the_engagement_chart(content, publications):
    reader, text = publications
    assert "L'engagement dans le temps" in text
    assert sum(len(sheet.images) for sheet in reader.pages) == 1
    rate = rate_text(content.publications.view.figures["engagement_rate_reach"])
    assert words(f"sur toute la période, il est de {rate}.") in text


def test_the_publications_brief_compares_the_content_classes(content, publications):
    _, text = publications
    classes = content.publications.classes
    assert "Par classe de contenu" in text
    for label, row in classes.iterrows():
        per_post = format_decimal(round(row["interactions_per_post"], 1), "#,##0.0", "fr_FR")
        line = words(
            f"{label} {count_text(row['posts'])} {per_post} "
            f"{_rate(row['engagement_rate_reach'])} {_rate(row['engagement_rate_impressions'])}"
        )
        assert line in text
    comparison = content.publications.comparison
    assert comparison is not None
    assert words(comparison.sentence) in text
    assert comparison.sentence == content.voice.view.audit_sentence  # the habitants page's


def test_the_publications_brief_lists_the_top_posts(content, publications):
    _, text = publications
    top = content.publications.view.top_posts
    assert "Les publications les plus engageantes" in text
    assert "parmi les publications d'au moins 100 personnes touchées" in text
    assert not top.empty
    for row in top.itertuples():
        moment = pd.Timestamp(row.published_at)
        assert date_text(moment.date()) in text
        assert f"{count_text(row.interactions)} {rate_text(row.rate)}" in text
        # The text is printed without its emoji, which the font cannot draw.
        start = " ".join(row.excerpt.split()[1:4])
        assert words(start) in text
    assert "https://" not in text  # no links on paper
    assert "\ufffd" not in text and "□" not in text


def test_the_publications_brief_defines_its_figures(publications):
    _, text = publications
    for key in PART_DEFINITIONS["publications"]:
        assert _defined(key) in text, key


def test_the_publications_brief_in_english(shared_demo_db, month):
    _, text = pdf_text(brief_pdf(shared_demo_db, month, lang="en", page="publications"))
    assert "Brief — Publications —" in text
    for heading in (
        "Engagement by social network",
        "Engagement over time",
        "By content class",
        "The most engaging posts",
    ):
        assert heading in text
    assert "Posts classed “practical service” get" in text
    assert "Engagement par réseau social" not in text


# ----------------------------------------------------------------------------------------------
# What residents say


def test_the_part_reads_the_habitants_page_view(shared_demo_db, content, month):
    view = content.voice.view
    page = voice_view(shared_demo_db, month)
    assert (view.messages, view.requests) == (page.messages, page.requests)
    pd.testing.assert_frame_equal(view.themes, page.themes)
    pd.testing.assert_frame_equal(view.proposals, page.proposals)


def test_the_habitants_brief_has_its_counts_and_coverage(content, habitants):
    _, text = habitants
    view = content.voice.view
    assert f"Messages d'habitants {count_text(view.messages)}" in text
    assert f"Demandes reçues {count_text(view.requests)}" in text
    assert f"Textes avec un thème {rate_text(view.theme_coverage)}" in text
    assert f"Textes classés {rate_text(view.voice_coverage)}" in text
    # Alone, the part says what the content audit found (with the publications part, that
    # part says it).
    assert "Utiles ou autocentrées ? Les publications par type" in text
    assert words(view.audit_sentence) in text


def test_the_habitants_brief_has_the_themes_and_the_classes(content, habitants):
    _, text = habitants
    view = content.voice.view
    assert "Thèmes les plus abordés" in text and "Ce que les habitants apportent" in text
    for row in view.themes.head(VOICE_ROWS["themes"]).itertuples():
        assert f"{row.theme} {count_text(row.texts)}" in text
    left = len(view.themes) - VOICE_ROWS["themes"]
    assert f"{left} autres thèmes sont abordés moins souvent." in text
    for row in view.voices.itertuples():
        assert f"{row[1]} {count_text(row.texts)}" in text


def test_the_habitants_brief_has_the_sentiment_per_network(content, habitants):
    _, text = habitants
    sentiment = content.voice.sentiment
    assert "Sentiment des habitants" in text
    assert 0 < len(sentiment) <= SENTIMENT_WEEKS * sentiment["channel"].nunique()
    for row in sentiment.itertuples():
        line = (
            f"{date_text(pd.Timestamp(row.period).date())} {PLATFORM_NAMES[row.channel]} "
            f"{count_text(row.n)} {_signed(row.mean_compound)} {_rate(row.negative_share)}"
        )
        assert words(line) in text


def test_the_habitants_brief_has_the_rising_themes_and_proposals(content, habitants):
    _, text = habitants
    rising = content.voice.rising
    assert "Thèmes dont la part négative monte le plus" in text
    assert not rising.empty and rising["compared"].all()
    for row in rising.head(VOICE_ROWS["rising"]).itertuples():
        line = (
            f"{row.theme} {count_text(row.n_previous)} {_rate(row.negative_share_previous)} "
            f"{count_text(row.n_current)} {_rate(row.negative_share_current)} "
            f"{signed_points_text(row.change)}"
        )
        assert words(line) in text
    assert f"{content.voice.rising_hidden} thème(s) avec trop peu de messages" in text
    proposals = content.voice.view.proposals
    assert "Propositions des habitants" in text
    for row in proposals.head(VOICE_ROWS["proposals"]).itertuples():
        assert row.theme in text
        assert words(" ".join(row.representative.split()[:4])) in text
    left = len(proposals) - VOICE_ROWS["proposals"]
    assert f"{left} autres propositions ne sont pas reprises ici" in text


def test_the_habitants_brief_quotes_the_most_negative_texts(content, habitants):
    _, text = habitants
    negatives = content.voice.view.negatives
    assert "Les messages les plus négatifs à lire" in text
    assert not negatives.empty
    for row in negatives.head(VOICE_ROWS["negatives"]).itertuples():
        assert f"Score {_signed(row.compound)} — mots qui l'expliquent" in text
        assert words(" ".join(row.text.split()[:5]))[: TEXT_LENGTH["negative"]] in text
        for word, score in row.words:
            if word.isalpha():
                assert f"{word} ({_signed(score, 1)})" in text
    # An emoji that moved a score is named, not printed as an empty box.
    if any(not word.isascii() and not word.isalpha() for w in negatives["words"] for word, _ in w):
        assert "[émoji]" in text


def test_the_habitants_brief_defines_its_figures(habitants):
    _, text = habitants
    for key in PART_DEFINITIONS["habitants"]:
        assert _defined(key) in text, key


def test_the_habitants_brief_in_english(shared_demo_db, month):
    _, text = pdf_text(brief_pdf(shared_demo_db, month, lang="en", page="habitants"))
    assert "Brief — What residents say —" in text
    for heading in (
        "Most discussed themes",
        "What residents bring",
        "Residents' sentiment",
        "Residents' proposals",
        "The most negative messages to read",
    ):
        assert heading in text
    assert "complaint" in text and "Week of" in text
    assert "Thèmes les plus abordés" not in text


# ----------------------------------------------------------------------------------------------
# Both parts, and what a brief computes


def test_in_the_full_brief_the_audit_sentence_is_printed_once(content):
    _, text = pdf_text(render_brief(content, parts=("publications", "habitants")))
    sentence = words(content.publications.comparison.sentence)
    assert text.count(sentence) == 1
    assert "Utiles ou autocentrées" not in text


def test_a_page_brief_computes_only_its_own_part(shared_demo_db, month, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("computed for nothing")

    monkeypatch.setattr(services.brief, "voice_brief", refused)
    _, text = pdf_text(brief_pdf(shared_demo_db, month, page="publications"))
    assert "Engagement par réseau social" in text
    monkeypatch.setattr(services.brief, "publications_brief", refused)
    _, text = pdf_text(brief_pdf(shared_demo_db, month, page="demandes"))
    assert "Demandes et réclamations" in text
    content = brief_content(shared_demo_db, month, parts=("requests",))
    assert content.publications is None and content.voice is None
    with pytest.raises(ValueError, match="calculé sans la partie : publications"):
        render_brief(content, page="publications")


def test_the_comparison_in_english_says_the_ratio_or_about_as_many():
    more = ClassComparison("…", "service pratique", "institutionnel", 3.0885)
    assert comparison_text(more, "fr") == "…"
    assert comparison_text(more, "en") == (
        "Posts classed “practical service” get 3.1 times as many interactions per post as "
        "posts classed “institutional”."
    )
    same = ClassComparison("…", "institutionnel", "service pratique", 1.03)
    assert "about as many" in comparison_text(same, "en")


# ----------------------------------------------------------------------------------------------
# Without data


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_both_parts_of_an_empty_database_say_what_to_import(empty_db, lang):
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    _, text = pdf_text(brief_pdf(empty_db, period, lang=lang, page="publications"))
    if lang == "fr":
        assert "Aucune publication sur cette période — importez un export" in text
    else:
        assert "No posts in this period — import" in text
    _, text = pdf_text(brief_pdf(empty_db, period, lang=lang, page="habitants"))
    if lang == "fr":
        assert "Aucun message ni demande d'habitant sur cette période — importez" in text
        assert "Définitions" in text
    else:
        assert "No resident message or request in this period" in text
    _, text = pdf_text(brief_pdf(empty_db, period, lang=lang))  # the full brief
    assert ("Aucune publication" if lang == "fr" else "No posts in this period") in text


def test_both_parts_of_a_period_without_data(shared_demo_db):
    period = Period(date(2020, 1, 1), date(2020, 1, 31), "Europe/Paris")
    _, text = pdf_text(brief_pdf(shared_demo_db, period, parts=("publications", "habitants")))
    assert "Aucune publication sur cette période" in text
    assert "Aucun message ni demande d'habitant sur cette période" in text


def test_a_single_day_has_no_chart_and_says_what_it_cannot_compare(shared_demo_db, month):
    day = Period(month.end, month.end, month.timezone)
    content = brief_content(shared_demo_db, day, parts=("publications", "habitants"))
    reader, text = pdf_text(render_brief(content, parts=("publications", "habitants")))
    assert sum(len(sheet.images) for sheet in reader.pages) == 0  # one day: no line to draw
    if content.publications.view.figures["publications"]:
        assert "Pas assez de publications de chaque type pour comparer (5 au moins)." in text
    if content.voice.view.messages + content.voice.view.requests:
        assert "Aucun thème n'a assez de messages sur les deux périodes pour comparer." in text
