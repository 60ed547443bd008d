"""Tests of metrics.content_audit: classes of posts, rules files, comparison of the classes, the
comparison sentence and the comments under each class."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.content_audit import (
    ALL_CLASSES,
    AUDIT_FILE,
    DIALOGUE,
    INSTITUTIONAL,
    OTHER,
    PRACTICAL,
    audit_rules_problems,
    class_comparison,
    class_conversations,
    comparison_sentence,
    content_class_counts,
    content_classes,
    load_audit_rules,
    post_conversations,
)
from tests.themes.support import bold, messages, posts, series

RULES = """
departage = ["dialogue et participation", "service pratique", "institutionnel"]

[[regle]]
classe = "institutionnel"
poids = 2
mots = ["maire", "inauguration"]

[[regle]]
classe = "service pratique"
poids = 2
mots = ["fermeture", "travaux"]

[[regle]]
classe = "dialogue et participation"
poids = 2
mots = ["votre avis", "concertation"]
"""


@pytest.fixture(scope="module")
def rules():
    return load_audit_rules(RULES)


# --- classes ---------------------------------------------------------------------------------


def test_classes_by_weighted_hits(rules):
    texts = series(
        "Inauguration de la médiathèque par le Maire",
        "Fermeture de la piscine pour travaux",
        "Donnez VOTRE AVIS sur la concertation",
        "Belle journée à tous",
        None,
    )
    assert content_classes(texts, rules).tolist() == [
        INSTITUTIONAL,
        PRACTICAL,
        DIALOGUE,
        OTHER,
        OTHER,
    ]


def test_tie_break_dialogue_then_practical_then_institutional(rules):
    texts = series(
        "Le maire annonce la fermeture",  # 2 – 2: practical before institutional
        "Travaux : votre avis",  # 2 – 2: dialogue before practical
        "Le maire demande votre avis",  # 2 – 2: dialogue before institutional
        "Le maire, l'inauguration et la fermeture",  # institutional 4 > practical 2
    )
    assert content_classes(texts, rules).tolist() == [PRACTICAL, DIALOGUE, DIALOGUE, INSTITUTIONAL]


def test_tie_break_order_comes_from_the_file():
    reversed_order = RULES.replace(
        '["dialogue et participation", "service pratique", "institutionnel"]',
        '["institutionnel", "service pratique", "dialogue et participation"]',
    )
    texts = series("Le maire annonce la fermeture", "Le maire demande votre avis")
    assert content_classes(texts, load_audit_rules(reversed_order)).tolist() == [
        INSTITUTIONAL,
        INSTITUTIONAL,
    ]


def test_minimum_score():
    strict = RULES + '\n[minimum]\n"institutionnel" = 4\n'
    texts = series("Le maire est venu", "Le maire à l'inauguration")
    assert content_classes(texts, load_audit_rules(strict)).tolist() == [OTHER, INSTITUTIONAL]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Inauguration de la médiathèque en présence de Mme la Maire et des élus 🎉",
            INSTITUTIONAL,
        ),
        ("Cérémonie des vœux à la population", INSTITUTIONAL),
        ("Remise des médailles du travail : félicitations aux récipiendaires !", INSTITUTIONAL),
        ("#ConseilMunicipal | Le budget est adopté à l'unanimité.", INSTITUTIONAL),
        ("Mme la Maire annonce la fermeture de la piscine le 12 mai", PRACTICAL),
        ("⚠️ Fermeture exceptionnelle de la médiathèque le lundi 3 mars", PRACTICAL),
        ("Collecte des encombrants dans le quartier Bel-Air le 12 mars", PRACTICAL),
        (bold("TRAVAUX : déviation par la rue des Lilas"), PRACTICAL),
        ("Vigilance orange canicule : pensez à vous hydrater", PRACTICAL),
        ("Votre avis compte ! Répondez au questionnaire en ligne", DIALOGUE),
        ("Budget participatif : déposez vos idées jusqu'au 31 mars", DIALOGUE),
        ("Réunion publique le 5 avril : venez poser vos questions aux élus", DIALOGUE),
        ("Selon vous, que faudrait-il ajouter au square ? Dites-le-nous en commentaire", DIALOGUE),
        ("Belle soirée à toutes et à tous 🌙", OTHER),
    ],
)
def test_default_rules(text, expected):
    assert content_classes(series(text)).iloc[0] == expected


def test_counts_in_fixed_order(rules):
    classes = content_classes(series("maire", "travaux", "travaux", "rien"), rules)
    counts = content_class_counts(classes)
    assert counts.index.tolist() == list(ALL_CLASSES)
    assert counts.tolist() == [1, 2, 0, 1]


# --- rules files -------------------------------------------------------------------------------


def test_default_rules_file_loads_without_problem():
    assert audit_rules_problems(AUDIT_FILE.read_text(encoding="utf-8")) == []
    assert load_audit_rules().labels == (DIALOGUE, PRACTICAL, INSTITUTIONAL)


def test_rules_problems_are_french():
    text = """
departage = ["service pratique", "institutionnel"]

[minimum]
"propagande" = 2

[[regle]]
classe = "publicité"
mots = ["promo"]

[[regle]]
classe = "institutionnel"
poids = -1
mots = ["maire"]

[[regle]]
classe = "service pratique"
mots = ["Maire"]
sentiment = ["positif"]
"""
    problems = audit_rules_problems(text)
    assert problems == [
        "« departage » doit citer chaque classe une fois et une seule "
        "(institutionnel, service pratique, dialogue et participation).",
        "« minimum » : classe inconnue « propagande » "
        "(attendu : institutionnel, service pratique, dialogue et participation).",
        "Règle n° 1 : classe inconnue « publicité » "
        "(attendu : institutionnel, service pratique, dialogue et participation).",
        "Règle n° 2 (institutionnel) : « poids » doit être un nombre positif.",
        "Règle n° 3 (service pratique) : clé inconnue « sentiment » (attendu : classe, mots, poids).",
        "Le mot-clé « Maire » est à la fois dans la règle n° 2 (institutionnel) (écrit « maire ») "
        "et dans la règle n° 3 (service pratique) : gardez-le à un seul endroit.",
    ]


def test_bad_toml_and_no_rule():
    assert audit_rules_problems("departage = [")[0].startswith(
        "Fichier de règles de l'audit des publications illisible : TOML invalide"
    )
    problems = audit_rules_problems(
        'departage = ["dialogue et participation", "service pratique", "institutionnel"]'
    )
    assert problems == ["Aucune règle : ajoutez au moins un bloc [[regle]]."]


def test_load_raises_value_error():
    with pytest.raises(ValueError, match="Aucune règle"):
        load_audit_rules('departage = ["institutionnel"]')


# --- comparison ----------------------------------------------------------------------------------

T = "2026-03-10T10:00:00Z"


def post(text, reactions, comments=0, shares=0, reach=None, impressions=None, **extra):
    return dict(
        published_at=T,
        text=text,
        reactions=reactions,
        comments=comments,
        shares=shares,
        reach=reach,
        impressions=impressions,
        **extra,
    )


def test_class_comparison_hand_checked(rules):
    frame = posts(
        post("Le maire", 10, reach=1000, impressions=2000),
        post("Inauguration", 20, 5, 5, reach=None, impressions=3000),
        post("Travaux", 60, 20, 10, reach=900, impressions=None),
        post("Fermeture", None, None, None, reach=500, impressions=800),  # nothing exported
        post("Votre avis", 0, 0, 0, reach=0, impressions=0),
    )
    table = class_comparison(frame, content_classes(frame["text"], rules))
    assert table.index.tolist() == list(ALL_CLASSES)
    inst, prat, dial, other = (table.loc[label] for label in ALL_CLASSES)
    assert inst["posts"] == 2 and inst["interactions"] == 40
    assert inst["interactions_per_post"] == 20
    assert inst["engagement_rate_reach"] == pytest.approx(10 / 1000)
    assert inst["engagement_rate_impressions"] == pytest.approx(40 / 5000)
    assert prat["posts"] == 2 and prat["posts_with_interactions"] == 1
    assert prat["interactions_per_post"] == 90
    assert prat["engagement_rate_reach"] == pytest.approx(90 / 900)
    assert np.isnan(prat["engagement_rate_impressions"])  # only the unexported post has one
    assert dial["interactions_per_post"] == 0
    assert np.isnan(dial["engagement_rate_reach"])  # base 0
    assert other["posts"] == 0 and np.isnan(other["interactions_per_post"])
    assert table["share_of_posts"].tolist() == [0.4, 0.4, 0.2, 0.0]
    assert table["posts"].sum() == len(frame)


def test_class_comparison_classes_default_to_the_post_texts():
    frame = posts(post("Fermeture exceptionnelle de la piscine", 5))
    assert class_comparison(frame).loc[PRACTICAL, "posts"] == 1


def table_of(means: dict[str, float], counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "posts_with_interactions": [counts.get(label, 0) for label in ALL_CLASSES],
            "interactions_per_post": [means.get(label, np.nan) for label in ALL_CLASSES],
        },
        index=list(ALL_CLASSES),
    )


def test_comparison_sentence_wording():
    table = table_of({PRACTICAL: 46.0, INSTITUTIONAL: 20.0}, {PRACTICAL: 12, INSTITUTIONAL: 8})
    assert comparison_sentence(table) == (
        "Les publications de service pratique obtiennent 2,3 fois plus d'interactions par "
        "publication que les publications institutionnelles."
    )


def test_comparison_sentence_puts_the_better_class_first():
    table = table_of({PRACTICAL: 10.0, INSTITUTIONAL: 15.0}, {PRACTICAL: 5, INSTITUTIONAL: 5})
    assert comparison_sentence(table) == (
        "Les publications institutionnelles obtiennent 1,5 fois plus d'interactions par "
        "publication que les publications de service pratique."
    )


def test_comparison_sentence_about_the_same():
    table = table_of({PRACTICAL: 10.4, INSTITUTIONAL: 10.0}, {PRACTICAL: 5, INSTITUTIONAL: 5})
    assert comparison_sentence(table) == (
        "Les publications de service pratique obtiennent à peu près autant d'interactions par "
        "publication que les publications institutionnelles."
    )


def test_comparison_sentence_other_pair():
    table = table_of({DIALOGUE: 30.0, INSTITUTIONAL: 10.0}, {DIALOGUE: 6, INSTITUTIONAL: 6})
    assert comparison_sentence(table, first=DIALOGUE) == (
        "Les publications de dialogue et de participation obtiennent 3,0 fois plus "
        "d'interactions par publication que les publications institutionnelles."
    )


def test_comparison_sentence_none_below_the_minimum_or_without_ratio():
    few = table_of({PRACTICAL: 46.0, INSTITUTIONAL: 20.0}, {PRACTICAL: 12, INSTITUTIONAL: 4})
    assert comparison_sentence(few) is None
    assert comparison_sentence(few, minimum_posts=4) is not None
    zero = table_of({PRACTICAL: 46.0, INSTITUTIONAL: 0.0}, {PRACTICAL: 12, INSTITUTIONAL: 9})
    assert comparison_sentence(zero) is None
    assert comparison_sentence(table_of({}, {})) is None


def test_comparison_sentence_from_class_comparison(rules):
    practical = [post("Travaux", 23) for _ in range(5)]
    four = posts(*practical, *[post("Le maire", 10) for _ in range(4)])
    assert comparison_sentence(class_comparison(four, content_classes(four["text"], rules))) is None
    five = posts(*practical, *[post("Le maire", 10) for _ in range(5)])
    assert comparison_sentence(class_comparison(five, content_classes(five["text"], rules))) == (
        "Les publications de service pratique obtiennent 2,3 fois plus d'interactions par "
        "publication que les publications institutionnelles."
    )


# --- comments under each class -------------------------------------------------------------------


def test_class_conversations(rules):
    frame = posts(
        post("Le maire", 1, native_id="p1"),
        post("Travaux rue Pasteur", 1, native_id="p2"),
        post("Travaux avenue Foch", 1, native_id="p3"),
    )
    classes = content_classes(frame["text"], rules)
    msgs = messages(
        dict(post_id="p1", text="Bravo !", sentiment=0.6),
        dict(post_id="p1", text="Encore une photo des élus", sentiment=-0.4),
        dict(post_id="p2", text="Ça dure combien de temps ?", sentiment=0.0, replied_at=T),
        dict(post_id="p3", text="Et les bus, ils passent où ?", sentiment=None),
        dict(post_id="p3", text="Réponse de la mairie", is_staff=True, sentiment=0.5),
        dict(post_id="zz", text="Sous une autre publication ?", sentiment=-0.9),
        dict(post_id=None, text="Message privé ?", sentiment=-0.9),
    )
    table = class_conversations(frame, classes, msgs)
    inst, prat = table.loc[INSTITUTIONAL], table.loc[PRACTICAL]
    assert inst["comments"] == 2 and inst["scored"] == 2
    assert inst["mean_compound"] == pytest.approx(0.1)
    assert inst["negative_share"] == 0.5
    assert inst["questions"] == 0 and np.isnan(inst["answered_share"])
    assert prat["comments"] == 2 and prat["scored"] == 1
    assert prat["mean_compound"] == 0.0 and prat["negative_share"] == 0.0
    assert prat["questions"] == 2 and prat["answered"] == 1 and prat["answered_share"] == 0.5
    assert table.loc[DIALOGUE, "comments"] == 0
    assert np.isnan(table.loc[DIALOGUE, "mean_compound"])


def test_post_conversations_by_theme_and_month():
    frame = posts(
        post("Fermeture de la piscine", 1, native_id="p1"),
        post("Collecte des encombrants", 1, native_id="p2"),
        post("Sans commentaire", 1, native_id="p3"),
    )
    themes = pd.Series(["sport", "propreté", "sport"], index=frame.index)
    msgs = messages(
        dict(post_id="p1", text="Elle rouvre quand ?", sentiment=-0.5, sent_at="2026-03-05T10:00Z"),
        dict(
            post_id="p1",
            text="Quand rouvre-t-elle ?",
            sentiment=0.0,
            sent_at="2026-03-31T22:30Z",  # 1 April 00:30 in Paris
            replied_at="2026-04-01T08:00Z",
        ),
        dict(post_id="p2", text="Merci !", sentiment=0.8, sent_at="2026-03-20T10:00Z"),
        dict(post_id="p2", text="Réponse", is_staff=True, sent_at="2026-03-21T10:00Z"),
    )
    table = post_conversations(frame, themes, msgs)
    assert list(table.index) == ["propreté", "sport"]
    assert table.loc["sport", "comments"] == 2
    assert table.loc["sport", "mean_compound"] == pytest.approx(-0.25)
    assert table.loc["sport", "questions"] == 2 and table.loc["sport", "answered_share"] == 0.5
    assert table.loc["propreté", "comments"] == 1 and table.loc["propreté", "questions"] == 0

    monthly = post_conversations(frame, themes, msgs, monthly_in="Europe/Paris")
    rows = {(str(r.period.date()), r.group): r for r in monthly.itertuples()}
    assert sorted(rows) == [
        ("2026-03-01", "propreté"),
        ("2026-03-01", "sport"),
        ("2026-04-01", "sport"),
    ]
    assert rows["2026-03-01", "sport"].negative_share == 1.0
    assert rows["2026-04-01", "sport"].answered == 1
    # The months add up to the whole.
    assert monthly["comments"].sum() == table["comments"].sum()
    assert monthly["answered"].sum() == table["answered"].sum()


def test_post_conversations_without_comments_keeps_the_order():
    frame = posts(post("Le maire", 1, native_id="p1"))
    table = post_conversations(
        frame, pd.Series(["a"], index=frame.index), messages(), order=["a", "b"]
    )
    assert list(table.index) == ["a", "b"] and (table["comments"] == 0).all()
    monthly = post_conversations(
        frame, pd.Series(["a"], index=frame.index), messages(), monthly_in="Europe/Paris"
    )
    assert monthly.empty and list(monthly.columns)[:2] == ["period", "group"]
