"""Wiring check (scratch copy only): the Importer page and the CLI with column mappings."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

import cli
from services.mappings import saved_mappings
from store.db import ready_engine
from store.repository import imports_frame
from tests.mapping.conftest import GRC_HEADER, grc_csv
from ui.mapping import file_key

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def test_page_maps_saves_previews_and_confirms(app_database):
    data = grc_csv()
    key = file_key(data)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/importer.py").run()
    at.file_uploader(key="import_files").set_value(("grc.csv", data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Colonnes trouvées" in at.error[0].value
    at.text_input(key=f"{key}_request_source").input("grc").run()
    at.text_input(key=f"{key}_name").input("GRC mairie").run()
    at.button(key=f"{key}_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "GRC mairie" in saved_mappings(ready_engine())
    assert any("Correspondance « GRC mairie »" in s.value for s in at.success)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Lignes lues"] == "7" and labels["Rejetées"] == "4" and labels["À ajouter"] == "3"
    at.button(key="confirm_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    ledger = imports_frame(ready_engine())
    assert ledger["format_id"].tolist() == ["mapping:GRC mairie"]
    assert ledger["inserted"].tolist() == [3]

    # Next month's export: same header, the mapping is applied without asking.
    at.file_uploader(key="import_files").set_value(
        ("grc-avril.csv", grc_csv([["GRC-0100", "02/04/2026 08:00"] + [""] * 9]), "text/csv")
    ).run()
    assert not at.exception
    assert any("appliquée" in i.value for i in at.info)
    assert not at.error
    at.button(key="confirm_import").click().run()
    assert imports_frame(ready_engine())["inserted"].tolist() == [1, 3]


def test_cli_mapping_option_and_automatic_reuse(app_database, tmp_path, capsys):
    from ingest.mapping import ColumnMapping, suggested_mapping
    from services.mappings import save_mapping

    path = tmp_path / "grc.csv"
    path.write_bytes(grc_csv())
    assert cli.main(["import", str(path)]) == 1
    assert "REFUSÉ" in capsys.readouterr().out
    assert cli.main(["import", str(path), "--mapping", "GRC mairie"]) == 1
    assert "Correspondance « GRC mairie » inconnue" in capsys.readouterr().out
    save_mapping(
        ready_engine(),
        ColumnMapping(
            "GRC mairie",
            "request",
            suggested_mapping(GRC_HEADER, "request"),
            source="grc",
            header_signature=tuple(GRC_HEADER),
        ),
        "cli",
    )
    assert cli.main(["import", str(path), "--mapping", "GRC mairie", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Correspondance « GRC mairie » (mapping:GRC mairie)" in out and "rejetées : 4" in out
    assert cli.main(["import", str(path)]) == 0  # same header: reused automatically
    out = capsys.readouterr().out
    assert "ajoutées : 3" in out and "Ligne 4 rejetée" in out
