"""Importer for a plain CSV of residents' messages (inbox tools, shared mailboxes, exports by hand).

No vendor format: the columns a collectivité can produce from any inbox tool (Hootsuite,
Agorapulse, a shared mailbox, a spreadsheet kept at the front desk), in French or English,
``;`` or ``,``. One row per message received from a resident, with the time it was answered.
Dates are day-first under French headers, month-first under English ones (never guessed from
the values); ISO 8601 (``2026-03-04 09:15``, with or without offset) is read in both.
"""

from __future__ import annotations

import hashlib

from ingest.base import ImportContext, ParseResult, Sniffed
from ingest.canonical import MESSAGE
from ingest.parsing import (
    CsvImporter,
    DateFamily,
    build_result,
    context_zone,
    header_key,
    lines_text,
    shorten,
)

HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "en-têtes français": ("Reçu le", "Répondu le", "Canal", "Texte"),
    "en-têtes anglais": ("Received at", "Replied at", "Channel", "Text"),
}

# canonical column ← header aliases (French first, then English), first found wins.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "sent_at": ("Reçu le", "Date de réception", "Received at", "Received"),
    "replied_at": ("Répondu le", "Date de réponse", "Replied at", "Replied"),
    "channel": ("Canal", "Channel"),
    "text": ("Texte", "Message", "Text"),
    "native_id": ("Identifiant", "Id", "Identifiant du message", "Message id", "ID"),
    "thread_id": (
        "Conversation",
        "Identifiant de conversation",
        "Fil",
        "Conversation id",
        "Thread id",
        "Thread",
    ),
    "author": ("Auteur", "Expéditeur", "Author", "From"),
}

FRENCH_HEADERS = {
    header_key(h) for h in ("Reçu le", "Date de réception", "Répondu le", "Date de réponse")
}
ISO = DateFamily(
    "AAAA-MM-JJ HH:MM",
    (
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S.%f%z",
    ),
)
DAY_FIRST = DateFamily(
    "JJ/MM/AAAA HH:MM", ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %Hh%M")
)
MONTH_FIRST = DateFamily(
    "MM/JJ/AAAA HH:MM",
    ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p"),
)

# Channel as written (by header key) → canonical French name, lower case.
CHANNELS: dict[str, tuple[str, ...]] = {
    "courriel": ("courriel", "email", "e-mail", "mail", "mel", "messagerie"),
    "téléphone": ("telephone", "phone", "tel", "appel", "appel telephonique", "call"),
    "facebook": ("facebook", "fb", "messenger", "facebook messenger"),
    "instagram": ("instagram", "ig"),
    "x": ("x", "twitter", "x (twitter)", "twitter / x", "x / twitter"),
    "linkedin": ("linkedin",),
    "formulaire": (
        "formulaire",
        "formulaire web",
        "formulaire en ligne",
        "formulaire de contact",
        "form",
        "web form",
        "contact form",
        "site",
        "site web",
        "site internet",
        "website",
        "web",
    ),
    "courrier": ("courrier", "courrier postal", "lettre", "letter", "postal mail", "post"),
    "accueil": (
        "accueil",
        "accueil physique",
        "guichet",
        "sur place",
        "en personne",
        "counter",
        "front desk",
        "walk-in",
        "in person",
    ),
    "sms": ("sms", "texto", "text message"),
    "whatsapp": ("whatsapp",),
}
_CHANNEL_OF = {header_key(alias): name for name, aliases in CHANNELS.items() for alias in aliases}


def channel_name(text: str) -> str:
    """The canonical French channel name of ``text``; unknown names lower-cased as written."""
    key = header_key(text)
    return _CHANNEL_OF.get(key, " ".join(text.split()).lower())


class ResidentMessagesImporter(CsvImporter):
    """Residents' messages CSV (FR or EN headers) → messages with their reply time."""

    format_id = "resident_messages"
    label = "Messages des habitants – CSV (reçu le, répondu le, canal, texte)"
    kind = MESSAGE
    header_signature = HEADER_SIGNATURE
    column_map = COLUMN_MAP

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        table, rows, col = self.mapped_table(sniffed)
        n = len(table.records)

        times = {}
        for name in ("sent_at", "replied_at"):
            french = col[name] is not None and table.keys[col[name]] in FRENCH_HEADERS
            local = DAY_FIRST if french else MONTH_FIRST
            times[name] = rows.add_datetime(
                name,
                col[name],
                [local, ISO],
                tz,
                expected=f"{local.label} ou {ISO.label}",
                required=name == "sent_at",
            )
        channels_raw = rows.add_text("channel", col["channel"], str.strip)
        rows.columns["channel"] = [channel_name(c) if c else None for c in channels_raw]
        for row, value in enumerate(channels_raw):
            if value is None:
                rows.problem(
                    row,
                    f"colonne « {rows.header_of(col['channel'])} » vide : un canal était attendu",
                )
        texts = rows.add_text("text", col["text"])
        authors = rows.add_text("author", col["author"], str.strip)
        rows.add_text("thread_id", col["thread_id"], str.strip)
        ids = rows.add_id("native_id", col["native_id"], required=False)
        sent_cells = rows.cells(col["sent_at"])
        native_ids = [
            given or _derived_id(sent_cells[r], channels_raw[r], authors[r], texts[r])
            for r, given in enumerate(ids)
        ]
        rows.columns["native_id"] = native_ids
        rows.columns["is_staff"] = [False] * n
        # The natural key is (channel, native_id): a derived id repeats only for a repeated row.
        rows.reject_duplicates(
            [f"{c}\x1f{i}" for c, i in zip(rows.columns["channel"], native_ids, strict=True)]
        )

        warnings = []
        kept = rows.kept_rows()
        early = [
            rows.line_of(r)
            for r in kept
            if times["replied_at"].iloc[r] == times["replied_at"].iloc[r]
            and times["replied_at"].iloc[r] < times["sent_at"].iloc[r]
        ]
        if early:
            warnings.append(
                f"{len(early)} message(s) dont la réponse est datée avant la réception "
                f"({lines_text(early)}) : gardés tels quels, leurs délais de réponse seront faux."
            )
        known = set(CHANNELS)
        unknown = sorted({rows.columns["channel"][r] for r in kept} - known - {None})
        if unknown:
            shown = ", ".join(f"« {shorten(u, 30)} »" for u in unknown[:8])
            warnings.append(
                f"Canal(aux) non reconnu(s), gardé(s) tel(s) quel(s) en minuscules : {shown}. "
                f"Canaux reconnus : {', '.join(sorted(known))}."
            )
        return build_result(self, table, rows, warnings)


def _derived_id(received: str, channel: str | None, author: str | None, text: str | None) -> str:
    """A stable id for a row without one: the same row re-imported gets the same id."""
    raw = "\x1f".join([received.strip(), channel or "", author or "", text or ""])
    return "msg-" + hashlib.sha256(raw.encode()).hexdigest()[:16]


IMPORTER = ResidentMessagesImporter()
