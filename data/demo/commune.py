"""The fictional commune Val-de-Parvis: identities, quartiers, streets and residents."""

from __future__ import annotations

import random
from dataclasses import dataclass

COMMUNE = "Val-de-Parvis"
POPULATION = 25_000
POSTCODE = "37999"  # not an assigned French postcode, on purpose
PAGE_ID = "1046217350198774"
PAGE_NAME = "Ville de Val-de-Parvis"
X_HANDLE = "valdeparvis"
WEBSITE = "www.valdeparvis.fr"
# ARCEP reserves 02 61 91 xx xx and 06 39 98 xx xx for fiction: no real subscriber can be hit.
TOWN_HALL_PHONE = "02 61 91 20 00"
CENTRE = (47.39, 0.69)


@dataclass(frozen=True)
class Quartier:
    name: str
    number: int  # conseil de quartier number, shown as "01 Centre-Ville"
    lat: float
    lon: float
    weight: float  # share of residents and of requests
    streets: tuple[str, ...]
    park: str


QUARTIERS: tuple[Quartier, ...] = (
    Quartier(
        "Centre-Ville",
        1,
        47.3905,
        0.6895,
        0.19,
        (
            "rue de la République",
            "place de l'Hôtel-de-Ville",
            "rue Nationale",
            "rue des Halles",
            "rue du Commerce",
            "place du Marché",
            "rue Victor-Hugo",
        ),
        "Jardin de l'Hôtel-de-Ville",
    ),
    Quartier(
        "Les Tilleuls",
        2,
        47.3982,
        0.6781,
        0.16,
        (
            "allée des Tilleuls",
            "rue des Acacias",
            "avenue des Peupliers",
            "rue des Charmes",
            "impasse des Érables",
            "rue des Noisetiers",
        ),
        "Square des Tilleuls",
    ),
    Quartier(
        "La Gare",
        3,
        47.3851,
        0.6967,
        0.14,
        (
            "avenue de la Gare",
            "boulevard Jean-Jaurès",
            "rue Pierre-Sémard",
            "rue de l'Embarcadère",
            "place de l'Europe",
            "rue des Cheminots",
        ),
        "Square de la Gare",
    ),
    Quartier(
        "Bel-Air",
        4,
        47.3968,
        0.7052,
        0.13,
        (
            "rue du Bel-Air",
            "chemin des Vignes",
            "rue des Alouettes",
            "avenue du Général-Leclerc",
            "rue Jules-Ferry",
            "allée des Mésanges",
        ),
        "Parc du Bel-Air",
    ),
    Quartier(
        "Les Coteaux",
        5,
        47.4031,
        0.6903,
        0.11,
        (
            "montée des Coteaux",
            "chemin des Vignerons",
            "rue du Panorama",
            "rue des Caves",
            "allée du Belvédère",
        ),
        "Jardin des Coteaux",
    ),
    Quartier(
        "Port-Fluvial",
        6,
        47.3823,
        0.6812,
        0.10,
        (
            "quai de Loire",
            "rue des Mariniers",
            "quai des Bateliers",
            "rue de la Capitainerie",
            "promenade des Bords-de-Loire",
        ),
        "Promenade des Bords-de-Loire",
    ),
    Quartier(
        "Saint-Roch",
        7,
        47.3880,
        0.6738,
        0.10,
        (
            "rue Saint-Roch",
            "place de l'Église",
            "impasse du Presbytère",
            "rue des Lavandières",
            "rue du Moulin",
        ),
        "Square Saint-Roch",
    ),
    Quartier(
        "Zone d'Activités",
        8,
        47.3776,
        0.7101,
        0.07,
        (
            "rue de l'Industrie",
            "avenue de l'Europe",
            "rue Gustave-Eiffel",
            "rue des Artisans",
            "allée des Entrepreneurs",
        ),
        "Espace vert des Artisans",
    ),
)

EQUIPEMENTS = (
    "la médiathèque Colette",
    "la piscine des Coteaux",
    "le gymnase Jean-Moulin",
    "la mairie annexe de Bel-Air",
    "le centre social des Tilleuls",
    "l'espace jeunesse du Port-Fluvial",
    "la salle des fêtes Saint-Roch",
    "le cimetière des Coteaux",
    "la déchèterie intercommunale",
)

NEW_EQUIPEMENTS = (
    "la nouvelle maison de santé de La Gare",
    "le skatepark du Port-Fluvial",
    "l'aire de jeux du square Saint-Roch",
    "la passerelle des Mariniers",
    "le restaurant scolaire Jules-Ferry rénové",
    "le gymnase Jean-Moulin rénové",
    "les jardins partagés des Tilleuls",
    "la piste cyclable de l'avenue de la Gare",
)

FIRST_NAMES = (
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Christine",
    "Sandrine",
    "Céline",
    "Julie",
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Sarah",
    "Aurélie",
    "Émilie",
    "Claire",
    "Anne",
    "Monique",
    "Françoise",
    "Martine",
    "Jacqueline",
    "Pauline",
    "Lucie",
    "Océane",
    "Yasmine",
    "Nadia",
    "Fatima",
    "Awa",
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Patrick",
    "Nicolas",
    "Christophe",
    "Laurent",
    "Stéphane",
    "David",
    "Julien",
    "Thomas",
    "Antoine",
    "Maxime",
    "Kévin",
    "Romain",
    "Hugo",
    "Lucas",
    "Louis",
    "Mathieu",
    "Sébastien",
    "Olivier",
    "Bernard",
    "Gérard",
    "Daniel",
    "Karim",
    "Mehdi",
    "Sofiane",
    "Moussa",
    "Jérôme",
    "Franck",
    "Didier",
)

LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Perrin",
    "Morin",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Benali",
    "Haddad",
    "Nguyen",
    "Diallo",
    "Traoré",
    "Da Silva",
    "Ferreira",
    "Besnard",
    "Chauvin",
    "Renard",
    "Texier",
    "Boutin",
    "Pichon",
    "Gaudin",
    "Marchand",
    "Rivière",
    "Lebrun",
)


@dataclass(frozen=True)
class Resident:
    user_id: str  # 15 digits, as Graph API user ids
    first_name: str
    last_name: str
    quartier: Quartier
    weight: float  # how often this person comments (a few residents comment a lot)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def make_residents(rng: random.Random, count: int = 1200) -> list[Resident]:
    """A pool of commenting residents with unique names and ids and a skewed activity."""
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    ids = rng.sample(range(100_000_000_000_000, 100_099_999_999_999), count)
    quartier_weights = [q.weight for q in QUARTIERS]
    residents = []
    for rank, ((first, last), user_id) in enumerate(zip(pairs[:count], ids, strict=True)):
        quartier = rng.choices(QUARTIERS, weights=quartier_weights)[0]
        # Zipf-like: a handful of regulars write a large share of the comments.
        residents.append(Resident(str(user_id), first, last, quartier, 1.0 / (rank + 8) ** 0.9))
    return residents


def fictional_mobile(rng: random.Random) -> str:
    return f"06 39 98 {rng.randrange(100):02d} {rng.randrange(100):02d}"


def email_of(resident: Resident, rng: random.Random) -> str:
    """A plausible personal address on a reserved domain (RFC 2606)."""
    first = _ascii(resident.first_name).lower()
    last = _ascii(resident.last_name).lower().replace(" ", "")
    local_part = rng.choice(
        (f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{rng.randrange(10, 99)}")
    )
    return f"{local_part}@{rng.choice(('example.com', 'example.org', 'example.net'))}"


def _ascii(text: str) -> str:
    table = str.maketrans("éèêëàâäîïôöùûüçÉÈ", "eeeeaaaiioouuucEE")
    return text.translate(table)
