"""Hostile and damaged uploads, built by the tests: each ends in a clear French refusal.

XML bombs (entity expansion, external entities), zip bombs dressed as .xlsx, workbooks that
are not exports, corrupt .xls, duplicated headers, mixed date formats, formula-looking cells.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import pandas as pd
import pytest
from ingest_support import GOLDEN_DIR, xls_bytes, xlsx_bytes

from ingest import xlsx as xlsx_module
from ingest.base import ImportContext, ImportRefused
from ingest.parsing import read_csv_table
from ingest.registry import parse_file
from ingest.sniff import sniff

PARIS = ImportContext()

BILLION_LAUGHS_DTD = """<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"""
SS = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'


def _refusal(data: bytes, context: ImportContext = PARIS) -> str:
    with pytest.raises(ImportRefused) as refused:
        parse_file(data, context)
    message = str(refused.value)
    assert message.strip()
    return message


def _spreadsheetml(rows: str, sheet: str = "Key Metrics", prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<Workbook {SS}>'
        f'<Worksheet ss:Name="{sheet}"><Table>{rows}</Table></Worksheet></Workbook>'
    ).encode()


def _row(*cells: str) -> str:
    return (
        "<Row>"
        + "".join(f'<Cell><Data ss:Type="String">{c}</Data></Cell>' for c in cells)
        + "</Row>"
    )


# --------------------------------------------------------------------------- XML bombs


def test_billion_laughs_in_spreadsheetml_is_refused_before_expansion() -> None:
    data = _spreadsheetml(
        _row("Date", "page_fans:lifetime") + _row("&lol9;", "1"), prolog=BILLION_LAUGHS_DTD
    )
    tracemalloc.start()
    try:
        message = _refusal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.startswith("Fichier XML refusé : il déclare une DTD ou des entités")
    assert "bombes XML" in message
    assert peak < 20 * 1024 * 1024  # 10^9 "lol" would be gigabytes


def test_billion_laughs_in_open311_xml_is_refused() -> None:
    data = (
        '<?xml version="1.0"?>' + BILLION_LAUGHS_DTD + "<service_requests><request>"
        "<service_request_id>&lol9;</service_request_id></request></service_requests>"
    ).encode()
    assert "bombes XML" in _refusal(data)


def test_bomb_without_xml_prolog_is_still_sniffed_as_xml_and_refused() -> None:
    data = (BILLION_LAUGHS_DTD + "<service_requests/>").encode()
    assert sniff(data).kind == "xml"
    assert "bombes XML" in _refusal(data)


def test_external_entity_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<service_requests><request><description>&xxe;</description></request></service_requests>"
    )
    message = _refusal(data)
    assert "bombes XML" in message and "root:" not in message


def test_malformed_xml_is_refused_with_position() -> None:
    message = _refusal(_spreadsheetml(_row("Date", "page_fans:lifetime"))[:-30])
    assert message.startswith("Fichier XML mal formé (ligne 1, colonne")


def test_huge_cell_index_is_refused_not_allocated() -> None:
    rows = (
        _row("Date", "page_fans:lifetime")
        + '<Row><Cell ss:Index="2000000000"><Data ss:Type="Number">1</Data></Cell></Row>'
    )
    assert "au-delà de la limite d'Excel" in _refusal(_spreadsheetml(rows))


def test_unknown_xml_root_is_named() -> None:
    message = _refusal(b'<?xml version="1.0"?><rss><channel/></rss>')
    assert message.startswith("Fichier XML non reconnu : élément racine <rss>")
    assert "<service_requests>" in message


def test_invalid_utf8_in_spreadsheetml_is_replaced_not_fatal() -> None:
    rows = _row("Date", "page_fans:lifetime") + _row("", "Lifetime: fans. (Unique Users)")
    rows += '<Row><Cell><Data ss:Type="DateTime">2017-06-09T00:00:00.000</Data></Cell><Cell><Data ss:Type="Number">41883</Data></Cell></Row>'
    data = _spreadsheetml(rows, sheet="Key Metrics").replace(
        b"</Workbook>",
        b'<Worksheet ss:Name="Villes"><Table><Row><Cell><Data ss:Type="String">Thi X\xc3\xa3 \xc3?\xc3\xb2ng</Data></Cell></Row></Table></Worksheet></Workbook>',
    )
    result = parse_file(data, PARIS)
    assert result.format_id == "fb_insights_page"
    assert result.frame["followers"].tolist() == [41883]


# --------------------------------------------------------------------------- zip bombs


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_open(monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    def forbidden(*args, **kwargs):
        raise AssertionError("openpyxl opened an archive that should have been refused first")

    monkeypatch.setattr(openpyxl, "load_workbook", forbidden)


def test_zip_bomb_member_ratio_is_refused(openpyxl_must_not_open: None) -> None:
    data = _zip(
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * (8 * 1024 * 1024)}
    )
    assert len(data) < 100_000
    message = _refusal(data)
    assert message.startswith("Classeur refusé : le fichier interne « xl/worksheets/sheet1.xml »")
    assert "bombe zip" in message


def test_zip_declaring_gigabytes_is_refused(
    monkeypatch: pytest.MonkeyPatch, openpyxl_must_not_open: None
) -> None:
    # Ratio check off: only the total declared size can stop this archive.
    monkeypatch.setattr(xlsx_module, "MAX_MEMBER_RATIO", 10**9)
    data = bytearray(_zip({"xl/worksheets/sheet1.xml": b"<worksheet/>"}))
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3 * 1024**3)  # uncompressed size field
    message = _refusal(bytes(data))
    assert message.startswith("Classeur refusé : il occupe 3072 Mo une fois décompressé")


def test_zip_that_is_not_a_workbook_is_refused() -> None:
    message = _refusal(_zip({"notes.txt": b"bonjour"}))
    assert message.startswith("Classeur Excel (.xlsx) illisible")


def test_truncated_xlsx_is_refused_as_truncated() -> None:
    data = xlsx_bytes({"sheets": [{"name": "All posts", "rows": [["Post title"]]}]})
    assert "tronqué ou corrompu" in _refusal(data[: len(data) // 2])


# --------------------------------------------------------------------------- not an export


def test_xlsx_whose_sheets_are_not_an_export_lists_the_sheets() -> None:
    spec = {
        "sheets": [
            {"name": "Budget 2026", "rows": [["Poste", "Montant"], ["Voirie", 120000]]},
            {"name": "Feuil2", "rows": []},
        ]
    }
    message = _refusal(xlsx_bytes(spec))
    assert message.startswith("Ce classeur Excel (.xlsx) n'est pas un export reconnu : ")
    assert "feuilles trouvées : « Budget 2026 », « Feuil2 »" in message
    assert "« Budget 2026 » commence par : Poste, Montant" in message
    assert "feuille « All posts »" in message and "feuille « New followers »" in message


def test_xls_whose_sheets_are_not_an_export_lists_the_sheets() -> None:
    message = _refusal(xls_bytes({"sheets": [{"name": "Planning", "rows": [["Jour", "Agent"]]}]}))
    assert message.startswith("Ce classeur Excel 97-2003 (.xls) n'est pas un export reconnu")
    assert "« Planning »" in message


def test_corrupt_xls_is_refused() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 2000
    assert _refusal(data).startswith("Classeur Excel 97-2003 (.xls) illisible ou endommagé")


def test_xls_from_golden_spec_parses_like_its_xlsx_twin() -> None:
    spec_path = GOLDEN_DIR / "linkedin_followers" / "new_followers.xlsx.json"
    import json

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    as_xlsx = parse_file(xlsx_bytes(spec), PARIS)
    as_xls = parse_file(xls_bytes(spec), PARIS)
    pd.testing.assert_frame_equal(as_xlsx.frame, as_xls.frame)
    assert as_xls.rejections == as_xlsx.rejections


# --------------------------------------------------------------------------- headers and values


def test_duplicated_mapped_header_is_refused_with_its_names() -> None:
    data = (
        "Unique Key,Created Date,Closed Date,Complaint Type,Status,Created Date\n"
        "1,05/01/2022 12:00:03 AM,,Noise,Open,05/02/2022 12:00:03 AM\n"
    )
    message = _refusal(data.encode())
    assert message.startswith(
        "Colonnes en double dans l'en-tête : « Created Date » (colonnes 2 et 6)"
    )
    assert "supprimez ou renommez le doublon" in message


def test_duplicated_header_in_a_workbook_is_refused() -> None:
    header = ["Date", "Sponsored followers", "Organic followers", "Organic followers"]
    spec = {"sheets": [{"name": "New followers", "rows": [header, ["03/01/2026", 0, 1, 2]]}]}
    assert "« Organic followers » (colonnes 3 et 4)" in _refusal(xlsx_bytes(spec))


def test_duplicated_unmapped_header_is_accepted() -> None:
    data = (
        "Reçu le;Répondu le;Canal;Texte;Note;Note\n"
        "02/03/2026 09:00;02/03/2026 10:00;E-mail;Bonjour;a;b\n"
    )
    result = parse_file(data.encode(), PARIS)
    assert result.format_id == "resident_messages" and len(result.frame) == 1


def test_mixed_date_formats_reject_the_minority_with_line_numbers() -> None:
    data = "\n".join(
        [
            "Reçu le;Répondu le;Canal;Texte",
            "02/03/2026 09:00;;E-mail;un",
            "03/03/2026 09:00;;E-mail;deux",
            "2026-03-04 09:00;;E-mail;trois",
            "04/03/2026 09:00;;E-mail;quatre",
            "03/04/2026 09:00;;E-mail;cinq",  # day first like the column: 3 April
        ]
    )
    result = parse_file(data.encode(), PARIS)
    assert result.frame["text"].tolist() == ["un", "deux", "quatre", "cinq"]
    assert result.frame["sent_at"].iloc[-1] == pd.Timestamp("2026-04-03 07:00", tz="UTC")
    [rejection] = result.rejections
    assert rejection.line == 4
    assert "au format AAAA-MM-JJ HH:MM, alors que la colonne est au format JJ/MM/AAAA HH:MM" in (
        rejection.reason
    )
    assert "jamais deviné" in rejection.reason


@pytest.mark.parametrize(
    "text", ["=1+1", "+33 6 12 34 56 78", "-- urgent", "@mairie", '=HYPERLINK("x")']
)
def test_formula_looking_cells_are_kept_as_text_in_csv(text: str) -> None:
    quoted = '"' + text.replace('"', '""') + '"'
    data = f"Reçu le;Répondu le;Canal;Texte\n02/03/2026 09:00;;E-mail;{quoted}\n"
    result = parse_file(data.encode(), PARIS)
    assert result.frame["text"].tolist() == [text]


def test_formula_looking_cells_are_kept_as_text_in_xlsx() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "All posts"
    sheet.append(["Post title", "Post link", "Created date", "Impressions"])
    texts = ["=1+1", "+33 6 12", "-moins", "@mairie"]
    for n, text in enumerate(texts):
        sheet.append(
            [None, f"https://www.linkedin.com/feed/update/urn:li:activity:{n}", "03/01/2026", 1]
        )
        cell = sheet.cell(row=n + 2, column=1)
        cell.value = text
        cell.data_type = "s"  # a text cell, as an export writes it, not a formula
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse_file(buffer.getvalue(), PARIS)
    assert result.frame["text"].tolist() == texts


# --------------------------------------------------------------------------- large files


def test_csv_reader_keeps_large_files_compact() -> None:
    """100,000 rows × 6 kept columns: the reader's own allocations stay near the text's size."""
    lines = ["Unique Key,Created Date,Closed Date,Complaint Type,Status,Borough,Unused"]
    for n in range(100_000):
        lines.append(f"{n},05/01/2022 12:{n % 60:02d}:03 AM,,Noise - Residential,Open,BROOKLYN,x")
    sniffed = sniff("\n".join(lines).encode())
    text_size = len(sniffed.text or "")
    tracemalloc.start()
    try:
        table = read_csv_table(
            sniffed,
            [
                ("Unique Key",),
                ("Created Date",),
                ("Closed Date",),
                ("Complaint Type",),
                ("Status",),
                ("Borough",),
            ],
        )
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(table.records) == 100_000
    # One str object per cell would cost about 6 × 60 bytes a row (36 MB here); packed
    # columns cost about the cells' length. While reading, one chunk of 65,536 rows is held
    # as strings (about 22 MB), whatever the file's size.
    assert current < 1.5 * text_size
    assert peak < current + 30 * 1024 * 1024
