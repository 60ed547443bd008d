"""Themes of residents' texts and posts, from editable keyword rules (data/taxonomy/themes.toml),
and the keyword-rule engine that the content audit and the residents' voice classes share.

Matching works on folded words: NFKC first (Meta captions write « 𝐓𝐫𝐚𝐯𝐚𝐮𝐱 » in math-bold
letters), hashtags split on their capitals (#ConseilMunicipal → conseil municipal), lower case,
no accents, every character that is not a letter or a digit a word break (so « nid-de-poule »
and « nid de poule » are the same phrase), and a final « s » or « x » dropped from words of four
letters or more (the regular plural: « lampadaires » finds « lampadaire »). A keyword or phrase
matches whole words only; at each position the longest keyword wins, so « ramassage scolaire »
is not also read as « ramassage ». Each distinct text is read once.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

TAXONOMY_DIR = Path(__file__).resolve().parent.parent / "data" / "taxonomy"
THEMES_FILE = TAXONOMY_DIR / "themes.toml"
NO_THEME = "(sans thème)"

# Sentiment labels a rule may require (metrics.sentiment's labels).
SENTIMENT_LABELS: tuple[str, ...] = ("positif", "neutre", "négatif", "non évalué")

# --- folding ---------------------------------------------------------------------------------

_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-zß-öø-ÿ])(?=[A-ZÀ-ÖØ-Þ])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_PLURAL_MIN_LENGTH = 4


def _split_hashtag(match: re.Match[str]) -> str:
    return " " + _CAMEL.sub(" ", match.group(1)) + " "


def fold(text: str) -> str:
    """``text`` as matched: NFKC, hashtags split on capitals, lower case, no accents, only
    letters a–z and digits, single spaces. « 𝐍𝐢𝐝-𝐝𝐞-𝐏𝐨𝐮𝐥𝐞 ! » → « nid de poule »."""
    text = unicodedata.normalize("NFKC", text)
    if "#" in text:
        text = _HASHTAG.sub(_split_hashtag, text)
    text = unicodedata.normalize("NFD", text.lower().translate(_LIGATURES))
    return _NON_WORD.sub(" ", _COMBINING.sub("", text)).strip()


def _stem(word: str) -> str:
    if len(word) >= _PLURAL_MIN_LENGTH and word[-1] in "sx":
        return word[:-1]
    return word


@functools.lru_cache(maxsize=1 << 14)
def word_keys(text: str) -> tuple[str, ...]:
    """The matching keys of ``text``'s words: folded, regular plural removed.

    Remembered for the last 16,384 texts: a page classifies the same texts by theme, by
    voice class and by content class, and folding them is most of that work."""
    return tuple(_stem(word) for word in fold(text).split())


def keyword_key(keyword: str) -> tuple[str, ...]:
    """The key a keyword or phrase is matched by (its folded words, plural removed)."""
    return tuple(word_keys(keyword))


class _Matcher:
    """Longest-first, non-overlapping search of keyword keys in a text's word keys."""

    def __init__(self, entries: Mapping[tuple[str, ...], int]) -> None:
        self._table = dict(entries)
        self._lengths = sorted({len(key) for key in self._table}, reverse=True)
        self._starts = frozenset(key[0] for key in self._table)

    def find(self, keys: Sequence[str]) -> list[int]:
        """Payloads of the keywords found in ``keys``, one per occurrence, in text order."""
        found: list[int] = []
        i, n = 0, len(keys)
        while i < n:
            step = 1
            if keys[i] in self._starts:
                for length in self._lengths:
                    if i + length <= n:
                        payload = self._table.get(tuple(keys[i : i + length]))
                        if payload is not None:
                            found.append(payload)
                            step = length
                            break
            i += step
        return found


def _distinct(texts: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(codes, distinct texts): code −1 for a missing text."""
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    return codes, [value if isinstance(value, str) else str(value) for value in uniques]


def non_empty(texts: pd.Series) -> pd.Series:
    """True where the text is present and not only blanks."""
    as_text = texts.astype("str")
    return (as_text.notna() & as_text.str.strip().str.len().gt(0)).fillna(False).astype(bool)


def _share(flags: pd.Series, among: pd.Series) -> float | None:
    total = int(among.sum())
    if total == 0:
        return None
    return int((flags & among).sum()) / total


# --- reading rule files ----------------------------------------------------------------------


def _read_toml(text: str, what: str) -> tuple[dict | None, list[str]]:
    if not isinstance(text, str):
        return None, [f"{what} : un texte TOML est attendu, reçu {type(text).__name__}."]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{what} illisible : TOML invalide ({exc})."]


def _keyword_list(value: object, where: str, problems: list[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(f"{where} : « mots » doit être une liste de textes entre guillemets.")
        return []
    keywords = []
    for item in value:
        if not keyword_key(item):
            problems.append(f"{where} : le mot-clé « {item} » n'a ni lettre ni chiffre.")
        else:
            keywords.append(item)
    return keywords


def _duplicates(owners: Iterable[tuple[str, str]], problems: list[str]) -> dict[tuple, str]:
    """Map each keyword key to its owner; report keys claimed by two different owners."""
    seen: dict[tuple[str, ...], tuple[str, str]] = {}
    for owner, keyword in owners:
        key = keyword_key(keyword)
        if key in seen and seen[key][0] != owner:
            first_owner, first_keyword = seen[key]
            same = "" if first_keyword == keyword else f" (écrit « {first_keyword} »)"
            problems.append(
                f"Le mot-clé « {keyword} » est à la fois dans {first_owner}{same} et dans "
                f"{owner} : gardez-le à un seul endroit."
            )
        seen.setdefault(key, (owner, keyword))
    return {key: owner for key, (owner, _) in seen.items()}


# --- themes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """One theme: its name and the keywords or phrases that reveal it."""

    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    """The themes, in the file's order (which breaks ties between equally matched themes)."""

    themes: tuple[Theme, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(theme.name for theme in self.themes)

    @cached_property
    def _matcher(self) -> _Matcher:
        entries: dict[tuple[str, ...], int] = {}
        for index, theme in enumerate(self.themes):
            for keyword in theme.keywords:
                entries.setdefault(keyword_key(keyword), index)
        return _Matcher(entries)

    def hits_of(self, text: str) -> np.ndarray:
        """Keyword occurrences of each theme in ``text`` (one count per theme)."""
        counts = np.zeros(len(self.themes), dtype=np.int64)
        for index in self._matcher.find(word_keys(text)):
            counts[index] += 1
        return counts


def _parse_taxonomy(text: str) -> tuple[list[str], Taxonomy | None]:
    document, problems = _read_toml(text, "Fichier de thèmes")
    if document is None:
        return problems, None
    for key in document:
        if key != "theme":
            problems.append(f"Clé inconnue « {key} » : le fichier ne contient que des [[theme]].")
    blocks = document.get("theme")
    if not isinstance(blocks, list) or not blocks:
        problems.append(
            "Aucun thème : ajoutez au moins un bloc [[theme]] avec « nom » et « mots »."
        )
        return problems, None
    themes: list[Theme] = []
    names: set[str] = set()
    for number, block in enumerate(blocks, start=1):
        if not isinstance(block, dict):
            problems.append(f"Thème n° {number} : un bloc [[theme]] est attendu.")
            continue
        name = block.get("nom")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"Thème n° {number} : « nom » manquant ou vide.")
            continue
        name = name.strip()
        where = f"Thème « {name} »"
        for key in block:
            if key not in ("nom", "mots"):
                problems.append(f"{where} : clé inconnue « {key} » (attendu : nom, mots).")
        if name in names:
            problems.append(f"{where} : ce nom est déjà celui d'un autre thème.")
        names.add(name)
        keywords = _keyword_list(block.get("mots", []), where, problems)
        if not keywords:
            problems.append(f"{where} : aucun mot-clé, le thème ne serait jamais reconnu.")
        themes.append(Theme(name, tuple(keywords)))
    _duplicates(
        ((f"le thème « {theme.name} »", keyword) for theme in themes for keyword in theme.keywords),
        problems,
    )
    return problems, (None if problems else Taxonomy(tuple(themes)))


def taxonomy_problems(text: str) -> list[str]:
    """French messages describing what is wrong with a themes file (empty list: it is valid)."""
    return _parse_taxonomy(text)[0]


def load_taxonomy(text: str | None = None) -> Taxonomy:
    """The taxonomy of ``text`` (TOML), or of data/taxonomy/themes.toml when None.

    Raises ValueError with the French list of problems when the file is invalid.
    """
    if text is None:
        text = THEMES_FILE.read_text(encoding="utf-8")
    problems, taxonomy = _parse_taxonomy(text)
    if taxonomy is None:
        raise ValueError("Fichier de thèmes invalide :\n- " + "\n- ".join(problems))
    return taxonomy


def theme_hits(texts: pd.Series, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Keyword occurrences of each theme (columns, taxonomy order) in each text (rows)."""
    taxonomy = taxonomy or load_taxonomy()
    codes, uniques = _distinct(texts)
    matrix = np.zeros((len(uniques) + 1, len(taxonomy.themes)), dtype=np.int64)
    for row, text in enumerate(uniques):
        matrix[row] = taxonomy.hits_of(text)
    # A missing text has the code −1, which picks the last row: no hit.
    return pd.DataFrame(matrix[codes], index=texts.index, columns=list(taxonomy.names))


def themes_of(texts: pd.Series, taxonomy: Taxonomy | None = None) -> pd.Series:
    """The themes of each text as a tuple of names (empty when none): most hits first, equal
    hits in taxonomy order; so the first name is the primary theme."""
    taxonomy = taxonomy or load_taxonomy()
    codes, uniques = _distinct(texts)
    names = taxonomy.names
    distinct = np.empty(len(uniques) + 1, dtype=object)
    for row, text in enumerate(uniques):
        hits = taxonomy.hits_of(text)
        order = sorted(np.flatnonzero(hits), key=lambda i: (-hits[i], i))
        distinct[row] = tuple(names[i] for i in order)
    distinct[-1] = ()
    return pd.Series(distinct[codes], index=texts.index, dtype=object)


def primary_theme(texts: pd.Series, taxonomy: Taxonomy | None = None) -> pd.Series:
    """The theme with the most keyword hits in each text (tie: the first in the taxonomy);
    missing (NaN) when no theme matches."""
    hits = theme_hits(texts, taxonomy)
    if hits.shape[1] == 0:
        return pd.Series(np.nan, index=texts.index, dtype="str")
    values = hits.to_numpy()
    best = values.argmax(axis=1)  # argmax returns the first maximum: taxonomy order
    names = np.asarray(hits.columns, dtype=object)[best]
    names[values.max(axis=1) == 0] = np.nan
    return pd.Series(names, index=texts.index, dtype="str")


def theme_coverage(texts: pd.Series, taxonomy: Taxonomy | None = None) -> float | None:
    """Share of the non-empty texts that have at least one theme (None without any text)."""
    present = non_empty(texts)
    themed = theme_hits(texts, taxonomy).sum(axis=1).gt(0)
    return _share(themed, present)


# --- classes by weighted rules (content audit, residents' voice) ----------------------------


@dataclass(frozen=True)
class Rule:
    """One weighted rule. It counts each occurrence of its keywords, or 1 when the text holds
    its punctuation, or 1 when it has neither (a condition-only rule); the count is 0 unless
    the text's sentiment label is in ``sentiment`` (when given) and its source is ``source``
    (when given)."""

    label: str
    weight: float
    keywords: tuple[str, ...] = ()
    punctuation: str = ""
    sentiment: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class RuleSet:
    """Weighted rules scoring each text for each class.

    ``labels`` are the classes in tie-break order: the class with the highest score wins,
    among those whose score reaches their minimum; equal scores go to the earlier class;
    no class at its minimum gives ``other``.
    """

    labels: tuple[str, ...]
    rules: tuple[Rule, ...]
    minimums: tuple[float, ...]
    other: str

    @cached_property
    def _matcher(self) -> _Matcher:
        entries: dict[tuple[str, ...], int] = {}
        for index, rule in enumerate(self.rules):
            for keyword in rule.keywords:
                entries.setdefault(keyword_key(keyword), index)
        return _Matcher(entries)

    def _text_counts(self, text: str) -> np.ndarray:
        """Per rule, before conditions: keyword occurrences, punctuation present, or 1."""
        counts = np.zeros(len(self.rules), dtype=np.float64)
        for index in self._matcher.find(word_keys(text)):
            counts[index] += 1
        normalised = unicodedata.normalize("NFKC", text) if not text.isascii() else text
        for index, rule in enumerate(self.rules):
            if rule.punctuation:
                counts[index] = float(rule.punctuation in normalised)
            elif not rule.keywords:
                counts[index] = 1.0
        return counts

    def classify(
        self,
        texts: pd.Series,
        sentiment_labels: pd.Series | None = None,
        sources: pd.Series | str | None = None,
    ) -> pd.Series:
        """The class of each text (``other`` for a missing or blank text)."""
        codes, uniques = _distinct(texts)
        per_text = np.zeros((len(uniques) + 1, len(self.rules)), dtype=np.float64)
        for row, text in enumerate(uniques):
            per_text[row] = self._text_counts(text)
        counts = per_text[codes]
        for index, rule in enumerate(self.rules):
            if rule.sentiment:
                if sentiment_labels is None:
                    raise ValueError(
                        "Ces règles tiennent compte du sentiment : donnez le sentiment des textes."
                    )
                allowed = _aligned(sentiment_labels, texts).isin(rule.sentiment)
                counts[:, index] *= allowed.to_numpy(dtype=bool)
            if rule.source:
                if isinstance(sources, str) or sources is None:
                    matches = np.full(len(texts), sources == rule.source)
                else:
                    matches = _aligned(sources, texts).eq(rule.source).to_numpy(dtype=bool)
                counts[:, index] *= matches
        weights = np.zeros((len(self.rules), len(self.labels)), dtype=np.float64)
        for index, rule in enumerate(self.rules):
            weights[index, self.labels.index(rule.label)] = rule.weight
        scores = counts @ weights
        minimums = np.asarray(self.minimums, dtype=np.float64)
        eligible = (scores >= minimums) & (scores > 0)
        masked = np.where(eligible, scores, -np.inf)
        best = masked.argmax(axis=1) if len(self.labels) else np.zeros(len(texts), dtype=int)
        chosen = np.asarray(self.labels, dtype=object)[best] if self.labels else None
        result = np.full(len(texts), self.other, dtype=object)
        found = eligible.any(axis=1) & non_empty(texts).to_numpy(dtype=bool)
        if chosen is not None:
            result[found] = chosen[found]
        return pd.Series(result, index=texts.index, dtype="str")


def _aligned(values: pd.Series, texts: pd.Series) -> pd.Series:
    """``values`` row for row with ``texts`` (same index, or reindexed on it)."""
    if values.index.equals(texts.index):
        return values.fillna("").astype(object)
    return values.reindex(texts.index).fillna("").astype(object)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def parse_rules(
    text: str,
    labels: Sequence[str],
    other: str,
    what: str,
    conditions: bool = False,
) -> tuple[list[str], RuleSet | None]:
    """(problems, rule set) of a rules file for the classes ``labels``.

    The file gives ``departage`` (every class once, tie-break order), an optional
    ``[minimum]`` table (class → minimum score, default 1) and ``[[regle]]`` blocks:
    ``classe``, ``poids`` (default 1) and ``mots``, or with ``conditions`` also
    ``ponctuation``, ``sentiment`` (list of labels) and ``source``.
    """
    document, problems = _read_toml(text, what)
    if document is None:
        return problems, None
    expected = ", ".join(labels)
    allowed_keys = {"classe", "poids", "mots"} | (
        {"ponctuation", "sentiment", "source"} if conditions else set()
    )
    for key in document:
        if key not in ("departage", "minimum", "regle"):
            problems.append(f"Clé inconnue « {key} » (attendu : departage, minimum, regle).")

    order = document.get("departage")
    if not isinstance(order, list) or not all(isinstance(item, str) for item in order):
        problems.append(f"« departage » manquant : donnez la liste des classes ({expected}).")
        order = list(labels)
    else:
        unknown = [item for item in order if item not in labels]
        missing = [label for label in labels if label not in order]
        if unknown:
            problems.append(
                f"« departage » : classe inconnue {', '.join(f'« {u} »' for u in unknown)} "
                f"(attendu : {expected})."
            )
        if missing or len(set(order)) != len(order):
            problems.append(
                f"« departage » doit citer chaque classe une fois et une seule ({expected})."
            )
        order = [item for item in dict.fromkeys(order) if item in labels] + missing

    minimums = dict.fromkeys(labels, 1.0)
    table = document.get("minimum", {})
    if not isinstance(table, dict):
        problems.append("« minimum » doit être une table : classe = score minimal.")
        table = {}
    for label, value in table.items():
        number = _number(value)
        if label not in labels:
            problems.append(f"« minimum » : classe inconnue « {label} » (attendu : {expected}).")
        elif number is None or number <= 0:
            problems.append(f"« minimum » de « {label} » : un nombre positif est attendu.")
        else:
            minimums[label] = number

    blocks = document.get("regle")
    if not isinstance(blocks, list) or not blocks:
        problems.append("Aucune règle : ajoutez au moins un bloc [[regle]].")
        blocks = []
    rules: list[Rule] = []
    numbers: list[int] = []
    for number, block in enumerate(blocks, start=1):
        if not isinstance(block, dict):
            problems.append(f"Règle n° {number} : un bloc [[regle]] est attendu.")
            continue
        label = block.get("classe")
        where = f"Règle n° {number}"
        if label not in labels:
            problems.append(
                f"{where} : classe {'manquante' if label is None else f'inconnue « {label} »'} "
                f"(attendu : {expected})."
            )
            continue
        where = f"Règle n° {number} ({label})"
        for key in block:
            if key not in allowed_keys:
                problems.append(
                    f"{where} : clé inconnue « {key} » (attendu : {', '.join(sorted(allowed_keys))})."
                )
        weight = _number(block.get("poids", 1))
        if weight is None or weight <= 0:
            problems.append(f"{where} : « poids » doit être un nombre positif.")
            weight = 1.0
        keywords = _keyword_list(block["mots"], where, problems) if "mots" in block else []
        if "mots" in block and not keywords:
            problems.append(f"{where} : la liste de mots est vide.")
        punctuation = block.get("ponctuation", "") if conditions else ""
        if not isinstance(punctuation, str):
            problems.append(f'{where} : « ponctuation » doit être un texte, par exemple "?".')
            punctuation = ""
        sentiment = block.get("sentiment", []) if conditions else []
        if isinstance(sentiment, str):
            sentiment = [sentiment]
        if not isinstance(sentiment, list) or any(s not in SENTIMENT_LABELS for s in sentiment):
            problems.append(
                f"{where} : « sentiment » doit lister des valeurs parmi "
                f"{', '.join(SENTIMENT_LABELS)}."
            )
            sentiment = []
        source = block.get("source", "") if conditions else ""
        if not isinstance(source, str):
            problems.append(f"{where} : « source » doit être un texte.")
            source = ""
        if keywords and punctuation:
            problems.append(f"{where} : une règle porte des mots ou une ponctuation, pas les deux.")
        if not (keywords or punctuation or sentiment or source) and "mots" not in block:
            problems.append(
                f"{where} : ni mots, ni ponctuation, ni condition : elle ne reconnaît rien."
            )
        rules.append(Rule(label, weight, tuple(keywords), punctuation, tuple(sentiment), source))
        numbers.append(number)
    _duplicates(
        (
            (f"la règle n° {number} ({rule.label})", keyword)
            for number, rule in zip(numbers, rules, strict=True)
            for keyword in rule.keywords
        ),
        problems,
    )
    if problems:
        return problems, None
    return [], RuleSet(tuple(order), tuple(rules), tuple(minimums[o] for o in order), other)


def class_counts(classes: pd.Series, labels: Sequence[str]) -> pd.Series:
    """Number of texts of each class, in the order of ``labels`` (absent classes: 0)."""
    counts = classes.value_counts().reindex(list(labels), fill_value=0).astype("int64")
    counts.index.name = None
    return counts.rename("count")
