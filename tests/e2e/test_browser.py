"""End to end in headless Chromium: a real `streamlit run dashboard.py` on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NYC = "nyc_311/311_Service_Requests_from_2010_to_Present.csv"

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("streamlit did not start within 60 s")


@contextmanager
def running_app(env: dict[str, str]) -> Iterator[str]:
    """A `streamlit run dashboard.py` process on a free loopback port, stopped afterwards."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_port(port, process)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _needs_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium absent (apt-get install chromium): browser tests run in CI")
    pytest.importorskip("playwright.sync_api", reason="playwright not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _needs_browser()
    folder = tmp_path_factory.mktemp("e2e")
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{folder / 'parvis.sqlite'}",
        PARVIS_SECRET_FILE=str(folder / "secret.key"),
    )
    demo = subprocess.run(
        [sys.executable, "cli.py", "demo"], cwd=REPO, env=env, capture_output=True, timeout=300
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    with running_app(env) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS[1:])
        yield chromium
        chromium.close()


def _page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page.goto(url)
    return page


def _metric_value(page, label: str) -> str:
    tile = page.locator('[data-testid="stMetric"]', has_text=label).first
    tile.wait_for(timeout=60_000)
    return tile.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_a_page_url_opened_first_still_gets_the_frame(browser, server):
    # The very first request after start is a page URL: Streamlit's older multipage mode would
    # run pages/importer.py alone, without the navigation of dashboard.py.
    page = _page(browser, f"{server}/importer")
    page.get_by_text("Importer des exports").first.wait_for(timeout=60_000)
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert "Synthèse" in nav.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "importer.png"), full_page=True)
    page.close()


def test_demo_synthese_then_upload_changes_a_kpi(browser, server, realdata_dir):
    page = _page(browser, server)
    assert _metric_value(page, "Publications") not in ("", "0", "non disponible")
    page.screenshot(path=str(ARTIFACTS / "synthese.png"), full_page=True)

    page.goto(f"{server}/importer")
    page.get_by_text("Importer des exports").first.wait_for(timeout=60_000)
    page.locator('input[type="file"]').set_input_files(str(realdata_dir / NYC))
    page.get_by_text("Format reconnu").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_text("import n°").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "importer-done.png"), full_page=True)
    page.close()


@pytest.mark.postgres
def test_two_app_servers_share_one_postgresql(browser, tmp_path, realdata_dir):
    # Several `streamlit run` processes behind a load balancer: no state outside the database
    # (and the shared pseudonymisation key), so an import through one is visible in the other.
    from tests.conftest import POSTGRES_URL, _postgres_database

    if not POSTGRES_URL:
        pytest.skip("PARVIS_TEST_POSTGRES_URL not set: PostgreSQL tests run in CI")
    databases = _postgres_database()
    url = next(databases)
    env = dict(os.environ, DATABASE_URL=url, PARVIS_SECRET_FILE=str(tmp_path / "secret.key"))
    try:
        with running_app(env) as first, running_app(env) as second:
            page = _page(browser, f"{first}/importer")
            page.get_by_text("Importer des exports").first.wait_for(timeout=60_000)
            page.locator('input[type="file"]').set_input_files(str(realdata_dir / NYC))
            page.get_by_text("Format reconnu").first.wait_for(timeout=60_000)
            page.get_by_role("button", name="Confirmer l'import").click()
            page.get_by_text("import n°").first.wait_for(timeout=60_000)
            page.close()

            other = _page(browser, f"{second}/importer")
            # Data grid cells are drawn on a canvas: present in the DOM, never "visible".
            other.get_by_text("311_Service_Requests_from_2010_to_Present.csv").first.wait_for(
                state="attached", timeout=60_000
            )
            other.screenshot(path=str(ARTIFACTS / "second-server.png"), full_page=True)
            other.close()
    finally:
        next(databases, None)


X_CONTENT = "x_account_analytics_content/maurojpelle-2026-05-25-to-2026-08-22.csv"
JUNE_ON_X = "?periode=custom&debut=2026-06-01&fin=2026-06-30&plateformes=x"
PAGES = [
    "synthese",
    "publications",
    "reponses",
    "demandes",
    "quartiers",
    "habitants",
    "services-publics",
    "importer",
    "parametres",
    "regles",
    "administration",
]


def test_official_journey_filtered_link_upload_kpi_change_pdf(browser, server, realdata_dir):
    # A filtered link, as sent by e-mail: June 2026, X only.
    page = _page(browser, f"{server}/{JUNE_ON_X}")
    before = int(_metric_value(page, "Publications").replace("\u202f", ""))
    assert "plateformes=x" in page.url

    page.goto(f"{server}/importer")
    page.get_by_text("Importer des exports").first.wait_for(timeout=60_000)
    page.locator('input[type="file"]').set_input_files(str(realdata_dir / X_CONTENT))
    page.get_by_text("Format reconnu").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_text("import n°").first.wait_for(timeout=60_000)

    page.goto(f"{server}/{JUNE_ON_X}")
    after = int(_metric_value(page, "Publications").replace("\u202f", ""))
    assert after > before

    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Télécharger le dossier PDF").click()
    pdf = ARTIFACTS / "dossier.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.close()


def test_screenshots_of_every_page(browser, server):
    ARTIFACTS.mkdir(exist_ok=True)
    for name in PAGES:
        page = _page(browser, f"{server}/{name}")
        page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        assert not page.locator('[data-testid="stException"]').count(), name
        page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)
        page.close()


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _needs_browser()
    folder = tmp_path_factory.mktemp("e2e-roles")
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{folder / 'parvis.sqlite'}",
        PARVIS_SECRET_FILE=str(folder / "secret.key"),
    )
    steps = [
        (["demo"], ""),
        (["users", "add", "dgs", "--role", "admin"], f"{PASSWORD}\n{PASSWORD}\n"),
        (
            ["users", "add", "elue", "--role", "elu", "--district", "Centre-Ville"],
            f"{PASSWORD}\n{PASSWORD}\n",
        ),
    ]
    for args, stdin in steps:
        done = subprocess.run(
            [sys.executable, "cli.py", *args],
            cwd=REPO,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    with running_app(env) as url:
        yield url


PASSWORD = "correct-horse-battery"


def _signed_in(browser, url: str, name: str):
    page = _page(browser, url)
    page.get_by_label("Nom de compte").fill(name)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=60_000)
    return page


def test_each_role_sees_what_it_may_in_the_browser(browser, accounts_server):
    anonymous = _page(browser, f"{accounts_server}/importer")
    anonymous.get_by_role("button", name="Se connecter").wait_for(timeout=60_000)
    assert not anonymous.get_by_text("Importer des exports").count()
    anonymous.close()

    elue = _signed_in(browser, accounts_server, "elue")
    nav = elue.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Synthèse" in nav and "Importer" not in nav and "Administration" not in nav
    elue.screenshot(path=str(ARTIFACTS / "role-elue.png"), full_page=True)
    elue.close()

    admin = _signed_in(browser, accounts_server, "dgs")
    nav = admin.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Importer" in nav and "Administration" in nav
    admin.close()
