"""Whole-table reads of a few columns of a kind, a range of ids at a time, texts as categories."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from pandas.api.types import union_categoricals
from sqlalchemy import Engine, and_, func, select

from ingest.canonical import stored_schema
from store.models import MODEL_BY_KIND
from store.repository import read_frame

# Texts that differ from row to row (a request's number in its source): a category per row
# would cost more than the text.
UNIQUE_TEXTS = frozenset({"native_id"})
# Ids read per query: the text of a range is turned into columns before the next is read, so
# a million rows never stand as Python objects at once (a few hundred MB of strings).
CHUNK_IDS = 100_000


def table_columns(engine: Engine, kind: str, names: Sequence[str]) -> pd.DataFrame:
    """``names`` of every stored row of ``kind``, in id order, with the canonical dtypes except
    texts, which are categoricals (a category or a quartier repeats over a million rows)
    unless they are UNIQUE_TEXTS."""
    model, schema = MODEL_BY_KIND[kind], stored_schema(kind)
    parts: list[pd.DataFrame] = []
    with engine.connect() as connection:
        low, high = connection.execute(select(func.min(model.id), func.max(model.id))).one()
        if low is not None:
            for first in range(int(low), int(high) + 1, CHUNK_IDS):
                condition = and_(model.id >= first, model.id < first + CHUNK_IDS)
                parts.append(_compact(read_frame(connection, kind, names, condition), schema))
    if not parts:
        empty = read_frame_empty(kind, names)
        return _compact(empty, schema)
    columns = {}
    for name in names:
        pieces = [part[name] for part in parts]
        if isinstance(pieces[0].dtype, pd.CategoricalDtype):
            # Sorted, so that the categories do not depend on how the rows were chunked.
            merged = union_categoricals([p.array for p in pieces], sort_categories=True)
            columns[name] = pd.Series(merged)
        else:
            columns[name] = pd.concat(pieces, ignore_index=True)
    return pd.DataFrame(columns, columns=list(names))


def read_frame_empty(kind: str, names: Sequence[str]) -> pd.DataFrame:
    """A frame of ``names`` of ``kind`` with no row and the canonical dtypes."""
    schema = stored_schema(kind)
    return pd.DataFrame({name: pd.Series(dtype=schema[name]) for name in names})


def _compact(frame: pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    for name in frame.columns:
        if schema[name] == "str" and name not in UNIQUE_TEXTS:
            frame[name] = frame[name].astype("category")
    return frame
