"""Importer for the Meta Business Suite content export (Facebook / Instagram posts, EN and FR)."""

from __future__ import annotations

from ingest.base import ImportContext, ParseResult, Sniffed
from ingest.canonical import PUBLICATION
from ingest.parsing import (
    CsvImporter,
    context_zone,
    header_key,
    lines_text,
)

# Required header cells, per variant. The column count varies month to month (the
# "Negative feedback…" columns come and go), so only these few are required.
# The French names come from a third-party parser's alias table (no real French file seen).
HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "Facebook, en-têtes anglais": ("Post ID", "Page ID", "Publish time", "Permalink"),
    "Facebook, en-têtes français": (
        "Identifiant de la publication",
        "ID de la Page",
        "Heure de publication",
        "Permalien",
    ),
    "Instagram, en-têtes anglais": ("Post ID", "Account ID", "Publish time", "Permalink"),
}

# canonical (or helper) column ← header aliases, first found wins; EN then FR.
# "Reactions, Comments and Shares" is a total and is mapped to the helper "interactions",
# never to reactions: only the exact header "Reactions" / "Réactions" is reactions.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("Post ID", "Identifiant de la publication"),
    "page_id": ("Page ID", "ID de la Page"),
    "account_id": ("Account ID", "Identifiant du compte", "ID du compte"),
    "page_name": ("Page name", "Nom de la page"),
    "account_username": ("Account username", "Nom d'utilisateur du compte"),
    "title": ("Title", "Titre"),
    "description": ("Description",),
    "published_at": ("Publish time", "Heure de publication"),
    "permalink": ("Permalink", "Permalien"),
    "post_type": ("Post type", "Type de publication"),
    "date": ("Date",),
    # Newer exports say Views, 2023 – early 2024 ones Impressions; Views wins when both exist.
    "impressions": ("Views", "Vues", "Impressions"),
    "reach": ("Reach", "Couverture"),
    "reactions": ("Reactions", "Réactions", "Likes", "J'aime"),
    "comments": ("Comments", "Commentaires"),
    "shares": ("Shares", "Partages"),
    "saves": ("Saves", "Enregistrements"),
    "clicks": ("Total clicks", "Total des clics"),
    "interactions": ("Reactions, Comments and Shares", "Réactions, commentaires et partages"),
}

ENGLISH_TIME = ["%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"]
FRENCH_TIME = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"]
LIFETIME = {"lifetime", "a vie", "total", "depuis le debut"}
FRENCH_KEYS = {header_key(h) for h in HEADER_SIGNATURE["Facebook, en-têtes français"]}


class MetaPostsImporter(CsvImporter):
    """Meta Business Suite "Contenu" CSV → publications (platform facebook or instagram)."""

    format_id = "meta_posts"
    label = "Meta Business Suite – export des publications (Facebook / Instagram)"
    kind = PUBLICATION
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        table, rows, col = self.mapped_table(sniffed)
        n = len(table.records)

        # Day/month order follows the header language: French UI → day first (never guessed
        # from the values, 03/06 would be read both ways).
        time_column = col["published_at"]
        french = time_column is not None and table.keys[time_column] in FRENCH_KEYS
        rows.add_datetime(
            "published_at",
            col["published_at"],
            FRENCH_TIME if french else ENGLISH_TIME,
            tz,
            expected="JJ/MM/AAAA HH:MM (en-têtes en français)"
            if french
            else "MM/JJ/AAAA HH:MM (en-têtes en anglais)",
            required=True,
        )
        native_ids = rows.add_id("native_id", col["native_id"], required=True)
        page_ids = rows.add_id("page_id", col["page_id"], required=False)
        account_ids = rows.add_id("account_id", col["account_id"], required=False)

        instagram = col["page_id"] is None and (
            col["account_id"] is not None or col["account_username"] is not None
        )
        rows.columns["platform"] = ["instagram" if instagram else "facebook"] * n

        names = rows.add_text("page_name", col["page_name"], str.strip)
        usernames = rows.add_text("account_username", col["account_username"], str.strip)
        rows.columns["account"] = [
            name or username or page_id or account_id
            for name, username, page_id, account_id in zip(
                names, usernames, page_ids, account_ids, strict=True
            )
        ]

        titles = rows.add_text("title", col["title"])
        descriptions = rows.add_text("description", col["description"])
        rows.columns["text"] = [_caption(t, d) for t, d in zip(titles, descriptions, strict=True)]
        rows.add_text("permalink", col["permalink"], str.strip)
        rows.add_text("post_type", col["post_type"], str.strip)

        counts = {}
        for name in ("impressions", "reach", "reactions", "comments", "shares", "saves", "clicks"):
            counts[name] = rows.add_count(name, col[name])
        totals = rows.add_count("interactions", col["interactions"])

        rows.reject_duplicates(native_ids)
        warnings = list(rows.warnings)
        dates = rows.add_text("date", col["date"], str.strip)
        periodic = [
            rows.line_of(r)
            for r, value in enumerate(dates)
            if value is not None and header_key(value) not in LIFETIME
        ]
        if periodic:
            warnings.append(
                f"La colonne « Date » contient autre chose que « Lifetime » ({lines_text(periodic)}) :"
                " ces chiffres ne sont peut-être pas les totaux de chaque publication."
            )
        if col["interactions"] is not None:
            mismatched = [
                rows.line_of(r)
                for r in rows.kept_rows()
                if _total_differs(
                    totals[r], counts["reactions"][r], counts["comments"][r], counts["shares"][r]
                )
            ]
            if mismatched:
                header = table.header[col["interactions"]]
                warnings.append(
                    f"{len(mismatched)} publication(s) dont « {header} » ne vaut pas la somme "
                    f"réactions + commentaires + partages ({lines_text(mismatched)}) : les "
                    "réactions importées sont celles de la colonne « Reactions »."
                )

        frame, rejections = rows.frame_and_rejections(PUBLICATION)
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


def _total_differs(total: int | None, *parts: int | None) -> bool:
    """True when the "Reactions, Comments and Shares" total is not the sum of its parts."""
    return total is not None and None not in parts and total != sum(parts)


def _caption(title: str | None, description: str | None) -> str | None:
    """The post text: Meta puts the caption in Title or Description depending on the type."""
    if title and description and title.strip() != description.strip():
        return f"{title}\n{description}"
    return title or description


IMPORTER = MetaPostsImporter()
