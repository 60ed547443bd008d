"""UI strings of the Demandes et réclamations page."""

STRINGS: dict[str, dict[str, str]] = {
    "demandes_period_caption": {
        "fr": "Demandes reçues, clôturées ou en cours du {start} au {end} inclus ({timezone}).",
        "en": "Requests received, closed or open from {start} to {end} inclusive ({timezone}).",
    },
    "demandes_empty": {
        "fr": "Aucune demande sur cette période — importez un export de votre outil de gestion "
        "des demandes (GRC, Open311, FixMyStreet, Freshdesk, Zendesk…) depuis la page Importer, "
        "ou choisissez une autre période.",
        "en": "No requests in this period — import an export of your request-management tool "
        "(CRM, Open311, FixMyStreet, Freshdesk, Zendesk…) from the Import page, or choose "
        "another period.",
    },
    "demandes_freq_label": {"fr": "Regrouper", "en": "Group by"},
    "demandes_freq_week": {"fr": "Par semaine", "en": "By week"},
    "demandes_freq_month": {"fr": "Par mois", "en": "By month"},
    "demandes_no_closing_some": {
        "fr": "Les demandes de {sources} n'ont pas de date de clôture dans leur export : leurs "
        "délais de traitement ne peuvent pas être calculés, et elles restent comptées en cours. "
        "Les délais ci-dessous ne portent que sur les autres sources.",
        "en": "Requests from {sources} have no closing date in their export: their resolution "
        "times cannot be computed, and they stay counted as open. The times below only cover "
        "the other sources.",
    },
    "demandes_no_closing_all": {
        "fr": "Les demandes de {sources} n'ont pas de date de clôture dans leur export : les "
        "délais de traitement ne peuvent pas être calculés, et toutes les demandes restent "
        "comptées en cours.",
        "en": "Requests from {sources} have no closing date in their export: resolution times "
        "cannot be computed, and every request stays counted as open.",
    },
    "demandes_kpi_received": {"fr": "Demandes reçues", "en": "Requests received"},
    "demandes_kpi_closed": {"fr": "Demandes clôturées", "en": "Requests closed"},
    "demandes_kpi_backlog": {
        "fr": "En cours à la fin de la période",
        "en": "Open at the end of the period",
    },
    "demandes_kpi_within": {
        "fr": "Clôturées dans le délai cible",
        "en": "Closed within the target",
    },
    # Delays
    "demandes_delays": {"fr": "Délai de clôture", "en": "Time to close"},
    "demandes_clock_calendar": {"fr": "Temps calendaire", "en": "Calendar time"},
    "demandes_clock_working": {"fr": "Heures ouvrées", "en": "Working hours"},
    "demandes_median": {"fr": "Médiane ordinaire", "en": "Ordinary median"},
    "demandes_km_median": {"fr": "Médiane de Kaplan–Meier", "en": "Kaplan–Meier median"},
    "demandes_p90": {"fr": "90e centile", "en": "90th percentile"},
    "demandes_km_sentence": {
        "fr": "La médiane ordinaire ne regarde que les demandes clôturées pendant la période ; "
        "celle de Kaplan–Meier compte aussi les demandes encore ouvertes à la fin, et donne "
        "donc un délai plus long quand beaucoup de demandes attendent encore.",
        "en": "The ordinary median only looks at the requests closed during the period; the "
        "Kaplan–Meier median also counts those still open at its end, so it gives a longer time "
        "when many requests are still waiting.",
    },
    "demandes_km_unavailable": {
        "fr": "Médiane de Kaplan–Meier non disponible : moins de la moitié des demandes suivies "
        "sont connues comme clôturées, la médiane est donc plus longue que les délais observés.",
        "en": "Kaplan–Meier median not available: fewer than half of the requests followed are "
        "known to be closed, so the median is longer than the observed times.",
    },
    "demandes_other_delays": {
        "fr": "Autres étapes (médiane, temps calendaire / heures ouvrées)",
        "en": "Other milestones (median, calendar time / working hours)",
    },
    "demandes_milestone": {"fr": "Étape", "en": "Milestone"},
    "demandes_milestone_acknowledgement": {
        "fr": "Accusé de réception",
        "en": "Acknowledgement",
    },
    "demandes_milestone_first_response": {"fr": "Première réponse", "en": "First response"},
    "demandes_milestone_count": {"fr": "Demandes", "en": "Requests"},
    # Flows
    "demandes_flows": {
        "fr": "Demandes reçues et clôturées",
        "en": "Requests received and closed",
    },
    "demandes_flows_caption": {
        "fr": "Comme dans Freshdesk, reçues, clôturées et en cours n'ont pas à « tomber juste » : "
        "une demande clôturée a pu être reçue bien avant, et les demandes en cours comprennent "
        "les plus anciennes.",
        "en": "As in Freshdesk, received, closed and open need not add up: a closed request may "
        "have been received long before, and open requests include the oldest ones.",
    },
    "demandes_period_week": {"fr": "Semaine", "en": "Week"},
    "demandes_period_month": {"fr": "Mois", "en": "Month"},
    "demandes_count": {"fr": "Demandes", "en": "Requests"},
    "demandes_series": {"fr": "Mouvement", "en": "Flow"},
    "demandes_received": {"fr": "Reçues", "en": "Received"},
    "demandes_closed": {"fr": "Clôturées", "en": "Closed"},
    "demandes_open_at_end": {"fr": "En cours à la fin", "en": "Open at the end"},
    "demandes_flows_desc_week": {
        "fr": "Deux courbes, semaine par semaine : les demandes reçues (trait plein, ronds) et "
        "les demandes clôturées (tirets, carrés).",
        "en": "Two lines, week by week: requests received (solid line, circles) and requests "
        "closed (dashes, squares).",
    },
    "demandes_flows_desc_month": {
        "fr": "Deux courbes, mois par mois : les demandes reçues (trait plein, ronds) et les "
        "demandes clôturées (tirets, carrés).",
        "en": "Two lines, month by month: requests received (solid line, circles) and requests "
        "closed (dashes, squares).",
    },
    # Backlog
    "demandes_backlog": {"fr": "Demandes en cours dans le temps", "en": "Open requests over time"},
    "demandes_open": {"fr": "Demandes en cours", "en": "Open requests"},
    "demandes_date": {"fr": "Date", "en": "Date"},
    "demandes_backlog_desc_day": {
        "fr": "Courbe du nombre de demandes en cours à la fin de chaque jour ; à la fin de la "
        "période, {count} demandes sont en cours.",
        "en": "Line of the number of open requests at the end of each day; at the end of the "
        "period, {count} requests are open.",
    },
    "demandes_backlog_desc_week": {
        "fr": "Courbe du nombre de demandes en cours à la fin de chaque semaine ; à la fin de la "
        "période, {count} demandes sont en cours.",
        "en": "Line of the number of open requests at the end of each week; at the end of the "
        "period, {count} requests are open.",
    },
    # Aging
    "demandes_aging": {
        "fr": "Ancienneté des demandes en cours",
        "en": "Age of the open requests",
    },
    "demandes_age": {
        "fr": "Ancienneté à la fin de la période",
        "en": "Age at the end of the period",
    },
    "demandes_age_0_7d": {"fr": "0 à 7 jours", "en": "0 to 7 days"},
    "demandes_age_8_30d": {"fr": "8 à 30 jours", "en": "8 to 30 days"},
    "demandes_age_31_90d": {"fr": "31 à 90 jours", "en": "31 to 90 days"},
    "demandes_age_over_90d": {"fr": "plus de 90 jours", "en": "over 90 days"},
    "demandes_aging_desc": {
        "fr": "Barres du nombre de demandes en cours à la fin de la période selon leur "
        "ancienneté, le nombre écrit au-dessus de chaque barre.",
        "en": "Bars of the number of requests open at the end of the period by age, the count "
        "written above each bar.",
    },
    # Within target
    "demandes_within_target": {
        "fr": "Traitées dans le délai cible, par catégorie",
        "en": "Closed within the target, by category",
    },
    "demandes_within_target_empty": {
        "fr": "Aucune demande reçue pendant la période : aucun délai à juger.",
        "en": "No request received during the period: no target to judge.",
    },
    "demandes_category": {"fr": "Catégorie", "en": "Category"},
    "demandes_target": {"fr": "Délai cible", "en": "Target"},
    "demandes_met": {"fr": "Dans le délai", "en": "On time"},
    "demandes_missed": {"fr": "En retard", "en": "Late"},
    "demandes_pending": {"fr": "En attente", "en": "Pending"},
    "demandes_share_within": {"fr": "Part dans le délai", "en": "Share on time"},
    "demandes_within_target_desc": {
        "fr": "Barres de la part des demandes reçues pendant la période et clôturées dans leur "
        "délai cible, par catégorie, de la plus faible à la plus élevée, la valeur écrite au "
        "bout de chaque barre.",
        "en": "Bars of the share of the period's requests closed within their target, per "
        "category, lowest first, the value written at the end of each bar.",
    },
    # Breakdowns
    "demandes_breakdowns": {"fr": "Répartitions", "en": "Breakdowns"},
    "demandes_by_category": {"fr": "Catégorie", "en": "Category"},
    "demandes_by_district": {"fr": "Quartier", "en": "Quartier"},
    "demandes_by_channel": {"fr": "Canal", "en": "Channel"},
    "demandes_by_service": {"fr": "Service", "en": "Service"},
    "demandes_total": {"fr": "Demandes de la période", "en": "Requests of the period"},
    "demandes_median_close": {"fr": "Délai médian de clôture", "en": "Median time to close"},
    "demandes_population": {"fr": "Habitants", "en": "Inhabitants"},
    "demandes_per_1000": {
        "fr": "Demandes reçues pour 1 000 habitants",
        "en": "Requests received per 1,000 inhabitants",
    },
    "demandes_breakdown_desc": {
        "fr": "Barres du nombre de demandes reçues par {by}, de la plus grande à la plus petite, "
        "le nombre écrit au bout de chaque barre.",
        "en": "Bars of the number of requests received per {by}, largest first, the count "
        "written at the end of each bar.",
    },
    "demandes_breakdown_desc_per_1000": {
        "fr": "Barres du nombre de demandes reçues pour 1 000 habitants par quartier, du plus "
        "grand au plus petit, la valeur écrite au bout de chaque barre.",
        "en": "Bars of requests received per 1,000 inhabitants per quartier, largest first, the "
        "value written at the end of each bar.",
    },
    "demandes_hidden": {
        "fr": "Groupes masqués, car ils comptent moins de {minimum} demandes sur la période "
        "(leurs demandes restent dans les totaux) : {groups}.",
        "en": "Groups hidden because they have fewer than {minimum} requests in the period "
        "(their requests stay in the totals): {groups}.",
    },
    "demandes_breakdown_empty": {
        "fr": "Aucun groupe n'atteint {minimum} demandes sur la période : rien à comparer.",
        "en": "No group reaches {minimum} requests in the period: nothing to compare.",
    },
    "demandes_no_populations": {
        "fr": "Les populations des quartiers ne sont pas renseignées : les demandes ne peuvent "
        "pas être rapportées à 1 000 habitants. Un agent peut les saisir dans les paramètres.",
        "en": "The quartiers' populations are not set: requests cannot be given per 1,000 "
        "inhabitants. An agent can enter them in the settings.",
    },
    # Export
    "demandes_export": {
        "fr": "Télécharger les demandes de la période (CSV)",
        "en": "Download the period's requests (CSV)",
    },
    "demandes_export_help": {
        "fr": "Une ligne par demande reçue, clôturée ou en cours pendant la période, dans les "
        "filtres choisis ; sans description ni coordonnées.",
        "en": "One row per request received, closed or open during the period, within the "
        "chosen filters; no description, no coordinates.",
    },
}
