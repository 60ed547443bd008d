"""Page Indicateurs Services Publics+: engagements 4, 5 and 6, the SVE rule, the Marianne
references and satisfaction, with the A4 poster and the open data."""

import pandas as pd
import streamlit as st

from metrics.definitions import method_text
from services.brief import OPEN_DATA_COUNTS, OPEN_DATA_DERIVED, open_data_table
from services.brief import services_publics_view as load_view
from services.imports import has_demo
from ui.auth import require_role
from ui.brief import render_poster
from ui.components import demo_banner, engine, settings
from ui.exports import (
    audited_download,
    brief_download_button,
    open_data_csv_bytes,
    suppress_small_cells,
)
from ui.filters import sidebar_filters
from ui.format import count_text, date_text, rate_text, signed_points_text
from ui.frame import require_frame
from ui.i18n import language, t

require_frame()
viewer = require_role("elu")

current = settings()
lang = language()
db = engine()
st.title(f"{t('page_services_publics')} — {current.name}")
demo_banner()
st.write(t("services_publics_intro"))

filters = sidebar_filters(current.timezone, viewer.districts)
period = filters.period
view = load_view(db, period, filters.selection)
st.caption(
    t(
        "services_publics_period",
        start=date_text(period.start, lang),
        end=date_text(period.end, lang),
        timezone=period.timezone,
    )
)
if viewer.districts:
    st.caption(t("scope_caption", districts=", ".join(viewer.districts)))
if not view.received and not view.count("sp_announced_deadline", "closed").judged:
    st.info(t("services_publics_empty"), icon=":material/info:")


def tile(label: str, key: str, scope: str, method: str) -> None:
    """One share, the requests it is computed on, and its méthode de calcul."""
    count = view.count(key, scope)
    with st.container(border=True):
        st.metric(label, rate_text(count.share, lang, digits=1))
        if count.judged:
            st.caption(
                t(
                    "services_publics_counts",
                    met=count_text(count.met, lang),
                    judged=count_text(count.judged, lang),
                )
            )
        else:
            st.caption(t("services_publics_none_judged"))
        if count.pending:
            st.caption(t("services_publics_pending", pending=count_text(count.pending, lang)))
        with st.expander(t("method"), icon=":material/calculate:"):
            st.markdown(method_text(method))


st.subheader(t("services_publics_ack"))
columns = st.columns(3)
for column, scope in zip(columns, ("overall", "electronic", "letter"), strict=True):
    with column:
        tile(t(f"services_publics_ack_{scope}"), "sp_acknowledgement", scope, "sp_acknowledgement")

st.subheader(t("services_publics_deadline"))
columns = st.columns(2)
with columns[0]:
    tile(
        t("services_publics_announced"), "sp_announced_deadline", "closed", "sp_announced_deadline"
    )
with columns[1], st.container(border=True):
    if view.survey is None:
        st.metric(t("services_publics_satisfaction"), t("services_publics_no_survey"))
        st.caption(t("services_publics_no_survey_help"))
    else:
        st.metric(
            t("services_publics_satisfaction"),
            rate_text(view.survey.get("satisfaction_rate"), lang, digits=0),
        )
        net = view.survey.get("net_satisfaction")
        if net is not None:
            st.caption(f"{t('services_publics_net')} : {signed_points_text(net, lang)}")
    with st.expander(t("method"), icon=":material/calculate:"):
        st.markdown(method_text("satisfaction_survey"))

st.subheader(t("services_publics_sve"))
columns = st.columns(3)
with columns[0]:
    tile(t("services_publics_sve_label"), "sve", "electronic", "sve")

st.subheader(t("services_publics_marianne"))
columns = st.columns(3)
with columns[0]:
    tile(t("services_publics_marianne_letters"), "marianne", "letters_within_15_days", "marianne")
with columns[1]:
    tile(t("services_publics_marianne_emails"), "marianne", "emails_within_5_days", "marianne")

st.subheader(t("services_publics_families"))
st.caption(t("services_publics_families_desc"))
families = view.document.get("channel_families", {})
st.dataframe(
    pd.DataFrame(
        {
            t("services_publics_family"): [
                t(f"services_publics_family_{name}") for name in families
            ],
            t("services_publics_received"): [count_text(n, lang) for n in families.values()],
        }
    ),
    hide_index=True,
    width="content",
    column_config={t("services_publics_received"): st.column_config.TextColumn(alignment="right")},
)
with st.expander(t("method"), icon=":material/calculate:"):
    st.markdown(method_text("canaux"))

st.subheader(t("services_publics_downloads"))
demo = has_demo(db)
stem = f"services_publics_{period.start.isoformat()}_{period.end.isoformat()}"
columns = st.columns(3)
with columns[0]:
    audited_download(
        t("services_publics_poster"),
        lambda: render_poster(view, current.name, lang, is_demo=demo),
        file_name=f"affiche_{stem}.pdf",
        mime="application/pdf",
        key="services_publics_poster",
        what="services_publics_poster",
        icon=":material/picture_as_pdf:",
        start=period.start.isoformat(),
        end=period.end.isoformat(),
    )
with columns[1]:
    published = suppress_small_cells(open_data_table(view), OPEN_DATA_COUNTS, OPEN_DATA_DERIVED)
    audited_download(
        t("services_publics_open_data"),
        open_data_csv_bytes(published),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="services_publics_open_data",
        what="services_publics_open_data",
        start=period.start.isoformat(),
        end=period.end.isoformat(),
    )
    st.caption(t("services_publics_open_data_help"))
with columns[2]:
    brief_download_button(
        period, filters.selection, key="services_publics_brief", page="services_publics"
    )
