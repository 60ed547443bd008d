"""Real exports from /work/shared/realdata: right format, every row, hand-checked values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ingest.base import ImportContext, ImportRefused
from ingest.registry import parse_file

NEW_YORK = ImportContext(timezone="America/New_York")

# (file under realdata/, format_id, data rows counted with the csv module, context)
SUPPORTED = [
    (
        "twitter_tweet_activity_metrics/tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv",
        "x_tweet_activity",
        37,
        ImportContext(),
    ),
    (
        "twitter_tweet_activity_metrics/tweet_activity_metrics_rOpenSci_20211201_20220101_en.csv",
        "x_tweet_activity",
        17,
        ImportContext(),
    ),
    (
        "twitter_tweet_activity_metrics/twitter_activity_metrics_20150901_20151001.csv",
        "x_tweet_activity",
        47,
        ImportContext(),
    ),
    ("nyc_311/311_Service_Requests_from_2010_to_Present.csv", "nyc311", 924, NEW_YORK),
]

# Formats that come later: a clear French refusal is expected, never a crash.
NOT_YET = [
    "facebook_insights_post_level/Facebook Insights Data Export (Post Level) - USC Clinical Trials - 2017-01-19.csv",
    "facebook_insights_post_level/Facebook Insights Data Export (Post Level) - LOK - 2017-07-27.xls",
    "facebook_insights_post_level/Facebook Insights Data Export (Post Level) - LOK - 2017-11-19.xlsx",
    "facebook_insights_page_level/Facebook Insights Data Export - LOK - 2017-07-05.xls",
    "x_account_analytics_content/maurojpelle-2026-05-25-to-2026-08-22.csv",
    "paris_dansmarue/clustered_data.csv",
    "sentiment-fr/dev.tsv",
    "sentiment-fr/test.tsv",
]


def _row(frame: pd.DataFrame, native_id: str) -> pd.Series:
    matches = frame[frame["native_id"] == native_id]
    assert len(matches) == 1, native_id
    return matches.iloc[0]


@pytest.mark.parametrize(
    ("name", "format_id", "rows", "context"), SUPPORTED, ids=lambda v: str(v)[-40:]
)
def test_real_file_parses_completely(
    realdata: Path, name: str, format_id: str, rows: int, context: ImportContext
) -> None:
    result = parse_file((realdata / name).read_bytes(), context)
    assert result.format_id == format_id
    assert result.rejections == []
    assert result.rows_read == rows
    assert len(result.frame) == rows
    assert result.frame["native_id"].notna().all()


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


@pytest.mark.parametrize("name", NOT_YET, ids=lambda v: v.split("/")[-1][-45:])
def test_other_real_files_refused_in_french(realdata: Path, name: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        parse_file((realdata / name).read_bytes(), ImportContext())
    message = str(refused.value)
    assert len(message) > 40
    assert any(word in message for word in ("attendu", "pris en charge", "Colonnes trouvées"))


def test_legacy_facebook_csv_refusal_names_columns_and_closest_format(realdata: Path) -> None:
    name = NOT_YET[0]
    with pytest.raises(ImportRefused, match="Colonnes trouvées : Post ID, Permalink") as refused:
        parse_file((realdata / name).read_bytes(), ImportContext())
    assert "Meta Business Suite" in str(refused.value)
    assert "colonnes manquantes : Page ID, Publish time" in str(refused.value)
