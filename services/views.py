"""What the Publications, Réponses and Demandes pages show: loaded through the store, computed by
the metrics library, returned as small frames and plain values.

Each page has two functions: ``<page>_view(engine, period, selection, …)`` loads the right
windows and calls ``<page>_figures(frames, period, …)``, which only computes (and is tested on
hand-made frames). Arguments are plain values, so a page can cache a view on them and on
``ui.components.data_version()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from ingest.canonical import conform, stored_schema
from metrics import engagement, responses
from metrics import requests as request_figures
from metrics._common import as_utc, ratio_or_none, utc_instant
from metrics.content_audit import (
    ALL_CLASSES,
    DEFAULT_MINIMUM_POSTS,
    AuditRules,
    content_classes,
    load_audit_rules,
)
from metrics.period import Period
from metrics.period import sub_periods as period_parts
from metrics.sections import SectionOptions, section_figures
from metrics.targets import Target, latest_instant
from metrics.themes import NO_THEME, Taxonomy, load_taxonomy, primary_theme
from metrics.working_time import WorkingCalendar, working_hours_between
from services.column_cache import ready_columns
from services.sections import MESSAGES_AFTER, MESSAGES_BEFORE, section_options
from services.voice import rules_text
from store import repository
from store.repository import ALL, Selection

FREQUENCIES: tuple[str, ...] = ("week", "month")
RATE_BASES: tuple[str, ...] = engagement.RATE_BASES  # reach, impressions, followers
ALL_SERIES = "__all__"  # the series of every platform together, in the over-time frames
BREAKDOWNS: tuple[str, ...] = ("category", "district", "channel", "service")
EXCERPT_LENGTH = 90
WAITING_TEXT_LENGTH = 280
_HOUR = pd.Timedelta(hours=1)


def default_frequency(period: Period) -> str:
    """Weeks for a period of up to three months, months beyond."""
    return "week" if period.days <= 92 else "month"


def sub_periods(period: Period, freq: str) -> list[Period]:
    """The ISO weeks (Monday–Sunday) or calendar months of ``period``, the first and the last
    clipped to it (the pages offer no daily view)."""
    if freq not in FREQUENCIES:
        raise ValueError(f"Fréquence inconnue : {freq!r} (attendu : week ou month).")
    return period_parts(period, freq)


def local_naive(timestamps: pd.Series, timezone: str) -> pd.Series:
    """UTC instants as naive local date-times (what a spreadsheet user expects)."""
    return as_utc(timestamps).dt.tz_convert(timezone).dt.tz_localize(None)


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    return frame.reindex(columns=columns) if frame.empty else frame


def _excerpt(text: object, length: int) -> str:
    if not isinstance(text, str):
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


# ----------------------------------------------------------------------------------------------
# Publications


@dataclass(frozen=True)
class PublicationsView:
    """The Publications page's figures for one period, base and frequency."""

    period: Period
    base: str
    freq: str
    figures: dict[str, Any]
    over_time: (
        pd.DataFrame
    )  # start, end, series (platform or ALL_SERIES), posts, interactions, rate
    by_platform: pd.DataFrame  # group, posts, interactions, base, rate
    by_post_type: pd.DataFrame
    by_hour: pd.DataFrame  # hour 0–23 (local), posts, interactions, base, rate
    by_weekday: pd.DataFrame  # weekday 0 = Monday, …
    top_posts: pd.DataFrame  # platform, published_at, post_type, permalink, excerpt, …, rate
    bottom_posts: pd.DataFrame
    best_time: dict[str, Any]  # grid ("hour", "3h", "weekday"), minimum_posts
    best_time_cells: pd.DataFrame  # weekday, slot, posts, median_rate
    audience_growth: pd.DataFrame  # platform, account, followers_start, …, complete
    audience_series: pd.DataFrame  # date, series, platform, account, followers
    has_audience: bool
    minimum_base: int
    posts: pd.DataFrame  # one row per post of the period, for the export
    without_base: tuple[str, ...] = ()  # platforms whose posts have no rate on this base
    # "content" (content-audit class, the four classes in order) and "theme" (primary theme,
    # most posts first): group, posts, interactions, interactions_per_post, base, rate
    by_class: dict[str, pd.DataFrame] = field(default_factory=dict)
    themes_hidden: tuple[str, ...] = ()  # themes with fewer than CLASS_MINIMUM_POSTS posts


_GROUP_COLUMNS = ["group", "posts", "interactions", "base", "rate"]
_RANKED_COLUMNS = [
    "platform",
    "account",
    "published_at",
    "post_type",
    "permalink",
    "excerpt",
    "interactions",
    "base",
    "rate",
]


CLASS_MINIMUM_POSTS = DEFAULT_MINIMUM_POSTS  # a theme with fewer posts is not compared
# The content-audit classes, as the UI strings name them.
CLASS_KEYS: dict[str, str] = dict(
    zip(ALL_CLASSES, ("institutional", "practical", "dialogue", "other"), strict=True)
)


def publications_view(
    engine: Engine,
    period: Period,
    selection: Selection = ALL,
    base: str = "reach",
    freq: str | None = None,
) -> PublicationsView:
    """Load the period's posts and the audience history, and compute the page's figures (with
    the collectivité's theme and content-audit rules in force)."""
    inputs = publication_inputs(engine, period, selection)
    return publications_figures(
        inputs.posts,
        inputs.audience,
        period,
        base,
        freq,
        inputs.options,
        taxonomy=inputs.taxonomy,
        audit_rules=inputs.audit_rules,
    )


@dataclass(frozen=True)
class PublicationInputs:
    """What the publications figures of a period are computed from."""

    posts: pd.DataFrame
    audience: pd.DataFrame
    options: SectionOptions
    taxonomy: Taxonomy
    audit_rules: AuditRules


def publication_inputs(
    engine: Engine,
    period: Period,
    selection: Selection = ALL,
    options: SectionOptions | None = None,
) -> PublicationInputs:
    """The period's posts, the audience history, the section options (``options`` when the
    caller has them) and the theme and content-audit rules in force: read once for the page
    and for the brief."""
    return PublicationInputs(
        posts=repository.load_publications(engine, period.start_utc, period.end_utc, selection),
        audience=repository.load_audience(engine, period.end_utc, selection),
        options=options or section_options(engine, period.timezone),
        taxonomy=load_taxonomy(rules_text(engine, "themes")),
        audit_rules=load_audit_rules(rules_text(engine, "content_audit")),
    )


def publications_figures(
    posts: pd.DataFrame,
    audience: pd.DataFrame | None,
    period: Period,
    base: str = "reach",
    freq: str | None = None,
    options: SectionOptions | None = None,
    taxonomy: Taxonomy | None = None,
    audit_rules: AuditRules | None = None,
) -> PublicationsView:
    """The Publications page's figures from canonical frames (``audience`` may be None;
    ``taxonomy`` and ``audit_rules`` default to the files of data/taxonomy)."""
    if base not in RATE_BASES:
        raise ValueError(f"Base inconnue : {base!r} (attendu : {', '.join(RATE_BASES)}).")
    freq = freq or default_frequency(period)
    options = replace(options or SectionOptions(), engagement_base=base)
    has_audience = audience is not None and not audience.empty
    usable = audience if has_audience else None
    document = section_figures("engagement", posts, None, None, usable, period, options)
    rate_key = f"engagement_rate_{base}"
    figures = {
        key: document[key]
        for key in (
            "publications",
            "interactions",
            "engagement_rate_reach",
            "engagement_rate_impressions",
            "engagement_rate_followers",
        )
    }
    figures["rate"] = figures[rate_key]
    best = document["best_time"] or {"grid": None, "minimum_posts": None, "cells": []}
    published = engagement.publications_in(posts, period)
    classes = content_classes(published["text"], audit_rules)
    themes = primary_theme(published["text"], taxonomy).fillna(NO_THEME)
    by_theme = _engagement_by_labels(published, themes, None, period, base, usable)
    small = by_theme["posts"] < CLASS_MINIMUM_POSTS
    return PublicationsView(
        period=period,
        base=base,
        freq=freq,
        figures=figures,
        over_time=_engagement_over_time(posts, usable, period, base, freq),
        by_platform=_groups(document["by_platform"], "platform"),
        by_post_type=_groups(document["by_post_type"], "post_type"),
        by_hour=_frame(document["by_hour"], ["hour", *_GROUP_COLUMNS[1:]]),
        by_weekday=_frame(document["by_weekday"], ["weekday", *_GROUP_COLUMNS[1:]]),
        top_posts=_ranked(document["top_posts"], posts, period.timezone),
        bottom_posts=_ranked(document["bottom_posts"], posts, period.timezone),
        best_time={"grid": best["grid"], "minimum_posts": best["minimum_posts"]},
        best_time_cells=_frame(best["cells"], ["weekday", "slot", "posts", "median_rate"]),
        audience_growth=_frame(
            document["audience_growth"],
            [
                "platform",
                "account",
                "from_date",
                "to_date",
                "followers_start",
                "followers_end",
                "net_change",
                "gained",
                "complete",
            ],
        ),
        audience_series=_audience_series(usable, period),
        has_audience=has_audience,
        minimum_base=options.minimum_base,
        posts=_post_rows(posts, usable, period),
        without_base=tuple(
            row["platform"] for row in document["by_platform"] if row["rate"] is None
        ),
        by_class={
            "content": _engagement_by_labels(published, classes, ALL_CLASSES, period, base, usable),
            "theme": by_theme.loc[~small].reset_index(drop=True),
        },
        themes_hidden=tuple(by_theme.loc[small, "group"]),
    )


def _engagement_by_labels(
    posts: pd.DataFrame,
    labels: pd.Series,
    order: tuple[str, ...] | None,
    period: Period,
    base: str,
    audience: pd.DataFrame | None,
) -> pd.DataFrame:
    """Posts, interactions, interactions per post, summed base and rate (Σ ÷ Σ) per label of
    each post (content-audit class, theme): ``order`` gives the groups (all of them, even
    empty), or else the labels present, most posts first."""
    columns = ["group", "posts", "interactions", "interactions_per_post", "base", "rate"]
    if order is None:
        counts = labels.value_counts()
        order = tuple(sorted(counts.index, key=lambda label: (-int(counts[label]), label)))
    computable = base != "followers" or audience is not None
    rows = []
    for label in order:
        mine = posts.loc[(labels == label).to_numpy(dtype=bool)]
        by_platform = (
            engagement.engagement_by(mine, period, "platform", base, audience) if computable else []
        )
        if base == "followers":
            rate = (
                engagement.engagement_rate_followers(mine, audience, period) if computable else None
            )
        else:
            rate = engagement.engagement_rate(mine, period, base)
        known = engagement.interactions_per_post(mine).dropna()
        rows.append(
            {
                "group": label,
                "posts": engagement.publication_count(mine, period),
                "interactions": engagement.interaction_total(mine, period),
                "interactions_per_post": float(known.mean()) if len(known) else None,
                "base": sum(row["base"] for row in by_platform),
                "rate": rate,
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("interactions_per_post", "rate"):
        frame[column] = frame[column].astype("float64")
    return frame


def _groups(rows: list[dict[str, Any]], by: str) -> pd.DataFrame:
    return _frame(rows, [by, *_GROUP_COLUMNS[1:]]).rename(columns={by: "group"})


def _engagement_over_time(
    posts: pd.DataFrame,
    audience: pd.DataFrame | None,
    period: Period,
    base: str,
    freq: str,
) -> pd.DataFrame:
    """Posts, interactions and rate per week or month: all platforms together, and each
    platform when there are several."""
    columns = ["start", "end", "series", "posts", "interactions", "rate"]
    if not engagement.publication_count(posts, period):
        return pd.DataFrame(columns=columns)
    computable = base != "followers" or audience is not None
    # Each network gets its own line only when at least two have a rate: otherwise its line
    # would only repeat the all-networks one.
    rated = [
        row["platform"]
        for row in (
            engagement.engagement_by(posts, period, "platform", base, audience)
            if computable
            else []
        )
        if row["rate"] is not None
    ]
    rows = []
    for part in sub_periods(period, freq):
        if base == "followers":
            rate = (
                engagement.engagement_rate_followers(posts, audience, part) if computable else None
            )
        else:
            rate = engagement.engagement_rate(posts, part, base)
        rows.append(
            {
                "start": part.start,
                "end": part.end,
                "series": ALL_SERIES,
                "posts": engagement.publication_count(posts, part),
                "interactions": engagement.interaction_total(posts, part),
                "rate": rate,
            }
        )
        if len(rated) > 1:
            for row in engagement.engagement_by(posts, part, "platform", base, audience):
                if row["platform"] not in rated:
                    continue
                rows.append(
                    {
                        "start": part.start,
                        "end": part.end,
                        "series": row["platform"],
                        "posts": row["posts"],
                        "interactions": row["interactions"],
                        "rate": row["rate"],
                    }
                )
    frame = pd.DataFrame(rows, columns=columns)
    frame["rate"] = frame["rate"].astype("float64")
    return frame


def _ranked(rows: list[dict[str, Any]], posts: pd.DataFrame, timezone: str) -> pd.DataFrame:
    frame = _frame(rows, [*_RANKED_COLUMNS, "native_id"])
    keys = zip(posts["platform"], posts["native_id"], strict=True)
    texts = dict(zip(keys, posts["text"], strict=True))
    frame["excerpt"] = [
        _excerpt(texts.get((platform, native_id)), EXCERPT_LENGTH)
        for platform, native_id in zip(frame["platform"], frame["native_id"], strict=True)
    ]
    published = pd.to_datetime(frame["published_at"], utc=True).astype("datetime64[us, UTC]")
    frame["published_at"] = local_naive(published, timezone)
    return frame[_RANKED_COLUMNS].reset_index(drop=True)


def _audience_series(audience: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Daily follower counts of each account from the day before the period to its end."""
    columns = ["date", "series", "platform", "account", "followers"]
    if audience is None:
        return pd.DataFrame(columns=columns)
    days = pd.to_datetime(audience["date"])
    first = pd.Timestamp(period.start - timedelta(days=1))
    shown = audience.loc[
        (days >= first) & (days <= pd.Timestamp(period.end)) & audience["followers"].notna()
    ]
    platforms = shown["platform"].astype("str").fillna("?")
    accounts = shown["account"].astype("str").fillna("")
    # The account is named only when a platform has several of them.
    several = {
        platform
        for platform in set(platforms)
        if len(set(accounts[(platforms == platform).to_numpy(dtype=bool)])) > 1
    }
    series = [
        f"{platform} — {account}" if platform in several and account else platform
        for platform, account in zip(platforms, accounts, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(shown["date"]).dt.date,
            "series": series,
            "platform": platforms,
            "account": accounts,
            "followers": shown["followers"].astype("int64"),
        }
    )
    return frame.sort_values(["series", "date"], kind="stable").reset_index(drop=True)


def _post_rows(posts: pd.DataFrame, audience: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """One row per post of the period with its interactions and rates (the CSV export)."""
    rows = engagement.post_metrics(posts, period, audience)
    rows["published_at"] = local_naive(rows["published_at"], period.timezone)
    texts = engagement.publications_in(posts, period)["text"]
    rows.insert(rows.columns.get_loc("permalink") + 1, "text", texts)
    return rows.sort_values("published_at", kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# Réponses aux habitants


@dataclass(frozen=True)
class ResponsesView:
    """The Réponses aux habitants page's figures for one period."""

    period: Period
    freq: str
    figures: dict[str, Any]
    targets: dict[str, str | None]  # channel kind → target label
    over_time: pd.DataFrame  # start, end, needing_answer, answered, response_rate
    buckets: pd.DataFrame  # bucket, clock (calendar / working), count, share
    by_channel: pd.DataFrame
    waiting: pd.DataFrame  # channel, sent_at (local), waited_hours, target, outcome, hidden, text
    data_date: pd.Timestamp | None  # local naive: the instant unanswered threads are judged at
    conversations: pd.DataFrame  # one row per conversation (the CSV export)


def responses_view(
    engine: Engine, period: Period, selection: Selection = ALL, freq: str | None = None
) -> ResponsesView:
    """Load the messages around the period (Meta's 24 h rule looks a week back, answers are
    looked for up to 90 days after) and compute the page's figures."""
    options = section_options(engine, period.timezone)
    messages = repository.load_messages(
        engine,
        period.start_utc - pd.Timedelta(MESSAGES_BEFORE),
        period.end_utc + pd.Timedelta(MESSAGES_AFTER),
        selection,
    )
    return responses_figures(messages, period, freq, options)


def responses_figures(
    messages: pd.DataFrame,
    period: Period,
    freq: str | None = None,
    options: SectionOptions | None = None,
) -> ResponsesView:
    """The Réponses page's figures from a canonical messages frame."""
    freq = freq or default_frequency(period)
    options = options or SectionOptions()
    calendar = options.calendar or WorkingCalendar(timezone=period.timezone)
    document = section_figures("responses", None, messages, None, None, period, options)
    figures = {key: value for key, value in document.items() if key not in ("section", "period")}
    as_of = (
        utc_instant(options.as_of)
        if options.as_of is not None
        else latest_instant(messages, ("sent_at", "replied_at"))
    )
    judged = responses.response_target_outcomes(
        messages, period, options.response_targets, calendar, as_of
    )
    judged["hours"] = responses.first_response_hours(judged["sent_at"], judged["first_response_at"])
    judged["working_hours"] = working_hours_between(
        judged["sent_at"], judged["first_response_at"], calendar
    )
    return ResponsesView(
        period=period,
        freq=freq,
        figures=figures,
        targets=document["targets"],
        over_time=_responses_over_time(judged, period, freq),
        buckets=_buckets(document),
        by_channel=_frame(
            document["by_channel"],
            [
                "channel",
                "kind",
                "messages_received",
                "needing_answer",
                "answered",
                "response_rate",
                "median_hours",
                "p90_hours",
                "median_working_hours",
                "p90_working_hours",
                "target",
                "share_within_target",
                "moderation_share",
            ],
        ),
        waiting=_waiting(judged, messages, as_of, period.timezone),
        data_date=None if as_of is None else local_naive(pd.Series([as_of]), period.timezone)[0],
        conversations=_conversations(judged, messages, period.timezone),
    )


def _responses_over_time(judged: pd.DataFrame, period: Period, freq: str) -> pd.DataFrame:
    columns = ["start", "end", "needing_answer", "answered", "response_rate"]
    if judged.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    answered = judged["answered"].to_numpy(dtype=bool)
    for part in sub_periods(period, freq):
        inside = part.contains(judged["sent_at"]).to_numpy(dtype=bool)
        needing, done = int(inside.sum()), int((inside & answered).sum())
        rows.append(
            {
                "start": part.start,
                "end": part.end,
                "needing_answer": needing,
                "answered": done,
                "response_rate": ratio_or_none(done, needing),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    frame["response_rate"] = frame["response_rate"].astype("float64")
    return frame


def _buckets(document: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for clock, key in (
        ("calendar", "response_time_buckets"),
        ("working", "response_time_buckets_working"),
    ):
        counts = document[key]
        total = sum(counts.values())
        for bucket, _, _ in responses.RESPONSE_TIME_BUCKETS:
            rows.append(
                {
                    "bucket": bucket,
                    "clock": clock,
                    "count": counts[bucket],
                    "share": ratio_or_none(counts[bucket], total),
                }
            )
    frame = pd.DataFrame(rows, columns=["bucket", "clock", "count", "share"])
    frame["share"] = frame["share"].astype("float64")
    return frame


def _target_label(target: object) -> str | None:
    return target.label if isinstance(target, Target) else None


def _waiting(
    judged: pd.DataFrame, messages: pd.DataFrame, as_of: pd.Timestamp | None, timezone: str
) -> pd.DataFrame:
    """Conversations of the period still without an answer at the date of the data, oldest
    first, with the resident's text as stored (pseudonymised at import)."""
    columns = ["channel", "sent_at", "waited_hours", "target", "outcome", "hidden", "text"]
    waiting = judged.loc[~judged["answered"].to_numpy(dtype=bool)]
    if waiting.empty:
        return pd.DataFrame(columns=columns)
    waiting = waiting.sort_values("sent_at", kind="stable")
    source = messages.loc[waiting.index]
    waited = (
        (as_utc(pd.Series(as_of, index=waiting.index)) - waiting["sent_at"]) / _HOUR
        if as_of is not None
        else pd.Series(float("nan"), index=waiting.index)
    )
    frame = pd.DataFrame(
        {
            "channel": waiting["channel"].astype("str"),
            "sent_at": local_naive(waiting["sent_at"], timezone),
            "waited_hours": waited.astype("float64").clip(lower=0),
            "target": waiting["target"].map(_target_label),
            "outcome": waiting["outcome"],
            "hidden": source["is_hidden"].astype("boolean"),
            "text": source["text"].map(lambda text: _excerpt(text, WAITING_TEXT_LENGTH)),
        }
    )
    return frame.reset_index(drop=True)


def _conversations(judged: pd.DataFrame, messages: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """One row per conversation of the period (no author, no text): the CSV export."""
    source = messages.loc[judged.index]
    return pd.DataFrame(
        {
            "channel": judged["channel"].astype("str"),
            "message_id": source["native_id"].astype("str"),
            "sent_at": local_naive(judged["sent_at"], timezone),
            "first_response_at": local_naive(judged["first_response_at"], timezone),
            "hours": judged["hours"].round(2),
            "working_hours": judged["working_hours"].round(2),
            "target": judged["target"].map(_target_label),
            "outcome": judged["outcome"],
            "hidden": source["is_hidden"].astype("boolean"),
        }
    ).reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# Demandes et réclamations


@dataclass(frozen=True)
class Breakdown:
    """Requests per value of one column; groups under ``minimum_size`` are listed in ``hidden``."""

    by: str
    groups: pd.DataFrame  # group, requests, received, closed, open_at_end, median_…, share_…
    hidden: tuple[str, ...]
    minimum_size: int


@dataclass(frozen=True)
class RequestsView:
    """The Demandes et réclamations page's figures for one period."""

    period: Period
    freq: str
    figures: dict[str, Any]
    flows: pd.DataFrame  # start, end, received, closed, open_at_end
    backlog: pd.DataFrame  # date, open (each day, or each Sunday for long periods)
    backlog_freq: str  # day or week
    aging: pd.DataFrame  # bucket, count
    within_target: pd.DataFrame  # category, requests, target, met, missed, pending, share_…
    breakdowns: dict[str, Breakdown]
    populations_set: bool
    sources: tuple[str, ...]  # every source of the period's requests
    sources_without_closing: tuple[str, ...]  # sources with no closing date at all
    requests: pd.DataFrame  # the period's requests (the CSV export)


_EXPORTED_REQUEST_COLUMNS = (
    "source",
    "native_id",
    "created_at",
    "acknowledged_at",
    "first_response_at",
    "closed_at",
    "due_at",
    "status",
    "category",
    "subcategory",
    "district",
    "channel",
    "service",
)


# What the Demandes page reads of each request: every column but the free text, the
# coordinates and the text scores, which none of its figures or exports use (on a city's
# window of 100,000 requests the descriptions were most of the bytes read).
REQUEST_PAGE_COLUMNS = tuple(
    name
    for name in stored_schema("request")
    if name
    not in {"description", "latitude", "longitude", "language", "sentiment", "sentiment_label"}
)


def requests_view(
    engine: Engine, period: Period, selection: Selection = ALL, freq: str | None = None
) -> RequestsView:
    """Load the requests that matter to the period (received, closed or open in it) and compute
    the page's figures, with the collectivité's targets, populations and minimum group size."""
    options = section_options(engine, period.timezone)
    start, end = period.start_utc, period.end_utc
    columns = ready_columns(engine)
    if columns is not None:  # a large database's copy in memory: same rows, no read
        window = columns.requests_window(start, end, selection, REQUEST_PAGE_COLUMNS)
        requests = conform(window, "request", enriched=True)
    else:
        requests = repository.load_requests(engine, start, end, selection, REQUEST_PAGE_COLUMNS)
    return requests_figures(requests, period, freq, options)


def requests_figures(
    requests: pd.DataFrame,
    period: Period,
    freq: str | None = None,
    options: SectionOptions | None = None,
) -> RequestsView:
    """The Demandes page's figures from a canonical requests frame."""
    freq = freq or default_frequency(period)
    options = options or SectionOptions()
    document = section_figures("requests", None, None, requests, None, period, options)
    keys = (
        "requests_received",
        "requests_closed",
        "open_backlog",
        "median_resolution_hours",
        "p90_resolution_hours",
        "median_resolution_working_hours",
        "p90_resolution_working_hours",
        "km_median_resolution_hours",
        "km_median_resolution_working_hours",
        "share_closed_within_target",
        "satisfaction_rate",
        "acknowledgement",
        "first_response",
    )
    backlog_freq = "day" if period.days <= 92 else "week"
    backlog = request_figures.backlog_series(requests, period, backlog_freq)
    sources, without = _closing_sources(requests, period)
    return RequestsView(
        period=period,
        freq=freq,
        figures={key: document[key] for key in keys},
        flows=_frame(
            request_figures.requests_by_period(requests, period, freq),
            ["start", "end", "received", "closed", "open_at_end"],
        ),
        backlog=pd.DataFrame({"date": backlog.index, "open": backlog.to_numpy()}),
        backlog_freq=backlog_freq,
        aging=pd.DataFrame(
            {"bucket": list(document["aging"]), "count": list(document["aging"].values())}
        ),
        within_target=_frame(
            document["within_target_by_category"],
            ["category", "requests", "target", "met", "missed", "pending", "share_within_target"],
        ),
        breakdowns={
            by: Breakdown(
                by=by,
                groups=_frame(
                    breakdown["groups"],
                    [
                        "group",
                        "requests",
                        "received",
                        "closed",
                        "open_at_end",
                        "median_resolution_hours",
                        "share_closed_within_target",
                    ],
                ),
                hidden=tuple(breakdown["hidden"]),
                minimum_size=breakdown["minimum_size"],
            )
            for by, breakdown in document["breakdowns"].items()
        },
        populations_set=bool(options.populations),
        sources=sources,
        sources_without_closing=without,
        requests=_request_rows(requests, period),
    )


def _in_period(requests: pd.DataFrame, period: Period) -> pd.Series:
    """Received in the period, closed in it, or open at its end."""
    created, closed = as_utc(requests["created_at"]), as_utc(requests["closed_at"])
    end = period.end_utc
    still_open = (created < end) & (closed.isna() | (closed >= end))
    return (
        period.contains(requests["created_at"])
        | period.contains(requests["closed_at"])
        | still_open
    )


def _closing_sources(requests: pd.DataFrame, period: Period) -> tuple[tuple[str, ...], tuple]:
    """Every source of the period's requests, and those with no closing date at all (open data
    such as DansMaRue: their resolution times cannot be computed)."""
    shown = requests.loc[_in_period(requests, period).to_numpy(dtype=bool)]
    sources = shown["source"].astype("str").fillna("?")
    closed = shown["closed_at"].notna().to_numpy(dtype=bool)
    names = sorted(set(sources))
    without = [name for name in names if not closed[(sources == name).to_numpy(dtype=bool)].any()]
    return tuple(names), tuple(without)


def _request_rows(requests: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The requests the page counts, without free text or coordinates (the CSV export)."""
    shown = requests.loc[_in_period(requests, period).to_numpy(dtype=bool)]
    rows = shown.loc[:, list(_EXPORTED_REQUEST_COLUMNS)].copy()
    for column in ("created_at", "acknowledged_at", "first_response_at", "closed_at", "due_at"):
        rows[column] = local_naive(rows[column], period.timezone)
    # Ties broken by the request's key, so that the order does not depend on how rows were read.
    order = ["created_at", "source", "native_id"]
    return rows.sort_values(order, kind="stable").reset_index(drop=True)
