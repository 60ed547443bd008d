"""Accounts and roles: argon2, lock-out, local mode, what each role sees, the audit trail."""

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ingest.canonical import conform
from metrics.period import Period
from services import auth
from services.synthesis import period_figures
from store import accounts, repository
from store.db import ready_engine
from store.repository import Selection

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard.py")
PASSWORD = "correct-horse-battery"


@pytest.fixture
def db(app_database):
    return ready_engine()


def actions(db) -> list[str]:
    return accounts.audit_frame(db)["action"].tolist()[::-1]


def test_passwords_are_argon2_hashed_and_checked(db):
    auth.add_user(db, "maire", "elu", PASSWORD)
    stored = accounts.account_named(db, "maire")
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert auth.sign_in(db, "maire", PASSWORD).role == "elu"
    with pytest.raises(auth.AuthError, match="incorrect"):
        auth.sign_in(db, "maire", "mauvais-mot-de-passe")
    with pytest.raises(auth.AuthError, match="incorrect"):  # same answer for unknown names
        auth.sign_in(db, "inconnu", PASSWORD)
    assert actions(db) == ["account_created", "sign_in", "sign_in_failed", "sign_in_failed"]


def test_lock_out_after_repeated_failures(db):
    auth.add_user(db, "agent1", "agent", PASSWORD)
    now = datetime(2026, 11, 30, 10, 0)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.AuthError):
            auth.sign_in(db, "agent1", "nope-nope-nope", now=now)
    with pytest.raises(auth.AuthError, match="verrouillé"):
        auth.sign_in(db, "agent1", PASSWORD, now=now + timedelta(minutes=1))
    later = now + auth.LOCK_DURATION + timedelta(minutes=1)
    assert auth.sign_in(db, "agent1", PASSWORD, now=later).name == "agent1"


def test_account_rules(db):
    with pytest.raises(auth.AuthError, match="trop court"):
        auth.add_user(db, "x", "elu", "court")
    with pytest.raises(auth.AuthError, match="Rôle inconnu"):
        auth.add_user(db, "x", "superuser", PASSWORD)
    auth.add_user(db, "x", "elu", PASSWORD)
    with pytest.raises(auth.AuthError, match="existe déjà"):
        auth.add_user(db, "x", "agent", PASSWORD)


@pytest.mark.parametrize(
    "attempt", ["' OR '1'='1", "admin'; DROP TABLE users; --", '" OR ""="', "../../etc/passwd"]
)
def test_injection_attempts_in_the_sign_in_name_are_just_wrong_names(db, attempt):
    auth.add_user(db, "admin", "admin", PASSWORD)
    with pytest.raises(auth.AuthError, match="incorrect"):
        auth.sign_in(db, attempt, PASSWORD)
    assert accounts.admin_count(db) == 1


def test_cli_reads_the_password_from_stdin_never_from_arguments(app_database):
    run = subprocess.run(
        [sys.executable, "cli.py", "users", "add", "dgs", "--role", "admin"],
        cwd=REPO,
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert auth.sign_in(ready_engine(), "dgs", PASSWORD).role == "admin"
    mismatch = subprocess.run(
        [sys.executable, "cli.py", "users", "add", "autre", "--role", "elu"],
        cwd=REPO,
        input=f"{PASSWORD}\nautre-chose-123\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert mismatch.returncode != 0 and "diffèrent" in mismatch.stderr


def signed_in(name: str, password: str = PASSWORD) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()
    return at


def page_titles(at: AppTest) -> str:
    return " ".join(t.value for t in at.title)


def test_sign_in_is_required_once_an_admin_exists(db):
    auth.add_user(db, "admin", "admin", PASSWORD)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "connexion" in page_titles(at) and not at.metric
    at = signed_in("admin", "mauvais-mot-de-passe")
    assert at.error and "incorrect" in at.error[0].value and not at.metric


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("elu", ["pages/synthese.py"], ["pages/importer.py", "pages/administration.py"]),
        ("agent", ["pages/synthese.py", "pages/importer.py"], ["pages/administration.py"]),
        ("admin", ["pages/synthese.py", "pages/importer.py", "pages/administration.py"], []),
    ],
)
def test_each_role_sees_exactly_its_pages(db, role, allowed, refused):
    auth.add_user(db, "admin", "admin", PASSWORD)
    if role != "admin":
        auth.add_user(db, f"compte-{role}", role, PASSWORD)
    at = signed_in("admin" if role == "admin" else f"compte-{role}")
    assert not at.exception and at.metric
    for page in allowed:
        at.switch_page(page).run()
        assert not at.exception
        assert not [e for e in at.error if "pas accessible" in e.value], page
    for page in refused:
        # The navigation of this role does not register the page: its URL leads nowhere.
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_a_page_refuses_a_role_below_its_own(app_database):
    # Second line of defence, inside the page itself, whatever the navigation registered.
    script = """
import streamlit as st
from services.auth import Viewer
from ui.auth import require_role
st.session_state["frame_viewer"] = Viewer("conseillere", "elu")
require_role("agent")
st.title("contenu réservé")
"""
    at = AppTest.from_string(script, default_timeout=30).run()
    assert at.error and "pas accessible" in at.error[0].value
    assert not at.title


def test_local_mode_is_refused_off_loopback(app_database, monkeypatch):
    import ui.auth

    monkeypatch.setattr(ui.auth, "is_loopback", lambda address: False)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.error and "aucun compte administrateur" in at.error[0].value
    assert not at.metric


def test_local_mode_is_labelled(app_database):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("Mode local" in w.value for w in at.sidebar.warning)


def test_loopback_detection():
    assert auth.is_loopback("127.0.0.1") and auth.is_loopback("localhost")
    assert auth.is_loopback("::1")
    assert (
        not auth.is_loopback("0.0.0.0") and not auth.is_loopback("") and not auth.is_loopback(None)
    )
    assert not auth.is_loopback("192.0.2.10")


def test_a_restricted_elu_gets_only_their_quartiers_from_the_data_layer(db):
    created = pd.Timestamp("2026-10-05 08:00", tz="UTC")
    rows = [
        {"source": "grc", "native_id": str(i), "created_at": created, "district": d}
        for i, d in enumerate(["Centre", "Centre", "Gare", "Bel-Air"])
    ]
    repository.apply_import(
        db,
        kind="request",
        format_id="t",
        frame=conform(pd.DataFrame(rows), "request"),
        rows_read=4,
        rejections=[],
        file_name="r.csv",
        sha256="9" * 64,
        user="t",
        timezone="UTC",
    )
    period = Period(datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    assert period_figures(db, period)["requests_received"] == 4
    assert period_figures(db, period, Selection(districts=("Centre",)))["requests_received"] == 2
    assert period_figures(db, period, Selection(districts=("Gare", "Bel-Air")))["open_backlog"] == 2


def test_imports_and_undo_are_audited(db, realdata):
    from services import imports

    data = (realdata / "nyc_311/311_Service_Requests_from_2010_to_Present.csv").read_bytes()
    report = imports.import_file(db, data, "nyc.csv", user="agent1", timezone="America/New_York")
    imports.undo(db, report.import_id, "agent1")
    log = accounts.audit_frame(db)
    assert log["action"].tolist()[::-1] == ["import", "undo"]
    assert '"inserted": 924' in log["detail"].iloc[-1]
    assert set(log["actor"]) == {"agent1"}


def test_an_idle_session_expires(db):
    auth.add_user(db, "admin", "admin", PASSWORD)
    at = signed_in("admin")
    assert at.metric
    from datetime import UTC

    at.session_state["viewer_last_seen"] = datetime.now(UTC) - auth.SESSION_IDLE_LIMIT * 2
    at.run()
    assert "connexion" in page_titles(at) and not at.metric
    assert any("expirée" in i.value for i in at.info)
    assert "session_expired" in actions(db)


def test_sign_out(db):
    auth.add_user(db, "admin", "admin", PASSWORD)
    at = signed_in("admin")
    at.button(key="sign_out").click().run()
    assert "connexion" in page_titles(at)
    assert actions(db)[-1] == "sign_out"


def test_single_sign_on_maps_an_identity_to_the_account_of_that_name(db):
    auth.add_user(db, "marie.curie@ville.example", "elu", PASSWORD, ("Centre",))
    viewer = auth.sso_viewer(db, "Marie.Curie@ville.example")
    assert (viewer.role, viewer.districts) == ("elu", ("Centre",))
    with pytest.raises(auth.AuthError, match="Aucun compte Parvis"):
        auth.sso_viewer(db, "inconnu@ville.example")
    with pytest.raises(auth.AuthError, match="adresse"):
        auth.sso_viewer(db, None)
    assert actions(db)[-2:] == ["sign_in", "sign_in_failed"]
