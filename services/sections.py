"""The figure sections (engagement, responses, requests, Services Publics+) from stored data."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import Engine

from metrics.period import Period
from metrics.sections import SECTIONS, SectionOptions, section_figures
from services.settings import section_options_from_settings
from store import repository
from store.repository import ALL, Selection

# Conversations need the messages just before a period (Meta's 24 h rule) and the replies sent
# after it: load that much around the period.
MESSAGES_BEFORE = timedelta(days=7)
MESSAGES_AFTER = timedelta(days=90)


def section_options(engine: Engine, timezone: str) -> SectionOptions:
    """The options the collectivité's settings give the section figures."""
    return section_options_from_settings(engine, timezone)


def section_document(
    engine: Engine,
    section: str,
    period: Period,
    selection: Selection = ALL,
    options: SectionOptions | None = None,
) -> dict:
    """The JSON document of one section for ``period``."""
    if section not in SECTIONS:
        raise ValueError(f"Section inconnue : {section!r} (attendu : {', '.join(SECTIONS)}).")
    start, end = period.start_utc, period.end_utc
    options = options or section_options(engine, period.timezone)
    publications = messages = requests = audience = None
    if section == "engagement":
        publications = repository.load_publications(engine, start, end, selection)
        audience = repository.load_audience(engine, end, selection)
    elif section == "responses":
        messages = repository.load_messages(
            engine,
            start - pd.Timedelta(MESSAGES_BEFORE),
            end + pd.Timedelta(MESSAGES_AFTER),
            selection,
        )
    else:
        requests = repository.load_requests(engine, start, end, selection)
    return section_figures(section, publications, messages, requests, audience, period, options)
