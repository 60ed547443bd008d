"""The collectivité's settings: defaults, and reading/writing them through the store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from store import repository

DEFAULT_TIMEZONE = "Europe/Paris"


@dataclass(frozen=True)
class CollectiviteSettings:
    """Settings every use case needs."""

    name: str = "Ma collectivité"
    timezone: str = DEFAULT_TIMEZONE
    our_accounts: tuple[str, ...] = ()


def current_settings(engine: Engine) -> CollectiviteSettings:
    """The stored settings, with defaults for what was never set."""
    return CollectiviteSettings(
        name=str(repository.setting(engine, "name", CollectiviteSettings.name)),
        timezone=str(repository.setting(engine, "timezone", DEFAULT_TIMEZONE)),
        our_accounts=tuple(repository.setting(engine, "our_accounts", [])),
    )


def save_settings(engine: Engine, settings: CollectiviteSettings) -> None:
    """Store the settings."""
    repository.save_setting(engine, "name", settings.name)
    repository.save_setting(engine, "timezone", settings.timezone)
    repository.save_setting(engine, "our_accounts", list(settings.our_accounts))
