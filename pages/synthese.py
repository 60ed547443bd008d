"""Page Synthèse: the figures an elected official reads first, with their changes and methods."""

import streamlit as st

from metrics.definitions import method_text
from ui.auth import require_role
from ui.components import (
    cached_synthesis,
    demo_banner,
    key_sentences,
    kpi_tile,
    period_caption,
    settings,
    synthesis_frame,
    value_text,
)
from ui.exports import data_downloads
from ui.filters import sidebar_filters
from ui.format import count_text
from ui.frame import require_frame
from ui.i18n import language, t

require_frame()
viewer = require_role("elu")

current = settings()
st.title(f"{t('page_synthese')} — {current.name}")
demo_banner()

filters = sidebar_filters(current.timezone, viewer.districts)
result = cached_synthesis(filters.period, filters.selection)
st.caption(period_caption(result))
data_downloads(
    synthesis_frame(result), "synthese", filters.period, filters.selection, page="synthese"
)
if viewer.districts:
    st.caption(t("scope_caption", districts=", ".join(viewer.districts)))

figures = result.current
sentences = key_sentences(filters.period, filters.selection)
if sentences:
    st.subheader(t("essentials"))
    st.markdown("\n".join(f"- {sentence}" for sentence in sentences))
if not any(
    figures.get(k) for k in ("publications", "messages_received", "requests_received")
) and not figures.get("open_backlog"):
    st.info(t("empty_synthese"), icon=":material/info:")

st.subheader(t("section_social"))
# Wider columns for the rates: their label names the base, and must not be cut.
columns = st.columns([1, 1, 1.5, 1.5])
for column, key in zip(
    columns,
    ("publications", "interactions", "engagement_rate_reach", "engagement_rate_impressions"),
    strict=True,
):
    with column:
        kpi_tile(key, result)

st.subheader(t("section_messages"))
columns = st.columns(3)
answered = t(
    "answered_of",
    answered=count_text(figures.get("messages_answered"), language()),
    received=count_text(figures.get("messages_received"), language()),
)
with columns[0]:
    kpi_tile("messages_received", result)
with columns[1]:
    kpi_tile("share_answered", result, help_line=answered)
with columns[2]:
    kpi_tile("median_first_response_hours", result)

st.subheader(t("section_requests"))
columns = st.columns(4)
for column, key in zip(
    columns,
    ("requests_received", "requests_closed", "open_backlog", "median_resolution_hours"),
    strict=True,
):
    with column:
        kpi_tile(key, result)

st.subheader(t("attention"))
for by, key in (("category", "weakest_category"), ("district", "weakest_district")):
    group = result.weakest.get(by)
    if group:
        st.markdown(
            t(
                key,
                group=group["group"],
                share=value_text("share_answered", group["share_closed_within_target"]),
                median=value_text("median_resolution_hours", group["median_resolution_hours"]),
            )
        )
if not (result.weakest.get("category") or result.weakest.get("district")):
    st.caption(t("weakest_none", minimum=result.weakest.get("minimum_size", 10)))
with st.expander(t("method"), icon=":material/calculate:"):
    st.markdown(method_text("closed_within_target"))
    st.markdown(method_text("petits_groupes"))
