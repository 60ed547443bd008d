"""Exports: XLSX with formulas neutralised, small cells suppressed, the open-data CSV."""

import io

import pandas as pd
from openpyxl import load_workbook

from services.brief import (
    OPEN_DATA_COUNTS,
    OPEN_DATA_DERIVED,
    open_data_table,
    services_publics_view,
)
from ui.exports import csv_bytes, open_data_csv_bytes, suppress_small_cells, xlsx_bytes

RISKY = ["=1+1", "+33 6 39 98 00 00", "-2", "@SUM(A1)", "\tcmd", '=HYPERLINK("http://x")']


def test_csv_for_french_excel_has_semicolons_decimal_commas_and_no_formula():
    frame = pd.DataFrame({"taux": [0.25, None], "nombre": [3, 4], "texte": ["=1+1", "a;b"]})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["taux;nombre;texte", "0,25;3;'=1+1", ';4;"a;b"']
    assert csv_bytes(frame).startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8


def test_xlsx_neutralises_formulas_and_has_a_bold_french_header():
    frame = pd.DataFrame(
        {
            "text": [*RISKY, "Rue de la Paix", None],
            "count": [1, 2, 3, 4, 5, 6, 7, 8],
            "when": pd.date_range("2026-10-01", periods=8, freq="D", tz="UTC"),
        }
    )
    data = xlsx_bytes(frame, "Quartiers: octobre/2026", {"text": "Texte", "count": "Nombre"})
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "Quartiers  octobre 2026"
    header = [c.value for c in sheet[1]]
    assert header == ["Texte", "Nombre", "when"]
    assert all(c.font.bold for c in sheet[1])
    texts = [sheet.cell(row=r, column=1) for r in range(2, 10)]
    for cell, original in zip(texts, RISKY, strict=False):
        assert cell.value == "'" + original
        assert cell.data_type == "s"
    assert texts[6].value == "Rue de la Paix"
    assert texts[7].value is None
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet.cell(row=2, column=2).value == 1
    assert sheet.freeze_panes == "A2"


def test_small_cells_are_suppressed_with_their_rates_and_marked():
    frame = pd.DataFrame(
        {
            "code": ["a", "b", "c", "d"],
            "met": [30, 3, 0, 12],
            "missed": [10, 20, 0, 2],
            "judged": [40, 23, 0, 14],
            "rate": [75.0, 13.0, None, 85.7],
        }
    )
    out = suppress_small_cells(frame, ["met", "missed", "judged"], ["rate"])
    assert out["secret_statistique"].tolist() == ["non", "oui", "non", "oui"]
    assert out.loc[0, ["met", "missed", "judged"]].tolist() == [30, 10, 40]
    for row in (1, 3):
        assert out.loc[row, ["met", "missed", "judged", "rate"]].isna().all()
    assert out.loc[2, "judged"] == 0  # a zero says nothing about anybody


def test_open_data_csv_has_no_free_text_and_no_small_cell(shared_demo_db, month):
    view = services_publics_view(shared_demo_db, month)
    frame = open_data_table(view)
    # make sure one figure is small, whatever the demo's numbers
    frame.loc[frame["indicateur"] == "accuse_reception_courrier", ["dans_le_delai"]] = 3
    published = suppress_small_cells(frame, OPEN_DATA_COUNTS, OPEN_DATA_DERIVED)
    data = open_data_csv_bytes(published)
    assert not data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), sep=",", dtype=str, keep_default_na=False)
    assert list(back.columns) == [
        "indicateur",
        "libelle",
        "perimetre",
        "debut",
        "fin",
        "dans_le_delai",
        "hors_delai",
        "en_attente",
        "demandes_jugees",
        "taux_pct",
        "secret_statistique",
    ]
    assert not {"description", "text", "texte", "commentaire"} & set(back.columns)
    # text columns only hold the fixed vocabulary, never residents' words
    assert back["indicateur"].str.fullmatch(r"[a-z0-9_]+").all()
    assert set(back["debut"]) == {month.start.isoformat()}
    for column in OPEN_DATA_COUNTS:
        values = pd.to_numeric(back[column], errors="coerce")
        assert not values.between(1, 4).any(), column
    courrier = back.loc[back["indicateur"] == "accuse_reception_courrier"].iloc[0]
    assert courrier["secret_statistique"] == "oui"
    assert courrier["dans_le_delai"] == "" and courrier["taux_pct"] == ""
    shown = back.loc[back["secret_statistique"] == "non"]
    assert (pd.to_numeric(shown["demandes_jugees"]) >= 0).all()


def test_downloads_are_audited_and_the_brief_is_built_on_click(empty_db, monkeypatch):
    from datetime import date

    import streamlit as st

    import ui.auth
    import ui.components
    from metrics.period import Period
    from services.auth import Viewer
    from store import accounts
    from store.repository import Selection
    from ui.exports import audited_download, brief_download_button

    buttons = []
    monkeypatch.setattr(
        st, "download_button", lambda label, data, **kw: buttons.append((label, data, kw))
    )
    monkeypatch.setattr(ui.components, "engine", lambda: empty_db)
    monkeypatch.setattr(ui.auth, "current_viewer", lambda: Viewer("agent.dupont", "agent"))

    audited_download("CSV", b"x", file_name="q.csv", mime="text/csv", key="k", what="quartiers")
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    brief_download_button(period, Selection(districts=("Gare",)), key="b", page="quartiers")
    for _, _, kw in buttons:
        kw["on_click"](*kw["args"], **kw["kwargs"])
    log = accounts.audit_frame(empty_db)
    exports = log.loc[log["action"] == "export"]
    assert set(exports["actor"]) == {"agent.dupont"}
    details = " ".join(exports["detail"])
    assert '"what": "quartiers"' in details and '"file": "q.csv"' in details
    assert '"what": "brief_pdf"' in details and '"districts": ["Gare"]' in details
    label, build, kw = buttons[1]
    assert label == "Télécharger le dossier PDF" and kw["mime"] == "application/pdf"
    assert callable(build) and build().startswith(b"%PDF")  # built when clicked
