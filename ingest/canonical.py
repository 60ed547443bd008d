"""The canonical record schemas every importer produces and the store persists."""

from __future__ import annotations

import pandas as pd

# Timestamps are tz-aware UTC at microsecond resolution; counts are nullable integers;
# free text is pandas' default string dtype ("str"), missing values as NaN/NA.
UTC_TS = "datetime64[us, UTC]"

PUBLICATION = "publication"
MESSAGE = "message"
REQUEST = "request"
AUDIENCE = "audience"

KINDS = (PUBLICATION, MESSAGE, REQUEST, AUDIENCE)

# column -> dtype, in canonical order.
SCHEMAS: dict[str, dict[str, str]] = {
    PUBLICATION: {
        "platform": "str",  # facebook | instagram | x | linkedin
        "native_id": "str",  # the platform's post id, kept as text
        "account": "str",  # page / account name or id when the export gives it
        "published_at": UTC_TS,
        "text": "str",
        "post_type": "str",  # as exported (Photos, Videos, Links, Tweet…)
        "permalink": "str",
        "reach": "Int64",
        "impressions": "Int64",  # impressions, or views where the platform replaced them
        "reactions": "Int64",  # reactions; likes/favorites count as reactions
        "comments": "Int64",  # comments / replies
        "shares": "Int64",  # shares / retweets / reposts
        "saves": "Int64",
        "clicks": "Int64",
        "video_views": "Int64",
    },
    MESSAGE: {
        "channel": "str",  # facebook | instagram | x | email | …
        "native_id": "str",  # the message / comment id
        "thread_id": "str",  # id of the top-level comment (or conversation) it belongs to
        "post_id": "str",  # publication it was written under, if any
        "parent_id": "str",  # direct parent message id, if a reply
        "sent_at": UTC_TS,
        "author": "str",  # raw author id/name from the importer; pseudonymised by the pipeline
        "is_staff": "boolean",  # True when written by the collectivité (page or one of our accounts)
        "text": "str",
        "replied_at": UTC_TS,  # resident messages: first staff reply after it in its thread
        "is_hidden": "boolean",
    },
    REQUEST: {
        "source": "str",  # system the request comes from: nyc311, open311, grc…
        "native_id": "str",
        "created_at": UTC_TS,
        "acknowledged_at": UTC_TS,
        "first_response_at": UTC_TS,
        "closed_at": UTC_TS,
        "due_at": UTC_TS,
        "status": "str",  # as exported
        "category": "str",
        "subcategory": "str",
        "district": "str",  # quartier / borough / arrondissement
        "channel": "str",
        "service": "str",  # service / agency in charge
        "description": "str",
        "latitude": "Float64",
        "longitude": "Float64",
    },
    AUDIENCE: {
        "platform": "str",
        "account": "str",
        "date": "datetime64[us]",  # local calendar day, naive
        "followers": "Int64",
    },
}

# Columns the pipeline adds before storage (enrichment), beyond what importers produce.
_SENTIMENT = {
    "language": "str",  # ISO code of the text's language (fr, en…; und when no words)
    "sentiment": "Float64",  # compound score in [-1, 1]; missing when not scored
    "sentiment_label": "str",  # positif | neutre | négatif | non évalué
}
ENRICHMENT: dict[str, dict[str, str]] = {MESSAGE: _SENTIMENT, REQUEST: _SENTIMENT}


def stored_schema(kind: str) -> dict[str, str]:
    """The columns the store keeps for ``kind``: canonical ones, then enrichment ones."""
    return {**SCHEMAS[kind], **ENRICHMENT.get(kind, {})}


# Natural key of each kind: re-importing a row with the same key updates it instead of adding one.
KEYS: dict[str, tuple[str, ...]] = {
    PUBLICATION: ("platform", "native_id"),
    MESSAGE: ("channel", "native_id"),
    REQUEST: ("source", "native_id"),
    AUDIENCE: ("platform", "account", "date"),
}


def empty_frame(kind: str, enriched: bool = False) -> pd.DataFrame:
    """An empty canonical frame of the given kind, with its dtypes."""
    return conform(pd.DataFrame(), kind, enriched)


def conform(frame: pd.DataFrame, kind: str, enriched: bool = False) -> pd.DataFrame:
    """Return ``frame`` with exactly the canonical columns of ``kind``, in order, with their dtypes.

    Missing columns are added empty; unknown columns are dropped. With ``enriched``, the
    enrichment columns the store keeps are included too.
    """
    schema = stored_schema(kind) if enriched else SCHEMAS[kind]
    out = pd.DataFrame(index=frame.index)
    for column, dtype in schema.items():
        if column in frame.columns:
            values = frame[column]
        else:
            values = pd.Series(pd.NA, index=frame.index, dtype="object")
        if dtype == UTC_TS:
            values = pd.to_datetime(values, utc=True).astype(UTC_TS)
        elif dtype == "datetime64[us]":
            values = pd.to_datetime(values).astype(dtype)
        else:
            values = values.astype(dtype)
        out[column] = values
    return out.reset_index(drop=True)
