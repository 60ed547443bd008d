"""The head every detailed page shares: frame, role, title, demo notice, filters, period line."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from services.auth import Viewer
from services.settings import CollectiviteSettings
from ui.auth import require_role
from ui.components import demo_banner, settings
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
