"""Services Publics+ figures (engagements 4, 5 and 6), the SVE rule and the legacy Marianne
references, computed on the canonical requests."""

from __future__ import annotations

import numbers
import unicodedata
from datetime import datetime

import numpy as np
import pandas as pd

from metrics._common import as_utc, ratio_or_none, require_columns, utc_instant
from metrics.channels import channel_families, channel_family, channel_kinds
from metrics.period import Period
from metrics.targets import Target, deadlines, latest_instant, outcomes, share_met
from metrics.working_time import WorkingCalendar

__all__ = [
    "ACKNOWLEDGEMENT_TARGETS",
    "MARIANNE_TARGETS",
    "SVE_TARGET",
    "acknowledgement_instants",
    "acknowledgement_within_target",
    "announced_deadline_share",
    "answer_instants",
    "channel_family",
    "marianne_references",
    "satisfaction_survey",
    "sve_share",
]

# Engagements 4 and 5: acknowledgement within one week (electronic), two weeks (letters).
ACKNOWLEDGEMENT_TARGETS: dict[str, Target] = {
    "electronic": Target(7, "days"),
    "letter": Target(14, "days"),
}
# Saisine par voie électronique: answer or acknowledgement within 10 working days.
SVE_TARGET = Target(10, "working_days")
# Legacy Marianne references: letters within 15 days, e-mails within 5 days (calendar days).
MARIANNE_TARGETS: dict[str, Target] = {"letter": Target(15, "days"), "email": Target(5, "days")}

_REQUEST_COLUMNS = ("created_at", "acknowledged_at", "first_response_at", "closed_at", "channel")

_SATISFIED = {
    "tressatisfait", "satisfait", "plutotsatisfait", "assezsatisfait", "toutafaitsatisfait",
}  # fmt: skip
_DISSATISFIED = {
    "pasdutoutsatisfait", "plutotpassatisfait", "passatisfait", "peusatisfait", "insatisfait",
    "tresinsatisfait", "plutotinsatisfait", "mecontent", "tresmecontent", "plutotmecontent",
}  # fmt: skip
_NEUTRAL = {"nisatisfaitniinsatisfait", "neutre", "moyennementsatisfait"}


def answer_instants(requests: pd.DataFrame) -> pd.Series:
    """The answer of each request: its first response, or failing that its closing."""
    require_columns(requests, ("first_response_at", "closed_at"), "demandes")
    first = as_utc(requests["first_response_at"])
    return first.where(first.notna(), as_utc(requests["closed_at"]))


def acknowledgement_instants(requests: pd.DataFrame) -> pd.Series:
    """The earliest of the acknowledgement and the answer (an answer also acknowledges)."""
    require_columns(requests, ("acknowledged_at",), "demandes")
    acknowledged = as_utc(requests["acknowledged_at"])
    answered = answer_instants(requests)
    earliest = acknowledged.where(
        answered.isna() | (acknowledged.notna() & (acknowledged <= answered)), answered
    )
    return earliest


def acknowledgement_within_target(
    requests: pd.DataFrame,
    period: Period,
    calendar: WorkingCalendar | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> dict[str, float | None]:
    """Share acknowledged (or answered) within one week for electronic requests and two
    weeks for letters, among the requests received in ``period`` with a known outcome.
    Keys: ``overall``, ``electronic``, ``letter``."""
    cohort, instant = _cohort(requests, period, as_of)
    families = channel_families(cohort["channel"])
    calendar = calendar or WorkingCalendar(timezone=period.timezone)
    result: dict[str, float | None] = {}
    judged = []
    for family, target in ACKNOWLEDGEMENT_TARGETS.items():
        mine = cohort.loc[(families == family).to_numpy(dtype=bool)]
        outcome = _outcomes(mine, acknowledgement_instants(mine), target, calendar, instant)
        result[family] = share_met(outcome)
        judged.append(outcome)
    everything = pd.concat(judged) if judged else pd.Series(dtype=object)
    return {"overall": share_met(everything), **result}


def announced_deadline_share(requests: pd.DataFrame, period: Period) -> float | None:
    """Requests closed in ``period`` by their announced deadline (``due_at``) ÷ requests closed
    in ``period`` that had one; None when none had."""
    require_columns(requests, ("closed_at", "due_at"), "demandes")
    closed = requests.loc[period.contains(requests["closed_at"])]
    due = as_utc(closed["due_at"])
    with_deadline = due.notna().to_numpy(dtype=bool)
    on_time = (as_utc(closed["closed_at"]) <= due).to_numpy(dtype=bool) & with_deadline
    return ratio_or_none(int(on_time.sum()), int(with_deadline.sum()))


def sve_share(
    requests: pd.DataFrame,
    period: Period,
    calendar: WorkingCalendar | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> float | None:
    """Electronic requests received in ``period`` answered or acknowledged within 10 working
    days ÷ those whose outcome is known (answered, or deadline passed)."""
    cohort, instant = _cohort(requests, period, as_of)
    electronic = cohort.loc[(channel_families(cohort["channel"]) == "electronic").to_numpy(bool)]
    calendar = calendar or WorkingCalendar(timezone=period.timezone)
    ends = acknowledgement_instants(electronic)
    return share_met(_outcomes(electronic, ends, SVE_TARGET, calendar, instant))


def marianne_references(
    requests: pd.DataFrame,
    period: Period,
    as_of: pd.Timestamp | datetime | None = None,
) -> dict[str, float | None]:
    """Reference shares of the former Marianne label: letters answered within 15 days and
    e-mails answered within 5 days (calendar days), among requests received in ``period``.
    Keys: ``letters_within_15_days``, ``emails_within_5_days``."""
    cohort, instant = _cohort(requests, period, as_of)
    kinds = channel_kinds(cohort["channel"])
    calendar = WorkingCalendar(timezone=period.timezone)  # not used by calendar-day targets
    shares = {}
    for kind, key in (("letter", "letters_within_15_days"), ("email", "emails_within_5_days")):
        mine = cohort.loc[(kinds == kind).to_numpy(dtype=bool)]
        target = MARIANNE_TARGETS[kind]
        shares[key] = share_met(_outcomes(mine, answer_instants(mine), target, calendar, instant))
    return shares


def satisfaction_survey(
    survey: pd.Series | pd.DataFrame, period: Period | None = None
) -> dict[str, float | int | None]:
    """Satisfaction from survey answers: a Series of answers, or a DataFrame with ``answer``
    (and ``answered_at``, used to keep the answers of ``period``).

    An answer is a score from 1 to 5 (4–5 satisfied, 3 neutral, 1–2 dissatisfied) or a
    French label (« Très satisfait », « Plutôt pas satisfait », « Ni satisfait ni
    insatisfait »…); other answers are ignored. ``satisfaction_rate`` = satisfied ÷ answers;
    ``net_satisfaction`` = (satisfied − dissatisfied) ÷ answers, between −1 and 1.
    """
    if isinstance(survey, pd.DataFrame):
        require_columns(survey, ("answer",), "enquête")
        if period is not None and "answered_at" in survey.columns:
            survey = survey.loc[period.contains(survey["answered_at"])]
        answers = survey["answer"]
    else:
        answers = survey
    # one call per distinct answer, not per row
    codes, distinct = pd.factorize(answers.astype(object), use_na_sentinel=True)
    table = np.array([*(_mood(answer) for answer in distinct), np.nan], dtype="float64")
    moods = pd.Series(table[codes], index=answers.index)
    satisfied = int((moods == 1).sum())
    dissatisfied = int((moods == -1).sum())
    total = int(moods.notna().sum())
    net = ratio_or_none(satisfied - dissatisfied, total)
    return {
        "answers": total,
        "satisfied": satisfied,
        "neutral": total - satisfied - dissatisfied,
        "dissatisfied": dissatisfied,
        "satisfaction_rate": ratio_or_none(satisfied, total),
        "net_satisfaction": net,
    }


def _mood(answer: object) -> float | None:
    """1 satisfied, 0 neutral, −1 dissatisfied, None when not an answer on the scale."""
    if isinstance(answer, bool | np.bool_):
        return None
    if isinstance(answer, numbers.Real) and not pd.isna(answer):
        if answer in (4, 5):
            return 1
        if answer == 3:
            return 0
        if answer in (1, 2):
            return -1
        return None
    if isinstance(answer, str):
        stripped = answer.strip()
        if stripped in ("1", "2", "3", "4", "5"):
            return _mood(int(stripped))
        decomposed = unicodedata.normalize("NFKD", stripped.lower())
        key = "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))
        if key in _SATISFIED:
            return 1
        if key in _DISSATISFIED:
            return -1
        if key in _NEUTRAL:
            return 0
    return None


def _cohort(
    requests: pd.DataFrame, period: Period, as_of: pd.Timestamp | datetime | None
) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    require_columns(requests, _REQUEST_COLUMNS, "demandes")
    cohort = requests.loc[period.contains(requests["created_at"])]
    if as_of is not None:
        return cohort, utc_instant(as_of)
    return cohort, latest_instant(
        requests, ("created_at", "acknowledged_at", "first_response_at", "closed_at")
    )


def _outcomes(
    rows: pd.DataFrame,
    ends: pd.Series,
    target: Target,
    calendar: WorkingCalendar,
    instant: pd.Timestamp | None,
) -> pd.Series:
    if instant is None or rows.empty:
        return pd.Series(None, index=rows.index, dtype=object)
    deadline = deadlines(rows["created_at"], target, calendar)
    return outcomes(rows["created_at"], ends, deadline, instant)
