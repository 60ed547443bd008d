"""Tests of metrics.definitions and docs/metrics.md: one complete section per figure."""

import pytest

from metrics.definitions import (
    METHOD_FIELDS,
    documented_keys,
    method_fields,
    method_text,
    method_title,
)
from metrics.synthesis import FIGURE_KEYS

SECTION_KEYS = (*FIGURE_KEYS, "periode", "evolution")


def test_every_figure_and_the_period_rules_are_documented_and_nothing_else():
    assert documented_keys() == set(SECTION_KEYS)


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
