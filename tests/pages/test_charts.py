"""Chart builders through their Vega-Lite specs: marks, encodings, titles, formats, data values;
and the table formatting that goes beside every chart."""

from datetime import date

import pandas as pd
import pytest

from ui import charts

NNBSP = "\u202f"


def spec(chart) -> dict:
    return chart.to_dict()


def layers(chart) -> list[dict]:
    return spec(chart)["layer"]


def values(chart) -> list[dict]:
    document = spec(chart)
    return document["datasets"][document["data"]["name"]]


def marks(chart) -> list[str]:
    return [layer["mark"]["type"] for layer in layers(chart)]


def test_every_chart_reads_french_numbers_and_dates_and_fits_the_page_width():
    chart = charts.backlog_chart(
        pd.DataFrame({"date": [date(2026, 10, 1)], "open": [3]}),
        open_title="Demandes en cours",
        date_title="Date",
    )
    document = spec(chart)
    locale = document["config"]["locale"]
    assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == NNBSP
    assert locale["number"]["percent"] == "\u00a0%"
    assert locale["time"]["months"][9] == "octobre"
    assert locale["time"]["days"][:2] == ["dimanche", "lundi"]  # d3 starts on Sunday
    assert locale["time"]["shortMonths"][0] == "janv."
    assert document["autosize"] == {"type": "fit-x", "contains": "padding"}
    english = charts.chart_locale("en").to_dict()
    assert english["number"]["decimal"] == "." and english["time"]["months"][0] == "January"


def test_engagement_over_time_lines_differ_by_dash_and_shape_not_only_colour():
    frame = pd.DataFrame(
        {
            "start": [date(2026, 10, 5), date(2026, 10, 5), date(2026, 10, 12)],
            "series": ["Tous les réseaux", "Facebook", "Tous les réseaux"],
            "posts": [9, 5, 6],
            "interactions": [454, 406, 350],
            "rate": [0.042, 0.0425, None],
        }
    )
    chart = charts.engagement_over_time_chart(
        frame,
        rate_title="Taux d'engagement (portée)",
        period_title="Semaine",
        series_title="Réseau",
        freq="week",
    )
    assert marks(chart) == ["line", "point"]
    line, points = layers(chart)
    encoding = line["encoding"]
    assert encoding["x"]["timeUnit"] == "utcyearmonthdate"
    assert encoding["x"]["axis"]["format"] == "%d/%m"
    assert [v["date"] for v in encoding["x"]["axis"]["values"]] == [5, 12]
    assert encoding["y"]["title"] == "Taux d'engagement (portée)"
    assert encoding["y"]["axis"]["format"] == ".1~%"
    assert line["encoding"]["strokeDash"]["field"] == "series"
    # colour and shape share one legend; the dash has its own, hidden (it would blur the shape)
    assert line["encoding"]["strokeDash"]["legend"] is None
    assert spec(chart)["resolve"]["legend"]["strokeDash"] == "independent"
    assert points["encoding"]["shape"]["field"] == "series"
    assert line["encoding"]["color"]["scale"]["range"] == list(charts.PALETTE[:2])
    tooltips = [t["title"] for t in encoding["tooltip"]]
    assert tooltips == [
        "Semaine",
        "Réseau",
        "Publications",
        "Interactions",
        "Taux d'engagement (portée)",
    ]
    data = values(chart)
    assert data[0]["start"] == "2026-10-05" and data[0]["period"] == "semaine du 05/10/2026"
    assert data[0]["rate"] == pytest.approx(0.042)
    assert data[2]["rate"] is None


def test_months_are_named_in_french():
    frame = pd.DataFrame(
        {
            "start": [date(2026, 9, 1), date(2026, 10, 1)],
            "series": ["Tous", "Tous"],
            "posts": [1, 2],
            "interactions": [3, 4],
            "rate": [0.01, 0.02],
        }
    )
    chart = charts.engagement_over_time_chart(
        frame, rate_title="T", period_title="Mois", series_title="R", freq="month"
    )
    x = layers(chart)[0]["encoding"]["x"]
    assert x["timeUnit"] == "utcyearmonth" and x["axis"]["format"] == "%b %Y"
    assert [v["period"] for v in values(chart)] == ["septembre 2026", "octobre 2026"]


def test_group_rate_bars_are_labelled_highest_first_and_say_when_a_rate_is_missing():
    frame = pd.DataFrame(
        {
            "group": ["X", "Facebook", "Instagram"],
            "posts": [12, 19, 4],
            "interactions": [150, 1609, 80],
            "base": [0, 39343, 2000],
            "rate": [None, 0.0409, 0.04],
        }
    )
    chart = charts.group_rate_chart(frame, group_title="Réseau", rate_title="Taux (portée)")
    assert marks(chart) == ["bar", "text"]
    bars, text = layers(chart)
    assert bars["encoding"]["y"]["sort"] == ["Facebook", "Instagram", "X"]
    assert bars["encoding"]["x"]["title"] == "Taux (portée)"
    assert bars["encoding"]["y"]["title"] == "Réseau"
    assert text["encoding"]["text"]["field"] == "label"
    assert [v["label"] for v in values(chart)] == ["4,1 %", "4,0 %", "non disponible"]
    assert spec(chart)["height"] == 3 * charts.ROW_HEIGHT


def test_hours_are_written_the_french_way():
    frame = pd.DataFrame(
        {
            "hour": [9, 14, 21],
            "posts": [6, 2, 1],
            "interactions": [209, 300, 3],
            "rate": [0.031, 0.07, None],
        }
    )
    chart = charts.hour_rate_chart(frame, rate_title="Taux", hour_title="Heure")
    assert marks(chart) == ["bar", "text"]
    assert [v["category"] for v in values(chart)] == ["9 h", "14 h", "21 h"]
    assert [v["label"] for v in values(chart)] == ["3 %", "7 %", "–"]
    english = charts.hour_rate_chart(frame, rate_title="Rate", hour_title="Hour", lang="en")
    assert [v["category"] for v in values(english)] == ["09:00", "14:00", "21:00"]


def test_best_time_heat_map_writes_each_value_and_greys_small_cells():
    cells = pd.DataFrame(
        {
            "weekday": [0, 0, 4],
            "slot": [9, 12, 9],
            "posts": [5, 2, 4],
            "median_rate": [0.04, None, 0.05],
        }
    )
    chart = charts.best_time_heatmap(
        cells,
        grid="3h",
        rate_title="Taux médian (portée)",
        weekday_title="Jour",
        slot_title="Tranche de 3 heures",
        all_day="toute la journée",
    )
    assert marks(chart) == ["rect", "rect", "text"]
    base = layers(chart)[0]["encoding"]
    assert base["y"]["sort"][:2] == ["lundi", "mardi"] and len(base["y"]["sort"]) == 7
    assert base["x"]["sort"] == ["9 h–12 h", "12 h–15 h"]
    background, coloured, _ = layers(chart)
    assert background["mark"]["color"] == charts.MUTED_COLOUR
    assert coloured["encoding"]["color"]["legend"]["format"] == ".1~%"
    data = values(chart)
    assert [(v["weekday"], v["slot"], v["label"]) for v in data] == [
        ("lundi", "9 h–12 h", "4,0 %"),
        ("lundi", "12 h–15 h", "–"),
        ("vendredi", "9 h–12 h", "5,0 %"),
    ]
    weekday = charts.best_time_heatmap(
        cells.assign(slot=None),
        grid="weekday",
        rate_title="T",
        weekday_title="Jour",
        slot_title="Journée",
        all_day="toute la journée",
    )
    assert layers(weekday)[0]["encoding"]["x"]["sort"] == ["toute la journée"]


def test_audience_lines_and_counts():
    frame = pd.DataFrame(
        {
            "date": [date(2026, 9, 30), date(2026, 10, 1), date(2026, 9, 30)],
            "series": ["facebook", "facebook", "instagram"],
            "followers": [5000, 5012, 800],
        }
    )
    chart = charts.audience_chart(
        frame, followers_title="Abonnés", date_title="Date", series_title="Réseau"
    )
    assert marks(chart) == ["line", "point"]
    y = layers(chart)[0]["encoding"]["y"]
    assert y["axis"]["format"] == ",d" and y["scale"]["zero"] is False
    assert [v["followers"] for v in values(chart)] == [5000, 5012, 800]
    assert values(chart)[0]["day"] == "30/09/2026"


def test_response_charts():
    over_time = pd.DataFrame(
        {
            "start": [date(2026, 10, 1), date(2026, 10, 5)],
            "needing_answer": [2, 53],
            "answered": [2, 37],
            "response_rate": [1.0, 37 / 53],
        }
    )
    chart = charts.response_rate_over_time_chart(
        over_time, rate_title="Taux de réponse", period_title="Semaine", needing_title="À traiter"
    )
    assert marks(chart) == ["line", "point", "text"]
    assert layers(chart)[0]["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert [v["label"] for v in values(chart)] == ["100 %", "70 %"]

    buckets = pd.DataFrame(
        {"label": ["moins d'1 h", "1 à 4 h"], "count": [23, 0], "share": [1.0, 0.0]}
    )
    chart = charts.response_buckets_chart(
        buckets, count_title="Conversations", bucket_title="Délai"
    )
    assert marks(chart) == ["bar", "text"]
    assert layers(chart)[0]["encoding"]["x"]["sort"] == ["moins d'1 h", "1 à 4 h"]
    assert [v["label"] for v in values(chart)] == ["23 (100 %)", "0 (0 %)"]

    channels = pd.DataFrame(
        {
            "channel": ["Facebook", "Courriel"],
            "messages_received": [233, 12],
            "response_rate": [0.73, None],
        }
    )
    chart = charts.channel_rate_chart(
        channels, rate="response_rate", channel_title="Canal", rate_title="Taux de réponse"
    )
    bars = layers(chart)[0]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1.0]
    assert [v["label"] for v in values(chart)] == ["73,0 %", "non disponible"]


def test_request_charts():
    flows = pd.DataFrame(
        {"start": [date(2026, 10, 1), date(2026, 10, 5)], "received": [53, 93], "closed": [25, 82]}
    )
    chart = charts.request_flows_chart(
        flows,
        count_title="Demandes",
        period_title="Semaine",
        series_title="Mouvement",
        received_label="Reçues",
        closed_label="Clôturées",
    )
    assert marks(chart) == ["line", "point"]
    assert [(v["series"], v["count"]) for v in values(chart)] == [
        ("Reçues", 53),
        ("Reçues", 93),
        ("Clôturées", 25),
        ("Clôturées", 82),
    ]
    assert layers(chart)[0]["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [7, 3]]

    chart = charts.backlog_chart(
        pd.DataFrame({"date": [date(2026, 10, 1), date(2026, 10, 2)], "open": [275, 1281]}),
        open_title="Demandes en cours",
        date_title="Date",
    )
    assert marks(chart) == ["area", "line"]
    assert layers(chart)[1]["encoding"]["y"]["title"] == "Demandes en cours"

    aging = pd.DataFrame({"label": ["0 à 7 jours", "plus de 90 jours"], "count": [53, 1164]})
    chart = charts.aging_chart(aging, count_title="Demandes", age_title="Ancienneté")
    assert [v["label"] for v in values(chart)] == ["53", f"1{NNBSP}164"]

    within = pd.DataFrame(
        {
            "category": ["Voirie", "Bruit"],
            "requests": [69, 23],
            "target": ["15 jours", "15 jours"],
            "met": [25, 21],
            "missed": [22, 1],
            "pending": [22, 1],
            "share_within_target": [0.532, 0.955],
        }
    )
    chart = charts.within_target_chart(within, category_title="Catégorie", rate_title="Part")
    assert layers(chart)[0]["encoding"]["y"]["sort"] == ["Voirie", "Bruit"]  # lowest first
    assert [v["label"] for v in values(chart)] == ["53,2 %", "95,5 %"]
    titles = [t["title"] for t in layers(chart)[0]["encoding"]["tooltip"]]
    assert titles[1:5] == ["Délai cible", "Dans le délai", "En retard", "En attente"]

    groups = pd.DataFrame({"group": ["Centre", "Gare"], "received_per_1000": [2.5, None]})
    chart = charts.breakdown_chart(
        groups, value="received_per_1000", group_title="Quartier", value_title="Pour 1 000"
    )
    assert [v["label"] for v in values(chart)] == ["2,5", "non disponible"]
    assert layers(chart)[0]["encoding"]["x"]["axis"]["format"] == ",.1f"
    counts = charts.breakdown_chart(
        pd.DataFrame({"group": ["A"], "received": [1234]}),
        value="received",
        group_title="Catégorie",
        value_title="Reçues",
    )
    assert values(counts)[0]["label"] == f"1{NNBSP}234"


def test_data_table_formats_each_kind_of_column():
    frame = pd.DataFrame(
        {
            "n": [12345, None],
            "r": [0.0423, None],
            "h": [30.25, 120.0],
            "w": [112.5, 0.5],
            "d": [date(2026, 12, 31), None],
            "t": [pd.Timestamp("2026-10-05 14:03"), pd.NaT],
            "wk": [date(2026, 10, 5), date(2026, 10, 12)],
            "m": [date(2026, 10, 1), date(2026, 11, 1)],
            "b": [True, False],
            "p": ["facebook", "x"],
            "s": ["texte", None],
        }
    )
    table = charts.data_table(
        frame,
        [
            ("n", "Nombre", "count"),
            ("r", "Taux", "rate"),
            ("h", "Délai", "hours"),
            ("w", "Délai ouvré", "working_hours"),
            ("d", "Date", "date"),
            ("t", "Moment", "datetime"),
            ("wk", "Semaine", "week"),
            ("m", "Mois", "month"),
            ("b", "Masqué", "bool"),
            ("p", "Réseau", "platform"),
            ("s", "Texte", "text"),
        ],
    )
    assert list(table.columns)[:3] == ["Nombre", "Taux", "Délai"]
    assert table.iloc[0].tolist() == [
        f"12{NNBSP}345",
        "4,2 %",
        "30,2 h",
        "112,5 h",  # working hours are never turned into days
        "31/12/2026",
        "05/10/2026 14:03",
        "semaine du 05/10/2026",
        "octobre 2026",
        "oui",
        "Facebook",
        "texte",
    ]
    assert table.iloc[1].tolist() == [
        "non disponible",
        "non disponible",
        "5 jours",
        "30 min",
        "",
        "",
        "semaine du 12/10/2026",
        "novembre 2026",
        "non",
        "X",
        "",
    ]
    english = charts.data_table(frame, [("r", "Rate", "rate"), ("b", "Hidden", "bool")], "en")
    assert english.iloc[0].tolist() == ["4.2%", "yes"]
    with pytest.raises(ValueError, match="inconnu"):
        charts.data_table(frame, [("n", "N", "currency")])


def test_names_of_platforms_weekdays_and_slots():
    assert charts.platform_label("facebook") == "Facebook"
    assert charts.platform_label("LinkedIn") == "LinkedIn"
    assert charts.platform_label("mastodon") == "mastodon"
    assert charts.weekday_names("fr")[0] == "lundi" and charts.weekday_names("en")[6] == "Sunday"
    assert charts.slot_label(21, "3h") == "21 h–24 h"
    assert charts.slot_label(None, "weekday", all_day="toute la journée") == "toute la journée"
    assert charts.period_label(date(2026, 10, 1), "month") == "octobre 2026"
