"""Bad uploads: each one gives a clear French refusal or rejected rows, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_support import GOLDEN_DIR, golden_csv

from ingest.base import ImportContext, ImportRefused, Sniffed
from ingest.registry import detect, parse_file

CLASSIC = GOLDEN_DIR / "x_tweet_activity" / "classic_2021.csv"
FRENCH_META = GOLDEN_DIR / "meta_posts" / "fb_fr_semicolon.csv"
NYC_HEADER = "Unique Key,Created Date,Closed Date,Agency,Complaint Type,Descriptor,Status,Borough"


def _refusal(data: bytes) -> str:
    with pytest.raises(ImportRefused) as refused:
        parse_file(data, ImportContext())
    return str(refused.value)


def test_empty_file_refused() -> None:
    assert "Le fichier est vide" in _refusal(b"")


def test_blank_file_refused() -> None:
    assert "Le fichier est vide" in _refusal(b"\xef\xbb\xbf \r\n\r\n  \n")


def test_header_only_gives_zero_rows_and_a_warning() -> None:
    # Documented choice: a header alone is a valid, empty export (e.g. a quiet month).
    header = CLASSIC.read_text(encoding="utf-8").splitlines()[0] + "\n"
    result = parse_file(header.encode(), ImportContext())
    assert result.format_id == "x_tweet_activity"
    assert result.rows_read == 0 and result.frame.empty and result.rejections == []
    assert "aucune ligne de données" in result.warnings[0]
    assert list(result.frame.columns)[:2] == ["platform", "native_id"]


def test_truncated_mid_row_rejects_only_the_cut_row() -> None:
    text = CLASSIC.read_text(encoding="utf-8")
    cut = text[: text.index("Conseil municipal jeudi") + 10]  # inside the last record
    result = parse_file(cut.encode(), ImportContext())
    assert result.rows_read == 4
    assert len(result.frame) == 3
    [rejection] = result.rejections
    assert rejection.line == 8  # record 1 spans lines 2-5 (newlines inside quotes)
    assert "3 champ(s) trouvé(s), 40 attendus" in rejection.reason
    assert "tronqué" in rejection.reason


def test_truncated_json_refused_as_truncated_json() -> None:
    text = (GOLDEN_DIR / "fb_graph_comments" / "threads.json").read_text(encoding="utf-8")
    message = _refusal(text[:500].encode())
    assert "JSON" in message and "tronqué" in message


def test_truncated_xlsx_refused() -> None:
    message = _refusal(b"PK\x03\x04" + b"\x14\x00\x06\x00" + b"\x00" * 40)
    assert "tronqué ou corrompu" in message


def test_binary_garbage_refused() -> None:
    garbage = bytes(range(256)) * 8
    assert "pas un fichier texte lisible" in _refusal(garbage)


def test_png_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x01" * 100
    assert "pas un fichier texte lisible" in _refusal(png)


def test_pdf_renamed_csv_refused() -> None:
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
    assert _refusal(pdf).startswith("C'est un fichier PDF, pas un export")


def test_unknown_csv_lists_columns_and_closest_format() -> None:
    data = "Unique Key,Created Date,Quartier,Motif\n1,05/01/2022 12:00:03 AM,Centre,Bruit\n"
    message = _refusal(data.encode())
    assert message.startswith("Colonnes trouvées : Unique Key, Created Date, Quartier, Motif")
    assert "formats attendus les plus proches : NYC 311" in message
    assert "colonnes manquantes : Closed Date, Complaint Type, Status" in message


def test_csv_without_any_known_column() -> None:
    message = _refusal(b"Nom;Adresse;Commentaire\nDupont;1 rue Haute;ok\n")
    assert "Colonnes trouvées : Nom, Adresse, Commentaire" in message
    assert "aucun format connu" in message


def test_unknown_json_refused() -> None:
    message = _refusal(json.dumps({"tickets": [{"id": 1}]}).encode())
    assert "Fichier JSON non reconnu" in message and "tickets" in message


def test_empty_graph_page_refused_as_empty() -> None:
    assert "aucun élément" in _refusal(b'{"data": [], "paging": {}}')


def test_rows_with_wrong_field_count_rejected_with_line_numbers() -> None:
    data = "\n".join(
        [
            NYC_HEADER,
            "1,05/01/2022 12:00:03 AM,,NYPD,Noise,Loud Music,Open,BRONX",
            "2,05/01/2022 12:01:00 AM,,NYPD,Noise,Loud Music,Open,BRONX,EXTRA,MORE",
            "3,05/01/2022 12:02:00 AM,,NYPD,Noise",
            "4,05/01/2022 12:03:00 AM,,NYPD,Noise,Loud Music,Open,QUEENS",
            "5,05/01/2022 12:04:00 AM,,NYPD,Noise,Loud Music,Open,QUEENS,,",  # empty extras: kept
        ]
    )
    result = parse_file(data.encode(), ImportContext(timezone="America/New_York"))
    assert result.rows_read == 5
    assert result.frame["native_id"].tolist() == ["1", "4", "5"]
    assert [(r.line, r.reason.split(" : ")[0]) for r in result.rejections] == [
        (3, "10 champs trouvés, 8 attendus d'après l'en-tête"),
        (4, "5 champ(s) trouvé(s), 8 attendus d'après l'en-tête"),
    ]
    assert "EXTRA" in result.rejections[0].raw


def test_bad_values_rejected_with_reason_and_duplicates_keep_first() -> None:
    data = "\n".join(
        [
            NYC_HEADER,
            "10,05/01/2022 12:00:03 AM,,NYPD,Noise,Loud Music,Open,BRONX",
            ",05/01/2022 12:00:04 AM,,NYPD,Noise,Loud Music,Open,BRONX",
            "12,le 1er mai,,NYPD,Noise,Loud Music,Open,BRONX",
            "10,05/01/2022 12:09:00 AM,,NYPD,Noise,Loud Music,Open,BRONX",
        ]
    )
    result = parse_file(data.encode(), ImportContext(timezone="America/New_York"))
    assert result.frame["native_id"].tolist() == ["10"]
    reasons = {r.line: r.reason for r in result.rejections}
    assert reasons[3] == "colonne « Unique Key » vide : un identifiant était attendu"
    assert reasons[4].startswith("colonne « Created Date » : date « le 1er mai » illisible")
    assert reasons[5] == "identifiant en double dans le fichier, déjà vu ligne 2"
    raws = {r.line: r.raw for r in result.rejections}
    assert raws[4] == "12,le 1er mai,,NYPD,Noise,Loud Music,Open,BRONX"


def test_non_numeric_count_rejects_the_row() -> None:
    lines = CLASSIC.read_text(encoding="utf-8").split("\n")
    header = lines[0]
    row = (
        '"1","https://twitter.com/a/status/1","ok","2021-12-28 16:45 +0000","beaucoup"'
        + ',"0"' * 35
    )
    result = parse_file(f"{header}\n{row}\n".encode(), ImportContext())
    [rejection] = result.rejections
    assert "colonne « impressions » : « beaucoup » n'est pas un nombre" in rejection.reason


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-8"])
def test_reencoded_golden_csv_parses_identically(encoding: str) -> None:
    original = parse_file(FRENCH_META.read_bytes(), ImportContext())
    text = FRENCH_META.read_text(encoding="utf-8-sig")
    variant = parse_file(text.encode(encoding), ImportContext())
    assert variant.format_id == original.format_id
    assert golden_csv(variant.frame) == golden_csv(original.frame)
    assert variant.rejections == original.rejections == []


def test_crlf_line_endings_parse_identically() -> None:
    text = CLASSIC.read_text(encoding="utf-8")
    original = parse_file(text.encode(), ImportContext())
    variant = parse_file(text.replace("\n", "\r\n").encode(), ImportContext())
    # Line breaks inside quoted tweet text follow the file's line ending.
    assert golden_csv(variant.frame).replace("\r\n", "\n") == golden_csv(original.frame)


def test_file_over_the_size_limit_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARVIS_MAX_UPLOAD_MB", "0.001")
    message = _refusal(CLASSIC.read_bytes())
    assert message.startswith("Fichier trop volumineux")
    assert "PARVIS_MAX_UPLOAD_MB" in message


class _FakeImporter:
    kind = "publication"
    input_kind = "csv"

    def __init__(self, format_id: str, label: str) -> None:
        self.format_id, self.label = format_id, label

    def identify(self, sniffed: Sniffed) -> bool:
        return sniffed.kind == "csv"

    def parse(self, sniffed: Sniffed, context: ImportContext):  # pragma: no cover - never chosen
        raise AssertionError("an ambiguous file must not be parsed")


def test_ambiguous_detection_names_both_formats() -> None:
    fakes = [_FakeImporter("fake_a", "Format A"), _FakeImporter("fake_b", "Format B")]
    with pytest.raises(ImportRefused) as refused:
        parse_file(CLASSIC.read_bytes(), ImportContext(), candidates=fakes)
    message = str(refused.value)
    assert message.startswith("Fichier ambigu : reconnu à la fois comme")
    assert "« Format A » (fake_a) et « Format B » (fake_b)" in message


def test_no_real_importer_pair_is_ambiguous_on_golden_files() -> None:
    from ingest.sniff import sniff

    for path in sorted(Path(GOLDEN_DIR).glob("*/*")):
        if path.suffix in (".csv", ".json") and path.name.count(".") == 1:
            assert detect(sniff(path.read_bytes())).format_id == path.parent.name


def test_unknown_timezone_refused() -> None:
    with pytest.raises(ImportRefused, match="Fuseau horaire inconnu"):
        parse_file(CLASSIC.read_bytes(), ImportContext(timezone="Europe/Atlantis"))
