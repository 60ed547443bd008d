"""What every detailed page shares: its head (frame, role, title, demo notice, filters, period
line), its cached view and its week / month switch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from metrics.period import Period
from services import views
from services.auth import Viewer
from services.settings import CollectiviteSettings
from services.voice import voice_view
from store.db import database_url
from store.repository import Selection
from ui.auth import require_role
from ui.components import data_version, demo_banner, engine, settings
from ui.filters import Filters, sidebar_filters
from ui.format import date_text
from ui.frame import require_frame
from ui.i18n import language, t


@dataclass(frozen=True)
class PageHead:
    """What a page needs after its head is drawn."""

    viewer: Viewer
    settings: CollectiviteSettings
    lang: str
    filters: Filters


def page_head(page: str, role: str = "elu") -> PageHead:
    """Draw the head of ``page`` (its strings are ``page_<page>`` and ``<page>_period_caption``)
    and return who is reading, the settings, the language and the sidebar filters.

    Stops the run when the viewer may not open the page (direct URLs included).
    """
    require_frame()
    viewer = require_role(role)
    current = settings()
    lang = language()
    st.title(f"{t(f'page_{page}')} — {current.name}")
    demo_banner()
    filters = sidebar_filters(current.timezone, viewer.districts)
    period = filters.period
    st.caption(
        t(
            f"{page}_period_caption",
            start=date_text(period.start, lang),
            end=date_text(period.end, lang),
            timezone=period.timezone,
        )
    )
    if viewer.districts:
        st.caption(t("scope_caption", districts=", ".join(viewer.districts)))
    return PageHead(viewer, current, lang, filters)


# The view behind each detailed page: (engine, period, selection, *options) → view.
PAGE_VIEWS: dict[str, Callable[..., Any]] = {
    "publications": views.publications_view,
    "reponses": views.responses_view,
    "demandes": views.requests_view,
    "habitants": voice_view,
}


@st.cache_data(show_spinner=False, max_entries=64)
def _view(
    url: str,
    version: tuple[int, ...],
    page: str,
    period: Period,
    selection: Selection,
    options: tuple,
) -> Any:
    return PAGE_VIEWS[page](engine(), period, selection, *options)


def page_view(page: str, filters: Filters, *options: object) -> Any:
    """The view of ``page`` for the sidebar's period and selection (``options``: the page's
    own choices, such as the frequency), recomputed only after the data changed."""
    return _view(database_url(), data_version(), page, filters.period, filters.selection, options)


def frequency_choice(page: str, period: Period, container: Any = st) -> str:
    """The page's week / month switch (strings ``<page>_freq_label`` and ``<page>_freq_…``),
    weeks by default for up to three months."""
    return container.segmented_control(
        t(f"{page}_freq_label"),
        views.FREQUENCIES,
        default=views.default_frequency(period),
        required=True,
        format_func=lambda f: t(f"{page}_freq_{f}"),
        key=f"{page}_freq",
    )
