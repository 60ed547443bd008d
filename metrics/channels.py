"""Channels: one documented mapping from the exported channel strings to kinds and families.

Kinds are what the response targets need (social network, e-mail, online form, letter,
phone, counter); families are the Services Publics+ grouping (electronic, letter, phone,
counter). Matching ignores case, accents, spaces, hyphens and underscores; anything not
recognised (including "other" and "unknown") has no kind and no family.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

import pandas as pd

ChannelKind = Literal["social", "email", "online", "letter", "phone", "counter"]
ChannelFamily = Literal["electronic", "letter", "phone", "counter"]

CHANNEL_KINDS: tuple[str, ...] = ("social", "email", "online", "letter", "phone", "counter")
CHANNEL_FAMILIES: tuple[str, ...] = ("electronic", "letter", "phone", "counter")

# kind → family: social networks, e-mail and online forms are all electronic requests.
FAMILY_OF_KIND: dict[str, str] = {
    "social": "electronic",
    "email": "electronic",
    "online": "electronic",
    "letter": "letter",
    "phone": "phone",
    "counter": "counter",
}

# Normalised spellings (lower case, no accents, no spaces, hyphens or underscores).
_KIND_OF: dict[str, str] = {
    **dict.fromkeys(
        (
            "facebook", "instagram", "x", "twitter", "linkedin", "tiktok", "youtube",
            "threads", "bluesky", "mastodon", "messenger", "whatsapp", "snapchat",
            "reseauxsociaux", "reseausocial", "socialmedia", "social",
        ),
        "social",
    ),
    **dict.fromkeys(("email", "mail", "courriel", "messagerie", "emails"), "email"),
    **dict.fromkeys(
        (
            "online", "web", "internet", "siteinternet", "siteweb", "formulaire",
            "formulaireenligne", "enligne", "teleservice", "portail", "mobile",
            "application", "applicationmobile", "app", "appli", "sms", "chat", "tchat",
        ),
        "online",
    ),
    **dict.fromkeys(("courrier", "courrierpostal", "lettre", "letter", "postal", "post"), "letter"),
    **dict.fromkeys(("phone", "telephone", "tel", "appel", "call"), "phone"),
    **dict.fromkeys(
        ("accueil", "guichet", "counter", "inperson", "walkin", "surplace", "accueilphysique"),
        "counter",
    ),
}  # fmt: skip


def normalise_channel(channel: object) -> str | None:
    """Lower case, accents, spaces, hyphens and underscores removed; None for a missing value."""
    if not isinstance(channel, str):
        return None
    decomposed = unicodedata.normalize("NFKD", channel.strip().lower())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in letters if c not in " -_'’.")


def channel_kind(channel: object) -> str | None:
    """social / email / online / letter / phone / counter, or None when not recognised."""
    key = normalise_channel(channel)
    return None if key is None else _KIND_OF.get(key)


def channel_family(channel: object) -> str | None:
    """electronic / letter / phone / counter (Services Publics+), or None when not recognised.

    Electronic: social networks, e-mail (``email``, ``courriel``), online forms, mobile
    applications, SMS and chat. Letter: ``courrier``. Phone: ``téléphone``. Counter:
    ``accueil``, ``guichet``.
    """
    kind = channel_kind(channel)
    return None if kind is None else FAMILY_OF_KIND[kind]


def channel_kinds(channels: pd.Series) -> pd.Series:
    """:func:`channel_kind` of each value (object Series, None when not recognised)."""
    return _map_unique(channels, channel_kind)


def channel_families(channels: pd.Series) -> pd.Series:
    """:func:`channel_family` of each value (object Series, None when not recognised)."""
    return _map_unique(channels, channel_family)


def _map_unique(values: pd.Series, function) -> pd.Series:
    # One call per distinct spelling, not per row.
    table = {value: function(value) for value in values.dropna().unique()}
    mapped = values.map(table).astype(object)
    return mapped.where(mapped.notna(), None)
