"""The PDF brief and the Services Publics+ poster, read back with pypdf."""

import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from metrics.definitions import method_fields
from metrics.period import Period
from services.brief import (
    SentenceFacts,
    brief_content,
    comparison_period,
    sentence_facts,
    services_publics_view,
)
from store.repository import Selection
from tests.brief.support import pdf_text, words
from ui.brief import (
    brief_pdf,
    brief_sentences,
    chart_png,
    flows_chart,
    period_label,
    poster_pdf,
    render_brief,
    render_poster,
)
from ui.format import count_text, rate_text


@pytest.fixture(scope="module")
def brief(shared_demo_db):
    period = Period(*_last_month())
    content = brief_content(shared_demo_db, period)
    return content, render_brief(content)


def test_the_synthese_sentences_equal_the_briefs(brief, shared_demo_db):
    # The Synthèse page reads five request columns instead of building the whole brief: the
    # facts, and so the sentences, must be the same.
    content, _ = brief
    light = sentence_facts(shared_demo_db, content.period, computed=content.synthesis)
    assert light.acknowledged_share is not None
    assert light.acknowledged_share == content.sentence_facts.acknowledged_share
    assert brief_sentences(light) == brief_sentences(content.sentence_facts)


def _last_month() -> tuple[date, date]:
    from metrics.period import last_complete_month

    month = last_complete_month(date.today())
    return month.start, month.end


def test_brief_has_the_period_figures_filters_sentences_and_definitions(brief):
    content, data = brief
    reader, text = pdf_text(data)
    assert data.startswith(b"%PDF")
    label = period_label(content.period)
    assert f"Période : {label}" in text
    previous = period_label(content.synthesis.previous_period)
    assert f"Comparée à : {previous}" in text
    figures = content.synthesis.current
    assert words(count_text(figures["requests_received"])) in text
    assert words(rate_text(figures["share_answered"], digits=1)) in text
    assert "Quartiers : tous" in text and "Catégories de demandes : toutes" in text
    for sentence in brief_sentences(content.sentence_facts):
        assert words(sentence) in text
    assert brief_sentences(content.sentence_facts)[0].startswith(f"En {label}")
    formula = method_fields("share_answered")["Formule"]
    assert words(formula.split(". Exemple")[0]) in text
    assert "Méthode de calcul" in text and "Définitions" in text
    pages = len(reader.pages)
    assert pages >= 3
    assert f"Page 1 sur {pages}" in text and f"Page {pages} sur {pages}" in text


def test_brief_is_a4_with_charts_as_images(brief):
    _, data = brief
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 2  # weekly flows and the map


def test_brief_says_the_filters_used(shared_demo_db):
    period = Period(*_last_month())
    selection = Selection(districts=("Centre-Ville",), channels=("ONLINE", "MOBILE"))
    _, text = pdf_text(brief_pdf(shared_demo_db, period, selection))
    assert "Quartiers : Centre-Ville" in text
    assert "Canaux des demandes : ONLINE, MOBILE" in text


def test_brief_in_english(shared_demo_db):
    period = Period(*_last_month())
    _, text = pdf_text(brief_pdf(shared_demo_db, period, lang="en"))
    assert "Key points" in text and "Page 1 of" in text
    assert period_label(period, "en") in text


def test_brief_of_an_empty_database_says_so(empty_db):
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    _, text = pdf_text(brief_pdf(empty_db, period))
    assert "Aucune donnée n'a été importée pour cette période" in text
    assert "pas de données d'enquête" in text
    assert "Page 1 sur" in text


def test_poster_has_big_figures_period_and_definitions(shared_demo_db):
    period = Period(*_last_month())
    view = services_publics_view(shared_demo_db, period)
    data = poster_pdf(shared_demo_db, period)
    reader, text = pdf_text(data)
    assert len(reader.pages) == 1
    assert "Nos engagements Services Publics+" in text
    label = period_label(period)
    assert label[:1].upper() + label[1:] in text
    share = view.count("sp_acknowledgement", "overall").share
    assert words(rate_text(share, digits=0)) in text
    assert "Pas de données d'enquête" in text
    assert words(method_fields("sve")["Formule"][:60]) in text
    assert "Données de démonstration" in text


def test_poster_in_black_and_white_words_even_without_data(empty_db):
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    view = services_publics_view(empty_db, period)
    data = render_poster(view, "Ville de Test", generated_at=datetime(2026, 11, 2, tzinfo=UTC))
    reader, text = pdf_text(data)
    assert "Ville de Test" in text and "Octobre 2026" in text
    assert "Non disponible : aucune demande jugée sur la période." in text
    assert "le 2 novembre 2026" in text
    assert len(reader.pages) == 1


@pytest.mark.parametrize(
    ("start", "end", "french", "english"),
    [
        (date(2026, 10, 1), date(2026, 10, 31), "octobre 2026", "October 2026"),
        (date(2026, 8, 1), date(2026, 10, 31), "d'août à octobre 2026", "August to October 2026"),
        (date(2025, 11, 1), date(2026, 1, 31), "de novembre 2025 à janvier 2026", None),
        (date(2026, 1, 1), date(2026, 12, 31), "année 2026", "year 2026"),
        (
            date(2026, 10, 1),
            date(2026, 10, 15),
            "du 1er au 15 octobre 2026",
            "from 1 to 15 October 2026",
        ),
        (date(2026, 9, 15), date(2026, 10, 14), "du 15 septembre au 14 octobre 2026", None),
    ],
)
def test_period_labels_in_french(start, end, french, english):
    period = Period(start, end)
    assert period_label(period) == french
    if english:
        assert period_label(period, "en") == english


def test_months_are_compared_with_the_previous_months():
    assert comparison_period(Period(date(2026, 10, 1), date(2026, 10, 31))) == Period(
        date(2026, 9, 1), date(2026, 9, 30)
    )
    assert comparison_period(Period(date(2026, 1, 1), date(2026, 3, 31))) == Period(
        date(2025, 10, 1), date(2025, 12, 31)
    )
    days = Period(date(2026, 10, 5), date(2026, 10, 11))
    assert comparison_period(days) == days.previous()


def _facts(current: dict, previous: dict, ack_share=None) -> SentenceFacts:
    figures = dict.fromkeys(
        (
            "share_answered",
            "messages_received",
            "requests_received",
            "requests_closed",
            "open_backlog",
            "median_resolution_hours",
            "publications",
            "interactions",
            "median_first_response_hours",
        )
    )
    return SentenceFacts(
        period=Period(date(2026, 10, 1), date(2026, 10, 31)),
        synthesis=SimpleNamespace(
            previous_period=Period(date(2026, 9, 1), date(2026, 9, 30)),
            current={**figures, **current},
            previous={**figures, **previous},
        ),
        acknowledged_share=ack_share,
    )


def test_sentences_say_the_figures_plainly():
    content = _facts(
        {
            "share_answered": 0.72,
            "messages_received": 250,
            "requests_received": 1234,
            "requests_closed": 1100,
            "open_backlog": 345,
            "median_resolution_hours": 84.0,
        },
        {"share_answered": 0.68, "open_backlog": 300, "median_resolution_hours": 96.0},
        ack_share=0.84,
    )
    sentences = [words(s) for s in brief_sentences(content)]
    assert sentences[0] == (
        "En octobre 2026, 72 % des 250 messages d'habitants ont reçu une réponse, "
        "contre 68 % en septembre."
    )
    assert sentences[1] == (
        "1 234 demandes ont été reçues et 1 100 clôturées ; 345 restaient en cours à la fin "
        "de la période, contre 300 au début."
    )
    assert sentences[2] == (
        "La moitié des demandes clôturées l'ont été en moins de 3,5 jours (délai médian), "
        "contre 4 jours en septembre."
    )
    assert sentences[3].startswith("84 % des demandes écrites ont reçu un accusé de réception")
    assert 3 <= len(sentences) <= 5
    english = brief_sentences(content, "en")[0]
    assert english.startswith("In October 2026, 72% of the 250 resident messages were answered")


def test_sentences_without_data():
    assert brief_sentences(_facts({}, {})) == [
        "Aucune donnée n'a été importée pour cette période : les chiffres sont vides."
    ]


def test_charts_render_offline_as_png():
    flows = [
        {"start": "2026-10-01", "received": 10, "closed": 5},
        {"start": "2026-10-05", "received": 12, "closed": 14},
    ]
    spec = flows_chart(flows).to_dict()
    # two series told apart by dash and shape, not by colour alone
    layer = spec["layer"][0]["encoding"]
    assert {"strokeDash", "shape"} <= set(layer) and "color" not in layer
    png = chart_png(flows_chart(flows))
    assert png is not None and png.startswith(b"\x89PNG")


def test_hidden_groups_are_named_in_plain_french():
    from ui.brief import _hidden_line

    assert _hidden_line(["Gare"], 10, "quartier", "fr") == (
        "1 quartier de moins de 10 demandes n'est pas affiché : Gare."
    )
    assert _hidden_line(["A", "B", "C"], 10, "quartier", "fr") == (
        "3 quartiers de moins de 10 demandes ne sont pas affichés : A, B, C."
    )
    assert _hidden_line(["Bruit", "Voirie"], 12, "category", "fr") == (
        "2 catégories de moins de 12 demandes ne sont pas affichées : Bruit, Voirie."
    )
    assert _hidden_line([], 10, "quartier", "fr") is None


def test_the_renderer_loads_no_streamlit_so_the_command_line_can_use_it(demo_url, tmp_path):
    # What `python cli.py brief --start … --end … --output …` will run, in its own process.
    import subprocess
    import sys
    from pathlib import Path

    output = tmp_path / "dossier.pdf"
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from metrics.period import Period\n"
        "from services.settings import current_settings\n"
        "from store.db import ready_engine\n"
        "from ui.brief import brief_pdf\n"
        "engine = ready_engine()\n"
        "period = Period(date(2026, 10, 1), date(2026, 10, 31), current_settings(engine).timezone)\n"
        f"open({str(output)!r}, 'wb').write(brief_pdf(engine, period))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    _, text = pdf_text(output.read_bytes())
    assert "Période : octobre 2026" in text


def test_without_system_fonts_the_bundled_font_is_used(empty_db, monkeypatch):
    import ui.brief

    monkeypatch.setattr(ui.brief, "_FONT_CANDIDATES", ())
    ui.brief._fonts.cache_clear()
    try:
        assert ui.brief._fonts()[2] is False  # reportlab's Vera: narrow spaces substituted
        period = Period(date(2026, 10, 1), date(2026, 10, 31))
        view = services_publics_view(empty_db, period)
        _, text = pdf_text(render_poster(view, "Ville de Test"))
        assert "Nos engagements Services Publics+" in text and "Octobre 2026" in text
    finally:
        ui.brief._fonts.cache_clear()
