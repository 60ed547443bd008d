"""Public transparency page: aggregated indicators for the collectivité's website, nothing else."""

from datetime import date

import pandas as pd
import streamlit as st

from metrics.definitions import method_text
from services.transparency import public_indicators
from ui.components import data_version, engine, settings, value_text
from ui.filters import period_of_choice
from ui.format import date_text, hours_text, rate_text
from ui.frame import require_frame
from ui.i18n import language, t
from ui.tables import french_table

require_frame()
lang = language()
current = settings()


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _indicators(_version, period):
    return public_indicators(engine(), period)


st.title(t("public_title", name=current.name))
choices = {"month": t("period_last_month"), "year": t("period_last_12_months")}
choice = st.radio(
    t("period"), list(choices), format_func=choices.get, horizontal=True, key="public_period"
)
period = period_of_choice(
    "last_12_months" if choice == "year" else "last_month", date.today(), current.timezone
)
figures = _indicators(data_version(), period)
st.caption(
    t(
        "public_caption",
        start=date_text(period.start, lang),
        end=date_text(period.end, lang),
        minimum=figures["minimum"],
    )
)

tiles = [
    ("public_ack", "sp_acknowledgement", rate_text(figures["acknowledgement_within_target"], lang)),
    (
        "public_deadline",
        "sp_announced_deadline",
        rate_text(figures["announced_deadline_share"], lang),
    ),
    ("public_sve", "sve", rate_text(figures["sve_share"], lang)),
    ("public_response_rate", "response_rate", rate_text(figures["response_rate"], lang)),
    (
        "public_first_response",
        "first_response_time",
        hours_text(figures["median_first_response_hours"], lang),
    ),
    (
        "kpi_requests_received",
        "requests_received",
        value_text("requests_received", figures["requests_received"]),
    ),
]
columns = st.columns(3)
for index, (label, method, value) in enumerate(tiles):
    with columns[index % 3], st.container(border=True):
        st.metric(t(label), value)
        with st.expander(t("method"), icon=":material/calculate:"):
            st.markdown(method_text(method))

GROUP_COLUMNS = {
    "group": ("public_group", "text"),
    "received": ("kpi_requests_received", "count"),
    "closed": ("kpi_requests_closed", "count"),
    "median_resolution_hours": ("kpi_median_resolution_hours", "hours"),
    "share_closed_within_target": ("public_within_target", "rate"),
}
for by, title in (("category", "public_by_category"), ("district", "public_by_district")):
    st.subheader(t(title))
    group = figures["groups"][by]
    if group["rows"]:
        st.dataframe(
            french_table(pd.DataFrame(group["rows"]), GROUP_COLUMNS, lang),
            hide_index=True,
            width="stretch",
        )
    if group["suppressed"]:
        st.caption(t("public_suppressed", count=group["suppressed"], minimum=figures["minimum"]))
