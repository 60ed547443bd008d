"""Response figures for residents' messages: received, answered, share answered, response time."""

from __future__ import annotations

import pandas as pd

from metrics._common import elapsed_hours, median_or_none, ratio_or_none, require_columns
from metrics.period import Period


def resident_messages_in(messages: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Residents' messages (``is_staff`` False or missing) sent within ``period``."""
    require_columns(messages, ("sent_at", "is_staff"), "messages")
    # An unknown author is treated as a resident: the collectivité's own accounts are known,
    # so a message not recognised as staff must be one that may need an answer.
    from_resident = ~messages["is_staff"].astype("boolean").fillna(False).astype(bool)
    return messages.loc[from_resident & period.contains(messages["sent_at"])]


def messages_received(messages: pd.DataFrame, period: Period) -> int:
    """Number of residents' messages sent within ``period``."""
    return len(resident_messages_in(messages, period))


def messages_answered(messages: pd.DataFrame, period: Period) -> int:
    """Number of residents' messages sent within ``period`` that have a staff reply (at any date)."""
    require_columns(messages, ("replied_at",), "messages")
    return int(resident_messages_in(messages, period)["replied_at"].notna().sum())


def share_answered(messages: pd.DataFrame, period: Period) -> float | None:
    """Answered ÷ received for ``period`` (a fraction in [0, 1]); None when nothing was received."""
    return ratio_or_none(messages_answered(messages, period), messages_received(messages, period))


def first_response_hours(received_at: pd.Series, replied_at: pd.Series) -> pd.Series:
    """Calendar hours from each message to its first staff reply; NaN if unanswered or negative."""
    return elapsed_hours(received_at, replied_at)


def median_first_response_hours(messages: pd.DataFrame, period: Period) -> float | None:
    """Median first-response time (hours) of the residents' messages received within ``period``.

    Only answered messages with a non-negative delay are taken; None when there are none.
    """
    require_columns(messages, ("replied_at",), "messages")
    received = resident_messages_in(messages, period)
    return median_or_none(first_response_hours(received["sent_at"], received["replied_at"]))
