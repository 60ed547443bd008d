"""Diffed upserts, the import ledger and undo, on hand-built canonical frames."""

import pandas as pd
import pytest

from ingest.canonical import conform
from store import repository
from store.repository import RejectedRow, UndoRefused

T0 = pd.Timestamp("2026-10-05 08:00", tz="UTC")


def requests_frame(rows):
    return conform(pd.DataFrame(rows), "request")


def apply(engine, frame, sha="a" * 64, dry_run=False, rejections=()):
    return repository.apply_import(
        engine,
        kind="request",
        format_id="nyc311",
        frame=frame,
        rows_read=len(frame) + len(rejections),
        rejections=list(rejections),
        file_name="demandes.csv",
        sha256=sha,
        user="test",
        timezone="Europe/Paris",
        dry_run=dry_run,
    )


def base_rows():
    return [
        {"source": "grc", "native_id": "1", "created_at": T0, "category": "Voirie"},
        {
            "source": "grc",
            "native_id": "2",
            "created_at": T0,
            "closed_at": T0 + pd.Timedelta(hours=5),
            "category": "Propreté",
            "latitude": 47.39,
        },
    ]


def test_insert_then_reimport_changes_nothing(engine):
    first = apply(engine, requests_frame(base_rows()), rejections=[RejectedRow(4, "motif", "x")])
    assert (first.inserted, first.updated, first.unchanged, first.rejected) == (2, 0, 0, 1)
    assert first.import_id is not None
    again = apply(engine, requests_frame(base_rows()))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert again.import_id is None  # nothing written, nothing to undo
    assert again.previous_import_id == first.import_id
    assert len(repository.imports_frame(engine)) == 1
    assert repository.rejections_frame(engine, first.import_id)["line"].tolist() == [4]


def test_the_same_number_in_two_sources_is_two_requests(engine):
    rows = base_rows()
    other = [{**row, "source": "dansmarue", "category": "Autre"} for row in rows]
    first = apply(engine, requests_frame(rows + other))
    assert first.inserted == 4
    # Only the dansmarue requests change: the diff finds each row by its whole key.
    changed = [{**row, "category": "Propreté"} for row in other]
    again = apply(engine, requests_frame(rows + changed), sha="b" * 64)
    assert (again.inserted, again.updated, again.unchanged) == (0, 2, 2)
    loaded = repository.load_requests(engine, T0 - pd.Timedelta(days=1), T0 + pd.Timedelta(days=1))
    keys = zip(loaded["source"], loaded["native_id"], strict=True)
    by_key = dict(zip(keys, loaded["category"], strict=True))
    assert by_key == {
        ("grc", "1"): "Voirie",
        ("grc", "2"): "Propreté",
        ("dansmarue", "1"): "Propreté",
        ("dansmarue", "2"): "Propreté",
    }


def test_dry_run_writes_nothing(engine):
    outcome = apply(engine, requests_frame(base_rows()), dry_run=True)
    assert outcome.inserted == 2 and outcome.import_id is None
    loaded = repository.load_requests(engine, T0 - pd.Timedelta(days=1), T0 + pd.Timedelta(days=1))
    assert loaded.empty


def test_update_then_undo_restores_previous_values(engine):
    first = apply(engine, requests_frame(base_rows()))
    changed = base_rows()
    changed[0]["closed_at"] = T0 + pd.Timedelta(hours=30)
    changed.append({"source": "grc", "native_id": "3", "created_at": T0, "category": "Bruit"})
    second = apply(engine, requests_frame(changed), sha="b" * 64)
    assert (second.inserted, second.updated, second.unchanged) == (1, 1, 1)

    # The first import cannot be undone while the second one has rewritten one of its rows.
    with pytest.raises(UndoRefused, match="n°2"):
        repository.undo_import(engine, first.import_id, "test")

    window = (T0 - pd.Timedelta(days=1), T0 + pd.Timedelta(days=3))
    result = repository.undo_import(engine, second.import_id, "test")
    assert result == {"deleted": 1, "restored": 1}
    loaded = repository.load_requests(engine, *window).sort_values("native_id")
    assert loaded["native_id"].tolist() == ["1", "2"]
    assert loaded["closed_at"].isna().tolist() == [True, False]

    # Now the first one can go, and the database is empty again.
    assert repository.undo_import(engine, first.import_id, "test") == {"deleted": 2, "restored": 0}
    assert repository.load_requests(engine, *window).empty
    with pytest.raises(UndoRefused, match="déjà été annulé"):
        repository.undo_import(engine, first.import_id, "test")


def test_round_trip_keeps_types_and_utc(engine):
    apply(engine, requests_frame(base_rows()))
    loaded = repository.load_requests(engine, T0, T0 + pd.Timedelta(hours=1))
    row = loaded.set_index("native_id").loc["2"]
    assert row["created_at"] == T0
    assert row["closed_at"] == T0 + pd.Timedelta(hours=5)
    assert row["latitude"] == pytest.approx(47.39)
    assert str(loaded["created_at"].dtype) == "datetime64[us, UTC]"


def test_load_requests_keeps_what_the_period_needs(engine):
    day = pd.Timedelta(days=1)
    rows = [
        # closed before the period: not needed
        {"source": "s", "native_id": "old", "created_at": T0 - 10 * day, "closed_at": T0 - 5 * day},
        # still open: part of the backlog
        {"source": "s", "native_id": "open", "created_at": T0 - 10 * day},
        # closed inside the period
        {"source": "s", "native_id": "closed", "created_at": T0 - 10 * day, "closed_at": T0 + day},
        # created after the period
        {"source": "s", "native_id": "later", "created_at": T0 + 10 * day},
    ]
    apply(engine, requests_frame(rows))
    loaded = repository.load_requests(engine, T0, T0 + 2 * day)
    assert sorted(loaded["native_id"]) == ["closed", "open"]


def test_settings_round_trip(engine):
    assert repository.setting(engine, "timezone", "Europe/Paris") == "Europe/Paris"
    repository.save_setting(engine, "our_accounts", ["123", "Ville de Test"])
    repository.save_setting(engine, "our_accounts", ["123"])
    assert repository.setting(engine, "our_accounts") == ["123"]


def test_a_fingerprint_given_as_a_callable_is_asked_for_by_finish_only(engine):
    """A large file's hash is made while its rows are written: the writer asks for it last."""
    asked: list[str] = []

    def fingerprint() -> str:
        asked.append("sha")
        return "c" * 64

    with repository.ImportWriter(
        engine,
        kind="request",
        format_id="nyc311",
        file_name="demandes.csv",
        sha256=fingerprint,
        user="test",
        timezone="Europe/Paris",
    ) as writer:
        writer.add(requests_frame(base_rows()))
        assert asked == []
        first = writer.finish(rows_read=2, rejections=[])
    assert asked == ["sha"] and first.sha256 == "c" * 64
    assert repository.imports_frame(engine)["sha256"].tolist() == ["c" * 64]
    # The same bytes again: the earlier import is found by the fingerprint, not this one.
    again = apply(engine, requests_frame(base_rows()), sha="c" * 64)
    assert again.previous_import_id == first.import_id and again.sha256 == "c" * 64
