"""French (or English) formatting of numbers, rates, durations and dates, through babel."""

from __future__ import annotations

from datetime import date

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "fr_FR")


def missing_text(lang: str = "fr") -> str:
    """What a figure that cannot be computed shows (see docs/metrics.md)."""
    return "non disponible" if lang == "fr" else "not available"


def count_text(value: int | float | None, lang: str = "fr") -> str:
    """A count: ``12 345`` in French."""
    if value is None:
        return missing_text(lang)
    return format_decimal(value, format="#,##0", locale=_locale(lang))


def rate_text(value: float | None, lang: str = "fr", digits: int = 1) -> str:
    """A fraction as a percentage: ``4,2 %`` in French."""
    if value is None:
        return missing_text(lang)
    space = " " if lang == "fr" else ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + space + "%"
    return format_percent(value, format=pattern, locale=_locale(lang))


def hours_text(value: float | None, lang: str = "fr") -> str:
    """A duration in hours, readable: ``45 min``, ``3,5 h``, ``2,1 jours`` (``days``)."""
    if value is None:
        return missing_text(lang)
    locale = _locale(lang)
    if value < 1:
        return f"{format_decimal(round(value * 60), locale=locale)} min"
    if value < 48:
        return f"{format_decimal(round(value, 1), format='#,##0.#', locale=locale)} h"
    days = format_decimal(round(value / 24, 1), format="#,##0.#", locale=locale)
    return f"{days} {'jours' if lang == 'fr' else 'days'}"


def date_text(value: date, lang: str = "fr") -> str:
    """A date as ``31/12/2026`` (French) or ``31/12/2026`` (British English)."""
    return format_date(value, format="dd/MM/yyyy", locale=_locale(lang))


def month_text(value: date, lang: str = "fr") -> str:
    """A month with its name: ``octobre 2026``."""
    return format_date(value, format="LLLL yyyy", locale=_locale(lang))


def signed_percent_text(value: float, lang: str = "fr") -> str:
    """A relative change: ``+12,5 %`` / ``-3,0 %``."""
    sign = "+" if value >= 0 else "-"
    return sign + format_percent(abs(value), format="#,##0.0 %", locale=_locale(lang))


def signed_points_text(value: float, lang: str = "fr") -> str:
    """A change of a rate in percentage points: ``+1,2 pt``."""
    sign = "+" if value >= 0 else "-"
    points = format_decimal(abs(value) * 100, format="#,##0.0", locale=_locale(lang))
    return f"{sign}{points} pt"


def datetime_text(value: object, timezone: str, lang: str = "fr") -> str:
    """A stored naive-UTC moment shown in the collectivité's zone: ``30/11/2026 14:05``."""
    if value is None or pd.isna(value):
        return ""
    moment = pd.Timestamp(value)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    local = moment.tz_convert(timezone)
    return f"{date_text(local.date(), lang)} {local:%H:%M}"


# Platform names as people write them (stored values are lower case).
PLATFORM_NAMES: dict[str, str] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "twitter": "X",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "youtube": "YouTube",
}


def platform_name(value: object, lang: str = "fr") -> str:
    """A platform's name as people write it: ``facebook`` → ``Facebook``, ``x`` → ``X``;
    « non disponible » when there is none."""
    if not isinstance(value, str) or not value.strip():
        return missing_text(lang)
    return PLATFORM_NAMES.get(value.strip().lower(), value)
