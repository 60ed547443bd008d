"""UI strings of the Services Publics+ page."""

STRINGS = {
    "services_publics_intro": {
        "fr": "Les engagements du programme Services Publics+ mesurés sur les demandes "
        "importées : accusé de réception, délai annoncé, saisine par voie électronique, "
        "satisfaction.",
        "en": "The Services Publics+ commitments measured on the imported requests: "
        "acknowledgement, announced deadline, electronic referral, satisfaction.",
    },
    "services_publics_period": {
        "fr": "Demandes reçues (ou clôturées, pour le délai annoncé) du {start} au {end} inclus "
        "({timezone}).",
        "en": "Requests received (or closed, for the announced deadline) from {start} to {end} "
        "inclusive ({timezone}).",
    },
    "services_publics_empty": {
        "fr": "Aucune demande sur cette période. Importez un export de votre outil de gestion "
        "des demandes depuis la page Importer, ou choisissez une autre période.",
        "en": "No request in this period. Import an export of your request tool from the Import "
        "page, or choose another period.",
    },
    "services_publics_ack": {
        "fr": "Engagements 4 et 5 : accusé de réception",
        "en": "Commitments 4 and 5: acknowledgement",
    },
    "services_publics_ack_overall": {
        "fr": "Demandes écrites accusées dans les délais",
        "en": "Written requests acknowledged in time",
    },
    "services_publics_ack_electronic": {
        "fr": "Demandes électroniques (sous 1 semaine)",
        "en": "Electronic requests (within 1 week)",
    },
    "services_publics_ack_letter": {
        "fr": "Courriers (sous 2 semaines)",
        "en": "Letters (within 2 weeks)",
    },
    "services_publics_deadline": {
        "fr": "Engagement 6 : délai annoncé et satisfaction",
        "en": "Commitment 6: announced deadline and satisfaction",
    },
    "services_publics_announced": {
        "fr": "Délai de traitement annoncé respecté",
        "en": "Announced handling time met",
    },
    "services_publics_satisfaction": {
        "fr": "Satisfaction des usagers",
        "en": "Users' satisfaction",
    },
    "services_publics_net": {"fr": "Satisfaction nette", "en": "Net satisfaction"},
    "services_publics_no_survey": {
        "fr": "pas de données d'enquête",
        "en": "no survey data",
    },
    "services_publics_no_survey_help": {
        "fr": "Aucune réponse d'enquête de satisfaction n'est enregistrée pour cette période.",
        "en": "No satisfaction survey answer is recorded for this period.",
    },
    "services_publics_sve": {
        "fr": "Saisine par voie électronique",
        "en": "Electronic referral (SVE)",
    },
    "services_publics_sve_label": {
        "fr": "Réponse ou accusé en 10 jours ouvrés",
        "en": "Answer or acknowledgement within 10 working days",
    },
    "services_publics_marianne": {
        "fr": "Repères Marianne (références, pas des obligations)",
        "en": "Marianne references (benchmarks, not obligations)",
    },
    "services_publics_marianne_letters": {
        "fr": "Courriers traités en 15 jours",
        "en": "Letters answered within 15 days",
    },
    "services_publics_marianne_emails": {
        "fr": "Courriels traités en 5 jours",
        "en": "E-mails answered within 5 days",
    },
    "services_publics_counts": {
        "fr": "{met} sur {judged} demandes jugées",
        "en": "{met} of {judged} judged requests",
    },
    "services_publics_pending": {
        "fr": "{pending} en attente (délai pas encore écoulé)",
        "en": "{pending} pending (deadline not reached yet)",
    },
    "services_publics_none_judged": {
        "fr": "Aucune demande de ce type n'a pu être jugée sur la période.",
        "en": "No request of this kind could be judged in the period.",
    },
    "services_publics_families": {
        "fr": "Demandes reçues par famille de canal",
        "en": "Requests received per channel family",
    },
    "services_publics_families_desc": {
        "fr": "Seules les demandes écrites (électroniques et courriers) comptent pour les "
        "engagements 4 et 5 ; un canal non reconnu n'est rattaché à aucune famille.",
        "en": "Only written requests (electronic and letters) count for commitments 4 and 5; "
        "an unrecognised channel belongs to no family.",
    },
    "services_publics_family": {"fr": "Famille de canal", "en": "Channel family"},
    "services_publics_received": {"fr": "Demandes reçues", "en": "Requests received"},
    "services_publics_family_electronic": {"fr": "Électronique", "en": "Electronic"},
    "services_publics_family_letter": {"fr": "Courrier", "en": "Letter"},
    "services_publics_family_phone": {"fr": "Téléphone", "en": "Phone"},
    "services_publics_family_counter": {"fr": "Accueil", "en": "Counter"},
    "services_publics_family_unknown": {"fr": "Canal non reconnu", "en": "Unrecognised channel"},
    "services_publics_downloads": {"fr": "Documents", "en": "Documents"},
    "services_publics_poster": {
        "fr": "Affiche A4 pour l'accueil (PDF)",
        "en": "A4 poster for the reception hall (PDF)",
    },
    "services_publics_open_data": {
        "fr": "Données ouvertes (CSV)",
        "en": "Open data (CSV)",
    },
    "services_publics_open_data_help": {
        "fr": "Les chiffres calculés sur moins de 5 demandes sont retirés (secret statistique) ; "
        "aucun texte libre n'est publié.",
        "en": "Figures computed on fewer than 5 requests are removed (statistical "
        "confidentiality); no free text is published.",
    },
}
