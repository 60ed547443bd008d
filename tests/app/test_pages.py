"""Streamlit AppTest of every page: renders, the upload flow, undo, and the demo Synthèse."""

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store.db import ready_engine
from store.repository import imports_frame

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
PAGES = ["pages/synthese.py", "pages/importer.py"]
NYC = "nyc_311/311_Service_Requests_from_2010_to_Present.csv"


def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_database(app_database, page):
    at = app()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]


def test_english_from_the_link(app_database):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert any("Overview" in t.value for t in at.title)
    assert any(m.label == "Requests received" for m in at.metric)


def test_upload_preview_confirm_reimport_and_undo(app_database, realdata):
    data = (realdata / NYC).read_bytes()
    at = app()
    at.switch_page("pages/importer.py").run()
    at.selectbox(key="import_timezone").select("America/New_York").run()
    at.file_uploader(key="import_files").set_value((NYC.split("/")[-1], data, "text/csv")).run()
    assert not at.exception
    assert any("NYC" in s.value or "311" in s.value for s in at.success)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Lignes lues"] == "924" and labels["Rejetées"] == "0"
    assert imports_frame(ready_engine()).empty  # a preview writes nothing

    at.button(key="confirm_import").click().run()
    assert not at.exception
    ledger = imports_frame(ready_engine())
    assert ledger["inserted"].tolist() == [924]

    # The same file again: recognised as already imported, nothing to confirm.
    at.file_uploader(key="import_files").set_value((NYC.split("/")[-1], data, "text/csv")).run()
    assert any("déjà été importé" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "confirm_import"]

    at.button(key="undo_import").click().run()
    assert not at.exception
    assert imports_frame(ready_engine())["undone_at"].notna().all()


def test_unknown_file_is_refused_in_french(app_database):
    at = app()
    at.switch_page("pages/importer.py").run()
    at.file_uploader(key="import_files").set_value(
        ("budget.csv", b"poste;montant\nvoirie;12\n", "text/csv")
    ).run()
    assert not at.exception
    assert at.error and "Colonnes trouvées" in at.error[0].value


def test_demo_synthese_has_every_figure(app_database):
    # Exactly what a newcomer runs: the command line, in its own process, on an empty database.
    repo = Path(APP).parent
    done = subprocess.run(
        [sys.executable, "cli.py", "demo"], cwd=repo, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "REFUSÉ" not in done.stdout and "rejetées : 0" in done.stdout
    at = app()
    assert not at.exception
    assert any("démonstration" in i.value for i in at.info)
    values = {m.label: m.value for m in at.metric}
    assert len(values) == 11
    assert all(v and v != "non disponible" for v in values.values()), values
    assert at.expander and all(e.label == "Méthode de calcul" for e in at.expander)


def test_synthese_names_the_weakest_category_and_quartier(app_database):
    from services.imports import load_demo

    load_demo(ready_engine())
    at = app()
    assert not at.exception
    assert any(s.value == "Points d'attention" for s in at.subheader)
    text = " ".join(m.value for m in at.markdown)
    assert "Catégorie la moins souvent close dans le délai" in text
    assert "Quartier le moins souvent servi dans le délai" in text


def test_synthese_says_the_essentials_in_sentences(app_database):
    from services.imports import load_demo

    load_demo(ready_engine())
    at = app()
    assert any(s.value == "L'essentiel" for s in at.subheader)
    text = " ".join(m.value for m in at.markdown)
    assert "messages d'habitants ont reçu une réponse" in text


def test_cli_brief_writes_a_pdf(app_database, tmp_path):
    from pypdf import PdfReader

    from services.imports import load_demo

    load_demo(ready_engine())
    output = tmp_path / "dossier.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "cli.py",
            "brief",
            "--start",
            "2026-10-01",
            "--end",
            "2026-10-31",
            "--output",
            str(output),
        ],
        cwd=Path(APP).parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = " ".join(page.extract_text() for page in PdfReader(output).pages)
    assert "octobre 2026" in text
    assert "Méthode" in text or "Définitions" in text


def test_duration_tiles_say_whether_they_meet_their_target(app_database):
    from services.imports import load_demo

    load_demo(ready_engine())
    at = app()
    captions = " ".join(c.value for c in at.caption)
    assert "objectif (24 h)" in captions and "objectif (15 jours)" in captions
