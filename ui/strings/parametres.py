"""UI strings of the Paramètres page."""

STRINGS = {
    "parametres_intro": {
        "fr": "Ces réglages s'appliquent à tous les chiffres de Parvis. Chaque modification est "
        "enregistrée dans le journal d'audit.",
        "en": "These settings apply to every figure of Parvis. Every change is recorded in the "
        "audit log.",
    },
    "parametres_identity": {"fr": "Collectivité", "en": "Collectivité"},
    "parametres_name": {"fr": "Nom de la collectivité", "en": "Name of the collectivité"},
    "parametres_timezone": {"fr": "Fuseau horaire", "en": "Time zone"},
    "parametres_timezone_help": {
        "fr": "Les dates sont rapportées à ce fuseau pour savoir dans quelle période tombe "
        "chaque événement.",
        "en": "Dates are read in this zone to decide which period each event falls in.",
    },
    "parametres_save": {"fr": "Enregistrer", "en": "Save"},
    "parametres_saved": {"fr": "Enregistré : {what}.", "en": "Saved: {what}."},
    "parametres_calendar": {"fr": "Calendrier", "en": "Calendar"},
    "parametres_region": {"fr": "Jours fériés de la région", "en": "Public holidays of"},
    "parametres_region_zone": {
        "fr": "Le fuseau horaire de ce territoire est {zone} ; celui de la collectivité est "
        "{current}. Changez-le ci-dessus s'il ne convient pas.",
        "en": "This territory's time zone is {zone}; the collectivité's is {current}. Change it "
        "above if needed.",
    },
    "parametres_hours": {"fr": "Heures d'ouverture", "en": "Opening hours"},
    "parametres_hours_help": {
        "fr": "Une ligne par plage : plusieurs plages par jour sont possibles (matin, "
        "après-midi). Un jour sans ligne est fermé. Elles servent aux délais en heures et jours "
        "ouvrés.",
        "en": "One row per range: several ranges a day are possible (morning, afternoon). A day "
        "without a row is closed. They are used by delays in working hours and days.",
    },
    "parametres_day": {"fr": "Jour", "en": "Day"},
    "parametres_open": {"fr": "Ouverture", "en": "Opens"},
    "parametres_close": {"fr": "Fermeture", "en": "Closes"},
    "parametres_targets": {"fr": "Délais cibles", "en": "Targets"},
    "parametres_request_targets": {
        "fr": "Délai de clôture par catégorie de demande",
        "en": "Closing target per request category",
    },
    "parametres_request_targets_help": {
        "fr": "Laissez le délai vide pour garder le délai par défaut (15 jours). Une date limite "
        "donnée par l'export l'emporte toujours.",
        "en": "Leave the delay empty to keep the default (15 days). A deadline given by the "
        "export always wins.",
    },
    "parametres_response_targets": {
        "fr": "Délai de première réponse par canal",
        "en": "First-response target per channel",
    },
    "parametres_response_targets_help": {
        "fr": "Laissez le délai vide pour un canal sans délai cible.",
        "en": "Leave the delay empty for a channel without target.",
    },
    "parametres_category": {"fr": "Catégorie", "en": "Category"},
    "parametres_channel": {"fr": "Canal", "en": "Channel"},
    "parametres_amount": {"fr": "Délai", "en": "Delay"},
    "parametres_unit": {"fr": "Unité", "en": "Unit"},
    "parametres_populations": {"fr": "Populations des quartiers", "en": "Quartier populations"},
    "parametres_populations_help": {
        "fr": "Nombre d'habitants de chaque quartier (recensement de l'INSEE par exemple), pour "
        "les chiffres pour 1 000 habitants. Laissez vide si vous ne le connaissez pas.",
        "en": "Inhabitants of each quartier (INSEE census for instance), for the figures per "
        "1,000 inhabitants. Leave empty if unknown.",
    },
    "parametres_quartier": {"fr": "Quartier", "en": "Quartier"},
    "parametres_inhabitants": {"fr": "Habitants", "en": "Inhabitants"},
    "parametres_groups": {"fr": "Petits groupes", "en": "Small groups"},
    "parametres_group_size": {
        "fr": "Taille minimale d'un groupe comparé (demandes)",
        "en": "Minimum size of a compared group (requests)",
    },
    "parametres_group_size_help": {
        "fr": "Un quartier, une catégorie ou un canal qui compte moins de demandes sur la "
        "période est masqué des comparaisons. 10 est recommandé.",
        "en": "A quartier, category or channel with fewer requests in the period is hidden "
        "from comparisons. 10 is recommended.",
    },
    "parametres_accounts": {"fr": "Nos comptes", "en": "Our accounts"},
    "parametres_accounts_label": {
        "fr": "Identifiants ou noms des comptes de la collectivité (un par ligne)",
        "en": "Ids or names of the collectivité's accounts (one per line)",
    },
    "parametres_accounts_help": {
        "fr": "Les réponses écrites par ces comptes comptent comme réponses de la collectivité. "
        "S'applique aux prochains imports : réimportez un fichier pour le recalculer.",
        "en": "Replies written by these accounts count as the collectivité's answers. Applies "
        "to the next imports: import a file again to recompute it.",
    },
    "parametres_map": {"fr": "Contours des quartiers", "en": "Quartier outlines"},
    "parametres_map_help": {
        "fr": "Un fichier GeoJSON (FeatureCollection de polygones, coordonnées WGS 84) avec le "
        "nom de chaque quartier, tel que l'exporte un SIG ou data.gouv.fr ; 5 Mo au plus.",
        "en": "A GeoJSON file (FeatureCollection of polygons, WGS 84 coordinates) with the name "
        "of each quartier, as a GIS or data.gouv.fr exports it; 5 MB at most.",
    },
    "parametres_map_current": {
        "fr": "Contours enregistrés : {count} quartiers ({file}).",
        "en": "Saved outlines: {count} quartiers ({file}).",
    },
    "parametres_map_none": {
        "fr": "Aucun contour enregistré : la page Quartiers montre les demandes localisées.",
        "en": "No outline saved: the Quartiers page shows the located requests.",
    },
    "parametres_map_file": {"fr": "Fichier GeoJSON", "en": "GeoJSON file"},
    "parametres_map_property": {
        "fr": "Propriété qui donne le nom du quartier",
        "en": "Property giving the quartier's name",
    },
    "parametres_map_preview": {
        "fr": "Aperçu : en gris, les quartiers trouvés dans les demandes ; en blanc pointillé, "
        "ceux que les demandes ne connaissent pas (nom différent ?).",
        "en": "Preview: in grey, quartiers found in the requests; white and dotted, those the "
        "requests do not know (different name?).",
    },
    "parametres_map_missing": {
        "fr": "Quartiers des demandes sans contour : {names}.",
        "en": "Quartiers of the requests without outline: {names}.",
    },
    "parametres_map_save": {"fr": "Enregistrer ces contours", "en": "Save these outlines"},
    "parametres_map_remove": {"fr": "Retirer les contours", "en": "Remove the outlines"},
    "parametres_what_identity": {"fr": "nom et fuseau horaire", "en": "name and time zone"},
    "parametres_what_calendar": {
        "fr": "région et heures d'ouverture",
        "en": "region and opening hours",
    },
    "parametres_what_targets": {"fr": "délais cibles", "en": "targets"},
    "parametres_what_populations": {"fr": "populations", "en": "populations"},
    "parametres_what_groups": {"fr": "taille minimale des groupes", "en": "minimum group size"},
    "parametres_what_accounts": {"fr": "comptes de la collectivité", "en": "our accounts"},
    "parametres_what_map": {"fr": "contours des quartiers", "en": "quartier outlines"},
    "parametres_what_map_removed": {
        "fr": "contours des quartiers retirés",
        "en": "quartier outlines removed",
    },
}
