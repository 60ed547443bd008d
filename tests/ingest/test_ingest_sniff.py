"""Sniffer: kind, encoding, separator and header row, judged by content only."""

from __future__ import annotations

import codecs

import pytest

from ingest.sniff import max_file_bytes, sniff


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\n \n", "empty"),
        (b"%PDF-1.4\n%...", "pdf"),
        (b"\n%PDF-1.4\n", "pdf"),
        (b"PK\x03\x04\x14\x00rest", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "xls"),
        (b'<?xml version="1.0"?><Workbook/>', "xml"),
        (codecs.BOM_UTF8 + b'<?xml version="1.0"?><Workbook/>', "xml"),
        (codecs.BOM_UTF16_LE + '<?xml version="1.0"?><a/>'.encode("utf-16-le"), "xml"),
        (b'  {"data": []}', "json"),
        (b"[1, 2]", "json"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"a,b\n1,2\n", "csv"),
        (b"PK,Nom\n1,Dupont\n", "csv"),  # a "PK" header is not a zip
        (b'{"data": [', "csv"),  # broken JSON falls to text; the registry explains it
    ],
)
def test_kind_from_content(data: bytes, kind: str) -> None:
    assert sniff(data).kind == kind


def test_json_is_parsed() -> None:
    assert sniff(b'{"data": [{"id": "1"}]}').json == {"data": [{"id": "1"}]}


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "Nom,Ville\nRémy,Lyon\n".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Nom,Ville\nRémy,Lyon\n".encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + "Nom,Ville\nRémy,Lyon\n".encode("utf-16-be"), "utf-16-be"),
        ("Nom,Ville\nRémy,Lyon\n".encode("utf-16-le"), "utf-16-le"),  # no BOM
        ("Nom,Ville\nRémy,Lyon\n".encode(), "utf-8"),
        ("Nom;Ville\nRémy;Besançon\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encoding(data: bytes, encoding: str) -> None:
    sniffed = sniff(data)
    assert (sniffed.kind, sniffed.encoding) == ("csv", encoding)
    assert "Rémy" in sniffed.text
    assert not sniffed.text.startswith("\ufeff")


def test_mostly_utf8_with_one_bad_byte_stays_utf8() -> None:
    text = "Nom,Ville\n" + "Rémy,Besançon\n" * 20
    data = text.encode() + b"Z\xe9lie,Metz\n"
    sniffed = sniff(data)
    assert sniffed.encoding == "utf-8"
    assert "Besançon" in sniffed.text


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("a,b,c\n1,2,3\n4,5,6\n", ","),
        ("a;b;c\n1,5;2,25;3\n4;5,5;6\n", ";"),  # decimal commas do not fool it
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ('titre,vues\n"Fête; concert; bal",12\n"Marché; brocante",3\n', ","),  # quoted ;
        ('"Nom";"Commentaire"\n"Dupont";"oui, bien, merci"\n"Durand";"non"\n', ";"),
    ],
)
def test_separator(text: str, separator: str) -> None:
    assert sniff(text.encode()).separator == separator


def test_meta_sep_line_and_title_line_are_skipped() -> None:
    text = 'sep=,\n"Facebook follows"\n"Date","Primary"\n"2025-08-01T00:00:00","20"\n'
    sniffed = sniff(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert sniffed.separator == ","
    assert sniffed.header_row == 2
    assert sniffed.header == ("Date", "Primary")


def test_semicolon_sep_line() -> None:
    sniffed = sniff(b"sep=;\nNom;Ville\nA;B\n")
    assert (sniffed.separator, sniffed.header_row, sniffed.header) == (";", 1, ("Nom", "Ville"))


def test_header_after_title_and_blank_lines() -> None:
    text = "Export du 01/02/2026\n\nNom;Prénom;Ville\nDupont;Jean;Tours\nDurand;Anne;Blois\n"
    sniffed = sniff(text.encode())
    assert sniffed.header_row == 1  # among non-blank records
    assert sniffed.header == ("Nom", "Prénom", "Ville")


def test_header_cells_are_stripped() -> None:
    assert sniff(b" Nom , Ville \nA,B\n").header == ("Nom", "Ville")


def test_no_header_when_first_rows_are_data() -> None:
    sniffed = sniff("1\tbonne série\n0\tmauvaise série\n".encode())
    assert sniffed.kind == "csv"
    assert sniffed.header_row is None and sniffed.header == ()


def test_description_row_under_header_is_not_the_header() -> None:
    text = (
        "Post ID,Permalink,Lifetime Post Total Reach\n"
        ",,Lifetime: The total number of people your Page post was served to.\n"
        "1_2,https://fb.com/1,12\n"
    )
    assert sniff(text.encode()).header_row == 0


def test_size_limit_default_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARVIS_MAX_UPLOAD_MB", raising=False)
    assert max_file_bytes() == 200 * 1024 * 1024
    monkeypatch.setenv("PARVIS_MAX_UPLOAD_MB", "5")
    assert max_file_bytes() == 5 * 1024 * 1024
    monkeypatch.setenv("PARVIS_MAX_UPLOAD_MB", "beaucoup")
    assert max_file_bytes() == 200 * 1024 * 1024


@pytest.mark.parametrize(
    "data",
    [
        b"<Workbook xmlns='urn:schemas-microsoft-com:office:spreadsheet'/>",
        b"  <service_requests><request/></service_requests>",
        b'<!DOCTYPE lolz [<!ENTITY lol "lol">]><a/>',
    ],
)
def test_xml_without_prolog_is_xml(data: bytes) -> None:
    assert sniff(data).kind == "xml"


def test_html_doctype_is_not_xml() -> None:
    assert sniff(b"<!DOCTYPE html>\n<html><body>Nom,Ville</body></html>\n").kind == "csv"


def test_xml_declared_utf8_with_a_bad_byte_is_read_as_utf8() -> None:
    # Mostly ASCII: the lenient check alone would fall back to cp1252 and garble "é".
    data = '<?xml version="1.0" encoding="UTF-8"?><a>é</a><b>x\xc3?</b>'.encode("latin-1")
    data = data.replace("é".encode("latin-1"), "é".encode())
    sniffed = sniff(data)
    assert (sniffed.kind, sniffed.encoding) == ("xml", "utf-8")
    assert "<a>é</a>" in sniffed.text and "\ufffd" in sniffed.text


def test_workbook_kinds_carry_a_lazy_source() -> None:
    from ingest.xlsx import WorkbookSource

    for data, kind in (
        (b"PK\x03\x04rest", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "xls"),
        (b'<?xml version="1.0"?><Workbook/>', "xml"),
    ):
        sniffed = sniff(data)
        assert isinstance(sniffed.json, WorkbookSource) and sniffed.json.kind == kind


def test_sniff_does_not_copy_a_large_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20 MB of CSV: sniffing reads a sample, never the whole text twice.
    import tracemalloc

    data = b"a,b\n" + b"1,2\n" * 5_000_000
    tracemalloc.start()
    try:
        sniffed = sniff(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sniffed.kind == "csv"
    assert peak < 1.5 * len(data)
