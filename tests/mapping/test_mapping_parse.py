"""ingest.mapping: a column mapping read with the house rules, validated in French."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.base import ImportContext, ImportRefused
from ingest.canonical import SCHEMAS
from ingest.mapping import (
    DATE_FORMATS,
    ColumnMapping,
    MappedImporter,
    header_key_set,
    is_mappable,
    mapping_header_signature,
    parse_with_mapping,
    source_preview,
    suggested_date_format,
    suggested_mapping,
)
from ingest.sniff import sniff
from tests.mapping.conftest import GRC_HEADER, grc_csv, xlsx_bytes

UTC = "UTC"


def grc_mapping(**changes) -> ColumnMapping:
    fields = {
        "name": "GRC mairie",
        "kind": "request",
        "columns": suggested_mapping(GRC_HEADER, "request"),
        "date_format": "%d/%m/%Y %H:%M",
        "timezone": "Europe/Paris",
        "source": "grc",
        "header_signature": tuple(GRC_HEADER),
        **changes,
    }
    return ColumnMapping(**fields)


# --------------------------------------------------------------------------- suggestions


def test_suggestions_read_french_headers_whatever_accents_and_case():
    assert suggested_mapping(GRC_HEADER, "request") == {
        "native_id": "Identifiant",
        "created_at": "Date de création",
        "closed_at": "Date de clôture",
        "status": "Statut",
        "category": "Catégorie",
        "subcategory": "Sous-catégorie",
        "district": "Quartier",
        "channel": "Canal",
        "description": "Objet",
        "latitude": "Latitude",
        "longitude": "Longitude",
    }
    shouting = [h.upper().replace("É", "E") for h in GRC_HEADER]
    assert suggested_mapping(shouting, "request")["created_at"] == "DATE DE CREATION"


def test_suggestions_read_english_and_snake_or_camel_headers():
    header = ["request_id", "createdAt", "Closed", "Type", "Ward", "Source", "lat", "lng"]
    assert suggested_mapping(header, "request") == {
        "native_id": "request_id",
        "created_at": "createdAt",
        "closed_at": "Closed",
        "category": "Type",
        "district": "Ward",
        "channel": "Source",
        "latitude": "lat",
        "longitude": "lng",
    }


def test_suggestions_use_each_header_once_and_leave_unknown_columns_out():
    suggestion = suggested_mapping(["Numéro", "Date", "Budget", "Secteur"], "request")
    assert suggestion == {"native_id": "Numéro", "created_at": "Date", "district": "Secteur"}
    assert suggested_mapping(["Reçu le", "Texte", "Canal"], "message") == {
        "sent_at": "Reçu le",
        "text": "Texte",
        "channel": "Canal",
    }


def test_suggested_date_format_prefers_day_first_and_reads_every_sample():
    assert suggested_date_format(["04/03/2026 09:15", "30/03/2026 10:00"]) == "%d/%m/%Y %H:%M"
    assert suggested_date_format(["2026-03-04 09:15:00"]) == "%Y-%m-%d %H:%M:%S"
    assert suggested_date_format(["03/30/2026 10:00 PM"]) == "%m/%d/%Y %I:%M %p"
    assert suggested_date_format(["2026-03-04T09:15:00+01:00"]) == "%Y-%m-%dT%H:%M:%S%z"


# --------------------------------------------------------------------------- validation


def test_round_trip_through_a_dict():
    mapping = grc_mapping()
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping
    assert mapping.format_id == "mapping:GRC mairie"
    assert mapping.label == "Correspondance « GRC mairie »"
    assert mapping.header_signature[1] == "date de creation"  # header keys, not cells


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "audience"}, "Type de données inconnu : « audience »"),
        ({"columns": {"native_id": "Identifiant"}}, "Colonnes obligatoires non associées"),
        (
            {"columns": {"native_id": "Identifiant", "created_at": "Objet", "humeur": "Objet"}},
            "Colonne inconnue pour des demandes : « humeur »",
        ),
        (
            {"columns": {"native_id": "Identifiant", "created_at": "Objet", "source": "Objet"}},
            "Colonne inconnue pour des demandes : « source »",
        ),
        ({"date_format": "%d/%m/%y"}, "Format de date non pris en charge"),
        ({"timezone": "Europe/Lutece"}, "Fuseau horaire inconnu : « Europe/Lutece »"),
        ({"source": "  "}, "Nom du système source obligatoire"),
        ({"name": ""}, "Nom de correspondance refusé"),
        ({"name": "x" * 61}, "Nom de correspondance refusé"),
        (
            {"columns": {"native_id": "Identifiant", "created_at": "Créée le"}},
            "Colonnes associées absentes de l'en-tête du fichier : « Créée le »",
        ),
    ],
)
def test_invalid_mappings_are_refused_in_french(change, message):
    data = {**grc_mapping().to_dict(), **change}
    with pytest.raises(ValueError, match=message):
        ColumnMapping.from_dict(data)


@pytest.mark.parametrize("name", ["../../etc", "'; DROP TABLE mappings; --", "a/b", "<script>"])
def test_hostile_names_are_refused(name):
    with pytest.raises(ValueError, match="lettres, chiffres, espaces, tirets"):
        grc_mapping(name=name)


def test_names_with_accents_digits_dashes_and_underscores_are_fine():
    assert grc_mapping(name="  GRC  Évry-Courcouronnes_2026 ").name == "GRC Évry-Courcouronnes_2026"


def test_from_dict_refuses_what_is_not_a_mapping():
    with pytest.raises(ValueError, match="un objet était attendu"):
        ColumnMapping.from_dict(["GRC"])
    with pytest.raises(ValueError, match="champ\\(s\\) kind et columns manquant"):
        ColumnMapping.from_dict({"name": "GRC"})


def test_every_required_column_is_named_per_kind():
    for kind, required in (
        ("message", "date de réception \\(sent_at\\)"),
        ("publication", "date de publication \\(published_at\\)"),
    ):
        with pytest.raises(ValueError, match=required):
            ColumnMapping("x", kind, {"native_id": "id"}, source="facebook")


# --------------------------------------------------------------------------- parsing a CSV


def test_french_grc_csv_is_read_with_its_mapping(grc_bytes):
    result = parse_with_mapping(grc_bytes, grc_mapping())
    assert result.format_id == "mapping:GRC mairie" and result.kind == "request"
    assert result.rows_read == 7
    frame = result.frame
    assert list(frame.columns) == list(SCHEMAS["request"])
    assert frame["native_id"].tolist() == ["GRC-0001", "GRC-0002", "GRC-0005"]
    assert frame["source"].tolist() == ["grc"] * 3
    # Europe/Paris → UTC: +1 h in winter, +2 h after the change of 29 March 2026.
    assert frame.loc[0, "created_at"] == pd.Timestamp("2026-03-04 08:15", tz=UTC)
    assert frame.loc[0, "closed_at"] == pd.Timestamp("2026-03-05 09:00", tz=UTC)
    assert frame.loc[1, "created_at"] == pd.Timestamp("2026-03-30 08:00", tz=UTC)
    assert pd.isna(frame.loc[1, "closed_at"])  # still open: empty closing date
    assert frame.loc[0, "district"] == "Centre-ville" and frame.loc[2, "category"] == "Éclairage"
    assert frame.loc[0, "channel"] == "Téléphone"
    assert frame.loc[0, "latitude"] == pytest.approx(48.8566)  # French decimal comma
    assert frame.loc[0, "longitude"] == pytest.approx(2.3522)
    assert pd.isna(frame.loc[1, "latitude"])


def test_every_bad_row_is_rejected_with_its_line_and_a_french_reason(grc_bytes):
    result = parse_with_mapping(grc_bytes, grc_mapping())
    reasons = {r.line: r.reason for r in result.rejections}
    assert sorted(reasons) == [4, 5, 6, 7]
    assert "« 31/02/2026 10:00 » illisible" in reasons[4]
    assert "JJ/MM/AAAA HH:MM" in reasons[4]
    assert reasons[5] == "colonne « Identifiant » vide : un identifiant était attendu"
    assert reasons[6] == "identifiant en double dans le fichier, déjà vu ligne 2"
    assert "« 2026-03-06 11:00 » illisible" in reasons[7]  # never guessed
    assert result.rejections[0].raw.startswith("GRC-0003;31/02/2026")
    assert result.rows_read == len(result.frame) + len(result.rejections)


def test_senseless_timestamps_are_kept_and_flagged(grc_bytes):
    warnings = parse_with_mapping(grc_bytes, grc_mapping()).warnings
    assert len(warnings) == 1
    assert (
        "« Date de clôture » (date de clôture) est antérieure à « Date de création »"
        in (warnings[0])
    )
    assert "ligne 8" in warnings[0]
    future = grc_csv(
        [["F-1", "04/03/2099 09:00"] + [""] * 9, ["F-2", "04/03/1999 09:00"] + [""] * 9]
    )
    warnings = parse_with_mapping(future, grc_mapping()).warnings
    assert any("date dans le futur (ligne 2)" in w for w in warnings)
    assert any("date antérieure à 2000 (ligne 3)" in w for w in warnings)


def test_ids_stay_text_and_the_mapping_zone_wins_over_the_context():
    data = grc_csv([["00042", "04/03/2026 09:15"] + [""] * 9])
    mapping = grc_mapping(timezone="America/New_York")
    result = parse_with_mapping(data, mapping, ImportContext(timezone="Europe/Paris"))
    assert result.frame.loc[0, "native_id"] == "00042"
    assert result.frame.loc[0, "created_at"] == pd.Timestamp("2026-03-04 14:15", tz=UTC)


def test_a_date_only_format_places_days_at_local_midnight_with_a_warning():
    data = grc_csv([["A-1", "04/03/2026"] + [""] * 9])
    result = parse_with_mapping(data, grc_mapping(date_format="%d/%m/%Y"))
    assert result.frame.loc[0, "created_at"] == pd.Timestamp("2026-03-03 23:00", tz=UTC)
    assert any("ne donne que le jour" in w for w in result.warnings)


def test_coordinates_out_of_range_or_unreadable_reject_the_row():
    rows = [
        ["A-1", "04/03/2026 09:15"] + [""] * 7 + ["148,5", "2,3"],
        ["A-2", "04/03/2026 09:15"] + [""] * 7 + ["nord", "2,3"],
    ]
    result = parse_with_mapping(grc_csv(rows), grc_mapping())
    reasons = {r.line: r.reason for r in result.rejections}
    assert "hors de [-90, 90]" in reasons[2]
    assert "« nord » n'est pas un nombre" in reasons[3]


def test_a_mapped_column_missing_from_the_file_refuses_it_with_the_columns_found(grc_bytes):
    other = grc_csv(header=["Ref", *GRC_HEADER[1:]])
    with pytest.raises(ImportRefused, match="colonne\\(s\\) « Identifiant » absente"):
        parse_with_mapping(other, grc_mapping())


def test_a_file_with_extra_columns_is_read_and_the_difference_said():
    header = [*GRC_HEADER, "Agent"]
    data = grc_csv([["A-1", "04/03/2026 09:15"] + [""] * 10], header=header)
    result = parse_with_mapping(data, grc_mapping())
    assert len(result.frame) == 1
    assert any("colonnes en plus : agent" in w for w in result.warnings)


def test_duplicated_mapped_columns_are_refused():
    header = ["Identifiant", "Date de création", "Identifiant"]
    data = ";".join(header).encode() + b"\r\nA;04/03/2026 09:15;B\r\n"
    mapping = ColumnMapping(
        "x", "request", {"native_id": "Identifiant", "created_at": "Date de création"}, source="s"
    )
    with pytest.raises(ImportRefused, match="Colonnes en double"):
        parse_with_mapping(data, mapping)


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4 hello", b"", b'{"a": 1}', b"\x00\x01\x02" * 100], ids=str
)
def test_files_that_are_not_tables_are_refused_in_french(data):
    with pytest.raises(ImportRefused, match="CSV ou à un classeur Excel"):
        parse_with_mapping(data, grc_mapping())
    assert not is_mappable(data)


def test_messages_take_their_channel_from_the_source_and_flag_early_replies():
    data = (
        "Réf;Reçu le;Répondu le;Texte\n"
        "M1;04/03/2026 09:00;04/03/2026 10:00;Bonjour\n"
        "M2;04/03/2026 09:00;03/03/2026 10:00;Merci\n"
    ).encode()
    mapping = ColumnMapping(
        "Boite mairie",
        "message",
        {"native_id": "Réf", "sent_at": "Reçu le", "replied_at": "Répondu le", "text": "Texte"},
        source="E-mail",
    )
    result = parse_with_mapping(data, mapping)
    assert result.frame["channel"].tolist() == ["courriel", "courriel"]
    assert result.frame["is_staff"].tolist() == [False, False]
    assert any("message(s) dont la colonne « Répondu le »" in w for w in result.warnings)


def test_publications_read_counts_and_platform():
    data = (
        "Id,Publié le,Vues,J'aime\n"
        'P1,2026-03-04T10:00:00+01:00,"1 234",5\n'
        "P2,2026-03-04T10:00:00Z,12.5,5\n"
    ).encode()
    mapping = ColumnMapping(
        "Reseau",
        "publication",
        {
            "native_id": "Id",
            "published_at": "Publié le",
            "impressions": "Vues",
            "reactions": "J'aime",
        },
        date_format="%Y-%m-%dT%H:%M:%S%z",
        source="Facebook",
    )
    result = parse_with_mapping(data, mapping)
    assert result.frame["platform"].tolist() == ["facebook"]
    assert result.frame.loc[0, "impressions"] == 1234
    assert result.frame.loc[0, "published_at"] == pd.Timestamp("2026-03-04 09:00", tz=UTC)
    assert "nombre entier" in result.rejections[0].reason and result.rejections[0].line == 3


def test_every_supported_format_reads_its_own_example():
    for spec in DATE_FORMATS.values():
        data = grc_csv([["A", spec.example] + [""] * 9])
        result = parse_with_mapping(data, grc_mapping(date_format=spec.code))
        assert not result.rejections, (spec.label, result.rejections)


# --------------------------------------------------------------------------- headers and XLSX


def test_header_key_sets_ignore_case_accents_and_order(grc_bytes):
    same = grc_csv(header=[h.upper() for h in reversed(GRC_HEADER)], rows=[])
    assert header_key_set(sniff(grc_bytes)) == header_key_set(sniff(same))
    assert header_key_set(sniff(b"%PDF-1.4")) == frozenset()
    importer = MappedImporter(grc_mapping())
    assert importer.identify(sniff(same))
    assert not importer.identify(sniff(grc_csv(header=[*GRC_HEADER, "Agent"], rows=[])))


def test_xlsx_through_a_mapping_reads_real_dates_and_text_dates(grc_xlsx):
    sniffed = sniff(grc_xlsx)
    preview = source_preview(sniffed)
    assert preview.header == ("N° dossier", "Créée le", "Thème", "Secteur", "Clôturée le")
    assert preview.sheets == ["Demandes", "Notes"] and preview.sheet == "Demandes"
    header = list(preview.header)
    mapping = ColumnMapping(
        "GRC classeur",
        "request",
        suggested_mapping(header, "request"),
        source="grc",
        header_signature=mapping_header_signature(sniffed),
    )
    assert mapping.columns == {
        "native_id": "N° dossier",
        "created_at": "Créée le",
        "closed_at": "Clôturée le",
        "category": "Thème",
        "district": "Secteur",
    }
    result = parse_with_mapping(grc_xlsx, mapping)
    assert result.rows_read == 3
    frame = result.frame
    assert frame["native_id"].tolist() == ["1001", "1002"]  # ids as text, not 1001.0
    assert frame.loc[0, "created_at"] == pd.Timestamp("2026-03-04 08:15", tz=UTC)  # Excel date
    assert frame.loc[1, "created_at"] == pd.Timestamp("2026-03-05 13:00", tz=UTC)  # text date
    assert frame.loc[1, "closed_at"] == pd.Timestamp("2026-03-06 07:00", tz=UTC)
    [rejected] = result.rejections
    assert rejected.line == 5 and "« mardi » illisible" in rejected.reason
    assert MappedImporter(mapping).identify(sniffed)


def test_xlsx_chosen_sheet():
    data = xlsx_bytes(
        {
            "Lisez-moi": [["Export du 10/03/2026"], ["Colonnes", "Sens"], ["a", "b"]],
            "Données": [["Ref", "Date"], ["R1", "04/03/2026 09:15"]],
        }
    )
    mapping = ColumnMapping(
        "Feuille",
        "request",
        {"native_id": "Ref", "created_at": "Date"},
        source="s",
        sheet="Données",
    )
    assert parse_with_mapping(data, mapping).frame["native_id"].tolist() == ["R1"]
    with pytest.raises(ImportRefused, match="Feuille « Absente » introuvable"):
        parse_with_mapping(data, ColumnMapping.from_dict({**mapping.to_dict(), "sheet": "Absente"}))
