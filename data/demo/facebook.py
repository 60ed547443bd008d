"""Demo Facebook page: posts and comment threads, as Meta Business Suite CSV and Graph API JSON."""

from __future__ import annotations

import base64
import csv
import io
import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from data.demo.clock import EN_MONTHS, Window, add_office_minutes, local, to_utc
from data.demo.commune import PAGE_ID, PAGE_NAME, Resident, make_residents
from data.demo.content import (
    COMMENT_MIX,
    DIALOGUE,
    INSTITUTIONNEL,
    PLAINTE,
    PRATIQUE,
    REPLY_RATE,
    TOPICS,
    PostText,
    Topic,
    follow_up,
    render_post,
    resident_comment,
    resident_reply,
    spam,
    staff_reply,
    video_title,
)

TYPICAL_REACH = 2200  # a 25,000-inhabitant town's page with ~9,000 followers
# Top-level resident comments in a year; with neighbours' replies and follow-ups that makes
# about 3,000 resident comments.
TOP_LEVEL_COMMENTS = 2500
# Posts per calendar month, January first: quieter in August, busier at the rentrée.
POSTS_PER_MONTH = (21, 17, 19, 18, 19, 21, 16, 11, 22, 19, 18, 20)
REACTION_RATE = {INSTITUTIONNEL: 0.019, PRATIQUE: 0.025, DIALOGUE: 0.028}
TYPE_REACH = {"Photos": 1.0, "Videos": 1.1, "Reels": 1.35, "Links": 0.75, "Text": 0.9}

META_EN_COLUMNS = (
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Reactions, Comments and Shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Link clicks",
    "Other clicks",
    "Matched Audience Targeting Consumption (Photo Click)",
    "Negative feedback from users: Hide all",
    "Negative feedback from users: Hide",
    "Seconds viewed",
    "Average Seconds viewed",
    "Estimated earnings (USD)",
)
NEGATIVE_FEEDBACK = (
    "Negative feedback from users: Hide all",
    "Negative feedback from users: Hide",
)
# French UI export: only the columns whose French names are attested (doc §a2).
META_FR_COLUMNS = (
    "Identifiant de la publication",
    "ID de la Page",
    "Nom de la page",
    "Titre",
    "Description",
    "Heure de publication",
    "Permalien",
    "Type de publication",
    "Vues",
    "Couverture",
    "Réactions, commentaires et partages",
    "Réactions",
    "Commentaires",
    "Partages",
    "Total des clics",
)
FR_POST_TYPES = {
    "Photos": "Photos",
    "Videos": "Vidéos",
    "Reels": "Reels",
    "Links": "Liens",
    "Text": "Texte",
}

# Which variant each quarter of the window is exported in (oldest first). The oldest quarter
# predates Meta's switch from "Impressions" to "Views" and lacks the negative-feedback columns;
# the second was downloaded by an agent whose Business Suite is in French.
QUARTER_VARIANTS = ("en_impressions", "fr", "en", "en")


@dataclass
class Comment:
    comment_id: str
    created: datetime  # UTC
    message: str
    author: Resident | None  # None: the page itself
    show_from: bool = True
    is_hidden: bool = False
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Post:
    post_id: str  # object id, without the page prefix
    published: datetime  # UTC, whole minutes for scheduled posts
    topic: Topic
    post_type: str
    caption: PostText
    reach: int = 0
    views: int = 0
    reactions: int = 0
    shares: int = 0
    clicks: int = 0
    link_clicks: int = 0
    photo_clicks: int = 0
    hide_all: int = 0
    hide: int = 0
    duration: int | None = None
    avg_seconds: int | None = None
    comments: list[Comment] = field(default_factory=list)

    @property
    def full_id(self) -> str:
        return f"{PAGE_ID}_{self.post_id}"

    @property
    def comment_count(self) -> int:
        return sum(1 + len(c.replies) for c in self.comments)

    @property
    def permalink(self) -> str:
        if self.post_type == "Reels":
            return f"https://www.facebook.com/reel/{self.post_id}"
        if self.post_type == "Videos":
            return f"https://www.facebook.com/{PAGE_ID}/videos/{self.post_id}"
        return f"https://www.facebook.com/{PAGE_ID}/posts/{self.post_id}"


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth for small means, normal approximation above: only a handful of draws per post.
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _publish_minute(rng: random.Random, topic: Topic, day: date) -> float:
    """Local minute of day a post goes out: office hours, evenings for events, any time for alerts."""
    if topic.key == "alerte_meteo":
        return rng.uniform(6.5 * 60, 21.5 * 60)
    if day.weekday() >= 5:
        return rng.choice((9.5, 10, 11, 14, 17, 18)) * 60 + rng.choice((0, 0, 15, 30, 45))
    if rng.random() < 0.6:  # scheduled in Business Suite on a round quarter hour
        return rng.choice((8.5, 9, 9, 10, 11.5, 11.5, 12, 14, 16, 17, 17, 18)) * 60 + rng.choice(
            (0, 0, 15, 30)
        )
    return (
        rng.uniform(8.5 * 60, 18.5 * 60) if rng.random() < 0.85 else rng.uniform(18.5 * 60, 21 * 60)
    )


def _schedule(window: Window, rng: random.Random) -> list[tuple[datetime, Topic]]:
    slots: list[tuple[datetime, Topic]] = []
    for first, last in window.months():
        count = POSTS_PER_MONTH[first.month - 1] + rng.choice((-1, 0, 0, 1))
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        day_weights = [(1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.2)[d.weekday()] for d in days]
        topics = [t for t in TOPICS if first.month in t.months]
        for _ in range(count):
            day = rng.choices(days, weights=day_weights)[0]
            topic = rng.choices(topics, weights=[t.weight for t in topics])[0]
            minute = _publish_minute(rng, topic, day)
            instant = to_utc(day, minute)
            if minute != int(minute):  # posted by hand: seconds are not zero
                instant = instant.replace(second=rng.randrange(60), microsecond=0)
            slots.append((instant, topic))
    slots.sort(key=lambda s: (s[0], s[1].key))
    return slots


def _metrics(post: Post, rng: random.Random) -> None:
    topic = post.topic
    reach = TYPICAL_REACH * topic.reach * TYPE_REACH[post.post_type] * rng.lognormvariate(0, 0.45)
    post.reach = max(60, round(reach))
    spread = (1.6, 2.6) if post.post_type == "Reels" else (1.2, 1.9)
    post.views = round(post.reach * rng.uniform(*spread))
    post.reactions = round(post.reach * REACTION_RATE[topic.kind] * rng.lognormvariate(0, 0.35))
    post.shares = _poisson(rng, post.reach * topic.share_rate)
    click_rate = rng.uniform(0.02, 0.05) + (0.04 if post.post_type == "Links" else 0.0)
    post.clicks = round(post.reach * click_rate)
    post.link_clicks = (
        round(post.clicks * rng.uniform(0.4, 0.6)) if post.post_type == "Links" else 0
    )
    post.photo_clicks = (
        round(post.clicks * rng.uniform(0.2, 0.4)) if post.post_type == "Photos" else 0
    )
    post.hide_all = _poisson(rng, post.reach * 0.0003)
    post.hide = _poisson(rng, post.reach * 0.0007)
    if post.post_type == "Reels":
        post.duration = rng.randint(15, 75)
    elif post.post_type == "Videos":
        long = topic.key == "conseil_municipal"
        post.duration = rng.randint(2400, 9000) if long else rng.randint(45, 420)
    if post.duration:
        post.avg_seconds = max(3, round(post.duration * rng.uniform(0.08, 0.4)))


class _Ids:
    """Increasing numeric ids, as Facebook allocates them over time."""

    def __init__(self, rng: random.Random, start: int, step: tuple[int, int]) -> None:
        self.rng, self.value, self.step = rng, start, step

    def next(self) -> str:
        self.value += self.rng.randint(*self.step)
        return str(self.value)


@dataclass
class _Crowd:
    residents: list[Resident]
    cum_weights: list[float]

    def pick(self, rng: random.Random) -> Resident:
        return rng.choices(self.residents, cum_weights=self.cum_weights)[0]


def _comment_delay(rng: random.Random) -> timedelta:
    roll = rng.random()
    if roll < 0.7:
        minutes = rng.expovariate(1 / 120)
    elif roll < 0.95:
        minutes = rng.expovariate(1 / 720)
    else:
        minutes = rng.uniform(1, 10) * 1440
    return timedelta(minutes=2 + minutes, seconds=rng.randrange(60))


def _staff_delay(after: datetime, topic: Topic, rng: random.Random) -> datetime:
    """When the page answers a comment written at ``after``: mostly during opening hours."""
    wall = local(after)
    on_duty = topic.key in ("alerte_meteo", "evenement") or wall.weekday() >= 5
    if (on_duty and rng.random() < 0.35) or rng.random() < 0.06:
        # Evening and weekend duty of the community manager: quick, outside opening hours.
        return after + timedelta(minutes=3 + rng.expovariate(1 / 50), seconds=rng.randrange(60))
    work = rng.lognormvariate(math.log(80), 1.2)
    if rng.random() < 0.05:  # forgotten in the inbox for a week or two
        work += rng.uniform(1200, 3600)
    reply = add_office_minutes(after, work)
    return reply.replace(second=rng.randrange(60), microsecond=0)


def _resident(ids: _Ids, at: datetime, text: str, author: Resident, rng: random.Random) -> Comment:
    # The API drops "from" for some users when the app lacks the permission to show them.
    return Comment(ids.next(), at, text, author, show_from=rng.random() >= 0.032)


def _thread(
    post: Post,
    created: datetime,
    crowd: _Crowd,
    ids: _Ids,
    export: datetime,
    rng: random.Random,
) -> Comment:
    topic, author = post.topic, crowd.pick(rng)
    if rng.random() < 0.023:  # spam or insults the moderators hid
        hidden = _resident(ids, created, spam(rng), author, rng)
        hidden.is_hidden = True
        return hidden
    kind = _weighted(rng, COMMENT_MIX[topic.kind])
    friend = crowd.pick(rng)
    said = resident_comment(kind, topic, post.caption, author, friend, rng)
    top = _resident(ids, created, said.text, author, rng)
    replies = top.replies
    if rng.random() < 0.1:  # a neighbour chimes in
        at = created + timedelta(minutes=1 + rng.expovariate(1 / 90), seconds=rng.randrange(60))
        neighbour = crowd.pick(rng)
        if at < export:
            text = resident_reply(post.caption, author, rng)
            replies.append(_resident(ids, at, text, neighbour, rng))
    if rng.random() < REPLY_RATE[kind]:
        at = _staff_delay(created, topic, rng)
        if at < export:
            text = staff_reply(kind, said, author.first_name, rng)
            replies.append(Comment(ids.next(), at, text, None))
            if rng.random() < 0.15:  # the resident comes back after the answer
                back = at + timedelta(
                    minutes=4 + rng.expovariate(1 / 240), seconds=rng.randrange(60)
                )
                if back < export:
                    comeback = follow_up(kind, rng)
                    replies.append(_resident(ids, back, comeback.text, author, rng))
                    if kind == PLAINTE or rng.random() < 0.3:
                        again = _staff_delay(back, topic, rng)
                        if again < export:
                            replies.append(Comment(ids.next(), again, comeback.answer, None))
    replies.sort(key=lambda c: c.created)
    return top


def build_page(window: Window, seed: int) -> list[Post]:
    """All page posts of the window, oldest first, with metrics and comment threads."""
    rng = random.Random(f"{seed}:facebook")
    crowd_rng = random.Random(f"{seed}:residents")
    residents = make_residents(crowd_rng)
    crowd = _Crowd(residents, list(accumulate(r.weight for r in residents)))
    post_ids = _Ids(rng, 122_130_000_000_000_000, (20_000_000_000, 90_000_000_000))
    comment_ids = _Ids(rng, 1_180_000_000_000_000, (1_000_000, 900_000_000))
    export = window.end_utc
    posts, appetites = [], []
    for instant, topic in _schedule(window, rng):
        day = local(instant).date()
        post_type = _weighted(rng, topic.post_types)
        post = Post(post_ids.next(), instant, topic, post_type, render_post(topic, day, rng))
        _metrics(post, rng)
        posts.append(post)
        relative_reach = (post.reach / TYPICAL_REACH) ** 0.7
        appetites.append(topic.comments * relative_reach * rng.gammavariate(4.0, 0.25))
    # Scale the appetites so the year's volume stays near the target whatever the seed and window.
    scale = TOP_LEVEL_COMMENTS / sum(appetites)
    for post, appetite in zip(posts, appetites, strict=True):
        count = _poisson(rng, appetite * scale)
        times = sorted(post.published + _comment_delay(rng) for _ in range(count))
        post.comments = [
            _thread(post, t, crowd, comment_ids, export, rng) for t in times if t < export
        ]
    return posts


# Meta Business Suite content export -----------------------------------------------------------


def _meta_row(post: Post, variant: str) -> list[str]:
    wall = local(post.published)
    is_video = post.post_type in ("Videos", "Reels")
    title = video_title(post.caption.text) if is_video else post.caption.text
    description = post.caption.text if is_video else ""
    engagement = post.reactions + post.comment_count + post.shares
    if variant == "fr":
        return [
            post.full_id,
            PAGE_ID,
            PAGE_NAME,
            title,
            description,
            wall.strftime("%d/%m/%Y %H:%M"),
            post.permalink,
            FR_POST_TYPES[post.post_type],
            str(post.views),
            str(post.reach),
            str(engagement),
            str(post.reactions),
            str(post.comment_count),
            str(post.shares),
            str(post.clicks),
        ]
    other_clicks = post.clicks - post.link_clicks - post.photo_clicks
    row = [
        post.full_id,
        PAGE_ID,
        PAGE_NAME,
        title,
        description,
        str(post.duration) if post.duration else "",
        wall.strftime("%m/%d/%Y %H:%M"),
        "",
        post.permalink,
        "No",
        "No",
        post.post_type,
        "",
        "",
        "",
        "",
        "Lifetime",
        str(post.views),
        str(post.reach),
        str(engagement),
        str(post.reactions),
        str(post.comment_count),
        str(post.shares),
        str(post.clicks),
        str(post.link_clicks),
        str(other_clicks),
        str(post.photo_clicks),
        str(post.hide_all),
        str(post.hide),
        str(post.views * post.avg_seconds) if post.avg_seconds else "",
        str(post.avg_seconds) if post.avg_seconds else "",
        "",
    ]
    if variant == "en_impressions":
        keep = [i for i, c in enumerate(META_EN_COLUMNS) if c not in NEGATIVE_FEEDBACK]
        row = [row[i] for i in keep]
    return row


def meta_header(variant: str) -> tuple[str, ...]:
    if variant == "fr":
        return META_FR_COLUMNS
    if variant == "en_impressions":
        columns = tuple(c for c in META_EN_COLUMNS if c not in NEGATIVE_FEEDBACK)
        return tuple("Impressions" if c == "Views" else c for c in columns)
    return META_EN_COLUMNS


def meta_file_name(first: date, last: date) -> str:
    def stamp(d: date) -> str:
        return f"{EN_MONTHS[d.month - 1]}-{d.day:02d}-{d.year}"

    return f"{stamp(first)}_{stamp(last)}_{PAGE_ID}.csv"


def write_meta(path: Path, posts: list[Post], variant: str) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if variant == "fr" else ",", lineterminator="\n")
    writer.writerow(meta_header(variant))
    # Business Suite lists the newest post first.
    for post in sorted(posts, key=lambda p: p.published, reverse=True):
        writer.writerow(_meta_row(post, variant))
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return len(posts)


# Graph API comment dump -------------------------------------------------------------------------


def _graph_time(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _page_from() -> dict[str, str]:
    return {"name": PAGE_NAME, "id": PAGE_ID}


def _graph_comment(post: Post, comment: Comment, nested: bool) -> dict[str, object]:
    item: dict[str, object] = {
        "id": f"{post.post_id}_{comment.comment_id}",
        "created_time": _graph_time(comment.created),
        "message": comment.message,
    }
    if comment.author is None:
        item["from"] = _page_from()
    elif comment.show_from:
        item["from"] = {"name": comment.author.name, "id": comment.author.user_id}
    item["is_hidden"] = comment.is_hidden
    # The API leaves out an edge that has no data rather than sending an empty list.
    if nested and comment.replies:
        item["comments"] = _edge([_graph_comment(post, r, False) for r in comment.replies])
    return item


def _cursor(item_id: object) -> str:
    # Opaque to clients; only its look ("QVFIU…", base64) matters.
    return "QVFIU" + base64.urlsafe_b64encode(str(item_id).encode()).decode().rstrip("=")


def _edge(items: list[dict[str, object]]) -> dict[str, object]:
    cursors = {"before": _cursor(items[0]["id"]), "after": _cursor(items[-1]["id"])}
    return {"data": items, "paging": {"cursors": cursors}}


def graph_file_name(first: date, last: date) -> str:
    return f"facebook_comments_{PAGE_ID}_{first:%Y-%m}_{last:%Y-%m}.json"


def write_graph(path: Path, posts: list[Post]) -> int:
    data = []
    for post in sorted(posts, key=lambda p: p.published, reverse=True):
        item: dict[str, object] = {
            "id": post.full_id,
            "created_time": _graph_time(post.published),
            "message": post.caption.text,
            "from": _page_from(),
        }
        if post.comments:
            item["comments"] = _edge([_graph_comment(post, c, True) for c in post.comments])
        data.append(item)
    document: dict[str, object] = {"data": data, "paging": {"cursors": {}}}
    if data:
        document = _edge(data)
    # As the Graph API sends it: compact, ASCII-only, slashes escaped.
    body = json.dumps(document, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
    path.write_bytes(body.encode("ascii"))
    return sum(1 for p in posts for c in p.comments for _ in (c, *c.replies))
