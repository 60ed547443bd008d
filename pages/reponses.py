"""Page Réponses aux habitants: response rate (Meta's 24 h rule), first-response times on both
clocks, answers within target, by channel, moderation, and the conversations still waiting."""

import streamlit as st

from ui.charts import (
    channel_rate_chart,
    chart_with_table,
    data_table,
    figure_tile,
    method_expander,
    platform_label,
    response_buckets_chart,
    response_rate_over_time_chart,
    tile_columns,
    working_hours_text,
)
from ui.exports import data_downloads
from ui.format import count_text, date_text, hours_text, rate_text
from ui.i18n import t
from ui.page import frequency_choice, page_head, page_view

head = page_head("reponses")
lang, filters = head.lang, head.filters
period = filters.period
freq = frequency_choice("reponses", period)
view = page_view("reponses", filters, freq)
figures = view.figures

columns = tile_columns(4)
with columns[0]:
    figure_tile(
        t("reponses_kpi_received"),
        count_text(figures["messages_received"], lang),
        "messages_received",
    )
with columns[1]:
    figure_tile(
        t("reponses_kpi_rate"),
        rate_text(figures["response_rate"], lang),
        "response_rate",
        help_line=t(
            "reponses_kpi_rate_of",
            answered=count_text(figures["answered"], lang),
            needing=count_text(figures["needing_answer"], lang),
        ),
    )
with columns[2]:
    targets = ", ".join(
        f"{t(f'reponses_kind_{kind}')} {label}"
        for kind, label in view.targets.items()
        if label is not None
    )
    figure_tile(
        t("reponses_kpi_within"),
        rate_text(figures["share_within_target"], lang),
        "response_within_target",
        help_line=t("reponses_kpi_targets", targets=targets) if targets else None,
    )
with columns[3]:
    figure_tile(
        t("reponses_kpi_moderation"),
        rate_text(figures["moderation_share"], lang),
        "moderation_share",
    )

if not figures["messages_received"] and not figures["needing_answer"]:
    st.info(t("reponses_empty"), icon=":material/info:")
else:
    # ------------------------------------------------------------------ delays
    st.subheader(t("reponses_delays"))
    for clock in ("calendar", "working"):
        suffix = "_working" if clock == "working" else ""
        shown = working_hours_text if clock == "working" else hours_text
        st.markdown(f"**{t(f'reponses_clock_{clock}')}**")
        columns = st.columns(2)
        for column, label, key in zip(
            columns,
            (f"median_{clock}", f"p90_{clock}"),
            (f"median_first_response{suffix}_hours", f"p90_first_response{suffix}_hours"),
            strict=True,
        ):
            with column, st.container(border=True):
                st.metric(t(f"reponses_{label}"), shown(figures[key], lang))
    st.caption(t("reponses_delays_caption"))
    method_expander("first_response_time")

    # ------------------------------------------------------------------ over time
    st.subheader(t("reponses_over_time"))
    period_title = t(f"reponses_period_{view.freq}")
    chart_with_table(
        response_rate_over_time_chart(
            view.over_time,
            rate_title=t("reponses_rate"),
            period_title=period_title,
            needing_title=t("reponses_needing"),
            freq=view.freq,
            lang=lang,
        ),
        data_table(
            view.over_time,
            [
                ("start", period_title, view.freq),
                ("needing_answer", t("reponses_needing"), "count"),
                ("answered", t("reponses_answered"), "count"),
                ("response_rate", t("reponses_rate"), "rate"),
            ],
            lang,
        ),
        t(
            f"reponses_over_time_desc_{view.freq}",
            rate=rate_text(figures["response_rate"], lang),
        ),
        key="reponses_over_time_table",
    )
    method_expander("response_rate")

    # ------------------------------------------------------------------ distribution
    st.subheader(t("reponses_distribution"))
    clock = st.segmented_control(
        t("reponses_clock_label"),
        ("calendar", "working"),
        default="calendar",
        required=True,
        format_func=lambda c: t(f"reponses_clock_{c}"),
        key="reponses_clock",
    )
    buckets = view.buckets.loc[view.buckets["clock"] == clock]
    buckets = buckets.assign(label=buckets["bucket"].map(lambda b: t(f"reponses_bucket_{b}")))
    chart_with_table(
        response_buckets_chart(
            buckets,
            count_title=t("reponses_conversations"),
            bucket_title=t("reponses_bucket"),
            lang=lang,
        ),
        data_table(
            buckets,
            [
                ("label", t("reponses_bucket"), "text"),
                ("count", t("reponses_conversations"), "count"),
                ("share", t("reponses_share"), "rate"),
            ],
            lang,
        ),
        t("reponses_distribution_desc", clock=t(f"reponses_clock_{clock}").lower()),
        key="reponses_buckets_table",
    )
    method_expander("response_time_distribution")

    # ------------------------------------------------------------------ by channel
    st.subheader(t("reponses_by_channel"))
    channels = view.by_channel.assign(channel=view.by_channel["channel"].map(platform_label))
    channels = channels.assign(target=channels["target"].fillna(t("reponses_no_target")))
    channel_table = data_table(
        channels,
        [
            ("channel", t("reponses_channel"), "text"),
            ("messages_received", t("reponses_messages"), "count"),
            ("needing_answer", t("reponses_needing"), "count"),
            ("answered", t("reponses_answered"), "count"),
            ("response_rate", t("reponses_rate"), "rate"),
            ("median_hours", t("reponses_median_calendar"), "hours"),
            ("p90_hours", t("reponses_p90_calendar"), "hours"),
            ("median_working_hours", t("reponses_median_working"), "working_hours"),
            ("p90_working_hours", t("reponses_p90_working"), "working_hours"),
            ("target", t("reponses_target"), "text"),
            ("share_within_target", t("reponses_within"), "rate"),
            ("moderation_share", t("reponses_moderation"), "rate"),
        ],
        lang,
    )
    charts = (
        ("response_rate", "reponses_rate", "reponses_by_channel_rate_desc", "rate"),
        ("share_within_target", "reponses_within", "reponses_by_channel_within_desc", "within"),
    )
    for column, (rate, title, description, key) in zip(st.columns(2), charts, strict=True):
        with column:
            chart_with_table(
                channel_rate_chart(
                    channels,
                    rate=rate,
                    channel_title=t("reponses_channel"),
                    rate_title=t(title),
                    lang=lang,
                ),
                channel_table,
                t(description),
                key=f"reponses_channel_{key}_table",
            )
    st.info(t("reponses_by_team_unavailable"), icon=":material/groups:")
    method_expander("responses_by_channel")

    # ------------------------------------------------------------------ waiting
    st.subheader(t("reponses_waiting"))
    waiting = view.waiting
    if waiting.empty:
        st.success(t("reponses_waiting_none"), icon=":material/task_alt:")
    else:
        st.caption(
            t(
                "reponses_waiting_caption",
                count=count_text(len(waiting), lang),
                date=f"{date_text(view.data_date.date(), lang)} {view.data_date:%H:%M}",
            )
        )
        shown = waiting.assign(
            channel=waiting["channel"].map(platform_label),
            waited=waiting["waited_hours"].map(lambda h: hours_text(h, lang)),
            target=waiting["target"].fillna(t("reponses_no_target")),
            outcome=waiting["outcome"].map(
                lambda o: t(f"reponses_outcome_{o if o in ('missed', 'pending') else 'none'}")
            ),
        )
        st.dataframe(
            data_table(
                shown,
                # The message first after its date and wait: on a tablet, the columns on the
                # right are the ones that need a scroll.
                [
                    ("sent_at", t("reponses_sent_at"), "datetime"),
                    ("waited", t("reponses_waited"), "text"),
                    ("text", t("reponses_text"), "text"),
                    ("outcome", t("reponses_situation"), "text"),
                    ("target", t("reponses_target"), "text"),
                    ("channel", t("reponses_channel"), "text"),
                    ("hidden", t("reponses_hidden"), "bool"),
                ],
                lang,
            ),
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(waiting), 420),
            column_config={t("reponses_text"): st.column_config.TextColumn(width="medium")},
            key="reponses_waiting_table",
        )

# ---------------------------------------------------------------------- export
st.divider()
st.caption(t("reponses_export_help"))
data_downloads(view.conversations, "conversations", period, filters.selection, page="reponses")
