"""Pseudonymisation of residents' identities and masking of contact details in free text."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

import pandas as pd

_DEFAULT_SECRET_FILE = Path(__file__).resolve().parents[1] / "data" / "secret.key"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# French numbers (06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78) and other
# international numbers of 9+ digits written with separators.
_PHONE = re.compile(r"(?<!\w)(?:\+\d{1,3}[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\w)")

# A street number before a French street type ("12 bis rue Victor-Hugo", "3, allée des Pins"):
# with the quartier kept elsewhere, the number is what pins a home.
_STREET_NUMBER = re.compile(
    r"(?<![\w/])\d{1,4}\s*(?:bis|ter|quater|[a-d])?\s*,?\s+(?=(?:rue|avenue|av\.|boulevard|bd|place|"
    r"impasse|allée|allee|chemin|route|quai|cours|square|passage|résidence|residence|lotissement|"
    r"cité|cite|sentier|voie|rond-point|faubourg|chaussée|chaussee)\b)",
    re.IGNORECASE,
)

# A run of capitalised words (« David Dubois », « Marie-Claire Le Goff »): where a name that
# Facebook inserts when a resident tags someone stands in a comment.
_CAPITALISED_RUN = re.compile(
    r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+(?:(?:de|du|des|le|la|van|von)\s+)?[A-ZÀ-ÖØ-Þ][\w'’-]*)+"
)
# Names of fewer than two words are not masked: a lone « Martin » or « Rose » is too often a
# word, a street or a place.
MINIMUM_NAME_WORDS = 2

EMAIL_MASK = "[courriel masqué]"
NAME_MASK = "[nom masqué]"
PHONE_MASK = "[téléphone masqué]"
NUMBER_MASK = "[n°] "
DEFAULT_COORDINATE_DECIMALS = 3  # about 110 m in latitude: a block, not a door


def secret_file() -> Path:
    """Where the pseudonymisation key lives: outside the database, never committed."""
    return Path(os.environ.get("PARVIS_SECRET_FILE", _DEFAULT_SECRET_FILE))


@lru_cache(maxsize=4)
def _secret(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        # Exclusive creation: two processes starting together must not overwrite each other's key.
        try:
            with open(file, "x", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
            file.chmod(0o600)
        except FileExistsError:
            pass
    return bytes.fromhex(file.read_text(encoding="ascii").strip())


def pseudonym(value: str) -> str:
    """A stable keyed pseudonym of an identity (name, handle, e-mail, id)."""
    digest = hmac.new(
        _secret(str(secret_file())), value.strip().casefold().encode(), hashlib.sha256
    )
    return "hab-" + digest.hexdigest()[:16]


def pseudonyms(values: pd.Series) -> pd.Series:
    """Pseudonyms of a column of identities; missing stays missing. Each distinct value hashed once."""
    distinct = values.dropna().unique()
    mapping = {v: pseudonym(str(v)) for v in distinct if str(v).strip()}
    return values.map(mapping).astype("str")


def masked_text(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and street numbers replaced by a mask."""
    return _STREET_NUMBER.sub(NUMBER_MASK, _PHONE.sub(PHONE_MASK, _EMAIL.sub(EMAIL_MASK, text)))


def masked_texts(values: pd.Series) -> pd.Series:
    """Masked copies of a column of free texts; missing stays missing.

    Each distinct text is masked once: a large export repeats the same descriptions (a 311
    file's million rows hold far fewer distinct texts)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return values.copy()
    distinct = pd.Series(uniques, dtype=values.dtype)
    masked = (
        distinct.str.replace(_EMAIL, EMAIL_MASK, regex=True)
        .str.replace(_PHONE, PHONE_MASK, regex=True)
        .str.replace(_STREET_NUMBER, NUMBER_MASK, regex=True)
    )
    result = pd.Series(masked.to_numpy()[codes], index=values.index, dtype=values.dtype)
    return result.where(codes >= 0)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def masked_names(texts: pd.Series, names: pd.Series) -> pd.Series:
    """``texts`` with the full names of ``names`` (the file's resident authors: a comment that
    tags a neighbour writes their name) replaced by a mask; missing stays missing.

    Only names of two words or more, written with capitals in the text, are looked for; the
    match ignores case and spacing, not accents. Each distinct text is scanned once.
    """
    known = {
        _name_key(name)
        for name in names.dropna().astype("str").unique()
        if len(name.split()) >= MINIMUM_NAME_WORDS
    }
    if not known:
        return texts

    def masked(text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            run = match.group(0)
            if _name_key(run) in known:
                return NAME_MASK
            # A longer run of capitals (« Merci David Dubois ») may hold a name inside it.
            words = run.split()
            for size in range(len(words) - 1, MINIMUM_NAME_WORDS - 1, -1):
                for start in range(len(words) - size + 1):
                    if _name_key(" ".join(words[start : start + size])) in known:
                        inner = " ".join([*words[:start], NAME_MASK, *words[start + size :]])
                        return inner
            return run

        return _CAPITALISED_RUN.sub(replace, text)

    distinct = texts.dropna().unique()
    mapping = {text: masked(text) for text in distinct}
    return texts.map(mapping).astype(texts.dtype)


def rounded_coordinates(
    values: pd.Series, decimals: int = DEFAULT_COORDINATE_DECIMALS
) -> pd.Series:
    """Coordinates rounded so that a point locates a block of houses, not a home."""
    return values.round(decimals)
