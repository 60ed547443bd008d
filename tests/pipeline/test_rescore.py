"""Stored sentiment scored again after an analyzer update: only changed rows, one transaction
per kind, audited, and the caches' data version moves."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import update

import cli
from ingest.base import ImportContext
from ingest.pipeline import import_bytes
from services.imports import rescore_sentiment
from store import accounts, repository
from store.models import Message
from tests.pipeline.test_pipeline import graph_comments

EVERYTHING = (pd.Timestamp("2000-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC"))
TEXTS = ["Toujours pas réparé, c'est inadmissible 😡", "Merci, très réactifs !", "", "Ok"]


def comments() -> bytes:
    return graph_comments(TEXTS)


def scores(engine) -> pd.DataFrame:
    stored = repository.load_messages(engine, *EVERYTHING).set_index("native_id")
    return stored[["language", "sentiment", "sentiment_label"]].sort_index()


def test_rescoring_restores_what_an_import_stores_and_only_touches_stale_rows(engine):
    import_bytes(engine, comments(), "s.json", ImportContext(), user="t")
    fresh = scores(engine)
    # Scores of an older analyzer: one row wrong, one row never scored.
    with engine.begin() as connection:
        connection.execute(
            update(Message)
            .where(Message.native_id == "2_0")
            .values(sentiment=0.5, sentiment_label="positif")
        )
        connection.execute(
            update(Message)
            .where(Message.native_id == "2_1")
            .values(language=None, sentiment=None, sentiment_label=None)
        )
    version = repository.data_version(engine)

    counts = rescore_sentiment(engine, "admin")
    assert counts["message"] == {"read": len(TEXTS), "changed": 2}
    assert counts["request"] == {"read": 0, "changed": 0}
    pd.testing.assert_frame_equal(scores(engine), fresh)
    assert repository.data_version(engine) != version
    log = accounts.audit_frame(engine)
    assert log.iloc[0]["action"] == "rescore_sentiment"

    # Nothing left to change: a second run writes nothing.
    assert rescore_sentiment(engine, "admin")["message"] == {"read": len(TEXTS), "changed": 0}


def test_cli_rescore(engine, database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    import_bytes(engine, comments(), "s.json", ImportContext(), user="t")
    assert cli.main(["sentiment", "--rescore", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "messages : 4 relus, 0 scores changés" in out
    assert "descriptions de demandes : 0 relus, 0 scores changés" in out
