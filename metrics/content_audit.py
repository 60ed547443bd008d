"""Audit of posts, useful or self-centred: each post classed « institutionnel », « service
pratique », « dialogue et participation » or « autre » by the editable weighted keyword rules of
data/taxonomy/content_audit.toml; then the classes compared on interactions, engagement rates,
the sentiment of residents' comments and the share of their questions answered."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from metrics._common import as_utc, from_resident, require_columns
from metrics.engagement import ENGAGEMENT_BASES, interactions_per_post
from metrics.resident_voice import (
    QUESTION,
    VoiceRules,
    message_sentiment,
    sentiment_labels,
    voice_classes,
)
from metrics.sentiment import THRESHOLD
from metrics.themes import TAXONOMY_DIR, RuleSet, class_counts, parse_rules

INSTITUTIONAL = "institutionnel"
PRACTICAL = "service pratique"
DIALOGUE = "dialogue et participation"
OTHER = "autre"
CLASSES: tuple[str, ...] = (INSTITUTIONAL, PRACTICAL, DIALOGUE)
ALL_CLASSES: tuple[str, ...] = (*CLASSES, OTHER)
AUDIT_FILE = TAXONOMY_DIR / "content_audit.toml"

# Below this many posts in a class, one viral or one ignored post decides the ratio: the
# comparison sentence is not written.
DEFAULT_MINIMUM_POSTS = 5

AuditRules = RuleSet

# How the comparison sentence names the posts of each class.
_PLURAL_NAMES = {
    INSTITUTIONAL: "les publications institutionnelles",
    PRACTICAL: "les publications de service pratique",
    DIALOGUE: "les publications de dialogue et de participation",
    OTHER: "les autres publications",
}
# Equal up to this ratio: « à peu près autant » rather than « 1,0 fois plus ».
_SAME_RATIO = 1.05


def audit_rules_problems(text: str) -> list[str]:
    """French messages describing what is wrong with a content-audit rules file (empty: valid)."""
    return parse_rules(text, CLASSES, OTHER, "Fichier de règles de l'audit des publications")[0]


def load_audit_rules(text: str | None = None) -> AuditRules:
    """The audit rules of ``text`` (TOML), or of data/taxonomy/content_audit.toml when None.

    Raises ValueError with the French list of problems when the file is invalid.
    """
    if text is None:
        text = AUDIT_FILE.read_text(encoding="utf-8")
    what = "Fichier de règles de l'audit des publications"
    problems, rules = parse_rules(text, CLASSES, OTHER, what)
    if rules is None:
        raise ValueError(f"{what} invalide :\n- " + "\n- ".join(problems))
    return rules


def content_classes(texts: pd.Series, rules: AuditRules | None = None) -> pd.Series:
    """The class of each post text: institutionnel, service pratique, dialogue et
    participation, or autre (no rule reaches its minimum, or no text)."""
    return (rules or load_audit_rules()).classify(texts)


def content_class_counts(classes: pd.Series) -> pd.Series:
    """Number of posts of each class, in the order institutionnel, service pratique,
    dialogue et participation, autre."""
    return class_counts(classes, ALL_CLASSES)


def class_comparison(posts: pd.DataFrame, classes: pd.Series | None = None) -> pd.DataFrame:
    """One row per class (all four, fixed order): posts, share_of_posts,
    posts_with_interactions, interactions, interactions_per_post, engagement_rate_reach and
    engagement_rate_impressions.

    Interactions per post = Σ interactions ÷ posts whose interactions were exported; each
    rate = Σ interactions ÷ Σ base over the posts where both are known. NaN when not
    computable. ``classes`` defaults to ``content_classes(posts["text"])``.
    """
    require_columns(posts, ("reach", "impressions"), "publications")
    if classes is None:
        require_columns(posts, ("text",), "publications")
        classes = content_classes(posts["text"])
    classes = classes.reindex(posts.index)
    interactions = interactions_per_post(posts).astype("float64")
    rows = []
    for label in ALL_CLASSES:
        mine = (classes == label).fillna(False).to_numpy(dtype=bool)
        known = interactions[mine].dropna()
        row: dict[str, object] = {
            "posts": int(mine.sum()),
            "posts_with_interactions": len(known),
            "interactions": float(known.sum()),
            "interactions_per_post": float(known.mean()) if len(known) else np.nan,
        }
        for base in ENGAGEMENT_BASES:
            denominators = posts.loc[mine, base].astype("float64")
            both = interactions[mine].notna() & denominators.notna()
            total = float(denominators[both].sum())
            row[f"engagement_rate_{base}"] = (
                float(interactions[mine][both].sum()) / total if total > 0 else np.nan
            )
        rows.append(row)
    table = pd.DataFrame(rows, index=pd.Index(ALL_CLASSES, name="class"))
    total_posts = int(table["posts"].sum())
    table.insert(1, "share_of_posts", table["posts"] / total_posts if total_posts else np.nan)
    return table


def _ratio_text(ratio: float) -> str:
    return f"{ratio:.1f}".replace(".", ",")


def comparison_sentence(
    table: pd.DataFrame,
    minimum_posts: int = DEFAULT_MINIMUM_POSTS,
    first: str = PRACTICAL,
    second: str = INSTITUTIONAL,
) -> str | None:
    """French sentence comparing the interactions per post of two classes (by default
    service pratique and institutionnel), the better one first:
    « Les publications de service pratique obtiennent 2,3 fois plus d'interactions par
    publication que les publications institutionnelles. »

    None when either class has fewer than ``minimum_posts`` posts with interactions, or when
    the lower of the two means is 0 (no ratio can be given).
    """
    for label in (first, second):
        if label not in table.index:
            return None
        if int(table.at[label, "posts_with_interactions"]) < minimum_posts:
            return None
    means = {label: float(table.at[label, "interactions_per_post"]) for label in (first, second)}
    if any(np.isnan(value) for value in means.values()):
        return None
    high, low = (first, second) if means[first] >= means[second] else (second, first)
    if means[low] <= 0:
        return None
    ratio = means[high] / means[low]
    subject = _PLURAL_NAMES.get(high, f"les publications « {high} »")
    other = _PLURAL_NAMES.get(low, f"les publications « {low} »")
    subject = subject[0].upper() + subject[1:]
    if ratio < _SAME_RATIO:
        return f"{subject} obtiennent à peu près autant d'interactions par publication que {other}."
    return (
        f"{subject} obtiennent {_ratio_text(ratio)} fois plus d'interactions par publication "
        f"que {other}."
    )


def class_conversations(
    posts: pd.DataFrame,
    classes: pd.Series,
    messages: pd.DataFrame,
    voice_rules: VoiceRules | None = None,
) -> pd.DataFrame:
    """Residents' comments under the posts of each class (all four, fixed order): comments,
    scored (with a sentiment score), mean_compound, negative_share (compound ≤ −0.05 among
    the scored), questions (comments classed « question »), answered (questions with a staff
    reply) and answered_share. NaN where there is nothing to divide.

    A comment belongs to a post when its ``post_id`` is the post's ``native_id``.
    """
    table = post_conversations(posts, classes, messages, voice_rules, order=ALL_CLASSES)
    return table.rename_axis("class")


CONVERSATION_FIGURES = (
    "comments",
    "scored",
    "mean_compound",
    "negative_share",
    "questions",
    "answered",
    "answered_share",
)


def post_conversations(
    posts: pd.DataFrame,
    groups: pd.Series,
    messages: pd.DataFrame,
    voice_rules: VoiceRules | None = None,
    order: Sequence[str] | None = None,
    monthly_in: str | None = None,
) -> pd.DataFrame:
    """Residents' comments under the posts of each group (a post's content class or theme,
    ``groups`` aligned on ``posts``): the CONVERSATION_FIGURES of class_conversations.

    ``order`` lists the groups to show, in order, even without comment (default: the groups
    that have comments, sorted). With ``monthly_in`` (a time zone), one row per local month of
    the comment and group, months without comment left out: columns period (first day of the
    month), group and the figures. Without it, the table is indexed by group.
    """
    require_columns(posts, ("native_id",), "publications")
    require_columns(messages, ("post_id", "is_staff", "text", "replied_at", "sent_at"), "messages")
    lookup = pd.Series(
        groups.reindex(posts.index).to_numpy(dtype=object),
        index=posts["native_id"].astype("str").to_numpy(dtype=object),
    )
    lookup = lookup[lookup.index.notna() & ~lookup.index.duplicated()]
    residents = messages.loc[from_resident(messages).to_numpy(dtype=bool)]
    comment_group = residents["post_id"].astype("str").map(lookup)
    under = residents.loc[comment_group.notna().to_numpy(dtype=bool)]
    compound = message_sentiment(under)
    frame = pd.DataFrame(
        {
            "group": comment_group[comment_group.notna()].to_numpy(dtype=object),
            "compound": compound.to_numpy(dtype="float64"),
            "question": (
                voice_classes(under["text"], voice_rules, sentiment_labels(compound), "message")
                == QUESTION
            ).to_numpy(dtype=bool),
            "replied": under["replied_at"].notna().to_numpy(dtype=bool),
        }
    )
    if monthly_in is None:
        names = list(order) if order is not None else sorted(frame["group"].unique())
        rows = [_conversation_row(frame.loc[frame["group"] == name]) for name in names]
        return pd.DataFrame(rows, index=pd.Index(names, name="group"), columns=CONVERSATION_FIGURES)
    local = as_utc(under["sent_at"]).dt.tz_convert(monthly_in).dt.tz_localize(None)
    frame["period"] = local.dt.to_period("M").dt.start_time.to_numpy()
    frame = frame.loc[frame["period"].notna()]
    names = list(order) if order is not None else sorted(frame["group"].unique())
    rows = []
    for (period, name), mine in frame.groupby(["period", "group"], sort=True):
        if name in names:
            rows.append({"period": period, "group": name, **_conversation_row(mine)})
    table = pd.DataFrame(rows, columns=["period", "group", *CONVERSATION_FIGURES])
    return table.astype({"period": "datetime64[ns]"})


def _conversation_row(comments: pd.DataFrame) -> dict[str, float | int]:
    scores = comments["compound"].dropna()
    questions = comments["question"].to_numpy(dtype=bool)
    asked = int(questions.sum())
    answered = int((questions & comments["replied"].to_numpy(dtype=bool)).sum())
    return {
        "comments": len(comments),
        "scored": len(scores),
        "mean_compound": float(scores.mean()) if len(scores) else np.nan,
        "negative_share": float((scores <= -THRESHOLD).mean()) if len(scores) else np.nan,
        "questions": asked,
        "answered": answered,
        "answered_share": answered / asked if asked else np.nan,
    }
