"""UI strings of the Publications page."""

STRINGS: dict[str, dict[str, str]] = {
    "publications_period_caption": {
        "fr": "Publications du {start} au {end} inclus ({timezone}).",
        "en": "Posts from {start} to {end} inclusive ({timezone}).",
    },
    "publications_empty": {
        "fr": "Aucune publication sur cette période — importez un export Meta Business Suite "
        "(ou X, LinkedIn) depuis la page Importer, ou choisissez une autre période.",
        "en": "No posts in this period — import a Meta Business Suite export (or X, LinkedIn) "
        "from the Import page, or choose another period.",
    },
    "publications_base_label": {
        "fr": "Base du taux d'engagement",
        "en": "Engagement rate base",
    },
    "publications_base_help": {
        "fr": "Portée : personnes touchées. Impressions ou vues : nombre d'affichages. "
        "Abonnés : abonnés du compte la veille de la publication. Chaque taux affiché nomme "
        "sa base.",
        "en": "Reach: people reached. Impressions or views: number of displays. Followers: the "
        "account's followers the day before the post. Every rate shown names its base.",
    },
    "publications_base_option_reach": {"fr": "Portée", "en": "Reach"},
    "publications_base_option_impressions": {
        "fr": "Impressions ou vues",
        "en": "Impressions or views",
    },
    "publications_base_option_followers": {"fr": "Abonnés", "en": "Followers"},
    "publications_base_reach": {"fr": "portée", "en": "reach"},
    "publications_base_impressions": {"fr": "impressions ou vues", "en": "impressions or views"},
    "publications_base_followers": {"fr": "abonnés", "en": "followers"},
    "publications_base_sum_reach": {"fr": "Portée cumulée", "en": "Total reach"},
    "publications_base_sum_impressions": {
        "fr": "Impressions ou vues cumulées",
        "en": "Total impressions or views",
    },
    "publications_base_sum_followers": {"fr": "Abonnés cumulés", "en": "Total followers"},
    "publications_base_of_post_reach": {"fr": "Portée", "en": "Reach"},
    "publications_base_of_post_impressions": {
        "fr": "Impressions ou vues",
        "en": "Impressions or views",
    },
    "publications_base_of_post_followers": {"fr": "Abonnés", "en": "Followers"},
    "publications_rate": {
        "fr": "Taux d'engagement ({base})",
        "en": "Engagement rate ({base})",
    },
    "publications_freq_label": {"fr": "Regrouper", "en": "Group by"},
    "publications_freq_week": {"fr": "Par semaine", "en": "By week"},
    "publications_freq_month": {"fr": "Par mois", "en": "By month"},
    "publications_kpi_posts": {"fr": "Publications", "en": "Posts"},
    "publications_kpi_interactions": {"fr": "Interactions", "en": "Interactions"},
    "publications_no_followers": {
        "fr": "Aucun relevé d'abonnés n'est importé : le taux d'engagement (abonnés) n'est pas "
        "disponible. Importez un export des abonnés (statistiques de page Meta, abonnés "
        "LinkedIn) depuis la page Importer, ou choisissez la base portée.",
        "en": "No follower counts are imported: the engagement rate (followers) is not "
        "available. Import a followers export (Meta page insights, LinkedIn followers) from "
        "the Import page, or choose the reach base.",
    },
    "publications_no_rate": {
        "fr": "Aucune publication de la période n'a de {base} connue : les taux d'engagement ne "
        "peuvent pas être calculés sur cette base. Choisissez une autre base ci-dessus.",
        "en": "No post of the period has a known {base}: engagement rates cannot be computed on "
        "this base. Choose another base above.",
    },
    "publications_no_base": {
        "fr": "Pas de taux pour {platforms} : ce réseau n'exporte pas la base choisie ({base}). "
        "Ses publications et interactions restent comptées.",
        "en": "No rate for {platforms}: this network does not export the chosen base ({base}). "
        "Its posts and interactions are still counted.",
    },
    # Over time
    "publications_over_time": {"fr": "L'engagement dans le temps", "en": "Engagement over time"},
    "publications_period_week": {"fr": "Semaine", "en": "Week"},
    "publications_period_month": {"fr": "Mois", "en": "Month"},
    "publications_series": {"fr": "Réseau", "en": "Network"},
    "publications_all_networks": {"fr": "Tous les réseaux", "en": "All networks"},
    "publications_over_time_desc_week": {
        "fr": "Courbe du taux d'engagement ({base}) semaine par semaine, tous réseaux confondus "
        "et par réseau ; sur toute la période, il est de {rate}.",
        "en": "Line of the engagement rate ({base}) week by week, all networks together and per "
        "network; over the whole period it is {rate}.",
    },
    "publications_over_time_desc_month": {
        "fr": "Courbe du taux d'engagement ({base}) mois par mois, tous réseaux confondus "
        "et par réseau ; sur toute la période, il est de {rate}.",
        "en": "Line of the engagement rate ({base}) month by month, all networks together and "
        "per network; over the whole period it is {rate}.",
    },
    # Breakdowns
    "publications_by_platform": {"fr": "Par réseau", "en": "By network"},
    "publications_by_post_type": {"fr": "Par type de publication", "en": "By post type"},
    "publications_by_hour": {"fr": "Par heure de publication", "en": "By hour of posting"},
    "publications_network": {"fr": "Réseau", "en": "Network"},
    "publications_post_type": {"fr": "Type de publication", "en": "Post type"},
    "publications_hour": {"fr": "Heure de publication (heure locale)", "en": "Hour posted (local)"},
    "publications_posts": {"fr": "Publications", "en": "Posts"},
    "publications_interactions": {"fr": "Interactions", "en": "Interactions"},
    "publications_by_platform_desc": {
        "fr": "Barres du taux d'engagement ({base}) de chaque réseau, du plus élevé au plus "
        "bas, la valeur écrite au bout de chaque barre.",
        "en": "Bars of the engagement rate ({base}) of each network, highest first, the value "
        "written at the end of each bar.",
    },
    "publications_by_post_type_desc": {
        "fr": "Barres du taux d'engagement ({base}) de chaque type de publication, tel "
        "qu'exporté par les réseaux, du plus élevé au plus bas.",
        "en": "Bars of the engagement rate ({base}) of each post type, as exported by the "
        "networks, highest first.",
    },
    "publications_by_hour_desc": {
        "fr": "Barres du taux d'engagement ({base}) selon l'heure locale de publication, pour "
        "les heures où au moins une publication est parue.",
        "en": "Bars of the engagement rate ({base}) by local hour of posting, for the hours "
        "with at least one post.",
    },
    # Best time
    "publications_best_time": {"fr": "Meilleurs moments pour publier", "en": "Best times to post"},
    "publications_weekday": {"fr": "Jour de publication", "en": "Day posted"},
    "publications_slot_hour": {"fr": "Heure de publication", "en": "Hour posted"},
    "publications_slot_3h": {"fr": "Tranche de 3 heures", "en": "3-hour block"},
    "publications_slot_weekday": {"fr": "Journée", "en": "Day"},
    "publications_all_day": {"fr": "toute la journée", "en": "whole day"},
    "publications_median_rate": {
        "fr": "Taux médian ({base})",
        "en": "Median rate ({base})",
    },
    "publications_grid_hour": {
        "fr": "Grille affichée : jour × heure. Une case n'a de valeur qu'avec au moins "
        "{minimum} publications ; les cases grises marquées « – » en ont moins.",
        "en": "Grid shown: day × hour. A cell has a value only with at least {minimum} posts; "
        "grey cells marked “–” have fewer.",
    },
    "publications_grid_3h": {
        "fr": "Grille affichée : jour × tranche de 3 heures, car trop peu de publications "
        "tombaient dans des cases d'une heure d'au moins {minimum} publications. Les cases "
        "grises marquées « – » en ont moins.",
        "en": "Grid shown: day × 3-hour block, because too few posts fell in one-hour cells of "
        "at least {minimum} posts. Grey cells marked “–” have fewer.",
    },
    "publications_grid_weekday": {
        "fr": "Grille affichée : jour de la semaine seul, car trop peu de publications "
        "tombaient dans des cases horaires d'au moins {minimum} publications. Les cases "
        "grises marquées « – » en ont moins.",
        "en": "Grid shown: day of the week only, because too few posts fell in hourly cells of "
        "at least {minimum} posts. Grey cells marked “–” have fewer.",
    },
    "publications_best_time_desc": {
        "fr": "Carte de chaleur du taux d'engagement médian ({base}) par jour de la semaine et "
        "moment de publication, la valeur écrite dans chaque case ; plus la case est foncée, "
        "plus le taux est élevé.",
        "en": "Heat map of the median engagement rate ({base}) by day of the week and time of "
        "posting, the value written in each cell; the darker the cell, the higher the rate.",
    },
    "publications_best_time_empty": {
        "fr": "Aucune publication de la période n'a de taux ({base}) calculable : pas de "
        "meilleur moment à montrer.",
        "en": "No post of the period has a computable rate ({base}): no best time to show.",
    },
    # Ranked posts
    "publications_ranked": {
        "fr": "Publications les plus et les moins engageantes",
        "en": "Most and least engaging posts",
    },
    "publications_ranked_caption": {
        "fr": "Classement par taux d'engagement ({base}), parmi les publications d'au moins "
        "{minimum} : en dessous, un taux ne veut pas dire grand-chose. À taux égal, la plus "
        "ancienne passe devant.",
        "en": "Ranked by engagement rate ({base}), among posts with at least {minimum}: below "
        "that, a rate means little. On equal rates, the oldest comes first.",
    },
    "publications_minimum_reach": {
        "fr": "{count} personnes touchées",
        "en": "{count} people reached",
    },
    "publications_minimum_impressions": {
        "fr": "{count} impressions ou vues",
        "en": "{count} impressions or views",
    },
    "publications_minimum_followers": {"fr": "{count} abonnés", "en": "{count} followers"},
    "publications_top": {"fr": "Les plus engageantes", "en": "Most engaging"},
    "publications_bottom": {"fr": "Les moins engageantes", "en": "Least engaging"},
    "publications_ranked_empty": {
        "fr": "Aucune publication n'atteint le minimum de {minimum} ({base}) : pas de classement.",
        "en": "No post reaches the minimum of {minimum} ({base}): no ranking.",
    },
    "publications_published_at": {"fr": "Publiée le", "en": "Posted on"},
    "publications_excerpt": {"fr": "Début du texte", "en": "Start of the text"},
    "publications_link": {"fr": "Lien", "en": "Link"},
    "publications_open": {"fr": "Ouvrir", "en": "Open"},
    # Audience
    "publications_audience": {"fr": "Évolution des abonnés", "en": "Follower growth"},
    "publications_audience_empty": {
        "fr": "Aucun relevé d'abonnés pour cette période — importez un export des abonnés "
        "(statistiques de page Meta Business Suite, abonnés LinkedIn) depuis la page Importer.",
        "en": "No follower counts for this period — import a followers export (Meta Business "
        "Suite page insights, LinkedIn followers) from the Import page.",
    },
    "publications_followers": {"fr": "Abonnés", "en": "Followers"},
    "publications_date": {"fr": "Date", "en": "Date"},
    "publications_account": {"fr": "Compte", "en": "Account"},
    "publications_followers_start": {"fr": "Au départ", "en": "At the start"},
    "publications_followers_end": {"fr": "À la fin", "en": "At the end"},
    "publications_net_change": {"fr": "Évolution nette", "en": "Net change"},
    "publications_gained": {"fr": "Abonnés gagnés", "en": "Followers gained"},
    "publications_complete": {"fr": "Relevé avant la période", "en": "Count before the period"},
    "publications_audience_desc": {
        "fr": "Courbes du nombre d'abonnés jour par jour, une par réseau, chacune avec son "
        "trait et ses symboles.",
        "en": "Lines of the number of followers day by day, one per network, each with its own "
        "dash and symbols.",
    },
    "publications_audience_incomplete": {
        "fr": "Pour {accounts}, aucun relevé n'existe avant la période : l'évolution part du "
        "premier relevé de la période et est incomplète.",
        "en": "For {accounts}, there is no count before the period: the change starts from the "
        "period's first count and is incomplete.",
    },
    # Classes
    "publications_by_content": {"fr": "Par classe de contenu", "en": "By content class"},
    "publications_content_class": {"fr": "Classe de contenu", "en": "Content class"},
    "publications_class_institutional": {"fr": "institutionnel", "en": "institutional"},
    "publications_class_practical": {"fr": "service pratique", "en": "practical service"},
    "publications_class_dialogue": {
        "fr": "dialogue et participation",
        "en": "dialogue and participation",
    },
    "publications_class_other": {"fr": "autre", "en": "other"},
    "publications_by_theme": {"fr": "Par thème", "en": "By theme"},
    "publications_theme": {"fr": "Thème principal", "en": "Main theme"},
    "publications_interactions_per_post": {
        "fr": "Interactions par publication",
        "en": "Interactions per post",
    },
    "publications_by_content_desc": {
        "fr": "Barres du taux d'engagement ({base}) des publications institutionnelles, de "
        "service pratique, de dialogue et des autres, classées par leurs mots, du plus élevé au "
        "plus bas.",
        "en": "Bars of the engagement rate ({base}) of institutional, practical-service, "
        "dialogue and other posts, classed by their words, highest first.",
    },
    "publications_by_theme_desc": {
        "fr": "Barres du taux d'engagement ({base}) des publications de chaque thème principal, "
        "du plus élevé au plus bas.",
        "en": "Bars of the engagement rate ({base}) of the posts of each main theme, highest "
        "first.",
    },
    "publications_themes_hidden": {
        "fr": "Thèmes non comparés, car ils comptent moins de {minimum} publications sur la "
        "période : {themes}.",
        "en": "Themes not compared because they have fewer than {minimum} posts in the period: "
        "{themes}.",
    },
    "publications_themes_empty": {
        "fr": "Aucun thème ne compte {minimum} publications sur la période : rien à comparer.",
        "en": "No theme has {minimum} posts in the period: nothing to compare.",
    },
    "publications_classes_caption": {
        "fr": "Classes et thèmes viennent de listes de mots-clés que la collectivité peut "
        "modifier : Parvis compte des mots, il ne juge pas les publications.",
        "en": "Classes and themes come from keyword lists the collectivité can edit: Parvis "
        "counts words, it does not judge the posts.",
    },
    # Export
    "publications_export": {
        "fr": "Télécharger les publications de la période (CSV)",
        "en": "Download the period's posts (CSV)",
    },
    "publications_export_help": {
        "fr": "Une ligne par publication, avec ses interactions et ses taux sur les trois bases, "
        "dans les filtres choisis.",
        "en": "One row per post, with its interactions and its rates on the three bases, within "
        "the chosen filters.",
    },
}
