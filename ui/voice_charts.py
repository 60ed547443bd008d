"""Altair charts of the page "Ce que disent les habitants" (shown with ui.charts.chart_with_table)."""

from __future__ import annotations

import altair as alt
import pandas as pd


def sentiment_lines(frame: pd.DataFrame, by: str, title: str) -> alt.Chart:
    """Mean sentiment per period, one line per channel or theme, points marked by shape too."""
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title="Période", axis=alt.Axis(format="%d/%m/%Y")),
            y=alt.Y(
                "mean_compound:Q",
                title="Sentiment moyen (−1 à +1)",
                scale=alt.Scale(domain=[-1, 1]),
            ),
            color=alt.Color(f"{by}:N", title=by.capitalize()),
            shape=alt.Shape(f"{by}:N", title=by.capitalize()),
            tooltip=[
                alt.Tooltip("period:T", title="Début", format="%d/%m/%Y"),
                alt.Tooltip(f"{by}:N", title=by.capitalize()),
                alt.Tooltip("mean_compound:Q", title="Sentiment moyen", format=".2f"),
                alt.Tooltip("negative_share:Q", title="Part négative", format=".0%"),
                alt.Tooltip("n:Q", title="Messages notés"),
            ],
        )
    )


def count_bars(frame: pd.DataFrame, category: str, title: str, label: str) -> alt.Chart:
    """Horizontal bars of counts, labelled with their value (no reliance on colour)."""
    base = alt.Chart(frame, title=title).encode(
        y=alt.Y(f"{category}:N", title=label, sort="-x"),
        x=alt.X("texts:Q", title="Textes"),
        tooltip=[alt.Tooltip(f"{category}:N", title=label), alt.Tooltip("texts:Q", title="Textes")],
    )
    return base.mark_bar() + base.mark_text(align="left", dx=3).encode(text="texts:Q")


def conversation_lines(frame: pd.DataFrame, measure: str, title: str, axis: str) -> alt.Chart:
    """One line per class of posts over the months of the comments: ``measure`` is
    mean_compound (−1 to +1) or answered_share (0 to 1); points marked by shape too."""
    rate = measure == "answered_share"
    return (
        alt.Chart(frame.dropna(subset=[measure]), title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title="Mois", axis=alt.Axis(format="%m/%Y")),
            y=alt.Y(
                f"{measure}:Q",
                title=axis,
                scale=alt.Scale(domain=[0, 1] if rate else [-1, 1]),
                axis=alt.Axis(format=".0%") if rate else alt.Axis(),
            ),
            color=alt.Color("group:N", title="Type de publication"),
            shape=alt.Shape("group:N", title="Type de publication"),
            tooltip=[
                alt.Tooltip("period:T", title="Mois", format="%m/%Y"),
                alt.Tooltip("group:N", title="Type de publication"),
                alt.Tooltip(f"{measure}:Q", title=axis, format=".0%" if rate else ".2f"),
                alt.Tooltip("comments:Q", title="Commentaires"),
                alt.Tooltip("questions:Q", title="Questions"),
            ],
        )
    )
