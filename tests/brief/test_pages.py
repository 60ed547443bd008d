"""AppTest of the Quartiers, Services Publics+ and Paramètres pages over the demo commune."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services import settings
from store import accounts
from tests.brief.geo import demo_geojson

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
PAGES = ["pages/quartiers.py", "pages/services_publics.py", "pages/parametres.py"]


def open_page(page: str, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def settings_changes(engine) -> list[dict]:
    log = accounts.audit_frame(engine)
    return log.loc[log["action"] == "settings_changed", "detail"].tolist()


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_an_empty_database(empty_db, page):
    at = open_page(page)
    if page != "pages/parametres.py":
        assert "Aucune demande sur cette période" in texts(at.info)


def test_quartiers_shows_a_map_its_data_a_description_and_the_table(demo_db):
    at = open_page("pages/quartiers.py")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    captions = texts(at.caption)
    assert "Chaque cercle regroupe les demandes reçues" in captions
    assert "demandes localisées" in captions
    tables = at.dataframe
    assert len(tables) == 2  # the map's data and the figures per quartier
    figures = tables[1].value
    assert "Quartier" in figures.columns and "Centre-Ville" in figures["Quartier"].tolist()
    assert "populations des quartiers" in texts(at.info)
    assert at.expander and all(
        e.label in ("Méthode de calcul", "Données de la carte") for e in at.expander
    )
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Tableau (CSV)", "Tableau (Excel)", "Télécharger le dossier PDF"} <= labels


def test_quartiers_hides_small_groups_and_says_so(demo_db):
    settings.save_minimum_group_size(demo_db, 60)
    at = open_page("pages/quartiers.py")
    assert "quartiers de moins de 60 demandes ne sont pas affichés" in texts(at.caption)


def test_quartiers_with_polygons_and_populations(demo_db):
    settings.save_quartier_map(demo_db, settings.parse_quartier_geojson(demo_geojson(), "nom"))
    settings.save_populations(demo_db, [("Centre-Ville", 4750), ("Les Tilleuls", 4000)])
    at = open_page("pages/quartiers.py")
    assert at.selectbox(key="quartiers_figure").value == "received_per_1000"
    assert "Chaque quartier est teinté" in texts(at.caption)
    figures = at.dataframe[1].value
    assert "Reçues pour 1 000 hab." in figures.columns
    at.selectbox(key="quartiers_figure").select("share_closed_within_target").run()
    assert not at.exception
    assert "Part clôturée dans le délai cible" in at.dataframe[0].value.columns


def test_services_publics_figures_with_methods_and_documents(demo_db):
    at = open_page("pages/services_publics.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Demandes écrites accusées dans les délais"].endswith("%")
    assert metrics["Délai de traitement annoncé respecté"].endswith("%")
    assert metrics["Réponse ou accusé en 10 jours ouvrés"].endswith("%")
    assert metrics["Satisfaction des usagers"] == "pas de données d'enquête"
    methods = [e for e in at.expander if e.label == "Méthode de calcul"]
    assert len(methods) == len(metrics) + 1  # each figure, and the channel families
    labels = {b.proto.label for b in at.get("download_button")}
    assert {
        "Affiche A4 pour l'accueil (PDF)",
        "Données ouvertes (CSV)",
        "Télécharger le dossier PDF",
    } <= labels


def test_services_publics_in_english(demo_db):
    at = open_page("pages/services_publics.py", lang="en")
    assert any("Services Publics+ indicators" in t.value for t in at.title)
    assert {m.label: m.value for m in at.metric}["Users' satisfaction"] == "no survey data"


def test_parametres_saves_valid_settings_and_audits_them(demo_db):
    at = open_page("pages/parametres.py")
    at.number_input[0].set_value(25)
    at.button(key="parametres_save_groups").click().run()
    assert not at.exception
    assert settings.minimum_group_size(demo_db) == 25
    assert "Enregistré : taille minimale des groupes." in texts(at.success)
    assert any('"minimum_group_size": 25' in d for d in settings_changes(demo_db))


def test_parametres_refuses_a_bad_name_in_french(demo_db):
    at = open_page("pages/parametres.py")
    at.text_input[0].set_value("Ville\tde test")
    at.button(key="parametres_save_identity").click().run()
    assert "une seule ligne" in texts(at.error)
    assert not settings_changes(demo_db)


def test_parametres_geojson_upload_refused_then_saved(demo_db):
    at = open_page("pages/parametres.py")
    uploader = at.get("file_uploader")[0]
    assert uploader.proto.label == "Fichier GeoJSON"
    at.file_uploader(key="parametres_geojson").set_value(
        ("points.geojson", b'{"type": "FeatureCollection", "features": []}', "application/json")
    ).run()
    assert "aucun élément" in texts(at.error)
    at.file_uploader(key="parametres_geojson").set_value(
        ("quartiers.geojson", demo_geojson(), "application/geo+json")
    ).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="parametres_geojson_property").value == "nom"
    at.button(key="parametres_map_save").click().run()
    assert not at.exception
    stored = settings.quartier_map(demo_db)
    assert stored is not None and "Centre-Ville" in stored.names
    assert "Contours enregistrés : 8 quartiers (quartiers.geojson)." in texts(at.markdown)
    assert any("quartier_map" in d and "quartiers.geojson" in d for d in settings_changes(demo_db))
