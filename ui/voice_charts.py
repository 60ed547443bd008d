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
