"""No resident's e-mail, phone number or street number survives an import, on any sample."""

import re
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from data.demo.generate import generate_demo
from ingest.base import ImportContext
from ingest.pipeline import import_bytes
from ingest.privacy import masked_text

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
STREET = re.compile(r"\b\d{1,4}\s*(?:bis|ter)?,?\s+(?:rue|avenue|boulevard|place|allée|impasse)\b")
# Residents' data. Publications are the collectivité's own posts: the town hall's phone number in
# them is public information, kept as published.
PSEUDONYM = re.compile(r"hab-[0-9a-f]{16}")
TABLES = ["messages", "requests", "import_rejections"]


def scan(engine) -> list[str]:
    found = []
    with engine.connect() as connection:
        for table in TABLES:
            rows = connection.execute(text(f"SELECT * FROM {table}")).mappings().all()
            for row in rows:
                for column, value in row.items():
                    if (
                        isinstance(value, str)
                        and not PSEUDONYM.fullmatch(value)
                        and (EMAIL.search(value) or PHONE.search(value) or STREET.search(value))
                    ):
                        found.append(f"{table}.{column}: {value[:80]}")
    return found


def test_demo_and_every_real_sample_leave_no_contact_detail(engine, realdata, tmp_path):
    files = [
        (f.path, f.timezone) for f in generate_demo(tmp_path, end=pd.Timestamp("2026-10-31").date())
    ]
    files += [(p, "America/New_York") for p in sorted(realdata.rglob("*")) if p.is_file()]
    raw = " ".join(Path(p).read_bytes().decode("utf-8", "replace") for p, _ in files)
    assert PHONE.search(raw) and EMAIL.search(raw)  # the inputs do hold some
    accepted = 0
    for path, zone in files:
        report = import_bytes(
            engine, Path(path).read_bytes(), Path(path).name, ImportContext(timezone=zone), user="t"
        )
        accepted += report.accepted
    assert accepted >= 26
    assert scan(engine) == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Écrivez à jean.dupont@example.org", "Écrivez à [courriel masqué]"),
        ("au 06 12 34 56 78", "au [téléphone masqué]"),
        ("au +33 6 12 34 56 78", "au [téléphone masqué]"),
        ("devant le 12 bis rue Victor-Hugo", "devant le [n°] rue Victor-Hugo"),
        ("3, allée des Pins", "[n°] allée des Pins"),
        ("le 14 juillet place du marché", "le 14 juillet place du marché"),
        ("3 rues sont sales", "3 rues sont sales"),
    ],
)
def test_masking(before, after):
    assert masked_text(before) == after
