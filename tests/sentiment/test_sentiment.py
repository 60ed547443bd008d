"""Tests of metrics.sentiment on hand-written residents' comments in French, English and others."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import metrics.sentiment as sentiment_module
from metrics.sentiment import (
    LEXICONS,
    NEGATIVE,
    NEUTRAL,
    NOT_EVALUATED,
    POSITIVE,
    Sentiment,
    lexicon_hit,
    sentiment_json_lines,
    sentiment_label,
    sentiment_of,
    sentiments,
)

REPO = Path(__file__).resolve().parents[2]


def label(text: str | None) -> str:
    return sentiment_of(text).label


def compound(text: str) -> float:
    value = sentiment_of(text).compound
    assert value is not None, text
    return value


def contribution(text: str, word: str) -> float:
    """Contribution of ``word`` (as written) to the score of ``text``."""
    found = [value for token, value in sentiment_of(text).words if token == word]
    assert found, (word, sentiment_of(text).words)
    return found[0]


class TestKnownWeaknessesOfVaderSentimentFr:
    def test_plus_as_a_comparison_is_not_a_negation(self):
        assert label("C'est plus propre qu'avant") == POSITIVE

    def test_ne_plus_is_a_negation(self):
        assert label("Ce n'est plus propre") == NEGATIVE

    @pytest.mark.parametrize(
        "text",
        ["Aucun problème", "Il n'y a aucun problème", "Pas de problème", "Sans problème, merci"],
    )
    def test_no_problem_is_not_negative(self, text):
        assert compound(text) > 0

    def test_je_n_aime_pas_is_negative_and_j_aime_positive(self):
        assert label("Je n'aime pas") == NEGATIVE
        assert label("J'aime") == POSITIVE
        assert label("Je ne l'aime pas") == NEGATIVE
        assert label("J'aime pas") == NEGATIVE  # spoken French drops « ne »

    def test_angry_face_is_negative_and_thumbs_up_positive(self):
        assert label("😡") == NEGATIVE
        assert label("👍") == POSITIVE
        assert label("La rue est encore sale 😡") == NEGATIVE
        assert label("Merci 👍") == POSITIVE

    @pytest.mark.parametrize("text", [None, "", "   ", "\n\t", float("nan")])
    def test_empty_values_are_not_evaluated(self, text):
        result = sentiment_of(text)
        assert result == Sentiment("und", None, NOT_EVALUATED, ())

    def test_no_fuzzy_matching(self):
        # vaderSentiment-fr's fuzzy mode would read « géniall » as « génial »: slow and unsafe.
        result = sentiment_of("Cette série est géniall")
        assert result.words == ()
        assert not lexicon_hit("Cette série est géniall")


class TestNegation:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Ce n'est pas propre", NEGATIVE),
            ("C'est pas propre", NEGATIVE),
            ("Ce n'est pas du tout propre", NEGATIVE),
            ("Ce n'est jamais propre", NEGATIVE),
            ("Je ne suis jamais déçu", POSITIVE),
            ("Il n'y a aucun agent aimable", NEGATIVE),
            ("Rien n'est propre", NEGATIVE),
            ("Personne n'est aimable", NEGATIVE),
            ("Une personne aimable m'a répondu", POSITIVE),
            ("Personne ne répond", NEGATIVE),
            ("Rien ne va", NEGATIVE),
            ("Ni propre ni entretenu", NEGATIVE),
            ("Le quartier n'est plus sale", POSITIVE),
            ("Ce n'est pas mal", POSITIVE),
            ("Pas terrible", NEGATIVE),
            ("Peu efficace", NEGATIVE),
            ("Au moins c'est propre", POSITIVE),
            ("Toujours pas de réponse", NEGATIVE),
            ("Le trottoir n'a toujours pas été réparé", NEGATIVE),
            ("Les encombrants n'ont pas été ramassés", NEGATIVE),
        ],
    )
    def test_negation_forms(self, text, expected):
        assert label(text) == expected

    def test_ne_que_is_a_restriction_not_a_negation(self):
        assert contribution("Ce n'est que du bruit", "bruit") < 0

    def test_a_negation_reaches_only_its_first_sentiment_word(self):
        # « pas » negated « aime »; it must not also turn « déchets » into praise.
        assert contribution("Je n'aime pas les déchets", "aime") < 0
        assert contribution("Je n'aime pas les déchets", "déchets") < 0

    def test_a_negation_stops_at_mais(self):
        assert contribution("Je n'en sais rien mais j'aime", "aime") > 0


class TestIntensifiersAndContrast:
    def test_intensifiers_and_dampeners(self):
        assert compound("Très déçu") < compound("Déçu") < compound("Un peu déçu") < 0
        assert compound("Très propre") > compound("Propre") > compound("Assez propre") > 0
        assert compound("Vraiment extrêmement sale") < compound("Sale")

    def test_super_intensifies_or_praises(self):
        assert compound("Super propre") > compound("Propre")
        assert label("Super") == POSITIVE
        assert label("Les agents sont super sympas") == POSITIVE

    def test_the_clause_after_mais_weighs_more(self):
        assert label("Le service est bien mais trop lent") == NEGATIVE
        assert label("Le service est lent mais efficace") == POSITIVE

    def test_exclamation_marks_amplify(self):
        assert compound("Merci !!!") > compound("Merci") > 0
        assert compound("C'est honteux !!") < compound("C'est honteux") < 0


class TestAccentsAndCasing:
    @pytest.mark.parametrize("variant", ["deçu", "decu", "DÉÇU", "Déçu"])
    def test_matching_ignores_accents_and_case(self, variant):
        assert compound(variant) == compound("déçu")

    def test_accents_inside_a_sentence(self):
        assert compound("Tres decu par la mairie") == compound("Très déçu par la mairie")

    def test_capitals_emphasise_a_word(self):
        assert compound("C'est INADMISSIBLE") < compound("C'est inadmissible")
        assert compound("C'est VRAIMENT sale") < compound("C'est vraiment sale")

    def test_a_text_all_in_capitals_is_not_emphasised(self):
        assert compound("C'EST INADMISSIBLE") == compound("c'est inadmissible")


class TestEmojisAndEmoticons:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (":)", POSITIVE),
            (":-)", POSITIVE),
            (":)))", POSITIVE),
            (":D", POSITIVE),
            ("<3", POSITIVE),
            (":(", NEGATIVE),
            (":'(", NEGATIVE),
            ("Merci :)", POSITIVE),
            ("Encore en panne :(", NEGATIVE),
            ("😠", NEGATIVE),
            ("🙏", POSITIVE),
            ("❤️", POSITIVE),
            ("👍🏽", POSITIVE),
            ("Merci 🙏", POSITIVE),
        ],
    )
    def test_symbols(self, text, expected):
        assert label(text) == expected

    def test_symbols_alone_have_no_language_but_are_scored(self):
        result = sentiment_of("👍👍")
        assert result.language == "und"
        assert result.label == POSITIVE

    def test_a_url_holds_no_emoticon(self):
        assert all(word != ":/" for word, _ in sentiment_of("Voir http://mairie.fr/x").words)


class TestMunicipalVocabulary:
    @pytest.mark.parametrize(
        "text",
        [
            "Un nid-de-poule dangereux rue Jean Jaurès",
            "Nids de poule partout",
            "Dépôt sauvage devant l'école",
            "Logement insalubre",
            "Délai beaucoup trop long",
            "Troisième relance sans réponse",
            "C'est inadmissible",
            "C'est honteux",
            "Les poubelles débordent depuis une semaine",
        ],
    )
    def test_complaints_are_negative(self, text):
        assert label(text) == NEGATIVE

    @pytest.mark.parametrize(
        "text",
        [
            "Merci pour votre réactivité",
            "Bravo aux agents",
            "Service très réactif",
            "Intervention rapide et efficace, merci",
            "Rien à redire, parfait",
        ],
    )
    def test_praise_is_positive(self, text):
        assert label(text) == POSITIVE


class TestLanguages:
    def test_english_uses_vader(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = SentimentIntensityAnalyzer()
        for text in [
            "The service was great, thanks!",
            "This is terrible",
            "The road is not clean but the staff were VERY helpful!!",
        ]:
            result = sentiment_of(text)
            assert result.language == "en"
            assert result.compound == analyzer.polarity_scores(text)["compound"]

    def test_english_emojis(self):
        assert label("This is terrible 😡") == NEGATIVE

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("Das ist wirklich schlecht, ich bin enttäuscht", "de"),
            ("Sehr gut", "de"),
            ("El servicio es muy malo", "es"),
            ("Il servizio è pessimo", "it"),
        ],
    )
    def test_other_languages_are_not_evaluated(self, text, language):
        result = sentiment_of(text)
        assert result == Sentiment(language, None, NOT_EVALUATED, ())

    @pytest.mark.parametrize("text", ["super", "merci", "nul", "Bravo !", "bof", "top"])
    def test_short_french_texts_are_french(self, text):
        assert sentiment_of(text).language == "fr"

    def test_words_without_letters_are_not_evaluated(self):
        assert sentiment_of("123 ... !!").label == NOT_EVALUATED


class TestExplanation:
    def test_words_explain_a_negative_comment(self):
        result = sentiment_of("Toujours pas de réponse, c'est inadmissible !")
        assert result.label == NEGATIVE
        words = dict(result.words)
        assert words["inadmissible"] < 0
        assert words["Toujours pas"] < 0
        assert all(value < 0 for value in words.values())

    def test_negated_word_shows_its_flipped_contribution(self):
        assert sentiment_of("Ce n'est pas propre").words == (("propre", -1.258),)

    def test_compound_is_the_normalised_sum_of_the_contributions(self):
        for text in ["Très déçu, mais merci quand même", "C'est honteux !!", "J'aime pas"]:
            result = sentiment_of(text)
            total = sum(value for _, value in result.words)
            assert result.compound == pytest.approx(total / math.sqrt(total * total + 15), abs=1e-3)

    def test_lexicon_hit(self):
        assert lexicon_hit("Merci")
        assert not lexicon_hit("Le camion passe le mardi")
        assert not lexicon_hit(None)


class TestLabels:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (0.05, POSITIVE),
            (-0.05, NEGATIVE),
            (0.0499, NEUTRAL),
            (-0.0499, NEUTRAL),
            (0.0, NEUTRAL),
            (1.0, POSITIVE),
            (-1.0, NEGATIVE),
            (None, NOT_EVALUATED),
            (float("nan"), NOT_EVALUATED),
        ],
    )
    def test_thresholds(self, value, expected):
        assert sentiment_label(value) == expected

    def test_a_text_without_sentiment_word_is_neutral(self):
        assert sentiment_of("Le camion passe le mardi matin") == Sentiment("fr", 0.0, NEUTRAL, ())


MIXED = [
    "Merci pour votre réactivité",
    None,
    "Toujours pas de réponse !",
    "",
    "Merci pour votre réactivité",
    "The service was great",
    "Das ist wirklich schlecht",
    float("nan"),
    "😡",
    "Toujours pas de réponse !",
]


class TestFrame:
    def test_same_result_as_one_by_one(self):
        texts = pd.Series(MIXED, index=[f"r{i}" for i in range(len(MIXED))], dtype=object)
        frame = sentiments(texts)
        assert list(frame.columns) == ["language", "compound", "label", "words"]
        assert frame.index.equals(texts.index)
        assert frame["compound"].dtype == "float64"
        for key, text in texts.items():
            expected = sentiment_of(text)
            row = frame.loc[key]
            assert row["language"] == expected.language
            assert row["label"] == expected.label
            assert row["words"] == expected.words
            if expected.compound is None:
                assert math.isnan(row["compound"])
            else:
                assert row["compound"] == expected.compound

    def test_each_distinct_text_is_scored_once(self, monkeypatch):
        calls: list[object] = []
        original = sentiment_module.sentiment_of

        def counting(text):
            calls.append(text)
            return original(text)

        monkeypatch.setattr(sentiment_module, "sentiment_of", counting)
        sentiments(pd.Series(MIXED, dtype=object))
        assert sorted(calls) == sorted({text for text in MIXED if isinstance(text, str)})

    def test_empty_series(self):
        frame = sentiments(pd.Series([], dtype=object))
        assert frame.empty
        assert list(frame.columns) == ["language", "compound", "label", "words"]

    def test_string_dtype_series(self):
        frame = sentiments(pd.Series(["Merci", None, "Nul"], dtype="str"))
        assert list(frame["label"]) == [POSITIVE, NOT_EVALUATED, NEGATIVE]

    def test_hundred_thousand_rows_are_fast(self):
        import time

        texts = pd.Series([f"Rue {i % 500} : toujours pas réparé, merci" for i in range(100_000)])
        start = time.perf_counter()
        frame = sentiments(texts)
        assert time.perf_counter() - start < 10
        assert len(frame) == 100_000
        assert (frame["label"] == NEGATIVE).all()


class TestJsonLines:
    def test_one_object_per_line(self):
        lines = ["Merci beaucoup !\n", "C'est honteux\r\n", "\n", "Sehr gut\n"]
        objects = [json.loads(line) for line in sentiment_json_lines(lines)]
        assert [set(obj) for obj in objects] == [{"language", "compound", "label", "words"}] * 4
        assert objects[0]["label"] == POSITIVE and objects[0]["words"] == ["Merci", "!"]
        assert objects[1] == {
            "language": "fr",
            "compound": sentiment_of("C'est honteux").compound,
            "label": NEGATIVE,
            "words": ["honteux"],
        }
        assert objects[2] == {
            "language": "und",
            "compound": None,
            "label": NOT_EVALUATED,
            "words": [],
        }
        assert objects[3]["language"] == "de" and objects[3]["compound"] is None

    def test_lazy(self):
        def endless():
            while True:
                yield "Merci"

        stream = sentiment_json_lines(endless())
        assert json.loads(next(stream))["label"] == POSITIVE

    def test_keeps_accents_readable(self):
        line = next(sentiment_json_lines(["Très déçu"]))
        assert "déçu" in line and "non évalué" not in line


class TestPackaging:
    def test_copied_lexicons_are_unchanged_and_attributed(self):
        attribution = (LEXICONS / "ATTRIBUTION.md").read_text(encoding="utf-8")
        assert "MIT" in attribution and "C.J. Hutto" in attribution
        for name in ("fr_lexicon.txt", "emojis_fr.txt"):
            digest = hashlib.sha256((LEXICONS / name).read_bytes()).hexdigest()
            assert digest in attribution, name

    def test_offline_and_no_gpl_package(self):
        # Any network use (a model download) fails here; GPL packages must never be loaded.
        code = (
            "import socket, sys\n"
            "def refuse(*a, **k): raise OSError('network used')\n"
            "socket.socket.connect = refuse\n"
            "socket.create_connection = refuse\n"
            "from metrics.sentiment import sentiment_of\n"
            "for text in ['Très déçu', 'Great job', 'Das ist schlecht', 'Hola que tal amigos']:\n"
            "    sentiment_of(text)\n"
            "banned = {'fuzzywuzzy', 'unidecode', 'vaderSentiment_fr', 'streamlit', 'sqlalchemy'}\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in banned))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "[]"


def test_the_town_is_not_vile():
    # "vil" derived "ville" as its feminine form: every Hôtel-de-Ville message scored negative.
    assert sentiment_of("La ville est belle").label == "positif"
    assert sentiment_of("Hôtel-de-Ville").label == "neutre"
    assert sentiment_of("C'est vil").label == "négatif"


def test_math_bold_captions_are_read():
    assert sentiment_of("𝐌𝐞𝐫𝐜𝐢 𝐛𝐞𝐚𝐮𝐜𝐨𝐮𝐩 !").label == "positif"


class TestLemmas:
    """Inflected forms the lexicon lacks take their lemma's valence (simplemma's dictionary)."""

    def test_a_conjugated_verb_is_read_through_its_lemma(self):
        assert "ennuient" not in sentiment_module._resources().valence
        result = sentiment_of("Ces réunions nous ennuient")
        assert result.label == "négatif"
        assert [word for word, _ in result.words] == ["ennuient"]
        assert sentiment_module.lemma_valence("ennuient") < 0

    def test_light_verbs_carry_no_sentiment_of_their_own(self):
        # The translated lexicon gives « faire » +1.5: « fait » must not inherit it.
        assert sentiment_module.lemma_valence("fait") == 0.0
        assert sentiment_module.lemma_valence("prennent") == 0.0
        assert sentiment_of("Ils font les travaux").label == "neutre"

    def test_words_set_on_purpose_are_not_overridden(self):
        # « ville » is 0 on purpose (read as « vile » otherwise): no lemma may bring it back.
        assert sentiment_module.lemma_valence("ville") == 0.0
        assert sentiment_module.lemma_valence("pas") == 0.0  # a rule word
        assert sentiment_module.lemma_valence("zzzzzz") == 0.0

    def test_negation_applies_to_a_lemma_word(self):
        assert sentiment_of("Les agents ne nous ennuient pas").label == "positif"


class TestRatings:
    @pytest.mark.parametrize(
        ("text", "label"),
        [
            ("Je mets 1 étoile à ce service", "négatif"),
            ("Ça vaut 0 etoiles", "négatif"),
            ("Une étoile pour l'accueil", "négatif"),
            ("Note : 2/5", "négatif"),
            ("Je mets 4 étoiles", "positif"),
            ("5 étoiles pour la médiathèque", "positif"),
            ("Je n'ai pas mis 4 étoiles", "négatif"),
            ("Il y a 12 étoiles sur le drapeau", "neutre"),
            ("Il a eu 1,5 étoile", "neutre"),
        ],
    )
    def test_a_rating_in_the_text_is_the_writers_verdict(self, text, label):
        assert sentiment_of(text).label == label

    def test_the_rating_is_shown_as_one_word(self):
        assert sentiment_of("ça vaut 4 étoiles").words == (("4 étoiles", 2.0),)


class TestPrivatives:
    @pytest.mark.parametrize(
        ("text", "label"),
        [
            ("Des aventures dénuées d'intérêt", "négatif"),
            ("Un manque de propreté dans la rue", "négatif"),
            ("Absence de problème depuis les travaux", "positif"),
        ],
    )
    def test_what_follows_a_word_of_lack_is_turned(self, text, label):
        assert sentiment_of(text).label == label
