"""Tests of metrics.services_publics: Services Publics+ engagements 4–6, SVE, Marianne, surveys."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.canonical import conform, empty_frame
from metrics.period import Period
from metrics.services_publics import (
    acknowledgement_instants,
    acknowledgement_within_target,
    announced_deadline_share,
    answer_instants,
    channel_family,
    marianne_references,
    satisfaction_survey,
    sve_share,
)

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def requests(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    for column in frame.columns:
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return conform(frame, "request")


def ask(channel, created, ack=None, first=None, closed=None, due=None):
    return {
        "channel": channel,
        "created_at": created,
        "acknowledged_at": ack,
        "first_response_at": first,
        "closed_at": closed,
        "due_at": due,
    }


@pytest.fixture
def mailbox() -> pd.DataFrame:
    return requests(
        # s0 e-mail: acknowledged after 3 days, answered after 18 days
        ask("Courriel", "2026-03-02T09:00Z", ack="2026-03-05T09:00Z", first="2026-03-20T09:00Z"),
        # s1 letter: no acknowledgement, closed after 18 days, by its announced deadline
        ask("courrier", "2026-03-02T09:00Z", closed="2026-03-20T09:00Z", due="2026-03-25T00:00Z"),
        # s2 online form: nothing since
        ask("ONLINE", "2026-03-03T09:00Z"),
        # s3 phone: closed after its announced deadline
        ask("PHONE", "2026-03-03T09:00Z", closed="2026-03-04T09:00Z", due="2026-03-03T12:00Z"),
        # s4 letter: acknowledged after 4 days 22 hours, not answered yet
        ask("courrier", "2026-03-25T09:00Z", ack="2026-03-30T07:00Z"),
        # s5 e-mail answered after 4 days (the answer acknowledges it too)
        ask("email", "2026-03-27T09:00Z", first="2026-03-31T09:00Z"),
        # s6 form received in February, closed in March by its announced deadline
        ask("formulaire", "2026-02-20T09:00Z", closed="2026-03-10T09:00Z", due="2026-03-15T00:00Z"),
        # s7 unknown channel
        ask("UNKNOWN", "2026-03-10T09:00Z"),
    )  # fmt: skip


def test_answer_and_acknowledgement_instants(mailbox):
    answers = answer_instants(mailbox)
    # first response, or the closing when there is none
    assert answers.iloc[0] == pd.Timestamp("2026-03-20T09:00Z")
    assert answers.iloc[1] == pd.Timestamp("2026-03-20T09:00Z")
    assert pd.isna(answers.iloc[2])
    acknowledged = acknowledgement_instants(mailbox)
    # the earliest of acknowledgement and answer
    assert acknowledged.iloc[0] == pd.Timestamp("2026-03-05T09:00Z")
    assert acknowledged.iloc[5] == pd.Timestamp("2026-03-31T09:00Z")
    assert pd.isna(acknowledged.iloc[2])


def test_acknowledgement_within_one_or_two_weeks(mailbox):
    # as_of = latest instant of the data: 31/03 09:00Z
    # electronic (s0, s2, s5): s0 3 d met; s2 nothing, due 10/03 → missed; s5 4 d met → 2/3
    # letters (s1, s4): s1 answered (closed) after 18 d > 14 → missed; s4 4 d 22 h met → 1/2
    # phone (s3) and unknown (s7) are not written requests → overall 3/5
    assert acknowledgement_within_target(mailbox, MARCH) == {
        "overall": pytest.approx(0.6),
        "electronic": pytest.approx(2 / 3),
        "letter": 0.5,
    }


def test_acknowledgement_pending_before_the_deadline(mailbox):
    # judged on 06/03 12:00Z, only the unanswered ones change: s2 (due 10/03) is pending.
    # Answered ones are judged on their answer whatever the date: s5 met; s1 answered on
    # 20/03 after 18 days is late even though that was after 06/03.
    early = pd.Timestamp("2026-03-06T12:00Z")
    got = acknowledgement_within_target(mailbox, MARCH, as_of=early)
    assert got["electronic"] == 1.0  # s0 met, s5 met, s2 pending
    assert got["letter"] == 0.5  # s4 met, s1 missed


def test_announced_deadline_share(mailbox):
    # closed in March with a due date: s1 on time, s3 late, s6 on time → 2/3
    assert announced_deadline_share(mailbox, MARCH) == pytest.approx(2 / 3)
    assert announced_deadline_share(mailbox.assign(due_at=pd.NaT), MARCH) is None


def test_sve_ten_working_days(mailbox):
    # electronic received in March: s0 (due end of Mon 16/03) acknowledged 05/03 → met;
    # s2 (due end of Tue 17/03) nothing by 31/03 → missed; s5 (Fri 27/03, Easter Monday
    # skipped: due end of Mon 13/04) answered 31/03 → met → 2/3
    assert sve_share(mailbox, MARCH) == pytest.approx(2 / 3)


def test_marianne_references(mailbox):
    # letters: s1 answered after 18 d > 15 → missed; s4 unanswered, due 09/04 → pending → 0/1
    # e-mails (not forms): s0 18 d > 5 → missed; s5 4 d → met → 1/2
    assert marianne_references(mailbox, MARCH) == {
        "letters_within_15_days": 0.0,
        "emails_within_5_days": 0.5,
    }
    late = marianne_references(mailbox, MARCH, as_of=pd.Timestamp("2026-04-30T00:00Z"))
    assert late["letters_within_15_days"] == 0.0  # s4 now missed too: 0/2


def test_channel_family_is_reexported():
    assert channel_family("Courriel") == "electronic"
    assert channel_family("courrier") == "letter"


def test_empty_requests():
    empty = empty_frame("request")
    assert acknowledgement_within_target(empty, MARCH) == {
        "overall": None,
        "electronic": None,
        "letter": None,
    }
    assert announced_deadline_share(empty, MARCH) is None
    assert sve_share(empty, MARCH) is None
    assert marianne_references(empty, MARCH) == {
        "letters_within_15_days": None,
        "emails_within_5_days": None,
    }


def test_satisfaction_survey_scores_and_labels():
    answers = pd.Series(
        [5, 4, 3, 1, "Plutôt pas satisfait", "Très satisfait", None, 7, "Oui"], dtype=object
    )
    # satisfied 5, 4, « Très satisfait » = 3; neutral 3 = 1; dissatisfied 1, « Plutôt pas » = 2;
    # None, 7 and « Oui » are not answers on the scale → 6 answers
    assert satisfaction_survey(answers) == {
        "answers": 6,
        "satisfied": 3,
        "neutral": 1,
        "dissatisfied": 2,
        "satisfaction_rate": 0.5,
        "net_satisfaction": pytest.approx(1 / 6),
    }


def test_satisfaction_survey_labels_and_numpy_scores():
    labels = pd.Series(
        ["Pas du tout satisfait", "Ni satisfait ni insatisfait", "plutot satisfait", " 4 "]
    )
    got = satisfaction_survey(labels)
    assert (got["satisfied"], got["neutral"], got["dissatisfied"]) == (2, 1, 1)
    assert got["net_satisfaction"] == pytest.approx((2 - 1) / 4)
    scores = satisfaction_survey(pd.Series(np.array([5, 1, 2])))
    assert scores["net_satisfaction"] == pytest.approx((1 - 2) / 3)


def test_satisfaction_survey_keeps_the_answers_of_the_period():
    survey = pd.DataFrame(
        {
            "answer": [5, 1, 5],
            "answered_at": pd.to_datetime(
                ["2026-03-05T10:00Z", "2026-03-20T10:00Z", "2026-04-05T10:00Z"], utc=True
            ),
        }
    )
    got = satisfaction_survey(survey, MARCH)
    assert got["answers"] == 2 and got["net_satisfaction"] == 0.0
    assert satisfaction_survey(survey)["answers"] == 3
    assert satisfaction_survey(pd.Series([], dtype=object))["net_satisfaction"] is None


MINUTES = 24 * 60
random_request = st.tuples(
    st.sampled_from(["courriel", "courrier", "ONLINE", "PHONE", "autre", None]),
    st.integers(min_value=-10 * MINUTES, max_value=40 * MINUTES),  # created
    st.one_of(st.none(), st.integers(min_value=-600, max_value=30 * MINUTES)),  # ack delay
    st.one_of(st.none(), st.integers(min_value=0, max_value=30 * MINUTES)),  # answer delay
    st.one_of(st.none(), st.integers(min_value=-MINUTES, max_value=30 * MINUTES)),  # due
)


@settings(deadline=None)
@given(rows=st.lists(random_request, max_size=25))
def test_shares_are_fractions(rows):
    base = pd.Timestamp("2026-03-01T00:00Z")

    def at(minutes):
        return None if minutes is None else base + pd.Timedelta(minutes=minutes)

    frame = requests(
        *(
            ask(
                channel,
                at(created),
                ack=None if ack is None else at(created + ack),
                closed=None if answer is None else at(created + answer),
                due=None if due is None else at(created + due),
            )
            for channel, created, ack, answer, due in rows
        )
    )
    values = [
        *acknowledgement_within_target(frame, MARCH).values(),
        announced_deadline_share(frame, MARCH),
        sve_share(frame, MARCH),
        *marianne_references(frame, MARCH).values(),
    ]
    assert all(v is None or 0.0 <= v <= 1.0 for v in values)
