"""Frames and texts shared by the tests of themes, content audit and residents' voice."""

from __future__ import annotations

import pandas as pd

from ingest.canonical import conform


def bold(text: str) -> str:
    """``text`` in Unicode mathematical bold letters and digits, as Meta captions write it."""
    out = []
    for char in text:
        if "A" <= char <= "Z":
            out.append(chr(0x1D400 + ord(char) - ord("A")))
        elif "a" <= char <= "z":
            out.append(chr(0x1D41A + ord(char) - ord("a")))
        elif "0" <= char <= "9":
            out.append(chr(0x1D7CE + ord(char) - ord("0")))
        else:
            out.append(char)
    return "".join(out)


def series(*texts) -> pd.Series:
    return pd.Series(list(texts), dtype="str")


def _frame(kind: str, rows: list[dict], enriched: bool) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return conform(frame, kind, enriched=enriched)


def messages(*rows: dict, enriched: bool = True) -> pd.DataFrame:
    """A canonical message frame; with ``enriched``, the stored sentiment columns too."""
    defaults = {"channel": "facebook", "is_staff": False}
    return _frame("message", [{**defaults, **row} for row in rows], enriched)


def requests(*rows: dict, enriched: bool = True) -> pd.DataFrame:
    defaults = {"source": "grc"}
    return _frame("request", [{**defaults, **row} for row in rows], enriched)


def posts(*rows: dict) -> pd.DataFrame:
    defaults = {"platform": "facebook"}
    return _frame("publication", [{**defaults, **row} for row in rows], False)
