"""UI strings of the Réponses aux habitants page."""

STRINGS: dict[str, dict[str, str]] = {
    "reponses_period_caption": {
        "fr": "Messages d'habitants envoyés du {start} au {end} inclus ({timezone}) ; leurs "
        "réponses sont comptées quelle que soit leur date.",
        "en": "Residents' messages sent from {start} to {end} inclusive ({timezone}); their "
        "answers count whatever their date.",
    },
    "reponses_empty": {
        "fr": "Aucun message d'habitant sur cette période — importez un export des commentaires "
        "et messages (Meta Business Suite, API Graph de Facebook, X) depuis la page Importer, "
        "ou choisissez une autre période.",
        "en": "No residents' messages in this period — import an export of comments and "
        "messages (Meta Business Suite, Facebook Graph API, X) from the Import page, or choose "
        "another period.",
    },
    "reponses_freq_label": {"fr": "Regrouper", "en": "Group by"},
    "reponses_freq_week": {"fr": "Par semaine", "en": "By week"},
    "reponses_freq_month": {"fr": "Par mois", "en": "By month"},
    "reponses_kpi_received": {"fr": "Messages d'habitants reçus", "en": "Residents' messages"},
    "reponses_kpi_rate": {"fr": "Taux de réponse", "en": "Response rate"},
    "reponses_kpi_rate_of": {
        "fr": "{answered} conversations avec réponse sur {needing} (une conversation s'ouvre "
        "après 24 h de silence, règle de Meta)",
        "en": "{answered} conversations answered of {needing} (a conversation opens after 24 h "
        "of silence, Meta's rule)",
    },
    "reponses_kpi_within": {
        "fr": "Réponses dans le délai cible",
        "en": "Answers within the target",
    },
    "reponses_kpi_targets": {"fr": "Délais : {targets}", "en": "Targets: {targets}"},
    "reponses_kind_social": {"fr": "réseaux sociaux", "en": "social networks"},
    "reponses_kind_email": {"fr": "courriels", "en": "e-mails"},
    "reponses_kind_letter": {"fr": "courriers", "en": "letters"},
    "reponses_kind_online": {"fr": "formulaires en ligne", "en": "online forms"},
    "reponses_kind_phone": {"fr": "téléphone", "en": "phone"},
    "reponses_kind_counter": {"fr": "accueil", "en": "counter"},
    "reponses_kpi_moderation": {
        "fr": "Part des commentaires masqués",
        "en": "Share of hidden comments",
    },
    "reponses_delays": {"fr": "Délai de première réponse", "en": "First-response time"},
    "reponses_median_calendar": {
        "fr": "Médiane (temps calendaire)",
        "en": "Median (calendar time)",
    },
    "reponses_p90_calendar": {
        "fr": "90e centile (temps calendaire)",
        "en": "90th percentile (calendar time)",
    },
    "reponses_median_working": {
        "fr": "Médiane (heures ouvrées)",
        "en": "Median (working hours)",
    },
    "reponses_p90_working": {
        "fr": "90e centile (heures ouvrées)",
        "en": "90th percentile (working hours)",
    },
    "reponses_delays_caption": {
        "fr": "Temps calendaire : nuits et week-ends compris. Heures ouvrées : seulement les "
        "heures d'ouverture de la collectivité, hors jours fériés. Une conversation sur dix a "
        "attendu plus que le 90e centile.",
        "en": "Calendar time: nights and weekends included. Working hours: only the "
        "collectivité's opening hours, public holidays excluded. One conversation in ten waited "
        "longer than the 90th percentile.",
    },
    # Over time
    "reponses_over_time": {
        "fr": "Le taux de réponse dans le temps",
        "en": "Response rate over time",
    },
    "reponses_period_week": {"fr": "Semaine", "en": "Week"},
    "reponses_period_month": {"fr": "Mois", "en": "Month"},
    "reponses_rate": {"fr": "Taux de réponse", "en": "Response rate"},
    "reponses_needing": {"fr": "Conversations à traiter", "en": "Conversations needing an answer"},
    "reponses_answered": {"fr": "Avec réponse", "en": "Answered"},
    "reponses_over_time_desc_week": {
        "fr": "Courbe du taux de réponse aux conversations semaine par semaine, la valeur "
        "écrite au-dessus de chaque point ; sur toute la période, il est de {rate}.",
        "en": "Line of the conversation response rate week by week, the value written above "
        "each point; over the whole period it is {rate}.",
    },
    "reponses_over_time_desc_month": {
        "fr": "Courbe du taux de réponse aux conversations mois par mois, la valeur écrite "
        "au-dessus de chaque point ; sur toute la période, il est de {rate}.",
        "en": "Line of the conversation response rate month by month, the value written above "
        "each point; over the whole period it is {rate}.",
    },
    # Distribution
    "reponses_distribution": {
        "fr": "Répartition des délais de première réponse",
        "en": "Distribution of first-response times",
    },
    "reponses_clock_label": {"fr": "Horloge", "en": "Clock"},
    "reponses_clock_calendar": {"fr": "Temps calendaire", "en": "Calendar time"},
    "reponses_clock_working": {"fr": "Heures ouvrées", "en": "Working hours"},
    "reponses_bucket": {"fr": "Délai de première réponse", "en": "First-response time"},
    "reponses_conversations": {"fr": "Conversations", "en": "Conversations"},
    "reponses_share": {"fr": "Part", "en": "Share"},
    "reponses_bucket_under_1h": {"fr": "moins d'1 h", "en": "under 1 h"},
    "reponses_bucket_1_4h": {"fr": "1 à 4 h", "en": "1 to 4 h"},
    "reponses_bucket_4_8h": {"fr": "4 à 8 h", "en": "4 to 8 h"},
    "reponses_bucket_8_24h": {"fr": "8 à 24 h", "en": "8 to 24 h"},
    "reponses_bucket_1_3d": {"fr": "1 à 3 jours", "en": "1 to 3 days"},
    "reponses_bucket_over_3d": {"fr": "plus de 3 jours", "en": "over 3 days"},
    "reponses_distribution_desc": {
        "fr": "Barres du nombre de conversations ayant reçu une réponse dans chaque tranche de "
        "délai ({clock}), le nombre et la part écrits au-dessus de chaque barre.",
        "en": "Bars of the number of answered conversations in each time bucket ({clock}), the "
        "count and share written above each bar.",
    },
    # By channel
    "reponses_by_channel": {"fr": "Par canal", "en": "By channel"},
    "reponses_channel": {"fr": "Canal", "en": "Channel"},
    "reponses_messages": {"fr": "Messages reçus", "en": "Messages received"},
    "reponses_target": {"fr": "Délai cible", "en": "Target"},
    "reponses_within": {"fr": "Dans le délai cible", "en": "Within the target"},
    "reponses_moderation": {"fr": "Masqués", "en": "Hidden"},
    "reponses_by_channel_rate_desc": {
        "fr": "Barres du taux de réponse aux conversations de chaque canal, la valeur écrite au "
        "bout de chaque barre.",
        "en": "Bars of the conversation response rate of each channel, the value written at "
        "the end of each bar.",
    },
    "reponses_by_channel_within_desc": {
        "fr": "Barres de la part des conversations ayant reçu une réponse dans le délai cible de "
        "leur canal, la valeur écrite au bout de chaque barre.",
        "en": "Bars of the share of conversations answered within their channel's target, the "
        "value written at the end of each bar.",
    },
    "reponses_no_target": {"fr": "sans délai cible", "en": "no target"},
    "reponses_by_team_unavailable": {
        "fr": "Répartition par équipe ou par service non disponible : les exports importés "
        "n'indiquent pas quel agent ou quel service a répondu.",
        "en": "Breakdown by team or service not available: the imported exports do not say "
        "which agent or service answered.",
    },
    # Waiting
    "reponses_waiting": {
        "fr": "Conversations sans réponse",
        "en": "Conversations without an answer",
    },
    "reponses_waiting_caption": {
        "fr": "{count} conversations ouvertes pendant la période n'ont pas de réponse à la date "
        "des données ({date}), de la plus ancienne à la plus récente. L'attente est comptée "
        "jusqu'à cette date. Les textes sont montrés tels qu'enregistrés : à l'import, leurs "
        "auteurs ont été pseudonymisés et les adresses électroniques, numéros de téléphone et "
        "numéros de rue masqués.",
        "en": "{count} conversations opened during the period have no answer at the date of the "
        "data ({date}), oldest first. The wait is counted up to that date. Texts are shown as "
        "stored: at import, their authors were pseudonymised and e-mail addresses, phone "
        "numbers and street numbers masked.",
    },
    "reponses_waiting_none": {
        "fr": "Toutes les conversations de la période ont reçu une réponse.",
        "en": "Every conversation of the period has been answered.",
    },
    "reponses_sent_at": {"fr": "Reçu le", "en": "Received on"},
    "reponses_waited": {"fr": "Attente", "en": "Waiting for"},
    "reponses_situation": {"fr": "Situation", "en": "Status"},
    "reponses_outcome_missed": {"fr": "délai dépassé", "en": "target missed"},
    "reponses_outcome_pending": {"fr": "dans le délai pour l'instant", "en": "still within target"},
    "reponses_outcome_none": {"fr": "sans délai cible", "en": "no target"},
    "reponses_hidden": {"fr": "Masqué", "en": "Hidden"},
    "reponses_text": {"fr": "Message", "en": "Message"},
    # Export
    "reponses_export": {
        "fr": "Télécharger les conversations de la période (CSV)",
        "en": "Download the period's conversations (CSV)",
    },
    "reponses_export_help": {
        "fr": "Une ligne par conversation qui attendait une réponse : canal, dates, délais sur "
        "les deux horloges, délai cible et situation. Sans auteur ni texte.",
        "en": "One row per conversation needing an answer: channel, dates, times on both "
        "clocks, target and status. No author, no text.",
    },
}
