"""Strings of the public transparency page."""

STRINGS = {
    "public_title": {
        "fr": "{name} — nos engagements envers les habitants",
        "en": "{name} — our commitments to residents",
    },
    "public_caption": {
        "fr": "Du {start} au {end}. Chiffres agrégés : aucun texte d'habitant n'est publié, et "
        "aucun chiffre ne porte sur moins de {minimum} demandes ou messages.",
        "en": "From {start} to {end}. Aggregated figures: no resident's text is published, and "
        "no figure covers fewer than {minimum} requests or messages.",
    },
    "public_ack": {"fr": "Accusé de réception dans le délai", "en": "Acknowledged in time"},
    "public_deadline": {
        "fr": "Traitées dans le délai annoncé",
        "en": "Handled within the announced deadline",
    },
    "public_sve": {
        "fr": "Réponse électronique sous 10 jours ouvrés",
        "en": "Electronic answer within 10 working days",
    },
    "public_response_rate": {
        "fr": "Messages des réseaux sociaux ayant reçu une réponse",
        "en": "Social media messages answered",
    },
    "public_first_response": {
        "fr": "Délai médian de première réponse en ligne",
        "en": "Median first online response time",
    },
    "public_group": {"fr": "Groupe", "en": "Group"},
    "public_within_target": {"fr": "Closes dans le délai", "en": "Closed within target"},
    "public_by_category": {"fr": "Par type de demande", "en": "By kind of request"},
    "public_by_district": {"fr": "Par quartier", "en": "By quartier"},
    "public_suppressed": {
        "fr": "{count} groupe(s) de moins de {minimum} demandes ne sont pas publiés.",
        "en": "{count} group(s) with fewer than {minimum} requests are not published.",
    },
    "public_sign_in": {"fr": "Connexion des agents et élus", "en": "Staff and officials sign-in"},
    "page_transparence": {"fr": "Transparence", "en": "Transparency"},
}
