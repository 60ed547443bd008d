"""File → parsed, pseudonymised canonical frame → store: the one ingest module that calls store."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from ingest.base import ImportContext, ImportRefused, ParseResult, Rejection
from ingest.canonical import MESSAGE, REQUEST
from ingest.parsing import merged_warnings
from ingest.privacy import (
    masked_names,
    masked_text,
    masked_texts,
    pseudonyms,
    rounded_coordinates,
)
from ingest.registry import importers, parse_blocks
from metrics.sentiment import load_resources, sentiments
from store import repository

PREVIEW_ROWS = 20


@dataclass
class ImportReport:
    """What happened (or would happen, for a preview) to one file."""

    file_name: str
    sha256: str
    refused: str | None = None  # French reason when the file was refused as a whole
    format_id: str | None = None
    format_label: str | None = None
    kind: str | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    import_id: int | None = None
    previous_import_id: int | None = None
    dry_run: bool = False
    preview: pd.DataFrame | None = None

    @property
    def accepted(self) -> bool:
        """True when the file was recognised and its rows could be stored."""
        return self.refused is None

    def rejections_frame(self) -> pd.DataFrame:
        """Rejected rows as a table: ligne, motif, contenu."""
        return pd.DataFrame(
            [(r.line, r.reason, r.raw) for r in self.rejections],
            columns=["ligne", "motif", "contenu"],
        )


def enriched(frame: pd.DataFrame, kind: str, names: tuple[str, ...] = ()) -> pd.DataFrame:
    """The canonical frame with residents' identities pseudonymised, contact details, street
    numbers and the file's resident names masked in free text, and coordinates rounded.

    ``names`` are residents' names the importer read beside their ids (ParseResult.names).
    """
    frame = frame.copy()
    if kind == MESSAGE:
        resident = frame["is_staff"].fillna(False).eq(False)
        # The residents' names are masked in the texts before they become pseudonyms.
        authors = pd.concat([frame.loc[resident, "author"], pd.Series(list(names), dtype="str")])
        frame["text"] = masked_names(masked_texts(frame["text"]), authors)
        frame.loc[resident, "author"] = pseudonyms(frame.loc[resident, "author"])
        frame = with_sentiment(frame, "text")
    elif kind == REQUEST:
        frame["description"] = masked_texts(frame["description"])
        frame["latitude"] = rounded_coordinates(frame["latitude"])
        frame["longitude"] = rounded_coordinates(frame["longitude"])
        frame = with_sentiment(frame, "description")
    return frame


def with_sentiment(frame: pd.DataFrame, text_column: str) -> pd.DataFrame:
    """The frame with language, sentiment score and label of ``text_column`` (each distinct text
    scored once), as the store keeps them."""
    scores = sentiments(frame[text_column])
    frame["language"] = scores["language"].astype("str")
    frame["sentiment"] = scores["compound"].astype("Float64")
    frame["sentiment_label"] = scores["label"].astype("str")
    return frame


# Rows of a large file read, analysed and stored at a time (the importers that read each row
# on its own): PostgreSQL stores a block while the next one is read, and the typed values of
# a million rows are never all in memory at once.
IMPORT_BLOCK_ROWS = 100_000
# From this size a file's sentiment resources are loaded while it is read (smaller files are
# read in less time than the load takes; a file without texts never needs them).
_WARM_FROM_BYTES = 20 * 1024 * 1024


def import_bytes(
    engine: Engine,
    data: bytes,
    file_name: str,
    context: ImportContext,
    *,
    user: str,
    dry_run: bool = False,
    is_demo: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Import one file's bytes (or, with ``dry_run``, say what importing it would do).

    ``progress(share, stage)`` hears how far the import is, 0 to 1, with a French stage name.
    """
    step = progress or (lambda share, stage: None)
    step(0.0, "lecture du fichier")
    # The fingerprint of a large file and the sentiment resources it will need take a while:
    # both are made ahead, in threads of their own. The resources, needed by the first block's
    # texts, load at once. The fingerprint, needed only once the rows are stored (while the
    # database builds its indexes, say), is made by a thread of the lowest priority: it takes
    # the cores the reading and storing leave idle instead of slowing them.
    hashing = ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="parvis-hash", initializer=_lowest_priority
    )
    warming = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parvis-warm")
    try:
        fingerprint = hashing.submit(lambda: hashlib.sha256(data).hexdigest())
        if len(data) >= _WARM_FROM_BYTES:
            warming.submit(load_resources)
        blocks = parse_blocks(data, context, IMPORT_BLOCK_ROWS)
        try:
            first = next(blocks)
            label = {i.format_id: i.label for i in importers()}.get(first.format_id)
            return store_blocks(
                engine,
                itertools.chain([first], blocks),
                ImportReport(file_name=file_name, sha256="", dry_run=dry_run),
                context,
                format_label=label,
                user=user,
                dry_run=dry_run,
                is_demo=is_demo,
                progress=step,
                fingerprint=fingerprint.result,
            )
        except ImportRefused as refusal:
            # Refused before any row was written, or by a later block: nothing was committed.
            return ImportReport(
                file_name=file_name,
                sha256=fingerprint.result(),
                dry_run=dry_run,
                refused=str(refusal),
            )
        finally:
            blocks.close()  # a file read in parts: the parts not read yet are not wanted
    finally:
        # A warm-up still running goes on alone: what it loads is kept for the next import.
        hashing.shutdown(wait=False)
        warming.shutdown(wait=False)


def _lowest_priority() -> None:
    """Give the calling thread the lowest CPU priority (nice 19; on Linux it is the thread's
    own, not the process's). Elsewhere, or when refused, the thread keeps its priority."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def store_blocks(
    engine: Engine,
    blocks: Iterable[ParseResult],
    report: ImportReport,
    context: ImportContext,
    *,
    format_label: str | None,
    user: str,
    dry_run: bool = False,
    is_demo: bool = False,
    progress: Callable[[float, str], None] | None = None,
    fingerprint: Callable[[], str] | None = None,
) -> ImportReport:
    """Mask, enrich and store the parsed blocks of one file in one transaction
    (``repository.ImportWriter``), each block written while the next one is read: the second
    half of :func:`import_bytes`, also for a file parsed by a column mapping.

    ``fingerprint`` gives the file's sha256 when the report does not hold it yet: it is asked
    for once the rows are written, and put in the report."""
    step = progress or (lambda share, stage: None)
    blocks = iter(blocks)
    first = next(blocks)
    report.format_id = first.format_id
    report.format_label = format_label
    report.kind = first.kind
    rejections: list[Rejection] = []
    warnings: list[list[str]] = []
    with repository.ImportWriter(
        engine,
        kind=first.kind,
        format_id=first.format_id,
        file_name=report.file_name,
        sha256=fingerprint or report.sha256,
        user=user,
        timezone=context.timezone,
        is_demo=is_demo,
        dry_run=dry_run,
        expected_rows=round(first.rows_read / max(first.read_share, 1e-9)),
    ) as writer:
        for result in itertools.chain([first], blocks):
            # Rejected rows are shown and stored as text: mask residents' contact details too.
            rejections += [
                Rejection(r.line, r.reason, masked_text(r.raw)) for r in result.rejections
            ]
            warnings.append(result.warnings)
            report.rows_read += result.rows_read
            step(0.1 + 0.8 * result.read_share, "analyse et écriture")
            frame = enriched(result.frame, result.kind, result.names)
            if report.preview is None:
                report.preview = frame.head(PREVIEW_ROWS)
            writer.add(frame)
        rejections.sort(key=lambda r: r.line)
        step(0.9, "fin de l'écriture")
        outcome = writer.finish(
            rows_read=report.rows_read,
            rejections=[repository.RejectedRow(r.line, r.reason, r.raw) for r in rejections],
        )
    step(1.0, "terminé")
    report.sha256 = outcome.sha256
    report.rejections = rejections
    report.warnings = merged_warnings(warnings)
    report.inserted = outcome.inserted
    report.updated = outcome.updated
    report.unchanged = outcome.unchanged
    report.import_id = outcome.import_id
    report.previous_import_id = outcome.previous_import_id
    return report
