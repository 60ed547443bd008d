"""The sign-in gate: who is looking, local mode, session expiry, and the role a page requires."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st
from sqlalchemy import Engine

from services.auth import (
    SESSION_IDLE_LIMIT,
    AuthError,
    Viewer,
    audit,
    has_admin,
    is_loopback,
    local_viewer,
    sign_in,
    sso_viewer,
)

_VIEWER = "viewer"
_LAST_SEEN = "viewer_last_seen"


def _now() -> datetime:
    return datetime.now(UTC)


def sign_out(engine: Engine, reason: str = "sign_out") -> None:
    """Forget the signed-in viewer of this browser session."""
    viewer = st.session_state.pop(_VIEWER, None)
    st.session_state.pop(_LAST_SEEN, None)
    if viewer is not None and not viewer.local_mode:
        audit(engine, viewer, reason)
    if sso_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def sso_configured() -> bool:
    """True when single sign-on is set up in .streamlit/secrets.toml ([auth] section)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return False


def _sso_sign_in(engine: Engine) -> Viewer | None:
    if not sso_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    try:
        return sso_viewer(engine, st.user.get("email"))
    except AuthError as refusal:
        st.error(str(refusal), icon=":material/lock:")
        if st.button("Se déconnecter du fournisseur d'identité", key="sso_logout"):
            st.logout()
        st.stop()


def _sign_in_form(engine: Engine) -> None:
    st.title("Parvis — connexion")
    if message := st.session_state.pop("auth_message", None):
        st.info(message, icon=":material/schedule:")
    if sso_configured() and st.button(
        "Se connecter avec le compte de la collectivité", icon=":material/badge:", key="sso"
    ):
        st.login()
    with st.form("sign_in"):
        name = st.text_input("Nom de compte", key="sign_in_name")
        password = st.text_input("Mot de passe", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Se connecter", icon=":material/login:")
    if submitted:
        try:
            viewer = sign_in(engine, name, password)
        except AuthError as refusal:
            st.error(str(refusal), icon=":material/lock:")
        else:
            st.session_state[_VIEWER] = viewer
            st.session_state[_LAST_SEEN] = _now()
            st.rerun()


def sign_in_page(engine: Engine):
    """A page (callable for st.navigation) holding the sign-in form, for public visitors."""

    def page() -> None:
        _sign_in_form(engine)

    return page


def gate(engine: Engine, public: bool = False) -> Viewer | None:
    """The viewer of this session; shows the sign-in form (and stops the run) when there is none.

    With no admin account yet, the app runs in local mode, but only when it listens on the
    loopback address: anyone who can reach a public address must sign in. With ``public`` (the
    transparency page switched on), a visitor who is not signed in gets None instead of the
    form: the frame then shows the public page and nothing else.
    """
    if not has_admin(engine):
        if not is_loopback(st.get_option("server.address")):
            st.error(
                "Parvis n'a encore aucun compte administrateur et refuse donc de servir sur une "
                "adresse réseau. Créez le premier compte sur le serveur avec "
                "`python cli.py users add NOM --role admin`, ou lancez Parvis sur 127.0.0.1.",
                icon=":material/lock:",
            )
            st.stop()
        return local_viewer()
    viewer: Viewer | None = st.session_state.get(_VIEWER)
    last_seen: datetime | None = st.session_state.get(_LAST_SEEN)
    if viewer is not None and last_seen is not None and _now() - last_seen > SESSION_IDLE_LIMIT:
        sign_out(engine, "session_expired")
        st.session_state["auth_message"] = "Session expirée après une heure d'inactivité."
        viewer = None
    if viewer is None and (viewer := _sso_sign_in(engine)) is not None:
        st.session_state[_VIEWER] = viewer
    if viewer is None:
        if public:
            return None
        _sign_in_form(engine)
        st.stop()
    st.session_state[_LAST_SEEN] = _now()
    return viewer


def current_viewer() -> Viewer:
    """The viewer the frame let in (pages run only inside the frame)."""
    viewer = st.session_state.get("frame_viewer")
    if viewer is None:
        st.stop()
    return viewer


def require_role(role: str) -> Viewer:
    """The viewer, when they have at least ``role``; otherwise a refusal and the run stops.

    Navigation already hides what a role may not open; this check also covers direct URLs.
    """
    viewer = current_viewer()
    if not viewer.may(role):
        st.error("Cette page n'est pas accessible avec votre compte.", icon=":material/block:")
        st.stop()
    return viewer


def local_mode_banner(viewer: Viewer) -> None:
    """Say that nobody is signed in because no account exists yet, and how to create one."""
    if viewer.local_mode:
        st.sidebar.warning(
            "Mode local (127.0.0.1) : aucun compte n'existe encore. Créez le premier "
            "administrateur avec `python cli.py users add NOM --role admin`.",
            icon=":material/person_off:",
        )
