"""Page Quartiers: a map without tile server and the figures of each quartier."""

import streamlit as st

from metrics.definitions import method_text, method_title
from services.brief import quartier_view
from ui.auth import require_role
from ui.components import demo_banner, engine, settings
from ui.exports import audited_download, brief_download_button, csv_bytes, xlsx_bytes
from ui.filters import sidebar_filters
from ui.format import date_text
from ui.frame import require_frame
from ui.i18n import language, t
from ui.maps import (
    available_figures,
    figure_label,
    map_chart,
    map_description,
    map_table,
    quartier_table,
)

require_frame()
viewer = require_role("elu")

current = settings()
lang = language()
st.title(f"{t('page_quartiers')} — {current.name}")
demo_banner()

filters = sidebar_filters(current.timezone, viewer.districts)
period = filters.period
view = quartier_view(engine(), period, filters.selection)
st.caption(
    t(
        "quartiers_period",
        start=date_text(period.start, lang),
        end=date_text(period.end, lang),
        timezone=period.timezone,
    )
)
if viewer.districts:
    st.caption(t("scope_caption", districts=", ".join(viewer.districts)))


def methods(*keys: str) -> None:
    """The « Méthode de calcul » of the figures just shown."""
    with st.expander(t("method"), icon=":material/calculate:"):
        for key in keys:
            st.markdown(f"**{method_title(key)}**\n\n{method_text(key)}")


if not view.received and not view.rows:
    st.info(t("quartiers_empty"), icon=":material/info:")
    st.stop()

# ---- map --------------------------------------------------------------------------------------
st.subheader(t("quartiers_map"))
figures = available_figures(view)
figure = figures[0]
if view.quartiers is not None:  # the request cells show one figure: requests received
    figure = st.selectbox(
        t("quartiers_figure"),
        figures,
        format_func=lambda key: figure_label(key, lang),
        key="quartiers_figure",
    )
chart = map_chart(view, figure, lang, height=520)
if chart is None:
    st.info(t("quartiers_no_map"), icon=":material/map:")
else:
    st.altair_chart(chart, width="stretch")
    st.caption(map_description(view, figure, lang))
    with st.expander(t("quartiers_map_data"), icon=":material/table:"):
        st.dataframe(map_table(view, figure, lang), hide_index=True, width="stretch")
    if view.quartiers is None:
        st.caption(t("quartiers_points_tip"))
        if view.outside:
            st.caption(t("quartiers_outside", count=view.outside))
    elif view.unmatched_features:
        st.caption(t("quartiers_unmatched", names=", ".join(view.unmatched_features)))
    methods("requests_breakdown", "petits_groupes")

# ---- table ------------------------------------------------------------------------------------
st.subheader(t("quartiers_table"))
st.caption(t("quartiers_table_desc"))
if view.rows:
    table = quartier_table(view, lang)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            c: st.column_config.TextColumn(alignment="right") for c in table.columns[1:]
        },
    )
else:
    st.info(t("quartiers_no_group", size=view.minimum_size), icon=":material/info:")
if view.hidden:
    key = "quartiers_hidden_one" if len(view.hidden) == 1 else "quartiers_hidden_many"
    st.caption(t(key, count=len(view.hidden), size=view.minimum_size, names=", ".join(view.hidden)))
if not view.has_populations:
    st.info(t("quartiers_no_population"), icon=":material/groups:")
    if viewer.may("agent"):
        st.page_link(
            "pages/parametres.py", label=t("quartiers_settings_link"), icon=":material/tune:"
        )
methods(
    "requests_breakdown",
    "median_resolution_hours",
    "closed_within_target",
    "petits_groupes",
)

# ---- downloads --------------------------------------------------------------------------------
stem = f"quartiers_{period.start.isoformat()}_{period.end.isoformat()}"
plain = quartier_table(view, lang, formatted=False)
columns = st.columns(3)
with columns[0]:
    audited_download(
        t("quartiers_download_csv"),
        csv_bytes(plain),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="quartiers_csv",
        what="quartiers_table",
    )
with columns[1]:
    audited_download(
        t("quartiers_download_xlsx"),
        xlsx_bytes(plain, t("page_quartiers")),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="quartiers_xlsx",
        what="quartiers_table",
    )
with columns[2]:
    brief_download_button(period, filters.selection, key="quartiers_brief", page="quartiers")
