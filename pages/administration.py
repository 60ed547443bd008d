"""Page Administration: accounts (create, disable) and the audit log (read and export only)."""

import streamlit as st

from services import retention
from services.auth import ROLES, AuthError, add_user, audit
from services.transparency import public_page_enabled, set_public_page
from store.accounts import accounts_frame, audit_frame, set_disabled
from ui.auth import require_role
from ui.components import engine, settings
from ui.exports import csv_bytes
from ui.format import datetime_text
from ui.frame import require_frame
from ui.i18n import language

require_frame()
viewer = require_role("admin")
db = engine()
zone = settings().timezone
lang = language()

st.title("Administration")

st.subheader("Comptes")
accounts = accounts_frame(db)
if accounts.empty:
    st.caption("Aucun compte : Parvis fonctionne en mode local.")
else:
    st.dataframe(
        accounts.assign(
            created_at=accounts["created_at"].map(lambda v: datetime_text(v, zone, lang)),
            role=accounts["role"].map(ROLES),
            disabled=accounts["disabled"].map({True: "désactivé", False: ""}),
        ).rename(
            columns={
                "name": "nom",
                "role": "rôle",
                "districts": "quartiers",
                "created_at": "créé le",
                "disabled": "état",
            }
        )[["nom", "rôle", "quartiers", "créé le", "état"]],
        hide_index=True,
        width="stretch",
    )

with st.form("new_account", clear_on_submit=True):
    st.markdown("**Créer un compte**")
    name = st.text_input("Nom de compte")
    role = st.selectbox("Rôle", list(ROLES), format_func=ROLES.get)
    districts = st.text_input(
        "Quartiers (élus seulement, séparés par des virgules ; vide = tous)",
        help="Un élu limité à des quartiers ne voit que les demandes de ces quartiers.",
    )
    password = st.text_input("Mot de passe", type="password")
    confirmation = st.text_input("Confirmation du mot de passe", type="password")
    created = st.form_submit_button("Créer le compte", icon=":material/person_add:")
if created:
    if password != confirmation:
        st.error("Les deux mots de passe diffèrent.")
    else:
        scope = tuple(d.strip() for d in districts.split(",") if d.strip())
        try:
            add_user(db, name, role, password, scope, actor=viewer.name)
        except AuthError as refusal:
            st.error(str(refusal))
        else:
            st.success(f"Compte « {name.strip()} » créé.")
            st.rerun()

if not accounts.empty:
    active = accounts[~accounts["disabled"]]
    if not active.empty:
        names = dict(zip(active["id"], active["name"], strict=True))
        chosen = st.selectbox("Compte à désactiver", list(names), format_func=names.get)
        if st.button("Désactiver ce compte", icon=":material/person_off:", key="disable_account"):
            if names[chosen] == viewer.name:
                st.error("Vous ne pouvez pas désactiver votre propre compte.")
            else:
                set_disabled(db, int(chosen), True)
                audit(db, viewer, "account_disabled", name=names[chosen])
                st.rerun()

st.subheader("Page publique de transparence")
enabled = public_page_enabled(db)
wanted = st.toggle(
    "Publier une page de transparence (sans connexion) : indicateurs agrégés, aucun texte "
    "d'habitant, aucun groupe de moins de 5 demandes",
    value=enabled,
    key="public_page_toggle",
)
if wanted != enabled:
    set_public_page(db, wanted, viewer.name)
    st.rerun()

st.subheader("Conservation des données")
st.caption(
    "Durée de conservation, en mois, des données des habitants (0 = conserver). Les demandes "
    "encore ouvertes sont toujours conservées. La purge supprime définitivement."
)
months = retention.retention_months(db)
with st.form("retention"):
    columns = st.columns(len(months))
    chosen_months = {
        kind: column.number_input(
            retention.KIND_LABELS[kind], min_value=0, max_value=240, value=value or 0, step=1
        )
        for column, (kind, value) in zip(columns, months.items(), strict=True)
    }
    if st.form_submit_button("Enregistrer les durées", icon=":material/save:"):
        retention.save_retention_months(db, chosen_months, viewer.name)
        st.rerun()
left, right = st.columns(2)
if left.button("Simuler la purge", icon=":material/preview:", key="purge_dry_run"):
    counts = retention.purge(db, viewer.name, dry_run=True)
    st.info(
        "Seraient supprimés : "
        + (", ".join(f"{retention.KIND_LABELS[k]} : {n}" for k, n in counts.items()) or "rien"),
        icon=":material/preview:",
    )
if right.button("Purger maintenant", icon=":material/delete_forever:", key="purge"):
    counts = retention.purge(db, viewer.name, dry_run=False)
    st.success(
        "Supprimés : "
        + (", ".join(f"{retention.KIND_LABELS[k]} : {n}" for k, n in counts.items()) or "rien"),
        icon=":material/delete_forever:",
    )

st.subheader("Journal d'audit")
st.caption(
    "Connexions, échecs de connexion, imports, annulations, exports et changements de comptes. "
    "Le journal ne peut pas être modifié depuis l'application."
)
log = audit_frame(db)
if log.empty:
    st.caption("Journal vide.")
else:
    shown = log.assign(at=log["at"].map(lambda v: datetime_text(v, zone, lang))).rename(
        columns={"id": "n°", "at": "le", "actor": "qui", "action": "action", "detail": "détail"}
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        "Exporter le journal (CSV)",
        csv_bytes(shown),
        file_name="journal_audit_parvis.csv",
        mime="text/csv",
        icon=":material/download:",
        key="export_audit",
        on_click=audit,
        args=(db, viewer, "export"),
        kwargs={"what": "audit_log", "rows": len(shown)},
    )
