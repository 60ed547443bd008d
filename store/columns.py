"""Whole-table reads of a few columns of a kind, a range of ids at a time, texts as categories."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd
from pandas.api.types import union_categoricals
from sqlalchemy import Engine, and_, func, select

from ingest.canonical import empty_frame, stored_schema
from store.models import MODEL_BY_KIND
from store.repository import readable_columns, rows_frame

# Texts that differ from row to row (a request's number in its source): a category per row
# would cost more than the text.
UNIQUE_TEXTS = frozenset({"native_id"})
# Ids read per query: the text of a range is turned into columns before the next is read, so
# a million rows never stand as Python objects at once (a few hundred MB of strings).
CHUNK_IDS = 100_000


def table_columns(
    engine: Engine,
    kind: str,
    names: Sequence[str],
    imports: Collection[int] | None = None,
) -> pd.DataFrame:
    """``names`` of every stored row of ``kind`` (with ``imports``, of the rows those imports
    wrote last), indexed by row id in id order, with the canonical dtypes except texts, which
    are categoricals (a category or a quartier repeats over a million rows) unless they are
    UNIQUE_TEXTS."""
    model, schema = MODEL_BY_KIND[kind], stored_schema(kind)
    parts: list[pd.DataFrame] = []
    with engine.connect() as connection:
        selected = [model.id.label("id"), *readable_columns(kind, names, connection.dialect.name)]
        scope = [] if imports is None else [model.import_id.in_(sorted(imports))]
        low, high = connection.execute(
            select(func.min(model.id), func.max(model.id)).where(*scope)
        ).one()
        if low is not None:
            for first in range(int(low), int(high) + 1, CHUNK_IDS):
                condition = and_(model.id >= first, model.id < first + CHUNK_IDS, *scope)
                result = connection.execute(select(*selected).where(condition))
                parts.append(_compact(rows_frame(result, ("id", *names), kind), schema))
    if not parts:
        return _indexed(_compact(empty_frame(kind, enriched=True)[list(names)], schema))
    return _indexed(stacked(parts))


def stacked(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """``parts`` one under the other, categoricals merged into one with sorted categories (so
    that they do not depend on how the rows were chunked)."""
    columns = {}
    for name in parts[0].columns:
        pieces = [part[name] for part in parts]
        if isinstance(pieces[0].dtype, pd.CategoricalDtype):
            merged = union_categoricals([p.array for p in pieces], sort_categories=True)
            columns[name] = pd.Series(merged)
        else:
            columns[name] = pd.concat(pieces, ignore_index=True)
    return pd.DataFrame(columns, columns=list(parts[0].columns))


def _indexed(frame: pd.DataFrame) -> pd.DataFrame:
    if "id" not in frame.columns:
        frame = frame.assign(id=pd.Series(dtype="int64"))
    return frame.set_index("id")


def _compact(frame: pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    for name in frame.columns:
        if schema.get(name) == "str" and name not in UNIQUE_TEXTS:
            frame[name] = frame[name].astype("category")
    return frame
