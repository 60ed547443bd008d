"""Tests of metrics.definitions and docs/metrics.md: one complete section per figure."""

import pytest

from metrics.definitions import (
    METHOD_FIELDS,
    documented_keys,
    method_fields,
    method_text,
    method_title,
)
from metrics.sections import LIBRARY_KEYS
from metrics.synthesis import FIGURE_KEYS

# What residents say: themes, content audit and the voice of residents (metrics/themes.py,
# content_audit.py, resident_voice.py).
VOICE_KEYS = (
    "theme_coverage",
    "content_classes",
    "class_comparison",
    "voice_classes",
    "proposals",
    "sentiment_over_time",
    "most_negative",
    "rising_negative_themes",
)
# The Synthèse figures, the period and change rules, and the figures of the full library.
SECTION_KEYS = (*FIGURE_KEYS, "periode", "evolution", *LIBRARY_KEYS, *VOICE_KEYS)


def test_every_figure_and_the_period_rules_are_documented_and_nothing_else():
    assert documented_keys() == set(SECTION_KEYS)
    assert len(SECTION_KEYS) == len(set(SECTION_KEYS))


@pytest.mark.parametrize("key", SECTION_KEYS)
def test_section_has_all_five_fields_in_order_and_non_empty(key):
    fields = method_fields(key)
    assert tuple(fields) == METHOD_FIELDS
    for label, text in fields.items():
        assert text.strip(" .…"), f"{key}: champ « {label} » vide"


@pytest.mark.parametrize("key", SECTION_KEYS)
def test_section_has_a_title_and_a_body_without_heading(key):
    assert method_title(key)
    body = method_text(key)
    assert body.startswith("**Formule** :")
    assert "## " not in body


def test_titles():
    assert method_title("publications") == "Publications"
    assert method_title("periode") == "Période"
    assert method_title("evolution") == "Évolution"
    assert method_title("engagement_rate_reach") == "Taux d'engagement (portée)"


def test_decisions_the_ui_relies_on_are_written_down():
    assert "Europe/Paris" in method_text("periode")
    assert "points de pourcentage" in method_text("evolution")
    assert "clôturée exactement à cet instant" in method_text("open_backlog")
    assert "jamais comptée comme un délai nul" in method_text("median_first_response_hours")


def test_unknown_key_raises_key_error():
    for lookup in (method_text, method_title, method_fields):
        with pytest.raises(KeyError):
            lookup("followers")


def test_decisions_of_the_full_library_are_written_down():
    assert "n'ont pas à « tomber juste »" in method_text("requests_per_period")
    assert "Freshdesk" in method_text("requests_per_period")
    assert "24 heures de silence des deux côtés" in method_text("response_rate")
    assert "Vendredi saint et 26 décembre" in method_text("temps_ouvre")
    assert "l'ouverture suivante" in method_text("temps_ouvre")
    assert "délai médian ordinaire" in method_text("km_median_resolution_hours")
    assert "en attente" in method_text("delais_cibles")
    assert "toujours « non disponible »" in method_text("reopen_rate")
    assert "masqué" in method_text("petits_groupes")
    assert "électronique" in method_text("canaux")


def test_library_titles():
    assert method_title("km_median_resolution_hours") == (
        "Délai médian de clôture estimé (Kaplan–Meier)"
    )
    assert method_title("temps_ouvre") == "Heures ouvrées"
