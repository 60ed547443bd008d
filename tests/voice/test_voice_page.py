"""The page "Ce que disent les habitants" and the rules editor, over the demo commune."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services.imports import load_demo
from services.voice import rules_text, save_rules_text, voice_view
from store.accounts import audit_frame
from store.db import ready_engine

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voice")
    url = f"sqlite:///{folder / 'parvis.sqlite'}"
    load_demo(ready_engine(url))
    return url


@pytest.fixture
def demo(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    return ready_engine(demo_url)


def page(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/habitants.py").run()
    return at


def test_the_page_shows_every_part_with_data(demo):
    at = page()
    assert not at.exception, [e.value for e in at.exception]
    headings = {s.value for s in at.subheader}
    assert {
        "Sentiment des habitants",
        "Thèmes les plus abordés",
        "Propositions des habitants",
        "Les messages les plus négatifs à lire",
    } <= headings
    assert any("fois plus d'interactions" in m.value for m in at.markdown)
    assert len(at.expander) >= 6  # méthodes de calcul and chart data


def test_the_page_in_english_and_on_an_empty_period(demo):
    at = page({"lang": "en"})
    assert not at.exception
    at = page({"periode": "custom", "debut": "2001-01-01", "fin": "2001-01-31"})
    assert not at.exception
    assert any("Aucun message" in i.value for i in at.info)


def test_voice_view_figures_are_consistent(demo):
    from datetime import date

    from metrics.period import Period

    view = voice_view(demo, Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert view.themes["texts"].sum() == view.messages + view.requests
    assert view.voices["texts"].sum() == view.messages + view.requests
    assert 0 <= view.theme_coverage <= 1 and 0 <= view.voice_coverage <= 1
    assert (view.negatives["compound"] <= -0.05).all()
    # Comments under the posts: the themes and the months share out the same comments as the
    # classes do.
    total = view.audit_conversations["comments"].sum()
    assert total > 0
    assert view.theme_conversations["comments"].sum() == total
    assert view.class_conversations_monthly["comments"].sum() == total
    assert view.class_conversations_monthly["answered"].sum() == (
        view.audit_conversations["answered"].sum()
    )
    shares = view.class_conversations_monthly["answered_share"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all()


def test_the_page_compares_post_types_and_themes_over_time(demo):
    at = page({"periode": "custom", "debut": "2026-01-01", "fin": "2026-10-31"})
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert "Sentiment moyen des commentaires d'habitants sous chaque type" in captions
    assert "Part des questions posées en commentaire" in captions
    assert any("par thème de la publication" in m.value for m in at.markdown)


def test_rules_are_validated_saved_audited_and_used(demo):
    default = rules_text(demo, "themes")
    assert save_rules_text(demo, "themes", "pas du [toml", "agent1")
    assert rules_text(demo, "themes") == default
    edited = (
        default
        + '\n[[theme]]\nnom = "marché de Noël"\nmots = ["patinoire éphémère", "chalet gourmand"]\n'
    )
    assert save_rules_text(demo, "themes", edited, "agent1") == []
    assert rules_text(demo, "themes") == edited
    assert audit_frame(demo)["action"].iloc[0] == "settings_changed"
