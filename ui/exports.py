"""Downloadable files built from frames, with spreadsheet formula injection neutralised; small
cells suppressed for open data; audited download buttons (PDF brief, files)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from metrics.period import Period
    from store.repository import Selection

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet cell may not hold (control characters but tab, newline, return).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SMALL_CELL_THRESHOLD = 5
BRIEF_LABEL = {"fr": "Télécharger le dossier PDF", "en": "Download the PDF brief"}
SECRET_COLUMN = "secret_statistique"


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells a spreadsheet would run as a formula are prefixed with a quote."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column].astype("str")
            risky = values.str.startswith(_FORMULA_STARTS, na=False)
            out[column] = values.where(~risky, "'" + values)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Excel users in France: UTF-8 with BOM, `;` separator, decimal comma (French
    Excel reads « 0.25 » as text or as a date), formulas neutralised."""
    return neutralised(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def _cell(value: object) -> object:
    """A value as openpyxl should write it: text neutralised, missing values empty."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, bool | int | float | date):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    text = _ILLEGAL.sub("", str(value))
    # openpyxl stores a text starting with "=" as a formula: the quote keeps it text, as in CSV.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _sheet_title(name: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip() or "Données"
    return title[:31]


def xlsx_bytes(
    frame: pd.DataFrame, sheet_name: str = "Données", columns: Mapping[str, str] | None = None
) -> bytes:
    """An Excel workbook of ``frame``: one sheet, bold header (``columns`` renames them, e.g.
    to French names), frozen first row, text cells that a spreadsheet would run as a formula
    prefixed with a quote, as in :func:`csv_bytes`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    shown = frame.rename(columns=dict(columns or {}))
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(sheet_name)
    sheet.append([_cell(str(c)) for c in shown.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in shown.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in row])
    for cell in (c for row in sheet.iter_rows(min_row=2) for c in row):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever openpyxl guessed
    sheet.freeze_panes = "A2"
    for number, column in enumerate(shown.columns, start=1):
        values = [str(column), *(str(v) for v in shown[column].head(200).tolist())]
        width = min(60, max(8, *(len(v) for v in values)) + 2)
        sheet.column_dimensions[get_column_letter(number)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def suppress_small_cells(
    frame: pd.DataFrame,
    count_columns: Iterable[str],
    derived_columns: Iterable[str] = (),
    threshold: int = SMALL_CELL_THRESHOLD,
    flag_column: str = SECRET_COLUMN,
) -> pd.DataFrame:
    """Statistical confidentiality for open data: in every row where a count lies between 1
    and ``threshold`` − 1, all counts and the figures derived from them (rates) are emptied,
    so the small one cannot be recomputed from the others; ``flag_column`` says "oui" there.

    A zero is published: it says nothing about a person. Counts become nullable integers.
    """
    counts, derived = list(count_columns), list(derived_columns)
    out = frame.copy()
    numbers = out[counts].apply(pd.to_numeric, errors="coerce")
    small = ((numbers > 0) & (numbers < threshold)).any(axis=1)
    for column in counts:
        out[column] = numbers[column].astype("Int64").mask(small)
    for column in derived:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Float64").mask(small)
    out[flag_column] = small.map({True: "oui", False: "non"})
    return out


def open_data_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for open-data portals: UTF-8 without BOM, `,` separator, `.` decimals, formulas
    neutralised; empty cells for values not published."""
    return neutralised(frame).to_csv(index=False, sep=",").encode("utf-8")


def audited_download(
    label: str,
    data: bytes | Callable[[], bytes],
    file_name: str,
    mime: str,
    key: str,
    what: str,
    icon: str = ":material/download:",
    disabled: bool = False,
    **detail: object,
) -> None:
    """A download button whose click is recorded in the audit log as an ``export``."""
    import streamlit as st

    from services.auth import audit
    from ui.auth import current_viewer
    from ui.components import engine

    st.download_button(
        label,
        data,
        file_name=file_name,
        mime=mime,
        icon=icon,
        key=key,
        disabled=disabled,
        on_click=audit,
        args=(engine(), current_viewer(), "export"),
        kwargs={"what": what, "file": file_name, **detail},
    )


def brief_file_name(period: Period, page: str) -> str:
    """``dossier_demandes_2026-10-01_2026-10-31.pdf``: the page's brief of ``period``."""
    return f"dossier_{page}_{period.start.isoformat()}_{period.end.isoformat()}.pdf"


def brief_download_button(period: Period, selection: Selection, key: str, page: str) -> None:
    """« Télécharger le dossier PDF » of ``period`` within ``selection`` (built on click): the
    parts of the brief that show what ``page`` shows (ui.brief.PAGE_PARTS; all of them on the
    Synthèse)."""
    from ui.components import engine
    from ui.i18n import language

    lang = language()
    db = engine()

    def build() -> bytes:
        from ui.brief import brief_pdf

        return brief_pdf(db, period, selection, lang=lang, page=page)

    audited_download(
        BRIEF_LABEL.get(lang, BRIEF_LABEL["fr"]),
        build,
        file_name=brief_file_name(period, page),
        mime="application/pdf",
        key=key,
        what="brief_pdf",
        icon=":material/picture_as_pdf:",
        page=page,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        filters=_selection_detail(selection),
    )


def _selection_detail(selection) -> dict[str, list[str]]:
    return {
        name: list(values)
        for name, values in (
            ("platforms", selection.platforms),
            ("districts", selection.districts),
            ("categories", selection.categories),
            ("channels", selection.channels),
            ("services", selection.services),
        )
        if values
    }


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOWNLOAD_LABELS = {
    "csv": {"fr": "Télécharger les données filtrées (CSV)", "en": "Download filtered data (CSV)"},
    "xlsx": {
        "fr": "Télécharger les données filtrées (Excel)",
        "en": "Download filtered data (Excel)",
    },
}


def data_downloads(frame: pd.DataFrame, name: str, period, selection, page: str) -> None:
    """The three downloads every page offers: its filtered data as CSV and as Excel (formulas
    neutralised, audited), and the PDF brief of the period and filters."""
    import streamlit as st

    from ui.i18n import language

    lang = language()
    stem = f"{name}_{period.start.isoformat()}_{period.end.isoformat()}"
    detail = {"rows": len(frame), "page": page, "filters": _selection_detail(selection)}
    empty = frame.empty
    columns = st.columns(3)
    with columns[0]:
        audited_download(
            _DOWNLOAD_LABELS["csv"][lang],
            csv_bytes(frame),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=f"{page}_csv",
            what=name,
            disabled=empty,
            **detail,
        )
    with columns[1]:
        audited_download(
            _DOWNLOAD_LABELS["xlsx"][lang],
            lambda: xlsx_bytes(frame, name),
            file_name=f"{stem}.xlsx",
            mime=XLSX_MIME,
            key=f"{page}_xlsx",
            what=name,
            icon=":material/table:",
            disabled=empty,
            **detail,
        )
    with columns[2]:
        brief_download_button(period, selection, key=f"{page}_brief", page=page)
