"""Shared page pieces: the engine, cached data access, the period picker, KPI tiles, banners."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from metrics.definitions import method_text
from metrics.period import Period
from metrics.synthesis import RATE_KEYS, FigureChange
from services import column_cache, imports, synthesis
from services.settings import CollectiviteSettings, current_settings
from store import aggregates, repository
from store.db import database_url, ready_engine
from store.repository import Selection
from ui.format import (
    count_text,
    date_text,
    hours_text,
    rate_text,
    signed_percent_text,
    signed_points_text,
)
from ui.i18n import language, t


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    # A server lives long enough to keep a large database's columns in memory (see
    # services.column_cache): they are loaded in the background, the database answers until then.
    column_cache.enable_background_loading()
    return ready_engine(url)


def engine() -> Engine:
    """The migrated engine of the configured database, shared by every session."""
    return _engine_for(database_url())


def data_version() -> tuple[int, ...]:
    """Changes whenever an import or undo changes the data: the key of every data cache."""
    return repository.data_version(engine())


@st.cache_data(show_spinner=False, max_entries=16)
def _filter_values(
    url: str, version: tuple[int, ...], kind: str, columns: tuple[str, ...]
) -> dict[str, list[str]]:
    return aggregates.filter_values(_engine_for(url), kind, columns)


def filter_choices(kind: str, columns: tuple[str, ...]) -> dict[str, list[str]]:
    """The values each sidebar filter on ``kind`` offers, per column; read again only after the
    data changed (a DISTINCT over a million requests is not free, and every page run draws
    the sidebar)."""
    return _filter_values(database_url(), data_version(), kind, columns)


@st.cache_data(show_spinner=False, max_entries=64)
def _synthesis(
    url: str,
    version: tuple[int, ...],
    start: date,
    end: date,
    timezone: str,
    selection: Selection,
) -> synthesis.Synthesis:
    return synthesis.synthesis(_engine_for(url), Period(start, end, timezone), selection)


def cached_synthesis(period: Period, selection: Selection) -> synthesis.Synthesis:
    """The Synthèse of ``period`` within ``selection``, recomputed only after the data changed."""
    return _synthesis(
        database_url(), data_version(), period.start, period.end, period.timezone, selection
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _sentences(
    url: str, version: tuple[int, ...], period: Period, selection: Selection, lang: str
) -> list[str]:
    from services.brief import sentence_facts
    from ui.brief import brief_sentences

    computed = _synthesis(url, version, period.start, period.end, period.timezone, selection)
    return brief_sentences(sentence_facts(_engine_for(url), period, selection, computed), lang)


def key_sentences(period: Period, selection: Selection) -> list[str]:
    """Three to five plain sentences drawn from the figures (the same as the PDF brief's)."""
    return _sentences(database_url(), data_version(), period, selection, language())


def settings() -> CollectiviteSettings:
    """The collectivité's settings."""
    return current_settings(engine())


def demo_banner() -> None:
    """Say clearly when the figures come from the demo commune."""
    if imports.has_demo(engine()):
        st.info(t("demo_banner"), icon=":material/science:")


def period_caption(result: synthesis.Synthesis) -> str:
    """One line saying which period is shown and what it is compared with."""
    lang = language()
    return t(
        "period_caption",
        start=date_text(result.period.start, lang),
        end=date_text(result.period.end, lang),
        timezone=result.period.timezone,
        prev_start=date_text(result.previous_period.start, lang),
        prev_end=date_text(result.previous_period.end, lang),
    )


HOUR_KEYS = {"median_first_response_hours", "median_resolution_hours"}


def value_text(key: str, value: int | float | None) -> str:
    """A figure formatted for its unit."""
    lang = language()
    if key in RATE_KEYS:
        return rate_text(value, lang, digits=1)
    if key in HOUR_KEYS:
        return hours_text(value, lang)
    return count_text(value, lang)


def change_text(key: str, change: FigureChange | None) -> str | None:
    """The change against the previous period: relative for counts and durations, points for rates."""
    if change is None or change.delta is None:
        return None
    lang = language()
    if key in RATE_KEYS:
        return signed_points_text(change.delta, lang)
    if change.relative is None:
        return None
    return signed_percent_text(change.relative, lang)


def year_line(key: str, result: synthesis.Synthesis) -> str | None:
    """One line comparing with the same period a year before, when that year has data."""
    if not any(v for v in result.year_before.values()):
        return None
    value = result.year_before.get(key)
    change = change_text(key, result.changes_year.get(key))
    text = t("year_before", value=value_text(key, value))
    return f"{text} ({change})" if change else text


@st.cache_data(show_spinner=False, ttl=60)
def _tile_targets(url: str, version: tuple[int, ...]) -> dict[str, tuple[float, str]]:
    return synthesis.tile_targets(_engine_for(url))


def target_line(key: str, value: float | None) -> str | None:
    """Whether a duration is within its target, said in words with an icon (not by colour)."""
    target = _tile_targets(database_url(), data_version()).get(key)
    if target is None or value is None:
        return None
    hours, label = target
    if value <= hours:
        return f":material/check_circle: {t('target_met', target=label)}"
    return f":material/error: {t('target_missed', target=label)}"


def kpi_tile(key: str, result: synthesis.Synthesis, help_line: str | None = None) -> None:
    """One figure: label, value, change against the previous period and its méthode de calcul."""
    change = result.changes.get(key)
    better = getattr(change, "better", None)
    delta = change_text(key, change)
    # The arrow already says the direction: colour only says whether it is good news,
    # so a rise of the backlog is shown in red and its fall in green.
    if better is None:
        colour = "off"
    else:
        rising = change is not None and change.delta is not None and change.delta >= 0
        colour = "normal" if (rising == better) else "inverse"
    with st.container(border=True):
        st.metric(
            t(f"kpi_{key}"),
            value_text(key, result.current.get(key)),
            delta=delta,
            delta_color=colour,
            help=t("vs_previous") if delta else None,
        )
        lines = (help_line, target_line(key, result.current.get(key)), year_line(key, result))
        for line in lines:
            if line:
                st.caption(line)
        with st.expander(t("method"), icon=":material/calculate:"):
            st.markdown(method_text(key))


def synthesis_frame(result: synthesis.Synthesis) -> pd.DataFrame:
    """The Synthèse figures as a table (for exports): indicator, period, comparison, year before."""
    rows = [
        {
            t("export_indicator"): t(f"kpi_{key}"),
            t("export_period"): result.current.get(key),
            t("export_comparison"): result.previous.get(key),
            t("export_year_before"): result.year_before.get(key),
        }
        for key in result.current
        if f"kpi_{key}" in KPI_LABEL_KEYS
    ]
    return pd.DataFrame(rows)


KPI_LABEL_KEYS = {
    f"kpi_{key}"
    for key in (
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
    )
}
