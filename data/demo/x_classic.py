"""Demo X account @valdeparvis, written as classic analytics.twitter.com monthly activity exports."""

from __future__ import annotations

import csv
import io
import math
import random
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from data.demo.clock import Window, add_months, is_working_day, local, to_utc
from data.demo.commune import X_HANDLE
from data.demo.content import DOSSIERS, LIEUX_PROJET, live_tweet, tweet_from_post
from data.demo.facebook import Post

X_COLUMNS = (
    "Tweet id",
    "Tweet permalink",
    "Tweet text",
    "time",
    "impressions",
    "engagements",
    "engagement rate",
    "retweets",
    "replies",
    "likes",
    "user profile clicks",
    "url clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "media views",
    "media engagements",
    "promoted impressions",
    "promoted engagements",
    "promoted engagement rate",
    "promoted retweets",
    "promoted replies",
    "promoted likes",
    "promoted user profile clicks",
    "promoted url clicks",
    "promoted hashtag clicks",
    "promoted detail expands",
    "promoted permalink clicks",
    "promoted app opens",
    "promoted app installs",
    "promoted follows",
    "promoted email tweet",
    "promoted dial phone",
    "promoted media views",
    "promoted media engagements",
)
TWITTER_EPOCH_MS = 1_288_834_974_657
SHARE_OF_POSTS_TWEETED = 0.57
TYPICAL_IMPRESSIONS = 950


@dataclass
class Tweet:
    tweet_id: str
    sent: datetime  # UTC, whole minutes in the export
    text: str
    has_link: bool
    has_media: bool
    weight: float  # audience multiplier


def _snowflake(instant: datetime, rng: random.Random) -> str:
    # Real tweet ids encode their creation time, which keeps them sorted like the timeline.
    ms = int(instant.timestamp() * 1000) + rng.randrange(1000)
    return str(((ms - TWITTER_EPOCH_MS) << 22) | (rng.randrange(1024) << 12) | rng.randrange(4096))


def _tco(rng: random.Random) -> str:
    return "https://t.co/" + "".join(rng.choices(string.ascii_letters + string.digits, k=10))


def _council_evenings(window: Window, rng: random.Random) -> list[date]:
    """One council session a month (none in August), live-tweeted on a weekday evening."""
    evenings = []
    for first, _last in window.months():
        if first.month == 8:
            continue
        days = [first + timedelta(days=i) for i in range(14, 24)]
        evenings.append(
            rng.choice([d for d in days if d.weekday() in (0, 1, 3) and is_working_day(d)])
        )
    return evenings


def build_tweets(window: Window, posts: list[Post], seed: int) -> list[Tweet]:
    rng = random.Random(f"{seed}:x")
    export = window.end_utc
    chosen = sorted(rng.sample(range(len(posts)), round(len(posts) * SHARE_OF_POSTS_TWEETED)))
    tweets = []
    for index in chosen:
        post = posts[index]
        sent = post.published + timedelta(minutes=rng.choice((0, 0, 1, 2, 5, 15, 40)))
        if sent >= export:
            continue
        text = tweet_from_post(post.topic, post.caption.text, _tco(rng), rng)
        media = post.post_type in ("Photos", "Videos", "Reels")
        boost = 1.8 if post.topic.key == "alerte_meteo" else post.topic.reach
        tweets.append(Tweet(_snowflake(sent, rng), sent, text, True, media, boost))
    for evening in _council_evenings(window, rng):
        minutes = sorted(
            rng.uniform(19 * 60 + 10, 21 * 60 + 45) for _ in range(rng.choice((2, 2, 3)))
        )
        for minute in minutes:
            sent = to_utc(evening, minute).replace(second=0, microsecond=0)
            ctx = {
                "dossier": rng.choice(DOSSIERS).format(annee=evening.year + (evening.month >= 9)),
                "montant": f"{rng.randrange(40, 400) * 1000:,}".replace(",", " "),
                "numero": str(rng.randint(3, 24)),
                "lieu_projet": rng.choice(LIEUX_PROJET),
            }
            tweets.append(
                Tweet(_snowflake(sent, rng), sent, live_tweet(ctx, rng), False, False, 0.5)
            )
    tweets.sort(key=lambda t: t.sent)
    return tweets


def _count(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, math.sqrt(mean) + 0.3))) if mean > 0 else 0


def _row(tweet: Tweet, rng: random.Random) -> list[str]:
    impressions = max(40, round(TYPICAL_IMPRESSIONS * tweet.weight * rng.lognormvariate(0, 0.55)))
    retweets = _count(rng, impressions * 0.0025 * tweet.weight)
    replies = _count(rng, impressions * 0.0012)
    likes = _count(rng, impressions * 0.008)
    profile = _count(rng, impressions * 0.001)
    url = _count(rng, impressions * 0.006) if tweet.has_link else 0
    hashtag = _count(rng, impressions * 0.0007)
    detail = _count(rng, impressions * 0.006)
    permalink = _count(rng, impressions * 0.0004)
    follows = _count(rng, impressions * 0.0003)
    media_views = _count(rng, impressions * 0.04) if tweet.has_media else 0
    media_engagements = media_views
    floats = [retweets, replies, likes, profile, url, hashtag, detail, permalink]
    engagements = sum(floats) + follows + media_engagements
    # The classic export writes the first metrics as floats and the later ones as integers.
    return [
        tweet.tweet_id,
        f"https://twitter.com/{X_HANDLE}/status/{tweet.tweet_id}",
        tweet.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
        tweet.sent.astimezone(UTC).strftime("%Y-%m-%d %H:%M +0000"),
        f"{float(impressions)}",
        f"{float(engagements)}",
        repr(engagements / impressions),
        *(f"{float(v)}" for v in floats),
        "0",
        "0",
        str(follows),
        "0",
        "0",
        str(media_views),
        str(media_engagements),
        *(["-"] * 18),
    ]


def x_file_name(first: date) -> str:
    # The classic export names the month by its first day and the first day of the next month.
    return f"tweet_activity_metrics_{X_HANDLE}_{first:%Y%m%d}_{add_months(first, 1):%Y%m%d}_fr.csv"


def write_x_month(path: Path, tweets: list[Tweet], first: date, last: date, seed: int) -> int:
    rng = random.Random(f"{seed}:x-metrics:{first.isoformat()}")
    month = [t for t in tweets if first <= local(t.sent).date() <= last]
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(X_COLUMNS)
    rows = [_row(t, rng) for t in month]
    writer.writerows(reversed(rows))  # newest first, as analytics.twitter.com sorts them
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return len(month)
