"""Killing the process in the middle of an import leaves the database as it was."""

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
ROWS = 80_000


def write_311(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Unique Key",
                "Created Date",
                "Closed Date",
                "Complaint Type",
                "Descriptor",
                "Status",
                "Borough",
                "Incident Address",
            ]
        )
        for i in range(ROWS):
            writer.writerow(
                [
                    str(10_000_000 + i),
                    f"05/{1 + i % 28:02d}/2022 {1 + i % 9:02d}:15:00 AM",
                    "" if i % 3 else f"05/{1 + i % 28:02d}/2022 11:45:00 AM",
                    "Noise",
                    "Loud Music/Party",
                    "Open" if i % 3 else "Closed",
                    "BROOKLYN",
                    f"{i % 900} Atlantic Avenue",
                ]
            )


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        imports = connection.execute(text("SELECT COUNT(*) FROM imports")).scalar_one()
        requests = connection.execute(text("SELECT COUNT(*) FROM requests")).scalar_one()
    engine.dispose()
    return imports, requests


def test_sigkill_during_the_write_rolls_everything_back(tmp_path):
    source = tmp_path / "311_big.csv"
    write_311(source)
    url = f"sqlite:///{tmp_path / 'parvis.sqlite'}"
    env = dict(os.environ, DATABASE_URL=url, PARVIS_SECRET_FILE=str(tmp_path / "k"))
    process = subprocess.Popen(
        [sys.executable, "cli.py", "import", str(source), "--timezone", "America/New_York"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    writing = False
    for line in process.stderr:
        if "écriture" in line and "100%" not in line:
            os.kill(process.pid, signal.SIGKILL)
            writing = True
            break
    process.wait(timeout=120)
    assert writing, "the import never reached its writing stage"
    assert process.returncode == -signal.SIGKILL
    assert counts(url) == (0, 0)

    # The same file imports whole afterwards.
    done = subprocess.run(
        [sys.executable, "cli.py", "import", str(source), "--timezone", "America/New_York"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert counts(url) == (1, ROWS)
