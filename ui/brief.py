"""The officials' PDF documents: the brief (dossier) and the Services Publics+ poster.

Rendered with reportlab from the content services/brief.py builds; charts are Altair charts
turned into PNG images by vl-convert, offline. No Streamlit here, so that the command line can
produce the same files: ``brief_pdf(engine, period, selection, lang)`` and ``poster_pdf(…)``.

The brief is made of parts (BRIEF_PARTS): the Synthèse page and the command line print them
all; the other pages print theirs (PAGE_PARTS, ``brief_pdf(…, page="demandes")``), always with
the header and the definitions of the figures printed. The publications and residents' parts
come last: the monthly brief opens on the requests and answers, what officials answer for.

Everything reads in black and white: tables carry the figures, charts distinguish their series
by line style and marker shape, not by colour alone; pages are numbered; dates and numbers are
written the French way (English available).
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import altair as alt
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import Engine

from metrics.definitions import method_fields, method_title
from metrics.period import Period
from metrics.synthesis import RATE_KEYS
from services.brief import (
    OPTIONAL_PARTS,
    SENTIMENT_WEEKS,
    BriefContent,
    ClassComparison,
    PublicationsBrief,
    QuartierView,
    SentenceFacts,
    ServicesPublicsView,
    VoiceBrief,
    brief_content,
    full_months,
    services_publics_view,
)
from services.imports import has_demo
from services.settings import current_settings
from services.views import ALL_SERIES, CLASS_KEYS
from services.voice import VoiceView
from store.repository import ALL, Selection
from ui.format import (
    count_text,
    date_text,
    hours_text,
    missing_text,
    platform_name,
    rate_text,
    signed_percent_text,
    signed_points_text,
)
from ui.maps import figure_text, map_chart, map_description
from ui.strings.habitants import STRINGS as VOICE_STRINGS
from ui.strings.publications import STRINGS as PUBLICATION_STRINGS

# ----------------------------------------------------------------------------------------------
# Words

_TEXT: dict[str, tuple[str, str]] = {
    "brief_title": ("Dossier des élus", "Officials' brief"),
    "page_brief_title": ("Dossier", "Brief"),
    "poster_title": ("Nos engagements Services Publics+", "Our Services Publics+ commitments"),
    "period": ("Période", "Period"),
    "compared": ("Comparée à", "Compared with"),
    "filters": ("Filtres", "Filters"),
    "generated": ("Édité le", "Produced on"),
    "page": ("Page {page} sur {pages}", "Page {page} of {pages}"),
    "demo": (
        "Données de démonstration : commune fictive de Val-de-Parvis.",
        "Demo data: the fictional commune of Val-de-Parvis.",
    ),
    "essential": ("L'essentiel", "Key points"),
    "key_figures": ("Chiffres clés", "Key figures"),
    "figure": ("Indicateur", "Figure"),
    "change": ("Évolution", "Change"),
    "requests": ("Demandes et réclamations", "Requests and complaints"),
    "quartiers": ("Quartiers", "Quartiers"),
    "responses": ("Réponses aux habitants", "Answers to residents"),
    "publications": ("Publications", "Publications"),
    "services_publics": ("Indicateurs Services Publics+", "Services Publics+ indicators"),
    "definitions": ("Définitions", "Definitions"),
    "definitions_note": (
        "Extraits de la « Méthode de calcul » de Parvis (docs/metrics.md), la seule référence "
        "des chiffres de ce dossier.",
        "Excerpts of Parvis' “Méthode de calcul” (docs/metrics.md, in French), the one "
        "reference of the figures in this brief.",
    ),
    "formula": ("Formule", "Formula"),
    "unit": ("Unité", "Unit"),
    "missing_data": ("Données absentes", "Missing data"),
    "all_m": ("tous", "all"),
    "all_f": ("toutes", "all"),
    "filter_platforms": ("Réseaux sociaux", "Social networks"),
    "filter_districts": ("Quartiers", "Quartiers"),
    "filter_categories": ("Catégories de demandes", "Request categories"),
    "filter_channels": ("Canaux des demandes", "Request channels"),
    "filter_services": ("Services en charge", "Services in charge"),
    "flows_title": (
        "Demandes reçues et clôturées, par semaine",
        "Requests received and closed, per week",
    ),
    "flows_desc": (
        "Trait plein et ronds : demandes reçues ; tirets et carrés : demandes clôturées.",
        "Solid line and circles: requests received; dashes and squares: requests closed.",
    ),
    "received": ("Reçues", "Received"),
    "closed": ("Clôturées", "Closed"),
    "open": ("En cours en fin de période", "Open at the end"),
    "median_close": ("Délai médian de clôture", "Median time to close"),
    "within_target": ("Dans le délai cible", "Within target"),
    "category": ("Catégorie", "Category"),
    "quartier": ("Quartier", "Quartier"),
    "population": ("Habitants", "Inhabitants"),
    "per_1000": ("Reçues pour 1 000 hab.", "Received per 1,000 inh."),
    "closed_per_1000": ("Clôturées pour 1 000 hab.", "Closed per 1,000 inh."),
    "open_per_1000": ("En cours pour 1 000 hab.", "Open per 1,000 inh."),
    "by_category": ("Par catégorie", "By category"),
    "aging": ("Ancienneté des demandes en cours", "Age of the open requests"),
    "no_map": (
        "Pas de carte : aucune demande localisée et aucun contour de quartier déposé "
        "(page Paramètres).",
        "No map: no located request and no quartier outline uploaded (Settings page).",
    ),
    "channel": ("Canal", "Channel"),
    "by_channel": ("Par canal", "By channel"),
    "messages": ("Messages", "Messages"),
    "needing": ("À traiter", "Needing an answer"),
    "answered": ("Avec réponse", "Answered"),
    "response_rate": ("Taux de réponse", "Response rate"),
    "median_first": ("Délai médian", "Median time"),
    "target": ("Délai cible", "Target"),
    "value": ("Valeur", "Value"),
    "counts": ("Demandes", "Requests"),
    "of_judged": ("{met} sur {judged} jugées", "{met} of {judged} judged"),
    "pending": ("{pending} en attente", "{pending} pending"),
    "no_survey": ("pas de données d'enquête", "no survey data"),
    "poster_count": ("{met} demandes sur {judged}", "{met} requests out of {judged}"),
    "poster_none": (
        "Non disponible : aucune demande jugée sur la période.",
        "Not available: no request judged in the period.",
    ),
    "satisfaction": ("Satisfaction des usagers", "Users' satisfaction"),
    "net_satisfaction": ("Satisfaction nette", "Net satisfaction"),
    "no_data": (
        "Aucune donnée n'a été importée pour cette période : les chiffres sont vides.",
        "No data was imported for this period: the figures are empty.",
    ),
    "chart_missing": ("(graphique indisponible)", "(chart unavailable)"),
    "source": (
        "Chiffres calculés par Parvis le {date} à partir des demandes enregistrées.",
        "Figures computed by Parvis on {date} from the recorded requests.",
    ),
    "by_network": ("Engagement par réseau social", "Engagement by social network"),
    "network": ("Réseau", "Network"),
    "no_network_rate": (
        "« non disponible » : le réseau n'exporte pas cette base (portée ou impressions) ; ses "
        "publications et interactions restent comptées.",
        "“not available”: the network does not export this base (reach or impressions); its "
        "posts and interactions are still counted.",
    ),
    "top_posts": ("Les publications les plus engageantes", "The most engaging posts"),
    # In French the brief prints metrics.content_audit's own sentence; these are its words.
    "same_interactions": (
        "Les publications « {better} » obtiennent à peu près autant d'interactions par "
        "publication que les publications « {worse} ».",
        "Posts classed “{better}” get about as many interactions per post as posts classed "
        "“{worse}”.",
    ),
    "more_interactions": (
        "Les publications « {better} » obtiennent {ratio} fois plus d'interactions par "
        "publication que les publications « {worse} ».",
        "Posts classed “{better}” get {ratio} times as many interactions per post as posts "
        "classed “{worse}”.",
    ),
    "habitants": ("Ce que disent les habitants", "What residents say"),
    "habitants_note": (
        "Thèmes et natures des textes viennent de règles de mots-clés modifiables (page Thèmes "
        "et règles), pas d'un jugement : lisez les exemples avant de conclure.",
        "Themes and kinds of texts come from editable keyword rules (Themes and rules page), "
        "not from a judgement: read the examples before concluding.",
    ),
    "texts": ("Messages et demandes", "Messages and requests"),
    "week": ("Semaine du", "Week of"),
    "scored": ("Messages notés", "Scored messages"),
    "sentiment_note": (
        "Sentiment moyen des messages d'habitants, par semaine et par réseau, de −1 (très "
        "négatif) à +1 (très positif) ; part négative : messages de score −0,05 ou moins.",
        "Mean sentiment of residents' messages per week and network, from −1 (very negative) "
        "to +1 (very positive); negative share: messages scoring −0.05 or less.",
    ),
    "sentiment_weeks": (
        "Seules les {shown} dernières semaines de la période (sur {weeks}) sont reprises.",
        "Only the last {shown} of the period's {weeks} weeks are shown.",
    ),
    "more_themes": (
        "{count} autres thèmes sont abordés moins souvent.",
        "{count} other themes are discussed less often.",
    ),
    "more_proposals": (
        "{count} autres propositions ne sont pas reprises ici (page « Ce que disent les "
        "habitants »).",
        "{count} other proposals are not listed here (“What residents say” page).",
    ),
    "negative_source_message": ("{date} — {network}", "{date} — {network}"),
    "negative_source_request": ("{date} — demande « {category} »", "{date} — request “{category}”"),
    "quoted": ("« {text} »", "“{text}”"),
    "negative_score": (
        "Score {score} — mots qui l'expliquent : {words}",
        "Score {score} — words behind it: {words}",
    ),
}

FIGURE_LABELS: dict[str, tuple[str, str]] = {
    "publications": ("Publications", "Publications"),
    "interactions": ("Interactions", "Interactions"),
    "engagement_rate_reach": ("Taux d'engagement (portée)", "Engagement rate (reach)"),
    "engagement_rate_impressions": (
        "Taux d'engagement (impressions/vues)",
        "Engagement rate (impressions/views)",
    ),
    "messages_received": ("Messages d'habitants reçus", "Resident messages"),
    "messages_answered": ("Messages ayant reçu une réponse", "Messages answered"),
    "share_answered": ("Part des messages ayant reçu une réponse", "Share of messages answered"),
    "median_first_response_hours": ("Délai médian de première réponse", "Median first response"),
    "requests_received": ("Demandes reçues", "Requests received"),
    "requests_closed": ("Demandes clôturées", "Requests closed"),
    "open_backlog": ("En attente en fin de période", "Open at the end of the period"),
    "median_resolution_hours": ("Délai médian de clôture", "Median time to close"),
}
FIGURE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("publications", ("publications", "interactions", "engagement_rate_reach")),
    (
        "responses",
        ("messages_received", "share_answered", "median_first_response_hours"),
    ),
    (
        "requests",
        ("requests_received", "requests_closed", "open_backlog", "median_resolution_hours"),
    ),
)
HOUR_KEYS = {"median_first_response_hours", "median_resolution_hours"}
SP_LABELS: dict[tuple[str, str], tuple[str, str]] = {
    ("sp_acknowledgement", "overall"): (
        "Accusé de réception dans les délais (demandes écrites)",
        "Acknowledged in time (written requests)",
    ),
    ("sp_acknowledgement", "electronic"): (
        "… demandes électroniques (1 semaine)",
        "… electronic requests (1 week)",
    ),
    ("sp_acknowledgement", "letter"): ("… courriers (2 semaines)", "… letters (2 weeks)"),
    ("sp_announced_deadline", "closed"): (
        "Délai de traitement annoncé respecté",
        "Announced deadline met",
    ),
    ("sve", "electronic"): (
        "Réponse ou accusé en 10 jours ouvrés (saisine électronique)",
        "Answer or acknowledgement within 10 working days (electronic)",
    ),
    ("marianne", "letters_within_15_days"): (
        "Repère Marianne : courriers traités en 15 jours",
        "Marianne reference: letters within 15 days",
    ),
    ("marianne", "emails_within_5_days"): (
        "Repère Marianne : courriels traités en 5 jours",
        "Marianne reference: e-mails within 5 days",
    ),
}
AGING_LABELS = {
    "0_7d": ("0 à 7 jours", "0 to 7 days"),
    "8_30d": ("8 à 30 jours", "8 to 30 days"),
    "31_90d": ("31 à 90 jours", "31 to 90 days"),
    "over_90d": ("plus de 90 jours", "over 90 days"),
}
BRIEF_DEFINITIONS: tuple[str, ...] = (
    "periode",
    "publications",
    "interactions",
    "engagement_rate_reach",
    "engagement_rate_impressions",
    "messages_received",
    "share_answered",
    "median_first_response_hours",
    "requests_received",
    "requests_closed",
    "open_backlog",
    "median_resolution_hours",
    "closed_within_target",
    "requests_breakdown",
    "petits_groupes",
    "sp_acknowledgement",
    "sp_announced_deadline",
    "sve",
    "marianne",
    "satisfaction_survey",
    "engagement_breakdown",
    "content_classes",
    "class_comparison",
    "top_posts",
    "theme_coverage",
    "voice_classes",
    "sentiment_over_time",
    "rising_negative_themes",
    "proposals",
    "most_negative",
)
# The parts of the brief, in the order the full brief prints them; the header and the
# definitions come with every part.
BRIEF_PARTS: tuple[str, ...] = (
    "synthese",
    "requests",
    "quartiers",
    "responses",
    "services_publics",
    "publications",
    "habitants",
)
# Each page's brief: the parts showing what the page shows.
PAGE_PARTS: dict[str, tuple[str, ...]] = {
    "synthese": BRIEF_PARTS,
    "publications": ("publications",),
    "reponses": ("responses",),
    "demandes": ("requests",),
    "quartiers": ("quartiers",),
    "services_publics": ("services_publics",),
    "habitants": ("habitants",),
}
# The pages' titles, as ui/i18n.py writes them (not imported from there: it loads Streamlit,
# which the command line must not need).
PAGE_TITLES: dict[str, tuple[str, str]] = {
    "synthese": ("Synthèse", "Overview"),
    "publications": ("Publications", "Publications"),
    "reponses": ("Réponses aux habitants", "Answers to residents"),
    "demandes": ("Demandes et réclamations", "Requests and complaints"),
    "quartiers": ("Quartiers", "Quartiers"),
    "services_publics": ("Indicateurs Services Publics+", "Services Publics+ indicators"),
    "habitants": ("Ce que disent les habitants", "What residents say"),
}
# The page named after each part, for the title of a brief of parts chosen without a page.
_PART_PAGES: dict[str, str] = {
    "synthese": "synthese",
    "publications": "publications",
    "requests": "demandes",
    "quartiers": "quartiers",
    "responses": "reponses",
    "services_publics": "services_publics",
    "habitants": "habitants",
}
# The definitions of the figures each part prints (keys of BRIEF_DEFINITIONS: together, they
# are all of it, so that the full brief defines what it always has).
HEADER_DEFINITIONS: tuple[str, ...] = ("periode",)
# The requests part and the quartiers part print the same figures, by category or by quartier.
_REQUEST_TABLES: tuple[str, ...] = (
    *dict(FIGURE_GROUPS)["requests"],
    "closed_within_target",
    "requests_breakdown",
    "petits_groupes",
)
PART_DEFINITIONS: dict[str, tuple[str, ...]] = {
    # The key figures, and the sentence on acknowledgements within Services Publics+ deadlines.
    "synthese": (
        *(key for _, keys in FIGURE_GROUPS for key in keys),
        "sp_acknowledgement",
    ),
    "publications": (
        *dict(FIGURE_GROUPS)["publications"],
        "engagement_rate_impressions",
        "engagement_breakdown",
        "content_classes",
        "class_comparison",
        "top_posts",
    ),
    "requests": _REQUEST_TABLES,
    "quartiers": _REQUEST_TABLES,
    "responses": dict(FIGURE_GROUPS)["responses"],
    "services_publics": (
        "sp_acknowledgement",
        "sp_announced_deadline",
        "sve",
        "marianne",
        "satisfaction_survey",
    ),
    "habitants": (
        "messages_received",
        "requests_received",
        "theme_coverage",
        "voice_classes",
        "content_classes",
        "class_comparison",
        "sentiment_over_time",
        "rising_negative_themes",
        "proposals",
        "most_negative",
    ),
}
# Rows printed at most in the residents' part: enough to read, few enough to stay on paper.
VOICE_ROWS = {"themes": 10, "rising": 8, "proposals": 8, "negatives": 8}
# Characters of a resident's text printed before « … ».
TEXT_LENGTH = {"post": 90, "proposal": 110, "negative": 240}
# The classes of residents' texts (metrics.resident_voice), in English for the English brief.
VOICE_CLASSES: dict[str, str] = {
    "question": "question",
    "réclamation": "complaint",
    "remerciement": "thanks",
    "proposition": "proposal",
    "autre": "other",
}
POSTER_DEFINITIONS: tuple[str, ...] = (
    "sp_acknowledgement",
    "sp_announced_deadline",
    "sve",
    "satisfaction_survey",
)


def text(key: str, lang: str = "fr", **values: object) -> str:
    """A word or sentence of the PDF documents in ``lang``."""
    french, english = _TEXT[key]
    chosen = french if lang == "fr" else english
    return chosen.format(**values) if values else chosen


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "fr" else pair[1]


def _page_text(strings: dict[str, dict[str, str]], key: str, lang: str, **values: object) -> str:
    """A string of a page (ui/strings), so that the brief names things as the page does."""
    chosen = strings[key]["fr" if lang == "fr" else "en"]
    return chosen.format(**values) if values else chosen


# ----------------------------------------------------------------------------------------------
# Dates and periods in words


def _locale(lang: str) -> str:
    return "fr_FR" if lang == "fr" else "en_GB"


def day_text(day: date, lang: str = "fr", year: bool = True) -> str:
    """``1er octobre 2026`` / ``1 October 2026`` (without the year when ``year`` is False)."""
    pattern = "d MMMM y" if year else "d MMMM"
    written = format_date(day, pattern, locale=_locale(lang))
    if lang == "fr" and day.day == 1:
        written = "1er" + written[1:]
    return written


def _month(day: date, lang: str, year: bool = True) -> str:
    return format_date(day, "LLLL y" if year else "LLLL", locale=_locale(lang))


def _de(word: str) -> str:
    return ("d'" if word[:1].lower() in "aeiouyéèh" else "de ") + word


def period_label(period: Period, lang: str = "fr") -> str:
    """``octobre 2026``, ``d'août à octobre 2026``, ``année 2026`` or ``du 1er au 15 octobre
    2026`` (the English equivalents with ``lang="en"``)."""
    months = full_months(period)
    start, end = period.start, period.end
    if months == 12 and start.month == 1:
        return f"année {start.year}" if lang == "fr" else f"year {start.year}"
    if months == 1:
        return _month(start, lang)
    if months:
        same_year = start.year == end.year
        first = _month(start, lang, year=not same_year)
        if lang == "fr":
            return f"{_de(first)} à {_month(end, lang)}"
        return f"{first} to {_month(end, lang)}"
    if start == end:
        return ("le " if lang == "fr" else "") + day_text(start, lang)
    if start.year == end.year and start.month == end.month:
        first = "1er" if lang == "fr" and start.day == 1 else str(start.day)
    else:
        first = day_text(start, lang, year=start.year != end.year)
    if lang == "fr":
        return f"du {first} au {day_text(end, lang)}"
    return f"from {first} to {day_text(end, lang)}"


def _sentence_start(period: Period, lang: str) -> str:
    label = period_label(period, lang)
    months = full_months(period)
    if lang == "fr":
        if months == 1 or (months == 12 and period.start.month == 1):
            return "En " + label.replace("année ", "")
        return label[:1].upper() + label[1:]
    if months == 1 or (months == 12 and period.start.month == 1):
        return "In " + label.replace("year ", "")
    return label[:1].upper() + label[1:]


def _comparison_words(current: Period, previous: Period, lang: str) -> str:
    # "en septembre", "d'août à septembre 2026", "du 1er au 14 octobre 2026"
    months = full_months(previous)
    if months == 1:
        label = _month(previous.start, lang, year=previous.start.year != current.end.year)
        return f"en {label}" if lang == "fr" else f"in {label}"
    label = period_label(previous, lang)
    if lang == "fr":
        return label if label.startswith(("du ", "le ")) else f"sur la période {label}"
    return label if label.startswith("from ") else f"over {label}"


def _filters_text(selection: Selection, lang: str) -> list[str]:
    rows = []
    for key, values, gender in (
        ("filter_districts", selection.districts, "m"),
        ("filter_categories", selection.categories, "f"),
        ("filter_channels", selection.channels, "m"),
        ("filter_services", selection.services, "m"),
        ("filter_platforms", selection.platforms, "m"),
    ):
        shown = ", ".join(values) if values else text(f"all_{gender}", lang)
        rows.append(
            f"{text(key, lang)} : {shown}" if lang == "fr" else f"{text(key, lang)}: {shown}"
        )
    return rows


# ----------------------------------------------------------------------------------------------
# Figures in words


def figure_value(key: str, value: float | None, lang: str = "fr") -> str:
    """A Synthèse figure formatted for its unit."""
    if key in RATE_KEYS:
        return rate_text(value, lang, digits=1)
    if key in HOUR_KEYS:
        return hours_text(value, lang)
    return count_text(value, lang)


def _change(key: str, content: BriefContent, lang: str) -> str:
    change = content.synthesis.changes.get(key)
    if change is None or change.delta is None:
        return "—"
    if key in RATE_KEYS:
        return signed_points_text(change.delta, lang)
    if change.relative is None:
        return "—"
    return signed_percent_text(change.relative, lang)


def _percent(value: float | None, lang: str) -> str:
    return rate_text(value, lang, digits=0)


def _value(value: object) -> float | None:
    """A figure read from a frame: None when it is missing (None, NaN)."""
    if value is None or isinstance(value, str):
        return None
    return None if pd.isna(value) else float(value)


def _rate(value: object, lang: str) -> str:
    return rate_text(_value(value), lang)


def _decimal(value: object, lang: str) -> str:
    """A number with one decimal, ``85,4`` (as the pages' tables write interactions per post)."""
    number = _value(value)
    if number is None:
        return missing_text(lang)
    return format_decimal(round(number, 1), format="#,##0.0", locale=_locale(lang))


def _signed(value: object, lang: str, digits: int = 2) -> str:
    """A sentiment score with its sign, ``+0,29`` / ``-0,70`` (as the habitants page writes it)."""
    number = _value(value)
    if number is None:
        return missing_text(lang)
    written = f"{number:+.{digits}f}"
    return written.replace(".", ",") if lang == "fr" else written


def _shortened(value: object, length: int) -> str:
    """A text on one line, without what the font cannot draw, cut at ``length`` characters
    with « … »."""
    if not isinstance(value, str):
        return ""
    flat = " ".join(_drawable(value).split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def _word(value: str, lang: str) -> str:
    """A word behind a sentiment score; an emoji the font cannot draw is named instead."""
    drawn = _drawable(value).strip()
    return drawn or ("[émoji]" if lang == "fr" else "[emoji]")


def _content_class(label: object, lang: str) -> str:
    """A content-audit class as the Publications page names it."""
    key = CLASS_KEYS.get(str(label))
    return _page_text(PUBLICATION_STRINGS, f"publications_class_{key}", lang) if key else str(label)


def _voice_class(label: object, lang: str) -> str:
    return str(label) if lang == "fr" else VOICE_CLASSES.get(str(label), str(label))


def comparison_text(comparison: ClassComparison, lang: str = "fr") -> str:
    """The content-audit comparison sentence: metrics.content_audit's own in French (the one
    the pages show), the same words in English."""
    if lang == "fr":
        return comparison.sentence
    better = _content_class(comparison.better, lang)
    worse = _content_class(comparison.worse, lang)
    ratio = f"{comparison.ratio:.1f}"
    # « 1.0 times as many » says nothing: the French sentence says « à peu près autant » then.
    if ratio == "1.0":
        return text("same_interactions", lang, better=better, worse=worse)
    return text("more_interactions", lang, better=better, worse=worse, ratio=ratio)


def brief_sentences(facts: SentenceFacts, lang: str = "fr") -> list[str]:
    """Three to five plain sentences drawn from the figures (fewer when data is missing)."""
    now, before = facts.synthesis.current, facts.synthesis.previous
    opening = _sentence_start(facts.period, lang)
    against = _comparison_words(facts.period, facts.synthesis.previous_period, lang)
    fr = lang == "fr"
    sentences = []
    share, received = now.get("share_answered"), now.get("messages_received")
    if share is not None:
        line = (
            f"{opening}, {_percent(share, lang)} des {count_text(received, lang)} messages "
            "d'habitants ont reçu une réponse"
            if fr
            else f"{opening}, {_percent(share, lang)} of the {count_text(received, lang)} "
            "resident messages were answered"
        )
        if before.get("share_answered") is not None:
            previous = _percent(before["share_answered"], lang)
            line += f", contre {previous} {against}" if fr else f", against {previous} {against}"
        sentences.append(line + ".")
    if now.get("requests_received"):
        line = (
            f"{count_text(now['requests_received'], lang)} demandes ont été reçues et "
            f"{count_text(now['requests_closed'], lang)} clôturées ; "
            f"{count_text(now['open_backlog'], lang)} restaient en cours à la fin de la période"
            if fr
            else f"{count_text(now['requests_received'], lang)} requests were received and "
            f"{count_text(now['requests_closed'], lang)} closed; "
            f"{count_text(now['open_backlog'], lang)} were still open at the end of the period"
        )
        if before.get("open_backlog") is not None:
            previous = count_text(before["open_backlog"], lang)
            line += f", contre {previous} au début" if fr else f", against {previous} at the start"
        if not sentences:
            line = f"{opening}, {line[0].lower()}{line[1:]}"
        sentences.append(line + ".")
    if now.get("median_resolution_hours") is not None:
        median = hours_text(now["median_resolution_hours"], lang)
        line = (
            f"La moitié des demandes clôturées l'ont été en moins de {median} (délai médian)"
            if fr
            else f"Half of the closed requests were closed within {median} (median time)"
        )
        if before.get("median_resolution_hours") is not None:
            previous = hours_text(before["median_resolution_hours"], lang)
            line += f", contre {previous} {against}" if fr else f", against {previous} {against}"
        sentences.append(line + ".")
    acknowledged = facts.acknowledged_share
    if acknowledged is not None:
        sentences.append(
            f"{_percent(acknowledged, lang)} des demandes écrites ont reçu un accusé de "
            "réception dans les délais de Services Publics+ (1 semaine par voie électronique, "
            "2 semaines par courrier)."
            if fr
            else f"{_percent(acknowledged, lang)} of written requests were acknowledged "
            "within the Services Publics+ deadlines (1 week electronic, 2 weeks by letter)."
        )
    if len(sentences) < 5 and now.get("publications"):
        sentences.append(
            f"Les {count_text(now['publications'], lang)} publications de la collectivité ont "
            f"suscité {count_text(now.get('interactions'), lang)} interactions."
            if fr
            else f"The collectivité's {count_text(now['publications'], lang)} publications "
            f"drew {count_text(now.get('interactions'), lang)} interactions."
        )
    if len(sentences) < 5 and now.get("median_first_response_hours") is not None:
        median = hours_text(now["median_first_response_hours"], lang)
        sentences.append(
            f"Le délai médian de première réponse aux messages était de {median}."
            if fr
            else f"The median first-response time to messages was {median}."
        )
    if not sentences:
        return [text("no_data", lang)]
    return sentences[:5]


# ----------------------------------------------------------------------------------------------
# Fonts and styles

_FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
)
# Marks that only shape the emoji before them (variation selectors, joiner): left out with it.
_EMOJI_MARKS = frozenset({"\u200d", *map(chr, range(0xFE00, 0xFE10))})
# Characters a fallback font may lack, and what to write instead.
_SUBSTITUTES = {"\u202f": "\u00a0", "\u2212": "-", "\u2009": " ", "\u2011": "-"}


@cache
def _fonts() -> tuple[str, str, bool]:
    """(regular, bold, full_unicode): a TrueType family with French typography's narrow
    no-break space when the system has one (DejaVu, Liberation), else reportlab's Vera."""
    import reportlab

    bundled = Path(reportlab.__file__).parent / "fonts"
    candidates = [(Path(a), Path(b), True) for a, b in _FONT_CANDIDATES]
    candidates.append((bundled / "Vera.ttf", bundled / "VeraBd.ttf", False))
    for regular, bold, full in candidates:
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("ParvisSans", str(regular)))
            pdfmetrics.registerFont(TTFont("ParvisSans-Bold", str(bold)))
            pdfmetrics.registerFontFamily(
                "ParvisSans",
                normal="ParvisSans",
                bold="ParvisSans-Bold",
                italic="ParvisSans",
                boldItalic="ParvisSans-Bold",
            )
            return "ParvisSans", "ParvisSans-Bold", full
    return "Helvetica", "Helvetica-Bold", False  # pragma: no cover - reportlab ships Vera


@cache
def _glyphs(font: str) -> frozenset[int] | None:
    """The characters ``font`` can draw; None for a standard PDF font (no character map)."""
    face = getattr(pdfmetrics.getFont(font), "face", None)
    mapping = getattr(face, "charToGlyph", None)
    return frozenset(mapping) if mapping else None


def _drawable(value: str) -> str:
    """``value`` without the characters the font lacks (the emoji of residents' messages and
    of posts): they would print as empty boxes. Characters beyond the Basic Multilingual Plane
    go too, even when the font has them: reportlab writes their text mapping wrongly, so that
    the PDF's text could not be read back or searched."""
    glyphs = _glyphs(_fonts()[0])
    return "".join(
        c
        for c in value
        if c not in _EMOJI_MARKS
        and ord(c) <= 0xFFFF
        and (glyphs is None or ord(c) in glyphs or c in _SUBSTITUTES or c.isspace())
    )


def _printable(value: str) -> str:
    if _fonts()[2]:
        return value
    for missing, substitute in _SUBSTITUTES.items():
        value = value.replace(missing, substitute)
    return value


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold, _ = _fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=bold, fontSize=8.5, leading=10.5
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=bold, fontSize=20, leading=25, spaceAfter=4
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16, spaceAfter=2),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=bold, fontSize=14, leading=18, spaceBefore=10, spaceAfter=5
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=bold, fontSize=11, leading=14, spaceBefore=6, spaceAfter=3
        ),
        "bullet": ParagraphStyle(
            "bullet",
            parent=base,
            fontSize=10.5,
            leading=15,
            leftIndent=12,
            bulletIndent=0,
            spaceAfter=3,
        ),
        "big": ParagraphStyle(
            "big", parent=base, fontName=bold, fontSize=50, leading=56, alignment=TA_CENTER
        ),
        "big_label": ParagraphStyle(
            "big_label", parent=base, fontName=bold, fontSize=13, leading=16, alignment=TA_CENTER
        ),
        "big_detail": ParagraphStyle(
            "big_detail", parent=base, fontSize=9.5, leading=12, alignment=TA_CENTER
        ),
        "poster_title": ParagraphStyle(
            "poster_title", parent=base, fontName=bold, fontSize=26, leading=31, alignment=TA_CENTER
        ),
        "poster_period": ParagraphStyle(
            "poster_period",
            parent=base,
            fontName=bold,
            fontSize=18,
            leading=22,
            alignment=TA_CENTER,
        ),
        "tiny": ParagraphStyle("tiny", parent=base, fontSize=7.5, leading=9.5),
        "poster_sub": ParagraphStyle(
            "poster_sub", parent=base, fontSize=15, leading=19, alignment=TA_CENTER, spaceAfter=4
        ),
    }


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def _para(value: str, style: ParagraphStyle, markdown: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped); with ``markdown``, **bold** and `code` kept."""
    escaped = escape(_printable(value))
    if markdown:
        escaped = _BOLD.sub(r"<b>\1</b>", escaped)
        escaped = _CODE.sub(r"\1", escaped)
    return Paragraph(escaped.replace("\n", "<br/>"), style)


def _table(
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    styles: dict[str, ParagraphStyle],
    numeric_from: int = 1,
) -> Table:
    """A table with a bold header on light grey, thin grey rules, figures right-aligned."""
    right = ParagraphStyle("right", parent=styles["cell"], alignment=2)
    right_bold = ParagraphStyle("right_bold", parent=styles["cell_bold"], alignment=2)
    body = [
        [
            _para(
                str(cell),
                (right_bold if c >= numeric_from else styles["cell_bold"])
                if r == 0
                else (right if c >= numeric_from else styles["cell"]),
            )
            for c, cell in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


# ----------------------------------------------------------------------------------------------
# Charts as images


def chart_png(chart: alt.TopLevelMixin, lang: str = "fr", scale: float = 2) -> bytes | None:
    """The chart as a PNG image, rendered offline by vl-convert (no URL may be fetched);
    None when it cannot be rendered."""
    try:
        import vl_convert

        return vl_convert.vegalite_to_png(
            chart.to_json(),
            scale=scale,
            allowed_base_urls=[],
            format_locale="fr-FR" if lang == "fr" else "en-GB",
            time_format_locale="fr-FR" if lang == "fr" else "en-GB",
        )
    except Exception:  # a chart that fails must not cost the whole document
        return None


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _image(data: bytes | None, width: float, styles, lang: str):
    if not data:
        return _para(text("chart_missing", lang), styles["small"])
    w, h = _png_size(data)
    return Image(io.BytesIO(data), width=width, height=width * h / w)


def flows_chart(flows: list[dict], lang: str = "fr") -> alt.Chart:
    """Requests received and closed per sub-period: two lines told apart by their dash and
    their marker shape, each labelled at its end (readable in black and white)."""
    received, closed = text("received", lang), text("closed", lang)
    rows = []
    for part in flows:
        for series, value in ((received, part["received"]), (closed, part["closed"])):
            rows.append({"start": part["start"], "series": series, "count": value})
    domain = [received, closed]
    axis_date = "%d/%m" if lang == "fr" else "%d %b"
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("start:T", title=None, axis=alt.Axis(format=axis_date, labelAngle=0)),
        y=alt.Y("count:Q", title=text("counts", lang)),
        strokeDash=alt.StrokeDash(
            "series:N",
            scale=alt.Scale(domain=domain, range=[[1, 0], [6, 3]]),
            legend=alt.Legend(title=None, orient="top"),
        ),
        shape=alt.Shape(
            "series:N",
            scale=alt.Scale(domain=domain, range=["circle", "square"]),
            legend=alt.Legend(title=None, orient="top"),
        ),
    )
    lines = base.mark_line(color="#222222", strokeWidth=2)
    points = base.mark_point(color="#222222", filled=True, size=60)
    return (lines + points).properties(width=460, height=190, title=text("flows_title", lang))


# Line dashes and marker shapes telling the series of a black-and-white chart apart.
_DASHES: tuple[list[int], ...] = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3])
_SHAPES: tuple[str, ...] = (
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "cross",
    "triangle-down",
)


def engagement_chart(over_time: pd.DataFrame, freq: str, lang: str = "fr") -> alt.LayerChart | None:
    """The engagement rate (reach) per week or month, all networks together and each network
    with a rate (services.views' ``over_time``): black lines told apart by their dash and their
    marker shape. None when fewer than two sub-periods have a rate: no line to draw.

    The page's builder (ui.charts.engagement_over_time_chart) loads Streamlit and tells the
    series apart by colour first: the brief draws the same data its own way, as flows_chart.
    """
    all_networks = _page_text(PUBLICATION_STRINGS, "publications_all_networks", lang)
    rows = []
    for start, series, rate in zip(
        over_time["start"], over_time["series"], over_time["rate"], strict=True
    ):
        value = _value(rate)
        if value is None:  # a week without posts (or without reach) has no point
            continue
        rows.append(
            {
                "start": pd.Timestamp(start).date().isoformat(),
                "series": all_networks if series == ALL_SERIES else platform_name(series, lang),
                "rate": value,
            }
        )
    if len({row["start"] for row in rows}) < 2:
        return None
    domain = list(dict.fromkeys(row["series"] for row in rows))
    legend = alt.Legend(title=None, orient="top")
    unit, axis_format = (
        ("utcyearmonth", "%b %Y") if freq == "month" else ("utcyearmonthdate", "%d/%m")
    )
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X(
            f"{unit}(start):T",
            title=_page_text(PUBLICATION_STRINGS, f"publications_period_{freq}", lang),
            axis=alt.Axis(format=axis_format, labelAngle=0),
        ),
        y=alt.Y(
            "rate:Q",
            title=_pick(FIGURE_LABELS["engagement_rate_reach"], lang),
            axis=alt.Axis(format=".1~%"),
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            scale=alt.Scale(
                domain=domain, range=[_DASHES[i % len(_DASHES)] for i in range(len(domain))]
            ),
            legend=legend,
        ),
        shape=alt.Shape(
            "series:N",
            scale=alt.Scale(
                domain=domain, range=[_SHAPES[i % len(_SHAPES)] for i in range(len(domain))]
            ),
            legend=legend,
        ),
    )
    lines = base.mark_line(color="#222222", strokeWidth=2)
    points = base.mark_point(color="#222222", filled=True, size=60)
    return (lines + points).properties(width=460, height=170)


# ----------------------------------------------------------------------------------------------
# Page furniture: header line, footer with page numbers


def _numbered_canvas(footer_left: str, lang: str):
    regular, _, _ = _fonts()

    class NumberedCanvas(pdf_canvas.Canvas):
        """Writes « Page n sur N » once the number of pages is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(regular, 8)
                self.setFillColor(colors.black)
                self.setStrokeColor(colors.HexColor("#666666"))
                self.setLineWidth(0.4)
                self.line(18 * mm, 14 * mm, A4[0] - 18 * mm, 14 * mm)
                self.drawString(18 * mm, 10 * mm, _printable(footer_left))
                self.drawRightString(
                    A4[0] - 18 * mm,
                    10 * mm,
                    text("page", lang, page=self._pageNumber, pages=total),
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def _document(
    buffer: io.BytesIO, title: str, author: str, subject: str, lang: str
) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=author,
        subject=subject,
        creator="Parvis",
        lang="fr-FR" if lang == "fr" else "en-GB",
    )


def _generated(moment: datetime, timezone: str, lang: str) -> str:
    local = moment.astimezone(_zone(timezone))
    return day_text(local.date(), lang)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


# ----------------------------------------------------------------------------------------------
# The brief


_HIDDEN_WORDS = {
    # kind → (French singular, plural, feminine), (English singular, plural)
    "quartier": (("quartier", "quartiers", False), ("quartier", "quartiers")),
    "category": (("catégorie", "catégories", True), ("category", "categories")),
}


def _hidden_line(hidden: list[str], size: int, kind: str, lang: str) -> str | None:
    """« 3 quartiers de moins de 10 demandes ne sont pas affichés : A, B, C. »"""
    if not hidden:
        return None
    plural = len(hidden) > 1
    (one, many, feminine), (one_en, many_en) = _HIDDEN_WORDS[kind]
    count, minimum, names = count_text(len(hidden), lang), count_text(size, lang), ", ".join(hidden)
    if lang != "fr":
        verb = "are" if plural else "is"
        return (
            f"{count} {many_en if plural else one_en} with fewer than {minimum} requests "
            f"{verb} not shown: {names}."
        )
    shown = "affiché" + ("e" if feminine else "") + ("s" if plural else "")
    verb = "ne sont pas" if plural else "n'est pas"
    return f"{count} {many if plural else one} de moins de {minimum} demandes {verb} {shown} : {names}."


def _definitions(keys: Iterable[str], styles, lang: str, fields: Sequence[str]) -> list:
    story = []
    labels = {"Formule": text("formula", lang), "Unité": text("unit", lang)}
    labels["Données absentes, division par zéro"] = text("missing_data", lang)
    for key in keys:
        found = method_fields(key)
        parts = [_para(method_title(key), styles["h2"])]
        for field in fields:
            if found.get(field):
                parts.append(
                    _para(f"**{labels[field]}** : {found[field]}", styles["small"], markdown=True)
                )
        story.append(KeepTogether(parts))
    return story


def _key_figures(
    content: BriefContent,
    styles,
    lang: str,
    width: float,
    groups: Iterable[str] | None = None,
) -> Table:
    """The figures of ``groups`` (FIGURE_GROUPS names; all of them by default) for the period
    and the compared one, with the change."""
    chosen = [keys for name, keys in FIGURE_GROUPS if groups is None or name in groups]
    previous = content.synthesis.previous_period
    header = [
        text("figure", lang),
        period_label(content.period, lang),
        period_label(previous, lang),
        text("change", lang),
    ]
    rows = [header]
    for keys in chosen:
        for key in keys:
            rows.append(
                [
                    _pick(FIGURE_LABELS[key], lang),
                    figure_value(key, content.synthesis.current.get(key), lang),
                    figure_value(key, content.synthesis.previous.get(key), lang),
                    _change(key, content, lang),
                ]
            )
    return _table(rows, [width * 0.43, width * 0.2, width * 0.2, width * 0.17], styles)


def _quartier_rows(view: QuartierView, lang: str) -> list[list[str]]:
    header = [
        text("quartier", lang),
        text("received", lang),
        text("closed", lang),
        text("open", lang),
    ]
    if view.has_populations:
        header += [text("per_1000", lang)]
    header += [text("median_close", lang), text("within_target", lang)]
    rows = [header]
    for row in view.rows:
        line = [
            row["group"],
            count_text(row["received"], lang),
            count_text(row["closed"], lang),
            count_text(row["open_at_end"], lang),
        ]
        if view.has_populations:
            line.append(figure_text("received_per_1000", row.get("received_per_1000"), lang))
        line += [
            hours_text(row["median_resolution_hours"], lang),
            rate_text(row["share_closed_within_target"], lang, digits=0),
        ]
        rows.append(line)
    return rows


def _sp_rows(view: ServicesPublicsView, lang: str) -> list[list[str]]:
    rows = [[text("figure", lang), text("value", lang), text("counts", lang)]]
    for count in view.counts:
        detail = (
            text(
                "of_judged",
                lang,
                met=count_text(count.met, lang),
                judged=count_text(count.judged, lang),
            )
            if count.judged
            else "—"
        )
        if count.pending:
            detail += " ; " + text("pending", lang, pending=count_text(count.pending, lang))
        rows.append(
            [
                _pick(SP_LABELS[(count.key, count.scope)], lang),
                rate_text(count.share, lang, digits=1),
                detail,
            ]
        )
    if view.survey is None:
        rows.append([text("satisfaction", lang), text("no_survey", lang), "—"])
    else:
        rows.append(
            [
                text("satisfaction", lang),
                rate_text(view.survey.get("satisfaction_rate"), lang, digits=0),
                count_text(view.survey.get("answers"), lang),
            ]
        )
        rows.append(
            [
                text("net_satisfaction", lang),
                _net_text(view.survey.get("net_satisfaction"), lang),
                count_text(view.survey.get("answers"), lang),
            ]
        )
    return rows


def _net_text(value: float | None, lang: str) -> str:
    if value is None:
        return missing_text(lang)
    return signed_points_text(value, lang).replace("pt", "points" if lang == "fr" else "points")


@dataclass(frozen=True)
class _Layout:
    """What every part's story needs besides the content."""

    styles: dict[str, ParagraphStyle]
    lang: str
    width: float
    # True when the Synthèse's key-figures table is printed: the requests, responses and
    # publications parts then leave their figures to it, so that no figure is printed twice.
    summary: bool
    # All the parts printed (for the same reason: the residents' part leaves the content-audit
    # sentence to the publications part).
    parts: tuple[str, ...] = ()


def brief_parts(parts: Iterable[str] | None = None, page: str | None = None) -> tuple[str, ...]:
    """The parts to print, in the brief's order: ``parts``, else those of ``page``, else all.

    Raises ValueError (in French) for an unknown page or part, or for no part at all.
    """
    if page is not None and page not in PAGE_PARTS:
        raise ValueError(f"Page inconnue : « {page} » (attendu : {', '.join(PAGE_PARTS)}).")
    if parts is None:
        parts = PAGE_PARTS[page] if page is not None else BRIEF_PARTS
    wanted = set(parts)
    unknown = sorted(wanted - set(BRIEF_PARTS))
    if unknown:
        raise ValueError(
            f"Partie du dossier inconnue : {', '.join(unknown)} "
            f"(attendu : {', '.join(BRIEF_PARTS)})."
        )
    if not wanted:
        raise ValueError("Aucune partie du dossier n'est demandée.")
    return tuple(part for part in BRIEF_PARTS if part in wanted)


def brief_definitions(parts: Iterable[str]) -> tuple[str, ...]:
    """The docs/metrics.md keys defined at the end of a brief of ``parts``: the period's and
    those of the figures these parts print, in the full brief's order."""
    wanted = set(HEADER_DEFINITIONS).union(*(PART_DEFINITIONS[part] for part in parts))
    return tuple(key for key in BRIEF_DEFINITIONS if key in wanted)


def brief_title(
    name: str, lang: str = "fr", parts: Iterable[str] | None = None, page: str | None = None
) -> str:
    """« Dossier des élus — <collectivité> » for the whole brief; « Dossier — <page> —
    <collectivité> » for the brief of a page (or of some parts)."""
    chosen = brief_parts(parts, page)
    if chosen == BRIEF_PARTS:
        return f"{text('brief_title', lang)} — {name}"
    if page is not None:
        subject = _pick(PAGE_TITLES[page], lang)
    else:
        subject = ", ".join(_pick(PAGE_TITLES[_PART_PAGES[part]], lang) for part in chosen)
    return f"{text('page_brief_title', lang)} — {subject} — {name}"


def _labelled(label: str, value: str, lang: str) -> str:
    return f"{label} : {value}" if lang == "fr" else f"{label}: {value}"


def _header_part(content: BriefContent, title: str, layout: _Layout) -> list:
    styles, lang = layout.styles, layout.lang
    label = period_label(content.period, lang)
    filters = (" ; " if lang == "fr" else "; ").join(_filters_text(content.selection, lang))
    generated = _generated(content.generated_at, content.period.timezone, lang)
    story: list = [
        _para(title, styles["title"]),
        _para(
            _labelled(text("period", lang), f"{label} ({content.period.timezone})", lang),
            styles["subtitle"],
        ),
        _para(
            _labelled(
                text("compared", lang),
                period_label(content.synthesis.previous_period, lang),
                lang,
            ),
            styles["body"],
        ),
        _para(_labelled(text("filters", lang), filters, lang), styles["body"]),
        _para(f"{text('generated', lang)} {generated}", styles["body"]),
    ]
    if content.is_demo:
        story.append(_para(f"**{text('demo', lang)}**", styles["body"], markdown=True))
    return story


def _synthese_part(content: BriefContent, layout: _Layout) -> list:
    styles, lang = layout.styles, layout.lang
    story: list = [Spacer(1, 4 * mm), _para(text("essential", lang), styles["h1"])]
    for sentence in brief_sentences(content.sentence_facts, lang):
        story.append(Paragraph(escape(_printable(sentence)), styles["bullet"], bulletText="•"))
    story += [
        _para(text("key_figures", lang), styles["h1"]),
        _key_figures(content, styles, lang, layout.width),
    ]
    return story


def _group_figures(content: BriefContent, group: str, layout: _Layout) -> list:
    """The key figures of one part, at its head, when the Synthèse's table is not printed."""
    if layout.summary:
        return []
    table = _key_figures(content, layout.styles, layout.lang, layout.width, groups=(group,))
    return [table, Spacer(1, 2 * mm)]


def _requests_part(content: BriefContent, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    requests = content.sections["requests"]
    story: list = [CondPageBreak(90 * mm), _para(text("requests", lang), styles["h1"])]
    story += _group_figures(content, "requests", layout)
    if requests.get("flows"):
        story.append(
            _image(
                chart_png(flows_chart(requests["flows"], lang), lang), width * 0.95, styles, lang
            )
        )
        story.append(_para(text("flows_desc", lang), styles["small"]))
    categories = requests.get("breakdowns", {}).get("category", {})
    if categories.get("groups"):
        rows = [
            [
                text("category", lang),
                text("received", lang),
                text("closed", lang),
                text("open", lang),
                text("median_close", lang),
                text("within_target", lang),
            ]
        ]
        for row in categories["groups"]:
            rows.append(
                [
                    row["group"],
                    count_text(row["received"], lang),
                    count_text(row["closed"], lang),
                    count_text(row["open_at_end"], lang),
                    hours_text(row["median_resolution_hours"], lang),
                    rate_text(row["share_closed_within_target"], lang, digits=0),
                ]
            )
        story += [
            _para(text("by_category", lang), styles["h2"]),
            _table(rows, [width * 0.3] + [width * 0.14] * 5, styles),
        ]
        line = _hidden_line(
            categories.get("hidden", []),
            categories.get("minimum_size", 10),
            "category",
            lang,
        )
        if line:
            story.append(_para(line, styles["small"]))
    if requests.get("aging"):
        rows = [[_pick(AGING_LABELS[k], lang) for k in AGING_LABELS]]
        rows.append([count_text(requests["aging"].get(k), lang) for k in AGING_LABELS])
        story += [
            _para(text("aging", lang), styles["h2"]),
            _table(rows, [width / 4] * 4, styles, numeric_from=0),
        ]
    return story


def _quartiers_part(content: BriefContent, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    quartiers = content.quartiers
    story: list = [CondPageBreak(120 * mm), _para(text("quartiers", lang), styles["h1"])]
    figure = "received_per_1000" if quartiers.has_populations else "received"
    chart = map_chart(quartiers, figure, lang, width=460, height=330)
    if chart is not None:
        story.append(_image(chart_png(chart, lang), width * 0.9, styles, lang))
        story.append(_para(map_description(quartiers, figure, lang), styles["small"]))
    else:
        story.append(_para(text("no_map", lang), styles["small"]))
    if quartiers.rows:
        rows = _quartier_rows(quartiers, lang)
        count = len(rows[0])
        story += [
            Spacer(1, 2 * mm),
            _table(rows, [width * 0.22] + [width * 0.78 / (count - 1)] * (count - 1), styles),
        ]
    line = _hidden_line(quartiers.hidden, quartiers.minimum_size, "quartier", lang)
    if line:
        story.append(_para(line, styles["small"]))
    return story


def _responses_part(content: BriefContent, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    responses = content.sections["responses"]
    figures = _group_figures(content, "responses", layout)
    story: list = []
    if responses.get("by_channel"):
        rows = [
            [
                text("channel", lang),
                text("messages", lang),
                text("needing", lang),
                text("answered", lang),
                text("response_rate", lang),
                text("median_first", lang),
                text("target", lang),
                text("within_target", lang),
            ]
        ]
        for row in responses["by_channel"]:
            rows.append(
                [
                    row["channel"],
                    count_text(row["messages_received"], lang),
                    count_text(row["needing_answer"], lang),
                    count_text(row["answered"], lang),
                    rate_text(row["response_rate"], lang, digits=0),
                    hours_text(row.get("median_hours"), lang),
                    row.get("target") or "—",
                    rate_text(row.get("share_within_target"), lang, digits=0),
                ]
            )
        if figures:
            # Two tables in a row: the second one needs its own title.
            story.append(_para(text("by_channel", lang), styles["h2"]))
        story.append(_table(rows, [width * 0.16] + [width * 0.12] * 7, styles))
    if not figures and not story:
        # Without messages the full brief has never printed an empty « Réponses » heading.
        return []
    return [CondPageBreak(50 * mm), _para(text("responses", lang), styles["h1"])] + figures + story


def _subsection(title: str, body: list, styles, room: float = 35 * mm) -> list:
    """A titled block of a part: the title never ends a page alone."""
    return [CondPageBreak(room), _para(title, styles["h2"]), *body]


def _publications_part(content: BriefContent, layout: _Layout) -> list:
    styles, lang = layout.styles, layout.lang
    brief = content.publications
    assert brief is not None  # render_brief checks it
    story: list = [CondPageBreak(60 * mm), _para(text("publications", lang), styles["h1"])]
    story += _group_figures(content, "publications", layout)
    if not brief.view.figures["publications"]:
        empty = _page_text(PUBLICATION_STRINGS, "publications_empty", lang)
        return story + [_para(empty, styles["body"])]
    story += _networks_block(brief, layout)
    story += _engagement_block(brief, layout)
    story += _classes_block(brief, layout)
    return story + _top_posts_block(brief, layout)


def _rate_headers(lang: str) -> list[str]:
    return [
        _pick(FIGURE_LABELS["engagement_rate_reach"], lang),
        _pick(FIGURE_LABELS["engagement_rate_impressions"], lang),
    ]


def _networks_block(brief: PublicationsBrief, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    rows = [
        [
            text("network", lang),
            text("publications", lang),
            _page_text(PUBLICATION_STRINGS, "publications_interactions", lang),
            *_rate_headers(lang),
        ]
    ]
    unrated = False
    for row in brief.networks.itertuples():
        rates = (_value(row.engagement_rate_reach), _value(row.engagement_rate_impressions))
        unrated = unrated or None in rates
        rows.append(
            [
                platform_name(row.platform, lang),
                count_text(row.posts, lang),
                count_text(row.interactions, lang),
                *(rate_text(rate, lang) for rate in rates),
            ]
        )
    widths = [width * 0.2, width * 0.145, width * 0.145, width * 0.255, width * 0.255]
    body: list = [_table(rows, widths, styles)]
    if unrated:
        body.append(_para(text("no_network_rate", lang), styles["small"]))
    return _subsection(text("by_network", lang), body, styles)


def _engagement_block(brief: PublicationsBrief, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    view = brief.view
    chart = engagement_chart(view.over_time, view.freq, lang)
    if chart is None:
        return []
    description = _page_text(
        PUBLICATION_STRINGS,
        f"publications_over_time_desc_{view.freq}",
        lang,
        base=_page_text(PUBLICATION_STRINGS, "publications_base_reach", lang),
        rate=rate_text(view.figures["engagement_rate_reach"], lang),
    )
    body = [
        _image(chart_png(chart, lang), width * 0.9, styles, lang),
        _para(description, styles["small"]),
    ]
    title = _page_text(PUBLICATION_STRINGS, "publications_over_time", lang)
    return _subsection(title, body, styles, room=85 * mm)


def _classes_block(brief: PublicationsBrief, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    rows = [
        [
            _page_text(PUBLICATION_STRINGS, "publications_content_class", lang),
            text("publications", lang),
            _page_text(PUBLICATION_STRINGS, "publications_interactions_per_post", lang),
            *_rate_headers(lang),
        ]
    ]
    for label, row in brief.classes.iterrows():
        rows.append(
            [
                _content_class(label, lang),
                count_text(row["posts"], lang),
                _decimal(row["interactions_per_post"], lang),
                _rate(row["engagement_rate_reach"], lang),
                _rate(row["engagement_rate_impressions"], lang),
            ]
        )
    widths = [width * 0.24, width * 0.145, width * 0.175, width * 0.22, width * 0.22]
    body = [
        _comparison_paragraph(brief.comparison, styles, lang),
        Spacer(1, 1.5 * mm),
        _table(rows, widths, styles),
        _para(
            _page_text(PUBLICATION_STRINGS, "publications_classes_caption", lang), styles["small"]
        ),
    ]
    title = _page_text(PUBLICATION_STRINGS, "publications_by_content", lang)
    return _subsection(title, body, styles, room=55 * mm)


def _comparison_paragraph(comparison: ClassComparison | None, styles, lang: str) -> Paragraph:
    if comparison is None:
        return _para(_page_text(VOICE_STRINGS, "voice_audit_none", lang), styles["body"])
    return _para(f"**{comparison_text(comparison, lang)}**", styles["body"], markdown=True)


def _top_posts_block(brief: PublicationsBrief, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    view = brief.view
    base = _page_text(PUBLICATION_STRINGS, "publications_base_reach", lang)
    minimum = _page_text(
        PUBLICATION_STRINGS,
        "publications_minimum_reach",
        lang,
        count=count_text(view.minimum_base, lang),
    )
    if view.top_posts.empty:
        empty = _page_text(
            PUBLICATION_STRINGS, "publications_ranked_empty", lang, minimum=minimum, base=base
        )
        return _subsection(text("top_posts", lang), [_para(empty, styles["body"])], styles)
    rows = [
        [
            _page_text(PUBLICATION_STRINGS, "publications_published_at", lang),
            text("network", lang),
            _page_text(PUBLICATION_STRINGS, "publications_excerpt", lang),
            _page_text(PUBLICATION_STRINGS, "publications_interactions", lang),
            _rate_headers(lang)[0],
        ]
    ]
    for row in view.top_posts.itertuples():
        rows.append(
            [
                _local_moment(row.published_at, lang),
                platform_name(row.platform, lang),
                _shortened(row.excerpt, TEXT_LENGTH["post"]),
                count_text(row.interactions, lang),
                _rate(row.rate, lang),
            ]
        )
    caption = _page_text(
        PUBLICATION_STRINGS, "publications_ranked_caption", lang, base=base, minimum=minimum
    )
    widths = [width * 0.15, width * 0.12, width * 0.36, width * 0.15, width * 0.22]
    body = [
        _para(caption, styles["small"]),
        Spacer(1, 1.5 * mm),
        _table(rows, widths, styles, numeric_from=3),
    ]
    return _subsection(text("top_posts", lang), body, styles, room=50 * mm)


def _local_moment(value: object, lang: str) -> str:
    """A date and time of services.views, already in the collectivité's time zone."""
    if value is None or pd.isna(value):
        return ""
    moment = pd.Timestamp(value)
    return f"{date_text(moment.date(), lang)} {moment:%H:%M}"


def _side_by_side(left: list, right: list, width: float) -> Table:
    """Two columns of flowables (two small tables with their titles) on one row."""
    gap = 6 * mm
    half = (width - gap) / 2
    table = Table([[left, "", right]], colWidths=[half, gap, half])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _voice_text(key: str, lang: str, **values: object) -> str:
    return _page_text(VOICE_STRINGS, key, lang, **values)


def _habitants_part(content: BriefContent, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    brief = content.voice
    assert brief is not None  # render_brief checks it
    view = brief.view
    story: list = [CondPageBreak(60 * mm), _para(text("habitants", lang), styles["h1"])]
    if view.messages + view.requests == 0:
        return story + [_para(_voice_text("voice_empty", lang), styles["body"])]
    rows = [
        [text("figure", lang), text("value", lang)],
        [_voice_text("voice_messages", lang), count_text(view.messages, lang)],
        [_voice_text("voice_requests", lang), count_text(view.requests, lang)],
        [_voice_text("voice_theme_coverage", lang), rate_text(view.theme_coverage, lang)],
        [_voice_text("voice_class_coverage", lang), rate_text(view.voice_coverage, lang)],
    ]
    story += [
        _para(text("habitants_note", lang), styles["small"]),
        Spacer(1, 2 * mm),
        _table(rows, [width * 0.6, width * 0.4], styles),
    ]
    if "publications" not in layout.parts:
        # With the publications part, the sentence is printed there, above its table.
        body = [_comparison_paragraph(brief.comparison, styles, lang)]
        story += _subsection(_voice_text("voice_audit", lang), body, styles, room=20 * mm)
    story += [CondPageBreak(60 * mm), Spacer(1, 2 * mm), _themes_and_classes(view, layout)]
    story += _sentiment_block(brief, layout)
    story += _rising_block(brief, layout)
    story += _proposals_block(view, layout)
    return story + _negatives_block(view, content.period.timezone, layout)


def _themes_and_classes(view: VoiceView, layout: _Layout) -> Table:
    styles, lang = layout.styles, layout.lang
    half = (layout.width - 6 * mm) / 2
    shown = view.themes.head(VOICE_ROWS["themes"])
    rows = [[_voice_text("voice_theme", lang), text("texts", lang)]]
    rows += [[str(row.theme), count_text(row.texts, lang)] for row in shown.itertuples()]
    left: list = [
        _para(_voice_text("voice_themes", lang), styles["h2"]),
        _table(rows, [half * 0.62, half * 0.38], styles),
    ]
    others = len(view.themes) - len(shown)
    if others:
        left.append(
            _para(text("more_themes", lang, count=count_text(others, lang)), styles["small"])
        )
    rows = [[_voice_text("voice_class", lang), text("texts", lang)]]
    rows += [
        [_voice_class(label, lang), count_text(texts, lang)]
        for label, texts in zip(view.voices["class"], view.voices["texts"], strict=True)
    ]
    right: list = [
        _para(_voice_text("voice_classes", lang), styles["h2"]),
        _table(rows, [half * 0.62, half * 0.38], styles),
    ]
    return _side_by_side(left, right, layout.width)


def _sentiment_block(brief: VoiceBrief, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    title = _voice_text("voice_sentiment", lang)
    if brief.sentiment.empty:
        return _subsection(
            title, [_para(_voice_text("voice_no_sentiment", lang), styles["body"])], styles
        )
    rows = [
        [
            text("week", lang),
            text("network", lang),
            text("scored", lang),
            _voice_text("voice_col_mean", lang),
            _voice_text("voice_col_negative", lang),
        ]
    ]
    for row in brief.sentiment.itertuples():
        rows.append(
            [
                date_text(pd.Timestamp(row.period).date(), lang),
                platform_name(row.channel, lang),
                count_text(row.n, lang),
                _signed(row.mean_compound, lang),
                _rate(row.negative_share, lang),
            ]
        )
    widths = [width * 0.22, width * 0.2, width * 0.18, width * 0.18, width * 0.22]
    body: list = [
        _para(text("sentiment_note", lang), styles["small"]),
        Spacer(1, 1.5 * mm),
        _table(rows, widths, styles, numeric_from=2),
    ]
    if brief.weeks > SENTIMENT_WEEKS:
        weeks = text("sentiment_weeks", lang, shown=SENTIMENT_WEEKS, weeks=brief.weeks)
        body.append(_para(weeks, styles["small"]))
    return _subsection(title, body, styles, room=50 * mm)


def _rising_block(brief: VoiceBrief, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    body: list = []
    if brief.rising.empty:
        body.append(_para(_voice_text("voice_rising_none", lang), styles["body"]))
    else:
        rows = [
            [
                _voice_text(key, lang)
                for key in (
                    "voice_theme",
                    "voice_col_n_previous",
                    "voice_col_negative_previous",
                    "voice_col_n_current",
                    "voice_col_negative_current",
                    "voice_col_change",
                )
            ]
        ]
        for row in brief.rising.head(VOICE_ROWS["rising"]).itertuples():
            change = _value(row.change)
            rows.append(
                [
                    str(row.theme),
                    count_text(row.n_previous, lang),
                    _rate(row.negative_share_previous, lang),
                    count_text(row.n_current, lang),
                    _rate(row.negative_share_current, lang),
                    missing_text(lang) if change is None else signed_points_text(change, lang),
                ]
            )
        body.append(_table(rows, [width * 0.25] + [width * 0.15] * 5, styles))
    if brief.rising_hidden:
        hidden = _voice_text("voice_rising_hidden", lang, count=brief.rising_hidden)
        body.append(_para(hidden, styles["small"]))
    return _subsection(_voice_text("voice_rising", lang), body, styles, room=45 * mm)


def _proposals_block(view: VoiceView, layout: _Layout) -> list:
    styles, lang, width = layout.styles, layout.lang, layout.width
    title = _voice_text("voice_proposals", lang)
    if view.proposals.empty:
        return _subsection(
            title, [_para(_voice_text("voice_proposals_none", lang), styles["body"])], styles
        )
    rows = [
        [
            _voice_text(key, lang)
            for key in (
                "voice_theme",
                "voice_col_example",
                "voice_col_keywords",
                "voice_col_residents",
                "voice_col_texts",
            )
        ]
    ]
    shown = view.proposals.head(VOICE_ROWS["proposals"])
    for row in shown.itertuples():
        rows.append(
            [
                str(row.theme),
                _shortened(row.representative, TEXT_LENGTH["proposal"]),
                _drawable(", ".join(str(word) for word in row.keywords)),
                count_text(row.residents, lang),
                count_text(row.texts, lang),
            ]
        )
    widths = [width * 0.16, width * 0.36, width * 0.18, width * 0.14, width * 0.16]
    body: list = [_table(rows, widths, styles, numeric_from=3)]
    others = len(view.proposals) - len(shown)
    if others:
        body.append(
            _para(text("more_proposals", lang, count=count_text(others, lang)), styles["small"])
        )
    return _subsection(title, body, styles, room=50 * mm)


def _negatives_block(view: VoiceView, timezone: str, layout: _Layout) -> list:
    styles, lang = layout.styles, layout.lang
    title = _voice_text("voice_negatives", lang)
    if view.negatives.empty:
        return _subsection(
            title, [_para(_voice_text("voice_negatives_none", lang), styles["body"])], styles
        )
    body = [
        KeepTogether(_negative_text(row, timezone, styles, lang))
        for row in view.negatives.head(VOICE_ROWS["negatives"]).itertuples()
    ]
    return _subsection(title, body, styles)


def _negative_text(row, timezone: str, styles, lang: str) -> list:
    """One of the most negative texts: when and where, the text, its score and its words."""
    day = date_text(pd.Timestamp(row.at).tz_convert(timezone).date(), lang)
    if row.source == "demande":
        category = _drawable(row.category) if isinstance(row.category, str) else ""
        where = text("negative_source_request", lang, date=day, category=category or "—")
    else:
        network = platform_name(row.channel, lang)
        where = text("negative_source_message", lang, date=day, network=network)
    words = ", ".join(
        f"{_word(word, lang)} ({_signed(score, lang, 1)})" for word, score in row.words
    )
    score = text("negative_score", lang, score=_signed(row.compound, lang), words=words or "—")
    quoted = text("quoted", lang, text=_shortened(row.text, TEXT_LENGTH["negative"]))
    return [
        Spacer(1, 1.5 * mm),
        _para(where, styles["small"]),
        _para(quoted, styles["body"]),
        _para(score, styles["small"]),
    ]


def _services_publics_part(content: BriefContent, layout: _Layout) -> list:
    width = layout.width
    return [
        CondPageBreak(70 * mm),
        _para(text("services_publics", layout.lang), layout.styles["h1"]),
        _table(
            _sp_rows(content.services_publics, layout.lang),
            [width * 0.45, width * 0.2, width * 0.35],
            layout.styles,
        ),
    ]


def _definitions_part(keys: Iterable[str], layout: _Layout) -> list:
    styles, lang = layout.styles, layout.lang
    story: list = [
        CondPageBreak(60 * mm),
        _para(text("definitions", lang), styles["h1"]),
        _para(text("definitions_note", lang), styles["small"]),
    ]
    return story + _definitions(keys, styles, lang, ("Formule", "Unité"))


_PART_STORIES = {
    "synthese": _synthese_part,
    "publications": _publications_part,
    "requests": _requests_part,
    "quartiers": _quartiers_part,
    "responses": _responses_part,
    "services_publics": _services_publics_part,
    "habitants": _habitants_part,
}


def render_brief(
    content: BriefContent,
    lang: str = "fr",
    parts: Iterable[str] | None = None,
    page: str | None = None,
) -> bytes:
    """The PDF brief of ``content`` (A4, numbered pages, black-and-white friendly).

    ``parts`` (names of BRIEF_PARTS) chooses what is printed; without it, the parts of
    ``page`` (PAGE_PARTS), else all of them. The header (title, period, comparison, filters,
    date, demo notice) is always printed, and the definitions are those of the printed figures.
    """
    chosen = brief_parts(parts, page)
    computed = {"publications": content.publications, "habitants": content.voice}
    missing = [part for part in chosen if part in OPTIONAL_PARTS and computed[part] is None]
    if missing:
        raise ValueError(
            f"Le contenu du dossier a été calculé sans la partie : {', '.join(missing)} "
            "(brief_content(…, parts=…))."
        )
    styles = _styles()
    buffer = io.BytesIO()
    label = period_label(content.period, lang)
    title = brief_title(content.name, lang, parts, page)
    document = _document(buffer, title, content.name, label, lang)
    layout = _Layout(styles, lang, document.width, summary="synthese" in chosen, parts=chosen)
    story = _header_part(content, title, layout)
    for part in chosen:
        story += _PART_STORIES[part](content, layout)
    story += _definitions_part(brief_definitions(chosen), layout)
    footer = f"Parvis — {content.name} — {label}"
    document.build(story, canvasmaker=_numbered_canvas(footer, lang))
    return buffer.getvalue()


def brief_pdf(
    engine: Engine,
    period: Period,
    selection: Selection = ALL,
    lang: str = "fr",
    parts: Iterable[str] | None = None,
    page: str | None = None,
) -> bytes:
    """The PDF brief of ``period`` within ``selection``, from the stored data: every part, or
    ``parts``, or those of ``page`` (see render_brief)."""
    chosen = brief_parts(parts, page)  # an unknown name fails before any figure is computed
    # brief_content computes the other parts in one go (about half a second on the demo
    # commune); the publications and residents' parts only when printed. What a page brief
    # saves besides is the drawing of the parts it leaves out, charts above all.
    content = brief_content(engine, period, selection, parts=chosen)
    return render_brief(content, lang, parts, page)


# ----------------------------------------------------------------------------------------------
# The Services Publics+ poster


def _big_cell(value: str, label: str, detail: str, styles) -> list:
    return [
        _para(value, styles["big"]),
        Spacer(1, 2 * mm),
        _para(label, styles["big_label"]),
        Spacer(1, 2 * mm),
        _para(detail, styles["big_detail"]),
    ]


def _big_grid(blocks: list[tuple[str, str, str]], styles, width: float) -> Table:
    """Two rows of two framed figures; the frames of a row have the same height."""
    gap = 6 * mm
    half = (width - gap) / 2
    cells = [_big_cell(*block, styles) for block in blocks]
    rows = [[cells[0], "", cells[1]], ["", "", ""], [cells[2], "", cells[3]]]
    grid = Table(rows, colWidths=[half, gap, half], rowHeights=[None, gap, None])
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 10),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 1), (-1, 1), 0),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 0),
    ]
    for row in (0, 2):
        for column in (0, 2):
            style.append(("BOX", (column, row), (column, row), 2, colors.black))
    grid.setStyle(TableStyle(style))
    return grid


def _detail(view: ServicesPublicsView, key: str, scope: str, lang: str, promise: str) -> str:
    count = view.count(key, scope)
    if not count.judged:
        return f"{promise}\n{text('poster_none', lang)}"
    judged = text(
        "poster_count", lang, met=count_text(count.met, lang), judged=count_text(count.judged, lang)
    )
    return f"{promise}\n{judged}"


def _big_value(share: float | None, lang: str) -> str:
    # A missing figure is a dash: « non disponible » would not fit in the big type.
    return "—" if share is None else _percent(share, lang)


def render_poster(
    view: ServicesPublicsView,
    name: str,
    lang: str = "fr",
    is_demo: bool = False,
    generated_at: datetime | None = None,
) -> bytes:
    """The A4 poster of the Services Publics+ figures for the reception hall: big figures, the
    period, the definitions; black on white."""
    styles = _styles()
    buffer = io.BytesIO()
    label = period_label(view.period, lang)
    document = _document(buffer, f"{text('poster_title', lang)} — {name}", name, label, lang)
    width = document.width
    fr = lang == "fr"
    promises = (
        (
            ("sp_acknowledgement", "overall"),
            (
                "des demandes écrites ont reçu un accusé de réception à temps",
                "of written requests acknowledged in time",
            ),
            (
                "Engagement : sous 1 semaine par voie électronique, 2 semaines par courrier.",
                "Commitment: within 1 week electronically, 2 weeks by letter.",
            ),
        ),
        (
            ("sp_announced_deadline", "closed"),
            (
                "des demandes traitées dans le délai annoncé",
                "of requests handled within the announced deadline",
            ),
            (
                "Engagement : respecter le délai de traitement annoncé.",
                "Commitment: meet the announced handling time.",
            ),
        ),
        (
            ("sve", "electronic"),
            (
                "des demandes en ligne ont une réponse ou un accusé en 10 jours ouvrés",
                "of online requests answered or acknowledged within 10 working days",
            ),
            (
                "Saisine par voie électronique (code des relations entre le public et "
                "l'administration).",
                "Electronic referral (code des relations entre le public et l'administration).",
            ),
        ),
    )
    blocks = []
    for (key, scope), phrase, promise in promises:
        share = view.count(key, scope).share
        # Without a figure, the block is named by its indicator rather than by a phrase that
        # would follow a number.
        title = _pick(phrase, lang) if share is not None else _pick(SP_LABELS[(key, scope)], lang)
        blocks.append(
            (_big_value(share, lang), title, _detail(view, key, scope, lang, _pick(promise, lang)))
        )
    if view.survey is None:
        blocks.append(
            (
                "—",
                text("satisfaction", lang),
                text("no_survey", lang).capitalize()
                + (" pour cette période." if fr else " for this period."),
            )
        )
    else:
        blocks.append(
            (
                _percent(view.survey.get("satisfaction_rate"), lang),
                "des usagers interrogés sont satisfaits"
                if fr
                else "of surveyed users are satisfied",
                f"{text('net_satisfaction', lang)} : {_net_text(view.survey.get('net_satisfaction'), lang)}",
            )
        )
    grid = _big_grid(blocks, styles, width)
    story: list = [
        _para(name, styles["poster_sub"]),
        _para(text("poster_title", lang), styles["poster_title"]),
        Spacer(1, 2 * mm),
        _para(label[:1].upper() + label[1:], styles["poster_period"]),
        Spacer(1, 6 * mm),
        grid,
    ]
    references = [
        f"{_pick(SP_LABELS[(c.key, c.scope)], lang)} : {_percent(c.share, lang)}"
        for c in view.counts
        if c.key == "marianne" and c.share is not None
    ]
    if references:
        story.append(_para(" ; ".join(references) + ".", styles["body"]))
    story += [Spacer(1, 3 * mm), _para(text("definitions", lang), styles["h2"])]
    for key in POSTER_DEFINITIONS:
        formula = method_fields(key).get("Formule", "")
        story.append(_para(f"**{method_title(key)}** : {formula}", styles["tiny"], markdown=True))
    moment = generated_at or datetime.now().astimezone()
    story += [
        Spacer(1, 3 * mm),
        _para(
            text("source", lang, date=_generated(moment, view.period.timezone, lang)),
            styles["small"],
        ),
    ]
    if is_demo:
        story.append(_para(f"**{text('demo', lang)}**", styles["small"], markdown=True))
    footer = f"{name} — Services Publics+ — {label}"
    document.build(story, canvasmaker=_numbered_canvas(footer, lang))
    return buffer.getvalue()


def poster_pdf(
    engine: Engine, period: Period, selection: Selection = ALL, lang: str = "fr"
) -> bytes:
    """The Services Publics+ poster of ``period`` within ``selection``, from the stored data."""
    view = services_publics_view(engine, period, selection)
    return render_poster(view, current_settings(engine).name, lang, has_demo(engine))
