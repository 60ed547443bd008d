"""Fixtures of the column-mapping tests: a French GRC export, an XLSX, an app database."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import sqlite_url

GRC_HEADER = [
    "Identifiant",
    "Date de création",
    "Catégorie",
    "Sous-catégorie",
    "Quartier",
    "Canal",
    "Statut",
    "Date de clôture",
    "Objet",
    "Latitude",
    "Longitude",
]
# Line numbers in the file: the header is line 1.
GRC_ROWS = [
    # 2: winter time (UTC+1), closed the next day; a phone number in the text
    ["GRC-0001", "04/03/2026 09:15", "Voirie", "Nid de poule", "Centre-ville", "Téléphone",
     "Clôturée", "05/03/2026 10:00", "Trou devant l'école, rappeler au 06 12 34 56 78",
     "48,8566", "2,3522"],
    # 3: summer time (UTC+2), still open: no closing date
    ["GRC-0002", "30/03/2026 10:00", "Propreté", "Dépôt sauvage", "Gare", "Courriel",
     "En cours", "", "Sacs abandonnés", "", ""],
    # 4: 31 February does not exist
    ["GRC-0003", "31/02/2026 10:00", "Voirie", "", "Centre-ville", "Courriel", "En cours", "",
     "Date impossible", "", ""],
    # 5: no id
    ["", "05/03/2026 11:00", "Voirie", "", "Centre-ville", "Courriel", "En cours", "",
     "Sans identifiant", "", ""],
    # 6: same id as line 2
    ["GRC-0001", "06/03/2026 11:00", "Voirie", "", "Centre-ville", "Courriel", "En cours", "",
     "Doublon", "", ""],
    # 7: ISO date in a day-first file: another format, never guessed
    ["GRC-0004", "2026-03-06 11:00", "Voirie", "", "Centre-ville", "Courriel", "En cours", "",
     "Autre format", "", ""],
    # 8: closed before it was created: kept, flagged
    ["GRC-0005", "15/03/2026 08:00", "Éclairage", "Lampadaire", "Les Hauts", "Accueil",
     "Clôturée", "14/03/2026 08:00", "Lampadaire éteint", "48,85", "2,35"],
]  # fmt: skip


def grc_csv(rows=None, header=None) -> bytes:
    """The GRC export as a French Excel writes it: ``;``, cp1252, CRLF."""
    lines = [header or GRC_HEADER, *(GRC_ROWS if rows is None else rows)]
    return ("\r\n".join(";".join(cells) for cells in lines) + "\r\n").encode("cp1252")


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An XLSX built with openpyxl: sheet name → rows of cells (datetimes stay real dates)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def grc_bytes() -> bytes:
    return grc_csv()


@pytest.fixture
def grc_xlsx() -> bytes:
    return xlsx_bytes(
        {
            "Demandes": [
                ["Export GRC du 10/03/2026"],
                ["N° dossier", "Créée le", "Thème", "Secteur", "Clôturée le"],
                [1001, datetime(2026, 3, 4, 9, 15), "Voirie", "Nord", None],
                [1002, "05/03/2026 14:00", "Propreté", "Sud", datetime(2026, 3, 6, 8, 0)],
                [1003, "mardi", "Voirie", "Nord", None],
            ],
            "Notes": [["Rien à importer ici"]],
        }
    )


@pytest.fixture
def app_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL pointing at a fresh SQLite file, for code that reads the environment."""
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url
