"""The public transparency page: off by default, aggregated only, small groups suppressed."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services.auth import add_user
from services.imports import load_demo
from services.transparency import public_indicators, public_page_enabled, set_public_page
from store.db import ready_engine

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('public') / 'parvis.sqlite'}"
    db = ready_engine(url)
    load_demo(db)
    add_user(db, "admin", "admin", "correct-horse-battery")
    return url


@pytest.fixture
def db(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    engine = ready_engine(demo_url)
    yield engine
    set_public_page(engine, False, "test")


def test_off_by_default_visitors_only_get_the_sign_in_form(db):
    assert not public_page_enabled(db)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert "connexion" in " ".join(t.value for t in at.title)
    assert not at.metric


def test_on_visitors_get_the_public_page_and_nothing_else(db):
    set_public_page(db, True, "admin")
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "nos engagements" in at.title[0].value
    assert len(at.metric) == 6 and all(m.value for m in at.metric)
    for page in ("pages/synthese.py", "pages/importer.py", "pages/administration.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    # Aggregates only: every table cell is a group name, a count, a share or a duration.
    for frame in at.dataframe:
        table = frame.value
        assert list(table.columns)[0] == "Groupe"
        assert not table.iloc[:, 1:].apply(lambda c: c.str.len().max() > 20).any()


def test_small_groups_are_suppressed(db):
    from datetime import date

    from metrics.period import Period

    figures = public_indicators(db, Period(date(2026, 10, 1), date(2026, 10, 31)))
    for group in figures["groups"].values():
        assert all(
            row["received"] + row["closed"] >= 5 or row["closed"] >= 5 for row in group["rows"]
        )
        assert set(group["rows"][0]) == {
            "group",
            "received",
            "closed",
            "median_resolution_hours",
            "share_closed_within_target",
        }
    empty = public_indicators(db, Period(date(2001, 1, 1), date(2001, 1, 31)))
    assert empty["requests_received"] is None and empty["sve_share"] is None
