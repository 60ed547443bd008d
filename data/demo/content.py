"""French wording of the demo: page posts, tweets, resident comments and staff replies."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from data.demo.clock import FR_DAYS, fr_date
from data.demo.commune import (
    COMMUNE,
    EQUIPEMENTS,
    NEW_EQUIPEMENTS,
    QUARTIERS,
    TOWN_HALL_PHONE,
    WEBSITE,
    Quartier,
    Resident,
    email_of,
    fictional_mobile,
)

INSTITUTIONNEL = "institutionnel"
PRATIQUE = "pratique"
DIALOGUE = "dialogue"

ALL_MONTHS = tuple(range(1, 13))


@dataclass(frozen=True)
class Topic:
    key: str
    kind: str  # institutionnel | pratique | dialogue
    weight: float
    months: tuple[int, ...]
    post_types: tuple[tuple[str, float], ...]  # Meta "Post type" -> weight
    reach: float  # multiplier of the page's typical reach
    comments: float  # mean number of top-level resident comments at typical reach
    share_rate: float  # shares per reached person
    hashtag: str
    templates: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    # Institutional communication: seen, politely liked, rarely discussed.
    Topic(
        "inauguration",
        INSTITUTIONNEL,
        3.0,
        (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12),
        (("Photos", 0.6), ("Reels", 0.25), ("Videos", 0.15)),
        0.85,
        5.0,
        0.002,
        "Inauguration",
        (
            "Inauguration de {nouvel_equipement} ce {jour} en présence de Mme la Maire, des élus "
            "et des habitants 🎉\n\nMerci à toutes les équipes et aux entreprises qui ont rendu "
            "ce projet possible !",
            "C'est officiel : {nouvel_equipement}, c'est parti ! ✂️ Mme la Maire a coupé le "
            "ruban ce {jour} aux côtés des riverains du quartier {quartier}.",
            "Retour en images sur l'inauguration de {nouvel_equipement}. Un investissement de "
            "{montant} € au service des habitants de {commune}.",
        ),
    ),
    Topic(
        "conseil_municipal",
        INSTITUTIONNEL,
        2.5,
        ALL_MONTHS[:7] + ALL_MONTHS[8:],
        (("Links", 0.5), ("Videos", 0.3), ("Photos", 0.2)),
        0.6,
        4.0,
        0.001,
        "ConseilMunicipal",
        (
            "🏛️ Conseil municipal\nLa prochaine séance publique se tiendra le {date} à 19h00, "
            "salle du conseil de l'Hôtel de Ville.\n\nOrdre du jour et retransmission en direct "
            "sur {site}",
            "Conseil municipal de ce {jour} : adoption du {dossier}, vote des subventions aux "
            "associations et point d'étape sur {nouvel_equipement}. Le compte rendu est en ligne "
            "sur {site}.",
        ),
    ),
    Topic(
        "voeux",
        INSTITUTIONNEL,
        12.0,
        (1,),
        (("Videos", 0.6), ("Photos", 0.4)),
        1.0,
        6.0,
        0.003,
        "Voeux",
        (
            "Mme la Maire et le conseil municipal vous adressent leurs meilleurs vœux pour "
            "{annee} ! 🎆\n\nRendez-vous le {date} à 18h30 à la salle des fêtes Saint-Roch pour "
            "la cérémonie des vœux à la population.",
            "Revivez la cérémonie des vœux à la population : bilan de l'année écoulée et grands "
            "projets pour {annee}, de {nouvel_equipement} au réaménagement de {lieu_projet}.",
        ),
    ),
    Topic(
        "visite_officielle",
        INSTITUTIONNEL,
        1.5,
        ALL_MONTHS,
        (("Photos", 0.9), ("Links", 0.1)),
        0.7,
        3.0,
        0.001,
        "ValDeParvis",
        (
            "Visite de {personnalite} à {commune} ce {jour} : rencontre avec les agents du centre "
            "technique municipal et présentation du projet de réaménagement de {lieu_projet}.",
            "Mme la Maire a accueilli {personnalite} ce {jour} pour une visite du quartier "
            "{quartier} et de {nouvel_equipement}.",
        ),
    ),
    Topic(
        "commemoration",
        INSTITUTIONNEL,
        6.0,
        (5, 7, 11),
        (("Photos", 0.8), ("Text", 0.2)),
        0.8,
        3.0,
        0.002,
        "DevoirDeMemoire",
        (
            "{commemoration} : rendez-vous à 11h00 au monument aux morts, place de l'Église. "
            "La population est invitée à participer à la cérémonie.",
            "Merci aux anciens combattants, aux élus, aux sapeurs-pompiers et aux enfants des "
            "écoles présents ce {jour} pour la cérémonie. {commemoration}.",
        ),
    ),
    Topic(
        "vie_municipale",
        INSTITUTIONNEL,
        2.0,
        ALL_MONTHS,
        (("Photos", 0.7), ("Text", 0.3)),
        0.75,
        3.5,
        0.002,
        "ValDeParvis",
        (
            "{commune} conserve sa 2e fleur au label Villes et Villages Fleuris 🌸 Bravo aux "
            "jardiniers du service Espaces verts !",
            "Remise des médailles du travail ce {jour} à l'Hôtel de Ville : félicitations aux "
            "{nombre} récipiendaires !",
            "Accueil des nouveaux habitants le {date} à 10h00 : découvrez les services de la "
            "ville & les associations autour d'un café. Inscription sur {site}.",
        ),
    ),
    Topic(
        "evenement",
        INSTITUTIONNEL,
        2.5,
        ALL_MONTHS,
        (("Photos", 0.5), ("Reels", 0.3), ("Links", 0.2)),
        1.0,
        4.0,
        0.004,
        "Culture",
        (
            "{evenement} : le programme complet est en ligne sur {site} 🎶",
            "Merci d'être venus si nombreux ce {jour} ! {evenement}, en images.",
        ),
    ),
    # Practical service information: what residents actually need, so they ask and share.
    Topic(
        "travaux",
        PRATIQUE,
        4.0,
        ALL_MONTHS,
        (("Photos", 0.6), ("Text", 0.25), ("Links", 0.15)),
        1.45,
        14.0,
        0.010,
        "Travaux",
        (
            "🚧 Travaux {rue} ({quartier})\nDu {date} au {date2}, la chaussée sera fermée à la "
            "circulation pour {raison_travaux}.\nDéviation par {rue2}. Merci de votre "
            "compréhension.",
            "Travaux : {raison_travaux} {rue} à partir du {date}. Le stationnement sera interdit "
            "côté pair & la circulation alternée par feux pendant environ {semaines} semaines.",
        ),
    ),
    Topic(
        "fermeture",
        PRATIQUE,
        2.0,
        ALL_MONTHS,
        (("Text", 0.5), ("Photos", 0.5)),
        1.1,
        9.0,
        0.006,
        "Info",
        (
            "⚠️ Fermeture exceptionnelle de {equipement} le {date} ({raison_fermeture}). "
            "Merci de votre compréhension.",
            "Attention : fermeture de {equipement} du {date} au {date2} pour "
            "{raison_fermeture}. Réouverture aux horaires habituels ensuite.",
        ),
    ),
    Topic(
        "encombrants",
        PRATIQUE,
        2.0,
        ALL_MONTHS,
        (("Photos", 0.6), ("Links", 0.4)),
        1.3,
        15.0,
        0.012,
        "Proprete",
        (
            "🛋️ Collecte des encombrants dans le quartier {quartier} le {date}.\nSortez vos "
            "objets la veille au soir, devant chez vous, sans gêner le passage.\n\nListe des "
            "objets acceptés sur {site}.",
            "Rappel : la prochaine collecte des encombrants a lieu le {date} (quartiers "
            "{quartier} & {quartier2}). Électroménager, meubles, literie : oui. Gravats et "
            "pneus : non, direction la déchèterie !",
        ),
    ),
    Topic(
        "horaires",
        PRATIQUE,
        1.5,
        ALL_MONTHS,
        (("Photos", 0.5), ("Text", 0.5)),
        1.0,
        7.0,
        0.005,
        "Info",
        ("{horaires}",),
    ),
    Topic(
        "alerte_meteo",
        PRATIQUE,
        2.0,
        ALL_MONTHS,
        (("Text", 0.6), ("Photos", 0.4)),
        2.6,
        16.0,
        0.030,
        "Vigilance",
        ("{alerte}",),
    ),
    Topic(
        "demarches",
        PRATIQUE,
        3.0,
        ALL_MONTHS,
        (("Links", 0.7), ("Photos", 0.3)),
        1.1,
        13.0,
        0.006,
        "Demarches",
        ("{demarche}",),
    ),
    Topic(
        "collecte",
        PRATIQUE,
        1.5,
        ALL_MONTHS,
        (("Photos", 0.5), ("Text", 0.5)),
        1.2,
        11.0,
        0.010,
        "Proprete",
        (
            "♻️ Jour férié : la collecte des ordures ménagères du {date} est décalée au "
            "lendemain dans les quartiers {quartier} et {quartier2}.",
            "Déchets verts : la collecte en porte-à-porte a lieu le {date} dans le quartier "
            "{quartier}. Fagots de moins d'1,50 m, 3 sacs maximum par foyer.",
        ),
    ),
    Topic(
        "coupure_eau",
        PRATIQUE,
        1.0,
        ALL_MONTHS,
        (("Text", 0.7), ("Photos", 0.3)),
        1.4,
        12.0,
        0.015,
        "Info",
        (
            "💧 Coupure d'eau {rue} le {date} de 8h30 à 12h00 pour travaux sur le réseau. "
            "Pensez à faire des réserves.",
        ),
    ),
    # Dialogue: the page asks, residents answer at length.
    Topic(
        "consultation",
        DIALOGUE,
        2.5,
        ALL_MONTHS,
        (("Links", 0.5), ("Photos", 0.5)),
        1.2,
        21.0,
        0.006,
        "Concertation",
        (
            "🗣️ Votre avis compte ! Quel avenir pour {lieu_projet} ? Répondez au questionnaire "
            "en ligne jusqu'au {date} sur {site}/participer.",
            "Concertation sur le plan de circulation du quartier {quartier} : 3 scénarios sont "
            "proposés.\nDonnez votre avis en ligne ou lors de la permanence du {date} en mairie "
            "annexe.",
        ),
    ),
    Topic(
        "budget_participatif",
        DIALOGUE,
        2.0,
        ALL_MONTHS,
        (("Photos", 0.5), ("Links", 0.3), ("Reels", 0.2)),
        1.3,
        22.0,
        0.008,
        "BudgetParticipatif",
        ("{budget}",),
    ),
    Topic(
        "reunion_publique",
        DIALOGUE,
        2.0,
        ALL_MONTHS[:7] + ALL_MONTHS[8:],
        (("Photos", 0.6), ("Text", 0.4)),
        1.1,
        18.0,
        0.006,
        "ReunionPublique",
        (
            "📣 Réunion publique le {date} à 18h30 à la salle des fêtes Saint-Roch : "
            "{sujet_reunion}. Venez poser vos questions aux élus & aux services !",
            "Merci aux {nombre} habitants présents ce {jour} à la réunion publique sur "
            "{sujet_reunion}. Le support de présentation & les réponses aux questions sont en "
            "ligne sur {site}.",
        ),
    ),
    Topic(
        "question_ouverte",
        DIALOGUE,
        1.5,
        ALL_MONTHS,
        (("Text", 0.5), ("Photos", 0.5)),
        1.0,
        26.0,
        0.003,
        "VotreAvis",
        (
            "🤔 Selon vous, quel aménagement manque le plus dans le quartier {quartier} ? "
            "Dites-le-nous en commentaire 👇",
            "Bancs, fontaines, ombrières… Que faudrait-il ajouter sur {lieu_projet} pour l'été "
            "prochain ? On vous lit !",
        ),
    ),
    Topic(
        "conseil_quartier",
        DIALOGUE,
        1.5,
        ALL_MONTHS[:7] + ALL_MONTHS[8:],
        (("Photos", 0.5), ("Text", 0.5)),
        0.9,
        15.0,
        0.004,
        "ConseilDeQuartier",
        (
            "Conseil de quartier {quartier} le {date} à 19h00 à la mairie annexe.\nAu programme "
            ": {sujet_reunion}, questions diverses. Ouvert à tous les habitants !",
        ),
    ),
)

RAISONS_TRAVAUX = (
    "la réfection de l'enrobé",
    "le remplacement des canalisations d'eau potable",
    "l'enfouissement des réseaux",
    "la création d'un plateau ralentisseur",
    "l'aménagement d'une piste cyclable",
    "la reprise des trottoirs",
)
RAISONS_FERMETURE = (
    "inventaire annuel",
    "travaux de maintenance",
    "formation des agents",
    "coupure électrique programmée",
)
DOSSIERS = (
    "budget primitif {annee}",
    "rapport d'orientation budgétaire",
    "plan pluriannuel d'investissement",
    "règlement du marché hebdomadaire",
)
PERSONNALITES = (
    "Mme la Préfète d'Indre-et-Loire",
    "la présidente du Conseil départemental",
    "M. le Sous-Préfet",
    "une délégation de notre ville jumelle",
    "la députée de la circonscription",
)
LIEUX_PROJET = (
    "la place du Marché",
    "les bords de Loire",
    "l'ancienne friche ferroviaire de La Gare",
    "le parc du Bel-Air",
    "la cour de l'école Jules-Ferry",
    "le square Saint-Roch",
)
SUJETS_REUNION = (
    "le réaménagement de l'avenue de la Gare",
    "la sécurité routière aux abords des écoles",
    "le projet de maison de santé",
    "la révision du plan local d'urbanisme",
    "la future halle du marché",
    "le plan vélo",
)
PROJETS_BP = (
    "Le verger partagé des Coteaux",
    "La boîte à livres de la place du Marché",
    "Les nichoirs à mésanges du parc du Bel-Air",
    "Le terrain de basket des Tilleuls",
    "L'abri vélos sécurisé de la gare",
)
EMOJIS_POSITIVE = ("👍", "👏", "🙏", "😊", "❤️", "💪", "😍", "🙂")
EMOJIS_NEGATIVE = ("😡", "🙄", "😒", "😤", "😢", "🤬")
DUREES = ("3 semaines", "un mois", "des mois", "10 jours", "plus de 2 mois", "l'hiver dernier")


# Feminine or elided park names; the others take "le".
_PARK_ARTICLES = {"Promenade des Bords-de-Loire": "la ", "Espace vert des Artisans": "l'"}
_CONTRACTIONS = (
    (re.compile(r"\b([Dd])e les\b"), r"\1es"),
    (re.compile(r"\b([Dd])e le\b"), r"\1u"),
    (re.compile(r"\bà les\b"), "aux"),
    (re.compile(r"\bà le\b"), "au"),
)


def with_article(park: str) -> str:
    """``Square des Tilleuls`` -> ``le square des Tilleuls``, to slot into a sentence."""
    return _PARK_ARTICLES.get(park, "le ") + park[0].lower() + park[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def contract(text: str) -> str:
    """French article contractions the templates produce: de le -> du, à les -> aux…"""
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def _evenement(month: int) -> str:
    return {
        12: "Marché de Noël place du Marché, du vendredi au dimanche 🎄",
        6: "Fête de la musique le 21 juin, 12 scènes en centre-ville",
        9: "Forum des associations au gymnase Jean-Moulin",
        7: "Cinéma en plein air sur les bords de Loire",
        10: "Semaine bleue : animations pour les seniors",
        4: "Chasse aux œufs au parc du Bel-Air",
    }.get(month, "Exposition « Val-de-Parvis d'hier & d'aujourd'hui » à la médiathèque Colette")


def _commemoration(month: int) -> str:
    return {
        5: "Commémoration de la victoire du 8 Mai 1945",
        7: "Fête nationale du 14 Juillet, défilé & feu d'artifice sur les bords de Loire 🎆",
        11: "Commémoration de l'Armistice du 11 Novembre 1918",
    }.get(month, "Cérémonie commémorative")


def _alerte(month: int, ctx: dict[str, str]) -> str:
    if month in (12, 1, 2):
        return (
            "❄️ Vigilance orange neige-verglas à partir de ce soir.\nLes services de la ville "
            "sont mobilisés pour le salage des axes prioritaires. Limitez vos déplacements et "
            "pensez à dégager le trottoir devant chez vous."
        )
    if month in (6, 7, 8):
        return (
            "🌡️ Canicule : vigilance orange. Les personnes âgées ou fragiles peuvent s'inscrire "
            f"sur le registre du CCAS au {TOWN_HALL_PHONE}.\nLa médiathèque Colette (salle "
            "climatisée) est ouverte jusqu'à 19h00."
        )
    if month in (5, 9):
        return (
            "⛈️ Vigilance orange orages cet après-midi : rentrez les objets susceptibles "
            "d'être emportés et évitez les bords de Loire. Les parcs sont fermés jusqu'à "
            "nouvel ordre."
        )
    if month == 3:
        return (
            "🌊 Montée des eaux de la Loire : le quai de Loire et la rue des Mariniers sont "
            "fermés à la circulation. Des sacs de sable sont à disposition au centre technique "
            "municipal."
        )
    return (
        f"💨 Vents violents annoncés cette nuit. {ctx['parc_cap']} et les cimetières sont fermés "
        "par précaution. Attention aux chutes de branches."
    )


def _horaires(month: int) -> str:
    if month in (7, 8):
        return (
            "☀️ Horaires d'été : jusqu'au 31 août, l'Hôtel de Ville est ouvert du lundi au "
            "vendredi de 8h30 à 12h00 et de 13h30 à 16h30. Fermé le samedi matin."
        )
    if month == 12:
        return (
            "🎄 Pendant les fêtes, l'Hôtel de Ville & les mairies annexes fermeront à 16h00 les "
            "24 et 31 décembre. Bonnes fêtes à toutes et à tous !"
        )
    return (
        "Rappel : l'accueil de l'Hôtel de Ville est ouvert du lundi au vendredi de 8h30 à 12h00 "
        f"et de 13h30 à 17h30, le samedi de 9h00 à 12h00 (état civil uniquement). Tél. "
        f"{TOWN_HALL_PHONE}."
    )


def _demarche(month: int, ctx: dict[str, str], rng: random.Random) -> str:
    options = [
        f"📄 Carte d'identité et passeport : les rendez-vous se prennent en ligne sur {WEBSITE}."
        "\nPensez à anticiper avant l'été, les délais s'allongent !",
        f"Nouveau : signalez un problème sur la voie publique (nid-de-poule, éclairage, dépôt "
        f"sauvage…) sur {WEBSITE}/signaler ou au {TOWN_HALL_PHONE}.",
        f"Inscription sur les listes électorales : c'est possible en ligne sur service-public.fr "
        f"ou à l'accueil de l'Hôtel de Ville jusqu'au {ctx['date']}.",
    ]
    if month in (2, 3, 4, 5, 6):
        options.append(
            f"🎒 Inscriptions scolaires pour la rentrée de septembre : dossier à déposer avant le "
            f"{ctx['date']} sur le portail famille ({WEBSITE}/famille)."
        )
    if month in (1, 2):
        options.append(
            "Le recensement de la population se déroule jusqu'à fin février. Un agent recenseur "
            "muni d'une carte officielle peut se présenter chez vous : merci de lui réserver "
            "un bon accueil."
        )
    return rng.choice(options)


def _budget(month: int, ctx: dict[str, str], rng: random.Random) -> str:
    if month in (1, 2, 3, 4):
        return (
            f"💡 Budget participatif {ctx['annee']} : 150 000 € pour vos idées !\nDéposez vos "
            f"projets jusqu'au {ctx['date']} sur {WEBSITE}/budget-participatif."
        )
    if month in (9, 10, 11):
        return (
            f"🗳️ Votez pour vos projets préférés du budget participatif jusqu'au {ctx['date']} !"
            f"\n{ctx['nombre']} projets sont soumis au vote, en ligne ou dans les mairies annexes."
        )
    return (
        f"Budget participatif : les projets lauréats avancent ! {rng.choice(PROJETS_BP)} sera "
        "réalisé d'ici l'automne."
    )


@dataclass(frozen=True)
class PostText:
    text: str
    quartier: Quartier
    street: str
    street2: str
    place: str  # a park or project site named in comments


def render_post(topic: Topic, day: date, rng: random.Random) -> PostText:
    """The caption of a page post on ``topic`` published on local date ``day``."""
    quartier, quartier2 = rng.sample(QUARTIERS, 2)
    street, street2 = rng.sample(quartier.streets, 2)
    ahead = day + timedelta(days=rng.randint(3, 12))
    later = ahead + timedelta(days=rng.randint(4, 25))
    event_day = day - timedelta(days=rng.choice((0, 0, 1)))
    ctx = {
        "commune": COMMUNE,
        "site": WEBSITE,
        "quartier": quartier.name,
        "quartier2": quartier2.name,
        "rue": street,
        "rue2": street2,
        "date": fr_date(ahead),
        "date2": fr_date(later),
        "jour": FR_DAYS[event_day.weekday()],
        "annee": str(day.year if day.month < 9 else day.year + 1),
        "nouvel_equipement": rng.choice(NEW_EQUIPEMENTS),
        "equipement": rng.choice(EQUIPEMENTS),
        "montant": f"{rng.randrange(180, 2400) * 1000:,}".replace(",", " "),
        "nombre": str(rng.randint(12, 140)),
        "semaines": str(rng.randint(2, 6)),
        "raison_travaux": rng.choice(RAISONS_TRAVAUX),
        "raison_fermeture": rng.choice(RAISONS_FERMETURE),
        "personnalite": rng.choice(PERSONNALITES),
        "lieu_projet": rng.choice(LIEUX_PROJET),
        "sujet_reunion": rng.choice(SUJETS_REUNION),
        "commemoration": _commemoration(day.month),
        "evenement": _evenement(day.month),
        "parc_cap": _upper_first(with_article(quartier.park)),
    }
    ctx["dossier"] = rng.choice(DOSSIERS).format(annee=ctx["annee"])
    ctx["alerte"] = _alerte(day.month, ctx)
    ctx["horaires"] = _horaires(day.month)
    ctx["demarche"] = _demarche(day.month, ctx, rng)
    ctx["budget"] = _budget(day.month, ctx, rng)
    text = contract(rng.choice(topic.templates).format_map(ctx))
    place = rng.choice((with_article(quartier.park), ctx["lieu_projet"]))
    return PostText(text, quartier, street, street2, place)


def video_title(text: str) -> str:
    """A short title for a video, as page admins type them: the caption's first line, trimmed."""
    first = text.split("\n", 1)[0].strip()
    return first if len(first) <= 70 else first[:67].rsplit(" ", 1)[0] + "…"


# Resident comments ---------------------------------------------------------------------------

QUESTION = "question"
PLAINTE = "plainte"
MERCI = "merci"
PROPOSITION = "proposition"
CRITIQUE = "critique"
TAG = "tag"

COMMENT_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    INSTITUTIONNEL: (
        (MERCI, 0.34),
        (PLAINTE, 0.24),
        (CRITIQUE, 0.16),
        (QUESTION, 0.14),
        (PROPOSITION, 0.05),
        (TAG, 0.07),
    ),
    PRATIQUE: (
        (QUESTION, 0.44),
        (PLAINTE, 0.24),
        (MERCI, 0.16),
        (PROPOSITION, 0.08),
        (TAG, 0.08),
    ),
    DIALOGUE: (
        (PROPOSITION, 0.40),
        (QUESTION, 0.27),
        (PLAINTE, 0.15),
        (MERCI, 0.10),
        (CRITIQUE, 0.04),
        (TAG, 0.04),
    ),
}

# Share of top-level comments of each kind the page answers.
REPLY_RATE = {
    QUESTION: 0.95,
    PLAINTE: 0.92,
    PROPOSITION: 0.8,
    CRITIQUE: 0.65,
    MERCI: 0.4,
    TAG: 0.1,
}

# Each question comes with the answer the page gives to it.
QUESTIONS_BY_TOPIC: dict[str, tuple[tuple[str, str], ...]] = {
    "travaux": (
        (
            "Les riverains pourront-ils quand même accéder à leur garage ?",
            "oui, l'accès aux garages est maintenu, les entreprises sont informées.",
        ),
        (
            "Ça va durer combien de temps exactement ?",
            "les travaux doivent durer environ 3 semaines, sauf intempéries.",
        ),
        (
            "Et les bus, ils passent où pendant les travaux ?",
            "les bus sont déviés par {rue2}, des arrêts provisoires sont signalés.",
        ),
        (
            "C'est la même entreprise que {rue2} ? Parce que là-bas c'est déjà abîmé…",
            "nous avons transmis votre remarque au service Voirie, qui va vérifier ce secteur "
            "avec l'entreprise.",
        ),
        (
            "Les commerces restent accessibles à pied ?",
            "oui, les trottoirs restent accessibles et les commerces ouverts pendant tout le "
            "chantier.",
        ),
    ),
    "encombrants": (
        (
            "Est-ce que la collecte passe aussi {rue} ?",
            "oui, tout le quartier {quartier} est concerné.",
        ),
        (
            "On peut déposer un frigo ?",
            "oui, le gros électroménager est accepté, mais pas les bouteilles de gaz ni les pneus.",
        ),
        (
            "Il faut s'inscrire avant ou pas ?",
            "pas besoin de vous inscrire, il suffit de sortir vos objets la veille au soir.",
        ),
        (
            "Et si on n'est pas là le soir d'avant ?",
            "vous pouvez les sortir le matin avant 6h00, ou les déposer à la déchèterie.",
        ),
    ),
    "fermeture": (
        ("Et le samedi matin c'est ouvert ?", "oui, l'accueil du samedi matin est maintenu."),
        (
            "On peut rendre les livres dans la boîte de retour ?",
            "oui, la boîte de retour reste accessible 24 h/24.",
        ),
        (
            "Pourquoi fermer pendant les vacances scolaires ?",
            "c'est la période où l'opération gêne le moins d'usagers.",
        ),
    ),
    "horaires": (
        ("Le service état civil aussi ?", "oui, l'état civil suit les mêmes horaires."),
        (
            "Et la mairie annexe de Bel-Air, mêmes horaires ?",
            "la mairie annexe de Bel-Air est ouverte du mardi au vendredi de 9h00 à 12h00.",
        ),
        (
            "C'est possible de prendre rendez-vous entre midi et deux ?",
            "malheureusement non, mais des rendez-vous sont possibles le jeudi jusqu'à 19h00.",
        ),
    ),
    "alerte_meteo": (
        (
            "Les écoles restent ouvertes demain ?",
            "oui, les écoles restent ouvertes, sauf annonce contraire de la préfecture.",
        ),
        (
            "Le marché est maintenu samedi ?",
            "le marché est maintenu pour l'instant, nous vous tiendrons informés ici.",
        ),
        ("Le ramassage scolaire est assuré ?", "oui, sauf annonce contraire de la préfecture."),
        (
            "Qui contacter si un arbre tombe sur la voie ?",
            "appelez le numéro d'astreinte au {tel}, ou le 18 en cas de danger.",
        ),
    ),
    "demarches": (
        (
            "Il n'y a plus aucun créneau avant 2 mois, comment on fait pour un voyage en juillet ?",
            "des créneaux sont libérés chaque lundi matin ; en cas d'urgence justifiée, "
            "contactez l'accueil au {tel}.",
        ),
        (
            "Faut-il un justificatif de domicile de moins de 3 mois ?",
            "un justificatif de moins d'un an suffit.",
        ),
        (
            "On peut faire la démarche pour un enfant de 10 ans sans qu'il soit présent ?",
            "la présence de l'enfant est obligatoire au dépôt du dossier.",
        ),
        (
            "Le lien ne fonctionne pas sur mon téléphone, c'est normal ?",
            "merci du signalement, le lien est corrigé !",
        ),
    ),
    "collecte": (
        (
            "Et pour les bacs jaunes c'est décalé aussi ?",
            "oui, la collecte des bacs jaunes est décalée de la même façon.",
        ),
        ("Ça concerne aussi {rue} ?", "oui, tout le quartier {quartier} est concerné."),
        (
            "Les sacs de déchets verts sont distribués où ?",
            "au centre technique municipal, sur présentation d'un justificatif de domicile.",
        ),
    ),
    "coupure_eau": (
        (
            "Toute la rue est concernée ou seulement les numéros pairs ?",
            "toute la rue est concernée, ainsi que le début des rues voisines.",
        ),
        ("Et l'école, elle reste ouverte ?", "oui, l'école sera alimentée par une citerne."),
    ),
    "consultation": (
        (
            "Le questionnaire existe-t-il en version papier ?",
            "oui, il est disponible à l'accueil de l'Hôtel de Ville et dans les mairies annexes.",
        ),
        (
            "Où peut-on voir les plans du projet ?",
            "les plans sont sur {site}/participer et exposés en mairie annexe.",
        ),
        (
            "Les résultats seront-ils publiés ?",
            "oui, la synthèse de la concertation sera publiée sur {site}.",
        ),
    ),
    "budget_participatif": (
        (
            "Qui peut voter, il faut habiter la commune ?",
            "tous les habitants de plus de 11 ans peuvent voter, sans condition de nationalité.",
        ),
        (
            "Où peut-on consulter les projets déposés ?",
            "tous les projets sont sur {site}/budget-participatif.",
        ),
        (
            "Un collectif d'habitants peut-il déposer un projet ?",
            "oui, les collectifs et les associations peuvent déposer un projet.",
        ),
    ),
    "reunion_publique": (
        (
            "La réunion sera-t-elle retransmise en ligne ?",
            "oui, elle sera retransmise en direct sur cette page.",
        ),
        (
            "Est-ce qu'il y aura un compte rendu ?",
            "oui, le compte rendu sera en ligne sur {site} sous quinze jours.",
        ),
        ("Faut-il s'inscrire ?", "non, l'entrée est libre dans la limite des places disponibles."),
    ),
    "conseil_quartier": (
        (
            "Comment devenir membre du conseil de quartier ?",
            "il suffit de vous inscrire auprès de la mairie annexe ou sur {site}.",
        ),
        (
            "Où trouver le compte rendu de la dernière séance ?",
            "les comptes rendus sont publiés sur {site}, rubrique Démocratie locale.",
        ),
    ),
}
GENERIC_QUESTIONS = (
    (
        "Bonjour, à qui faut-il s'adresser pour ça ?",
        "vous pouvez contacter l'accueil de l'Hôtel de Ville au {tel} ou passer par le "
        "formulaire de contact sur {site}.",
    ),
    (
        "C'est pour quand exactement ?",
        "les dates sont dans la publication, et tout le détail est sur {site}.",
    ),
    (
        "Le conseil est-il ouvert au public ?",
        "oui, les séances du conseil municipal sont publiques et retransmises en direct sur {site}.",
    ),
    (
        "Où trouver le compte rendu ?",
        "il est publié sur {site}, rubrique Vie municipale, une semaine après la séance.",
    ),
    (
        "C'est ouvert au public quand ?",
        "l'ouverture au public est prévue dans les prochains jours, nous publierons les horaires "
        "ici même.",
    ),
    (
        "Y a-t-il un parking à proximité ?",
        "oui, le parking de la place du Marché est gratuit la première heure.",
    ),
)
# When the page does not know yet, it says so.
HOLDING_ANSWER = (
    "nous nous renseignons auprès du service concerné et revenons vers vous rapidement."
)
PLAINTES = (
    "Toujours ce nid-de-poule énorme {rue}, ça fait {duree} que c'est signalé {neg}",
    "Pendant ce temps-là, la chaussée {rue} est défoncée depuis {duree}… Ma voiture a encore "
    "pris un coup hier.",
    "Encore un dépôt sauvage {rue} : matelas, gravats, sacs poubelle. C'est devenu une décharge !",
    "Les lampadaires {rue} sont en panne depuis {duree}, on rentre dans le noir complet, c'est "
    "dangereux.",
    "Il serait temps de faire quelque chose pour le stationnement {rue}, les voitures sont "
    "garées sur le trottoir et on ne passe plus avec une poussette.",
    "Du bruit tous les soirs jusqu'à 2h du matin {rue}, personne ne fait rien. Les riverains "
    "n'en peuvent plus {neg}",
    "Les voitures roulent à 70 {rue}, il faut un ralentisseur avant qu'il y ait un accident.",
    "Les poubelles n'ont pas été ramassées {rue} depuis {duree}.",
    "Les herbes hautes à {lieu}, on ne voit plus les enfants dans l'aire de jeux.",
    "Des tags partout sur le mur de l'école {rue}…",
    "L'éclairage de {lieu} ne fonctionne plus depuis {duree}.",
    "Stationnement gênant tous les matins devant l'école {rue}, aucun contrôle {neg}",
)
MERCIS = (
    "Merci pour l'info !",
    "Super, merci {pos}",
    "Enfin ! Merci {pos}",
    "Merci pour la réactivité des services techniques, le lampadaire a été réparé en 2 jours {pos}",
    "Merci à la mairie pour ce rappel.",
    "Merci, c'est très utile.",
)
# Praise that only makes sense under an inauguration, a ceremony or an event.
CEREMONIES = ("inauguration", "voeux", "commemoration", "vie_municipale", "evenement")
MERCIS_CEREMONIE = (
    "Bravo aux équipes 👏👏",
    "Très belle réalisation, bravo !",
    "Magnifique 😍",
    "Belle cérémonie, merci à tous.",
    "Quel beau moment, merci pour l'organisation {pos}",
)
PROPOSITIONS = (
    "Pourquoi ne pas installer un composteur partagé à {lieu} ?",
    "Il faudrait des bancs et de l'ombre à {lieu}.",
    "Une piste cyclable jusqu'au collège serait vraiment utile.",
    "Proposition : une boîte à livres place du Marché 📚",
    "Des toilettes publiques à {lieu} seraient bienvenues.",
    "Et pourquoi pas un marché bio le dimanche matin ?",
    "Il faudrait un passage piéton devant l'école {rue}.",
    "Plus de poubelles de tri le long de la Loire svp",
    "Un parking vélo sécurisé à la gare !",
    "Des jeux pour les plus grands (10-14 ans) à {lieu}, il n'y a rien pour eux.",
    "Une zone 30 dans tout le quartier {quartier} !",
)
CRITIQUES = (
    "Combien ça a coûté tout ça ? 🙄",
    "Des inaugurations, toujours des inaugurations… et les routes ?",
    "On préférerait que l'argent serve à réparer les trottoirs.",
    "Encore une photo des élus… 😒",
    "Et le quartier {quartier}, on en parle quand ?",
)
TAGS = ("{ami} regarde ça", "{ami} c'est ta rue !", "{ami} 👀", "{ami} on y va ?")
SPAM = (
    "🔥 Gagnez 500 € par jour depuis chez vous 👉 bit.ly/argent-facile-2026",
    "Bande d'incapables, démission !!!",
    "Vous êtes tous des vendus",
    "Promo exceptionnelle -80% sur les lunettes de marque ➡️ www.lunettes-pas-cheres.example",
    "Félicitations, vous avez gagné un iPhone 📱 cliquez sur mon profil",
)
RESIDENT_REPLIES = (
    "Pareil chez nous {rue} !",
    "+1",
    "Tout à fait d'accord.",
    "Il faut appeler directement les services techniques, ça va plus vite.",
    "C'est sur le site de la mairie.",
    "{ami} c'est ce que je te disais",
)
FOLLOW_UPS_OK = (
    "Merci pour votre réponse rapide 👍",
    "Parfait, merci !",
    "Ok merci beaucoup",
    "C'est noté, merci.",
)
FOLLOW_UPS_KO = (
    "Toujours rien à ce jour…",
    "Merci, mais c'est fait pour la moitié de la rue seulement.",
    "Je vous ai envoyé un message privé.",
    "Ça fait 3 fois qu'on nous dit ça 😒",
)


@dataclass(frozen=True)
class Said:
    """A resident's comment, and for a question the answer the page would give."""

    text: str
    answer: str = ""


def resident_comment(
    kind: str,
    topic: Topic,
    post: PostText,
    author: Resident,
    friend: Resident,
    rng: random.Random,
) -> Said:
    if kind == QUESTION:
        # Residents ask about the streets the post is about.
        street = rng.choice(post.quartier.streets)
    else:
        street = rng.choice((post.street, post.street, *author.quartier.streets))
    ctx = {
        "rue": street,
        "rue2": post.street2,
        "quartier": author.quartier.name,
        "lieu": rng.choice((post.place, with_article(author.quartier.park))),
        "duree": rng.choice(DUREES),
        "neg": rng.choice(EMOJIS_NEGATIVE),
        "pos": rng.choice(EMOJIS_POSITIVE),
        "ami": friend.name,
    }
    answer = ""
    if kind == QUESTION:
        pairs = GENERIC_QUESTIONS
        if topic.kind != INSTITUTIONNEL:
            pairs = QUESTIONS_BY_TOPIC.get(topic.key, ()) + GENERIC_QUESTIONS[:2]
        question, answer = rng.choice(pairs)
        text = contract(question.format_map(ctx))
        answer = answer.format_map(
            {
                "rue2": post.street2,
                "quartier": post.quartier.name,
                "site": WEBSITE,
                "tel": TOWN_HALL_PHONE,
            }
        )
        if not text.startswith("Bonjour") and rng.random() < 0.35:
            text = "Bonjour, " + text[0].lower() + text[1:]
    else:
        bank = {
            PLAINTE: PLAINTES,
            MERCI: MERCIS + MERCIS_CEREMONIE if topic.key in CEREMONIES else MERCIS,
            PROPOSITION: PROPOSITIONS,
            CRITIQUE: CRITIQUES,
            TAG: TAGS,
        }[kind]
        text = contract(rng.choice(bank).format_map(ctx))
    # Personal data residents volunteer, which the app must mask before display.
    if kind in (PLAINTE, QUESTION, PROPOSITION):
        roll = rng.random()
        if roll < 0.035:
            text += f" Vous pouvez m'appeler au {fictional_mobile(rng)}."
        elif roll < 0.06:
            text += f" Mon mail : {email_of(author, rng)}"
        elif roll < 0.085:
            text += f" J'habite au {rng.randint(1, 60)} {street}, venez constater."
        elif roll < 0.095:
            text += f" appelez-moi au {fictional_mobile(rng).replace(' ', '')} svp"
    if kind in (MERCI, PROPOSITION) and rng.random() < 0.15:
        text += " " + rng.choice(EMOJIS_POSITIVE)
    return Said(text, answer)


def resident_reply(post: PostText, friend: Resident, rng: random.Random) -> str:
    return rng.choice(RESIDENT_REPLIES).format(rue=post.street, ami=friend.name)


def follow_up(kind: str, rng: random.Random) -> Said:
    """The resident's comeback after the page's answer; ``answer`` is the page's second reply."""
    if kind == PLAINTE and rng.random() < 0.55:
        return Said(rng.choice(FOLLOW_UPS_KO), rng.choice(STAFF_SECOND_KO))
    return Said(rng.choice(FOLLOW_UPS_OK), rng.choice(STAFF_SECOND_OK))


def spam(rng: random.Random) -> str:
    return rng.choice(SPAM)


# Staff replies -------------------------------------------------------------------------------

STAFF_PLAINTE = (
    "Bonjour {prenom}, merci pour votre signalement. Nous l'avons transmis aux services "
    "techniques, qui vont intervenir rapidement.",
    "Bonjour, pourriez-vous nous indiquer l'adresse exacte en message privé ? Nous "
    "transmettons aux services.",
    "Bonjour {prenom}, une intervention est programmée la semaine prochaine. Merci de votre "
    "patience.",
    "Bonjour, vous pouvez aussi faire vos signalements sur " + WEBSITE + "/signaler : ils "
    "arrivent directement au bon service.",
)
STAFF_PROPOSITION = (
    "Merci {prenom} pour cette proposition ! Nous la transmettons à l'élu en charge du quartier.",
    "Bonne idée ! N'hésitez pas à la déposer dans le cadre du budget participatif 💡",
    "Merci pour votre contribution, elle sera étudiée avec les autres retours de la concertation.",
)
STAFF_MERCI = (
    "Merci à vous {prenom} ! 😊",
    "Merci, nous transmettons aux équipes 👍",
    "Avec plaisir !",
)
STAFF_CRITIQUE = (
    "Bonjour, le coût de l'opération et son financement (dont les subventions obtenues) sont "
    "détaillés dans le compte rendu du conseil municipal sur " + WEBSITE + ".",
    "Bonjour, un programme de réfection de la voirie est en cours dans tous les quartiers, le "
    "calendrier est disponible sur " + WEBSITE + ".",
)
STAFF_SECOND_KO = (
    "Nous relançons le service, merci de votre patience.",
    "Merci pour votre retour, nous faisons le point avec les équipes.",
)
STAFF_SECOND_OK = ("Avec plaisir !", "Bonne journée à vous !", "Bien reçu, merci !")
SIGNATURES = ("", "", "", "\n— Le service communication", " L'équipe de la Ville")


def staff_reply(kind: str, said: Said, first_name: str, rng: random.Random) -> str:
    ctx = {"prenom": first_name}
    if kind == QUESTION:
        answer = HOLDING_ANSWER if rng.random() < 0.12 else said.answer
        text = f"Bonjour {first_name}, {answer}"
        if rng.random() < 0.5:
            text += " Bonne journée !"
    elif kind == PLAINTE:
        text = rng.choice(STAFF_PLAINTE).format_map(ctx)
    elif kind == PROPOSITION:
        text = rng.choice(STAFF_PROPOSITION).format_map(ctx)
    elif kind == CRITIQUE:
        text = rng.choice(STAFF_CRITIQUE)
    else:
        text = rng.choice(STAFF_MERCI).format_map(ctx)
    return text + rng.choice(SIGNATURES)


# Tweets --------------------------------------------------------------------------------------

TWEET_PREFIXES = {
    "travaux": "🚧 Travaux & circulation | ",
    "demarches": "Démarches & services | ",
    "evenement": "Culture & loisirs | ",
    "alerte_meteo": "⚠️ ",
}
LIVE_TWEETS = (
    "#ConseilMunicipal | Le {dossier} est adopté à l'unanimité.",
    "#ConseilMunicipal | Subventions aux associations sportives & culturelles : "
    "{montant} € votés ce soir.",
    "#ConseilMunicipal en direct\n\nPoint n°{numero} : convention avec le Département pour "
    "{lieu_projet}.\nAdopté (29 pour, 4 abstentions).",
)


def tweet_from_post(topic: Topic, text: str, link: str, rng: random.Random) -> str:
    """A tweet announcing a page post: its first sentence(s), a t.co link and hashtags."""
    body = text.replace("\n\n", "\n").split("\n")
    lead = body[0]
    if len(lead) < 60 and len(body) > 1:
        lead = lead + " " + body[1]
    lead = TWEET_PREFIXES.get(topic.key, "") + lead
    if len(lead) > 200:
        lead = lead[:197].rsplit(" ", 1)[0] + "…"
    tags = f"#ValDeParvis #{topic.hashtag}" if topic.hashtag != "ValDeParvis" else "#ValDeParvis"
    if rng.random() < 0.55:
        return f"{lead}\n\n👉 {link}\n\n{tags}"
    return f"{lead} {link} {tags}"


def live_tweet(ctx: dict[str, str], rng: random.Random) -> str:
    return rng.choice(LIVE_TWEETS).format_map(ctx)
