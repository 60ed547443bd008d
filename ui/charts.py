"""Charts of the dashboard pages, and what goes beside each of them.

One builder per chart: it takes a small frame (from ``services.views``) and its titles in the
interface language, and returns an Altair chart with French number and date formats (d3 format
strings read through a French locale), colour-blind-safe colours (Okabe–Ito) that never carry
meaning alone — every series also has its own line dash and point shape, every bar its value
written beside it — and tooltips.

``chart_with_table`` shows a chart with its one-sentence description (RGAA: read by screen
readers, and shown under the chart) and, in an expander, the table of its data;
``figure_tile`` shows one figure with its « Méthode de calcul »; ``data_table`` formats a
frame for reading (``12 345``, ``4,2 %``, ``3,5 h``, ``31/12/2026``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st
from babel.dates import get_day_names, get_month_names
from babel.numbers import format_decimal

from metrics.definitions import method_text
from ui.format import (
    count_text,
    date_text,
    hours_text,
    missing_text,
    month_text,
    platform_name,
    rate_text,
)
from ui.i18n import language, t

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
)
BAR_COLOUR = "#0072B2"
MUTED_COLOUR = "#E8E8E8"
SHAPES: tuple[str, ...] = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")
DASHES: tuple[list[int], ...] = ([1, 0], [7, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3])
LINE_HEIGHT = 300
# Rate axes: one decimal at most, trailing zeros trimmed (« 0,5 % », « 1 % », never « 1 %, 1 % »).
RATE_AXIS = ".1~%"
ROW_HEIGHT = 30  # of one bar in a horizontal bar chart


_TEXT = {
    "data": {"fr": "Données du graphique", "en": "Chart data"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "week_of": {"fr": "semaine du {day}", "en": "week of {day}"},
    "posts": {"fr": "Publications", "en": "Posts"},
    "interactions": {"fr": "Interactions", "en": "Interactions"},
    "messages": {"fr": "Messages", "en": "Messages"},
    "answered": {"fr": "Avec réponse", "en": "Answered"},
    "share": {"fr": "Part", "en": "Share"},
    "target": {"fr": "Délai cible", "en": "Target"},
    "met": {"fr": "Dans le délai", "en": "On time"},
    "missed": {"fr": "En retard", "en": "Late"},
    "pending": {"fr": "En attente", "en": "Pending"},
}
_BABEL = {"fr": "fr_FR", "en": "en_GB"}


def _text(key: str, lang: str | None = None) -> str:
    return _TEXT[key][lang or language()]


def platform_label(value: object) -> str:
    """A platform's name as people write it: ``facebook`` → ``Facebook``, ``x`` → ``X``."""
    return platform_name(value, language())


def weekday_names(lang: str = "fr") -> list[str]:
    """Monday … Sunday, in the interface language (``lundi`` … ``dimanche``)."""
    names = get_day_names("wide", locale=_BABEL.get(lang, "fr_FR"))
    return [names[i] for i in range(7)]


# ----------------------------------------------------------------------------------------------
# Locale: d3 number and time formats in French (or British English)


def _time_locale(lang: str) -> alt.TimeLocale:
    locale = _BABEL.get(lang, "fr_FR")
    days = get_day_names("wide", locale=locale)
    short_days = get_day_names("abbreviated", locale=locale)
    months = get_month_names("wide", locale=locale)
    short_months = get_month_names("abbreviated", locale=locale)
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return alt.TimeLocale(
        dateTime="%A %e %B %Y à %X" if lang == "fr" else "%a %e %b %X %Y",
        date="%d/%m/%Y",
        time="%H:%M:%S",
        periods=["AM", "PM"],
        days=[days[i] for i in sunday_first],
        shortDays=[short_days[i] for i in sunday_first],
        months=[months[i] for i in range(1, 13)],
        shortMonths=[short_months[i] for i in range(1, 13)],
    )


def chart_locale(lang: str = "fr") -> alt.Locale:
    """The Vega locale of the charts: ``4,2 %``, ``12 345``, ``oct. 2026`` in French."""
    if lang == "en":
        number = alt.NumberLocale(decimal=".", thousands=",", grouping=[3], currency=["£", ""])
    else:
        number = alt.NumberLocale(
            decimal=",",
            thousands="\u202f",
            grouping=[3],
            currency=["", "\u00a0€"],
            percent="\u00a0%",
        )
    return alt.Locale(number=number, time=_time_locale(lang))


def _finish(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    # fit-x: the width follows the page, the height is that of the plot (axes added), so that a
    # bar chart of few bars is not squashed into a fixed total height.
    return (
        chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
        .configure(locale=chart_locale(lang))
        .configure_axis(labelFontSize=12, titleFontSize=13, labelLimit=260, titlePadding=8)
        .configure_legend(
            orient="top",
            labelFontSize=12,
            titleFontSize=12,
            labelLimit=320,
            symbolStrokeWidth=2.5,
            symbolSize=120,
        )
        .configure_view(strokeWidth=0)
    )


# ----------------------------------------------------------------------------------------------
# Small helpers shared by the builders


def _iso(values: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else pd.Timestamp(v).date().isoformat() for v in values]


def _ticks(days: pd.Series, most: int = 16) -> list[str]:
    """The distinct ISO days of ``days``, thinned to at most ``most`` ticks."""
    distinct = sorted({d for d in days if d})
    step = max(1, -(-len(distinct) // most))
    return distinct[::step]


def period_label(start: object, freq: str, lang: str = "fr") -> str:
    """``semaine du 05/10/2026`` or ``octobre 2026``: how a sub-period is named."""
    day = pd.Timestamp(start).date()
    if freq == "month":
        return month_text(day, lang)
    if freq == "week":
        return _text("week_of", lang).format(day=date_text(day, lang))
    return date_text(day, lang)


def _time_axis(field: str, title: str, freq: str, ticks: Sequence[str] = ()) -> alt.X:
    """A time axis in UTC time units (a date stays the same day whatever the reader's time
    zone), ``%d/%m`` or ``oct. 2026``; ``ticks`` (ISO dates) puts one tick per week or month,
    on the days the data starts its sub-periods."""
    values = [_utc_day(day) for day in ticks] or alt.Undefined
    if freq == "month":
        return alt.X(
            f"utcyearmonth({field}):T",
            title=title,
            axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap=True, values=values),
        )
    return alt.X(
        f"utcyearmonthdate({field}):T",
        title=title,
        axis=alt.Axis(format="%d/%m", labelAngle=0, labelOverlap=True, values=values),
    )


def _utc_day(day: str) -> alt.DateTime:
    moment = date.fromisoformat(day)
    return alt.DateTime(year=moment.year, month=moment.month, date=moment.day, utc=True)


def _series_encodings(title: str, domain: Sequence[str]) -> dict:
    domain = list(domain)
    return {
        "color": alt.Color(
            "series:N",
            title=title,
            scale=alt.Scale(domain=domain, range=list(PALETTE[: len(domain)])),
        ),
        # The legend shows each series' colour and point shape; a dashed symbol drawn over
        # the shape would blur it.
        "strokeDash": alt.StrokeDash(
            "series:N",
            title=title,
            scale=alt.Scale(domain=domain, range=list(DASHES[: len(domain)])),
            legend=None,
        ),
        "shape": alt.Shape(
            "series:N",
            title=title,
            scale=alt.Scale(domain=domain, range=list(SHAPES[: len(domain)])),
        ),
    }


def _lines(
    data: pd.DataFrame,
    *,
    x: alt.X,
    y: alt.Y,
    series_title: str,
    tooltip: list,
    point_size: int = 80,
) -> alt.LayerChart:
    """One line per ``series``, each with its colour, dash and point shape."""
    domain = list(dict.fromkeys(data["series"]))
    encodings = _series_encodings(series_title, domain)
    base = alt.Chart(data).encode(x=x, y=y, tooltip=tooltip)
    line = base.mark_line(strokeWidth=2.5).encode(
        color=encodings["color"], strokeDash=encodings["strokeDash"]
    )
    points = base.mark_point(filled=True, size=point_size, opacity=1).encode(
        color=encodings["color"], shape=encodings["shape"]
    )
    # The dash gets its own (hidden) legend, so that colour and shape keep theirs, merged.
    return (
        alt.layer(line, points)
        .resolve_legend(strokeDash="independent")
        .properties(height=LINE_HEIGHT)
    )


def _horizontal_bars(
    data: pd.DataFrame,
    *,
    value: str,
    value_title: str,
    value_format: str,
    group_title: str,
    tooltip: list,
    domain_max: float | None = None,
) -> alt.LayerChart:
    """Horizontal bars, largest first, each with its value written at its end (``label``)."""
    order = list(data["group"])
    scale = alt.Scale(domain=[0, domain_max]) if domain_max else alt.Scale(zero=True)
    base = alt.Chart(data).encode(
        y=alt.Y("group:N", title=group_title, sort=order, axis=alt.Axis(labelLimit=260)),
        tooltip=tooltip,
    )
    bars = base.mark_bar(color=BAR_COLOUR, cornerRadiusEnd=2).encode(
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format), scale=scale)
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#1F1F1F").encode(
        x=alt.X("position:Q"), text="label:N"
    )
    height = max(ROW_HEIGHT * len(order), 60)
    return alt.layer(bars, labels).properties(height=height)


def _vertical_bars(
    data: pd.DataFrame,
    *,
    value: str,
    value_title: str,
    value_format: str,
    category_title: str,
    order: list[str],
    tooltip: list,
    label_angle: int = 0,
) -> alt.LayerChart:
    """Vertical bars in ``order``, each with its value written above it (``label``)."""
    base = alt.Chart(data).encode(
        x=alt.X(
            "category:N",
            title=category_title,
            sort=order,
            axis=alt.Axis(labelAngle=label_angle, labelLimit=160),
        ),
        tooltip=tooltip,
    )
    bars = base.mark_bar(color=BAR_COLOUR, cornerRadiusEnd=2).encode(
        y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format))
    )
    labels = base.mark_text(baseline="bottom", dy=-4, fontSize=12, color="#1F1F1F").encode(
        y=alt.Y("position:Q"), text="label:N"
    )
    return alt.layer(bars, labels).properties(height=LINE_HEIGHT)


def _rate_labels(values: pd.Series, lang: str) -> list[str]:
    return [rate_text(None if pd.isna(v) else float(v), lang) for v in values]


# ----------------------------------------------------------------------------------------------
# Publications


def engagement_over_time_chart(
    frame: pd.DataFrame,
    *,
    rate_title: str,
    period_title: str,
    series_title: str,
    freq: str = "week",
    lang: str = "fr",
) -> alt.LayerChart:
    """Engagement rate per week or month, one line per ``series`` (all networks, each network).

    ``frame``: start, series (display name), posts, interactions, rate (fraction, NaN when it
    cannot be computed: the line is then broken).
    """
    data = pd.DataFrame(
        {
            "start": _iso(frame["start"]),
            "period": [period_label(v, freq, lang) for v in frame["start"]],
            "series": frame["series"].astype(str),
            "posts": frame["posts"].astype("int64"),
            "interactions": frame["interactions"].astype("int64"),
            "rate": frame["rate"].astype("float64"),
        }
    )
    chart = _lines(
        data,
        x=_time_axis("start", period_title, freq, _ticks(data["start"])),
        y=alt.Y("rate:Q", title=rate_title, axis=alt.Axis(format=RATE_AXIS)),
        series_title=series_title,
        tooltip=[
            alt.Tooltip("period:N", title=period_title),
            alt.Tooltip("series:N", title=series_title),
            alt.Tooltip("posts:Q", title=_text("posts", lang), format=",d"),
            alt.Tooltip("interactions:Q", title=_text("interactions", lang), format=",d"),
            alt.Tooltip("rate:Q", title=rate_title, format=".1%"),
        ],
    )
    return _finish(chart, lang)


def group_rate_chart(
    frame: pd.DataFrame,
    *,
    group_title: str,
    rate_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Engagement rate per group (network, post type, class), highest first, each bar labelled.

    ``frame``: group (display name), posts, interactions, base, rate.
    """
    data = pd.DataFrame(
        {
            "group": frame["group"].astype(str),
            "posts": frame["posts"].astype("int64"),
            "interactions": frame["interactions"].astype("int64"),
            "rate": frame["rate"].astype("float64"),
        }
    ).sort_values("rate", ascending=False, na_position="last", kind="stable")
    data["position"] = data["rate"].fillna(0)
    data["label"] = _rate_labels(data["rate"], lang)
    chart = _horizontal_bars(
        data,
        value="rate",
        value_title=rate_title,
        value_format=RATE_AXIS,
        group_title=group_title,
        tooltip=[
            alt.Tooltip("group:N", title=group_title),
            alt.Tooltip("posts:Q", title=_text("posts", lang), format=",d"),
            alt.Tooltip("interactions:Q", title=_text("interactions", lang), format=",d"),
            alt.Tooltip("label:N", title=rate_title),
        ],
    )
    return _finish(chart, lang)


def hour_rate_chart(
    frame: pd.DataFrame,
    *,
    rate_title: str,
    hour_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Engagement rate per local hour of publication (the hours that have posts), labelled.

    ``frame``: hour (0–23), posts, interactions, rate.
    """
    data = pd.DataFrame(
        {
            "category": [hour_label(h, lang) for h in frame["hour"]],
            "posts": frame["posts"].astype("int64"),
            "interactions": frame["interactions"].astype("int64"),
            "rate": frame["rate"].astype("float64"),
        }
    )
    data["position"] = data["rate"].fillna(0)
    data["label"] = [
        "–" if pd.isna(v) else rate_text(float(v), lang, digits=0) for v in data["rate"]
    ]
    chart = _vertical_bars(
        data,
        value="rate",
        value_title=rate_title,
        value_format=RATE_AXIS,
        category_title=hour_title,
        order=list(data["category"]),
        tooltip=[
            alt.Tooltip("category:N", title=hour_title),
            alt.Tooltip("posts:Q", title=_text("posts", lang), format=",d"),
            alt.Tooltip("interactions:Q", title=_text("interactions", lang), format=",d"),
            alt.Tooltip("rate:Q", title=rate_title, format=".1%"),
        ],
    )
    return _finish(chart, lang)


def hour_label(hour: object, lang: str = "fr") -> str:
    """``9 h`` in French, ``09:00`` in English."""
    if hour is None or pd.isna(hour):
        return missing_text(lang)
    return f"{int(hour)} h" if lang == "fr" else f"{int(hour):02d}:00"


def slot_label(slot: object, grid: str, lang: str = "fr", all_day: str = "") -> str:
    """The column of a best-time cell: ``9 h``, ``9 h–12 h`` or the whole day."""
    if grid == "weekday" or slot is None or pd.isna(slot):
        return all_day
    if grid == "3h":
        return f"{hour_label(slot, lang)}–{hour_label(int(slot) + 3, lang)}"
    return hour_label(slot, lang)


def best_time_heatmap(
    cells: pd.DataFrame,
    *,
    grid: str,
    rate_title: str,
    weekday_title: str,
    slot_title: str,
    all_day: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Median engagement rate per weekday × hour (or 3-hour block, or weekday) cell.

    ``cells``: weekday (0 = Monday), slot (first hour; None for the weekday grid), posts,
    median_rate (NaN under the minimum number of posts: the cell is grey and marked « – »).
    Every cell with a value has it written in it.
    """
    names = weekday_names(lang)
    rates = cells["median_rate"].astype("float64")
    data = pd.DataFrame(
        {
            "weekday": [names[int(d)] for d in cells["weekday"]],
            "slot": [slot_label(s, grid, lang, all_day) for s in cells["slot"]],
            "posts": cells["posts"].astype("int64"),
            "median_rate": rates,
            "label": ["–" if pd.isna(v) else rate_text(float(v), lang) for v in rates],
        }
    )
    if grid == "weekday":
        slots = [all_day]
    else:
        step = 3 if grid == "3h" else 1
        present = sorted({int(s) for s in cells["slot"].dropna()})
        first, last = (present[0], present[-1]) if present else (0, 23)
        slots = [slot_label(s, grid, lang, all_day) for s in range(first, last + 1, step)]
    dark_from = float(rates.max()) * 0.6 if rates.notna().any() else 1.0
    base = alt.Chart(data).encode(
        x=alt.X(
            "slot:O",
            title=slot_title,
            sort=slots,
            scale=alt.Scale(domain=slots),
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y("weekday:O", title=weekday_title, sort=names, scale=alt.Scale(domain=names)),
        tooltip=[
            alt.Tooltip("weekday:N", title=weekday_title),
            alt.Tooltip("slot:N", title=slot_title),
            alt.Tooltip("posts:Q", title=_text("posts", lang), format=",d"),
            alt.Tooltip("label:N", title=rate_title),
        ],
    )
    background = base.mark_rect(color=MUTED_COLOUR, stroke="white", strokeWidth=2)
    coloured = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "median_rate:Q",
            title=rate_title,
            scale=alt.Scale(scheme="blues", zero=True),
            legend=alt.Legend(format=RATE_AXIS, orient="right", gradientLength=160),
        )
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition(
            alt.datum.median_rate > dark_from, alt.value("white"), alt.value("#1F1F1F")
        ),
    )
    chart = alt.layer(background, coloured, text).properties(
        height=max(36 * 7, 200) if grid != "weekday" else 36 * 7
    )
    return _finish(chart, lang)


def audience_chart(
    frame: pd.DataFrame,
    *,
    followers_title: str,
    date_title: str,
    series_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Followers day by day, one line per network (and account when a network has several).

    ``frame``: date, series (display name), followers.
    """
    data = pd.DataFrame(
        {
            "date": _iso(frame["date"]),
            "day": [date_text(pd.Timestamp(v).date(), lang) for v in frame["date"]],
            "series": frame["series"].astype(str),
            "followers": frame["followers"].astype("int64"),
        }
    )
    chart = _lines(
        data,
        x=_time_axis("date", date_title, "day"),
        y=alt.Y(
            "followers:Q",
            title=followers_title,
            axis=alt.Axis(format=",d"),
            scale=alt.Scale(zero=False),
        ),
        series_title=series_title,
        tooltip=[
            alt.Tooltip("day:N", title=date_title),
            alt.Tooltip("series:N", title=series_title),
            alt.Tooltip("followers:Q", title=followers_title, format=",d"),
        ],
        # A big dot a day is noise on a long period: small ones, still shaped per network.
        point_size=80 if data["date"].nunique() <= 45 else 12,
    )
    return _finish(chart, lang)


# ----------------------------------------------------------------------------------------------
# Réponses aux habitants


def response_rate_over_time_chart(
    frame: pd.DataFrame,
    *,
    rate_title: str,
    period_title: str,
    needing_title: str,
    freq: str = "week",
    lang: str = "fr",
) -> alt.LayerChart:
    """Response rate (conversations) per week or month, each point labelled with its rate.

    ``frame``: start, needing_answer, answered, response_rate.
    """
    rates = frame["response_rate"].astype("float64")
    data = pd.DataFrame(
        {
            "start": _iso(frame["start"]),
            "period": [period_label(v, freq, lang) for v in frame["start"]],
            "needing": frame["needing_answer"].astype("int64"),
            "answered": frame["answered"].astype("int64"),
            "rate": rates,
            "label": ["" if pd.isna(v) else rate_text(float(v), lang, digits=0) for v in rates],
        }
    )
    x = _time_axis("start", period_title, freq, _ticks(data["start"]))
    tooltip = [
        alt.Tooltip("period:N", title=period_title),
        alt.Tooltip("needing:Q", title=needing_title, format=",d"),
        alt.Tooltip("answered:Q", title=_text("answered", lang), format=",d"),
        alt.Tooltip("rate:Q", title=rate_title, format=".1%"),
    ]
    base = alt.Chart(data).encode(
        x=x,
        y=alt.Y(
            "rate:Q",
            title=rate_title,
            axis=alt.Axis(format=RATE_AXIS),
            scale=alt.Scale(domain=[0, 1]),
        ),
        tooltip=tooltip,
    )
    line = base.mark_line(color=BAR_COLOUR, strokeWidth=2.5)
    points = base.mark_point(color=BAR_COLOUR, filled=True, size=70)
    labels = base.mark_text(dy=-12, fontSize=11, color="#1F1F1F").encode(text="label:N")
    return _finish(alt.layer(line, points, labels).properties(height=LINE_HEIGHT), lang)


def response_buckets_chart(
    frame: pd.DataFrame,
    *,
    count_title: str,
    bucket_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Answered conversations per first-response time bucket, each bar labelled « 23 (17 %) ».

    ``frame``: label (bucket name, in order), count, share.
    """
    data = pd.DataFrame(
        {
            "category": frame["label"].astype(str),
            "count": frame["count"].astype("int64"),
            "share": frame["share"].astype("float64"),
        }
    )
    data["position"] = data["count"]
    data["label"] = [
        f"{count_text(c, lang)} ({rate_text(None if pd.isna(s) else float(s), lang, digits=0)})"
        if not pd.isna(s)
        else count_text(c, lang)
        for c, s in zip(data["count"], data["share"], strict=True)
    ]
    chart = _vertical_bars(
        data,
        value="count",
        value_title=count_title,
        value_format=",d",
        category_title=bucket_title,
        order=list(data["category"]),
        tooltip=[
            alt.Tooltip("category:N", title=bucket_title),
            alt.Tooltip("count:Q", title=count_title, format=",d"),
            alt.Tooltip("share:Q", title=_text("share", lang), format=".1%"),
        ],
    )
    return _finish(chart, lang)


def channel_rate_chart(
    frame: pd.DataFrame,
    *,
    rate: str,
    channel_title: str,
    rate_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """One rate (``rate`` column: response rate, share within target…) per channel, labelled.

    ``frame``: channel (display name), messages_received, and the ``rate`` column.
    """
    rates = frame[rate].astype("float64")
    data = pd.DataFrame(
        {
            "group": frame["channel"].astype(str),
            "messages": frame["messages_received"].astype("int64"),
            "rate": rates,
        }
    ).sort_values("rate", ascending=False, na_position="last", kind="stable")
    data["position"] = data["rate"].fillna(0)
    data["label"] = _rate_labels(data["rate"], lang)
    chart = _horizontal_bars(
        data,
        value="rate",
        value_title=rate_title,
        value_format=RATE_AXIS,
        group_title=channel_title,
        domain_max=1.0,
        tooltip=[
            alt.Tooltip("group:N", title=channel_title),
            alt.Tooltip("messages:Q", title=_text("messages", lang), format=",d"),
            alt.Tooltip("label:N", title=rate_title),
        ],
    )
    return _finish(chart, lang)


# ----------------------------------------------------------------------------------------------
# Demandes et réclamations


def request_flows_chart(
    frame: pd.DataFrame,
    *,
    count_title: str,
    period_title: str,
    series_title: str,
    received_label: str,
    closed_label: str,
    freq: str = "week",
    lang: str = "fr",
) -> alt.LayerChart:
    """Requests received and closed per week or month: two lines, each its dash and shape.

    ``frame``: start, received, closed.
    """
    periods = [period_label(v, freq, lang) for v in frame["start"]]
    starts = _iso(frame["start"])
    data = pd.concat(
        [
            pd.DataFrame(
                {
                    "start": starts,
                    "period": periods,
                    "series": label,
                    "count": frame[column].astype("int64").to_numpy(),
                }
            )
            for column, label in (("received", received_label), ("closed", closed_label))
        ],
        ignore_index=True,
    )
    chart = _lines(
        data,
        x=_time_axis("start", period_title, freq, _ticks(data["start"])),
        y=alt.Y("count:Q", title=count_title, axis=alt.Axis(format=",d")),
        series_title=series_title,
        tooltip=[
            alt.Tooltip("period:N", title=period_title),
            alt.Tooltip("series:N", title=series_title),
            alt.Tooltip("count:Q", title=count_title, format=",d"),
        ],
    )
    return _finish(chart, lang)


def backlog_chart(
    frame: pd.DataFrame,
    *,
    open_title: str,
    date_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Open requests at the end of each day (or week): an area under a line.

    ``frame``: date, open.
    """
    data = pd.DataFrame(
        {
            "date": _iso(frame["date"]),
            "day": [date_text(pd.Timestamp(v).date(), lang) for v in frame["date"]],
            "open": frame["open"].astype("int64"),
        }
    )
    base = alt.Chart(data).encode(
        x=_time_axis("date", date_title, "day"),
        y=alt.Y("open:Q", title=open_title, axis=alt.Axis(format=",d")),
        tooltip=[
            alt.Tooltip("day:N", title=date_title),
            alt.Tooltip("open:Q", title=open_title, format=",d"),
        ],
    )
    area = base.mark_area(color=BAR_COLOUR, opacity=0.15)
    line = base.mark_line(color=BAR_COLOUR, strokeWidth=2.5)
    return _finish(alt.layer(area, line).properties(height=LINE_HEIGHT), lang)


def aging_chart(
    frame: pd.DataFrame,
    *,
    count_title: str,
    age_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Open requests per age bucket (0–7, 8–30, 31–90, over 90 days), each bar labelled.

    ``frame``: label (bucket name, in order), count.
    """
    data = pd.DataFrame(
        {"category": frame["label"].astype(str), "count": frame["count"].astype("int64")}
    )
    data["position"] = data["count"]
    data["label"] = [count_text(c, lang) for c in data["count"]]
    chart = _vertical_bars(
        data,
        value="count",
        value_title=count_title,
        value_format=",d",
        category_title=age_title,
        order=list(data["category"]),
        tooltip=[
            alt.Tooltip("category:N", title=age_title),
            alt.Tooltip("count:Q", title=count_title, format=",d"),
        ],
    )
    return _finish(chart, lang)


def within_target_chart(
    frame: pd.DataFrame,
    *,
    category_title: str,
    rate_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Share of requests closed within their target, per category, labelled; lowest first,
    so that what needs attention is read first.

    ``frame``: category, requests, target, met, missed, pending, share_within_target.
    """
    rates = frame["share_within_target"].astype("float64")
    data = pd.DataFrame(
        {
            "group": frame["category"].astype(str),
            "target": frame["target"].astype(str),
            "met": frame["met"].astype("int64"),
            "missed": frame["missed"].astype("int64"),
            "pending": frame["pending"].astype("int64"),
            "rate": rates,
        }
    ).sort_values("rate", ascending=True, na_position="last", kind="stable")
    data["position"] = data["rate"].fillna(0)
    data["label"] = _rate_labels(data["rate"], lang)
    chart = _horizontal_bars(
        data,
        value="rate",
        value_title=rate_title,
        value_format=RATE_AXIS,
        group_title=category_title,
        domain_max=1.0,
        tooltip=[
            alt.Tooltip("group:N", title=category_title),
            alt.Tooltip("target:N", title=_text("target", lang)),
            alt.Tooltip("met:Q", title=_text("met", lang), format=",d"),
            alt.Tooltip("missed:Q", title=_text("missed", lang), format=",d"),
            alt.Tooltip("pending:Q", title=_text("pending", lang), format=",d"),
            alt.Tooltip("label:N", title=rate_title),
        ],
    )
    return _finish(chart, lang)


def breakdown_chart(
    frame: pd.DataFrame,
    *,
    value: str,
    group_title: str,
    value_title: str,
    lang: str = "fr",
) -> alt.LayerChart:
    """Requests per group (category, quartier, channel, service): ``value`` is ``received``
    (a count) or ``received_per_1000`` (per 1,000 inhabitants), largest first, labelled.

    ``frame``: group and the ``value`` column.
    """
    per_inhabitant = value == "received_per_1000"
    values = frame[value].astype("float64")
    data = pd.DataFrame({"group": frame["group"].astype(str), "value": values}).sort_values(
        "value", ascending=False, na_position="last", kind="stable"
    )
    data["position"] = data["value"].fillna(0)
    data["label"] = [
        missing_text(lang)
        if pd.isna(v)
        else (number_text(v, lang) if per_inhabitant else count_text(v, lang))
        for v in data["value"]
    ]
    chart = _horizontal_bars(
        data,
        value="value",
        value_title=value_title,
        value_format=",.1f" if per_inhabitant else ",d",
        group_title=group_title,
        tooltip=[
            alt.Tooltip("group:N", title=group_title),
            alt.Tooltip("label:N", title=value_title),
        ],
    )
    return _finish(chart, lang)


def working_hours_text(value: float | None, lang: str = "fr") -> str:
    """A duration in working hours, always in hours (``112,5 h``): a « day » of working time
    is not 24 hours, so it is never converted to days."""
    if value is None or pd.isna(value):
        return missing_text(lang)
    if value < 1:
        return hours_text(value, lang)
    rounded = format_decimal(round(float(value), 1), format="#,##0.#", locale=_BABEL[lang])
    return f"{rounded} h"


def number_text(value: float | None, lang: str = "fr") -> str:
    """A number with one decimal: ``2,5``."""
    if value is None or pd.isna(value):
        return missing_text(lang)
    return format_decimal(round(float(value), 1), format="#,##0.0", locale=_BABEL[lang])


# ----------------------------------------------------------------------------------------------
# Beside the charts: description, data table, figure tiles, méthode de calcul


def chart_with_table(
    chart: alt.TopLevelMixin,
    frame: pd.DataFrame,
    description: str,
    *,
    key: str | None = None,
) -> None:
    """Show ``chart`` with its one-sentence ``description`` (its accessible name, and a caption
    under it) and, in the expander « Données du graphique », the table of its data."""
    st.altair_chart(chart, width="stretch", alt=description)
    st.caption(description)
    with st.expander(_text("data"), icon=":material/table_view:"):
        st.dataframe(frame, hide_index=True, width="stretch", alt=description, key=key)


def method_expander(key: str) -> None:
    """The « Méthode de calcul » of figure ``key``, read from docs/metrics.md."""
    with st.expander(t("method"), icon=":material/calculate:"):
        st.markdown(method_text(key))


def tile_columns(count: int, per_row: int = 2) -> list:
    """``count`` columns laid out ``per_row`` to a row: four tiles side by side are too narrow
    on a tablet (labels and values cut), two by two they stay readable."""
    columns: list = []
    while len(columns) < count:
        columns.extend(st.columns(min(per_row, count - len(columns))))
    return columns


def figure_tile(
    label: str,
    value: str,
    method_key: str,
    *,
    help_line: str | None = None,
) -> None:
    """One figure in a bordered tile: its label, value, an optional line under it, and its
    méthode de calcul."""
    with st.container(border=True):
        st.metric(label, value)
        if help_line:
            st.caption(help_line)
        method_expander(method_key)


# Kinds of columns ``data_table`` formats.
COLUMN_KINDS: tuple[str, ...] = (
    "text",
    "count",
    "rate",
    "hours",
    "working_hours",
    "number",
    "date",
    "datetime",
    "week",
    "month",
    "bool",
    "platform",
    "link",
)


def data_table(
    frame: pd.DataFrame,
    columns: Sequence[tuple[str, str, str]],
    lang: str = "fr",
) -> pd.DataFrame:
    """``frame`` ready to read: the ``columns`` (source column, title, kind) in that order,
    each value formatted for its kind (``12 345``, ``4,2 %``, ``3,5 h``, ``31/12/2026``…);
    "link" keeps the address, for a LinkColumn."""
    out = {}
    for column, title, kind in columns:
        if kind not in COLUMN_KINDS:
            raise ValueError(f"Type de colonne inconnu : {kind!r}.")
        out[title] = [_cell(v, kind, lang) for v in frame[column]]
    return pd.DataFrame(out, columns=[title for _, title, _ in columns])


def _cell(value: object, kind: str, lang: str) -> object:
    missing = value is None or (not isinstance(value, str) and pd.isna(value))
    if kind == "text":
        return "" if missing else str(value)
    if kind == "link":
        return None if missing else str(value)
    if kind == "platform":
        return platform_label(value)
    if missing:
        numeric = ("count", "rate", "hours", "working_hours", "number")
        return missing_text(lang) if kind in numeric else ""
    if kind == "count":
        return count_text(value, lang)
    if kind == "rate":
        return rate_text(float(value), lang)
    if kind == "hours":
        return hours_text(float(value), lang)
    if kind == "working_hours":
        return working_hours_text(float(value), lang)
    if kind == "number":
        return number_text(float(value), lang)
    if kind == "bool":
        return _text("yes" if bool(value) else "no", lang)
    if kind == "datetime":
        moment = pd.Timestamp(value)
        return f"{date_text(moment.date(), lang)} {moment:%H:%M}"
    day = value if isinstance(value, date) else pd.Timestamp(value).date()
    if kind == "week":
        return period_label(day, "week", lang)
    if kind == "month":
        return month_text(day, lang)
    return date_text(day, lang)
