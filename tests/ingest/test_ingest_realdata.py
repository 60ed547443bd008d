"""Real exports from /work/shared/realdata: right format, every row, hand-checked values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ingest.base import ImportContext, ImportRefused
from ingest.registry import parse_file

NEW_YORK = ImportContext(timezone="America/New_York")
PARIS = ImportContext()
POST_LEVEL = "facebook_insights_post_level/Facebook Insights Data Export (Post Level) - "
USC_CSV = POST_LEVEL + "USC Clinical Trials - 2017-01-19.csv"
LOK_XLS = POST_LEVEL + "LOK - 2017-07-27.xls"
LOK_XLSX = POST_LEVEL + "LOK - 2017-11-19.xlsx"
PAGE_XLS = "facebook_insights_page_level/Facebook Insights Data Export - LOK - 2017-07-05.xls"
X_CONTENT = "x_account_analytics_content/maurojpelle-2026-05-25-to-2026-08-22.csv"
DANSMARUE = "paris_dansmarue/clustered_data.csv"

# (file under realdata/, format_id, data rows, context). Every export in the folder is here:
# test_every_real_file_is_listed fails when a new one arrives without a test.
SUPPORTED = [
    (
        "twitter_tweet_activity_metrics/tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv",
        "x_tweet_activity",
        37,
        PARIS,
    ),
    (
        "twitter_tweet_activity_metrics/tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv",
        "x_tweet_activity",
        17,
        PARIS,
    ),
    (
        "twitter_tweet_activity_metrics/twitter_activity_metrics_20150901_20151001.csv",
        "x_tweet_activity",
        47,
        PARIS,
    ),
    ("nyc_311/311_Service_Requests_from_2010_to_Present.csv", "nyc311", 924, NEW_YORK),
    (USC_CSV, "fb_insights_posts", 1, PARIS),
    (LOK_XLS, "fb_insights_posts", 7, PARIS),
    (LOK_XLSX, "fb_insights_posts", 47, PARIS),
    (PAGE_XLS, "fb_insights_page", 28, PARIS),
    (X_CONTENT, "x_account_content", 377, PARIS),
    (DANSMARUE, "dansmarue", 6003, PARIS),
]

# Files in the folder that are not exports: a clear French refusal, never a crash.
NOT_EXPORTS = ["sentiment-fr/dev.tsv", "sentiment-fr/test.tsv"]


def _row(frame: pd.DataFrame, native_id: str) -> pd.Series:
    matches = frame[frame["native_id"] == native_id]
    assert len(matches) == 1, native_id
    return matches.iloc[0]


def _parse(realdata: Path, name: str, context: ImportContext = PARIS):
    return parse_file((realdata / name).read_bytes(), context)


def test_every_real_file_is_listed(realdata: Path) -> None:
    listed = {name for name, *_ in SUPPORTED} | set(NOT_EXPORTS)
    found = {
        str(p.relative_to(realdata))
        for p in realdata.rglob("*")
        if p.is_file() and p.suffix != ".md"
    }
    assert found == listed


@pytest.mark.parametrize(
    ("name", "format_id", "rows", "context"), SUPPORTED, ids=lambda v: str(v)[-40:]
)
def test_real_file_parses_completely(
    realdata: Path, name: str, format_id: str, rows: int, context: ImportContext
) -> None:
    result = _parse(realdata, name, context)
    assert result.format_id == format_id
    assert result.rejections == []
    assert result.rows_read == rows
    assert len(result.frame) == rows
    key = "date" if result.kind == "audience" else "native_id"
    assert result.frame[key].notna().all()


def test_real_tweets_hand_checked(realdata: Path) -> None:
    folder = realdata / "twitter_tweet_activity_metrics"
    dec_2016 = parse_file(
        (folder / "tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv").read_bytes(),
        ImportContext(),
    ).frame
    tweet = _row(dec_2016, "811720407849934848")
    assert tweet["published_at"] == pd.Timestamp("2016-12-21 23:50", tz="UTC")
    assert (tweet["impressions"], tweet["reactions"], tweet["shares"]) == (3257, 4, 6)
    assert (tweet["comments"], tweet["clicks"]) == (0, 7)
    assert pd.isna(tweet["reach"]) and pd.isna(tweet["video_views"])
    assert tweet["account"] == "rOpenSci"

    dec_2021 = parse_file(
        (folder / "tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv").read_bytes(),
        ImportContext(),
    ).frame
    tweet = _row(dec_2021, "1475870580540952577")
    assert tweet["impressions"] == 3423 and tweet["reactions"] == 9 and tweet["shares"] == 3
    assert "\n\nSocial coworking" in tweet["text"]
    assert not dec_2021["text"].str.contains("&amp;", regex=False).any()
    assert dec_2021["text"].str.contains(" & ", regex=False).any()

    sept_2015 = parse_file(
        (folder / "twitter_activity_metrics_20150901_20151001.csv").read_bytes(), ImportContext()
    ).frame
    tweet = _row(sept_2015, "639090487274684416")
    assert tweet["impressions"] == 95 and tweet["reactions"] == 0
    assert tweet["published_at"] == pd.Timestamp("2015-09-02 15:00", tz="UTC")


def test_real_nyc311_hand_checked(realdata: Path) -> None:
    data = (realdata / "nyc_311" / "311_Service_Requests_from_2010_to_Present.csv").read_bytes()
    result = parse_file(data, NEW_YORK)
    frame = result.frame
    assert result.warnings == []
    assert frame["source"].eq("nyc311").all()
    # Status "Closed" on 480 rows, each with a Closed Date; 444 still open.
    assert frame["closed_at"].notna().sum() == 480
    assert frame["status"].value_counts().to_dict() == {
        "Closed": 480,
        "In Progress": 440,
        "Open": 4,
    }

    request = _row(frame, "54049076")  # 05/01/2022 12:08:53 AM, New York daylight time
    assert request["created_at"] == pd.Timestamp("2022-05-01 04:08:53", tz="UTC")
    assert request["closed_at"] == pd.Timestamp("2022-05-01 04:20:18", tz="UTC")
    assert (request["category"], request["district"]) == ("Noise - Vehicle", "MANHATTAN")
    assert request["latitude"] == pytest.approx(40.73210157073315)

    still_open = _row(frame, "54049402")
    assert still_open["created_at"] == pd.Timestamp("2022-05-01 04:00:03", tz="UTC")
    assert pd.isna(still_open["closed_at"])
    assert (still_open["status"], still_open["channel"], still_open["service"]) == (
        "In Progress",
        "ONLINE",
        "NYPD",
    )


def test_real_legacy_facebook_csv_hand_checked(realdata: Path) -> None:
    # "Posted" is naive: read in the context zone (the Page's, Pacific for this US page).
    result = _parse(realdata, USC_CSV, ImportContext(timezone="America/Los_Angeles"))
    post = _row(result.frame, "1605839243031680_1867404650208470")
    assert post["published_at"] == pd.Timestamp("2017-01-19 17:03:47", tz="UTC")
    assert (post["reach"], post["impressions"], post["clicks"]) == (35, 60, 1)
    # "Post Stories" (total count), not "Talking About This" (unique people).
    assert (post["reactions"], post["comments"], post["shares"]) == (1, 1, 1)
    assert (post["account"], post["post_type"], post["video_views"]) == ("USCTrials", "Link", 0)
    assert result.warnings == []


def test_real_legacy_facebook_spreadsheetml_hand_checked(realdata: Path) -> None:
    result = _parse(realdata, LOK_XLS)
    assert result.warnings == []
    video = _row(result.frame, "1553363564876294_1911244905754823")
    assert video["published_at"] == pd.Timestamp("2017-07-22 03:30", tz="UTC")  # 05:30 Paris
    # API ids: post_impressions_unique / post_impressions / post_consumptions (lifetime).
    assert (video["reach"], video["impressions"], video["clicks"]) == (221231, 319665, 14454)
    # Joined on Post ID from the sheet "Lifetime Post Stories by act...".
    assert (video["reactions"], video["comments"], video["shares"]) == (2506, 166, 576)
    assert video["video_views"] == 32199 + 59669  # organic + paid, total count
    assert "Trên đời này" in video["text"]
    assert result.frame["account"].eq("lokvietnam").all()


def test_real_legacy_facebook_xlsx_hand_checked(realdata: Path) -> None:
    result = _parse(realdata, LOK_XLSX)
    post = _row(result.frame, "1553363564876294_1958383411040972")
    assert post["published_at"] == pd.Timestamp("2017-11-15 03:30", tz="UTC")
    assert (post["reach"], post["impressions"], post["clicks"]) == (46693, 77248, 2111)
    assert (post["reactions"], post["comments"], post["shares"]) == (1886, 42, 55)
    # Facebook leaves a cell empty when a post got no share: missing, never 0.
    assert result.frame["shares"].isna().sum() == 5
    assert result.frame["reactions"].notna().all()


def test_real_legacy_facebook_page_level_hand_checked(realdata: Path) -> None:
    result = _parse(realdata, PAGE_XLS)
    frame = result.frame.set_index("date")
    assert frame.index.min() == pd.Timestamp("2017-06-09")
    assert frame.index.max() == pd.Timestamp("2017-07-06")
    assert frame.loc[pd.Timestamp("2017-06-09"), "followers"] == 41883
    assert frame.loc[pd.Timestamp("2017-07-06"), "followers"] == 58200
    assert frame["platform"].eq("facebook").all()
    assert any("ne nomme pas le compte" in w for w in result.warnings)


def test_real_x_account_content_hand_checked(realdata: Path) -> None:
    result = _parse(realdata, X_CONTENT)
    frame = result.frame
    post = _row(frame, "2090012801272090675")
    # "Tue, Aug 18, 2026": the day only, placed at midnight in Paris (22:00 UTC in summer).
    assert post["published_at"] == pd.Timestamp("2026-08-18 22:00", tz="UTC")
    assert (post["impressions"], post["reactions"], post["comments"]) == (1479, 4, 1)
    assert frame["post_type"].value_counts().to_dict() == {"Réponse": 257, "Tweet": 120}
    assert frame["account"].eq("MauroJPelle").all()
    assert any("sans l'heure" in w and "377 ligne(s)" in w for w in result.warnings)


def test_real_dansmarue_hand_checked(realdata: Path) -> None:
    result = _parse(realdata, DANSMARUE)
    frame = result.frame
    report = _row(frame, "A2024C016447")
    assert report["created_at"] == pd.Timestamp("2024-03-05 23:00", tz="UTC")  # 2024-03-06 Paris
    assert (report["category"], report["district"], report["channel"], report["service"]) == (
        "Voirie et espace public",
        "9",
        "IOS application",
        "DVD",
    )
    assert report["latitude"] == pytest.approx(48.8750648491149)
    assert report["longitude"] == pytest.approx(2.331057787576589)
    assert frame["status"].isna().all() and frame["closed_at"].isna().all()
    assert frame["channel"].value_counts().to_dict() == {
        "Android": 3974,
        "IOS application": 1336,
        "Page DMR Paris.fr": 592,
        "Back Office": 101,
    }
    assert frame["district"].nunique() == 20
    assert any("ne peuvent pas être calculés" in w for w in result.warnings)


@pytest.mark.parametrize("name", NOT_EXPORTS)
def test_sentiment_corpus_is_refused_in_french(realdata: Path, name: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        _parse(realdata, name)
    message = str(refused.value)
    assert message.startswith("Aucune ligne d'en-tête reconnue")
    assert "Formats acceptés" in message
