"""Retention: the dry run counts, the purge deletes exactly what is past its limit, both audited."""

from datetime import datetime

import pandas as pd

from ingest.canonical import conform
from services import retention
from store import accounts, repository
from store.db import ready_engine

NOW = datetime(2026, 11, 30, 12, 0)


def test_purge_removes_only_closed_requests_and_messages_past_the_limit(app_database, capsys):
    db = ready_engine()
    old = pd.Timestamp("2024-06-01", tz="UTC")  # 30 months before NOW
    recent = pd.Timestamp("2026-06-01", tz="UTC")
    requests = [
        {"source": "g", "native_id": "old-closed", "created_at": old, "closed_at": old},
        {"source": "g", "native_id": "old-open", "created_at": old},
        {"source": "g", "native_id": "recent", "created_at": recent, "closed_at": recent},
    ]
    messages = [
        {"channel": "facebook", "native_id": "m1", "sent_at": old, "is_staff": False},
        {"channel": "facebook", "native_id": "m2", "sent_at": recent, "is_staff": False},
    ]
    for kind, rows in (("request", requests), ("message", messages)):
        repository.apply_import(
            db,
            kind=kind,
            format_id="t",
            frame=conform(pd.DataFrame(rows), kind),
            rows_read=len(rows),
            rejections=[],
            file_name=f"{kind}.csv",
            sha256=kind[0] * 64,
            user="t",
            timezone="UTC",
        )
    version = repository.data_version(db)
    assert retention.purge(db, "admin", dry_run=True, now=NOW) == {"request": 1, "message": 1}
    assert retention.purge(db, "admin", dry_run=True, now=NOW) == {"request": 1, "message": 1}
    assert repository.data_version(db) == version  # a dry run changes nothing
    assert retention.purge(db, "admin", dry_run=False, now=NOW) == {"request": 1, "message": 1}
    # Every cached page must forget the purged rows: the data version moves.
    assert repository.data_version(db) != version
    window = (pd.Timestamp("2000-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC"))
    assert sorted(repository.load_requests(db, *window)["native_id"]) == ["old-open", "recent"]
    assert repository.load_messages(db, *window)["native_id"].tolist() == ["m2"]
    assert accounts.audit_frame(db)["action"].tolist()[::-1] == [
        "purge_dry_run",
        "purge_dry_run",
        "purge",
    ]

    retention.save_retention_months(db, {"request": 0, "message": 3}, "admin")
    assert retention.retention_months(db)["request"] is None
    assert retention.purge(db, "admin", dry_run=True, now=NOW) == {"message": 1}


def test_cli_purge_dry_run(app_database, capsys):
    import cli

    assert cli.main(["purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "seraient supprimés" in out
