"""Format-specific rules the golden files do not show on their own."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pandas as pd
import pytest
from ingest_support import GOLDEN_DIR

import ingest.formats
from ingest.base import ImportContext, ImportRefused
from ingest.canonical import KINDS
from ingest.formats import (
    linkedin_posts,
    meta_daily,
    resident_messages,
    x_account_content,
)
from ingest.registry import importers, parse_file

PARIS = ImportContext()
MODULES = [
    importlib.import_module(f"ingest.formats.{m.name}")
    for m in pkgutil.iter_modules(ingest.formats.__path__)
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_each_format_module_declares_its_contract(module) -> None:
    assert module.HEADER_SIGNATURE and module.COLUMN_MAP
    assert module.IMPORTER in importers()
    assert module.IMPORTER.format_id == module.__name__.rsplit(".", 1)[1]
    assert module.IMPORTER.kind in KINDS
    assert module.IMPORTER.label and module.IMPORTER.label[0].isupper()


def test_every_importer_is_a_module() -> None:
    assert len(importers()) == len(MODULES)


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


# --------------------------------------------------------------------------- new formats


def test_x_content_date_reads_english_month_names_whatever_the_locale() -> None:
    assert x_account_content.iso_day("Sat, Aug 22, 2026") == "2026-08-22"
    assert x_account_content.iso_day("Aug 2, 2026") == "2026-08-02"
    assert x_account_content.iso_day("September 30, 2026") == "2026-09-30"
    assert x_account_content.iso_day("sam. 22 août 2026").startswith("?")


def test_meta_daily_other_metric_is_refused_with_its_name() -> None:
    text = 'sep=,\n"Facebook visits"\n"Date","Primary"\n"2026-03-01T00:00:00","12"\n'
    with pytest.raises(ImportRefused, match="« Facebook visits »"):
        parse_file(b"\xff\xfe" + text.encode("utf-16-le"), PARIS)


def test_meta_daily_followers_total_has_no_daily_warning() -> None:
    text = 'sep=,\n"Instagram followers"\n"Date","Primary"\n"2026-03-01T00:00:00","1520"\n'
    result = parse_file(b"\xff\xfe" + text.encode("utf-16-le"), PARIS)
    assert result.frame["platform"].tolist() == ["instagram"]
    assert not any("gagnés chaque jour" in w for w in result.warnings)
    assert meta_daily.FOLLOW_METRICS["facebook follows"] == ("facebook", True)


def test_linkedin_post_id_is_the_urn() -> None:
    link = "https://www.linkedin.com/feed/update/urn:li:activity:7170000000000000001/?x=1"
    assert linkedin_posts.post_id(link) == "urn:li:activity:7170000000000000001"
    assert linkedin_posts.post_id("https://lnkd.in/abc") == "https://lnkd.in/abc"
    assert linkedin_posts.post_id("  ") is None


@pytest.mark.parametrize(
    ("written", "channel"),
    [
        ("E-mail", "courriel"),
        ("mél", "courriel"),
        ("Téléphone", "téléphone"),
        ("tel", "téléphone"),
        ("Twitter", "x"),
        ("Formulaire en ligne", "formulaire"),
        ("Guichet", "accueil"),
        ("Lettre", "courrier"),
        ("Messenger", "facebook"),
        ("Pigeon  Voyageur", "pigeon voyageur"),
    ],
)
def test_message_channels_are_normalised_to_french_names(written: str, channel: str) -> None:
    assert resident_messages.channel_name(written) == channel


def test_messages_english_headers_read_month_first() -> None:
    data = "Received at,Replied at,Channel,Text\n03/04/2026 09:00,03/04/2026 10:00,Email,hello\n"
    frame = parse_file(data.encode(), PARIS).frame
    assert frame.loc[0, "sent_at"] == pd.Timestamp("2026-03-04 08:00", tz="UTC")  # 4 March


def test_messages_without_id_get_a_stable_id() -> None:
    data = "Reçu le;Répondu le;Canal;Texte\n02/03/2026 09:00;;E-mail;Bonjour\n"
    first = parse_file(data.encode(), PARIS).frame["native_id"].tolist()
    again = parse_file(data.encode(), PARIS).frame["native_id"].tolist()
    assert first == again and first[0].startswith("msg-")


def test_open311_wrapped_json_and_status_case() -> None:
    document = {
        "service_requests": [
            {
                "service_request_id": "1",
                "status": "CLOSED",
                "requested_datetime": "2026-03-02T08:00:00+01:00",
                "updated_datetime": "2026-03-02T09:00:00+01:00",
            }
        ]
    }
    frame = parse_file(json.dumps(document).encode(), PARIS).frame
    assert frame.loc[0, "closed_at"] == pd.Timestamp("2026-03-02 08:00", tz="UTC")


def test_open311_error_response_is_not_open311() -> None:
    with pytest.raises(ImportRefused, match="Fichier JSON non reconnu"):
        parse_file(b'[{"code": 404, "description": "not found"}]', PARIS)


def test_fixmystreet_user_name_is_never_imported() -> None:
    path = GOLDEN_DIR / "fixmystreet" / "dashboard.csv"
    frame = parse_file(path.read_bytes(), PARIS).frame
    assert not frame.astype(str).apply(lambda c: c.str.contains("Claire Dupont")).any().any()


def test_seeclickfix_reporter_is_never_imported() -> None:
    path = GOLDEN_DIR / "seeclickfix" / "issues.json"
    frame = parse_file(path.read_bytes(), PARIS).frame
    assert not frame.astype(str).apply(lambda c: c.str.contains("Claire")).any().any()


def test_zendesk_without_solved_at_warns() -> None:
    data = "id,created_at,status,subject,requester_id\n1,2026-03-02T08:00:00Z,solved,Objet,9\n"
    result = parse_file(data.encode(), PARIS)
    assert result.frame["closed_at"].isna().all()
    assert any("solved_at" in w for w in result.warnings)


def test_legacy_facebook_csv_without_description_row() -> None:
    data = (
        "Post ID,Permalink,Post Message,Type,Posted,Lifetime Post Total Reach\n"
        "1_2,https://www.facebook.com/ville/posts/2,Bonjour,Photo,01/19/2017 09:03:47 AM,35\n"
    )
    result = parse_file(data.encode(), PARIS)
    assert result.format_id == "fb_insights_posts" and result.frame["reach"].tolist() == [35]
    assert any("absentes" in w for w in result.warnings)
