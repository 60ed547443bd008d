"""The brief of each page: its parts only, with the header, the filters and its definitions."""

import re
from datetime import date

import pytest

import cli
from metrics.definitions import documented_keys, method_fields, method_title
from metrics.period import Period
from services.brief import brief_content
from store import accounts
from store.repository import Selection
from tests.brief.support import pdf_text, words
from ui.brief import (
    BRIEF_DEFINITIONS,
    BRIEF_PARTS,
    FIGURE_GROUPS,
    FIGURE_LABELS,
    PAGE_PARTS,
    PAGE_TITLES,
    PART_DEFINITIONS,
    brief_definitions,
    brief_parts,
    brief_pdf,
    brief_title,
    figure_value,
    period_label,
    render_brief,
)
from ui.maps import map_description


@pytest.fixture(scope="module")
def content(shared_demo_db):
    from metrics.period import last_complete_month

    return brief_content(shared_demo_db, last_complete_month(date.today()))


@pytest.fixture(scope="module")
def rendered(content):
    """Each page's brief, rendered once: page → (reader, text)."""
    return {page: pdf_text(render_brief(content, page=page)) for page in PAGE_PARTS}


def _figure_rows(content, group: str) -> list[str]:
    """« label value-now value-before » of each key figure of ``group``, as the PDF reads."""
    keys = dict(FIGURE_GROUPS)[group]
    now, before = content.synthesis.current, content.synthesis.previous
    return [
        words(
            f"{FIGURE_LABELS[key][0]} {figure_value(key, now.get(key))} "
            f"{figure_value(key, before.get(key))}"
        )
        for key in keys
    ]


def _definition(key: str) -> str:
    """How a definition starts in the PDF: its title then the beginning of its formula."""
    formula = method_fields(key)["Formule"]
    return words(f"{method_title(key)} Formule : {formula}")[:70]


# The headings (and table titles) of each part: none may show in another part's brief.
PART_HEADINGS = {
    "synthese": ("L'essentiel", "Chiffres clés"),
    "requests": ("Demandes et réclamations", "Par catégorie", "Ancienneté des demandes en cours"),
    "responses": ("Réponses aux habitants", "Par canal", "Taux de réponse"),
    "services_publics": ("Indicateurs Services Publics+", "Délai de traitement annoncé respecté"),
    # The publications' key figures are also in the Synthèse's key-figures table.
    "publications": (
        "Taux d'engagement (portée)",
        "Engagement par réseau social",
        "L'engagement dans le temps",
        "Par classe de contenu",
        "Les publications les plus engageantes",
    ),
    "habitants": (
        "Ce que disent les habitants",
        "Thèmes les plus abordés",
        "Ce que les habitants apportent",
        "Thèmes dont la part négative monte le plus",
        "Propositions des habitants",
        "Les messages les plus négatifs à lire",
    ),
}


@pytest.mark.parametrize("page", sorted(PAGE_PARTS))
def test_a_page_brief_has_its_header_filters_and_a4_pages(page, content, rendered):
    reader, text = rendered[page]
    assert len(reader.pages) >= 1
    for sheet in reader.pages:
        assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (
            595,
            842,
        )
    title = brief_title(content.name, page=page)
    assert words(title) in text
    assert reader.metadata.title == title
    if page == "synthese":
        assert title.startswith("Dossier des élus — ")
    else:
        assert title == f"Dossier — {PAGE_TITLES[page][0]} — {content.name}"
    assert f"Période : {period_label(content.period)}" in text
    assert f"Comparée à : {period_label(content.synthesis.previous_period)}" in text
    assert "Filtres : Quartiers : tous ; Catégories de demandes : toutes" in text
    assert "Réseaux sociaux : tous" in text
    assert "Édité le" in text and "Données de démonstration" in text
    assert f"Page 1 sur {len(reader.pages)}" in text


@pytest.mark.parametrize("page", sorted(PAGE_PARTS))
def test_a_page_brief_has_no_heading_of_the_other_parts(page, rendered):
    _, text = rendered[page]
    parts = PAGE_PARTS[page]
    for part, headings in PART_HEADINGS.items():
        if part in parts or (part == "publications" and "synthese" in parts):
            continue
        for heading in headings:
            assert heading not in text, (page, part, heading)


@pytest.mark.parametrize("page", sorted(PAGE_PARTS))
def test_a_page_brief_defines_only_the_figures_it_prints(page, rendered):
    _, text = rendered[page]
    printed = brief_definitions(PAGE_PARTS[page])
    assert "Définitions" in text and _definition("periode") in text
    for key in BRIEF_DEFINITIONS:
        assert (_definition(key) in text) == (key in printed), (page, key)


def test_the_requests_brief_has_its_figures_chart_and_tables(content, rendered):
    reader, text = rendered["demandes"]
    for row in _figure_rows(content, "requests"):
        assert row in text
    assert "Demandes et réclamations" in text and "Par catégorie" in text
    first = content.sections["requests"]["breakdowns"]["category"]["groups"][0]["group"]
    assert first in text
    assert "Trait plein et ronds : demandes reçues" in text
    assert sum(len(sheet.images) for sheet in reader.pages) == 1  # the weekly flows


def test_the_responses_brief_has_its_figures_and_channels(content, rendered):
    _, text = rendered["reponses"]
    for row in _figure_rows(content, "responses"):
        assert row in text
    assert "Par canal" in text
    for row in content.sections["responses"]["by_channel"]:
        assert row["channel"] in text


def test_the_publications_brief_has_its_figures_with_their_comparison(content, rendered):
    reader, text = rendered["publications"]
    assert "Publications Indicateur" in words(text)  # the part's heading, then its table
    for row in _figure_rows(content, "publications"):
        assert row in text
    assert sum(len(sheet.images) for sheet in reader.pages) == 1  # engagement over time


def test_the_quartiers_brief_has_the_map_and_the_table(content, rendered):
    reader, text = rendered["quartiers"]
    view = content.quartiers
    figure = "received_per_1000" if view.has_populations else "received"
    assert words(map_description(view, figure)) in text
    for row in view.rows:
        assert row["group"] in text
    assert sum(len(sheet.images) for sheet in reader.pages) == 1  # the map


def test_the_services_publics_brief_has_its_table(content, rendered):
    _, text = rendered["services_publics"]
    assert "Indicateurs Services Publics+" in text
    assert "Accusé de réception dans les délais (demandes écrites)" in text
    assert "Repère Marianne : courriers traités en 15 jours" in text
    assert "pas de données d'enquête" in text


def test_the_habitants_brief_is_its_own_part(content, rendered):
    reader, text = rendered["habitants"]
    assert "Dossier — Ce que disent les habitants —" in text
    assert "L'essentiel" not in text and "Chiffres clés" not in text
    for heading in PART_HEADINGS["habitants"]:
        assert heading in text
    assert sum(len(sheet.images) for sheet in reader.pages) == 0  # tables only


def test_the_synthese_brief_is_the_full_brief(content, rendered):
    reader, text = rendered["synthese"]
    _, full = pdf_text(render_brief(content))
    # Same text but the « Édité le » date, which cannot differ within a test.
    assert text == full
    for heading in (
        "L'essentiel",
        "Chiffres clés",
        "Demandes et réclamations",
        "Quartiers",
        "Réponses aux habitants",
        "Indicateurs Services Publics+",
        *PART_HEADINGS["publications"][1:],
        *PART_HEADINGS["habitants"],
        "Définitions",
    ):
        assert heading in text
    # The two parts added last come after the Services Publics+ table, in this order.
    order = [
        text.index(heading)
        for heading in (
            "Indicateurs Services Publics+",
            "Engagement par réseau social",
            "Thèmes les plus abordés",
            "Définitions Extraits",
        )
    ]
    assert order == sorted(order)
    for key in BRIEF_DEFINITIONS:
        assert _definition(key) in text
    assert sum(len(sheet.images) for sheet in reader.pages) >= 2


def test_the_full_brief_defines_what_it_always_has():
    assert brief_definitions(BRIEF_PARTS) == BRIEF_DEFINITIONS
    assert set(PART_DEFINITIONS) == set(BRIEF_PARTS)
    for keys in PART_DEFINITIONS.values():
        assert set(keys) <= set(BRIEF_DEFINITIONS) <= documented_keys()
    assert brief_definitions(("publications",)) == (
        "periode",
        "publications",
        "interactions",
        "engagement_rate_reach",
        "engagement_rate_impressions",
        "engagement_breakdown",
        "content_classes",
        "class_comparison",
        "top_posts",
    )
    assert brief_definitions(("habitants",)) == (
        "periode",
        "messages_received",
        "requests_received",
        "content_classes",
        "class_comparison",
        "theme_coverage",
        "voice_classes",
        "sentiment_over_time",
        "rising_negative_themes",
        "proposals",
        "most_negative",
    )


def test_parts_are_chosen_by_page_or_by_name_and_checked_in_french():
    assert brief_parts() == BRIEF_PARTS
    assert brief_parts(page="synthese") == BRIEF_PARTS
    assert brief_parts(page="demandes") == ("requests",)
    assert brief_parts(page="habitants") == ("habitants",)
    assert brief_parts(("habitants", "synthese", "publications")) == (
        "synthese",
        "publications",
        "habitants",
    )
    assert brief_parts(("services_publics", "synthese")) == ("synthese", "services_publics")
    with pytest.raises(ValueError, match="Page inconnue : « accueil »"):
        brief_parts(page="accueil")
    with pytest.raises(ValueError, match="Partie du dossier inconnue : carte"):
        brief_parts(("carte",))
    with pytest.raises(ValueError, match="Aucune partie"):
        brief_parts(())
    assert brief_title("Ville", parts=("requests", "quartiers")) == (
        "Dossier — Demandes et réclamations, Quartiers — Ville"
    )
    assert brief_title("Ville", "en", page="reponses") == "Brief — Answers to residents — Ville"


def test_page_titles_are_the_pages_own_titles():
    from ui.i18n import _STRINGS as STRINGS

    for page, (french, english) in PAGE_TITLES.items():
        assert STRINGS[f"page_{page}"] == {"fr": french, "en": english}


def test_every_page_offering_a_brief_has_its_parts():
    from pathlib import Path

    pages = Path(__file__).resolve().parents[2] / "pages"
    offered = set()
    for source in pages.glob("*.py"):
        code = source.read_text(encoding="utf-8")
        if "data_downloads(" in code or "brief_download_button(" in code:
            offered |= set(re.findall(r'page="([a-z_]+)"', code))
    assert offered and offered <= set(PAGE_PARTS)


def test_a_page_brief_with_filters_and_in_english(shared_demo_db, content):
    selection = Selection(districts=("Centre-Ville",), channels=("ONLINE",))
    _, text = pdf_text(brief_pdf(shared_demo_db, content.period, selection, page="quartiers"))
    assert "Quartiers : Centre-Ville" in text and "Canaux des demandes : ONLINE" in text
    assert "Dossier — Quartiers —" in text
    _, english = pdf_text(brief_pdf(shared_demo_db, content.period, lang="en", page="demandes"))
    assert "Brief — Requests and complaints —" in english
    assert "Key points" not in english and "By category" in english
    assert "Period: " in english and "Page 1 of" in english


def test_a_page_brief_of_an_empty_database(empty_db):
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    for page in PAGE_PARTS:
        _, text = pdf_text(brief_pdf(empty_db, period, page=page))
        assert "Période : octobre 2026" in text and "Définitions" in text
    _, text = pdf_text(brief_pdf(empty_db, period, page="reponses"))
    # Without messages the part still shows its (empty) figures under its heading.
    assert "Réponses aux habitants Indicateur" in text


def test_the_download_button_builds_the_page_brief_and_audits_it(empty_db, monkeypatch):
    import streamlit as st

    import ui.auth
    import ui.components
    from services.auth import Viewer
    from ui.exports import brief_download_button

    buttons = []
    monkeypatch.setattr(
        st, "download_button", lambda label, data, **kw: buttons.append((label, data, kw))
    )
    monkeypatch.setattr(ui.components, "engine", lambda: empty_db)
    monkeypatch.setattr(ui.auth, "current_viewer", lambda: Viewer("agent.dupont", "agent"))
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    brief_download_button(period, Selection(), key="b", page="demandes")
    label, build, kw = buttons[0]
    assert kw["file_name"] == "dossier_demandes_2026-10-01_2026-10-31.pdf"
    _, text = pdf_text(build())
    assert "Dossier — Demandes et réclamations —" in text and "L'essentiel" not in text
    kw["on_click"](*kw["args"], **kw["kwargs"])
    log = accounts.audit_frame(empty_db)
    detail = " ".join(log.loc[log["action"] == "export", "detail"])
    assert '"what": "brief_pdf"' in detail and '"page": "demandes"' in detail
    assert '"file": "dossier_demandes_2026-10-01_2026-10-31.pdf"' in detail


def october_brief(output, *extra: str) -> int:
    """``cli.py brief`` for October 2026 into ``output``, with ``extra`` options."""
    return cli.main(
        ["brief", "--start", "2026-10-01", "--end", "2026-10-31", "--output", str(output), *extra]
    )


def test_cli_brief_of_a_page(demo_db, tmp_path, capsys):
    output = tmp_path / "dossier_services_publics.pdf"
    code = october_brief(output, "--page", "services_publics", "--user", "test")
    assert code == 0
    assert f"Dossier écrit : {output}" in capsys.readouterr().out
    _, text = pdf_text(output.read_bytes())
    assert "Dossier — Indicateurs Services Publics+ —" in text
    assert "Période : octobre 2026" in text
    assert "L'essentiel" not in text and "Demandes et réclamations" not in text
    log = accounts.audit_frame(demo_db)
    assert '"page": "services_publics"' in " ".join(log["detail"])


def test_cli_brief_without_page_is_the_full_brief(demo_db, tmp_path, capsys):
    output = tmp_path / "dossier.pdf"
    code = october_brief(output)
    assert code == 0
    _, text = pdf_text(output.read_bytes())
    assert "Dossier des élus —" in text
    for heading in ("L'essentiel", "Demandes et réclamations", "Indicateurs Services Publics+"):
        assert heading in text


def test_cli_refuses_an_unknown_page_in_french(demo_db, tmp_path, capsys):
    output = tmp_path / "dossier.pdf"
    code = october_brief(output, "--page", "accueil")
    assert code == 2
    error = capsys.readouterr().err
    assert "Erreur : page inconnue : « accueil »" in error
    for page in PAGE_PARTS:
        assert page in error
    assert not output.exists()


def test_cli_help_names_every_page(capsys):
    with pytest.raises(SystemExit):
        cli.main(["brief", "--help"])
    help_text = words(capsys.readouterr().out)
    assert "--page NOM" in help_text
    for page in PAGE_PARTS:
        assert page in help_text
