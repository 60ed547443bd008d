"""File → store on SQLite and PostgreSQL: real files, idempotence, undo, atomicity, pseudonyms."""

import json
import os
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ingest.base import ImportContext
from ingest.canonical import conform
from ingest.pipeline import import_bytes
from store import repository

GOLDEN = Path(__file__).resolve().parents[1] / "ingest" / "golden"
REAL_FILES = [
    (
        "twitter_tweet_activity_metrics/tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv",
        "x_tweet_activity",
        37,
        "UTC",
    ),
    (
        "twitter_tweet_activity_metrics/tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv",
        "x_tweet_activity",
        17,
        "UTC",
    ),
    (
        "twitter_tweet_activity_metrics/twitter_activity_metrics_20150901_20151001.csv",
        "x_tweet_activity",
        47,
        "UTC",
    ),
    ("nyc_311/311_Service_Requests_from_2010_to_Present.csv", "nyc311", 924, "America/New_York"),
]
EVERYTHING = (pd.Timestamp("2000-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC"))


def table_count(engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


@pytest.mark.parametrize(("name", "format_id", "rows", "zone"), REAL_FILES)
def test_real_file_imports_whole_then_reimport_and_undo(
    engine, realdata, name, format_id, rows, zone
):
    data = (realdata / name).read_bytes()
    context = ImportContext(timezone=zone)
    report = import_bytes(engine, data, Path(name).name, context, user="test")
    assert report.refused is None
    assert report.format_id == format_id
    assert (report.rows_read, report.inserted, len(report.rejections)) == (rows, rows, 0)

    again = import_bytes(engine, data, Path(name).name, context, user="test")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, rows)
    assert again.import_id is None and again.previous_import_id == report.import_id

    table = "publications" if format_id.startswith("x_") else "requests"
    assert table_count(engine, table) == rows
    repository.undo_import(engine, report.import_id, "test")
    assert table_count(engine, table) == 0


def test_graph_comments_are_pseudonymised_and_masked(engine):
    source = (GOLDEN / "fb_graph_comments" / "threads.json").read_bytes()
    document = json.loads(source)
    names = set()

    def walk(node):
        if isinstance(node, dict):
            author = node.get("from")
            if isinstance(author, dict):
                names.update(str(v) for v in author.values())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    context_file = GOLDEN / "fb_graph_comments" / "threads.context.json"
    accounts = tuple(json.loads(context_file.read_text()).get("our_accounts", []))
    report = import_bytes(
        engine, source, "threads.json", ImportContext(our_accounts=accounts), user="test"
    )
    assert report.inserted > 0
    messages = repository.load_messages(engine, *EVERYTHING)
    residents = messages[~messages["is_staff"].fillna(False).astype(bool)]
    assert residents["author"].dropna().str.fullmatch(r"hab-[0-9a-f]{16}").all()
    resident_names = names - set(
        messages.loc[messages["is_staff"].fillna(False).astype(bool), "author"]
    )
    stored = " ".join(messages["author"].dropna()) + " " + " ".join(messages["text"].dropna())
    for name in resident_names:
        assert name not in stored.split(), name
    texts = " ".join(messages["text"].dropna())
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", texts)
    assert not re.search(r"(?<!\d)0[1-9](?:[ .]?\d{2}){4}(?!\d)", texts)


def test_a_failing_import_leaves_the_database_as_it_was(engine):
    good = conform(
        pd.DataFrame(
            [
                {
                    "source": "grc",
                    "native_id": str(i),
                    "created_at": pd.Timestamp("2026-01-05", tz="UTC"),
                }
                for i in range(50)
            ]
        ),
        "request",
    )
    repository.apply_import(
        engine,
        kind="request",
        format_id="t",
        frame=good,
        rows_read=50,
        rejections=[],
        file_name="a.csv",
        sha256="1" * 64,
        user="test",
        timezone="UTC",
    )
    # The 40th row breaks a NOT NULL constraint after 39 rows were already sent.
    bad_rows = [
        {"source": "grc", "native_id": f"n{i}", "created_at": pd.Timestamp("2026-01-06", tz="UTC")}
        for i in range(60)
    ]
    bad_rows[39]["source"] = None
    bad = conform(pd.DataFrame(bad_rows), "request")
    with pytest.raises(IntegrityError):
        repository.apply_import(
            engine,
            kind="request",
            format_id="t",
            frame=bad,
            rows_read=60,
            rejections=[],
            file_name="b.csv",
            sha256="2" * 64,
            user="test",
            timezone="UTC",
        )
    assert table_count(engine, "requests") == 50
    assert table_count(engine, "imports") == 1


def test_contact_details_in_comments_are_masked_before_storage(engine):
    document = {
        "data": [
            {
                "id": "111_1",
                "created_time": "2026-10-05T08:00:00+0000",
                "message": "Travaux rue Nationale",
                "from": {"id": "111", "name": "Ville de Test"},
                "comments": {
                    "data": [
                        {
                            "id": "1_10",
                            "created_time": "2026-10-05T09:00:00+0000",
                            "message": "Appelez-moi au 06 12 34 56 78 ou jean.dupont@example.org",
                            "from": {"id": "987654321", "name": "Jean Dupont"},
                        },
                        {
                            "id": "1_11",
                            "created_time": "2026-10-05T09:30:00+0000",
                            "message": "Jean Dupont regarde, rue Victor Hugo !",
                            "from": {"id": "987654322", "name": "Marie Curie"},
                        },
                    ]
                },
            }
        ]
    }
    data = json.dumps(document).encode()
    report = import_bytes(engine, data, "c.json", ImportContext(), user="test")
    assert report.inserted == 2
    messages = repository.load_messages(engine, *EVERYTHING).sort_values("sent_at")
    stored = messages.iloc[0]
    assert stored["text"] == "Appelez-moi au [téléphone masqué] ou [courriel masqué]"
    # A resident tagged by name in another comment: the name of an author of the file is
    # masked; a street's name is not.
    assert messages.iloc[1]["text"] == "[nom masqué] regarde, rue Victor Hugo !"
    assert stored["author"].startswith("hab-") and "Jean" not in stored["author"]
    # The preview shown before confirming is already pseudonymised too.
    assert "987654321" not in report.preview.to_csv()


def graph_comments(texts: list[str]) -> bytes:
    """A Graph API export of one post whose comments are ``texts`` (ids 2_0, 2_1…)."""
    return json.dumps(
        [
            {
                "id": "111_2",
                "created_time": "2026-10-05T08:00:00+0000",
                "from": {"id": "111"},
                "comments": {
                    "data": [
                        {
                            "id": f"2_{i}",
                            "created_time": "2026-10-05T09:00:00+0000",
                            "message": text,
                            "from": {"id": str(900 + i)},
                        }
                        for i, text in enumerate(texts)
                    ]
                },
            }
        ]
    ).encode()


def test_sentiment_is_scored_at_import_and_stored(engine):
    texts = ["Toujours pas réparé, c'est inadmissible 😡", "Merci, très réactifs !", ""]
    import_bytes(engine, graph_comments(texts), "s.json", ImportContext(), user="t")
    stored = repository.load_messages(engine, *EVERYTHING).set_index("native_id")
    assert stored.loc["2_0", "sentiment_label"] == "négatif" and stored.loc["2_0", "sentiment"] < 0
    assert (
        stored.loc["2_1", "sentiment_label"] == "positif" and stored.loc["2_1", "language"] == "fr"
    )
    assert stored.loc["2_2", "sentiment_label"] == "non évalué"
    assert pd.isna(stored.loc["2_2", "sentiment"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread priorities: Linux only")
def test_preparation_threads_run_at_the_lowest_priority_and_only_they() -> None:
    """The hash of a large import uses the cores the import leaves idle: its thread is niced,
    the caller's is not."""
    from ingest.pipeline import _lowest_priority

    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen: list[int] = []
    with ThreadPoolExecutor(max_workers=1, initializer=_lowest_priority) as pool:
        seen.append(
            pool.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result()
        )
    assert seen == [19]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own


def test_a_large_import_reports_and_records_the_fingerprint(engine, monkeypatch) -> None:
    """The hash made ahead (a file over the warm-up size) is the report's and the ledger's."""
    import hashlib

    import ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "_WARM_FROM_BYTES", 0)
    data = (GOLDEN / "nyc311" / "portal.csv").read_bytes()
    report = import_bytes(
        engine, data, "portal.csv", ImportContext(timezone="America/New_York"), user="test"
    )
    assert report.refused is None and report.inserted > 0
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert repository.imports_frame(engine)["sha256"].tolist() == [report.sha256]
    refused = import_bytes(engine, b"\x00\x01", "x.bin", ImportContext(), user="test")
    assert refused.refused and refused.sha256 == hashlib.sha256(b"\x00\x01").hexdigest()
