"""Hostile file names and texts are data: stored as typed, never run, never used as paths."""

from pathlib import Path

import pytest

from services import imports
from store.db import ready_engine
from store.repository import imports_frame, load_requests

NAMES = [
    "../../../etc/passwd",
    "..\\..\\windows\\system32\\config.csv",
    "'; DROP TABLE imports; --.csv",
    '" OR 1=1 --.csv',
    "<script>alert(1)</script>.csv",
    "=cmd|' /C calc'!A0.csv",
]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_names_are_only_labels(app_database, realdata, tmp_path, name):
    db = ready_engine()
    data = (realdata / "nyc_311/311_Service_Requests_from_2010_to_Present.csv").read_bytes()
    before = sorted(p.name for p in Path(tmp_path).iterdir())
    report = imports.import_file(db, data, name, user=name, timezone="America/New_York")
    assert report.accepted and report.inserted == 924
    ledger = imports_frame(db)
    assert ledger["file_name"].tolist() == [name] and ledger["imported_by"].tolist() == [name]
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == before  # nothing written beside
    import pandas as pd

    window = (pd.Timestamp("2000-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC"))
    assert len(load_requests(db, *window)) == 924


def test_formula_cells_are_stored_as_text_and_neutralised_on_export(app_database):
    from ui.exports import csv_bytes

    db = ready_engine()
    rows = (
        b"Unique Key,Created Date,Closed Date,Complaint Type,Descriptor,Status\n"
        b'1,05/01/2022 10:00:00 AM,,=HYPERLINK("http://x"),+SUM(A1),Open\n'
        b"2,05/01/2022 11:00:00 AM,,@cmd,-2+3,Open\n"
    )
    report = imports.import_file(db, rows, "formules.csv", user="t", timezone="Europe/Paris")
    assert report.inserted == 2
    import pandas as pd

    window = (pd.Timestamp("2000-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC"))
    stored = load_requests(db, *window).sort_values("native_id")
    assert stored["category"].tolist() == ['=HYPERLINK("http://x")', "@cmd"]
    exported = csv_bytes(stored[["native_id", "category", "subcategory"]]).decode("utf-8-sig")
    for line in exported.splitlines()[1:]:
        for cell in line.split(";")[1:]:
            assert not cell.lstrip('"').startswith(("=", "+", "-", "@")), cell
