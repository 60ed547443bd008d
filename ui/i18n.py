"""Interface language: French by default, English available; the strings of the UI."""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"

_STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"fr": "Parvis", "en": "Parvis"},
    "tagline": {
        "fr": "Écoute et réponses aux habitants",
        "en": "Listening and answering to residents",
    },
    "nav_dashboards": {"fr": "Tableaux de bord", "en": "Dashboards"},
    "nav_data": {"fr": "Données", "en": "Data"},
    "page_synthese": {"fr": "Synthèse", "en": "Overview"},
    "page_importer": {"fr": "Importer", "en": "Import"},
    "page_admin": {"fr": "Administration", "en": "Administration"},
    "page_publications": {"fr": "Publications", "en": "Publications"},
    "page_reponses": {"fr": "Réponses aux habitants", "en": "Answers to residents"},
    "page_demandes": {"fr": "Demandes et réclamations", "en": "Requests and complaints"},
    "page_quartiers": {"fr": "Quartiers", "en": "Quartiers"},
    "page_habitants": {"fr": "Ce que disent les habitants", "en": "What residents say"},
    "page_services_publics": {
        "fr": "Indicateurs Services Publics+",
        "en": "Services Publics+ indicators",
    },
    "page_parametres": {"fr": "Paramètres", "en": "Settings"},
    "page_regles": {"fr": "Thèmes et règles", "en": "Themes and rules"},
    "signed_in_as": {"fr": "Connecté : {name} ({role})", "en": "Signed in: {name} ({role})"},
    "sign_out": {"fr": "Se déconnecter", "en": "Sign out"},
    "scope_caption": {
        "fr": "Demandes limitées à vos quartiers : {districts}. Publications et messages : "
        "toute la collectivité (ils ne sont pas rattachés à un quartier).",
        "en": "Requests limited to your quartiers: {districts}. Publications and messages: "
        "the whole collectivité (they have no quartier).",
    },
    "language": {"fr": "Langue", "en": "Language"},
    "period": {"fr": "Période", "en": "Period"},
    "period_last_month": {"fr": "Dernier mois complet", "en": "Last complete month"},
    "period_last_3_months": {"fr": "3 derniers mois complets", "en": "Last 3 complete months"},
    "period_last_12_months": {"fr": "12 derniers mois complets", "en": "Last 12 complete months"},
    "period_custom": {"fr": "Dates choisies", "en": "Custom dates"},
    "period_year_to_date": {"fr": "Depuis le 1er janvier", "en": "Year to date"},
    "filters": {"fr": "Filtres", "en": "Filters"},
    "filter_all": {"fr": "Tous", "en": "All"},
    "filter_platforms": {"fr": "Réseaux sociaux", "en": "Social networks"},
    "filter_districts": {"fr": "Quartiers", "en": "Quartiers"},
    "filter_categories": {"fr": "Catégories de demandes", "en": "Request categories"},
    "filter_channels": {"fr": "Canaux des demandes", "en": "Request channels"},
    "filter_services": {"fr": "Services en charge", "en": "Services in charge"},
    "period_dates": {"fr": "Du … au … (inclus)", "en": "From … to … (inclusive)"},
    "period_caption": {
        "fr": "Du {start} au {end} inclus ({timezone}), comparé au {prev_start} – {prev_end}.",
        "en": "From {start} to {end} inclusive ({timezone}), compared with {prev_start} – {prev_end}.",
    },
    "demo_banner": {
        "fr": "Données de démonstration : la commune fictive de Val-de-Parvis. "
        "Retirez-les depuis la page Importer avant d'importer vos propres exports.",
        "en": "Demo data: the fictional commune of Val-de-Parvis. "
        "Remove it from the Import page before importing your own exports.",
    },
    "method": {"fr": "Méthode de calcul", "en": "How it is computed"},
    "no_value": {"fr": "—", "en": "—"},
    "section_social": {"fr": "Publications", "en": "Publications"},
    "section_messages": {"fr": "Messages des habitants", "en": "Residents' messages"},
    "section_requests": {"fr": "Demandes et réclamations", "en": "Requests and complaints"},
    "kpi_publications": {"fr": "Publications", "en": "Publications"},
    "kpi_interactions": {"fr": "Interactions", "en": "Interactions"},
    "kpi_engagement_rate_reach": {
        "fr": "Taux d'engagement (portée)",
        "en": "Engagement rate (reach)",
    },
    "kpi_engagement_rate_impressions": {
        "fr": "Taux d'engagement (impressions/vues)",
        "en": "Engagement rate (impressions/views)",
    },
    "kpi_messages_received": {"fr": "Messages d'habitants reçus", "en": "Resident messages"},
    "kpi_share_answered": {
        "fr": "Part des messages ayant reçu une réponse",
        "en": "Share of messages answered",
    },
    "kpi_median_first_response_hours": {
        "fr": "Délai médian de première réponse",
        "en": "Median first-response time",
    },
    "kpi_requests_received": {"fr": "Demandes reçues", "en": "Requests received"},
    "kpi_requests_closed": {"fr": "Demandes clôturées", "en": "Requests closed"},
    "kpi_open_backlog": {
        "fr": "En attente en fin de période",
        "en": "Open requests at the end of the period",
    },
    "kpi_median_resolution_hours": {
        "fr": "Délai médian de clôture",
        "en": "Median time to close",
    },
    "answered_of": {"fr": "{answered} sur {received}", "en": "{answered} of {received}"},
    "year_before": {"fr": "Il y a un an : {value}", "en": "A year before: {value}"},
    "export_indicator": {"fr": "Indicateur", "en": "Indicator"},
    "export_period": {"fr": "Période", "en": "Period"},
    "export_comparison": {"fr": "Période de comparaison", "en": "Comparison period"},
    "export_year_before": {"fr": "Un an avant", "en": "A year before"},
    "target_met": {"fr": "Dans l'objectif ({target})", "en": "Within target ({target})"},
    "target_missed": {"fr": "Au-delà de l'objectif ({target})", "en": "Beyond target ({target})"},
    "essentials": {"fr": "L'essentiel", "en": "Key points"},
    "attention": {"fr": "Points d'attention", "en": "Points of attention"},
    "weakest_category": {
        "fr": "Catégorie la moins souvent close dans le délai : **{group}** — {share} des "
        "demandes closes dans le délai, délai médian de clôture {median}.",
        "en": "Category least often closed within target: **{group}** — {share} closed within "
        "target, median time to close {median}.",
    },
    "weakest_district": {
        "fr": "Quartier le moins souvent servi dans le délai : **{group}** — {share} des "
        "demandes closes dans le délai, délai médian de clôture {median}.",
        "en": "Quartier least often served within target: **{group}** — {share} closed within "
        "target, median time to close {median}.",
    },
    "weakest_none": {
        "fr": "Pas assez de demandes closes par catégorie ou par quartier pour comparer "
        "(groupes de moins de {minimum} demandes non comparés).",
        "en": "Not enough closed requests per category or quartier to compare "
        "(groups under {minimum} requests not compared).",
    },
    "vs_previous": {"fr": "par rapport à la période précédente", "en": "vs previous period"},
    "empty_synthese": {
        "fr": "Aucune donnée pour l'instant : importez un export depuis la page Importer, "
        "ou chargez la démonstration avec `python cli.py demo`.",
        "en": "No data yet: import an export from the Import page, "
        "or load the demo with `python cli.py demo`.",
    },
}


def _with_page_strings(strings: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    # Each page keeps its strings in ui/strings/<page>.py so that pages can grow independently;
    # a key defined twice is a mistake worth failing on at start-up.
    import importlib
    import pkgutil

    import ui.strings

    merged = dict(strings)
    for module in pkgutil.iter_modules(ui.strings.__path__):
        page_strings = importlib.import_module(f"ui.strings.{module.name}").STRINGS
        clash = merged.keys() & page_strings.keys()
        if clash:
            raise KeyError(f"UI strings defined twice: {sorted(clash)}")
        merged.update(page_strings)
    return merged


_STRINGS = _with_page_strings(_STRINGS)


def language() -> str:
    """The current interface language code."""
    lang = st.session_state.get("lang") or st.query_params.get("lang") or DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """The UI string ``key`` in the current language, with ``values`` filled in."""
    text = _STRINGS[key].get(language()) or _STRINGS[key][DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
