"""Settings: validation with French messages, storage the figures read, GeoJSON of quartiers."""

import json
from datetime import time

import pytest

from metrics.targets import Target
from services import settings
from services.sections import section_options
from services.settings import SettingsError
from tests.brief.geo import demo_features, demo_geojson


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def square(name="Centre", lon=0.69, lat=47.39, size=0.01, key="nom") -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {key: name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


# ---- GeoJSON ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"{not json", "JSON illisible"),
        (b"[1, 2]", "FeatureCollection"),
        (json.dumps({"type": "Feature", "geometry": None}).encode(), "FeatureCollection"),
        (collection(), "aucun élément"),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"nom": "Mairie"},
                    "geometry": {"type": "Point", "coordinates": [0.69, 47.39]},
                }
            ),
            "« Point » refusée",
        ),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"nom": "Ligne"},
                    "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                }
            ),
            "seuls les polygones",
        ),
        (collection(square(key="autre")), "« nom » est absente"),
        (collection(square(lon=525600, lat=6701000)), "projection"),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"nom": "Triangle"},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]},
                }
            ),
            "trois sommets",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
                    "features": [square()],
                }
            ).encode(),
            "Lambert 93",
        ),
    ],
)
def test_bad_geojson_is_refused_in_french(data, message):
    with pytest.raises(SettingsError, match=message):
        settings.parse_quartier_geojson(data, "nom")


def test_geojson_over_the_size_limit_is_refused_before_parsing():
    data = b" " * (settings.GEOJSON_MAX_BYTES + 1)
    with pytest.raises(SettingsError, match="trop volumineux.*Mo"):
        settings.geojson_name_properties(data)


def test_geojson_with_too_many_points_is_refused(monkeypatch):
    monkeypatch.setattr(settings, "GEOJSON_MAX_POSITIONS", 20)
    with pytest.raises(SettingsError, match="trop détaillés"):
        settings.parse_quartier_geojson(demo_geojson(), "nom")


def test_name_property_candidates_put_the_name_first():
    assert settings.geojson_name_properties(demo_geojson())[0] == "nom"
    with pytest.raises(SettingsError, match="propriété commune"):
        settings.geojson_name_properties(collection(square(key="a"), square(key="b")))


def test_good_geojson_keeps_only_names_and_geometry_and_merges_parts(empty_db):
    parts = [square("Centre", 0.69), square("Centre", 0.71), square("Gare", 0.73)]
    parts[0]["properties"]["secret"] = "ne pas garder"
    parsed = settings.parse_quartier_geojson(collection(*parts), "nom", "q.geojson")
    assert parsed.names == ("Centre", "Gare")
    centre = parsed.features[0]
    assert centre["properties"] == {"name": "Centre"}
    assert centre["geometry"]["type"] == "MultiPolygon"
    assert len(centre["geometry"]["coordinates"]) == 2
    settings.save_quartier_map(empty_db, parsed)
    stored = settings.quartier_map(empty_db)
    assert stored.names == ("Centre", "Gare") and stored.file_name == "q.geojson"
    settings.save_quartier_map(empty_db, None)
    assert settings.quartier_map(empty_db) is None


def test_unclosed_rings_are_closed():
    feature = square()
    feature["geometry"]["coordinates"][0].pop()
    ring = settings.parse_quartier_geojson(collection(feature), "nom").features[0]["geometry"]
    assert ring["coordinates"][0][0] == ring["coordinates"][0][-1]


def test_demo_geojson_is_accepted():
    parsed = settings.parse_quartier_geojson(demo_geojson(), "nom")
    assert len(parsed.features) == len(demo_features())


# ---- populations, groups, region, hours, targets, accounts, identity --------------------------


def test_negative_population_is_refused(empty_db):
    with pytest.raises(SettingsError, match="négative"):
        settings.save_populations(empty_db, [("Centre-Ville", -120)])
    with pytest.raises(SettingsError, match="nombre entier"):
        settings.save_populations(empty_db, [("Centre-Ville", "beaucoup")])
    assert settings.populations(empty_db) == {}


def test_populations_are_stored_blank_and_zero_left_out(empty_db):
    saved = settings.save_populations(
        empty_db,
        [("Centre-Ville", "12 500"), ("Les Tilleuls", 8000.0), ("Bel-Air", None), ("Gare", 0)],
    )
    assert saved == {"Centre-Ville": 12500, "Les Tilleuls": 8000}
    assert settings.populations(empty_db) == saved
    with pytest.raises(SettingsError, match="deux fois"):
        settings.save_populations(empty_db, [("Gare", 1), ("Gare", 2)])


def test_unknown_region_is_refused(empty_db):
    with pytest.raises(SettingsError, match="Région inconnue.*Alsace-Moselle"):
        settings.save_calendar_region(empty_db, "bretagne")
    assert settings.calendar_region(empty_db) == "metropole"
    settings.save_calendar_region(empty_db, "alsace-moselle")
    assert settings.calendar_region(empty_db) == "alsace-moselle"
    assert settings.region_timezone("guyane") == "America/Cayenne"


def test_minimum_group_size_is_a_whole_number_from_1(empty_db):
    for bad in (0, -3, 2.5, "dix", 5000):
        with pytest.raises(SettingsError, match="Taille minimale"):
            settings.save_minimum_group_size(empty_db, bad)
    assert settings.save_minimum_group_size(empty_db, "25") == 25
    assert settings.minimum_group_size(empty_db) == 25


def test_opening_hours_several_ranges_a_day(empty_db):
    week = settings.save_opening_hours(
        empty_db,
        [
            ("lundi", "13h30", "17:30"),
            ("lundi", time(8, 30), time(12, 0)),
            ("samedi", "9:00", "12h"),
            (None, None, None),  # an empty row of the table
        ],
    )
    assert week == {
        0: ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30))),
        5: ((time(9, 0), time(12, 0)),),
    }
    assert settings.opening_hours(empty_db) == week
    calendar = settings.working_calendar(empty_db, "Europe/Paris")
    assert calendar.weekly_hours == pytest.approx(3.5 + 4 + 3)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("lundi", "12:00", "08:30")], "doit suivre"),
        ([("lundi", "08:00", "12:00"), ("lundi", "11:00", "14:00")], "chevauchent"),
        ([("jour férié", "08:00", "12:00")], "Jour inconnu"),
        ([("mardi", "25:00", "26:00")], "invalide"),
        ([], "Aucune plage"),
    ],
)
def test_bad_opening_hours_are_refused(empty_db, rows, message):
    with pytest.raises(SettingsError, match=message):
        settings.save_opening_hours(empty_db, rows)


def test_targets_hours_stay_readable_by_section_options(empty_db):
    settings.save_request_targets(
        empty_db,
        [("Voirie", "48", "heures"), ("Propreté", 5, "working_days"), ("Bruit", None, "heures")],
    )
    assert settings.request_targets(empty_db) == {
        "Voirie": Target(48, "hours"),
        "Propreté": Target(5, "working_days"),
    }
    settings.save_request_targets(empty_db, [("Voirie", 48, "hours")])
    # the format services.sections.section_options already reads: category → hours
    assert section_options(empty_db, "Europe/Paris").targets == {"Voirie": Target(48, "hours")}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("Voirie", -4, "heures"), "nombre positif"),
        (("Voirie", 2.5, "jours ouvrés"), "nombre entier"),
        (("Voirie", 3, "semaines"), "unité inconnue"),
    ],
)
def test_bad_targets_are_refused(empty_db, row, message):
    with pytest.raises(SettingsError, match=message):
        settings.save_request_targets(empty_db, [row])


def test_response_targets_per_channel(empty_db):
    assert settings.response_targets(empty_db)["social"] == Target(24, "hours")  # default
    settings.save_response_targets(
        empty_db, [("Réseaux sociaux", 12, "heures"), ("Courriel", 3, "jours ouvrés")]
    )
    assert settings.response_targets(empty_db) == {
        "social": Target(12, "hours"),
        "email": Target(3, "working_days"),
    }
    with pytest.raises(SettingsError, match="Canal inconnu"):
        settings.save_response_targets(empty_db, [("Pigeon voyageur", 3, "heures")])


def test_our_accounts_are_cleaned(empty_db):
    saved = settings.save_our_accounts(
        empty_db, [" Ville de Parvis ", "", "ville de parvis", "@vdp"]
    )
    assert saved == ("Ville de Parvis", "@vdp")
    assert settings.current_settings(empty_db).our_accounts == saved


def test_identity_is_validated(empty_db):
    with pytest.raises(SettingsError, match="Fuseau horaire inconnu"):
        settings.save_identity(empty_db, "Ville", "Europe/Tours")
    with pytest.raises(SettingsError, match="vide"):
        settings.save_identity(empty_db, "  ", "Europe/Paris")
    saved = settings.save_identity(empty_db, "Ville de Cayenne", "America/Cayenne")
    assert (saved.name, saved.timezone) == ("Ville de Cayenne", "America/Cayenne")


def test_options_from_settings_gather_everything(empty_db):
    settings.save_calendar_region(empty_db, "alsace-moselle")
    settings.save_opening_hours(empty_db, [("lundi", "9:00", "12:00")])
    settings.save_populations(empty_db, [("Centre-Ville", 12000)])
    settings.save_minimum_group_size(empty_db, 20)
    settings.save_request_targets(empty_db, [("Voirie", 2, "jours ouvrés")])
    options = settings.section_options_from_settings(empty_db, "Europe/Paris")
    assert options.calendar.holidays_region == "alsace-moselle"
    assert options.calendar.weekly_hours == 3
    assert options.populations == {"Centre-Ville": 12000.0}
    assert options.minimum_group_size == 20
    assert options.targets == {"Voirie": Target(2, "working_days")}
