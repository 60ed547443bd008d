"""Saved column mappings: store, find, delete, and import a file through one of them.

Mappings live in the settings table under the key ``"mappings"`` as ``{name: mapping dict}``
(see :meth:`ingest.mapping.ColumnMapping.to_dict`); every change is audited as
``settings_changed``. A file whose header has exactly the header keys a mapping was made for
is read with it again without asking (:func:`mapping_for`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import Engine

from ingest.base import ImportContext, ImportRefused, ParseResult, Sniffed
from ingest.mapping import (
    WORKBOOK_KINDS,
    ColumnMapping,
    check_mapping_name,
    header_key_set,
    parse_with_mapping,
)
from ingest.parsing import french_list, header_key, shorten
from ingest.pipeline import ImportReport, store_blocks
from ingest.registry import detect
from ingest.sniff import max_file_bytes, sniff
from services.auth import Viewer, audit
from services.imports import import_context, import_file
from store import repository

SETTING_KEY = "mappings"
MAX_MAPPINGS = 200

Progress = Callable[[float, str], None]  # (share 0 to 1, French stage), as import_bytes takes


def _stored(engine: Engine) -> dict[str, object]:
    value = repository.setting(engine, SETTING_KEY, {})
    return dict(value) if isinstance(value, dict) else {}


def saved_mappings(engine: Engine) -> dict[str, ColumnMapping]:
    """Every saved mapping by name, oldest first. A stored entry that no longer validates (its
    time zone left the tz database, a hand-edited setting) is left out rather than failing."""
    out: dict[str, ColumnMapping] = {}
    for value in _stored(engine).values():
        try:
            mapping = ColumnMapping.from_dict(value)
        except ValueError:
            continue
        out[mapping.name] = mapping
    return out


def save_mapping(engine: Engine, mapping: ColumnMapping, actor: Viewer | str) -> ColumnMapping:
    """Save ``mapping`` under its name (replacing one of the same name, whatever its case).

    ValueError with a French message for a bad name (1 to 60 letters, digits, spaces, « - »,
    « _ ») or an invalid mapping. Audited as ``settings_changed``.
    """
    if not isinstance(mapping, ColumnMapping):
        raise ValueError("Correspondance invalide : une correspondance de colonnes était attendue.")
    name = check_mapping_name(mapping.name)
    checked = ColumnMapping.from_dict({**mapping.to_dict(), "name": name})
    stored = {k: v for k, v in _stored(engine).items() if header_key(k) != header_key(name)}
    if len(stored) >= MAX_MAPPINGS:
        raise ValueError(
            f"Trop de correspondances enregistrées ({len(stored)}, limite {MAX_MAPPINGS}) : "
            "supprimez celles qui ne servent plus."
        )
    stored[name] = checked.to_dict()
    repository.save_setting(engine, SETTING_KEY, stored)
    audit(
        engine,
        actor,
        "settings_changed",
        mapping_saved=name,
        kind=checked.kind,
        source=checked.source,
        columns=dict(checked.columns),
        date_format=checked.date_format,
        timezone=checked.timezone,
    )
    return checked


def delete_mapping(engine: Engine, name: str, actor: Viewer | str) -> bool:
    """Delete the mapping ``name`` (case-insensitive); False when there is none. Audited."""
    stored = _stored(engine)
    kept = {k: v for k, v in stored.items() if header_key(k) != header_key(str(name))}
    if len(kept) == len(stored):
        return False
    repository.save_setting(engine, SETTING_KEY, kept)
    audit(engine, actor, "settings_changed", mapping_deleted=str(name)[:100])
    return True


def mapping_for(engine: Engine, data: bytes) -> ColumnMapping | None:
    """The saved mapping made for a file with this very header (the newest one wins), or None.

    Header cells compare by key (case, accents, spacing ignored), as a set: the same columns in
    another order still match; one column more or less does not.
    """
    if not data or len(data) > max_file_bytes():
        return None
    return mapping_for_sniffed(engine, sniff(data))


def mapping_for_sniffed(engine: Engine, sniffed: Sniffed) -> ColumnMapping | None:
    """:func:`mapping_for` on a file already sniffed."""
    if sniffed.kind not in ("csv", *WORKBOOK_KINDS):
        return None
    keys_by_sheet: dict[str, frozenset[str]] = {}
    for mapping in reversed(list(saved_mappings(engine).values())):
        if mapping.sheet not in keys_by_sheet:
            keys_by_sheet[mapping.sheet] = header_key_set(sniffed, mapping.sheet)
        keys = keys_by_sheet[mapping.sheet]
        if keys and keys == frozenset(mapping.header_signature):
            return mapping
    return None


def resolve_mapping(engine: Engine, mapping: str | ColumnMapping) -> ColumnMapping:
    """``mapping`` itself, or the saved mapping of that name; ValueError (French) when unknown."""
    if isinstance(mapping, ColumnMapping):
        return mapping
    saved = saved_mappings(engine)
    found = saved.get(str(mapping)) or next(
        (m for n, m in saved.items() if header_key(n) == header_key(str(mapping))), None
    )
    if found is None:
        names = french_list([f"« {n} »" for n in saved]) or "aucune"
        raise ValueError(
            f"Correspondance « {shorten(str(mapping), 60)} » inconnue. Correspondances "
            f"enregistrées : {names}."
        )
    return found


def import_parsed(
    engine: Engine,
    result: ParseResult,
    data: bytes,
    file_name: str,
    context: ImportContext,
    *,
    user: str,
    format_label: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Store an already parsed file exactly as :func:`ingest.pipeline.import_bytes` does after
    parsing: rejected rows masked, frame enriched, one ``repository.ImportWriter``
    transaction, the same progress stages."""
    report = ImportReport(
        file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run
    )
    return store_blocks(
        engine,
        [result],
        report,
        context,
        format_label=format_label,
        user=user,
        dry_run=dry_run,
        progress=progress,
    )


def import_with_mapping(
    engine: Engine,
    data: bytes,
    file_name: str,
    mapping: str | ColumnMapping,
    *,
    user: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import (or preview) one file read with ``mapping`` (a saved name or a mapping).

    Never raises for a bad file or an unknown mapping name: the report is refused, with the
    French reason. A real import is audited like :func:`services.imports.import_file`.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        chosen = resolve_mapping(engine, mapping)
    except ValueError as unknown:
        report = ImportReport(file_name=file_name, sha256=sha256, dry_run=dry_run)
        report.refused = str(unknown)
        chosen = None
    else:
        context = import_context(engine, chosen.timezone)
        if progress is not None:
            progress(0.0, "lecture du fichier")
        try:
            result = parse_with_mapping(data, chosen, context)
        except ImportRefused as refusal:
            report = ImportReport(file_name=file_name, sha256=sha256, dry_run=dry_run)
            report.refused = str(refusal)
            report.format_id, report.format_label = chosen.format_id, chosen.label
        else:
            report = import_parsed(
                engine,
                result,
                data,
                file_name,
                context,
                user=user,
                format_label=chosen.label,
                dry_run=dry_run,
                progress=progress,
            )
    if not dry_run:
        audit(
            engine,
            user,
            "import" if report.accepted else "import_refused",
            file=file_name,
            sha256=report.sha256,
            format=report.format_id,
            mapping=chosen.name if chosen else str(mapping)[:100],
            import_id=report.import_id,
            rows_read=report.rows_read,
            inserted=report.inserted,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=len(report.rejections),
        )
    return report


def recognised(data: bytes) -> bool:
    """True when exactly one registered importer recognises ``data`` (its own format wins over
    any saved mapping)."""
    if not data or len(data) > max_file_bytes():
        return False
    try:
        detect(sniff(data))
    except ImportRefused:
        return False
    return True


def import_any(
    engine: Engine,
    data: bytes,
    file_name: str,
    *,
    user: str,
    timezone: str | None = None,
    dry_run: bool = False,
    mapping: str | ColumnMapping | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """One file, whatever it is: with ``mapping`` when given; else by its own importer; else,
    when none recognises it, with the saved mapping made for its header; else refused.

    ``timezone`` applies to the registered importers only: a mapping has its own zone.
    """
    if mapping is None and not recognised(data):
        mapping = mapping_for(engine, data)
    if mapping is not None:
        return import_with_mapping(
            engine, data, file_name, mapping, user=user, dry_run=dry_run, progress=progress
        )
    return import_file(
        engine,
        data,
        file_name,
        user=user,
        timezone=timezone,
        dry_run=dry_run,
        progress=progress,
    )
