"""Tests of metrics.resident_voice: voice classes and their rules, coverage, residents' texts,
proposals grouping, sentiment over time, the most negative texts and rising negative themes."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from metrics.period import Period
from metrics.resident_voice import (
    ALL_VOICE_CLASSES,
    COMPLAINT,
    OTHER,
    PROPOSAL,
    QUESTION,
    THANKS,
    VOICE_FILE,
    load_voice_rules,
    most_negative,
    proposals,
    resident_texts,
    rising_negative_themes,
    sentiment_labels,
    sentiment_over_time,
    voice_classes,
    voice_counts,
    voice_coverage,
    voice_rules_problems,
)
from metrics.themes import NO_THEME, load_taxonomy
from tests.themes.support import bold, messages, requests, series

RULES = """
departage = ["proposition", "réclamation", "question", "remerciement"]

[minimum]
"question" = 2
"réclamation" = 2
"remerciement" = 2
"proposition" = 2

[[regle]]
classe = "question"
poids = 2
ponctuation = "?"

[[regle]]
classe = "question"
poids = 1
mots = ["comment", "pourquoi", "quand"]

[[regle]]
classe = "remerciement"
poids = 2
sentiment = ["positif"]
mots = ["merci", "bravo"]

[[regle]]
classe = "réclamation"
poids = 1
sentiment = ["négatif"]

[[regle]]
classe = "réclamation"
poids = 1
mots = ["depuis", "encore"]

[[regle]]
classe = "réclamation"
poids = 2
source = "demande"

[[regle]]
classe = "proposition"
poids = 3
mots = ["pourquoi ne pas", "il faudrait", "je propose"]
"""

TAXONOMY = """
[[theme]]
nom = "espaces verts"
mots = ["banc", "ombre", "square", "parc"]

[[theme]]
nom = "propreté"
mots = ["poubelle", "dépôt sauvage", "propreté"]

[[theme]]
nom = "voirie"
mots = ["trottoir", "nid-de-poule", "voirie"]
"""


@pytest.fixture(scope="module")
def rules():
    return load_voice_rules(RULES)


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(TAXONOMY)


def labels(*values):
    return pd.Series(list(values), dtype="str")


# --- classes with given sentiment labels --------------------------------------------------------


def test_question_by_punctuation_or_two_interrogative_words(rules):
    texts = series("Ouvert samedi ?", "Comment et quand faire", "Quand je rentre le soir")
    result = voice_classes(texts, rules, labels("neutre", "neutre", "neutre"))
    assert result.tolist() == [QUESTION, QUESTION, OTHER]  # one word alone: 1 < minimum 2


def test_thanks_needs_positive_sentiment(rules):
    texts = series("Merci !", "Merci, mais c'est nul", "BRAVO")
    result = voice_classes(texts, rules, labels("positif", "négatif", "neutre"))
    assert result.tolist() == [THANKS, OTHER, OTHER]


def test_complaint_needs_vocabulary_and_negative_sentiment(rules):
    texts = series("Encore en panne depuis lundi", "Encore en panne", "Encore", "C'est nul")
    result = voice_classes(texts, rules, labels("neutre", "négatif", "neutre", "négatif"))
    # 2 words; word + negative; 1 word; negative alone: 1 < minimum 2.
    assert result.tolist() == [COMPLAINT, COMPLAINT, OTHER, OTHER]


def test_a_request_is_a_complaint_unless_its_words_say_more(rules):
    texts = series("Nid-de-poule", "Il faudrait un banc", "Nid-de-poule")
    sources = pd.Series(["demande", "demande", "message"])
    result = voice_classes(texts, rules, labels("neutre", "neutre", "neutre"), sources)
    assert result.tolist() == [COMPLAINT, PROPOSAL, OTHER]
    # One source for all the texts.
    assert voice_classes(
        texts, rules, labels("neutre", "neutre", "neutre"), "demande"
    ).tolist() == [
        COMPLAINT,
        PROPOSAL,
        COMPLAINT,
    ]


def test_proposal_phrase_wins_over_its_question_words(rules):
    # « pourquoi ne pas » is one phrase: « pourquoi » is not also counted for the question.
    texts = series("Pourquoi ne pas planter des arbres ?")
    assert voice_classes(texts, rules, labels("neutre")).tolist() == [PROPOSAL]


def test_tie_break_complaint_before_question(rules):
    # question: « ? » 2 ; complaint: « depuis » 1 + negative 1 = 2: the complaint wins the tie.
    texts = series("Toujours en panne depuis lundi ?")
    assert voice_classes(texts, rules, labels("négatif")).tolist() == [COMPLAINT]
    assert voice_classes(texts, rules, labels("neutre")).tolist() == [QUESTION]


def test_missing_and_blank_texts_are_other(rules):
    texts = pd.Series([None, "  ", "?"], dtype="str")
    given = labels("non évalué", "non évalué", "non évalué")
    # A blank request is « autre »; « ? » in a request: question 2, complaint 2, complaint first.
    assert voice_classes(texts, rules, given, "demande").tolist() == [OTHER, OTHER, COMPLAINT]
    assert voice_classes(texts, rules, given, "message").tolist() == [OTHER, OTHER, QUESTION]


def test_rules_with_sentiment_need_labels(rules, monkeypatch):
    # Without labels, the sentiment is computed from the texts.
    result = voice_classes(series("Merci beaucoup, c'est parfait !", "Ouvert samedi ?"), rules)
    assert result.tolist() == [THANKS, QUESTION]
    with pytest.raises(ValueError, match="sentiment"):
        rules.classify(series("Merci"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour, à qui faut-il s'adresser pour ça ?", QUESTION),
        ("Il faut s'inscrire avant ou pas ?", QUESTION),
        ("Quand est-ce que la rue sera réparée", QUESTION),
        ("Pourquoi ne pas installer un composteur partagé au square ?", PROPOSAL),
        ("Il faudrait des bancs au parc.", PROPOSAL),
        ("Je propose une boîte à livres", PROPOSAL),
        ("Super idée, merci !", THANKS),
        ("Merci pour l'info !", THANKS),
        ("BRAVO aux équipes 👏", THANKS),
        ("Les lampadaires sont en panne depuis 3 semaines, c'est dangereux.", COMPLAINT),
        ("Toujours rien à ce jour…", COMPLAINT),
        ("C'est INADMISSIBLE", COMPLAINT),
        ("Merci, mais rien n'a changé", COMPLAINT),
        ("Les poubelles n'ont pas été ramassées depuis 2 semaines.", COMPLAINT),
        (
            "Les lampadaires sont en panne depuis un mois, quand est-ce que ça sera réparé ?",
            COMPLAINT,
        ),
        ("+1", OTHER),
        ("Tout à fait d'accord.", OTHER),
    ],
)
def test_default_rules(text, expected):
    assert voice_classes(series(text)).iloc[0] == expected


def test_math_bold_words_are_read():
    # The words match; the sentiment is given here (the analyzer does not read math-bold).
    texts = series(bold("Pourquoi ne pas ouvrir le parc ?"), bold("Merci beaucoup"))
    assert voice_classes(texts, None, labels("neutre", "positif")).tolist() == [PROPOSAL, THANKS]


# --- coverage and counts -----------------------------------------------------------------------


def test_voice_coverage(rules):
    texts = pd.Series(["Ouvert samedi ?", "+1", None, "", "Il faudrait un banc"], dtype="str")
    given = labels("neutre", "neutre", "non évalué", "non évalué", "neutre")
    assert voice_coverage(texts, rules, given) == pytest.approx(2 / 3)
    assert voice_coverage(pd.Series([None], dtype="str"), rules) is None


def test_voice_counts_in_fixed_order(rules):
    classes = voice_classes(series("?", "?", "+1"), rules, labels("neutre", "neutre", "neutre"))
    counts = voice_counts(classes)
    assert counts.index.tolist() == list(ALL_VOICE_CLASSES)
    assert counts.tolist() == [2, 0, 0, 0, 1]


def test_sentiment_labels():
    compound = pd.Series([0.5, 0.05, 0.0, -0.05, -0.7, np.nan])
    assert sentiment_labels(compound).tolist() == [
        "positif",
        "positif",
        "neutre",
        "négatif",
        "négatif",
        "non évalué",
    ]


# --- rules files ---------------------------------------------------------------------------------


def test_default_rules_file_loads_without_problem():
    assert voice_rules_problems(VOICE_FILE.read_text(encoding="utf-8")) == []
    assert load_voice_rules().labels == (PROPOSAL, COMPLAINT, QUESTION, THANKS)


def test_rules_problems_are_french():
    text = """
departage = ["proposition", "réclamation", "question", "remerciement", "insulte"]

[[regle]]
classe = "question"
poids = 1
ponctuation = "?"
mots = ["comment"]

[[regle]]
classe = "remerciement"
sentiment = ["content"]
mots = ["merci"]

[[regle]]
classe = "réclamation"
poids = "beaucoup"
"""
    assert voice_rules_problems(text) == [
        "« departage » : classe inconnue « insulte » "
        "(attendu : question, réclamation, remerciement, proposition).",
        "Règle n° 1 (question) : une règle porte des mots ou une ponctuation, pas les deux.",
        "Règle n° 2 (remerciement) : « sentiment » doit lister des valeurs parmi "
        "positif, neutre, négatif, non évalué.",
        "Règle n° 3 (réclamation) : « poids » doit être un nombre positif.",
        "Règle n° 3 (réclamation) : ni mots, ni ponctuation, ni condition : "
        "elle ne reconnaît rien.",
    ]


def test_load_voice_rules_raises():
    with pytest.raises(ValueError, match="Fichier de règles de la parole des habitants invalide"):
        load_voice_rules("[[regle]]\nclasse = 'x'")


# --- residents' texts ----------------------------------------------------------------------------


def test_resident_texts_keeps_residents_and_adds_requests():
    msgs = messages(
        dict(
            native_id="m1",
            sent_at="2026-03-02T10:00:00Z",
            text="Merci",
            author="hab-1",
            sentiment=0.4,
        ),
        dict(native_id="m2", sent_at="2026-03-02T11:00:00Z", text="Réponse", is_staff=True),
        dict(native_id="m3", sent_at="2026-03-02T12:00:00Z", text="Hein", is_staff=None),
    )
    reqs = requests(
        dict(
            native_id="r1",
            created_at="2026-03-03T09:00:00Z",
            description="Nid-de-poule",
            category="Voirie",
            sentiment=-0.2,
        )
    )
    frame = resident_texts(msgs, reqs)
    assert frame["native_id"].tolist() == ["m1", "m3", "r1"]
    assert frame["source"].tolist() == ["message", "message", "demande"]
    assert frame["compound"].tolist()[0] == 0.4 and np.isnan(frame["compound"].iloc[1])
    assert frame["category"].tolist()[2] == "Voirie"
    assert frame["at"].dtype == "datetime64[us, UTC]"
    assert resident_texts().empty


def test_resident_texts_computes_sentiment_without_the_stored_column():
    msgs = messages(dict(sent_at="2026-03-02T10:00:00Z", text="Merci beaucoup !"), enriched=False)
    assert resident_texts(msgs)["compound"].iloc[0] > 0.05


# --- proposals -----------------------------------------------------------------------------------

AT = "2026-03-0{}T10:00:00Z"


def proposal_messages():
    return messages(
        dict(
            native_id="1",
            sent_at=AT.format(1),
            author="hab-a",
            sentiment=0.0,
            text="Il faudrait des bancs et de l'ombre au square des Tilleuls",
        ),
        dict(
            native_id="2",
            sent_at=AT.format(2),
            author="hab-b",
            sentiment=0.0,
            text="Pourquoi ne pas mettre des bancs et de l'ombre au square des Tilleuls ?",
        ),
        dict(
            native_id="3",
            sent_at=AT.format(3),
            author="hab-a",
            sentiment=0.0,
            text="Il faudrait des bancs à l'ombre au square des Tilleuls svp",
        ),
        dict(
            native_id="4",
            sent_at=AT.format(4),
            author="hab-c",
            sentiment=0.0,
            text="Il faudrait plus de poubelles le long de la Loire",
        ),
        dict(
            native_id="5",
            sent_at=AT.format(5),
            author="hab-d",
            sentiment=0.0,
            text="Je propose une fête des voisins",
        ),
        dict(
            native_id="6",
            sent_at=AT.format(6),
            author="hab-e",
            sentiment=0.0,
            text="Les bancs du square des Tilleuls ?",
        ),  # a question: not a proposal
        dict(
            native_id="7",
            sent_at=AT.format(7),
            author="staff",
            sentiment=0.0,
            is_staff=True,
            text="Il faudrait des bancs et de l'ombre au square des Tilleuls",
        ),
    )


def test_proposals_grouped_by_theme_and_shared_words(rules, taxonomy):
    reqs = requests(
        dict(
            native_id="r1",
            created_at=AT.format(8),
            sentiment=0.0,
            description="Il faudrait des bancs et de l'ombre au square des Tilleuls",
        ),
        # No theme in the description: the category gives it.
        dict(
            native_id="r2",
            created_at=AT.format(9),
            sentiment=0.0,
            description="Il faudrait des corbeilles",
            category="Propreté",
        ),
    )
    table = proposals(proposal_messages(), reqs, taxonomy, rules)
    assert table["theme"].tolist() == ["espaces verts", "propreté", NO_THEME, "propreté"]
    benches = table.iloc[0]
    # hab-a twice, hab-b, and the request: 3 residents, 4 texts.
    assert (benches["residents"], benches["texts"]) == (3, 4)
    assert (benches["messages"], benches["requests"]) == (3, 1)
    assert benches["representative"] == "Il faudrait des bancs et de l'ombre au square des Tilleuls"
    assert benches["keywords"] == ("bancs", "ombre", "square", "tilleuls")
    assert benches["first_at"] == pd.Timestamp(AT.format(1))
    assert benches["last_at"] == pd.Timestamp(AT.format(8))
    # Same theme, no shared word: two groups; equal residents and texts: earliest first.
    assert table.iloc[1]["representative"] == "Il faudrait plus de poubelles le long de la Loire"
    assert table.iloc[1]["keywords"] == ("loire", "poubelles")
    assert table.iloc[2]["representative"] == "Je propose une fête des voisins"
    assert table.iloc[3]["representative"] == "Il faudrait des corbeilles"
    assert table["texts"].sum() == 7


def test_proposals_threshold(rules, taxonomy):
    extra = messages(
        dict(
            native_id="8",
            sent_at=AT.format(8),
            author="hab-f",
            sentiment=0.0,
            text="Il faudrait des bancs au square des Tilleuls",
        ),  # 3 words of 4 shared: 0.75
    )
    both = pd.concat([proposal_messages(), extra], ignore_index=True)
    # The first three texts have the very same significant words (Jaccard 1).
    strict = proposals(both, None, taxonomy, rules, threshold=0.99)
    assert strict.iloc[0][["residents", "texts"]].tolist() == [2, 3]
    assert 1 in strict["texts"].tolist()
    lenient = proposals(both, None, taxonomy, rules, threshold=0.75)
    assert lenient.iloc[0][["residents", "texts"]].tolist() == [3, 4]


def test_proposals_empty(rules, taxonomy):
    table = proposals(
        messages(dict(sent_at=AT.format(1), text="Merci", sentiment=0.5)), None, taxonomy, rules
    )
    assert table.empty
    assert table.columns.tolist()[:3] == ["theme", "residents", "texts"]


# --- sentiment over time ------------------------------------------------------------------------


def timed_messages():
    return messages(
        # Week of Monday 2 March 2026 (Paris time).
        dict(sent_at="2026-03-02T08:00:00Z", text="Trottoir défoncé", sentiment=-0.6),
        dict(sent_at="2026-03-08T21:30:00Z", text="Merci pour le square", sentiment=0.4),
        dict(sent_at="2026-03-04T10:00:00Z", text="👀", sentiment=None),
        dict(sent_at="2026-03-05T10:00:00Z", text="Poubelle pleine", sentiment=0.0, channel="x"),
        # Sunday 8 March 23:30 in Paris is Monday 9 March? No: 22:30 UTC is 23:30 in Paris.
        dict(sent_at="2026-03-08T22:30:00Z", text="Trottoir glissant", sentiment=-0.2),
        # Monday 9 March 00:30 in Paris.
        dict(sent_at="2026-03-08T23:30:00Z", text="Square fermé", sentiment=-0.1),
        dict(sent_at="2026-03-09T10:00:00Z", text="Réponse", sentiment=0.9, is_staff=True),
        dict(sent_at=None, text="Sans date", sentiment=-0.9),
    )


def test_sentiment_over_time_by_week_and_channel():
    table = sentiment_over_time(timed_messages(), "W", "channel")
    assert table.columns.tolist() == [
        "period",
        "channel",
        "n",
        "mean_compound",
        "negative_share",
        "not_evaluated",
    ]
    rows = {(str(r.period.date()), r.channel): r for r in table.itertuples()}
    first = rows[("2026-03-02", "facebook")]
    assert (first.n, first.not_evaluated) == (3, 1)
    assert first.mean_compound == pytest.approx((-0.6 + 0.4 - 0.2) / 3)
    assert first.negative_share == pytest.approx(2 / 3)
    assert rows[("2026-03-02", "x")].n == 1
    second = rows[("2026-03-09", "facebook")]
    assert (second.n, second.negative_share) == (1, 1.0)
    assert table["n"].sum() + table["not_evaluated"].sum() == 6


def test_sentiment_over_time_by_month_overall_and_only_not_evaluated():
    table = sentiment_over_time(timed_messages(), "MS", None)
    assert table.columns.tolist() == [
        "period",
        "n",
        "mean_compound",
        "negative_share",
        "not_evaluated",
    ]
    assert table["period"].tolist() == [pd.Timestamp("2026-03-01")]
    assert (table["n"].iloc[0], table["not_evaluated"].iloc[0]) == (5, 1)
    lone = sentiment_over_time(
        messages(dict(sent_at="2026-03-02T08:00:00Z", text="👀")), "MS", None
    )
    assert lone["n"].tolist() == [0] and np.isnan(lone["mean_compound"].iloc[0])


def test_sentiment_over_time_by_theme(taxonomy):
    table = sentiment_over_time(timed_messages(), "MS", "theme", taxonomy)
    rows = {r.theme: r for r in table.itertuples()}
    assert rows["voirie"].n == 2 and rows["voirie"].negative_share == 1.0
    assert rows["espaces verts"].n == 2  # « Merci pour le square », « Square fermé »
    assert rows["propreté"].n == 1
    assert rows[NO_THEME].not_evaluated == 1


def test_sentiment_over_time_refuses_unknown_options():
    with pytest.raises(ValueError, match="Fréquence inconnue"):
        sentiment_over_time(timed_messages(), "D")
    with pytest.raises(ValueError, match="Regroupement inconnu"):
        sentiment_over_time(timed_messages(), "W", "author")


# --- most negative --------------------------------------------------------------------------------


def test_most_negative_order_since_and_words():
    msgs = messages(
        dict(native_id="a", sent_at="2026-03-01T10:00:00Z", text="C'est nul", sentiment=-0.5),
        dict(
            native_id="b",
            sent_at="2026-03-05T10:00:00Z",
            text="C'est inadmissible, une honte",
            sentiment=-0.8,
        ),
        dict(native_id="c", sent_at="2026-03-06T10:00:00Z", text="Pas terrible", sentiment=-0.5),
        dict(native_id="d", sent_at="2026-03-06T10:00:00Z", text="Très bien", sentiment=0.6),
        dict(native_id="e", sent_at="2026-02-01T10:00:00Z", text="Horrible", sentiment=-0.9),
        dict(native_id="f", sent_at="2026-03-06T11:00:00Z", text="Bof", sentiment=-0.04),
    )
    reqs = requests(
        dict(
            native_id="r",
            created_at="2026-03-07T10:00:00Z",
            description="Dépôt sauvage",
            sentiment=-0.5,
        )
    )
    since = pd.Timestamp("2026-03-01", tz="Europe/Paris")
    table = most_negative(msgs, reqs, n=3, since=since)
    assert table["native_id"].tolist() == ["b", "r", "c"]  # −0.8, then −0.5 most recent first
    words = dict(table["words"].iloc[0])
    assert "inadmissible" in words and words["inadmissible"] < 0
    values = [value for _, value in table["words"].iloc[0]]
    assert values == sorted(values)
    assert most_negative(msgs, None, n=10)["native_id"].tolist() == ["e", "b", "c", "a"]
    with pytest.raises(ValueError, match="fuseau horaire"):
        most_negative(msgs, None, since=pd.Timestamp("2026-03-01"))


# --- rising negative themes ----------------------------------------------------------------------


def test_rising_negative_themes(taxonomy):
    def rows(month, theme_text, negatives, total):
        return [
            dict(
                sent_at=f"2026-{month:02d}-10T10:00:00Z",
                text=theme_text,
                sentiment=-0.5 if i < negatives else 0.3,
            )
            for i in range(total)
        ]

    msgs = messages(
        *rows(2, "trottoir", 1, 4),  # voirie 25 % → 75 %
        *rows(3, "trottoir", 3, 4),
        *rows(2, "poubelle", 2, 4),  # propreté 50 % → 25 %
        *rows(3, "poubelle", 1, 4),
        *rows(2, "square", 1, 1),  # espaces verts: too small
        *rows(3, "square", 2, 3),
        dict(sent_at="2026-03-10T10:00:00Z", text="trottoir", sentiment=None),  # not scored
    )
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    february = Period(date(2026, 2, 1), date(2026, 2, 28))
    table = rising_negative_themes(msgs, march, february, min_count=2, taxonomy=taxonomy)
    assert table["theme"].tolist() == ["voirie", "propreté", "espaces verts"]
    assert table["change"].iloc[0] == pytest.approx(0.5)
    assert table["change"].iloc[1] == pytest.approx(-0.25)
    assert table["compared"].tolist() == [True, True, False]
    assert table["n_current"].tolist() == [4, 4, 3]
    assert np.isnan(table["change"].iloc[2])
    assert table["reason"].iloc[2] == "moins de 2 messages évalués sur la période précédente"
    assert table["reason"].iloc[:2].isna().all()
    empty = rising_negative_themes(
        messages(dict(sent_at=None, text="x")), march, february, taxonomy=taxonomy
    )
    assert empty.empty
