"""The "Méthode de calcul" texts, read from docs/metrics.md, the one written reference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

METHOD_DOC = Path(__file__).resolve().parent.parent / "docs" / "metrics.md"

# The five fields every section must fill, in the order the document gives them.
METHOD_FIELDS: tuple[str, ...] = (
    "Formule",
    "Unité",
    "Ce qui compte",
    "Données absentes, division par zéro",
    "Source",
)

_HEADING = re.compile(r"^## `(?P<key>[^`]+)`\s+[—–-]\s+(?P<title>.+?)\s*$")
_FIELD = re.compile(r"^\*\*(?P<label>[^*]+)\*\*\s*:\s*(?P<text>.*)$")


@dataclass(frozen=True)
class _Section:
    title: str
    body: str


def method_text(key: str) -> str:
    """The markdown body of the section of figure ``key`` (without its heading)."""
    return _section(key).body


def method_title(key: str) -> str:
    """The French title of figure ``key``, as written in its section heading."""
    return _section(key).title


def method_fields(key: str) -> dict[str, str]:
    """The bold-labelled fields of the section of ``key`` (label → text, in document order)."""
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in method_text(key).splitlines():
        match = _FIELD.match(line)
        if match:
            current = fields.setdefault(match["label"].strip(), [])
            current.append(match["text"])
        elif current is not None:
            current.append(line)
    return {label: "\n".join(lines).strip() for label, lines in fields.items()}


def documented_keys() -> set[str]:
    """Keys of every section of docs/metrics.md."""
    return set(_sections())


def _section(key: str) -> _Section:
    sections = _sections()
    if key not in sections:
        raise KeyError(
            f"Aucune méthode de calcul documentée pour « {key} » dans {METHOD_DOC.name}."
        )
    return sections[key]


@cache
def _sections() -> dict[str, _Section]:
    text = METHOD_DOC.read_text(encoding="utf-8")
    sections: dict[str, _Section] = {}
    key, title, body = None, "", []
    for line in [*text.splitlines(), "## "]:  # the sentinel closes the last section
        if line.startswith("# ") or line.startswith("## "):
            if key is not None:
                sections[key] = _Section(title, "\n".join(body).strip())
            heading = _HEADING.match(line)
            key, title, body = (heading["key"], heading["title"], []) if heading else (None, "", [])
        elif key is not None:
            body.append(line)
    return sections
