"""Stored sentiment scores read and rewritten in place, when the analyzer has changed."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine, bindparam, select, update

from store.models import Message, ServiceRequest

# kind → (model, column of the scored text)
SCORED = {"message": (Message, "text"), "request": (ServiceRequest, "description")}
SCORE_COLUMNS = ("language", "sentiment", "sentiment_label")
# Rows read and rewritten at a time: bounded memory whatever the size of the table.
BATCH = 50_000


def rescored_rows(
    engine: Engine,
    kind: str,
    scores: Callable[[pd.Series], pd.DataFrame],
) -> tuple[int, int]:
    """Score again the text of every stored row of ``kind`` with ``scores`` (a text column →
    language, sentiment, sentiment_label, same index) and write back the rows whose values
    changed, in one transaction. Returns (rows read, rows changed)."""
    model, text_column = SCORED[kind]
    text = getattr(model, text_column)
    statement = (
        update(model)
        .where(model.id == bindparam("row_id"))
        .values({name: bindparam(f"new_{name}") for name in SCORE_COLUMNS})
    )
    read = changed = 0
    with engine.begin() as connection:
        last = 0
        while True:
            rows = connection.execute(
                select(model.id, text, *[getattr(model, name) for name in SCORE_COLUMNS])
                .where(model.id > last)
                .order_by(model.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            last = rows[-1][0]
            read += len(rows)
            stored = pd.DataFrame(rows, columns=["id", "text", *SCORE_COLUMNS])
            fresh = scores(stored["text"].astype("str"))
            updates = [
                {"row_id": int(row_id), **{f"new_{k}": v for k, v in values.items()}}
                for row_id, old, values in zip(
                    stored["id"],
                    stored[list(SCORE_COLUMNS)].to_dict("records"),
                    fresh[list(SCORE_COLUMNS)].to_dict("records"),
                    strict=True,
                )
                if _differs(old, values)
            ]
            if updates:
                connection.execute(statement, updates)
                changed += len(updates)
    return read, changed


def _differs(old: dict, new: dict) -> bool:
    for name in SCORE_COLUMNS:
        a, b = old[name], new[name]
        if (a is None or a != a) and (b is None or b != b):  # both missing (None or NaN)
            continue
        if a != b:
            return True
    return False
