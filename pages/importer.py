"""Page Importer: drop export files, read the validation report, confirm, review and undo imports."""

from zoneinfo import available_timezones

import streamlit as st

from services import imports, mappings
from services.auth import audit
from store.repository import UndoRefused, imports_frame, rejections_frame
from ui.auth import require_role
from ui.components import engine, settings
from ui.exports import csv_bytes
from ui.format import count_text, datetime_text
from ui.frame import require_frame
from ui.i18n import language
from ui.mapping import mapping_section

require_frame()
viewer = require_role("agent")

st.title("Importer des exports")
st.write(
    "Déposez un ou plusieurs fichiers tels que téléchargés depuis X, Meta Business Suite, "
    "l'API Graph de Facebook ou votre outil de gestion des demandes (format NYC 311). "
    "Le format est reconnu d'après le contenu du fichier. Rien n'est enregistré avant "
    "votre confirmation ; un import peut ensuite être annulé."
)

db = engine()
current = settings()
zones = sorted(available_timezones())
timezone = st.selectbox(
    "Fuseau horaire des dates sans décalage horaire",
    zones,
    index=zones.index(current.timezone) if current.timezone in zones else 0,
    help="Certains exports (NYC 311, Meta) donnent l'heure locale sans préciser le fuseau.",
    key="import_timezone",
)
uploads = st.file_uploader("Fichiers d'export", accept_multiple_files=True, key="import_files")

previews = []
for upload in uploads or []:
    data = upload.getvalue()
    report = imports.import_file(
        db, data, upload.name, user=viewer.name, timezone=timezone, dry_run=True
    )
    mapping = None
    with st.container(border=True):
        st.markdown(f"#### :material/description: {upload.name}")
        if report.refused:
            # No importer took it: the saved mapping made for its header, or the editor.
            mapping = mapping_section(db, data, upload.name, viewer, refusal=report.refused)
            if mapping is not None:
                report = mappings.import_with_mapping(
                    db, data, upload.name, mapping, user=viewer.name, dry_run=True
                )
                if report.refused:
                    st.error(report.refused, icon=":material/block:")
        previews.append((upload.name, data, report, mapping))
        if report.refused:
            continue
        st.success(f"Format reconnu : **{report.format_label}**", icon=":material/check_circle:")
        lang = language()
        cols = st.columns(5)
        cols[0].metric("Lignes lues", count_text(report.rows_read, lang))
        cols[1].metric("À ajouter", count_text(report.inserted, lang))
        cols[2].metric("À mettre à jour", count_text(report.updated, lang))
        cols[3].metric("Inchangées", count_text(report.unchanged, lang))
        cols[4].metric("Rejetées", count_text(len(report.rejections), lang))
        if report.previous_import_id and not (report.inserted or report.updated):
            st.info(
                f"Ce fichier a déjà été importé (import n°{report.previous_import_id}) : "
                "l'importer de nouveau ne changerait rien.",
                icon=":material/info:",
            )
        for warning in report.warnings:
            st.warning(warning, icon=":material/warning:")
        if report.rejections:
            rejected = report.rejections_frame()
            st.markdown("**Lignes rejetées** (les autres seront importées)")
            st.dataframe(rejected, hide_index=True, width="stretch")
            st.download_button(
                "Télécharger les lignes rejetées (CSV)",
                csv_bytes(rejected),
                file_name=f"rejets_{upload.name}.csv",
                mime="text/csv",
                icon=":material/download:",
                key=f"rejects_{report.sha256}",
                on_click=audit,
                args=(db, viewer, "export"),
                kwargs={"what": "rejected_rows_preview", "file": upload.name},
            )
        if report.preview is not None and len(report.preview):
            with st.expander(f"Aperçu des {len(report.preview)} premières lignes"):
                st.dataframe(report.preview, hide_index=True, width="stretch")

importable = [
    (name, data, mapping)
    for name, data, report, mapping in previews
    if report.accepted and (report.inserted or report.updated)
]
if importable:
    if st.button(
        f"Confirmer l'import de {len(importable)} fichier(s)",
        type="primary",
        icon=":material/upload:",
        key="confirm_import",
    ):
        done = []
        for name, data, mapping in importable:
            bar = st.progress(0.0, text=f"{name} : lecture du fichier")
            report = mappings.import_any(
                db,
                data,
                name,
                user=viewer.name,
                timezone=timezone,
                mapping=mapping,
                progress=lambda share, stage, bar=bar, name=name: bar.progress(
                    min(share, 1.0), text=f"{name} : {stage}"
                ),
            )
            done.append(
                f"{name} : import n°{report.import_id} — {report.inserted} ajoutées, "
                f"{report.updated} mises à jour, {len(report.rejections)} rejetées."
            )
        st.session_state["import_done"] = done
        st.rerun()
elif previews:
    st.caption("Aucun fichier à importer : rien de nouveau ou fichiers refusés.")

for line in st.session_state.pop("import_done", []):
    st.success(line, icon=":material/task_alt:")

st.divider()
st.subheader("Imports enregistrés")
ledger = imports_frame(db)
if imports.has_demo(db):
    st.info(
        "Des données de démonstration sont chargées (commune fictive de Val-de-Parvis).",
        icon=":material/science:",
    )
    if st.button(
        "Retirer les données de démonstration", icon=":material/delete:", key="remove_demo"
    ):
        count = imports.remove_demo(db, viewer.name)
        st.session_state["undo_done"] = f"Démonstration retirée ({count} imports annulés)."
        st.rerun()
elif ledger.empty and st.button(
    "Charger la démonstration", icon=":material/science:", key="load_demo"
):
    with st.spinner("Génération et import des fichiers de démonstration…"):
        imports.load_demo(db, user=viewer.name)
    st.rerun()

if message := st.session_state.pop("undo_done", None):
    st.success(message, icon=":material/undo:")

if ledger.empty:
    st.caption("Aucun import pour l'instant.")
else:
    lang = language()
    shown = ledger.assign(
        imported_at=ledger["imported_at"].map(lambda v: datetime_text(v, current.timezone, lang)),
        undone_at=ledger["undone_at"].map(lambda v: datetime_text(v, current.timezone, lang)),
        is_demo=ledger["is_demo"].map({True: "oui", False: ""}),
    ).rename(
        columns={
            "id": "n°",
            "file_name": "fichier",
            "format_id": "format",
            "imported_by": "par",
            "imported_at": "le",
            "rows_read": "lues",
            "inserted": "ajoutées",
            "updated": "mises à jour",
            "unchanged": "inchangées",
            "rejected": "rejetées",
            "is_demo": "démo",
            "undone_at": "annulé le",
        }
    )[
        [
            "n°",
            "fichier",
            "format",
            "le",
            "par",
            "lues",
            "ajoutées",
            "mises à jour",
            "inchangées",
            "rejetées",
            "démo",
            "annulé le",
        ]
    ]
    st.dataframe(shown, hide_index=True, width="stretch")
    active = ledger[ledger["undone_at"].isna()]
    if not active.empty:
        labels = {
            int(
                row.id
            ): f"n°{row.id} — {row.file_name} ({row.inserted} ajoutées, {row.updated} mises à jour)"
            for row in active.itertuples()
        }
        chosen = st.selectbox(
            "Import à annuler", list(labels), format_func=labels.get, key="undo_choice"
        )
        left, right = st.columns(2)
        if left.button("Annuler cet import", icon=":material/undo:", key="undo_import"):
            try:
                result = imports.undo(db, chosen, viewer.name)
            except UndoRefused as refusal:
                st.error(str(refusal), icon=":material/block:")
            else:
                st.session_state["undo_done"] = (
                    f"Import n°{chosen} annulé : {result['deleted']} lignes retirées, "
                    f"{result['restored']} restaurées."
                )
                st.rerun()
        rejected = rejections_frame(db, chosen)
        if not rejected.empty:
            right.download_button(
                f"Lignes rejetées de l'import n°{chosen} (CSV)",
                csv_bytes(
                    rejected.rename(columns={"line": "ligne", "reason": "motif", "raw": "contenu"})
                ),
                file_name=f"rejets_import_{chosen}.csv",
                mime="text/csv",
                icon=":material/download:",
                key="ledger_rejects",
                on_click=audit,
                args=(db, viewer, "export"),
                kwargs={"what": "rejected_rows", "import_id": chosen},
            )
