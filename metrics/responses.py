"""Response figures for residents' messages: per message (received, answered, share answered,
response time) and per conversation (24-hour rule, both clocks, targets, buckets, channels)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import numpy as np
import pandas as pd

from metrics._common import (
    as_utc,
    elapsed_hours,
    from_resident,
    median_or_none,
    quantile_or_none,
    ratio_or_none,
    require_columns,
    utc_instant,
)
from metrics.channels import channel_kind, channel_kinds
from metrics.period import Period
from metrics.targets import (
    Target,
    as_target,
    latest_instant,
    outcomes,
    row_deadlines,
    share_met,
    targets_for,
)
from metrics.working_time import WorkingCalendar, working_hours_between


def resident_messages_in(messages: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Residents' messages (``is_staff`` False or missing) sent within ``period``."""
    require_columns(messages, ("sent_at", "is_staff"), "messages")
    # An unknown author is treated as a resident: the collectivité's own accounts are known,
    # so a message not recognised as staff must be one that may need an answer.
    return messages.loc[from_resident(messages) & period.contains(messages["sent_at"])]


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


# ----------------------------------------------------------------------------------------------
# Conversations: which resident messages need an answer (Meta's 24-hour rule), and their answer

SILENCE = pd.Timedelta(hours=24)

# Default targets per channel kind (see metrics.channels): 24 calendar hours on social
# networks, 5 working days for e-mail, 15 calendar days for letters. Other kinds: no target.
DEFAULT_RESPONSE_TARGETS: dict[str, Target] = {
    "social": Target(24, "hours"),
    "email": Target(5, "working_days"),
    "letter": Target(15, "days"),
}

# (key, lower bound included, upper bound excluded), in hours; the parts cover [0, ∞).
RESPONSE_TIME_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("under_1h", 0.0, 1.0),
    ("1_4h", 1.0, 4.0),
    ("4_8h", 4.0, 8.0),
    ("8_24h", 8.0, 24.0),
    ("1_3d", 24.0, 72.0),
    ("over_3d", 72.0, float("inf")),
)
RESPONSE_TIME_BUCKET_LABELS: dict[str, str] = {
    "under_1h": "moins d'1 h",
    "1_4h": "1 à 4 h",
    "4_8h": "4 à 8 h",
    "8_24h": "8 à 24 h",
    "1_3d": "1 à 3 jours",
    "over_3d": "plus de 3 jours",
}
UNKNOWN_GROUP = "(non renseigné)"
_CONVERSATION_COLUMNS = ("channel", "thread_id", "sent_at", "is_staff", "replied_at")


def thread_keys(messages: pd.DataFrame) -> pd.Series:
    """The thread of each message: channel + ``thread_id``; a message without ``thread_id``
    is a thread of its own (thread ids of two channels never mix)."""
    require_columns(messages, ("channel", "thread_id"), "messages")
    channel = messages["channel"].astype("str").fillna("")
    thread = messages["thread_id"].astype("str")
    own = pd.Series(np.arange(len(messages)), index=messages.index).astype("str")
    return (channel + "\x1f" + thread).where(thread.notna(), "\x00" + own)


def conversation_starts(messages: pd.DataFrame, silence: pd.Timedelta = SILENCE) -> pd.DataFrame:
    """Every resident message that needs an answer, whatever its date, with its first answer.

    A resident message needs an answer when it starts its thread or follows at least
    ``silence`` (24 h) without any message, from either side, in that thread. Its answer is
    the first staff message of the thread sent at or after it; where the frame holds no such
    staff message, the message's own ``replied_at``. Columns: ``channel``, ``thread``,
    ``sent_at``, ``first_response_at``, ``answered``; the index is that of ``messages``.
    Undated messages are ignored, both as messages and as breaks of the silence.
    """
    require_columns(messages, _CONVERSATION_COLUMNS, "messages")
    sent = as_utc(messages["sent_at"])
    dated = sent.notna().to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "thread": thread_keys(messages),
            "sent_at": sent,
            # on equal instants the resident comes first: a simultaneous staff message
            # answers it (0 h) rather than breaking the silence before it
            "staff": ~from_resident(messages),
        },
        index=messages.index,
    ).loc[dated]
    ordered = frame.sort_values(["thread", "sent_at", "staff"], kind="stable")
    by_thread = ordered.groupby("thread", sort=False)
    previous = by_thread["sent_at"].shift()
    starts = ~ordered["staff"] & (previous.isna() | (ordered["sent_at"] - previous >= silence))
    next_staff = ordered["sent_at"].where(ordered["staff"]).groupby(ordered["thread"]).bfill()

    chosen = ordered.index[starts.to_numpy(dtype=bool)]
    first_response = next_staff[starts].astype("datetime64[us, UTC]")
    replied = as_utc(messages["replied_at"]).loc[chosen]
    first_response = first_response.where(first_response.notna(), replied)
    result = pd.DataFrame(
        {
            "channel": messages["channel"].loc[chosen],
            "thread": ordered["thread"].loc[chosen],
            "sent_at": sent.loc[chosen],
            "first_response_at": first_response,
        },
        index=chosen,
    ).sort_index()
    result["answered"] = result["first_response_at"].notna().astype(bool)
    return result


def messages_needing_answer(
    messages: pd.DataFrame, period: Period, silence: pd.Timedelta = SILENCE
) -> pd.DataFrame:
    """The rows of :func:`conversation_starts` sent within ``period``."""
    starts = conversation_starts(messages, silence)
    return starts.loc[period.contains(starts["sent_at"])]


def response_rate(messages: pd.DataFrame, period: Period) -> float | None:
    """Answered ÷ needing an answer, for messages needing an answer sent within ``period``."""
    needing = messages_needing_answer(messages, period)
    return ratio_or_none(int(needing["answered"].sum()), len(needing))


def first_response_times(
    messages: pd.DataFrame, period: Period, calendar: WorkingCalendar | None = None
) -> pd.DataFrame:
    """:func:`messages_needing_answer` with ``hours`` and ``working_hours`` to the first answer
    (NaN when unanswered or answered before the message: a data error)."""
    calendar = calendar or default_calendar(period)
    needing = messages_needing_answer(messages, period).copy()
    needing["hours"] = elapsed_hours(needing["sent_at"], needing["first_response_at"])
    needing["working_hours"] = working_hours_between(
        needing["sent_at"], needing["first_response_at"], calendar
    )
    return needing


def first_response_summary(
    messages: pd.DataFrame, period: Period, calendar: WorkingCalendar | None = None
) -> dict[str, float | int | None]:
    """Median and P90 of the first-response time, in calendar and in working hours."""
    return delay_summary(first_response_times(messages, period, calendar))


def delay_summary(delays: pd.DataFrame) -> dict[str, float | int | None]:
    """count, median and P90 of the ``hours`` and ``working_hours`` columns of ``delays``."""
    return {
        "count": int(delays["hours"].notna().sum()),
        "median_hours": median_or_none(delays["hours"]),
        "p90_hours": quantile_or_none(delays["hours"], 0.9),
        "median_working_hours": median_or_none(delays["working_hours"]),
        "p90_working_hours": quantile_or_none(delays["working_hours"], 0.9),
    }


def first_response_distribution(
    messages: pd.DataFrame,
    period: Period,
    clock: str = "calendar",
    calendar: WorkingCalendar | None = None,
) -> dict[str, int]:
    """Number of answered messages per first-response time bucket (the parts sum to the
    number of answered messages with a valid delay). ``clock``: calendar or working."""
    if clock not in ("calendar", "working"):
        raise ValueError(f"Horloge inconnue : {clock!r} (attendu : calendar ou working).")
    times = first_response_times(messages, period, calendar)
    return bucket_counts(times["hours" if clock == "calendar" else "working_hours"])


def bucket_counts(hours: pd.Series) -> dict[str, int]:
    """Number of non-missing ``hours`` in each RESPONSE_TIME_BUCKETS bucket."""
    present = hours.dropna().to_numpy()
    return {
        key: int(((present >= low) & (present < high)).sum())
        for key, low, high in RESPONSE_TIME_BUCKETS
    }


def response_target_outcomes(
    messages: pd.DataFrame,
    period: Period,
    targets: Mapping[str, Target | float | None] | None = None,
    calendar: WorkingCalendar | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> pd.DataFrame:
    """:func:`messages_needing_answer` with ``target`` and ``outcome`` (met / missed / pending,
    None without a target). ``targets`` maps a channel or a channel kind to its Target (the
    channel's own spelling wins); ``as_of`` defaults to the latest instant of the messages."""
    calendar = calendar or default_calendar(period)
    table = dict(DEFAULT_RESPONSE_TARGETS if targets is None else targets)
    needing = messages_needing_answer(messages, period).copy()
    kinds = channel_kinds(needing["channel"])
    by_channel = targets_for(needing["channel"], table)
    by_kind = targets_for(kinds.astype("str"), table)
    needing["kind"] = kinds
    needing["target"] = by_channel.where(by_channel.notna(), by_kind).astype(object)
    needing["target"] = needing["target"].where(needing["target"].notna(), None)
    instant = _as_of(messages, as_of)
    deadline = row_deadlines(needing["sent_at"], needing["target"], calendar)
    needing["outcome"] = (
        outcomes(needing["sent_at"], needing["first_response_at"], deadline, instant)
        if instant is not None
        else pd.Series(None, index=needing.index, dtype=object)
    )
    return needing


def share_within_target(
    messages: pd.DataFrame,
    period: Period,
    targets: Mapping[str, Target | float | None] | None = None,
    calendar: WorkingCalendar | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> float | None:
    """Answered within their channel's target ÷ (within + late or overdue), all channels with
    a target together; messages whose deadline has not yet passed are left out."""
    return share_met(
        response_target_outcomes(messages, period, targets, calendar, as_of)["outcome"]
    )


def moderation_share(messages: pd.DataFrame, period: Period) -> float | None:
    """Residents' messages of ``period`` hidden ÷ those whose hidden status is known."""
    require_columns(messages, ("is_hidden",), "messages")
    residents = resident_messages_in(messages, period)
    hidden = residents["is_hidden"].astype("boolean")
    known = hidden.notna().to_numpy(dtype=bool)
    return ratio_or_none(int(hidden[known].astype(bool).sum()), int(known.sum()))


def responses_by_channel(
    messages: pd.DataFrame,
    period: Period,
    calendar: WorkingCalendar | None = None,
    targets: Mapping[str, Target | float | None] | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> list[dict[str, object]]:
    """One row per channel (most messages first): messages received, needing an answer,
    answered, response rate, median / P90 first-response time on both clocks, target and
    share within it, moderation share. JSON-ready."""
    calendar = calendar or default_calendar(period)
    table = dict(DEFAULT_RESPONSE_TARGETS if targets is None else targets)
    residents = resident_messages_in(messages, period)
    judged = response_target_outcomes(messages, period, targets, calendar, as_of)
    judged["hours"] = elapsed_hours(judged["sent_at"], judged["first_response_at"])
    judged["working_hours"] = working_hours_between(
        judged["sent_at"], judged["first_response_at"], calendar
    )
    received = residents["channel"].fillna(UNKNOWN_GROUP).value_counts()
    channels = judged["channel"].fillna(UNKNOWN_GROUP)
    rows = []
    for channel in sorted(received.index, key=lambda c: (-int(received[c]), c)):
        mine = judged.loc[(channels == channel).to_numpy(dtype=bool)]
        own = residents.loc[(residents["channel"].fillna(UNKNOWN_GROUP) == channel).to_numpy(bool)]
        target = as_target(table.get(channel, table.get(channel_kind(channel) or "")))
        hidden = own["is_hidden"].astype("boolean") if "is_hidden" in own else None
        known = 0 if hidden is None else int(hidden.notna().sum())
        rows.append(
            {
                "channel": channel,
                "kind": channel_kind(channel),
                "messages_received": int(received[channel]),
                "needing_answer": len(mine),
                "answered": int(mine["answered"].sum()),
                "response_rate": ratio_or_none(int(mine["answered"].sum()), len(mine)),
                **{k: v for k, v in delay_summary(mine).items() if k != "count"},
                "target": None if target is None else target.label,
                "share_within_target": share_met(mine["outcome"]),
                "moderation_share": ratio_or_none(
                    0 if hidden is None else int(hidden.fillna(False).astype(bool).sum()), known
                ),
            }
        )
    return rows


def default_calendar(period: Period) -> WorkingCalendar:
    """The default working calendar (metropolitan holidays) in the period's time zone."""
    return WorkingCalendar(timezone=period.timezone)


def _as_of(messages: pd.DataFrame, as_of: pd.Timestamp | datetime | None) -> pd.Timestamp | None:
    if as_of is not None:
        return utc_instant(as_of)
    return latest_instant(messages, ("sent_at", "replied_at"))
