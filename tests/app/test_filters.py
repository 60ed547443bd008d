"""Shared filters: read from the link, pushed into the queries, written back to the link."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ingest.canonical import conform
from services.auth import add_user
from store import repository
from store.db import ready_engine

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


@pytest.fixture
def requests_db(app_database):
    db = ready_engine()
    created = pd.Timestamp("2026-10-05 08:00", tz="UTC")
    rows = [
        {
            "source": "grc",
            "native_id": str(i),
            "created_at": created,
            "district": d,
            "category": c,
            "channel": "PHONE",
        }
        for i, (d, c) in enumerate(
            [("Centre", "Voirie"), ("Centre", "Propreté"), ("Gare", "Voirie"), ("Bel-Air", "Bruit")]
        )
    ]
    repository.apply_import(
        db,
        kind="request",
        format_id="t",
        frame=conform(pd.DataFrame(rows), "request"),
        rows_read=4,
        rejections=[],
        file_name="r.csv",
        sha256="8" * 64,
        user="t",
        timezone="UTC",
    )
    return db


def received(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Demandes reçues")


def run_with(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_a_link_with_filters_opens_the_filtered_view(requests_db):
    base = {"periode": "custom", "debut": "2026-10-01", "fin": "2026-10-31"}
    assert received(run_with(base)) == "4"
    at = run_with({**base, "quartiers": ["Centre", "Gare"]})
    assert not at.exception
    assert received(at) == "3"
    assert received(run_with({**base, "quartiers": "Centre", "categories": "Voirie"})) == "1"
    # A value that does not exist is ignored, not trusted.
    assert received(run_with({**base, "quartiers": "'; DROP TABLE requests; --"})) == "4"


def test_changing_a_filter_updates_the_link(requests_db):
    at = run_with({"periode": "custom", "debut": "2026-10-01", "fin": "2026-10-31"})
    at.multiselect(key="filter_quartiers").select("Gare").run()
    assert received(at) == "1"
    assert at.query_params["quartiers"] in ("Gare", ["Gare"])
    assert at.query_params["debut"] in ("2026-10-01", ["2026-10-01"])


def test_a_restricted_elu_cannot_widen_their_scope_by_link(requests_db):
    add_user(requests_db, "admin", "admin", "correct-horse-battery")
    add_user(requests_db, "elue-gare", "elu", "correct-horse-battery", ("Gare",))
    at = run_with(
        {"periode": "custom", "debut": "2026-10-01", "fin": "2026-10-31", "quartiers": "Centre"}
    )
    at.text_input(key="sign_in_name").input("elue-gare")
    at.text_input(key="sign_in_password").input("correct-horse-battery")
    at.button[0].click().run()
    assert not at.exception
    assert received(at) == "1"
    assert at.multiselect(key="filter_quartiers").options == ["Gare"]


def test_filters_follow_the_official_from_page_to_page(requests_db):
    at = run_with({"periode": "custom", "debut": "2026-10-01", "fin": "2026-10-31"})
    at.multiselect(key="filter_quartiers").select("Gare").run()
    at.switch_page("pages/habitants.py").run()
    assert not at.exception
    assert at.multiselect(key="filter_quartiers").value == ["Gare"]
    assert at.selectbox(key="period_choice").value == "custom"
    at.switch_page("pages/synthese.py").run()
    assert received(at) == "1"


def test_the_service_filter(app_database):
    db = ready_engine()
    created = pd.Timestamp("2026-10-05 08:00", tz="UTC")
    rows = [
        {"source": "grc", "native_id": str(i), "created_at": created, "service": s}
        for i, s in enumerate(["Voirie", "Voirie", "Propreté"])
    ]
    repository.apply_import(
        db,
        kind="request",
        format_id="t",
        frame=conform(pd.DataFrame(rows), "request"),
        rows_read=3,
        rejections=[],
        file_name="r.csv",
        sha256="7" * 64,
        user="t",
        timezone="UTC",
    )
    at = run_with(
        {"periode": "custom", "debut": "2026-10-01", "fin": "2026-10-31", "services": "Propreté"}
    )
    assert received(at) == "1"
