"""What residents say: loads a period's texts and computes themes, classes, sentiment views."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from metrics.content_audit import (
    ALL_CLASSES,
    audit_rules_problems,
    class_comparison,
    class_conversations,
    comparison_sentence,
    content_classes,
    load_audit_rules,
    post_conversations,
)
from metrics.period import Period
from metrics.resident_voice import (
    load_voice_rules,
    most_negative,
    proposals,
    resident_texts,
    rising_negative_themes,
    sentiment_labels,
    sentiment_over_time,
    voice_classes,
    voice_counts,
    voice_coverage,
    voice_rules_problems,
)
from metrics.themes import NO_THEME, load_taxonomy, primary_theme, taxonomy_problems, theme_coverage
from services.auth import audit
from store import repository
from store.db import REPO_ROOT
from store.repository import ALL, Selection

# Setting key of each editable rule file, its validator and its loader.
RULE_FILES = {
    "themes": ("rules_themes", taxonomy_problems, "data/taxonomy/themes.toml"),
    "content_audit": (
        "rules_content_audit",
        audit_rules_problems,
        "data/taxonomy/content_audit.toml",
    ),
    "resident_voice": (
        "rules_resident_voice",
        voice_rules_problems,
        "data/taxonomy/resident_voice.toml",
    ),
}


def rules_text(engine: Engine, name: str) -> str:
    """The rule file in force: the collectivité's edited version, else the default one."""
    key, _, default_path = RULE_FILES[name]
    stored = repository.setting(engine, key)
    if stored:
        return stored
    return (REPO_ROOT / default_path).read_text(encoding="utf-8")


def save_rules_text(engine: Engine, name: str, text: str, actor: str) -> list[str]:
    """Store an edited rule file when it is valid; returns the French problems otherwise."""
    key, problems_of, _ = RULE_FILES[name]
    problems = problems_of(text)
    if problems:
        return problems
    repository.save_setting(engine, key, text)
    audit(engine, actor, "settings_changed", rules=name, characters=len(text))
    return []


def reset_rules(engine: Engine, name: str, actor: str) -> None:
    """Go back to the default rule file."""
    key, _, _ = RULE_FILES[name]
    repository.save_setting(engine, key, None)
    audit(engine, actor, "settings_changed", rules=name, reset=True)


@dataclass(frozen=True)
class VoiceView:
    """Everything the page "Ce que disent les habitants" shows for a period."""

    messages: int
    requests: int
    theme_coverage: float | None
    voice_coverage: float | None
    themes: pd.DataFrame  # theme, texts
    voices: pd.DataFrame  # class, texts
    sentiment_by_channel: pd.DataFrame
    sentiment_by_theme: pd.DataFrame
    negatives: pd.DataFrame
    rising: pd.DataFrame
    proposals: pd.DataFrame
    audit_table: pd.DataFrame
    audit_conversations: pd.DataFrame
    audit_sentence: str | None
    # Comments under the posts of each post theme (group, figures), and under each class per
    # month of the comment (period, group, figures).
    theme_conversations: pd.DataFrame = field(default_factory=pd.DataFrame)
    class_conversations_monthly: pd.DataFrame = field(default_factory=pd.DataFrame)


def voice_view(engine: Engine, period: Period, selection: Selection = ALL) -> VoiceView:
    """Themes, classes, sentiment and the content audit of ``period``."""
    start, end = period.start_utc, period.end_utc
    taxonomy = load_taxonomy(rules_text(engine, "themes"))
    voice_rules = load_voice_rules(rules_text(engine, "resident_voice"))
    audit_rules = load_audit_rules(rules_text(engine, "content_audit"))

    previous = period.previous()
    # One read of the messages the view needs: from the previous period (rising themes) to
    # 90 days after this one (comments under its posts), sliced below.
    later = end + pd.Timedelta(days=90)
    read = repository.load_messages(engine, previous.start_utc, later, selection)
    messages = _sent_between(read, start, end)
    residents = messages.loc[~messages["is_staff"].fillna(False).astype(bool)]
    requests = repository.load_received_requests(engine, start, end, selection)
    posts = repository.load_publications(engine, start, end, selection)

    texts = resident_texts(residents, requests)
    classes = voice_classes(
        texts["text"], voice_rules, sentiment_labels(texts["compound"]), texts["source"]
    )
    themes = primary_theme(texts["text"], taxonomy).fillna("(sans thème)")
    before = _sent_between(read, previous.start_utc, end)
    before = before.loc[~before["is_staff"].fillna(False).astype(bool)]
    # Comments under the period's posts, whenever they were written.
    comments = _sent_between(read, start, later)
    post_classes = content_classes(posts["text"], audit_rules)
    table = class_comparison(posts, post_classes)
    return VoiceView(
        messages=len(residents),
        requests=len(requests),
        theme_coverage=theme_coverage(texts["text"], taxonomy),
        voice_coverage=voice_coverage(
            texts["text"], voice_rules, sentiment_labels(texts["compound"]), texts["source"]
        ),
        themes=_counts(themes, "theme"),
        voices=_counts(voice_counts(classes), "class", already_counted=True),
        sentiment_by_channel=sentiment_over_time(
            residents, "W", "channel", taxonomy, period.timezone
        ),
        sentiment_by_theme=sentiment_over_time(residents, "MS", "theme", taxonomy, period.timezone),
        negatives=most_negative(residents, requests, n=10),
        rising=rising_negative_themes(before, period, previous, taxonomy=taxonomy),
        proposals=proposals(residents, requests, taxonomy, voice_rules),
        audit_table=table,
        audit_conversations=class_conversations(posts, post_classes, comments, voice_rules),
        audit_sentence=comparison_sentence(table),
        theme_conversations=_by_comments(
            post_conversations(
                posts,
                primary_theme(posts["text"], taxonomy).fillna(NO_THEME),
                comments,
                voice_rules,
            )
        ),
        class_conversations_monthly=post_conversations(
            posts, post_classes, comments, voice_rules, ALL_CLASSES, period.timezone
        ),
    )


def _sent_between(messages: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The messages sent in [start, end), as ``repository.load_messages`` reads them."""
    sent = messages["sent_at"]
    return messages.loc[((sent >= start) & (sent < end)).to_numpy(dtype=bool)].reset_index(
        drop=True
    )


def _by_comments(table: pd.DataFrame) -> pd.DataFrame:
    """Groups with comments first, most commented first; the group as a column."""
    table = table.loc[table["comments"] > 0]
    return table.sort_values("comments", ascending=False, kind="stable").reset_index()


def _counts(values: pd.Series, name: str, already_counted: bool = False) -> pd.DataFrame:
    if already_counted:  # keeps its meaningful order (question, réclamation…)
        return values.rename("texts").rename_axis(name).reset_index()
    frame = values.value_counts().rename("texts").rename_axis(name).reset_index()
    return frame.sort_values("texts", ascending=False, kind="stable").reset_index(drop=True)
