"""Strings of the page "Ce que disent les habitants"."""

STRINGS = {
    "voice_empty": {
        "fr": "Aucun message ni demande d'habitant sur cette période — importez les commentaires "
        "Facebook (JSON de l'API Graph) ou un export de demandes depuis la page Importer.",
        "en": "No resident message or request in this period — import Facebook comments or a "
        "request export from the Import page.",
    },
    "voice_rules_note": {
        "fr": "Thèmes et catégories viennent de règles de mots-clés modifiables (page Thèmes et règles), "
        "pas d'un jugement : lisez les exemples avant de conclure.",
        "en": "Themes and classes come from editable keyword rules, not from a judgement: read "
        "the examples before concluding.",
    },
    "voice_messages": {"fr": "Messages d'habitants", "en": "Residents' messages"},
    "voice_requests": {"fr": "Demandes reçues", "en": "Requests received"},
    "voice_theme_coverage": {"fr": "Textes avec un thème", "en": "Texts with a theme"},
    "voice_class_coverage": {"fr": "Textes classés", "en": "Texts classified"},
    "voice_audit": {
        "fr": "Utiles ou autocentrées ? Les publications par type",
        "en": "Useful or self-centred? Publications by type",
    },
    "voice_theme_conversations": {
        "fr": "Commentaires des habitants sous les publications, par thème de la publication",
        "en": "Residents' comments under publications, by the publication's theme",
    },
    "voice_class_sentiment": {
        "fr": "Sentiment des commentaires, par type de publication",
        "en": "Sentiment of comments, by type of publication",
    },
    "voice_class_sentiment_desc": {
        "fr": "Sentiment moyen des commentaires d'habitants sous chaque type de publication, "
        "par mois du commentaire.",
        "en": "Mean sentiment of residents' comments under each type of publication, per "
        "month of the comment.",
    },
    "voice_class_answered": {
        "fr": "Questions des habitants répondues, par type de publication",
        "en": "Residents' questions answered, by type of publication",
    },
    "voice_class_answered_desc": {
        "fr": "Part des questions posées en commentaire qui ont reçu une réponse de la "
        "collectivité, sous chaque type de publication, par mois de la question.",
        "en": "Share of the questions asked in comments that the collectivité answered, "
        "under each type of publication, per month of the question.",
    },
    "voice_audit_none": {
        "fr": "Pas assez de publications de chaque type pour comparer (5 au moins).",
        "en": "Not enough publications of each type to compare (at least 5).",
    },
    "voice_sentiment": {"fr": "Sentiment des habitants", "en": "Residents' sentiment"},
    "voice_no_sentiment": {
        "fr": "Aucun message noté sur cette période.",
        "en": "No scored message in this period.",
    },
    "voice_by_channel": {"fr": "Par réseau, chaque semaine", "en": "By network, each week"},
    "voice_by_channel_desc": {
        "fr": "Sentiment moyen des messages d'habitants, par semaine et par réseau, de −1 "
        "(très négatif) à +1 (très positif).",
        "en": "Mean sentiment of residents' messages per week and network, from −1 to +1.",
    },
    "voice_by_theme": {"fr": "Par thème, chaque mois", "en": "By theme, each month"},
    "voice_by_theme_desc": {
        "fr": "Sentiment moyen des messages d'habitants, par mois et par thème.",
        "en": "Mean sentiment of residents' messages per month and theme.",
    },
    "voice_themes": {"fr": "Thèmes les plus abordés", "en": "Most discussed themes"},
    "voice_theme": {"fr": "Thème", "en": "Theme"},
    "voice_themes_desc": {
        "fr": "Nombre de messages et de demandes par thème principal, du plus au moins abordé.",
        "en": "Messages and requests per main theme, most discussed first.",
    },
    "voice_classes": {"fr": "Ce que les habitants apportent", "en": "What residents bring"},
    "voice_class": {"fr": "Nature", "en": "Kind"},
    "voice_classes_desc": {
        "fr": "Nombre de questions, réclamations, remerciements et propositions.",
        "en": "Number of questions, complaints, thanks and proposals.",
    },
    "voice_rising": {
        "fr": "Thèmes dont la part négative monte le plus",
        "en": "Themes whose negative share rises the most",
    },
    "voice_rising_none": {
        "fr": "Aucun thème n'a assez de messages sur les deux périodes pour comparer.",
        "en": "No theme has enough messages in both periods to compare.",
    },
    "voice_rising_hidden": {
        "fr": "{count} thème(s) avec trop peu de messages ne sont pas comparés.",
        "en": "{count} theme(s) with too few messages are not compared.",
    },
    "voice_negatives": {
        "fr": "Les messages les plus négatifs à lire",
        "en": "The most negative messages to read",
    },
    "voice_negatives_none": {
        "fr": "Aucun message négatif sur cette période.",
        "en": "No negative message in this period.",
    },
    "voice_negative_line": {
        "fr": "Score {score} — mots qui l'expliquent : {words}",
        "en": "Score {score} — words behind it: {words}",
    },
    "voice_proposals": {
        "fr": "Propositions des habitants",
        "en": "Residents' proposals",
    },
    "voice_proposals_none": {
        "fr": "Aucune proposition repérée sur cette période.",
        "en": "No proposal found in this period.",
    },
    "voice_col_class": {"fr": "Type de publication", "en": "Kind of publication"},
    "voice_col_posts": {"fr": "Publications", "en": "Publications"},
    "voice_col_share_posts": {"fr": "Part des publications", "en": "Share of publications"},
    "voice_col_interactions": {"fr": "Interactions", "en": "Interactions"},
    "voice_col_per_post": {"fr": "Interactions par publication", "en": "Interactions per post"},
    "voice_col_comments": {"fr": "Commentaires d'habitants", "en": "Residents' comments"},
    "voice_col_mean": {"fr": "Sentiment moyen", "en": "Mean sentiment"},
    "voice_col_negative": {"fr": "Part négative", "en": "Negative share"},
    "voice_col_questions": {"fr": "Questions posées", "en": "Questions asked"},
    "voice_col_answered": {
        "fr": "Part des questions répondues",
        "en": "Share of questions answered",
    },
    "voice_col_n_previous": {"fr": "Messages (période précédente)", "en": "Messages (before)"},
    "voice_col_negative_previous": {"fr": "Part négative avant", "en": "Negative share before"},
    "voice_col_n_current": {"fr": "Messages (période)", "en": "Messages (period)"},
    "voice_col_negative_current": {"fr": "Part négative", "en": "Negative share"},
    "voice_col_change": {"fr": "Évolution", "en": "Change"},
    "voice_col_residents": {"fr": "Habitants", "en": "Residents"},
    "voice_col_texts": {"fr": "Messages et demandes", "en": "Messages and requests"},
    "voice_col_example": {"fr": "Exemple", "en": "Example"},
    "voice_col_keywords": {"fr": "Mots communs", "en": "Shared words"},
}
