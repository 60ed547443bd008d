"""The public transparency page's content: aggregated indicators only, small groups suppressed."""

from __future__ import annotations

from sqlalchemy import Engine

from metrics.period import Period
from metrics.requests import requests_breakdown
from services.auth import audit
from services.sections import section_document, section_options
from store import repository

PUBLIC_MINIMUM = 5  # no figure about fewer than 5 requests or messages is published
_SETTING = "public_page"


def public_page_enabled(engine: Engine) -> bool:
    """True when an admin has switched the public transparency page on."""
    return bool(repository.setting(engine, _SETTING, False))


def set_public_page(engine: Engine, enabled: bool, actor: str) -> None:
    """Switch the public page on or off (audited)."""
    repository.save_setting(engine, _SETTING, bool(enabled))
    audit(engine, actor, "settings_changed", public_page=bool(enabled))


def _group_rows(breakdown: dict) -> list[dict]:
    # Only counts, shares and durations: never a text a resident wrote.
    return [
        {
            "group": row["group"],
            "received": row["received"],
            "closed": row["closed"],
            "median_resolution_hours": row["median_resolution_hours"],
            "share_closed_within_target": row["share_closed_within_target"],
        }
        for row in breakdown["groups"]
    ]


def public_indicators(engine: Engine, period: Period) -> dict:
    """Services Publics+ figures, response times, and resolution by category and quartier."""
    services = section_document(engine, "services-publics", period)
    responses = section_document(engine, "responses", period)
    enough_requests = (services.get("requests_received") or 0) >= PUBLIC_MINIMUM
    enough_messages = (responses.get("needing_answer") or 0) >= PUBLIC_MINIMUM
    options = section_options(engine, period.timezone)
    requests = repository.load_requests(engine, period.start_utc, period.end_utc)
    groups = {}
    for by in ("category", "district"):
        breakdown = requests_breakdown(
            requests,
            period,
            by=by,
            minimum_size=PUBLIC_MINIMUM,
            calendar=options.calendar,
            targets=options.targets,
        )
        groups[by] = {"rows": _group_rows(breakdown), "suppressed": len(breakdown["hidden"])}
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "requests_received": services.get("requests_received") if enough_requests else None,
        "acknowledgement_within_target": (
            services["acknowledgement_within_target"]["overall"] if enough_requests else None
        ),
        "announced_deadline_share": (
            services.get("announced_deadline_share") if enough_requests else None
        ),
        "sve_share": services.get("sve_share") if enough_requests else None,
        "response_rate": responses.get("response_rate") if enough_messages else None,
        "median_first_response_hours": (
            responses.get("median_first_response_hours") if enough_messages else None
        ),
        "groups": groups,
        "minimum": PUBLIC_MINIMUM,
    }
