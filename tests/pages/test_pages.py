"""Streamlit AppTest of the Publications, Réponses and Demandes pages: over the demo commune,
on an empty database, with filters in the link, in English, and their controls and exports."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ingest.canonical import conform
from services.auth import add_user
from store import accounts, repository
from store.db import ready_engine
from tests.conftest import imported_rows

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
PAGES = ["pages/publications.py", "pages/reponses.py", "pages/demandes.py"]
PASSWORD = "correct-horse-battery"


def open_page(page: str, **params: str | list[str]) -> AppTest:
    """The app opened directly on ``page``, with ``params`` in its link."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def table(at: AppTest, column: str, index: int = 0) -> pd.DataFrame:
    """The ``index``-th data table of the page that has ``column``."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    return found[index]


def expanders(at: AppTest, label: str) -> list:
    return [e for e in at.expander if e.label == label]


# ----------------------------------------------------------------------------------------------
# Without data


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_database_shows_a_helpful_message_not_a_blank_chart(empty_database, page):
    at = open_page(page)
    no_exception(at)
    assert any("page Importer" in i.value for i in at.info), [i.value for i in at.info]
    assert not charts(at)
    assert at.metric  # the figures are there, at zero or « non disponible »
    assert all(e.label == "Méthode de calcul" for e in at.expander)
    assert at.download_button[0].proto.disabled


# ----------------------------------------------------------------------------------------------
# Over the demo commune


@pytest.mark.parametrize(
    ("page", "figures", "chart_count"),
    [
        (
            "pages/publications.py",
            ["Publications", "Interactions", "Taux d'engagement (portée)"],
            7,  # over time, network, post type, hour, content class, theme, best time
        ),
        (
            "pages/reponses.py",
            ["Messages d'habitants reçus", "Taux de réponse", "Réponses dans le délai cible"],
            4,
        ),
        (
            "pages/demandes.py",
            ["Demandes reçues", "Demandes clôturées", "Médiane de Kaplan–Meier"],
            8,  # flows, backlog, aging, within target, four breakdowns
        ),
    ],
)
def test_every_page_renders_the_demo_with_its_charts_tables_and_methods(
    demo_database, page, figures, chart_count
):
    at = open_page(page)
    no_exception(at)
    values = metrics(at)
    for label in figures:
        assert values[label] not in ("", "non disponible"), (label, values[label])
    assert any("démonstration" in i.value for i in at.info)
    # Every chart has its data table beside it and a one-sentence description under it.
    assert len(charts(at)) == chart_count
    assert len(expanders(at, "Données du graphique")) == chart_count
    captions = [c.value for c in at.caption]
    assert sum(c.startswith(("Courbe", "Barres", "Carte", "Deux courbes")) for c in captions) == (
        chart_count
    )
    assert len(expanders(at, "Méthode de calcul")) >= 5
    assert at.dataframe  # the data tables


def test_publications_rank_posts_with_links_and_name_the_base_everywhere(demo_database):
    at = open_page("pages/publications.py")
    no_exception(at)
    captions = " ".join(c.value for c in at.caption)
    assert "au moins 100 personnes touchées" in captions
    assert "Pas de taux pour X" in captions  # the demo's X export has no reach
    assert "Grille affichée" in captions
    top = table(at, "Lien")
    assert len(top) == 5 and top["Lien"].str.startswith("https://").all()
    assert top["Taux d'engagement (portée)"].str.endswith("%").all()
    # No follower count in the demo: said, not drawn.
    assert any("Aucun relevé d'abonnés" in i.value for i in at.info)

    at.segmented_control(key="publications_base").set_value("impressions").run()
    no_exception(at)
    assert "Taux d'engagement (impressions ou vues)" in metrics(at)
    assert "Pas de taux pour X" not in " ".join(c.value for c in at.caption)

    at.segmented_control(key="publications_base").set_value("followers").run()
    no_exception(at)
    assert metrics(at)["Taux d'engagement (abonnés)"] == "non disponible"
    assert any("le taux d'engagement (abonnés) n'est pas disponible" in i.value for i in at.info)


def test_responses_switch_clock_and_list_the_waiting_conversations(demo_database):
    at = open_page("pages/reponses.py")
    no_exception(at)
    values = metrics(at)
    assert values["Médiane (heures ouvrées)"].endswith(" h")
    assert not values["90e centile (heures ouvrées)"].endswith("jours")
    assert any("équipe ou par service non disponible" in i.value for i in at.info)
    waiting = table(at, "Attente")
    assert len(waiting) > 0
    sent = pd.to_datetime(waiting["Reçu le"], format="%d/%m/%Y %H:%M")
    assert sent.is_monotonic_increasing  # oldest first
    assert not waiting["Message"].str.contains("@").any()  # e-mail addresses masked at import
    calendar = table(at, "Délai de première réponse")
    at.segmented_control(key="reponses_clock").set_value("working").run()
    no_exception(at)
    working = table(at, "Délai de première réponse")
    assert list(working["Délai de première réponse"]) == list(calendar["Délai de première réponse"])
    assert list(working["Conversations"]) != list(calendar["Conversations"])


def test_requests_show_both_medians_their_explanation_and_hidden_groups(demo_database):
    at = open_page("pages/demandes.py")
    no_exception(at)
    labels = [m.label for m in at.metric]
    assert labels.count("Médiane ordinaire") == 2 and labels.count("Médiane de Kaplan–Meier") == 2
    assert any(
        "Kaplan–Meier compte aussi les demandes encore ouvertes" in m.value for m in at.markdown
    )
    assert any("n'ont pas à « tomber juste »" in c.value for c in at.caption)
    assert any("populations des quartiers ne sont pas renseignées" in c.value for c in at.caption)
    aging = table(at, "Ancienneté à la fin de la période")
    assert list(aging.iloc[:, 0]) == [
        "0 à 7 jours",
        "8 à 30 jours",
        "31 à 90 jours",
        "plus de 90 jours",
    ]
    flows = table(at, "Reçues")
    assert flows.iloc[0, 0].startswith("semaine du ")


def test_a_long_period_is_shown_month_by_month(demo_database):
    at = open_page("pages/demandes.py", periode="last_12_months")
    no_exception(at)
    flows = table(at, "Reçues")
    assert len(flows) == 12 and not flows.iloc[0, 0].startswith("semaine")
    at = open_page("pages/publications.py", periode="last_12_months")
    no_exception(at)
    assert at.segmented_control(key="publications_freq").value == "month"


# ----------------------------------------------------------------------------------------------
# Filters in the link, and English


def test_a_platform_in_the_link_filters_the_publications(demo_database):
    every = metrics(open_page("pages/publications.py"))
    at = open_page("pages/publications.py", plateformes="x")
    no_exception(at)
    only_x = metrics(at)
    assert int(only_x["Publications"]) < int(every["Publications"])
    assert only_x["Taux d'engagement (portée)"] == "non disponible"
    assert any("Choisissez une autre base" in i.value for i in at.info)


def test_a_quartier_in_the_link_filters_the_requests(demo_database):
    every = metrics(open_page("pages/demandes.py"))
    at = open_page("pages/demandes.py", quartiers="Centre-Ville")
    no_exception(at)
    assert int(metrics(at)["Demandes reçues"]) < int(every["Demandes reçues"])
    districts = table(at, "Quartier")
    assert list(districts.iloc[:, 0]) == ["Centre-Ville"]


def test_a_channel_in_the_link_filters_the_answers(demo_database):
    at = open_page("pages/reponses.py", plateformes="facebook")
    no_exception(at)
    assert metrics(at)["Messages d'habitants reçus"] != "0"


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("pages/publications.py", "Publications"),
        ("pages/reponses.py", "Answers to residents"),
        ("pages/demandes.py", "Requests and complaints"),
    ],
)
def test_every_page_in_english(demo_database, page, title):
    at = open_page(page, lang="en")
    no_exception(at)
    assert at.title[0].value.startswith(title)
    assert expanders(at, "How it is computed") and expanders(at, "Chart data")
    assert not expanders(at, "Méthode de calcul") and not expanders(at, "Données du graphique")
    assert all("." in v or "%" not in v for v in metrics(at).values())  # 73.2%, not 73,2 %


# ----------------------------------------------------------------------------------------------
# Exports, restricted accounts, sources without closing dates


@pytest.mark.parametrize(
    ("page", "what"),
    [
        ("pages/publications.py", "publications"),
        ("pages/reponses.py", "conversations"),
        ("pages/demandes.py", "requests"),
    ],
)
def test_each_export_is_recorded_in_the_audit_log(demo_database, page, what):
    at = open_page(page)
    button = at.download_button[0]
    assert button.label.startswith("Télécharger") and not button.proto.disabled
    button.click().run()
    no_exception(at)
    log = accounts.audit_frame(ready_engine(demo_database))
    exports = log.loc[log["action"] == "export"]
    assert exports["detail"].astype(str).str.contains(f'"what": "{what}"').any(), exports


def import_requests(db, rows: list[dict], sha: str) -> None:
    repository.apply_import(
        db,
        kind="request",
        format_id="test",
        frame=conform(pd.DataFrame(rows), "request"),
        rows_read=len(rows),
        rejections=[],
        file_name="demandes.csv",
        sha256=sha * 64,
        user="test",
        timezone="UTC",
    )


def recent(days_ago: int) -> pd.Timestamp:
    """A moment in the last complete month (the pages' default period)."""
    first = (pd.Timestamp.now(tz="UTC").normalize().replace(day=1) - pd.Timedelta(days=1)).replace(
        day=1
    )
    return first + pd.Timedelta(days=days_ago, hours=9)


def test_follower_counts_give_the_audience_chart_and_the_followers_base(empty_database):
    db = ready_engine()
    day = recent(0).normalize()
    posts = [
        {
            "platform": "facebook",
            "native_id": f"p{i}",
            "account": "Ville",
            "published_at": day + pd.Timedelta(days=i, hours=10),
            "text": "Fermeture de la piscine",
            "reach": 1000,
            "impressions": 1500,
            "reactions": 20 + i,
        }
        for i in range(6)
    ]
    audience = [
        {
            "platform": "facebook",
            "account": "Ville",
            "date": (day + pd.Timedelta(days=i)).date(),
            "followers": 5000 + 3 * i,
        }
        for i in range(-3, 20)
    ]
    for kind, rows, sha in (("publication", posts, "p"), ("audience", audience, "a")):
        imported_rows(db, kind, rows, sha, timezone="UTC")
    at = open_page("pages/publications.py")
    no_exception(at)
    assert "Évolution des abonnés" in [s.value for s in at.subheader]
    assert any(c.value.startswith("Courbes du nombre d'abonnés") for c in at.caption)
    growth = table(at, "Évolution nette")
    assert growth["Au départ"].tolist() == ["4 997"] and growth["Réseau"].tolist() == ["Facebook"]
    at.segmented_control(key="publications_base").set_value("followers").run()
    no_exception(at)
    assert metrics(at)["Taux d'engagement (abonnés)"].endswith("%")


def test_sources_without_closing_dates_are_said_on_screen(empty_database):
    db = ready_engine()
    rows = [
        {
            "source": "dansmarue",
            "native_id": f"D{i}",
            "created_at": recent(i),
            "category": "Propreté",
        }
        for i in range(12)
    ]
    import_requests(db, rows, "d")
    at = open_page("pages/demandes.py")
    no_exception(at)
    assert any(
        "dansmarue" in w.value and "ne peuvent pas être calculés" in w.value for w in at.warning
    )
    assert metrics(at)["Demandes clôturées"] == "0"


def test_a_restricted_elu_sees_only_their_quartiers(empty_database):
    db = ready_engine()
    rows = [
        {
            "source": "grc",
            "native_id": str(i),
            "created_at": recent(i % 20),
            "closed_at": recent(i % 20) + pd.Timedelta(days=2),
            "district": "Gare" if i < 11 else "Centre",
            "category": "Voirie",
        }
        for i in range(30)
    ]
    import_requests(db, rows, "e")
    add_user(db, "admin", "admin", PASSWORD)
    add_user(db, "elue-gare", "elu", PASSWORD, ("Gare",))
    at = open_page("pages/demandes.py", quartiers="Centre")
    at.text_input(key="sign_in_name").input("elue-gare")
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("pages/demandes.py").run()
    no_exception(at)
    assert metrics(at)["Demandes reçues"] == "11"
    assert any("limitées à vos quartiers : Gare" in c.value for c in at.caption)
    districts = table(at, "Quartier")
    assert list(districts.iloc[:, 0]) == ["Gare"]
