"""Parvis' frame: page configuration, language, navigation between the pages."""

import streamlit as st

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

pages = {
    t("nav_dashboards"): [
        st.Page(
            "pages/synthese.py",
            title=t("page_synthese"),
            icon=":material/dashboard:",
            url_path="synthese",
            default=True,
        ),
    ],
    t("nav_data"): [
        st.Page(
            "pages/importer.py",
            title=t("page_importer"),
            icon=":material/upload_file:",
            url_path="importer",
        ),
    ],
}

navigation = st.navigation(pages)
with st.sidebar:
    st.caption(f"**{t('app_title')}** — {t('tagline')}")
with frame_running():
    navigation.run()
