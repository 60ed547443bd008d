"""The figures of each dashboard section, as one JSON-ready dict (for the pages and the CLI)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from metrics import engagement, responses, services_publics
from metrics import requests as request_figures
from metrics._common import plain, ratio_or_none
from metrics.channels import CHANNEL_FAMILIES, channel_families
from metrics.period import Period
from metrics.targets import Target
from metrics.working_time import WorkingCalendar

SECTIONS: tuple[str, ...] = ("engagement", "responses", "requests", "services-publics")

# docs/metrics.md sections of the library beyond the Synthèse figures, per dashboard section
# (the rule sections first). Every key here has its section in the document.
SECTION_DOC_KEYS: dict[str, tuple[str, ...]] = {
    "rules": ("temps_ouvre", "delais_cibles", "canaux", "petits_groupes"),
    "engagement": (
        "post_metrics",
        "engagement_rate_followers",
        "engagement_breakdown",
        "top_posts",
        "best_time",
        "audience_growth",
    ),
    "responses": (
        "response_rate",
        "first_response_time",
        "response_within_target",
        "response_time_distribution",
        "moderation_share",
        "responses_by_channel",
    ),
    "requests": (
        "requests_per_period",
        "backlog_over_time",
        "request_aging",
        "request_delays",
        "km_median_resolution_hours",
        "closed_within_target",
        "reopen_rate",
        "satisfaction_rate",
        "requests_breakdown",
    ),
    "services-publics": (
        "sp_acknowledgement",
        "sp_announced_deadline",
        "sve",
        "marianne",
        "satisfaction_survey",
    ),
}
LIBRARY_KEYS: tuple[str, ...] = tuple(key for keys in SECTION_DOC_KEYS.values() for key in keys)

BREAKDOWN_COLUMNS: tuple[str, ...] = ("category", "district", "channel", "service")


@dataclass(frozen=True)
class SectionOptions:
    """Settings of the section figures.

    ``calendar``: working hours and holidays (default: metropolitan calendar in the period's
    time zone). ``response_targets``: channel or channel kind → Target (default:
    responses.DEFAULT_RESPONSE_TARGETS). ``targets``: request category → Target (or hours),
    ``default_target`` for the other categories. ``populations``: district → inhabitants.
    ``minimum_group_size``: smaller groups are hidden from comparisons. ``as_of``: the
    instant at which unanswered items are judged against their deadline (default: the
    latest instant of the data). ``survey``: satisfaction answers (Series, or DataFrame with
    ``answer`` and ``answered_at``).
    """

    calendar: WorkingCalendar | None = None
    response_targets: Mapping[str, Target | float | None] | None = None
    targets: Mapping[str, Target | float | None] | None = None
    default_target: Target | float | None = request_figures.DEFAULT_REQUEST_TARGET
    populations: Mapping[str, float] | None = None
    minimum_group_size: int = request_figures.DEFAULT_MINIMUM_GROUP_SIZE
    as_of: datetime | pd.Timestamp | None = None
    engagement_base: engagement.RateBase = "reach"
    minimum_base: int = engagement.DEFAULT_MINIMUM_BASE
    minimum_posts_per_cell: int = engagement.DEFAULT_MINIMUM_POSTS_PER_CELL
    ranked_count: int = 5
    survey: Any = field(default=None, compare=False)


def section_figures(
    section: str,
    publications: pd.DataFrame | None,
    messages: pd.DataFrame | None,
    requests: pd.DataFrame | None,
    audience: pd.DataFrame | None,
    period: Period,
    options: SectionOptions | None = None,
) -> dict[str, Any]:
    """Every figure of ``section`` for ``period``: plain ints, floats, str, None, lists and
    dicts only (JSON-ready). Frames a section does not use may be None."""
    if section not in SECTIONS:
        raise ValueError(f"Section inconnue : {section!r} (attendu : {', '.join(SECTIONS)}).")
    options = options or SectionOptions()
    calendar = options.calendar or WorkingCalendar(timezone=period.timezone)
    if section == "engagement":
        figures = _engagement(_needed(publications, "publications"), audience, period, options)
    elif section == "responses":
        figures = _responses(_needed(messages, "messages"), period, calendar, options)
    elif section == "requests":
        figures = _requests(_needed(requests, "demandes"), period, calendar, options)
    else:
        figures = _services_publics(_needed(requests, "demandes"), period, calendar, options)
    return plain({"section": section, "period": _period(period), **figures})


def _engagement(
    posts: pd.DataFrame, audience: pd.DataFrame | None, period: Period, options: SectionOptions
) -> dict[str, Any]:
    base = options.engagement_base
    has_audience = audience is not None and not audience.empty
    usable = audience if has_audience else None
    return {
        "base": base,
        "publications": engagement.publication_count(posts, period),
        "interactions": engagement.interaction_total(posts, period),
        "engagement_rate_reach": engagement.engagement_rate(posts, period, "reach"),
        "engagement_rate_impressions": engagement.engagement_rate(posts, period, "impressions"),
        "engagement_rate_followers": engagement.engagement_rate_followers(posts, audience, period)
        if has_audience
        else None,
        **{
            f"by_{by}": engagement.engagement_by(posts, period, by, base, usable)
            if base != "followers" or has_audience
            else []
            for by in ("platform", "post_type", "hour", "weekday")
        },
        "top_posts": _ranked(posts, period, options, usable, bottom=False),
        "bottom_posts": _ranked(posts, period, options, usable, bottom=True),
        "best_time": engagement.best_time_grid(
            posts, period, base, options.minimum_posts_per_cell, usable
        )
        if base != "followers" or has_audience
        else None,
        "audience_growth": engagement.audience_growth(audience, period) if has_audience else [],
    }


def _ranked(posts, period, options, audience, bottom: bool) -> list[dict[str, Any]]:
    if options.engagement_base == "followers" and audience is None:
        return []
    return engagement.ranked_posts(
        posts,
        period,
        options.engagement_base,
        options.ranked_count,
        options.minimum_base,
        audience,
        bottom=bottom,
    )


def _responses(
    messages: pd.DataFrame, period: Period, calendar: WorkingCalendar, options: SectionOptions
) -> dict[str, Any]:
    times = responses.first_response_times(messages, period, calendar)
    summary = responses.delay_summary(times)
    targets = (
        responses.DEFAULT_RESPONSE_TARGETS
        if options.response_targets is None
        else options.response_targets
    )
    answered = int(times["answered"].sum())
    return {
        "messages_received": responses.messages_received(messages, period),
        "needing_answer": len(times),
        "answered": answered,
        "response_rate": ratio_or_none(answered, len(times)),
        "median_first_response_hours": summary["median_hours"],
        "p90_first_response_hours": summary["p90_hours"],
        "median_first_response_working_hours": summary["median_working_hours"],
        "p90_first_response_working_hours": summary["p90_working_hours"],
        "targets": {key: None if t is None else _label(t) for key, t in targets.items()},
        "share_within_target": responses.share_within_target(
            messages, period, targets, calendar, options.as_of
        ),
        "response_time_buckets": responses.bucket_counts(times["hours"]),
        "response_time_buckets_working": responses.bucket_counts(times["working_hours"]),
        "moderation_share": responses.moderation_share(messages, period),
        "by_channel": responses.responses_by_channel(
            messages, period, calendar, targets, options.as_of
        ),
    }


def _requests(
    requests: pd.DataFrame, period: Period, calendar: WorkingCalendar, options: SectionOptions
) -> dict[str, Any]:
    closing = request_figures.milestone_summary(requests, period, "closed", calendar)
    end = period.end_utc
    freq = "week" if period.days <= 92 else "month"
    backlog = request_figures.backlog_series(requests, period, "week")
    targets = options.targets
    return {
        "requests_received": request_figures.requests_received(requests, period),
        "requests_closed": request_figures.requests_closed(requests, period),
        "open_backlog": request_figures.open_backlog(requests, end),
        "median_resolution_hours": closing["median_hours"],
        "p90_resolution_hours": closing["p90_hours"],
        "median_resolution_working_hours": closing["median_working_hours"],
        "p90_resolution_working_hours": closing["p90_working_hours"],
        "km_median_resolution_hours": request_figures.km_median_resolution_hours(
            requests, period, "calendar", calendar
        ),
        "km_median_resolution_working_hours": request_figures.km_median_resolution_hours(
            requests, period, "working", calendar
        ),
        "acknowledgement": request_figures.milestone_summary(
            requests, period, "acknowledged", calendar
        ),
        "first_response": request_figures.milestone_summary(
            requests, period, "first_response", calendar
        ),
        "aging": request_figures.open_request_aging(requests, end),
        "flows_frequency": freq,
        "flows": request_figures.requests_by_period(requests, period, freq),
        "backlog_weekly": [
            {"date": day.isoformat(), "open": int(count)} for day, count in backlog.items()
        ],
        "share_closed_within_target": request_figures.share_closed_within_target(
            requests, period, targets, options.default_target, calendar, options.as_of
        ),
        "within_target_by_category": request_figures.closed_within_target_by_category(
            requests, period, targets, options.default_target, calendar, options.as_of
        ),
        "reopen_rate": request_figures.reopen_rate(requests, period),
        "satisfaction_rate": request_figures.satisfaction_rate(requests, period),
        "breakdowns": request_figures.requests_breakdowns(
            requests,
            period,
            [by for by in BREAKDOWN_COLUMNS if by in requests.columns],
            populations=None if options.populations is None else {"district": options.populations},
            minimum_size=options.minimum_group_size,
            calendar=calendar,
            targets=targets,
            default_target=options.default_target,
            as_of=options.as_of,
        ),
    }


def _services_publics(
    requests: pd.DataFrame, period: Period, calendar: WorkingCalendar, options: SectionOptions
) -> dict[str, Any]:
    received = requests.loc[period.contains(requests["created_at"])]
    families = channel_families(received["channel"])
    counts = {family: int((families == family).sum()) for family in CHANNEL_FAMILIES}
    counts["unknown"] = int(families.isna().sum())
    return {
        "requests_received": len(received),
        "channel_families": counts,
        "acknowledgement_within_target": services_publics.acknowledgement_within_target(
            requests, period, calendar, options.as_of
        ),
        "announced_deadline_share": services_publics.announced_deadline_share(requests, period),
        "sve_share": services_publics.sve_share(requests, period, calendar, options.as_of),
        "marianne": services_publics.marianne_references(requests, period, options.as_of),
        "satisfaction": None
        if options.survey is None
        else services_publics.satisfaction_survey(options.survey, period),
    }


def _needed(frame: pd.DataFrame | None, kind: str) -> pd.DataFrame:
    if frame is None:
        raise ValueError(f"Le tableau « {kind} » est nécessaire pour cette section.")
    return frame


def _label(target: Target | float) -> str:
    return target.label if isinstance(target, Target) else Target(float(target)).label


def _period(period: Period) -> dict[str, str]:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "timezone": period.timezone,
    }
