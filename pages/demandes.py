"""Page Demandes et réclamations: flows, backlog and its age, times to close (ordinary and
Kaplan–Meier medians, P90, both clocks), targets by category, breakdowns with small groups
hidden and quartiers per 1,000 inhabitants."""

import streamlit as st

from services import views
from ui.charts import (
    aging_chart,
    backlog_chart,
    breakdown_chart,
    chart_with_table,
    data_table,
    figure_tile,
    method_expander,
    request_flows_chart,
    tile_columns,
    within_target_chart,
    working_hours_text,
)
from ui.exports import data_downloads
from ui.format import count_text, hours_text, rate_text
from ui.i18n import t
from ui.page import frequency_choice, page_head, page_view

head = page_head("demandes")
lang, filters = head.lang, head.filters
period = filters.period
freq = frequency_choice("demandes", period)
view = page_view("demandes", filters, freq)
figures = view.figures

if view.sources_without_closing:
    every = len(view.sources_without_closing) == len(view.sources)
    st.warning(
        t(
            "demandes_no_closing_all" if every else "demandes_no_closing_some",
            sources=", ".join(view.sources_without_closing),
        ),
        icon=":material/event_busy:",
    )

columns = tile_columns(4)
for column, label, key, value in (
    (columns[0], "received", "requests_received", count_text(figures["requests_received"], lang)),
    (columns[1], "closed", "requests_closed", count_text(figures["requests_closed"], lang)),
    (columns[2], "backlog", "open_backlog", count_text(figures["open_backlog"], lang)),
    (
        columns[3],
        "within",
        "closed_within_target",
        rate_text(figures["share_closed_within_target"], lang),
    ),
):
    with column:
        figure_tile(t(f"demandes_kpi_{label}"), value, key)

if not (figures["requests_received"] or figures["requests_closed"] or figures["open_backlog"]):
    st.info(t("demandes_empty"), icon=":material/info:")
else:
    # ------------------------------------------------------------------ delays
    st.subheader(t("demandes_delays"))
    for clock, suffix, shown in (
        ("calendar", "", hours_text),
        ("working", "_working", working_hours_text),
    ):
        st.markdown(f"**{t(f'demandes_clock_{clock}')}**")
        columns = st.columns(3)
        for column, label, key in zip(
            columns,
            ("median", "km_median", "p90"),
            (
                f"median_resolution{suffix}_hours",
                f"km_median_resolution{suffix}_hours",
                f"p90_resolution{suffix}_hours",
            ),
            strict=True,
        ):
            with column, st.container(border=True):
                st.metric(t(f"demandes_{label}"), shown(figures[key], lang))
    st.markdown(t("demandes_km_sentence"))
    if figures["km_median_resolution_hours"] is None and figures["requests_closed"]:
        st.caption(t("demandes_km_unavailable"))
    milestones = [
        (name, figures[name])
        for name in ("acknowledgement", "first_response")
        if figures[name]["count"]
    ]
    if milestones:
        st.markdown(f"**{t('demandes_other_delays')}**")
        colon = " : " if lang == "fr" else ": "
        for name, summary in milestones:
            st.markdown(
                f"- {t(f'demandes_milestone_{name}')}{colon}"
                f"{hours_text(summary['median_hours'], lang)} / "
                f"{working_hours_text(summary['median_working_hours'], lang)} "
                f"({count_text(summary['count'], lang)} {t('demandes_milestone_count').lower()})"
            )
    left, middle, right = st.columns(3)
    with left:
        method_expander("median_resolution_hours")
    with middle:
        method_expander("km_median_resolution_hours")
    with right:
        method_expander("request_delays")

    # ------------------------------------------------------------------ flows
    st.subheader(t("demandes_flows"))
    st.caption(t("demandes_flows_caption"))
    period_title = t(f"demandes_period_{view.freq}")
    chart_with_table(
        request_flows_chart(
            view.flows,
            count_title=t("demandes_count"),
            period_title=period_title,
            series_title=t("demandes_series"),
            received_label=t("demandes_received"),
            closed_label=t("demandes_closed"),
            freq=view.freq,
            lang=lang,
        ),
        data_table(
            view.flows,
            [
                ("start", period_title, view.freq),
                ("received", t("demandes_received"), "count"),
                ("closed", t("demandes_closed"), "count"),
                ("open_at_end", t("demandes_open_at_end"), "count"),
            ],
            lang,
        ),
        t(f"demandes_flows_desc_{view.freq}"),
        key="demandes_flows_table",
    )
    method_expander("requests_per_period")

    # ------------------------------------------------------------------ backlog and aging
    # One under the other: side by side, the age buckets' names no longer fit on a tablet.
    st.subheader(t("demandes_backlog"))
    chart_with_table(
        backlog_chart(
            view.backlog,
            open_title=t("demandes_open"),
            date_title=t("demandes_date"),
            lang=lang,
        ),
        data_table(
            view.backlog,
            [("date", t("demandes_date"), "date"), ("open", t("demandes_open"), "count")],
            lang,
        ),
        t(
            f"demandes_backlog_desc_{view.backlog_freq}",
            count=count_text(figures["open_backlog"], lang),
        ),
        key="demandes_backlog_table",
    )
    method_expander("backlog_over_time")
    st.subheader(t("demandes_aging"))
    aging = view.aging.assign(label=view.aging["bucket"].map(lambda b: t(f"demandes_age_{b}")))
    chart_with_table(
        aging_chart(aging, count_title=t("demandes_open"), age_title=t("demandes_age"), lang=lang),
        data_table(
            aging,
            [("label", t("demandes_age"), "text"), ("count", t("demandes_open"), "count")],
            lang,
        ),
        t("demandes_aging_desc"),
        key="demandes_aging_table",
    )
    method_expander("request_aging")

    # ------------------------------------------------------------------ within target
    st.subheader(t("demandes_within_target"))
    if view.within_target.empty:
        st.info(t("demandes_within_target_empty"), icon=":material/info:")
    else:
        chart_with_table(
            within_target_chart(
                view.within_target,
                category_title=t("demandes_category"),
                rate_title=t("demandes_share_within"),
                lang=lang,
            ),
            data_table(
                view.within_target,
                [
                    ("category", t("demandes_category"), "text"),
                    ("target", t("demandes_target"), "text"),
                    ("requests", t("demandes_received"), "count"),
                    ("met", t("demandes_met"), "count"),
                    ("missed", t("demandes_missed"), "count"),
                    ("pending", t("demandes_pending"), "count"),
                    ("share_within_target", t("demandes_share_within"), "rate"),
                ],
                lang,
            ),
            t("demandes_within_target_desc"),
            key="demandes_within_target_table",
        )
    method_expander("closed_within_target")

    # ------------------------------------------------------------------ breakdowns
    st.subheader(t("demandes_breakdowns"))
    names = [by for by in views.BREAKDOWNS if by in view.breakdowns]
    tabs = st.tabs([t(f"demandes_by_{by}") for by in names])
    for tab, by in zip(tabs, names, strict=True):
        breakdown = view.breakdowns[by]
        title = t(f"demandes_by_{by}")
        with tab:
            if breakdown.groups.empty:
                st.info(
                    t("demandes_breakdown_empty", minimum=breakdown.minimum_size),
                    icon=":material/info:",
                )
            else:
                per_1000 = by == "district" and "received_per_1000" in breakdown.groups
                columns = [
                    ("group", title, "text"),
                    ("received", t("demandes_received"), "count"),
                    ("closed", t("demandes_closed"), "count"),
                    ("open_at_end", t("demandes_open_at_end"), "count"),
                    ("median_resolution_hours", t("demandes_median_close"), "hours"),
                    ("share_closed_within_target", t("demandes_share_within"), "rate"),
                ]
                if per_1000:
                    columns += [
                        ("population", t("demandes_population"), "count"),
                        ("received_per_1000", t("demandes_per_1000"), "number"),
                    ]
                chart_with_table(
                    breakdown_chart(
                        breakdown.groups,
                        value="received_per_1000" if per_1000 else "received",
                        group_title=title,
                        value_title=t("demandes_per_1000" if per_1000 else "demandes_received"),
                        lang=lang,
                    ),
                    data_table(breakdown.groups, columns, lang),
                    t("demandes_breakdown_desc_per_1000")
                    if per_1000
                    else t("demandes_breakdown_desc", by=title.lower()),
                    key=f"demandes_{by}_table",
                )
            if breakdown.hidden:
                st.caption(
                    t(
                        "demandes_hidden",
                        minimum=breakdown.minimum_size,
                        groups=", ".join(breakdown.hidden),
                    )
                )
            if by == "district" and not view.populations_set:
                st.caption(t("demandes_no_populations"))
    left, right = st.columns(2)
    with left:
        method_expander("requests_breakdown")
    with right:
        method_expander("petits_groupes")

# ---------------------------------------------------------------------- export
st.divider()
st.caption(t("demandes_export_help"))
data_downloads(view.requests, "requests", period, filters.selection, page="demandes")
