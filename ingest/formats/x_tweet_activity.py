"""Importer for the classic X/Twitter Analytics ``tweet_activity_metrics`` CSV (2015–2023)."""

from __future__ import annotations

import html
import re

from ingest.base import ImportContext, ParseResult, Sniffed
from ingest.canonical import PUBLICATION
from ingest.parsing import CsvImporter, context_zone

# Required header cells, per variant (the 2015 export says "favorites" instead of "likes").
HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "likes": ("Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "retweets", "replies", "likes"),
    "favorites (2015)": ("Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "retweets", "replies", "favorites"),
}  # fmt: skip

# canonical column ← header aliases, first found wins. Only English headers are known: no
# export with a French UI ("_fr" file) has been seen, so no French alias is guessed here.
# "media views" is deliberately not mapped to video_views: it counts image views too.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("Tweet id",),
    "permalink": ("Tweet permalink",),
    "text": ("Tweet text",),
    "published_at": ("time",),
    "impressions": ("impressions",),
    "reactions": ("likes", "favorites"),
    "comments": ("replies",),
    "shares": ("retweets",),
    "clicks": ("url clicks",),
}

TIME_FORMAT = "%Y-%m-%d %H:%M %z"
_HANDLE = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([^/?#]+)/status", re.I)


class XTweetActivityImporter(CsvImporter):
    """tweet_activity_metrics CSV → publications (platform "x")."""

    format_id = "x_tweet_activity"
    label = "X (Twitter) – activité des tweets (tweet_activity_metrics)"
    kind = PUBLICATION
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        # The export always carries "+0000"; the context zone only matters for a naive time.
        tz = context_zone(context.timezone)
        table, rows, col = self.mapped_table(sniffed)

        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        permalinks = rows.add_text("permalink", col["permalink"], str.strip)
        texts = rows.add_text("text", col["text"], html.unescape)
        rows.add_datetime(
            "published_at",
            col["published_at"],
            [TIME_FORMAT, "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M"],
            tz,
            expected="AAAA-MM-JJ HH:MM +0000",
            required=True,
        )
        for name in ("impressions", "reactions", "comments", "shares", "clicks"):
            rows.add_count(name, col[name])

        rows.columns["platform"] = ["x"] * len(table.records)
        # A reply starts with the @handle it answers; the export has no other reply marker.
        rows.columns["post_type"] = [
            "Réponse" if (text or "").startswith("@") else "Tweet" for text in texts
        ]
        rows.columns["account"] = [_handle(link) for link in permalinks]

        rows.reject_duplicates(native_ids)
        frame, rejections = rows.frame_and_rejections(PUBLICATION)
        warnings = list(rows.warnings)
        if table.rows_read == 0:
            warnings.append("Le fichier ne contient aucune ligne de données (en-tête seul).")
        return ParseResult(
            format_id=self.format_id,
            kind=self.kind,
            frame=frame,
            rows_read=table.rows_read,
            rejections=rejections,
            warnings=warnings,
        )


def _handle(permalink: str | None) -> str | None:
    """The account handle in a tweet permalink (the export has no account column)."""
    match = _HANDLE.match(permalink or "")
    return match.group(1) if match else None


IMPORTER = XTweetActivityImporter()
