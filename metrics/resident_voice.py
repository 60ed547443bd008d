"""What residents bring: each resident message and request description classed « question »,
« réclamation », « remerciement » or « proposition » by the editable rules of
data/taxonomy/resident_voice.toml (words, punctuation, sentiment); residents' proposals grouped
for officials; sentiment over time and what moves it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd

from metrics._common import as_utc, from_resident, require_columns, utc_instant
from metrics.period import DEFAULT_TIMEZONE, Period
from metrics.sentiment import (
    NEGATIVE,
    NEUTRAL,
    NOT_EVALUATED,
    POSITIVE,
    THRESHOLD,
    sentiment_of,
    sentiments,
)
from metrics.themes import (
    NO_THEME,
    TAXONOMY_DIR,
    RuleSet,
    Taxonomy,
    class_counts,
    fold,
    load_taxonomy,
    non_empty,
    parse_rules,
    themes_of,
    word_keys,
)

QUESTION = "question"
COMPLAINT = "réclamation"
THANKS = "remerciement"
PROPOSAL = "proposition"
OTHER = "autre"
VOICE_CLASSES: tuple[str, ...] = (QUESTION, COMPLAINT, THANKS, PROPOSAL)
ALL_VOICE_CLASSES: tuple[str, ...] = (*VOICE_CLASSES, OTHER)
VOICE_FILE = TAXONOMY_DIR / "resident_voice.toml"

MESSAGE_SOURCE = "message"
REQUEST_SOURCE = "demande"
UNKNOWN_CHANNEL = "(non renseigné)"

# Two proposals are the same idea when they share at least this share of their significant
# words (Jaccard index of the two word sets) and have the same primary theme.
DEFAULT_SIMILARITY = 0.5
# Themes with fewer scored messages than this in either period are not compared.
DEFAULT_MINIMUM_COUNT = 10

VoiceRules = RuleSet
Frequency = Literal["W", "MS"]

# Words that say nothing about which idea a proposal carries: French function words, the
# wording of proposals themselves, greetings, and the masks put over contact details.
_FUNCTION_WORDS = (
    "le la les l un une des du de d au aux a et ou en dans sur sous pour par avec sans chez "
    "ce cet cette ces ca cela c ceci qui que qu quoi dont on nous vous il ils elle elles je j "
    "tu me m te t se s lui leur leurs y ne n pas plus moins tres trop bien tout tous toute "
    "toutes mon ma mes ton ta tes son sa ses notre nos votre vos est sont etre etait ete fait "
    "faire ont avoir ai as avait peut peuvent pouvez pourrait pourraient aussi encore deja la "
    "ici comme mais donc car si alors meme quand comment pourquoi vraiment quelque chose rien "
    "eux elle cote jusqu jusque ait aie avant apres devant long rue"
)
_PROPOSAL_WORDS = (
    "propose proposition suggere suggestion idee idees faudrait faut serait seraient bienvenu "
    "bienvenue bienvenus bienvenues utile utiles bon bonne judicieux envisager installer mettre "
    "place ajouter creer avoir preferait prefererait prefererais svp stp merci bonjour "
    "possible top super"
)
_MASK_WORDS = (
    "telephone masque courriel n appeler appelez pouvez mail habite venez constater numero"
)
_STOP_KEYS = frozenset(
    key
    for word in f"{_FUNCTION_WORDS} {_PROPOSAL_WORDS} {_MASK_WORDS}".split()
    for key in word_keys(word)
)
_KEYWORDS_SHOWN = 5


# --- rules and classes -------------------------------------------------------------------------


def voice_rules_problems(text: str) -> list[str]:
    """French messages describing what is wrong with a residents' voice rules file (empty: valid)."""
    what = "Fichier de règles de la parole des habitants"
    return parse_rules(text, VOICE_CLASSES, OTHER, what, conditions=True)[0]


def load_voice_rules(text: str | None = None) -> VoiceRules:
    """The rules of ``text`` (TOML), or of data/taxonomy/resident_voice.toml when None.

    Raises ValueError with the French list of problems when the file is invalid.
    """
    if text is None:
        text = VOICE_FILE.read_text(encoding="utf-8")
    what = "Fichier de règles de la parole des habitants"
    problems, rules = parse_rules(text, VOICE_CLASSES, OTHER, what, conditions=True)
    if rules is None:
        raise ValueError(f"{what} invalide :\n- " + "\n- ".join(problems))
    return rules


def sentiment_labels(compound: pd.Series) -> pd.Series:
    """Label of each compound score (« non évalué » where missing), as metrics.sentiment."""
    values = compound.astype("float64")
    labels = np.select(
        [values.isna(), values >= THRESHOLD, values <= -THRESHOLD],
        [NOT_EVALUATED, POSITIVE, NEGATIVE],
        default=NEUTRAL,
    )
    return pd.Series(labels, index=compound.index, dtype="str")


def message_sentiment(frame: pd.DataFrame, column: str = "text") -> pd.Series:
    """Compound score of each row (float, NaN when not evaluated): the stored ``sentiment``
    column when the frame has it, else computed from ``column`` (each distinct text once)."""
    if "sentiment" in frame.columns:
        return frame["sentiment"].astype("float64")
    require_columns(frame, (column,), "textes")
    return sentiments(frame[column])["compound"].astype("float64")


def voice_classes(
    texts: pd.Series,
    rules: VoiceRules | None = None,
    labels: pd.Series | None = None,
    sources: pd.Series | str | None = MESSAGE_SOURCE,
) -> pd.Series:
    """The class of each text: question, réclamation, remerciement, proposition or autre.

    ``labels`` are the texts' sentiment labels (computed when None); ``sources`` says
    whether each text is a « message » or a « demande » (one value for all, or a Series).
    """
    if labels is None:
        labels = sentiments(texts)["label"]
    return (rules or load_voice_rules()).classify(texts, labels, sources)


def voice_coverage(
    texts: pd.Series,
    rules: VoiceRules | None = None,
    labels: pd.Series | None = None,
    sources: pd.Series | str | None = MESSAGE_SOURCE,
) -> float | None:
    """Share of the non-empty texts classed other than « autre » (None without any text)."""
    present = non_empty(texts)
    if not present.any():
        return None
    classed = voice_classes(texts, rules, labels, sources) != OTHER
    return int((classed & present).sum()) / int(present.sum())


def voice_counts(classes: pd.Series) -> pd.Series:
    """Number of texts of each class, in the order question, réclamation, remerciement,
    proposition, autre."""
    return class_counts(classes, ALL_VOICE_CLASSES)


# --- residents' texts, messages and requests together -----------------------------------------

RESIDENT_TEXT_COLUMNS: tuple[str, ...] = (
    "source",
    "native_id",
    "channel",
    "author",
    "at",
    "text",
    "compound",
    "category",
)


def resident_texts(
    messages: pd.DataFrame | None = None, requests: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Residents' messages (``is_staff`` not True) and request descriptions in one frame:
    source (« message » | « demande »), native_id, channel, author, at (sent / created),
    text, compound (NaN when not evaluated) and category (requests only)."""
    parts = []
    if messages is not None:
        require_columns(messages, ("text", "is_staff", "sent_at"), "messages")
        mine = messages.loc[from_resident(messages).to_numpy(dtype=bool)]
        parts.append(
            pd.DataFrame(
                {
                    "source": MESSAGE_SOURCE,
                    "native_id": _column(mine, "native_id"),
                    "channel": _column(mine, "channel"),
                    "author": _column(mine, "author"),
                    "at": as_utc(mine["sent_at"]),
                    "text": mine["text"].astype("str"),
                    "compound": message_sentiment(mine, "text"),
                    "category": pd.Series(np.nan, index=mine.index, dtype="str"),
                }
            )
        )
    if requests is not None:
        require_columns(requests, ("description", "created_at"), "demandes")
        parts.append(
            pd.DataFrame(
                {
                    "source": REQUEST_SOURCE,
                    "native_id": _column(requests, "native_id"),
                    "channel": _column(requests, "channel"),
                    "author": pd.Series(np.nan, index=requests.index, dtype="str"),
                    "at": as_utc(requests["created_at"]),
                    "text": requests["description"].astype("str"),
                    "compound": message_sentiment(requests, "description"),
                    "category": _column(requests, "category"),
                }
            )
        )
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype="str") for column in RESIDENT_TEXT_COLUMNS})
    frame = pd.concat(parts, ignore_index=True)
    for column in ("source", "native_id", "channel", "author", "text", "category"):
        frame[column] = frame[column].astype("str")
    frame["compound"] = frame["compound"].astype("float64")
    frame["at"] = frame["at"].astype("datetime64[us, UTC]")
    return frame.loc[:, list(RESIDENT_TEXT_COLUMNS)]


def _column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column in frame.columns:
        return frame[column].astype("str")
    return pd.Series(np.nan, index=frame.index, dtype="str")


def _texts_themes(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.Series:
    """Themes of each resident text; a request whose description has none takes those of its
    category."""
    found = themes_of(frame["text"], taxonomy)
    missing = (found.map(len) == 0) & frame["category"].notna()
    if missing.any():
        found[missing] = themes_of(frame.loc[missing, "category"], taxonomy)
    return found


# --- proposals -----------------------------------------------------------------------------


def _significant(text: str) -> tuple[frozenset[str], list[str]]:
    """(significant keys, their folded words): no function word, no proposal wording, no
    digit-only token of one character, at least 3 letters."""
    keys, words = [], []
    for word in fold(text).split():
        key = word_keys(word)[0] if word else ""
        if key in _STOP_KEYS or (len(key) < 3 and not key.isdigit()):
            continue
        keys.append(key)
        words.append(word)
    return frozenset(keys), words


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _groups(token_sets: list[frozenset[str]], threshold: float) -> list[int]:
    """Group number of each item: items linked from one to the next by a Jaccard index of at
    least ``threshold`` share a group (connected components)."""
    parent = list(range(len(token_sets)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only items sharing a word can be similar: compare within each word's postings.
    postings: dict[str, list[int]] = {}
    for index, tokens in enumerate(token_sets):
        for token in tokens:
            postings.setdefault(token, []).append(index)
    checked: set[tuple[int, int]] = set()
    for items in postings.values():
        for position, i in enumerate(items):
            for j in items[position + 1 :]:
                if (i, j) in checked:
                    continue
                checked.add((i, j))
                if root(i) != root(j) and _jaccard(token_sets[i], token_sets[j]) >= threshold:
                    parent[root(j)] = root(i)
    roots = [root(i) for i in range(len(token_sets))]
    numbers = {r: n for n, r in enumerate(dict.fromkeys(roots))}
    return [numbers[r] for r in roots]


PROPOSAL_COLUMNS: tuple[str, ...] = (
    "theme",
    "residents",
    "texts",
    "messages",
    "requests",
    "representative",
    "keywords",
    "first_at",
    "last_at",
)


def proposals(
    messages: pd.DataFrame | None,
    requests: pd.DataFrame | None,
    taxonomy: Taxonomy | None = None,
    rules: VoiceRules | None = None,
    threshold: float = DEFAULT_SIMILARITY,
) -> pd.DataFrame:
    """Residents' proposals grouped by idea, for officials: one row per group, columns theme
    (primary theme, « (sans thème) » when none), residents (distinct message authors; each
    request, which has no author, and each message without author count as one), texts,
    messages, requests, representative (the text closest to the others), keywords (the
    significant words shared by at least half of the group, at most 5), first_at, last_at.
    The representative is the text whose words are closest to the others' (highest sum of
    Jaccard indices), then the most repeated, then the shortest.

    Two proposals are similar when they have the same primary theme and a Jaccard index of
    their significant words ≥ ``threshold``; proposals linked from one to the next form a
    group. Rows: most residents first, then most texts, then earliest.
    """
    taxonomy = taxonomy or load_taxonomy()
    frame = resident_texts(messages, requests)
    labels = sentiment_labels(frame["compound"])
    classes = voice_classes(frame["text"], rules, labels, frame["source"])
    frame = frame.loc[(classes == PROPOSAL).to_numpy(dtype=bool)].reset_index(drop=True)
    if frame.empty:
        return _empty_proposals()
    themes = _texts_themes(frame, taxonomy)
    frame["theme"] = [names[0] if names else NO_THEME for names in themes]
    significant = [_significant(text) for text in frame["text"]]
    frame["_tokens"] = [tokens for tokens, _ in significant]
    frame["_words"] = [words for _, words in significant]
    rows = []
    for theme, part in frame.groupby("theme", sort=False):
        part = part.sort_values("at", kind="stable")
        numbers = _groups(list(part["_tokens"]), threshold)
        for _, group in part.groupby(np.asarray(numbers), sort=True):
            rows.append(_proposal_row(str(theme), group))
    table = pd.DataFrame(rows, columns=list(PROPOSAL_COLUMNS))
    order = {name: i for i, name in enumerate((*taxonomy.names, NO_THEME))}
    table["_theme_order"] = table["theme"].map(order)
    table = table.sort_values(
        ["residents", "texts", "first_at", "_theme_order"],
        ascending=[False, False, True, True],
        kind="stable",
        na_position="last",
    )
    return table.drop(columns="_theme_order").reset_index(drop=True)


def _proposal_row(theme: str, group: pd.DataFrame) -> dict[str, object]:
    tokens = list(group["_tokens"])
    texts = list(group["text"])
    # The text closest to the others; then the most repeated wording; then the shortest.
    closeness = [round(sum(_jaccard(a, b) for b in tokens), 9) for a in tokens]
    repeats = Counter(texts)
    best = min(
        range(len(texts)), key=lambda i: (-closeness[i], -repeats[texts[i]], len(texts[i]), i)
    )
    representative = texts[best]
    authors = group["author"].where(group["source"] == MESSAGE_SOURCE)
    residents = authors.dropna().nunique() + int(authors.isna().sum())
    shared = Counter(key for keys in tokens for key in keys)
    surface: dict[str, Counter] = {}
    for keys_words in group["_words"]:
        for word in keys_words:
            surface.setdefault(word_keys(word)[0], Counter())[word] += 1
    needed = max(1, (len(tokens) + 1) // 2)
    keywords = tuple(
        surface[key].most_common(1)[0][0]
        for key, count in sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        if count >= needed
    )[:_KEYWORDS_SHOWN]
    return {
        "theme": theme,
        "residents": int(residents),
        "texts": len(group),
        "messages": int((group["source"] == MESSAGE_SOURCE).sum()),
        "requests": int((group["source"] == REQUEST_SOURCE).sum()),
        "representative": representative,
        "keywords": keywords,
        "first_at": group["at"].min(),
        "last_at": group["at"].max(),
    }


def _empty_proposals() -> pd.DataFrame:
    table = pd.DataFrame({column: pd.Series(dtype=object) for column in PROPOSAL_COLUMNS})
    for column in ("residents", "texts", "messages", "requests"):
        table[column] = table[column].astype("int64")
    for column in ("first_at", "last_at"):
        table[column] = table[column].astype("datetime64[us, UTC]")
    return table


# --- sentiment over time and what moves it ------------------------------------------------------


def sentiment_over_time(
    messages: pd.DataFrame,
    freq: Frequency = "W",
    by: Literal["channel", "theme"] | None = "channel",
    taxonomy: Taxonomy | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> pd.DataFrame:
    """Residents' messages per local week (``W``, Monday to Sunday) or month (``MS``) and per
    channel or theme (or overall when ``by`` is None): n (scored messages), mean_compound,
    negative_share (compound ≤ −0.05 among the scored) and not_evaluated (messages without a
    score, left out of the other columns). Columns: period (first local day), the ``by``
    column, n, mean_compound, negative_share, not_evaluated.

    By theme, a message counts in each of its themes; one without theme in « (sans thème) ».
    Messages without a date are left out.
    """
    if freq not in ("W", "MS"):
        raise ValueError(f"Fréquence inconnue : {freq!r} (attendu : « W » ou « MS »).")
    if by not in ("channel", "theme", None):
        raise ValueError(f"Regroupement inconnu : {by!r} (attendu : « channel » ou « theme »).")
    frame = resident_texts(messages)
    frame = frame.loc[frame["at"].notna()]
    local = frame["at"].dt.tz_convert(timezone).dt.tz_localize(None)
    frame = frame.assign(
        period=local.dt.to_period("W" if freq == "W" else "M").dt.start_time.dt.normalize()
    )
    keys = ["period"]
    if by == "channel":
        frame = frame.assign(channel=frame["channel"].fillna(UNKNOWN_CHANNEL))
        keys.append("channel")
    elif by == "theme":
        themes = themes_of(frame["text"], taxonomy or load_taxonomy())
        frame = frame.assign(theme=[names or (NO_THEME,) for names in themes]).explode("theme")
        keys.append("theme")
    return _sentiment_table(frame, keys)


def _sentiment_table(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    columns = [*keys, "n", "mean_compound", "negative_share", "not_evaluated"]
    if frame.empty:
        return pd.DataFrame({column: pd.Series(dtype="float64") for column in columns})
    scored = frame["compound"].notna()
    summary = (
        frame.assign(
            _scored=scored.astype("int64"),
            _negative=(frame["compound"] <= -THRESHOLD).astype("int64"),
            _missing=(~scored).astype("int64"),
        )
        .groupby(keys, sort=True)
        .agg(
            n=("_scored", "sum"),
            _sum=("compound", "sum"),
            _negatives=("_negative", "sum"),
            not_evaluated=("_missing", "sum"),
        )
        .reset_index()
    )
    n = summary["n"].astype("float64")
    summary["mean_compound"] = (summary["_sum"] / n).where(n > 0)
    summary["negative_share"] = (summary["_negatives"] / n).where(n > 0)
    summary["n"] = summary["n"].astype("int64")
    summary["not_evaluated"] = summary["not_evaluated"].astype("int64")
    return summary.loc[:, columns]


def most_negative(
    messages: pd.DataFrame | None,
    requests: pd.DataFrame | None,
    n: int = 10,
    since: pd.Timestamp | datetime | None = None,
) -> pd.DataFrame:
    """The ``n`` most negative residents' texts (compound ≤ −0.05) sent or created at or after
    ``since`` (tz-aware; all when None): lowest score first, then most recent. Columns:
    source, native_id, channel, category, at, author, text, compound, and words — the words
    that moved the score, as (word, contribution) pairs, most negative first (computed for
    these few texts only)."""
    frame = resident_texts(messages, requests)
    if since is not None:
        frame = frame.loc[(frame["at"] >= utc_instant(since)).fillna(False).astype(bool)]
    negative = frame.loc[(frame["compound"] <= -THRESHOLD).fillna(False).astype(bool)]
    chosen = negative.sort_values(
        ["compound", "at"], ascending=[True, False], kind="stable", na_position="last"
    ).head(max(n, 0))
    chosen = chosen.loc[
        :, ["source", "native_id", "channel", "category", "at", "author", "text", "compound"]
    ].reset_index(drop=True)
    chosen["words"] = pd.Series(
        [
            tuple(sorted(sentiment_of(text).words, key=lambda item: item[1]))
            for text in chosen["text"]
        ],
        index=chosen.index,
        dtype=object,
    )
    return chosen


RISING_COLUMNS: tuple[str, ...] = (
    "theme",
    "n_previous",
    "negative_share_previous",
    "n_current",
    "negative_share_current",
    "change",
    "compared",
    "reason",
)


def rising_negative_themes(
    messages: pd.DataFrame,
    period_current: Period,
    period_previous: Period,
    min_count: int = DEFAULT_MINIMUM_COUNT,
    taxonomy: Taxonomy | None = None,
) -> pd.DataFrame:
    """Per theme, the share of negative residents' messages (compound ≤ −0.05 among the
    scored) in each period and its change (current − previous, a fraction): the themes with
    at least ``min_count`` scored messages in both periods come first, largest rise first
    (``compared`` True); the others follow, in taxonomy order, with ``compared`` False, no
    change and the French ``reason``. Themes without any scored message are left out."""
    taxonomy = taxonomy or load_taxonomy()
    frame = resident_texts(messages)
    frame = frame.loc[frame["compound"].notna()]
    counts: dict[str, dict[str, tuple[int, int]]] = {}
    for name, period in (("current", period_current), ("previous", period_previous)):
        inside = frame.loc[period.contains(frame["at"]).to_numpy(dtype=bool)]
        themes = themes_of(inside["text"], taxonomy)
        exploded = inside.assign(theme=themes).explode("theme").dropna(subset=["theme"])
        negative = exploded["compound"] <= -THRESHOLD
        grouped = negative.groupby(exploded["theme"]).agg(["size", "sum"])
        counts[name] = {
            str(theme): (int(row["size"]), int(row["sum"])) for theme, row in grouped.iterrows()
        }
    rows = []
    for order, theme in enumerate(taxonomy.names):
        n_prev, neg_prev = counts["previous"].get(theme, (0, 0))
        n_cur, neg_cur = counts["current"].get(theme, (0, 0))
        if n_prev == 0 and n_cur == 0:
            continue
        share_prev = neg_prev / n_prev if n_prev else np.nan
        share_cur = neg_cur / n_cur if n_cur else np.nan
        small = [
            label
            for label, count in (("en cours", n_cur), ("précédente", n_prev))
            if count < min_count
        ]
        reason = None
        if small:
            reason = (
                f"moins de {min_count} messages évalués sur la période "
                + " et sur la période ".join(small)
            )
        rows.append(
            {
                "theme": theme,
                "n_previous": n_prev,
                "negative_share_previous": share_prev,
                "n_current": n_cur,
                "negative_share_current": share_cur,
                "change": np.nan if small else share_cur - share_prev,
                "compared": not small,
                "reason": reason,
                "_order": order,
            }
        )
    if not rows:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in RISING_COLUMNS})
    table = pd.DataFrame(rows)
    table = table.sort_values(
        ["compared", "change", "_order"], ascending=[False, False, True], kind="stable"
    )
    return table.loc[:, list(RISING_COLUMNS)].reset_index(drop=True)
