"""Importer for Facebook Graph API comment threads (JSON posts with nested comments)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd

from ingest.base import ImportContext, ImportRefused, ParseResult, Rejection, Sniffed
from ingest.canonical import MESSAGE, conform
from ingest.parsing import context_zone, parse_datetimes, shorten

# Keys of a post object: every post has an id; at least one carries "comments" (or, in a
# period without any comment, every id is a Graph PAGEID_POSTID with a created_time).
HEADER_SIGNATURE: dict[str, tuple[str, ...]] = {
    "publications avec commentaires": ("id", "created_time", "comments"),
}

# canonical column ← JSON field path of a comment.
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "native_id": ("id",),
    "sent_at": ("created_time",),
    "text": ("message",),
    "author": ("from.id", "from.name"),
    "is_hidden": ("is_hidden",),
}

TIME_FORMATS = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S"]
EXPECTED_TIME = "AAAA-MM-JJTHH:MM:SS+0000"
CHANNEL = "facebook"
_GRAPH_POST_ID = re.compile(r"\d+_\d+")


@dataclass
class _Comment:
    """One comment or reply, flattened, before validation."""

    line: int  # 1-based index in document order
    raw: dict  # the comment object ({"valeur": …} when the element was not an object)
    post_id: str | None
    page_id: str | None
    parent_id: str | None
    thread_id: str | None
    problems: list[str]


class FbGraphCommentsImporter:
    """Graph API ``{data: [post…]}`` JSON → messages (one per comment and per reply)."""

    format_id = "fb_graph_comments"
    label = "Facebook – commentaires (JSON de l'API Graph)"
    kind = MESSAGE
    input_kind = "json"
    header_signature = HEADER_SIGNATURE
    expected_shape = (
        '{"data": [publication…]} ou une liste de publications, chaque publication avec '
        '"id", "created_time" et "comments": {"data": [commentaire…]}'
    )

    def identify(self, sniffed: Sniffed) -> bool:
        if sniffed.kind != "json":
            return False
        posts = _posts(sniffed.json)
        if not posts or not all(isinstance(post, dict) and "id" in post for post in posts):
            return False
        if any(isinstance(post.get("comments"), (dict, list)) for post in posts):
            return True
        # A page whose posts got no comment in the period: recognised by Graph post ids.
        return all(
            "created_time" in post and _GRAPH_POST_ID.fullmatch(str(post["id"])) for post in posts
        )

    def parse(self, sniffed: Sniffed, context: ImportContext) -> ParseResult:
        tz = context_zone(context.timezone)
        posts = _posts(sniffed.json)
        if posts is None:
            raise ImportRefused(f"JSON non reconnu : attendu {self.expected_shape}.")
        comments = _flattened(posts)
        ours = {str(a).strip() for a in context.our_accounts if str(a).strip()}

        times, bad_times = parse_datetimes(
            [_text(c.raw.get("created_time")) for c in comments], TIME_FORMATS, tz
        )
        bad = set(bad_times)
        for position, comment in enumerate(comments):
            if comment.problems:  # not an object, or orphaned: nothing more worth saying
                continue
            created = _text(comment.raw.get("created_time"))
            if _text(comment.raw.get("id")) is None:
                comment.problems.append("commentaire sans « id » : un identifiant était attendu")
            if created is None:
                comment.problems.append(
                    "commentaire sans « created_time » : une date était attendue"
                )
            elif position in bad:
                comment.problems.append(
                    f"« created_time » = « {shorten(created, 40)} » illisible "
                    f"(format attendu : {EXPECTED_TIME})"
                )

        first_seen: dict[str, int] = {}
        for comment in comments:
            native_id = _text(comment.raw.get("id"))
            if comment.problems or native_id is None:
                continue
            if native_id in first_seen:
                comment.problems.append(
                    f"identifiant en double dans le fichier, déjà vu ligne {first_seen[native_id]}"
                )
            else:
                first_seen[native_id] = comment.line

        kept = [(c, times.iloc[i]) for i, c in enumerate(comments) if not c.problems]
        records = []
        names = set()
        for comment, sent_at in kept:
            author_id, author_name = _author(comment.raw.get("from"))
            author = author_id or author_name
            is_staff = bool(
                (author_id is not None and author_id == comment.page_id)
                or (author_id is not None and author_id in ours)
                or (author_name is not None and author_name in ours)
            )
            if author_name is not None and not is_staff:
                names.add(author_name)
            records.append(
                {
                    "channel": CHANNEL,
                    "native_id": _text(comment.raw.get("id")),
                    "thread_id": comment.thread_id,
                    "post_id": comment.post_id,
                    "parent_id": comment.parent_id,
                    "sent_at": sent_at,
                    "author": author,
                    "is_staff": is_staff,
                    "text": _message(comment.raw.get("message")),
                    "is_hidden": _flag(comment.raw.get("is_hidden")),
                }
            )
        frame = pd.DataFrame.from_records(records, columns=[*(records[0] if records else {})])
        if records:
            frame["replied_at"] = _replied_at(frame)
        frame = conform(frame, MESSAGE)

        rejections = [
            Rejection(
                c.line,
                " ; ".join(c.problems),
                shorten(json.dumps(c.raw, ensure_ascii=False, default=str)),
            )
            for c in comments
            if c.problems
        ]
        warnings = []
        if not comments:
            warnings.append("Le fichier ne contient aucun commentaire (publications seules).")
        return ParseResult(
            format_id=self.format_id,
            kind=self.kind,
            frame=frame,
            rows_read=len(comments),
            rejections=rejections,
            warnings=warnings,
            names=tuple(sorted(names)),
        )


def _posts(document: object) -> list | None:
    """The list of post objects of a Graph document, or None when it has no such list."""
    if isinstance(document, dict):
        if isinstance(document.get("data"), list):
            return document["data"]
        if "id" in document and "comments" in document:
            return [document]
        return None
    if isinstance(document, list):
        return document
    return None


def _children(node: dict) -> list:
    """The replies of a post or comment: ``comments.data``, or a bare ``comments`` list."""
    comments = node.get("comments")
    if isinstance(comments, dict):
        comments = comments.get("data")
    return comments if isinstance(comments, list) else []


def _flattened(posts: list) -> list[_Comment]:
    """Every comment and reply in document order (depth first), with its thread links.

    Replies under a comment that has no id cannot be placed in a thread: they come out
    with a problem so they are rejected, not silently attached to the wrong thread.
    """
    out: list[_Comment] = []
    for post in posts:
        if not isinstance(post, dict):
            continue
        post_id = _text(post.get("id"))
        page_id, _ = _author(post.get("from"))
        if page_id is None and post_id and "_" in post_id:
            page_id = post_id.split("_", 1)[0]
        # Explicit stack instead of recursion: a hostile file may nest replies very deeply.
        # Items: (node, parent id, thread id, line of an id-less ancestor).
        stack: list[tuple[object, str | None, str | None, int | None]] = [
            (child, None, None, None) for child in reversed(_children(post))
        ]
        while stack:
            node, parent_id, thread_id, orphan_of = stack.pop()
            line = len(out) + 1
            raw = node if isinstance(node, dict) else {"valeur": node}
            own_id = _text(raw.get("id"))
            comment = _Comment(line, raw, post_id, page_id, parent_id, thread_id or own_id, [])
            if not isinstance(node, dict):
                comment.problems.append(
                    f"élément de type {type(node).__name__} : un objet commentaire était attendu"
                )
            if orphan_of is not None:
                comment.problems.append(
                    f"réponse au commentaire n° {orphan_of} qui n'a pas d'« id » : fil de "
                    "discussion inconnu"
                )
            out.append(comment)
            if orphan_of is None and own_id is None:
                orphan_of = line
            for child in reversed(_children(raw)):
                stack.append((child, own_id, comment.thread_id, orphan_of))
    return out


def _replied_at(frame: pd.DataFrame) -> pd.Series:
    """For each resident message, the first staff message of its thread strictly after it."""
    replied = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]")
    sent = pd.to_datetime(frame["sent_at"], utc=True).astype("datetime64[us, UTC]")
    staff = frame["is_staff"].fillna(False).astype(bool)
    # A message without a date or a thread can neither be answered nor answer.
    usable = sent.notna() & frame["thread_id"].notna()
    keys = pd.DataFrame({"thread": frame["thread_id"].astype("str"), "at": sent})
    residents = keys.loc[usable & ~staff].sort_values("at", kind="stable")
    answers = keys.loc[usable & staff].sort_values("at", kind="stable")
    if residents.empty or answers.empty:
        return replied
    matched = pd.merge_asof(
        residents.rename_axis("row").reset_index(),
        answers.rename(columns={"at": "reply"}).assign(at=lambda f: f["reply"]),
        on="at",
        by="thread",
        direction="forward",
        allow_exact_matches=False,  # a reply is strictly later than the message it answers
    )
    replied.loc[matched["row"].to_numpy()] = matched["reply"].to_numpy()
    return replied


def _author(value: object) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    return _text(value.get("id")), _text(value.get("name"))


def _text(value: object) -> str | None:
    """A JSON scalar as stripped text; ids may come as numbers in hand-made dumps."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _message(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "oui"}
    if isinstance(value, (int, float)):
        return bool(value)
    return False


IMPORTER = FbGraphCommentsImporter()
