"""Downloadable files built from frames, with spreadsheet formula injection neutralised."""

from __future__ import annotations

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    """CSV for Excel users in France: UTF-8 with BOM, `;` separator, formulas neutralised."""
    return neutralised(frame).to_csv(index=False, sep=";").encode("utf-8-sig")
