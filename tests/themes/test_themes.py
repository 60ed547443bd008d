"""Tests of metrics.themes: folding, keyword matching, themes, primary theme, coverage, and the
validation of theme files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from metrics.themes import (
    THEMES_FILE,
    Taxonomy,
    fold,
    keyword_key,
    load_taxonomy,
    primary_theme,
    taxonomy_problems,
    theme_coverage,
    theme_hits,
    themes_of,
    word_keys,
)
from tests.themes.support import bold, series

SMALL = """
[[theme]]
nom = "voirie"
mots = ["nid-de-poule", "chaussée", "trottoir", "route"]

[[theme]]
nom = "éclairage"
mots = ["lampadaire", "éclairage public", "dans le noir"]

[[theme]]
nom = "déchets"
mots = ["poubelle", "ramassage", "encombrants", "eau"]

[[theme]]
nom = "écoles"
mots = ["école", "ramassage scolaire"]
"""


@pytest.fixture(scope="module")
def small() -> Taxonomy:
    return load_taxonomy(SMALL)


# --- folding ---------------------------------------------------------------------------------


def test_fold_lowers_removes_accents_and_splits_on_punctuation():
    assert fold("Nid-de-Poule À l'ÉCOLE !") == "nid de poule a l ecole"
    assert fold("Les vœux du Maire") == "les voeux du maire"
    assert fold("Straße") == "strasse"


def test_fold_reads_math_bold_and_fullwidth_letters():
    assert fold(bold("Travaux Rue Pasteur")) == "travaux rue pasteur"
    assert fold("ＴＲＡＶＡＵＸ") == "travaux"


def test_fold_splits_hashtags_on_capitals():
    assert fold("#ConseilMunicipal ce soir") == "conseil municipal ce soir"
    assert fold("#BudgetParticipatif2026") == "budget participatif2026"
    assert fold("#Travaux") == "travaux"


def test_regular_plural_is_removed_on_both_sides():
    assert word_keys("Lampadaires") == ("lampadaire",)
    assert word_keys("eaux") == ("eau",)
    assert word_keys("bus") == ("bus",)  # three letters: kept
    assert keyword_key("nids-de-poules") == keyword_key("nid de poule")


# --- themes_of -------------------------------------------------------------------------------


def test_accents_case_plurals_and_hyphen_variants(small):
    texts = series(
        "Encore un NID DE POULE rue Pasteur",
        "nids-de-poule partout",
        "Les lampadaires sont éteints",
        "ECLAIRAGE PUBLIC en panne",
        "les Trottoirs et la chaussee",
    )
    assert themes_of(texts, small).tolist() == [
        ("voirie",),
        ("voirie",),
        ("éclairage",),
        ("éclairage",),
        ("voirie",),
    ]


def test_math_bold_caption_is_matched(small):
    texts = series(bold("🚧 Le lampadaire de l'École Jules-Ferry"))
    assert themes_of(texts, small).tolist() == [("éclairage", "écoles")]


def test_whole_words_only(small):
    # « route » is not in « routière », « eau » is not in « beau » nor in « bureau ».
    assert themes_of(series("sécurité routière", "un beau bureau"), small).tolist() == [(), ()]


def test_longest_phrase_wins(small):
    # « ramassage scolaire » is the schools' phrase: « ramassage » alone is not also counted.
    hits = theme_hits(series("Le ramassage scolaire est assuré ?"), small)
    assert hits.loc[0].to_dict() == {"voirie": 0, "éclairage": 0, "déchets": 0, "écoles": 1}


def test_multi_label_ordered_by_hits_then_taxonomy_order(small):
    texts = series(
        "Poubelle renversée sur le trottoir, encombrants partout",  # déchets 2, voirie 1
        "La poubelle devant l'école",  # 1 each: taxonomy order
    )
    assert themes_of(texts, small).tolist() == [("déchets", "voirie"), ("déchets", "écoles")]


def test_missing_and_empty_texts_have_no_theme(small):
    texts = pd.Series(["", None, "   ", "route"], dtype="str")
    assert themes_of(texts, small).tolist() == [(), (), (), ("voirie",)]


def test_index_is_kept(small):
    texts = pd.Series(["route", "lampadaire"], index=[10, 3], dtype="str")
    assert themes_of(texts, small).index.tolist() == [10, 3]
    assert primary_theme(texts, small).index.tolist() == [10, 3]


def test_each_distinct_text_is_read_once(small, monkeypatch):
    calls = []
    original = Taxonomy.hits_of

    def counting(self, text):
        calls.append(text)
        return original(self, text)

    monkeypatch.setattr(Taxonomy, "hits_of", counting)
    themes_of(series(*(["route"] * 50 + ["école"] * 50 + [None] * 3)), small)
    assert sorted(calls) == ["route", "école"]


def test_theme_hits_counts_occurrences(small):
    hits = theme_hits(series("route, route et trottoir ; lampadaire"), small)
    assert hits.loc[0, "voirie"] == 3
    assert hits.loc[0, "éclairage"] == 1
    assert hits.dtypes.eq(np.int64).all()


# --- primary theme ---------------------------------------------------------------------------


def test_primary_theme_most_hits_then_taxonomy_order(small):
    texts = series(
        "lampadaire en panne dans le noir, trottoir glissant",  # éclairage 2, voirie 1
        "la poubelle sur le trottoir",  # 1 – 1: voirie is first in the file
        "rien à voir",
    )
    result = primary_theme(texts, small)
    assert result.iloc[0] == "éclairage"
    assert result.iloc[1] == "voirie"
    assert pd.isna(result.iloc[2])


def test_primary_theme_is_first_of_themes_of(small):
    texts = series("poubelle et trottoir", "école, école, route", "lampadaire")
    firsts = [names[0] for names in themes_of(texts, small)]
    assert primary_theme(texts, small).tolist() == firsts


# --- coverage --------------------------------------------------------------------------------


def test_theme_coverage_counts_non_empty_texts_only(small):
    texts = pd.Series(["route", "merci !", "", None, "lampadaire", "+1"], dtype="str")
    assert theme_coverage(texts, small) == pytest.approx(2 / 4)


def test_theme_coverage_without_text_is_none(small):
    assert theme_coverage(pd.Series([None, "  "], dtype="str"), small) is None
    assert theme_coverage(pd.Series([], dtype="str"), small) is None


# --- validation --------------------------------------------------------------------------------


def test_valid_file_has_no_problem():
    assert taxonomy_problems(SMALL) == []


def test_bad_toml_is_reported_in_french():
    problems = taxonomy_problems('[[theme]]\nnom = "voirie\nmots = []')
    assert len(problems) == 1
    assert problems[0].startswith("Fichier de thèmes illisible : TOML invalide")


def test_no_theme():
    assert taxonomy_problems("") == [
        "Aucun thème : ajoutez au moins un bloc [[theme]] avec « nom » et « mots »."
    ]


def test_empty_theme():
    problems = taxonomy_problems('[[theme]]\nnom = "bruit"\nmots = []\n')
    assert problems == ["Thème « bruit » : aucun mot-clé, le thème ne serait jamais reconnu."]


def test_missing_name_and_unknown_key():
    problems = taxonomy_problems('[[theme]]\nmots = ["a"]\n\n[[theme]]\nnom = "x"\nmot = ["b"]\n')
    assert "Thème n° 1 : « nom » manquant ou vide." in problems
    assert "Thème « x » : clé inconnue « mot » (attendu : nom, mots)." in problems


def test_duplicate_keyword_across_themes_even_written_differently():
    text = (
        '[[theme]]\nnom = "voirie"\nmots = ["Nid-de-poule"]\n\n'
        '[[theme]]\nnom = "travaux"\nmots = ["nids de poule"]\n'
    )
    assert taxonomy_problems(text) == [
        "Le mot-clé « nids de poule » est à la fois dans le thème « voirie » "
        "(écrit « Nid-de-poule ») et dans le thème « travaux » : gardez-le à un seul endroit."
    ]


def test_duplicate_inside_one_theme_is_harmless():
    assert taxonomy_problems('[[theme]]\nnom = "v"\nmots = ["route", "routes", "Route"]\n') == []


def test_keyword_without_letter_and_bad_types():
    problems = taxonomy_problems('[[theme]]\nnom = "v"\nmots = ["--", "route"]\n')
    assert problems == ["Thème « v » : le mot-clé « -- » n'a ni lettre ni chiffre."]
    problems = taxonomy_problems('[[theme]]\nnom = "v"\nmots = "route"\n')
    assert problems[0] == "Thème « v » : « mots » doit être une liste de textes entre guillemets."


def test_duplicate_theme_name():
    text = '[[theme]]\nnom = "v"\nmots = ["a"]\n\n[[theme]]\nnom = "v"\nmots = ["b"]\n'
    assert taxonomy_problems(text) == ["Thème « v » : ce nom est déjà celui d'un autre thème."]


def test_load_taxonomy_raises_with_the_problems():
    with pytest.raises(ValueError, match="aucun mot-clé"):
        load_taxonomy('[[theme]]\nnom = "bruit"\nmots = []\n')


# --- the default file ---------------------------------------------------------------------------


def test_default_file_loads_without_problem():
    text = THEMES_FILE.read_text(encoding="utf-8")
    assert taxonomy_problems(text) == []
    taxonomy = load_taxonomy()
    assert taxonomy == load_taxonomy(text)
    for name in (
        "voirie",
        "propreté",
        "éclairage",
        "stationnement",
        "transports",
        "espaces verts",
        "bruit",
        "sécurité",
        "écoles et petite enfance",
        "culture et événements",
        "sport",
        "état civil et démarches",
        "travaux",
        "eau et assainissement",
        "déchets et collecte",
        "social et solidarité",
        "urbanisme",
        "environnement",
        "santé",
        "commerce",
    ):
        assert name in taxonomy.names


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Toujours ce nid-de-poule énorme rue Pasteur", "voirie"),
        ("NID DE POULE devant chez moi", "voirie"),
        ("Encore un dépôt sauvage avenue de la Gare", "propreté"),
        ("Les lampadaires sont en panne depuis 3 semaines", "éclairage"),
        ("Stationnement gênant tous les matins", "stationnement"),
        ("Du bruit tous les soirs jusqu'à 2h", "bruit"),
        ("Les encombrants n'ont pas été ramassés", "déchets et collecte"),
        ("Coupure d'eau rue des Lilas", "eau et assainissement"),
        ("Inscriptions scolaires pour la rentrée", "écoles et petite enfance"),
        ("Carte d'identité : prenez rendez-vous", "état civil et démarches"),
        (bold("Fête de la musique : 12 scènes"), "culture et événements"),
        ("Des toilettes publiques au square Saint-Roch", "mobilier urbain"),
        ("Le ramassage scolaire est assuré ?", "écoles et petite enfance"),
        ("#ConseilMunicipal : vote du budget", "vie municipale"),
    ],
)
def test_default_taxonomy_primary_themes(text, theme):
    assert primary_theme(series(text), load_taxonomy()).iloc[0] == theme


def test_default_taxonomy_leaves_generic_messages_without_theme():
    texts = series("Merci pour l'info !", "+1", "C'est pour quand exactement ?", "👍")
    assert themes_of(texts, load_taxonomy()).tolist() == [(), (), (), ()]
    assert theme_coverage(texts, load_taxonomy()) == 0.0
    assert not math.isnan(theme_coverage(series("route"), load_taxonomy()))
