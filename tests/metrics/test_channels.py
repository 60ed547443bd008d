"""Tests of metrics.channels: the one mapping from exported channel strings to kinds and families."""

import pandas as pd
import pytest

from metrics.channels import (
    channel_families,
    channel_family,
    channel_kind,
    channel_kinds,
    normalise_channel,
)


@pytest.mark.parametrize(
    ("channel", "kind", "family"),
    [
        ("facebook", "social", "electronic"),
        ("Instagram", "social", "electronic"),
        ("X", "social", "electronic"),
        ("Réseaux sociaux", "social", "electronic"),
        ("email", "email", "electronic"),
        ("E-mail", "email", "electronic"),
        ("Courriel", "email", "electronic"),
        ("ONLINE", "online", "electronic"),
        ("MOBILE", "online", "electronic"),
        ("Formulaire en ligne", "online", "electronic"),
        ("application", "online", "electronic"),
        ("courrier", "letter", "letter"),
        ("Courrier postal", "letter", "letter"),
        ("PHONE", "phone", "phone"),
        ("Téléphone", "phone", "phone"),
        ("Accueil", "counter", "counter"),
        ("guichet", "counter", "counter"),
        ("UNKNOWN", None, None),
        ("autre", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_channel_kind_and_family(channel, kind, family):
    assert channel_kind(channel) == kind
    assert channel_family(channel) == family


def test_normalisation_ignores_case_accents_and_separators():
    assert normalise_channel(" Télé-Service_ ") == "teleservice"
    assert normalise_channel(float("nan")) is None


def test_vectorised_versions_keep_the_index_and_give_none():
    channels = pd.Series(["courriel", None, "PHONE", "inconnu"], index=[5, 6, 7, 8], dtype="str")
    assert channel_kinds(channels).tolist() == ["email", None, "phone", None]
    families = channel_families(channels)
    assert families.index.tolist() == [5, 6, 7, 8]
    assert families.tolist() == ["electronic", None, "phone", None]
