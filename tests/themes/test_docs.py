"""The figures of themes, content audit and residents' voice are documented in docs/metrics.md."""

from __future__ import annotations

import pytest

from metrics.definitions import METHOD_FIELDS, method_fields, method_text

KEYS = (
    "theme_coverage",
    "content_classes",
    "class_comparison",
    "voice_classes",
    "proposals",
    "sentiment_over_time",
    "most_negative",
    "rising_negative_themes",
)


@pytest.mark.parametrize("key", KEYS)
def test_section_has_the_five_fields(key):
    fields = method_fields(key)
    assert tuple(fields) == METHOD_FIELDS
    assert all(text.strip(" .…") for text in fields.values())


def test_decisions_are_written_down():
    assert "pas d'un avis" in method_text("theme_coverage")
    assert "modifiable" in method_text("content_classes")
    assert "dialogue et participation, puis service pratique, puis institutionnel" in method_text(
        "content_classes"
    )
    assert "moins de 5 publications" in method_text("class_comparison")
    assert "2,3 fois plus" in method_text("class_comparison")
    assert "≥ 0,5" in method_text("proposals")
    assert "non évalués" in method_text("sentiment_over_time")
    assert "au moins 10 messages" in method_text("rising_negative_themes")
