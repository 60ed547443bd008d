"""The column-mapping editor: import a CSV or workbook no importer recognises.

:func:`mapping_section` is what the Importer page calls for a refused file: the saved mapping
made for the same header when there is one, else :func:`mapping_editor` in an expander. The
editor shows the columns found and the first rows, lets the user pick the kind of records,
the file column of each canonical column (pre-filled from the header words), the date
format, the time zone and the source, previews the canonical result with its validation
report, and saves the mapping. Widget keys start with ``mapping_<file hash>_``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from zoneinfo import available_timezones

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.mapping import (
    DATE_FORMATS,
    MAPPABLE_KINDS,
    REQUIRED,
    START_DATE,
    ColumnMapping,
    check_mapping_name,
    mappable_columns,
    mapping_header_signature,
    parse_with_mapping,
    sheet_names,
    source_preview,
    suggested_date_format,
    suggested_mapping,
)
from ingest.parsing import header_key
from ingest.pipeline import enriched
from ingest.privacy import masked_text
from ingest.sniff import max_file_bytes, sniff
from services.auth import Viewer
from services.mappings import mapping_for_sniffed, save_mapping, saved_mappings
from services.settings import current_settings
from ui.i18n import t

PREVIEW_NAME = "aperçu"  # name of the mapping previewed before the user names it
CANONICAL_PREVIEW_ROWS = 10
GRID_COLUMNS = 3


def file_key(data: bytes) -> str:
    """The widget-key prefix of one uploaded file: ``mapping_<12 hex of its sha256>``."""
    return f"mapping_{hashlib.sha256(data).hexdigest()[:12]}"


def mapping_section(
    engine: Engine,
    data: bytes,
    file_name: str,
    viewer: Viewer | str,
    refusal: str | None = None,
) -> ColumnMapping | None:
    """For a file no importer took: the mapping to import it with, or None.

    The saved mapping made for the same header is used at once (and said so); otherwise
    ``refusal`` (the importers' French refusal) is shown, then the editor in an expander,
    which returns the mapping once the user saved it. For a file that is not a CSV or a
    workbook, only ``refusal`` is shown.
    """
    sniffed = sniff(data) if data and len(data) <= max_file_bytes() else None
    found = mapping_for_sniffed(engine, sniffed) if sniffed is not None else None
    if found is not None:
        st.info(t("mapping_found", name=found.name), icon=":material/link:")
        return found
    if refusal:
        st.error(refusal, icon=":material/block:")
    if sniffed is None or sniffed.kind not in ("csv", "xlsx", "xls"):
        return None
    with st.expander(t("mapping_offer"), icon=":material/table_chart:"):
        return mapping_editor(engine, data, file_name, viewer, sniffed=sniffed)


def mapping_editor(
    engine: Engine,
    data: bytes,
    file_name: str,
    viewer: Viewer | str,
    *,
    sniffed: Sniffed | None = None,
) -> ColumnMapping | None:
    """Render the editor for ``data``; the saved mapping once the user saved it, else None."""
    prefix = file_key(data)

    def key(name: str) -> str:
        return f"{prefix}_{name}"

    st.markdown(f"#### {t('mapping_title')}")
    st.caption(t("mapping_intro"))
    if len(data) > max_file_bytes():
        return None
    sniffed = sniffed or sniff(data)
    sheets = sheet_names(sniffed)
    sheet = ""
    if len(sheets) > 1:
        sheet = st.selectbox(t("mapping_sheet"), sheets, key=key("sheet"))
    # Another sheet has other columns: its widgets get their own keys.
    columns_key = prefix if not sheet else f"{prefix}_s{sheets.index(sheet)}"
    try:
        preview = source_preview(sniffed, sheet)
    except ImportRefused as refusal:
        st.error(t("mapping_unreadable", reason=str(refusal)), icon=":material/block:")
        return None

    header = _choices(preview.header)
    st.markdown(
        t(
            "mapping_columns_found",
            count=len(preview.header),
            columns=", ".join(_code(h) if h else "(vide)" for h in preview.header),
        )
    )
    st.caption(t("mapping_sample"))
    st.dataframe(_sample_frame(preview.header, preview.rows), hide_index=True, width="stretch")

    # Labels computed here, not in format_func: they follow this run's language.
    kind_labels = {k: t(f"mapping_kind_{k}") for k in MAPPABLE_KINDS}
    none_label = t("mapping_none")
    kind = st.radio(
        t("mapping_kind"),
        MAPPABLE_KINDS,
        format_func=kind_labels.__getitem__,
        horizontal=True,
        key=key("kind"),
    )
    suggestion = suggested_mapping(header, kind)
    st.markdown(f"**{t('mapping_columns_heading')}**")
    grid = st.columns(GRID_COLUMNS)
    chosen: dict[str, str] = {}
    for position, column in enumerate(mappable_columns(kind)):
        required = column in REQUIRED[kind]
        label = t(f"mapping_column_{column}") + (" *" if required else "")
        if required:
            options = header
            index = header.index(suggestion[column]) if column in suggestion else None
        else:
            options = ["", *header]
            index = options.index(suggestion.get(column, ""))
        value = grid[position % GRID_COLUMNS].selectbox(
            label,
            options,
            index=index,
            format_func=lambda v: v or none_label,
            placeholder=t("mapping_choose"),
            help=f"`{column}`",
            key=f"{columns_key}_{kind}_{column}",
        )
        if value:
            chosen[column] = value

    left, middle, right = st.columns(3)
    codes = list(DATE_FORMATS)
    date_column = chosen.get(START_DATE[kind])
    samples = _column_values(preview.header, preview.rows, date_column)
    date_format = left.selectbox(
        t("mapping_date_format"),
        codes,
        index=codes.index(suggested_date_format(samples)),
        format_func=lambda c: f"{DATE_FORMATS[c].label} — {DATE_FORMATS[c].example}",
        help=t("mapping_date_format_help"),
        key=f"{columns_key}_date_format",
    )
    zones = sorted(available_timezones())
    default_zone = current_settings(engine).timezone
    timezone = middle.selectbox(
        t("mapping_timezone"),
        zones,
        index=zones.index(default_zone) if default_zone in zones else 0,
        help=t("mapping_timezone_help"),
        key=key("timezone"),
    )
    source = right.text_input(
        t(f"mapping_source_{kind}"),
        placeholder=t("mapping_source_placeholder"),
        help=t("mapping_source_help"),
        max_chars=60,
        key=key(f"{kind}_source"),
    )
    name = st.text_input(
        t("mapping_name"),
        placeholder=t("mapping_name_placeholder"),
        help=t("mapping_name_help"),
        max_chars=60,
        key=key("name"),
    )

    try:
        preview_name = check_mapping_name(name)
    except ValueError:
        preview_name = PREVIEW_NAME
    try:
        mapping = ColumnMapping(
            name=preview_name,
            kind=kind,
            columns=chosen,
            date_format=date_format,
            timezone=timezone,
            source=source,
            header_signature=mapping_header_signature(sniffed, sheet),
            sheet=sheet,
        )
    except ValueError as problem:
        st.warning(str(problem), icon=":material/edit_note:")
        mapping = None
    if mapping is not None:
        _show_preview(key, data, mapping)

    if name.strip() and any(header_key(n) == header_key(name) for n in saved_mappings(engine)):
        st.caption(t("mapping_replaces", name=name.strip()))
    clicked = st.button(
        t("mapping_save"),
        type="primary",
        icon=":material/save:",
        disabled=mapping is None,
        key=key("save"),
    )
    if clicked and mapping is not None:
        if not name.strip():
            st.error(t("mapping_name_missing"), icon=":material/edit:")
        else:
            try:
                saved = save_mapping(engine, dataclasses.replace(mapping, name=name), viewer)
            except ValueError as problem:
                st.error(str(problem), icon=":material/block:")
            else:
                st.session_state[key("saved")] = saved.name
                st.success(t("mapping_saved", name=saved.name), icon=":material/task_alt:")
                return saved
    saved_name = st.session_state.get(key("saved"))
    return saved_mappings(engine).get(saved_name) if saved_name else None


def _code(text: str) -> str:
    """A header cell as inline code: a backtick in it cannot close the code and inject markdown."""
    return "`" + text.replace("`", "'") + "`"


def _choices(header: tuple[str, ...]) -> list[str]:
    """The header cells a column can be picked from: non-empty, each key once."""
    seen: set[str] = set()
    out: list[str] = []
    for cell in header:
        cell_key = header_key(cell)
        if cell_key and cell_key not in seen:
            seen.add(cell_key)
            out.append(cell)
    return out


def _sample_frame(header: tuple[str, ...], rows: list[list[str]]) -> pd.DataFrame:
    """The first rows under unique column titles (a header may repeat or leave a title empty)."""
    titles: list[str] = []
    for position, cell in enumerate(header, start=1):
        title = cell or f"({position})"
        while title in titles:
            title = f"{title} ({position})"
        titles.append(title)
    return pd.DataFrame(rows, columns=titles, dtype="str") if rows else pd.DataFrame(columns=titles)


def _column_values(header: tuple[str, ...], rows: list[list[str]], title: str | None) -> list[str]:
    if not title:
        return []
    wanted = header_key(title)
    position = next((i for i, h in enumerate(header) if header_key(h) == wanted), None)
    return [] if position is None else [row[position] for row in rows]


def _parsed(key, data: bytes, mapping: ColumnMapping) -> ParseResult | str:
    """The file parsed with ``mapping`` (or the French refusal), recomputed only when the
    mapping changed since the last rerun of this file's editor."""
    signature = json.dumps(mapping.to_dict(), sort_keys=True, ensure_ascii=False)
    cached = st.session_state.get(key("preview"))
    if cached is not None and cached[0] == signature:
        return cached[1]
    try:
        outcome: ParseResult | str = parse_with_mapping(
            data, mapping, ImportContext(timezone=mapping.timezone)
        )
    except ImportRefused as refusal:
        outcome = str(refusal)
    st.session_state[key("preview")] = (signature, outcome)
    return outcome


def _show_preview(key, data: bytes, mapping: ColumnMapping) -> None:
    st.markdown(f"**{t('mapping_preview')}**")
    result = _parsed(key, data, mapping)
    if isinstance(result, str):
        st.error(result, icon=":material/block:")
        return
    cols = st.columns(3)
    cols[0].metric(t("mapping_rows_read"), result.rows_read)
    cols[1].metric(t("mapping_rows_kept"), len(result.frame))
    cols[2].metric(t("mapping_rows_rejected"), len(result.rejections))
    for warning in result.warnings:
        st.warning(warning, icon=":material/warning:")
    if result.rejections:
        st.markdown(t("mapping_rejections"))
        st.dataframe(
            pd.DataFrame(
                [(r.line, r.reason, masked_text(r.raw)) for r in result.rejections],
                columns=["ligne", "motif", "contenu"],
            ),
            hide_index=True,
            width="stretch",
        )
    if result.frame.empty:
        st.info(t("mapping_nothing_kept"), icon=":material/info:")
        return
    st.caption(t("mapping_canonical"))
    shown = enriched(result.frame.head(CANONICAL_PREVIEW_ROWS), result.kind)
    st.dataframe(shown, hide_index=True, width="stretch")
