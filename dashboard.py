"""Parvis' frame: page configuration, language, sign-in gate, navigation by role."""

import streamlit as st

from ui.auth import gate, local_mode_banner, sign_out
from ui.components import engine
from ui.frame import frame_running
from ui.i18n import LANGUAGES, language, t

st.set_page_config(
    page_title="Parvis",
    page_icon=":material/account_balance:",
    layout="wide",
    initial_sidebar_state="expanded",
)

# The language is chosen before the navigation is built, so that page titles follow it in the
# same run; it starts from the URL (?lang=en) and is mirrored there so a shared link keeps it.
if "lang_choice" not in st.session_state:
    st.session_state["lang_choice"] = language()
with st.sidebar:
    chosen = st.selectbox(
        "Langue / Language", list(LANGUAGES), format_func=LANGUAGES.get, key="lang_choice"
    )
st.session_state["lang"] = chosen
if st.query_params.get("lang", "fr") != chosen:
    st.query_params["lang"] = chosen

db = engine()
viewer = gate(db)
st.session_state["frame_viewer"] = viewer

dashboards = [
    st.Page(
        "pages/synthese.py",
        title=t("page_synthese"),
        icon=":material/dashboard:",
        url_path="synthese",
        default=True,
    ),
]
data_pages = []
if viewer.may("agent"):
    data_pages.append(
        st.Page(
            "pages/importer.py",
            title=t("page_importer"),
            icon=":material/upload_file:",
            url_path="importer",
        )
    )
if viewer.may("admin"):
    data_pages.append(
        st.Page(
            "pages/administration.py",
            title=t("page_admin"),
            icon=":material/admin_panel_settings:",
            url_path="administration",
        )
    )
pages = {t("nav_dashboards"): dashboards}
if data_pages:
    pages[t("nav_data")] = data_pages

navigation = st.navigation(pages)
with st.sidebar:
    local_mode_banner(viewer)
    if not viewer.local_mode:
        st.caption(t("signed_in_as", name=viewer.name, role=viewer.role))
        if st.button(t("sign_out"), icon=":material/logout:", key="sign_out"):
            sign_out(db)
            st.rerun()
    st.caption(f"**{t('app_title')}** — {t('tagline')}")
with frame_running():
    navigation.run()
