"""Column mappings: import any CSV or workbook no importer recognises, column by column.

A :class:`ColumnMapping` says, for one kind of records (demandes, messages, publications),
which column of the file holds each canonical column, how its dates are written (one format,
chosen by the user: never guessed from the values), in which time zone, and which source
system the rows come from. :class:`MappedImporter` applies it with the same rules as every
importer of :mod:`ingest.formats`: each row kept or rejected with its line number and a
French reason, ids kept as text, numbers read with :func:`ingest.parsing.parse_number`,
duplicate keys rejected, implausible timestamps flagged in warnings.

A mapping remembers the header keys of the file it was made for (``header_signature``), so
that a later file with the same header can use it again without being asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

import pandas as pd

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.canonical import MESSAGE, PUBLICATION, REQUEST, SCHEMAS, UTC_TS
from ingest.formats.resident_messages import channel_name
from ingest.parsing import (
    CsvTable,
    RowsBuilder,
    build_result,
    csv_records,
    date_only_warning,
    french_list,
    header_key,
    lines_text,
    parse_number,
    read_csv_table,
    refuse_duplicated_columns,
    shorten,
    table_from_rows,
    zone,
)
from ingest.sniff import header_row_of, max_file_bytes, sniff
from ingest.xlsx import Sheet, Workbook, workbook_of

# --------------------------------------------------------------------------- vocabulary

MAPPABLE_KINDS: tuple[str, ...] = (REQUEST, MESSAGE, PUBLICATION)
KIND_LABELS = {REQUEST: "demandes", MESSAGE: "messages", PUBLICATION: "publications"}

REQUIRED: dict[str, tuple[str, ...]] = {
    REQUEST: ("native_id", "created_at"),
    MESSAGE: ("native_id", "sent_at"),
    PUBLICATION: ("native_id", "published_at"),
}
# The column of the natural key filled from ``ColumnMapping.source`` (see canonical.KEYS).
SOURCE_COLUMN = {REQUEST: "source", MESSAGE: "channel", PUBLICATION: "platform"}
# Canonical columns a mapping may not fill: the request source always comes from the
# mapping; a mapped message file holds residents' messages (is_staff false).
NOT_MAPPABLE: dict[str, frozenset[str]] = {
    REQUEST: frozenset({"source"}),
    MESSAGE: frozenset({"is_staff", "is_hidden"}),
    PUBLICATION: frozenset(),
}
ID_COLUMNS = frozenset({"native_id", "thread_id", "post_id", "parent_id"})
FREE_TEXT = frozenset({"description", "text"})  # kept as written (not stripped)
COORDINATES = {"latitude": 90.0, "longitude": 180.0}
# The date a record is "from", and the dates that should come after it.
START_DATE = {REQUEST: "created_at", MESSAGE: "sent_at", PUBLICATION: "published_at"}
LATER_DATES: dict[str, tuple[str, ...]] = {
    REQUEST: ("acknowledged_at", "first_response_at", "closed_at"),
    MESSAGE: ("replied_at",),
    PUBLICATION: (),
}
ROW_WORDS = {REQUEST: "demande(s)", MESSAGE: "message(s)", PUBLICATION: "publication(s)"}
NOT_IN_FUTURE_EXEMPT = frozenset({"due_at"})  # a deadline may well be ahead
EARLIEST_PLAUSIBLE = pd.Timestamp("2000-01-01", tz="UTC")

# French names of the canonical columns, for messages and the editor.
COLUMN_LABELS: dict[str, str] = {
    "native_id": "identifiant",
    "created_at": "date de création",
    "acknowledged_at": "date d'accusé de réception",
    "first_response_at": "date de première réponse",
    "closed_at": "date de clôture",
    "due_at": "date d'échéance",
    "status": "statut",
    "category": "catégorie",
    "subcategory": "sous-catégorie",
    "district": "quartier",
    "channel": "canal",
    "service": "service",
    "description": "description",
    "latitude": "latitude",
    "longitude": "longitude",
    "thread_id": "identifiant de conversation",
    "post_id": "identifiant de la publication",
    "parent_id": "identifiant du message parent",
    "sent_at": "date de réception",
    "author": "auteur",
    "text": "texte",
    "replied_at": "date de réponse",
    "platform": "réseau",
    "account": "compte",
    "published_at": "date de publication",
    "post_type": "type de publication",
    "permalink": "lien",
    "reach": "portée",
    "impressions": "impressions ou vues",
    "reactions": "réactions",
    "comments": "commentaires",
    "shares": "partages",
    "saves": "enregistrements",
    "clicks": "clics",
    "video_views": "vues de vidéos",
}

NAME_MAX = 60
SOURCE_MAX = 60
SHEET_MAX = 100
PREVIEW_ROWS = 10


def mappable_columns(kind: str) -> list[str]:
    """The canonical columns of ``kind`` a mapping may fill, in canonical order."""
    return [c for c in SCHEMAS[kind] if c not in NOT_MAPPABLE[kind]]


def column_label(column: str) -> str:
    """« date de création (created_at) »."""
    return f"{COLUMN_LABELS.get(column, column)} ({column})"


# --------------------------------------------------------------------------- date formats


@dataclass(frozen=True)
class DateFormat:
    """One way of writing dates the user can choose: its stored code, French label, example,
    and the strptime variants read with it (with or without seconds, never another order)."""

    code: str
    label: str
    example: str
    formats: tuple[str, ...]
    date_only: bool = False


_FORMAT_LIST = (
    DateFormat(
        "%d/%m/%Y %H:%M",
        "JJ/MM/AAAA HH:MM",
        "04/03/2026 14:30",
        ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"),
    ),
    DateFormat("%d/%m/%Y %Hh%M", "JJ/MM/AAAA HHhMM", "04/03/2026 14h30", ("%d/%m/%Y %Hh%M",)),
    DateFormat("%d/%m/%Y", "JJ/MM/AAAA (jour seul)", "04/03/2026", ("%d/%m/%Y",), True),
    DateFormat(
        "%d-%m-%Y %H:%M",
        "JJ-MM-AAAA HH:MM",
        "04-03-2026 14:30",
        ("%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S"),
    ),
    DateFormat(
        "%Y-%m-%d %H:%M:%S",
        "AAAA-MM-JJ HH:MM:SS",
        "2026-03-04 14:30:00",
        (
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S.%f",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S.%f",
        ),
    ),
    DateFormat("%Y-%m-%d", "AAAA-MM-JJ (jour seul)", "2026-03-04", ("%Y-%m-%d",), True),
    DateFormat(
        "%Y-%m-%dT%H:%M:%S%z",
        "ISO 8601 avec décalage (AAAA-MM-JJTHH:MM:SS+01:00)",
        "2026-03-04T14:30:00+01:00",
        (
            "%Y-%m-%dT%H:%M:%S%z",
            "%Y-%m-%dT%H:%M:%S.%f%z",
            "%Y-%m-%dT%H:%M%z",
            "%Y-%m-%d %H:%M:%S%z",
            "%Y-%m-%d %H:%M:%S.%f%z",
        ),
    ),
    DateFormat(
        "%m/%d/%Y %I:%M %p",
        "MM/JJ/AAAA hh:mm AM/PM",
        "03/04/2026 02:30 PM",
        ("%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p"),
    ),
    DateFormat(
        "%m/%d/%Y %H:%M",
        "MM/JJ/AAAA HH:MM",
        "03/04/2026 14:30",
        ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"),
    ),
    DateFormat("%m/%d/%Y", "MM/JJ/AAAA (jour seul)", "03/04/2026", ("%m/%d/%Y",), True),
)
DATE_FORMATS: dict[str, DateFormat] = {f.code: f for f in _FORMAT_LIST}
DEFAULT_DATE_FORMAT = "%d/%m/%Y %H:%M"
# A workbook's real date cells reach importers as ISO text (ingest.xlsx.cell_text): read in
# any mapping, they are dates, not text to interpret.
WORKBOOK_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d")


def suggested_date_format(values: Sequence[str]) -> str:
    """The first supported format (French ones first) reading every non-empty sample value.

    Only a pre-filled choice for the editor: the user confirms it and sees the preview;
    parsing itself never tries another format than the mapping's.
    """
    from ingest.parsing import parse_datetimes

    sample = [v for v in values if v and str(v).strip()][:50]
    if not sample:
        return DEFAULT_DATE_FORMAT
    for spec in _FORMAT_LIST:
        _, bad = parse_datetimes(sample, list(spec.formats), "UTC")
        if not bad:
            return spec.code
    return DEFAULT_DATE_FORMAT


# --------------------------------------------------------------------------- the mapping

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_mapping_name(name: object) -> str:
    """``name`` stripped, or ValueError: 1 to 60 letters, digits, spaces, « - » or « _ »."""
    if not isinstance(name, str):
        raise ValueError("Nom de correspondance invalide : un texte était attendu.")
    # Only the plain space counts as a space: a tab or a line break is refused, not folded.
    clean = " ".join(part for part in name.split(" ") if part)
    allowed = all(ch.isalpha() or ch.isdecimal() or ch in " -_" for ch in clean)
    if not clean or len(clean) > NAME_MAX or not allowed:
        raise ValueError(
            f"Nom de correspondance refusé : « {shorten(name, 40)} ». Utilisez de 1 à {NAME_MAX} "
            "caractères : lettres, chiffres, espaces, tirets (-) ou soulignés (_)."
        )
    return clean


def check_source(source: object, kind: str) -> str:
    """The source system name, stripped; ValueError when empty, too long or with controls."""
    what = {REQUEST: "système source", MESSAGE: "canal", PUBLICATION: "réseau"}[kind]
    if not isinstance(source, str) or not source.strip():
        raise ValueError(
            f"Nom du {what} obligatoire : il identifie la provenance des {KIND_LABELS[kind]} "
            "(par exemple « grc », « courriel », « facebook »)."
        )
    clean = " ".join(source.split())
    if len(clean) > SOURCE_MAX or _CONTROL.search(source.replace("\t", " ")):
        raise ValueError(
            f"Nom du {what} refusé : « {shorten(source, 40)} » ({SOURCE_MAX} caractères au plus, "
            "sans caractère de contrôle)."
        )
    return clean


@dataclass(frozen=True)
class ColumnMapping:
    """How to read one family of files: canonical column → header of the file, and the rest.

    Built only valid: the constructor (and :meth:`from_dict`) raise ValueError with a French
    message for an unknown kind or canonical column, a missing required column, an
    unsupported date format, an unknown time zone, a bad name or source.
    """

    name: str
    kind: str
    columns: dict[str, str] = field(hash=False)
    date_format: str = DEFAULT_DATE_FORMAT
    timezone: str = "Europe/Paris"
    source: str = ""
    header_signature: tuple[str, ...] = ()
    sheet: str = ""  # workbooks: the sheet to read ("" = the first one with rows)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "name", check_mapping_name(self.name))
        if self.kind not in MAPPABLE_KINDS:
            raise ValueError(
                f"Type de données inconnu : « {shorten(str(self.kind), 40)} » (attendu : "
                f"{', '.join(f'{k} ({KIND_LABELS[k]})' for k in MAPPABLE_KINDS)})."
            )
        if not isinstance(self.columns, Mapping):
            raise ValueError(
                "Colonnes de la correspondance illisibles : un dictionnaire était attendu."
            )
        allowed = mappable_columns(self.kind)
        columns: dict[str, str] = {}
        for canonical, header in self.columns.items():
            if header is None or (isinstance(header, str) and not header.strip()):
                continue  # "— aucune —"
            if canonical not in allowed:
                raise ValueError(
                    f"Colonne inconnue pour des {KIND_LABELS[self.kind]} : "
                    f"« {shorten(str(canonical), 40)} ». Colonnes possibles : {', '.join(allowed)}."
                )
            if not isinstance(header, str):
                raise ValueError(
                    f"Colonne du fichier illisible pour « {canonical} » : un texte était attendu."
                )
            columns[canonical] = header.strip()
        set_(self, "columns", {c: columns[c] for c in allowed if c in columns})
        missing = [c for c in REQUIRED[self.kind] if c not in columns]
        if missing:
            raise ValueError(
                f"Colonnes obligatoires non associées pour des {KIND_LABELS[self.kind]} : "
                f"{french_list([column_label(c) for c in missing])}. Choisissez la colonne du "
                "fichier qui les contient."
            )
        if self.date_format not in DATE_FORMATS:
            shown = ", ".join(f.label for f in _FORMAT_LIST)
            raise ValueError(
                f"Format de date non pris en charge : « {shorten(str(self.date_format), 40)} ». "
                f"Formats possibles : {shown}."
            )
        zone(self.timezone)  # ValueError « Fuseau horaire inconnu … »
        set_(self, "source", check_source(self.source, self.kind))
        signature = self.header_signature
        if isinstance(signature, str) or not all(isinstance(h, str) for h in signature):
            raise ValueError(
                "En-tête de référence illisible : une liste de colonnes était attendue."
            )
        set_(self, "header_signature", tuple(header_key(h) for h in signature if header_key(h)))
        if self.header_signature:
            absent = [
                h for h in self.columns.values() if header_key(h) not in self.header_signature
            ]
            if absent:
                raise ValueError(
                    "Colonnes associées absentes de l'en-tête du fichier : "
                    f"{french_list([f'« {shorten(h, 40)} »' for h in absent])}."
                )
        if not isinstance(self.sheet, str) or len(self.sheet) > SHEET_MAX:
            raise ValueError(f"Nom de feuille invalide ({SHEET_MAX} caractères au plus).")

    @property
    def format_id(self) -> str:
        return f"mapping:{self.name}"

    @property
    def label(self) -> str:
        return f"Correspondance « {self.name} »"

    @property
    def date(self) -> DateFormat:
        return DATE_FORMATS[self.date_format]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, as stored in the settings (see :meth:`from_dict`)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "columns": dict(self.columns),
            "date_format": self.date_format,
            "timezone": self.timezone,
            "source": self.source,
            "header_signature": list(self.header_signature),
            "sheet": self.sheet,
        }

    @classmethod
    def from_dict(cls, data: object) -> ColumnMapping:
        """The mapping stored as ``data``; ValueError (French) when anything is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError("Correspondance illisible : un objet était attendu.")
        missing = [k for k in ("name", "kind", "columns") if k not in data]
        if missing:
            raise ValueError(
                f"Correspondance incomplète : champ(s) {french_list(missing)} manquant(s)."
            )
        signature = data.get("header_signature") or ()
        if isinstance(signature, str) or not isinstance(signature, Sequence):
            raise ValueError(
                "En-tête de référence illisible : une liste de colonnes était attendue."
            )
        return cls(
            name=data["name"],
            kind=data["kind"],
            columns=data["columns"],
            date_format=data.get("date_format", DEFAULT_DATE_FORMAT),
            timezone=data.get("timezone", "Europe/Paris"),
            source=data.get("source", ""),
            header_signature=tuple(signature),
            sheet=data.get("sheet", "") or "",
        )


# --------------------------------------------------------------------------- suggestions

_STOP_WORDS = frozenset(
    {"de", "du", "des", "la", "le", "les", "d", "l", "a", "au", "en", "par", "of", "the", "by"}
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# canonical column ← header words, per kind. A phrase matches when its words appear in a row
# in the header's words (accents, case and punctuation ignored); the phrase covering most of
# the header wins. Generic words (« date », « id ») get a lower weight.
_GENERIC = 0.5
SUGGESTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    REQUEST: {
        "native_id": (
            "identifiant", "id", "numero", "num", "n", "no", "reference", "ref", "ticket",
            "dossier", "key", "unique key", "number", "request id",
        ),
        "created_at": (
            "date creation", "creation", "cree", "cree le", "created", "created date",
            "created at", "date demande", "date saisie", "saisie", "ouverture", "opened",
            "date depot", "depot", "submitted", "reported", "signalement", "date signalement",
        ),
        "acknowledged_at": (
            "accuse reception", "acknowledged", "prise en compte", "prise en charge", "accuse",
        ),
        "first_response_at": (
            "premiere reponse", "first response", "reponse", "repondu", "responded",
        ),
        "closed_at": (
            "cloture", "date cloture", "clos", "closed", "closed date", "resolution", "resolu",
            "fermeture", "date fin", "fin", "termine", "resolved",
        ),
        "due_at": ("echeance", "due", "due date", "date limite", "deadline", "delai"),
        "status": ("statut", "etat", "status", "state"),
        "category": (
            "categorie", "category", "type", "motif", "nature", "theme", "thematique",
            "complaint type", "famille", "rubrique",
        ),
        "subcategory": (
            "sous categorie", "subcategory", "sub category", "sous type", "soustype",
            "descriptor", "sous theme", "sous motif", "sous rubrique",
        ),
        "district": (
            "quartier", "district", "secteur", "arrondissement", "borough", "ward", "iris",
            "conseil quartier", "zone",
        ),
        "channel": ("canal", "channel", "source", "origine", "mode saisie", "via", "media"),
        "service": (
            "service", "direction", "agency", "departement", "department", "pole",
            "affecte", "assigned", "intervenant", "service en charge",
        ),
        "description": (
            "description", "objet", "message", "commentaire", "libelle", "texte", "details",
            "subject", "comment", "demande",
        ),
        "latitude": ("latitude", "lat"),
        "longitude": ("longitude", "lon", "lng", "long"),
    },
    MESSAGE: {
        "native_id": ("identifiant", "id", "message id", "numero", "reference", "ref", "n"),
        "thread_id": ("conversation", "fil", "thread", "discussion", "conversation id"),
        "post_id": ("publication", "post", "post id"),
        "parent_id": ("parent", "parent id", "en reponse"),
        "sent_at": (
            "recu", "date creation", "creation", "date reception", "reception", "envoye",
            "sent", "received", "date envoi", "created", "cree",
        ),
        "author": ("auteur", "expediteur", "author", "from", "de la part", "nom", "emetteur"),
        "text": ("texte", "message", "text", "contenu", "body", "commentaire", "corps", "objet"),
        "replied_at": ("repondu", "date reponse", "reponse", "replied", "answered"),
        "channel": ("canal", "channel", "source", "origine", "media"),
    },
    PUBLICATION: {
        "platform": ("reseau", "plateforme", "platform", "network", "reseau social"),
        "native_id": ("identifiant", "id", "post id", "numero", "reference", "n"),
        "account": ("compte", "page", "account", "nom page", "page name"),
        "published_at": (
            "publie", "date publication", "publication", "published", "publish time", "posted",
            "created", "date creation", "creation",
        ),
        "text": ("texte", "message", "text", "contenu", "titre", "title", "legende", "caption"),
        "post_type": ("type", "type publication", "post type", "format"),
        "permalink": ("lien", "url", "permalien", "permalink", "link"),
        "reach": ("portee", "couverture", "reach"),
        "impressions": ("impressions", "vues", "views", "affichages"),
        "reactions": ("reactions", "j aime", "likes", "mentions j aime"),
        "comments": ("commentaires", "comments"),
        "shares": ("partages", "shares", "retweets", "reposts"),
        "saves": ("enregistrements", "saves"),
        "clicks": ("clics", "clicks", "total clics", "total clicks"),
        "video_views": ("vues video", "video views", "lectures video"),
    },
}  # fmt: skip
_GENERIC_WORDS = frozenset({"date", "id", "n", "no", "num", "type", "fin", "source", "nom", "page"})
# "date" alone only ever suggests the record's own date.
_DATE_ALONE = {REQUEST: "created_at", MESSAGE: "sent_at", PUBLICATION: "published_at"}
SUGGESTION_THRESHOLD = 0.3
_ID_WORDS = frozenset({"id", "n", "no", "num", "numero", "identifiant", "ref", "reference"})
_ID_FLOOR = 0.4


def _words(text: str) -> list[str]:
    spaced = _CAMEL.sub(" ", str(text))
    return [w for w in re.split(r"[^0-9a-z]+", header_key(spaced)) if w and w not in _STOP_WORDS]


def _same_word(found: str, wanted: str) -> bool:
    """« clôturée » is « clôture », « créée » is « créé »: a word of 4 letters or more also
    matches the words it starts (French agreement, English plurals)."""
    return found == wanted or (len(wanted) >= 4 and found.startswith(wanted))


def _matched_length(words: list[str], phrase: list[str]) -> int:
    """Letters of ``words`` covered by ``phrase`` appearing in a row (0 when it does not)."""
    size = len(phrase)
    for start in range(len(words) - size + 1):
        window = words[start : start + size]
        if all(_same_word(w, p) for w, p in zip(window, phrase, strict=True)):
            return sum(map(len, window))
    return 0


def _score(words: list[str], phrase: str) -> float:
    tokens = [w for w in phrase.split() if w not in _STOP_WORDS]
    if not tokens or not words:
        return 0.0
    matched = _matched_length(words, tokens)
    if not matched:
        return 0.0
    coverage = matched / sum(map(len, words))
    weight = _GENERIC if len(tokens) == 1 and tokens[0] in _GENERIC_WORDS else 1.0
    return coverage * weight + (0.01 * len(tokens))


def suggested_mapping(header: Sequence[str], kind: str) -> dict[str, str]:
    """canonical column → header cell, guessed from French / English header words.

    Accent-, case- and punctuation-insensitive; each header cell and each canonical column is
    used at most once, the best-covered pairs first. Only a pre-filled choice for the editor.
    """
    table = SUGGESTIONS.get(kind, {})
    scored: list[tuple[float, int, str, str]] = []
    for position, cell in enumerate(header):
        words = _words(cell)
        if not words:
            continue
        for order, (column, phrases) in enumerate(table.items()):
            best = max((_score(words, p) for p in phrases), default=0.0)
            if words == ["date"] and column == _DATE_ALONE[kind]:
                best = max(best, _GENERIC)
            if column == "native_id" and {words[0], words[-1]} & _ID_WORDS:
                best = max(best, _ID_FLOOR)  # « ID demande », « N° de dossier »
            if best >= SUGGESTION_THRESHOLD:
                scored.append((best, -position * 100 - order, column, cell))
    scored.sort(reverse=True)
    out: dict[str, str] = {}
    used: set[str] = set()
    for _score_value, _order, column, cell in scored:
        if column in out or header_key(cell) in used:
            continue
        out[column] = cell
        used.add(header_key(cell))
    return {c: out[c] for c in mappable_columns(kind) if c in out}


# --------------------------------------------------------------------------- the file's table

WORKBOOK_KINDS = ("xlsx", "xls")


@dataclass
class SourcePreview:
    """What the editor shows of a file: its sheets, header and first rows (as text)."""

    header: tuple[str, ...]
    rows: list[list[str]]
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""


def _workbook(sniffed: Sniffed) -> Workbook | None:
    if sniffed.kind not in WORKBOOK_KINDS:
        return None
    return workbook_of(sniffed)


def _sheet(workbook: Workbook, name: str) -> Sheet:
    """The sheet ``name`` (by exact name, then by header key), or the first one with rows."""
    if name:
        for sheet in workbook.sheets:
            if sheet.name == name:
                return sheet
        for sheet in workbook.sheets:
            if header_key(sheet.name) == header_key(name):
                return sheet
        raise ImportRefused(
            f"Feuille « {shorten(name, 40)} » introuvable dans le classeur "
            f"({workbook.described()})."
        )
    for sheet in workbook.sheets:
        if sheet.rows:
            return sheet
    raise ImportRefused(f"Le classeur ne contient aucune ligne ({workbook.described()}).")


def _trimmed(cells: Sequence[str]) -> list[str]:
    cells = list(cells)
    while cells and not str(cells[-1]).strip():
        cells.pop()
    return cells


def _sheet_header_position(rows: Sequence[tuple[int, list[str]]]) -> int | None:
    """Position of the header row among the first rows of a sheet (same test as for a CSV)."""
    sample = [_trimmed(cells) for _, cells in rows[:30]]
    if not sample:
        return None
    width = max(len(cells) for cells in sample)
    return header_row_of([cells + [""] * (width - len(cells)) for cells in sample])


def _sheet_table_rows(sniffed: Sniffed, sheet_name: str) -> tuple[Sheet, list, int]:
    workbook = _workbook(sniffed)
    assert workbook is not None
    sheet = _sheet(workbook, sheet_name)
    rows = sheet.text_rows()
    position = _sheet_header_position(rows)
    if position is None:
        raise ImportRefused(
            f"Aucune ligne d'en-tête reconnue en haut de la feuille « {shorten(sheet.name, 40)} » "
            "(une ligne de titres de colonnes était attendue)."
        )
    return sheet, rows, position


def source_header(sniffed: Sniffed, sheet: str = "") -> tuple[str, ...]:
    """The header cells of a CSV, or of a workbook's sheet; ImportRefused when there is none."""
    if sniffed.kind == "csv":
        if not sniffed.header:
            raise ImportRefused(
                "Aucune ligne d'en-tête reconnue dans les premières lignes du fichier : une ligne "
                "de titres de colonnes est nécessaire pour associer les colonnes."
            )
        return tuple(sniffed.header)
    if sniffed.kind in WORKBOOK_KINDS:
        _sheet_found, rows, position = _sheet_table_rows(sniffed, sheet)
        return tuple(str(c).strip() for c in _trimmed(rows[position][1]))
    raise ImportRefused(_not_tabular(sniffed))


def _not_tabular(sniffed: Sniffed) -> str:
    return (
        "Une correspondance de colonnes s'applique à un fichier CSV ou à un classeur Excel "
        f"(.xlsx, .xls) ; ce fichier est de type « {sniffed.kind} »."
    )


def header_key_set(sniffed: Sniffed, sheet: str = "") -> frozenset[str]:
    """The header keys of a CSV or of a workbook's sheet (empty when it has no header).

    Two files with the same set are read by the same mapping; column order does not matter.
    """
    try:
        header = source_header(sniffed, sheet)
    except ImportRefused:
        return frozenset()
    return frozenset(k for k in (header_key(h) for h in header) if k)


def is_mappable(data: bytes) -> bool:
    """True when ``data`` is a CSV or workbook with a header row (and within the size limit)."""
    if not data or len(data) > max_file_bytes():
        return False
    return bool(header_key_set(sniff(data)))


def source_preview(sniffed: Sniffed, sheet: str = "", limit: int = PREVIEW_ROWS) -> SourcePreview:
    """The header and first ``limit`` data rows of a CSV or a workbook sheet, as text.

    ImportRefused when the file is not tabular, has no header or cannot be read.
    """
    header = source_header(sniffed, sheet)
    width = len(header)
    if sniffed.kind == "csv":
        records = csv_records(sniffed.text or "", sniffed.separator or ",")
        first = islice(
            records, (sniffed.header_row or 0) + 1, (sniffed.header_row or 0) + 1 + limit
        )
        rows = [list(r.cells) for r in first]
        return SourcePreview(header, [_fit(r, width) for r in rows])
    workbook = _workbook(sniffed)
    assert workbook is not None
    found, table_rows, position = _sheet_table_rows(sniffed, sheet)
    rows = [cells for _, cells in table_rows[position + 1 : position + 1 + limit]]
    names = [s.name for s in workbook.sheets]
    return SourcePreview(header, [_fit(r, width) for r in rows], names, found.name)


def _fit(cells: Sequence[str], width: int) -> list[str]:
    cells = [str(c) for c in cells[:width]]
    return cells + [""] * (width - len(cells))


def sheet_names(sniffed: Sniffed) -> list[str]:
    """The sheet names of a workbook upload ([] for a CSV or an unreadable workbook)."""
    try:
        workbook = _workbook(sniffed)
    except ImportRefused:
        return []
    return [] if workbook is None else [s.name for s in workbook.sheets]


def _mapped_table(sniffed: Sniffed, mapping: ColumnMapping) -> CsvTable:
    """The file's rows, mapped columns only; refused when a mapped column is missing."""
    header = source_header(sniffed, mapping.sheet)
    wanted = {column: (title,) for column, title in mapping.columns.items()}
    keys = {header_key(h) for h in header}
    absent = [
        title for title in dict.fromkeys(mapping.columns.values()) if header_key(title) not in keys
    ]
    if absent:
        shown = ", ".join(shorten(h, 40) or "(vide)" for h in header[:15])
        more = f"… (+{len(header) - 15})" if len(header) > 15 else ""
        raise ImportRefused(
            f"{mapping.label} : colonne(s) "
            f"{french_list([f'« {shorten(a, 40)} »' for a in absent])} "
            f"absente(s) du fichier. Colonnes trouvées : {shown}{more}. Corrigez la "
            "correspondance ou choisissez-en une autre."
        )
    refuse_duplicated_columns(header, wanted)
    if sniffed.kind == "csv":
        return read_csv_table(sniffed, wanted.values())
    _sheet_found, rows, position = _sheet_table_rows(sniffed, mapping.sheet)
    return table_from_rows(rows, position, wanted.values())


# --------------------------------------------------------------------------- the importer


class MappedImporter:
    """A saved (or edited) :class:`ColumnMapping` as an importer (``ingest.base.Importer``)."""

    input_kind = "csv"

    def __init__(self, mapping: ColumnMapping) -> None:
        self.mapping = mapping
        self.format_id = mapping.format_id
        self.label = mapping.label
        self.kind = mapping.kind

    def identify(self, sniffed: Sniffed) -> bool:
        """True when the file's header has exactly the keys of the mapping's reference header."""
        signature = frozenset(self.mapping.header_signature)
        return bool(signature) and header_key_set(sniffed, self.mapping.sheet) == signature

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        """Read the file with the mapping; the mapping's time zone applies, not the context's."""
        mapping = self.mapping
        if sniffed.kind not in ("csv", *WORKBOOK_KINDS):
            raise ImportRefused(_not_tabular(sniffed))
        tz = zone(mapping.timezone)
        table = _mapped_table(sniffed, mapping)
        rows = RowsBuilder(table)
        col = {name: table.column([title]) for name, title in mapping.columns.items()}
        schema = SCHEMAS[mapping.kind]
        spec = mapping.date
        formats = list(spec.formats)
        expected = f"{spec.label}, par exemple {spec.example}"
        if sniffed.kind in WORKBOOK_KINDS:
            formats += [f for f in WORKBOOK_DATE_FORMATS if f not in formats]
            expected += ", ou une cellule date d'Excel"
        n = len(table.records)

        dates: dict[str, pd.Series] = {}
        for name, index in col.items():
            dtype = schema[name]
            if dtype == UTC_TS:
                dates[name] = rows.add_datetime(
                    name,
                    index,
                    formats,
                    tz,
                    expected=expected,
                    required=name in REQUIRED[mapping.kind],
                )
            elif name in ID_COLUMNS:
                rows.add_id(name, index, required=name == "native_id")
            elif dtype == "Int64":
                rows.add_count(name, index)
            elif name in COORDINATES:
                _add_coordinate(rows, name, index)
            elif name in FREE_TEXT:
                rows.add_text(name, index)
            else:
                rows.add_text(name, index, str.strip)

        key_column = SOURCE_COLUMN[mapping.kind]
        rows.columns[key_column] = _source_values(mapping, rows.columns.get(key_column), n)
        if mapping.kind == MESSAGE:
            rows.columns["is_staff"] = [False] * n
        native_ids = rows.columns["native_id"]
        rows.reject_duplicates(
            [
                None if i is None else f"{s}\x1f{i}"
                for s, i in zip(rows.columns[key_column], native_ids, strict=True)
            ]
        )

        warnings = _implausible_dates(rows, mapping, col, dates)
        start = START_DATE[mapping.kind]
        if spec.date_only:
            lines = [rows.line_of(r) for r in rows.kept_rows() if pd.notna(dates[start].iloc[r])]
            if lines:
                warnings.append(date_only_warning(rows.header_of(col[start]), lines, str(tz)))
        if mapping.header_signature:
            found = header_key_set(sniffed, mapping.sheet)
            extra = sorted(found - set(mapping.header_signature))
            gone = sorted(set(mapping.header_signature) - found)
            if extra or gone:
                parts = []
                if extra:
                    parts.append(
                        f"colonnes en plus : {', '.join(shorten(h, 30) for h in extra[:8])}"
                    )
                if gone:
                    parts.append(f"en moins : {', '.join(shorten(h, 30) for h in gone[:8])}")
                warnings.append(
                    f"L'en-tête du fichier diffère de celui pour lequel la correspondance "
                    f"« {mapping.name} » "
                    f"a été faite ({' ; '.join(parts)}) : vérifiez l'aperçu avant de confirmer."
                )
        return build_result(self, table, rows, warnings)


def _source_values(mapping: ColumnMapping, mapped: list | None, n: int) -> list[str]:
    """The key column filled from the mapping's source (or from the file, where mapped)."""
    if mapping.kind == MESSAGE:
        default = channel_name(mapping.source)
        return [channel_name(v) if v else default for v in (mapped or [None] * n)]
    if mapping.kind == PUBLICATION:
        default = mapping.source.lower()
        return [" ".join(v.split()).lower() if v else default for v in (mapped or [None] * n)]
    return [mapping.source] * n


def _add_coordinate(rows: RowsBuilder, name: str, index: int | None) -> None:
    """Latitude or longitude in degrees: a comma is always a decimal mark there (no thousands)."""
    header = rows.header_of(index)
    limit = COORDINATES[name]
    out: list[float | None] = []
    for row, cell in enumerate(rows.cells(index)):
        text = cell.strip()
        decimal = "," if "," in text and "." not in text else "."
        try:
            value = parse_number(text, decimal=decimal)
        except ValueError as exc:
            rows.problem(row, f"colonne « {header} » : {exc} (attendu un nombre décimal)")
            value = None
        if value is not None and not -limit <= value <= limit:
            rows.problem(
                row,
                f"colonne « {header} » : {COLUMN_LABELS[name]} « {shorten(cell, 20)} » hors de "
                f"[-{limit:g}, {limit:g}] (attendu des degrés décimaux)",
            )
            value = None
        out.append(value)
    rows.columns[name] = out


def _implausible_dates(
    rows: RowsBuilder,
    mapping: ColumnMapping,
    col: dict[str, int | None],
    dates: dict[str, pd.Series],
) -> list[str]:
    """Warnings (kept rows only) for dates before the record's own date, in the future or before
    2000: the rows are kept, the delays computed on them will be wrong."""
    kept = rows.kept_rows()
    if not kept:
        return []
    what = ROW_WORDS[mapping.kind]
    now = pd.Timestamp.now(tz="UTC")
    start_name = START_DATE[mapping.kind]
    start = dates[start_name].iloc[kept].reset_index(drop=True)
    checks: list[tuple[pd.Series, str]] = []
    for name in LATER_DATES[mapping.kind]:
        if name in dates:
            later = dates[name].iloc[kept].reset_index(drop=True)
            checks.append(
                (
                    later < start,
                    f"{what} dont la colonne « {rows.header_of(col[name])} » "
                    f"({COLUMN_LABELS[name]}) "
                    f"est antérieure à « {rows.header_of(col[start_name])} »",
                )
            )
    future = pd.Series(False, index=range(len(kept)))
    ancient = pd.Series(False, index=range(len(kept)))
    for name, values in dates.items():
        values = values.iloc[kept].reset_index(drop=True)
        if name not in NOT_IN_FUTURE_EXEMPT:
            future |= (values > now).fillna(False)
        ancient |= (values < EARLIEST_PLAUSIBLE).fillna(False)
    checks += [
        (future, f"{what} avec une date dans le futur"),
        (ancient, f"{what} avec une date antérieure à 2000"),
    ]
    warnings = []
    for mask, text in checks:
        flags = mask.fillna(False).to_numpy(dtype=bool)
        lines = [rows.line_of(kept[i]) for i, flagged in enumerate(flags) if flagged]
        if lines:
            warnings.append(
                f"{len(lines)} {text} ({lines_text(lines)}) : lignes gardées telles quelles, les "
                "délais calculés sur ces lignes seront faux."
            )
    return warnings


def parse_with_mapping(
    data: bytes, mapping: ColumnMapping, context: ImportContext | None = None
) -> ParseResult:
    """Check the size, sniff and parse ``data`` with ``mapping`` (ImportRefused in French)."""
    limit = max_file_bytes()
    if len(data) > limit:
        from ingest.registry import size_refusal

        raise ImportRefused(size_refusal(len(data), limit))
    sniffed = sniff(data)
    return MappedImporter(mapping).parse(
        sniffed, context or ImportContext(timezone=mapping.timezone)
    )


def mapping_header_signature(sniffed: Sniffed, sheet: str = "") -> tuple[str, ...]:
    """The header keys of the file, in file order, as a new mapping's ``header_signature``."""
    try:
        header = source_header(sniffed, sheet)
    except ImportRefused:
        return ()
    return tuple(dict.fromkeys(k for k in (header_key(h) for h in header) if k))


__all__ = [
    "DATE_FORMATS",
    "ColumnMapping",
    "DateFormat",
    "MappedImporter",
    "SourcePreview",
    "check_mapping_name",
    "header_key_set",
    "is_mappable",
    "mappable_columns",
    "mapping_header_signature",
    "parse_with_mapping",
    "sheet_names",
    "source_header",
    "source_preview",
    "suggested_date_format",
    "suggested_mapping",
]
