"""Tables shown to officials: French headings and French-formatted numbers."""

from __future__ import annotations

import pandas as pd

from ui.format import count_text, hours_text, missing_text, rate_text, signed_points_text
from ui.i18n import t


def _cell(value: object, kind: str, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing_text(lang) if kind != "text" else ""
    if kind == "count":
        return count_text(value, lang)
    if kind == "rate":
        return rate_text(float(value), lang)
    if kind == "decimal":
        return f"{float(value):.1f}".replace(".", "," if lang == "fr" else ".")
    if kind == "hours":
        return hours_text(float(value), lang)
    if kind == "points":
        return signed_points_text(float(value), lang)
    if kind == "words":
        return ", ".join(value) if isinstance(value, list | tuple) else str(value)
    if kind == "signed":
        return f"{float(value):+.2f}".replace(".", "," if lang == "fr" else ".")
    return str(value)


def french_table(
    frame: pd.DataFrame, columns: dict[str, tuple[str, str]], lang: str
) -> pd.DataFrame:
    """The ``columns`` of ``frame`` (index included when it is named like one of them), headed
    by their translated label and formatted by kind (text, count, rate, decimal, signed)."""
    if frame.index.name in columns:
        frame = frame.reset_index()
    out = pd.DataFrame(index=frame.index)
    for column, (label, kind) in columns.items():
        if column in frame:
            out[t(label)] = [_cell(v, kind, lang) for v in frame[column]]
    return out.reset_index(drop=True)
