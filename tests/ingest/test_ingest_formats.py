"""Format-specific rules the golden files do not show on their own."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from ingest_support import GOLDEN_DIR

from ingest.base import ImportContext
from ingest.formats import fb_graph_comments, meta_posts, nyc311, x_tweet_activity
from ingest.registry import importers, parse_file

PARIS = ImportContext()


@pytest.mark.parametrize("module", [x_tweet_activity, meta_posts, fb_graph_comments, nyc311])
def test_each_format_module_declares_its_contract(module) -> None:
    assert module.HEADER_SIGNATURE and module.COLUMN_MAP
    assert module.IMPORTER in importers()
    assert module.IMPORTER.format_id == module.__name__.rsplit(".", 1)[1]


def test_meta_total_column_is_never_taken_as_reactions() -> None:
    data = (
        "Post ID,Page ID,Page name,Publish time,Permalink,Date,Views,"
        '"Reactions, Comments and Shares",Comments,Shares\n'
        "1,2,Ville,01/15/2026 10:00,https://fb.com/1,Lifetime,100,57,3,4\n"
    )
    frame = parse_file(data.encode(), PARIS).frame
    assert pd.isna(frame.loc[0, "reactions"])
    assert (frame.loc[0, "comments"], frame.loc[0, "shares"]) == (3, 4)


def test_meta_english_headers_with_semicolons_read_month_first() -> None:
    data = "Post ID;Page ID;Publish time;Permalink;Reactions\n1;2;03/06/2026 19:00;https://fb.com/1;5\n"
    frame = parse_file(data.encode(), PARIS).frame
    assert frame.loc[0, "published_at"] == pd.Timestamp("2026-03-06 18:00", tz="UTC")


def test_meta_french_date_that_is_not_day_first_is_rejected_not_guessed() -> None:
    data = (
        "Identifiant de la publication;ID de la Page;Heure de publication;Permalien\n"
        "1;2;12/25/2025 10:00;https://fb.com/1\n"
    )
    result = parse_file(data.encode(), PARIS)
    assert result.frame.empty
    assert "JJ/MM/AAAA HH:MM" in result.rejections[0].reason


def test_meta_periodic_date_column_warns() -> None:
    data = "Post ID,Page ID,Publish time,Permalink,Date\n1,2,01/15/2026 10:00,https://fb.com/1,01/15/2026\n"
    result = parse_file(data.encode(), PARIS)
    assert any("Lifetime" in w for w in result.warnings)


def test_meta_account_falls_back_to_page_id() -> None:
    data = "Post ID,Page ID,Publish time,Permalink\n1,104873000000001,01/15/2026 10:00,https://fb.com/1\n"
    assert parse_file(data.encode(), PARIS).frame.loc[0, "account"] == "104873000000001"


def test_x_mangled_tweet_id_kept_as_text_with_warning() -> None:
    text = (GOLDEN_DIR / "x_tweet_activity" / "favorites_2015.csv").read_text(encoding="utf-8")
    text = text.replace('"649000000000000001"', '"6.49E+17"', 1)
    result = parse_file(text.encode(), PARIS)
    assert "6.49E+17" in result.frame["native_id"].tolist()
    assert any("abîmés par Excel" in w for w in result.warnings)


def _post(comments: list, **extra) -> dict:
    return {
        "id": "555_1",
        "created_time": "2026-01-01T10:00:00+0000",
        "comments": {"data": comments},
        **extra,
    }


def _comment(cid: str, minute: int, author: str | None, replies: list | None = None) -> dict:
    comment = {"id": cid, "created_time": f"2026-01-01T11:{minute:02d}:00+0000", "message": cid}
    if author is not None:
        comment["from"] = {"id": author, "name": f"nom {author}"}
    if replies is not None:
        comment["comments"] = {"data": replies}
    return comment


def test_graph_deep_nesting_keeps_top_level_thread() -> None:
    deepest = _comment("c3", 3, "555")
    tree = _comment("c1", 1, "42", [_comment("c2", 2, "43", [deepest])])
    frame = parse_file(json.dumps([_post([tree])]).encode(), PARIS).frame
    assert frame["thread_id"].tolist() == ["c1", "c1", "c1"]
    assert frame["parent_id"].fillna("").tolist() == ["", "c1", "c2"]
    # Page id comes from the post id prefix; both residents get the page's reply.
    assert frame["is_staff"].tolist() == [False, False, True]
    assert frame["replied_at"].iloc[0] == frame["replied_at"].iloc[1] == frame["sent_at"].iloc[2]


def test_graph_very_deep_nesting_does_not_overflow() -> None:
    node = _comment("leaf", 59, "555")
    for depth in range(300):
        node = _comment(f"c{depth}", depth % 59, "42", [node])
    result = parse_file(json.dumps({"data": [_post([node])]}).encode(), PARIS)
    assert result.rows_read == 301 and result.rejections == []
    assert result.frame["thread_id"].nunique() == 1


def test_graph_single_post_object_and_our_accounts_by_name() -> None:
    post = _post([_comment("c1", 1, "42"), {"id": "c2", "created_time": "2026-01-01T11:05:00+0000",
                                              "from": {"name": "Agent Martin"}}])  # fmt: skip
    result = parse_file(json.dumps(post).encode(), ImportContext(our_accounts=("Agent Martin",)))
    assert result.format_id == "fb_graph_comments"
    assert result.frame["is_staff"].tolist() == [False, True]
    assert result.frame["replied_at"].isna().all()  # a reply in another thread does not count


def test_graph_bad_time_rejected_with_document_index() -> None:
    post = _post(
        [_comment("c1", 1, "42"), {"id": "c2", "created_time": "hier", "from": {"id": "9"}}]
    )
    result = parse_file(json.dumps([post]).encode(), PARIS)
    [rejection] = result.rejections
    assert rejection.line == 2 and "« hier » illisible" in rejection.reason


def test_graph_post_list_without_comments_is_not_graph() -> None:
    from ingest.base import ImportRefused

    with pytest.raises(ImportRefused, match="Fichier JSON non reconnu"):
        parse_file(json.dumps([{"id": "1", "created_time": "x"}]).encode(), PARIS)


def test_nyc_future_dates_warn_but_are_kept() -> None:
    header = "Unique Key,Created Date,Closed Date,Complaint Type,Status\n"
    row = "7,05/01/2099 10:00:00 AM,,Noise,Open\n"
    result = parse_file((header + row).encode(), ImportContext(timezone="America/New_York"))
    assert len(result.frame) == 1
    assert any("dans le futur" in w and "ligne 2" in w for w in result.warnings)
