"""The importer contract: what a format module declares and what parsing a file returns."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd


class ImportRefused(Exception):
    """The file as a whole cannot be imported; ``str(exc)`` is a French message for the user.

    The message says what was found and what was expected.
    """


@dataclass(frozen=True)
class ImportContext:
    """What an importer may need beyond the bytes."""

    # IANA zone of timestamps the export gives without an offset (NYC 311, legacy Facebook…),
    # when the format itself does not fix it.
    timezone: str = "Europe/Paris"
    # Ids or names of the collectivité's own accounts: their replies are staff replies.
    our_accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejection:
    """One row the importer could not accept."""

    line: int  # 1-based line number in the file (header = line 1 for CSV); item index + 1 for JSON
    reason: str  # French, says what was found and what was expected
    raw: str = ""  # the offending row as text, shortened, for the downloadable report


@dataclass
class ParseResult:
    """The output of one importer on one file."""

    format_id: str
    kind: str  # one of ingest.canonical.KINDS
    frame: pd.DataFrame  # canonical frame (ingest.canonical.conform applied)
    rows_read: int
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # French, non-blocking
    # Residents' names the file holds beside the stored identity (an id): masked in the texts
    # by the pipeline, never stored.
    names: tuple[str, ...] = ()
    # Share of the file's rows read once this result is: below 1 for the blocks of a file read
    # a block at a time (CsvImporter.parse_blocks), except the last.
    read_share: float = 1.0


# Bytes of a file enough to sniff it and read a CSV's header (more than the samples sniff
# looks at), decoded on their own when the rest of a large UTF-8 file need not be.
HEAD_BYTES = 256 * 1024


@dataclass(frozen=True)
class Sniffed:
    """What the sniffer learned about a file before any importer looks at it."""

    kind: str  # "csv" | "json" | "xml" | "xlsx" | "xls" | "pdf" | "binary" | "empty"
    encoding: str | None = None  # for text kinds
    # Decoded text, for text kinds. With ``utf8`` and no text given, it is decoded from those
    # bytes the first time it is read: the fast CSV reader never needs it, and a 575 MB
    # export then never holds its 1 GB of text (see :attr:`has_text` and :meth:`head`).
    text: str | None = None
    separator: str | None = None  # for csv
    header_row: int | None = None  # 0-based index of the header line among the rows, for csv
    header: tuple[str, ...] = ()  # header cells as found, for csv
    json: object | None = None  # parsed document, for json
    # For a csv: the file's bytes (after any BOM) when ``text`` is exactly their UTF-8
    # decoding, so that the fast reader parses them instead of encoding the text once more.
    utf8: memoryview | None = field(default=None, repr=False, compare=False)

    @property
    def has_text(self) -> bool:
        """Whether the file is text, without decoding it."""
        return self._text is not None or self.utf8 is not None

    def head(self) -> str:
        """The whole text, or when it is not decoded yet the text of the first HEAD_BYTES of
        the file (a character the end cuts is left out), without decoding the rest."""
        if self._text is not None or self.utf8 is None:
            return self._text or ""
        if self.utf8.nbytes <= HEAD_BYTES:
            return self.text or ""
        return codecs.getincrementaldecoder("utf-8")().decode(self.utf8[:HEAD_BYTES], final=False)


def _text_of(sniffed: Sniffed) -> str | None:
    if sniffed._text is None and sniffed.utf8 is not None:
        object.__setattr__(sniffed, "_text", str(sniffed.utf8, "utf-8"))
    return sniffed._text


def _set_text(sniffed: Sniffed, text: str | None) -> None:
    object.__setattr__(sniffed, "_text", text)


# A property over the dataclass field: ``__init__`` still takes ``text`` (default None).
Sniffed.text = property(_text_of, _set_text)  # type: ignore[assignment]


class Importer(Protocol):
    """One export format. Each module in ingest/formats/ exposes one object of this shape."""

    format_id: str  # stable identifier stored with each import, e.g. "x_tweet_activity"
    label: str  # French label shown to the user
    kind: str  # canonical kind it produces

    def identify(self, sniffed: Sniffed) -> bool:
        """True when this importer recognises the file (by content, never by file name)."""
        ...

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        """Turn the sniffed file into a canonical frame plus rejected rows."""
        ...
