"""Parvis' frame: page configuration, language, sign-in gate, navigation by role."""

from pathlib import Path

import streamlit as st

from services.transparency import public_page_enabled
from ui.auth import gate, local_mode_banner, sign_in_page, sign_out
from ui.components import engine
from ui.frame import frame_running, leave_legacy_multipage_mode
from ui.i18n import LANGUAGES, language, t

leave_legacy_multipage_mode()

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
public = public_page_enabled(db)
viewer = gate(db, public=public)
st.session_state["frame_viewer"] = viewer
if viewer is None:
    # A visitor of the public transparency page: that page and the sign-in form, nothing else.
    navigation = st.navigation(
        [
            st.Page(
                "pages/transparence.py",
                title=t("page_transparence"),
                icon=":material/public:",
                url_path="transparence",
                default=True,
            ),
            st.Page(
                sign_in_page(db),
                title=t("public_sign_in"),
                icon=":material/login:",
                url_path="connexion",
            ),
        ]
    )
    st.session_state["frame_page"] = navigation.url_path
    with frame_running():
        navigation.run()
    st.stop()

# Every page: file, title key, icon, URL, group, the role it needs. A page whose file is not
# there yet is left out, so pages can be added one at a time.
PAGES = [
    ("pages/synthese.py", "page_synthese", "dashboard", "synthese", "nav_dashboards", "elu"),
    (
        "pages/publications.py",
        "page_publications",
        "campaign",
        "publications",
        "nav_dashboards",
        "elu",
    ),
    ("pages/reponses.py", "page_reponses", "forum", "reponses", "nav_dashboards", "elu"),
    ("pages/demandes.py", "page_demandes", "assignment", "demandes", "nav_dashboards", "elu"),
    ("pages/quartiers.py", "page_quartiers", "map", "quartiers", "nav_dashboards", "elu"),
    (
        "pages/habitants.py",
        "page_habitants",
        "record_voice_over",
        "habitants",
        "nav_dashboards",
        "elu",
    ),
    (
        "pages/services_publics.py",
        "page_services_publics",
        "verified",
        "services-publics",
        "nav_dashboards",
        "elu",
    ),
    ("pages/importer.py", "page_importer", "upload_file", "importer", "nav_data", "agent"),
    ("pages/parametres.py", "page_parametres", "tune", "parametres", "nav_data", "agent"),
    ("pages/regles.py", "page_regles", "rule", "regles", "nav_data", "agent"),
    (
        "pages/administration.py",
        "page_admin",
        "admin_panel_settings",
        "administration",
        "nav_data",
        "admin",
    ),
]
REPO = Path(__file__).resolve().parent

pages: dict[str, list] = {}
for file, title, icon, url, group, role in PAGES:
    if viewer.may(role) and (REPO / file).exists():
        pages.setdefault(t(group), []).append(
            st.Page(
                file,
                title=t(title),
                icon=f":material/{icon}:",
                url_path=url,
                default=file == "pages/synthese.py",
            )
        )

navigation = st.navigation(pages)
st.session_state["frame_page"] = navigation.url_path
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
