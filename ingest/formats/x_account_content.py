"""Importer for the current X "account analytics" content export (x.com/i/account_analytics, 2024+).

``account_analytics_content_<start>_<end>.csv``: one row per post (replies included), UTF-8,
``Date`` = ``"Sat, Aug 22, 2026"`` (the day only, English names), counts possibly written
``1,234``. The companion "overview" export (one row per day, no ``Post id``) is not this one.
"""

from __future__ import annotations

import re

from ingest.base import ImportContext, ParseResult, Sniffed
from ingest.canonical import PUBLICATION
from ingest.parsing import (
    CsvImporter,
    build_result,
    context_zone,
    date_only_warning,
)

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "contenu (anglais)": ("Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements"),
}  # fmt: skip

# canonical column ← header aliases. "Shares" (sent by DM / copied link) is not a repost and has
# no canonical column; "Reposts" are the shares of the canonical schema, as retweets were.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("Post id",),
    "published_at": ("Date",),
    "text": ("Post text",),
    "permalink": ("Post Link",),
    "impressions": ("Impressions",),
    "reactions": ("Likes",),
    "comments": ("Replies",),
    "shares": ("Reposts",),
    "saves": ("Bookmarks",),
    "clicks": ("URL Clicks",),
}

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
# "Sat, Aug 22, 2026", "Aug 22, 2026", "August 22, 2026".
_X_DATE = re.compile(r"(?:[A-Za-z]{3,9},\s*)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})")
_HANDLE = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([^/?#]+)/status", re.I)
EXPECTED_DATE = "« Sat, Aug 22, 2026 » (jour, mois en anglais, année)"


def iso_day(text: str) -> str:
    """``"Sat, Aug 22, 2026"`` → ``"2026-08-22"``; "" when it is not that shape.

    Month names are read with a fixed English table, never with the server's locale. Any
    other shape (even ISO) is unreadable: the export always writes dates this way.
    """
    match = _X_DATE.fullmatch(text.strip())
    month = _MONTHS.get(match.group(1)[:3].lower()) if match else None
    if match is None or month is None:
        return "?" + text if text.strip() else ""
    return f"{match.group(3)}-{month:02d}-{int(match.group(2)):02d}"


class XAccountContentImporter(CsvImporter):
    """account_analytics_content CSV → publications (platform "x")."""

    format_id = "x_account_content"
    label = "X – statistiques du compte, export « contenu » (account_analytics_content, 2024+)"
    kind = PUBLICATION
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        table, rows, col = self.mapped_table(sniffed)
        n = len(table.records)

        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        permalinks = rows.add_text("permalink", col["permalink"], str.strip)
        texts = rows.add_text("text", col["text"])
        date_column = col["published_at"]
        published = rows.add_datetime(
            "published_at",
            date_column,
            ["%Y-%m-%d"],
            tz,
            expected=EXPECTED_DATE,
            required=True,
            prepare=iso_day,
        )
        for name in ("impressions", "reactions", "comments", "shares", "saves", "clicks"):
            rows.add_count(name, col[name])
        rows.columns["platform"] = ["x"] * n
        rows.columns["post_type"] = [
            "Réponse" if (text or "").startswith("@") else "Tweet" for text in texts
        ]
        rows.columns["account"] = [_handle(link) for link in permalinks]

        rows.reject_duplicates(native_ids)
        warnings = []
        dated = [
            rows.line_of(r) for r in rows.kept_rows() if published.iloc[r] == published.iloc[r]
        ]
        if dated:
            warnings.append(date_only_warning(rows.header_of(date_column), dated, str(tz)))
        return build_result(self, table, rows, warnings)


def _handle(permalink: str | None) -> str | None:
    match = _HANDLE.match(permalink or "")
    return match.group(1) if match else None


IMPORTER = XAccountContentImporter()
