"""UI strings of the Quartiers page."""

STRINGS = {
    "quartiers_period": {
        "fr": "Du {start} au {end} inclus ({timezone}) : demandes reçues, clôturées ou en cours.",
        "en": "From {start} to {end} inclusive ({timezone}): requests received, closed or open.",
    },
    "quartiers_empty": {
        "fr": "Aucune demande sur cette période. Importez un export de votre outil de gestion des "
        "demandes depuis la page Importer, ou choisissez une autre période dans le panneau de "
        "gauche.",
        "en": "No request in this period. Import an export of your request tool from the Import "
        "page, or choose another period in the left panel.",
    },
    "quartiers_map": {"fr": "Carte", "en": "Map"},
    "quartiers_figure": {"fr": "Chiffre affiché sur la carte", "en": "Figure shown on the map"},
    "quartiers_map_data": {"fr": "Données de la carte", "en": "Data of the map"},
    "quartiers_no_map": {
        "fr": "Pas de carte : aucune demande de la période n'a de coordonnées, et aucun contour "
        "de quartier n'a été déposé. Un agent peut déposer les contours (fichier GeoJSON) dans "
        "la page Paramètres.",
        "en": "No map: no request of the period has coordinates, and no quartier outline was "
        "uploaded. An agent can upload the outlines (GeoJSON file) on the Settings page.",
    },
    "quartiers_points_tip": {
        "fr": "Pour une carte par quartier, un agent peut déposer les contours des quartiers "
        "(fichier GeoJSON) dans la page Paramètres.",
        "en": "For a map per quartier, an agent can upload the quartier outlines (GeoJSON file) "
        "on the Settings page.",
    },
    "quartiers_outside": {
        "fr": "{count} demande(s) localisée(s) loin de toutes les autres ne figure(nt) pas sur la "
        "carte : leurs coordonnées sont sans doute erronées (latitude et longitude inversées…).",
        "en": "{count} located request(s) far from all the others are not on the map: their "
        "coordinates are probably wrong (latitude and longitude swapped…).",
    },
    "quartiers_unmatched": {
        "fr": "Contours sans demande sur la période (ou nom différent dans les exports) : {names}.",
        "en": "Outlines without any request in the period (or named differently in the "
        "exports): {names}.",
    },
    "quartiers_table": {"fr": "Chiffres par quartier", "en": "Figures per quartier"},
    "quartiers_table_desc": {
        "fr": "Chaque ligne reprend, pour un quartier, les indicateurs de la Synthèse ; les "
        "quartiers sont classés par nombre de demandes reçues.",
        "en": "Each row gives a quartier's Overview figures; quartiers are ranked by requests "
        "received.",
    },
    "quartiers_hidden_one": {
        "fr": "1 quartier de moins de {size} demandes n'est pas affiché ({names}).",
        "en": "1 quartier with fewer than {size} requests is not shown ({names}).",
    },
    "quartiers_hidden_many": {
        "fr": "{count} quartiers de moins de {size} demandes ne sont pas affichés ({names}).",
        "en": "{count} quartiers with fewer than {size} requests are not shown ({names}).",
    },
    "quartiers_no_population": {
        "fr": "Les chiffres pour 1 000 habitants apparaissent une fois les populations des "
        "quartiers renseignées dans la page Paramètres (par un agent).",
        "en": "Figures per 1,000 inhabitants appear once the quartier populations are set on "
        "the Settings page (by an agent).",
    },
    "quartiers_no_group": {
        "fr": "Aucun quartier n'atteint la taille minimale de {size} demandes sur cette période : "
        "choisissez une période plus longue pour comparer les quartiers.",
        "en": "No quartier reaches the minimum size of {size} requests in this period: choose a "
        "longer period to compare quartiers.",
    },
    "quartiers_download_csv": {"fr": "Tableau (CSV)", "en": "Table (CSV)"},
    "quartiers_download_xlsx": {"fr": "Tableau (Excel)", "en": "Table (Excel)"},
    "quartiers_settings_link": {"fr": "Ouvrir les Paramètres", "en": "Open the Settings"},
}
