"""services.mappings: saved mappings, automatic reuse, and imports through the pipeline."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ingest.mapping import ColumnMapping, mapping_header_signature, suggested_mapping
from ingest.sniff import sniff
from services.imports import import_file
from services.mappings import (
    SETTING_KEY,
    delete_mapping,
    import_with_mapping,
    mapping_for,
    save_mapping,
    saved_mappings,
)
from store import repository
from store.accounts import audit_frame
from store.repository import imports_frame, load_requests, rejections_frame
from tests.mapping.conftest import GRC_HEADER, grc_csv, xlsx_bytes

ALL_TIME = (pd.Timestamp("2000-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC"))


def grc_mapping(data: bytes, name: str = "GRC mairie") -> ColumnMapping:
    return ColumnMapping(
        name=name,
        kind="request",
        columns=suggested_mapping(GRC_HEADER, "request"),
        date_format="%d/%m/%Y %H:%M",
        timezone="Europe/Paris",
        source="grc",
        header_signature=mapping_header_signature(sniff(data)),
    )


def test_an_unknown_csv_is_refused_then_imported_through_its_mapping(engine, grc_bytes):
    assert import_file(engine, grc_bytes, "grc.csv", user="agent", dry_run=True).refused
    mapping = save_mapping(engine, grc_mapping(grc_bytes), "agent")

    preview = import_with_mapping(
        engine, grc_bytes, "grc.csv", "GRC mairie", user="agent", dry_run=True
    )
    assert preview.accepted and preview.dry_run
    assert (preview.rows_read, preview.inserted, len(preview.rejections)) == (7, 3, 4)
    assert imports_frame(engine).empty  # a preview writes nothing

    report = import_with_mapping(engine, grc_bytes, "grc.csv", mapping, user="agent")
    assert report.accepted and report.import_id
    assert report.format_id == "mapping:GRC mairie"
    assert report.format_label == "Correspondance « GRC mairie »"
    assert (report.inserted, report.updated, report.unchanged) == (3, 0, 0)
    assert [r.line for r in report.rejections] == [4, 5, 6, 7]

    ledger = imports_frame(engine)
    assert ledger["format_id"].tolist() == ["mapping:GRC mairie"]
    assert ledger["rejected"].tolist() == [4]
    assert rejections_frame(engine, report.import_id)["line"].tolist() == [4, 5, 6, 7]

    stored = load_requests(engine, *ALL_TIME).sort_values("native_id").reset_index(drop=True)
    assert stored["native_id"].tolist() == ["GRC-0001", "GRC-0002", "GRC-0005"]
    assert stored["source"].tolist() == ["grc"] * 3
    assert stored.loc[0, "created_at"] == pd.Timestamp("2026-03-04 08:15", tz="UTC")
    assert stored.loc[1, "created_at"] == pd.Timestamp("2026-03-30 08:00", tz="UTC")
    assert pd.isna(stored.loc[1, "closed_at"])
    # The pipeline's privacy rules apply: phone masked, coordinates rounded.
    assert "06 12" not in stored.loc[0, "description"] and "masqué" in stored.loc[0, "description"]
    assert stored.loc[0, "latitude"] == pytest.approx(48.857)

    again = import_with_mapping(engine, grc_bytes, "grc.csv", "GRC mairie", user="agent")
    assert (again.inserted, again.unchanged, again.import_id) == (0, 3, None)

    actions = audit_frame(engine)["action"].tolist()
    assert actions.count("import") == 2 and "settings_changed" in actions


def test_the_same_header_finds_the_saved_mapping_and_another_header_does_not(engine, grc_bytes):
    assert mapping_for(engine, grc_bytes) is None
    save_mapping(engine, grc_mapping(grc_bytes), "agent")
    next_month = grc_csv([["GRC-0100", "02/04/2026 08:00"] + [""] * 9])
    found = mapping_for(engine, next_month)
    assert found is not None and found.name == "GRC mairie"
    # Same columns in another order, other case: still the same header.
    shuffled = grc_csv(header=[h.upper() for h in reversed(GRC_HEADER)], rows=[])
    assert mapping_for(engine, shuffled) is not None
    # One column more, or one less: another file.
    assert mapping_for(engine, grc_csv(header=[*GRC_HEADER, "Agent"], rows=[])) is None
    assert mapping_for(engine, grc_csv(header=GRC_HEADER[:-1], rows=[])) is None
    assert mapping_for(engine, b"%PDF-1.4") is None
    assert mapping_for(engine, b"") is None


def test_the_newest_mapping_for_a_header_wins(engine, grc_bytes):
    save_mapping(engine, grc_mapping(grc_bytes, "Ancienne"), "agent")
    save_mapping(engine, grc_mapping(grc_bytes, "Nouvelle"), "agent")
    assert mapping_for(engine, grc_bytes).name == "Nouvelle"


def test_mappings_are_stored_as_one_setting_and_survive_a_round_trip(engine, grc_bytes):
    mapping = save_mapping(engine, grc_mapping(grc_bytes), "agent")
    assert saved_mappings(engine) == {"GRC mairie": mapping}
    stored = repository.setting(engine, SETTING_KEY)
    assert stored == {"GRC mairie": mapping.to_dict()}
    assert json.loads(json.dumps(stored)) == stored


def test_saving_under_the_same_name_replaces_whatever_the_case(engine, grc_bytes):
    save_mapping(engine, grc_mapping(grc_bytes, "GRC mairie"), "agent")
    save_mapping(engine, grc_mapping(grc_bytes, "grc MAIRIE"), "agent")
    assert list(saved_mappings(engine)) == ["grc MAIRIE"]


@pytest.mark.parametrize(
    "name", ["../../etc", "'; DROP TABLE settings; --", "", " ", "x" * 61, "a\nb", "é/è"]
)
def test_hostile_names_are_refused_and_nothing_is_stored(engine, grc_bytes, name):
    mapping = grc_mapping(grc_bytes)
    object.__setattr__(mapping, "name", name)  # as if built around the constructor's checks
    with pytest.raises(ValueError, match="Nom de correspondance refusé"):
        save_mapping(engine, mapping, "agent")
    assert saved_mappings(engine) == {}
    assert repository.setting(engine, SETTING_KEY) is None


def test_a_broken_stored_entry_is_skipped_not_fatal(engine, grc_bytes):
    good = grc_mapping(grc_bytes)
    repository.save_setting(
        engine,
        SETTING_KEY,
        {"cassée": {"name": "cassée", "kind": "request", "columns": {}}, good.name: good.to_dict()},
    )
    assert list(saved_mappings(engine)) == ["GRC mairie"]


def test_delete_is_audited(engine, grc_bytes):
    save_mapping(engine, grc_mapping(grc_bytes), "agent")
    assert delete_mapping(engine, "grc mairie", "admin")
    assert saved_mappings(engine) == {} and not delete_mapping(engine, "GRC mairie", "admin")
    audit = audit_frame(engine)
    assert audit.loc[0, "action"] == "settings_changed" and audit.loc[0, "actor"] == "admin"


def test_an_unknown_mapping_name_or_a_refused_file_gives_a_refused_report(engine, grc_bytes):
    report = import_with_mapping(engine, grc_bytes, "grc.csv", "Inconnue", user="cli")
    assert not report.accepted
    assert report.refused.startswith("Correspondance « Inconnue » inconnue")
    save_mapping(engine, grc_mapping(grc_bytes), "agent")
    other = grc_csv(header=["Ref", *GRC_HEADER[1:]])
    report = import_with_mapping(engine, other, "autre.csv", "GRC mairie", user="cli")
    assert "« Identifiant » absente" in report.refused
    assert audit_frame(engine)["action"].tolist().count("import_refused") == 2


def test_xlsx_import_through_a_saved_mapping(engine, grc_xlsx):
    sniffed = sniff(grc_xlsx)
    mapping = ColumnMapping(
        "Classeur GRC",
        "request",
        {"native_id": "N° dossier", "created_at": "Créée le", "district": "Secteur"},
        source="grc-xlsx",
        header_signature=mapping_header_signature(sniffed),
    )
    save_mapping(engine, mapping, "agent")
    assert mapping_for(engine, grc_xlsx).name == "Classeur GRC"
    other = xlsx_bytes({"Feuille": [["N° dossier", "Créée le"], [1, "04/03/2026 09:00"]]})
    assert mapping_for(engine, other) is None
    report = import_with_mapping(engine, grc_xlsx, "grc.xlsx", "Classeur GRC", user="agent")
    assert (report.rows_read, report.inserted, len(report.rejections)) == (3, 2, 1)
    stored = load_requests(engine, *ALL_TIME)
    assert sorted(stored["native_id"]) == ["1001", "1002"]
    assert set(stored["source"]) == {"grc-xlsx"}


def test_import_any_prefers_the_importer_then_the_saved_mapping(engine, grc_bytes):
    from services.mappings import import_any, recognised

    assert import_any(engine, grc_bytes, "grc.csv", user="cli", dry_run=True).refused
    save_mapping(engine, grc_mapping(grc_bytes), "agent")
    report = import_any(engine, grc_bytes, "grc.csv", user="cli")
    assert report.format_id == "mapping:GRC mairie" and report.inserted == 3
    known = (
        "Reçu le;Répondu le;Canal;Texte\n04/03/2026 09:00;04/03/2026 10:00;Courriel;Bonjour\n"
    ).encode()
    assert recognised(known) and not recognised(grc_bytes)
    assert import_any(engine, known, "m.csv", user="cli", dry_run=True).format_id == (
        "resident_messages"
    )
    explicit = import_any(engine, grc_bytes, "grc.csv", user="cli", mapping="Autre")
    assert explicit.refused.startswith("Correspondance « Autre » inconnue")
    assert import_any(engine, b"poste;montant\nvoirie;12\n", "budget.csv", user="cli").refused


def test_progress_goes_through_the_pipeline_stages(engine, grc_bytes):
    save_mapping(engine, grc_mapping(grc_bytes), "agent")
    heard: list[tuple[float, str]] = []
    import_with_mapping(
        engine,
        grc_bytes,
        "grc.csv",
        "GRC mairie",
        user="agent",
        progress=lambda share, stage: heard.append((share, stage)),
    )
    shares = [share for share, _ in heard]
    assert shares == sorted(shares) and shares[0] == 0.0 and heard[-1] == (1.0, "terminé")
    assert "analyse et écriture" in {stage for _, stage in heard}
