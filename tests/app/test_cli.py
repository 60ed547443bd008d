"""The command line: import reports and exit codes, the KPI document, the demo."""

import csv
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import cli
from services.synthesis import KPI_KEYS

NYC = "nyc_311/311_Service_Requests_from_2010_to_Present.csv"


def run(capsys, *argv):
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_import_real_311_then_kpis_match_an_independent_count(app_database, realdata, capsys):
    path = realdata / NYC
    code, out = run(capsys, "import", str(path), "--timezone", "America/New_York")
    assert code == 0, out
    assert "Lignes lues : 924" in out and "rejetées : 0" in out

    # Importing the same file again changes nothing.
    code, out = run(capsys, "import", str(path), "--timezone", "America/New_York")
    assert code == 0 and "ajoutées : 0" in out and "inchangées : 924" in out

    code, out = run(
        capsys,
        "kpis",
        "--start",
        "2022-05-01",
        "--end",
        "2022-05-01",
        "--timezone",
        "America/New_York",
    )
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["period", *KPI_KEYS]
    assert document["period"] == {
        "start": "2022-05-01",
        "end": "2022-05-01",
        "timezone": "America/New_York",
    }

    # The same figures computed here from the raw file with the csv module alone.
    zone = ZoneInfo("America/New_York")
    start = datetime(2022, 5, 1, tzinfo=zone)
    end = datetime(2022, 5, 2, tzinfo=zone)

    def local(text):
        return (
            datetime.strptime(text, "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=zone) if text else None
        )

    with open(path, encoding="utf-8", newline="") as handle:
        rows = [(local(r["Created Date"]), local(r["Closed Date"])) for r in csv.DictReader(handle)]
    received = sum(start <= c < end for c, _ in rows)
    closed = [(c, d) for c, d in rows if d is not None and start <= d < end]
    backlog = sum(c < end and (d is None or d >= end) for c, d in rows)
    durations = sorted((d - c).total_seconds() / 3600 for c, d in closed if d >= c)
    middle = len(durations) // 2
    median = (
        durations[middle] if len(durations) % 2 else (durations[middle - 1] + durations[middle]) / 2
    )
    assert document["requests_received"] == received
    assert document["requests_closed"] == len(closed)
    assert document["open_backlog"] == backlog
    assert document["median_resolution_hours"] == pytest.approx(median)
    assert document["publications"] == 0 and document["engagement_rate_reach"] is None


def test_refused_file_exits_non_zero_with_a_french_reason(app_database, tmp_path, capsys):
    bogus = tmp_path / "rapport.csv"
    bogus.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    code, out = run(capsys, "import", str(bogus))
    assert code != 0
    assert "REFUSÉ" in out and "PDF" in out


def test_missing_file_exits_non_zero(app_database, tmp_path, capsys):
    code, out = run(capsys, "import", str(tmp_path / "absent.csv"))
    assert code != 0 and "introuvable" in out


def test_kpis_rejects_end_before_start(app_database, capsys):
    code = cli.main(["kpis", "--start", "2026-10-31", "--end", "2026-10-01"])
    assert code != 0


def test_sentiment_reads_stdin_and_prints_json_lines():
    import subprocess
    import sys
    from pathlib import Path

    texts = "C'est plus propre qu'avant, merci !\nToujours pas de réponse 😡\n\nDas ist schlecht\n"
    run = subprocess.run(
        [sys.executable, "cli.py", "sentiment"],
        cwd=Path(cli.__file__).parent,
        input=texts,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == 4
    assert all(set(line) == {"language", "compound", "label", "words"} for line in lines)
    assert [line["label"] for line in lines] == ["positif", "négatif", "non évalué", "non évalué"]
    assert "propre" in lines[0]["words"] and lines[3]["compound"] is None


@pytest.mark.parametrize(
    ("section", "keys"),
    [
        (
            "responses",
            {
                "response_rate",
                "median_first_response_hours",
                "p90_first_response_hours",
                "median_first_response_working_hours",
            },
        ),
        (
            "requests",
            {
                "median_resolution_hours",
                "p90_resolution_hours",
                "median_resolution_working_hours",
                "km_median_resolution_hours",
                "aging",
            },
        ),
        ("engagement", set()),
        ("services-publics", set()),
    ],
)
def test_kpis_section_has_its_fixed_keys(app_database, realdata, capsys, section, keys):
    path = realdata / NYC
    assert cli.main(["import", str(path), "--timezone", "America/New_York"]) == 0
    capsys.readouterr()
    code = cli.main(
        [
            "kpis",
            "--start",
            "2022-05-01",
            "--end",
            "2022-05-01",
            "--timezone",
            "America/New_York",
            "--section",
            section,
        ]
    )
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert document["section"] == section
    assert keys <= set(document)
    if section == "requests":
        assert sum(document["aging"].values()) == document["open_backlog"]
