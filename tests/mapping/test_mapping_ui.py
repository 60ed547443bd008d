"""ui.mapping through Streamlit's AppTest: pick the columns, preview, save, reuse."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from services.mappings import saved_mappings
from store.accounts import audit_frame
from store.db import ready_engine
from tests.mapping.conftest import grc_csv
from ui.mapping import file_key


def editor_script(data: bytes, file_name: str) -> None:
    import streamlit as st

    from services.auth import Viewer
    from store.db import ready_engine
    from ui.mapping import mapping_editor

    saved = mapping_editor(ready_engine(), data, file_name, Viewer("agent.test", "agent"))
    if saved is not None:
        st.write(f"correspondance retournée : {saved.name}")


def section_script(data: bytes, file_name: str) -> None:
    import streamlit as st

    from services.auth import Viewer
    from store.db import ready_engine
    from ui.mapping import mapping_section

    mapping = mapping_section(ready_engine(), data, file_name, Viewer("agent.test", "agent"))
    st.write(f"correspondance : {mapping.name if mapping else 'aucune'}")


def editor(script, data: bytes) -> AppTest:
    at = AppTest.from_function(
        script, kwargs={"data": data, "file_name": "grc.csv"}, default_timeout=60
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_map_preview_and_save_a_french_grc_export(app_database, grc_bytes):
    key = file_key(grc_bytes)
    at = editor(editor_script, grc_bytes)
    # Pre-filled from the header words; optional columns left empty show « — aucune — ».
    assert at.selectbox(key=f"{key}_request_native_id").value == "Identifiant"
    assert at.selectbox(key=f"{key}_request_created_at").value == "Date de création"
    assert at.selectbox(key=f"{key}_request_district").value == "Quartier"
    assert at.selectbox(key=f"{key}_request_service").value == ""
    assert at.selectbox(key=f"{key}_date_format").value == "%d/%m/%Y %H:%M"
    assert any("Identifiant" in m.value and "Quartier" in m.value for m in at.markdown)
    # No source yet: no preview, the reason is said in French.
    assert any("Nom du système source obligatoire" in w.value for w in at.warning)
    assert not at.metric

    at.selectbox(key=f"{key}_request_district").set_value("").run()
    at.text_input(key=f"{key}_request_source").input("grc").run()
    assert not at.exception
    assert metrics(at) == {"Lignes lues": "7", "Lignes gardées": "3", "Lignes rejetées": "4"}
    rejected = at.dataframe[1].value
    assert rejected["ligne"].tolist() == [4, 5, 6, 7]
    assert "illisible" in rejected["motif"].iloc[0]
    assert any("antérieure à « Date de création »" in w.value for w in at.warning)
    canonical = at.dataframe[2].value
    assert canonical["native_id"].tolist() == ["GRC-0001", "GRC-0002", "GRC-0005"]
    assert canonical["district"].isna().all()  # unmapped on purpose
    assert saved_mappings(ready_engine()) == {}  # nothing saved before the click

    at.text_input(key=f"{key}_name").input("GRC mairie").run()
    at.button(key=f"{key}_save").click().run()
    assert not at.exception
    assert any("Correspondance « GRC mairie » enregistrée" in s.value for s in at.success)
    assert any("correspondance retournée : GRC mairie" in m.value for m in at.markdown)
    saved = saved_mappings(ready_engine())["GRC mairie"]
    assert saved.kind == "request" and saved.source == "grc"
    assert saved.columns["created_at"] == "Date de création" and "district" not in saved.columns
    assert saved.timezone == "Europe/Paris" and saved.date_format == "%d/%m/%Y %H:%M"
    audit = audit_frame(ready_engine())
    assert audit.loc[0, "action"] == "settings_changed" and audit.loc[0, "actor"] == "agent.test"


def test_hostile_name_is_refused_in_the_editor(app_database, grc_bytes):
    key = file_key(grc_bytes)
    at = editor(editor_script, grc_bytes)
    at.text_input(key=f"{key}_request_source").input("grc").run()
    at.text_input(key=f"{key}_name").input("../../etc").run()
    at.button(key=f"{key}_save").click().run()
    assert not at.exception
    assert any("Nom de correspondance refusé" in e.value for e in at.error)
    assert saved_mappings(ready_engine()) == {}


def test_switching_kind_offers_that_kind_columns(app_database, grc_bytes):
    key = file_key(grc_bytes)
    at = editor(editor_script, grc_bytes)
    at.radio(key=f"{key}_kind").set_value("message").run()
    assert not at.exception
    assert at.selectbox(key=f"{key}_message_native_id").value == "Identifiant"
    assert at.selectbox(key=f"{key}_message_sent_at").value == "Date de création"
    assert not [s for s in at.selectbox if s.key == f"{key}_request_district"]


def test_a_required_column_left_empty_blocks_the_preview_and_the_save(app_database):
    data = grc_csv(header=["Col A", "Col B", *[f"Col {i}" for i in range(9)]])
    key = file_key(data)
    at = editor(editor_script, data)
    assert at.selectbox(key=f"{key}_request_native_id").value is None
    assert any("Colonnes obligatoires non associées" in w.value for w in at.warning)
    assert at.button(key=f"{key}_save").disabled


def test_section_reuses_the_saved_mapping_for_the_same_header(app_database, grc_bytes):
    key = file_key(grc_bytes)
    at = editor(section_script, grc_bytes)
    assert any("correspondance : aucune" in m.value for m in at.markdown)
    at.text_input(key=f"{key}_request_source").input("grc").run()
    at.text_input(key=f"{key}_name").input("GRC mairie").run()
    at.button(key=f"{key}_save").click().run()
    assert any("correspondance : GRC mairie" in m.value for m in at.markdown)

    next_month = grc_csv([["GRC-0100", "02/04/2026 08:00"] + [""] * 9])
    at = editor(section_script, next_month)
    assert any("Correspondance « GRC mairie » appliquée" in i.value for i in at.info)
    assert any("correspondance : GRC mairie" in m.value for m in at.markdown)
    assert not at.text_input  # no editor: the header was recognised


def test_section_says_nothing_for_a_file_that_is_not_a_table(app_database):
    at = editor(section_script, b"%PDF-1.4 rapport")
    assert not at.expander and any("correspondance : aucune" in m.value for m in at.markdown)


def test_section_shows_the_refusal_above_the_editor(app_database, grc_bytes):
    def script(data: bytes, file_name: str) -> None:
        from services.auth import Viewer
        from store.db import ready_engine
        from ui.mapping import mapping_section

        mapping_section(
            ready_engine(), data, file_name, Viewer("a", "agent"), refusal="Colonnes trouvées : x"
        )

    at = editor(script, grc_bytes)
    assert at.error[0].value == "Colonnes trouvées : x"
    assert at.expander[0].label == "Importer ce fichier avec une correspondance de colonnes"
