"""Page Publications: engagement over time, by network, post type and hour, the most and least
engaging posts, the best times to post and the growth of the audience."""

import streamlit as st

from services import views
from ui.charts import (
    audience_chart,
    best_time_heatmap,
    chart_with_table,
    data_table,
    engagement_over_time_chart,
    figure_tile,
    group_rate_chart,
    hour_label,
    hour_rate_chart,
    method_expander,
    platform_label,
    slot_label,
    weekday_names,
)
from ui.exports import data_downloads
from ui.format import count_text, rate_text
from ui.i18n import t
from ui.page import frequency_choice, page_head, page_view

head = page_head("publications")
lang, filters = head.lang, head.filters
period = filters.period

controls = st.columns([3, 2])
base = controls[0].segmented_control(
    t("publications_base_label"),
    views.RATE_BASES,
    default="reach",
    required=True,
    format_func=lambda b: t(f"publications_base_option_{b}"),
    help=t("publications_base_help"),
    key="publications_base",
)
freq = frequency_choice("publications", period, controls[1])
view = page_view("publications", filters, base, freq)
base_name = t(f"publications_base_{base}")
rate_title = t("publications_rate", base=base_name)
figures = view.figures

columns = st.columns([1, 1, 1.6])
with columns[0]:
    figure_tile(
        t("publications_kpi_posts"), count_text(figures["publications"], lang), "publications"
    )
with columns[1]:
    figure_tile(
        t("publications_kpi_interactions"),
        count_text(figures["interactions"], lang),
        "interactions",
    )
with columns[2]:
    figure_tile(rate_title, rate_text(figures["rate"], lang), f"engagement_rate_{base}")

if base == "followers" and not view.has_audience:
    st.info(t("publications_no_followers"), icon=":material/group_off:")

if not figures["publications"]:
    st.info(t("publications_empty"), icon=":material/info:")
elif figures["rate"] is None:
    if base != "followers" or view.has_audience:
        st.info(t("publications_no_rate", base=base_name), icon=":material/info:")
else:
    if view.without_base and (base != "followers" or view.has_audience):
        names = ", ".join(platform_label(p) for p in view.without_base)
        st.caption(t("publications_no_base", platforms=names, base=base_name))

    # ------------------------------------------------------------------ over time
    st.subheader(t("publications_over_time"))
    over_time = view.over_time.assign(
        series=view.over_time["series"].map(
            lambda s: t("publications_all_networks") if s == views.ALL_SERIES else platform_label(s)
        )
    )
    period_title = t(f"publications_period_{view.freq}")
    chart_with_table(
        engagement_over_time_chart(
            over_time,
            rate_title=rate_title,
            period_title=period_title,
            series_title=t("publications_series"),
            freq=view.freq,
            lang=lang,
        ),
        data_table(
            over_time,
            [
                ("start", period_title, view.freq),
                ("series", t("publications_series"), "text"),
                ("posts", t("publications_posts"), "count"),
                ("interactions", t("publications_interactions"), "count"),
                ("rate", rate_title, "rate"),
            ],
            lang,
        ),
        t(
            f"publications_over_time_desc_{view.freq}",
            base=base_name,
            rate=rate_text(figures["rate"], lang),
        ),
        key="publications_over_time_table",
    )
    method_expander("engagement_breakdown")

    # ------------------------------------------------------------------ breakdowns
    group_columns = [
        ("group", None, "text"),
        ("posts", t("publications_posts"), "count"),
        ("interactions", t("publications_interactions"), "count"),
        ("base", t(f"publications_base_sum_{base}"), "count"),
        ("rate", rate_title, "rate"),
    ]
    left, right = st.columns(2)
    for column, name, frame, title in (
        (
            left,
            "platform",
            view.by_platform.assign(group=view.by_platform["group"].map(platform_label)),
            t("publications_network"),
        ),
        (right, "post_type", view.by_post_type, t("publications_post_type")),
    ):
        with column:
            st.subheader(t(f"publications_by_{name}"))
            chart_with_table(
                group_rate_chart(frame, group_title=title, rate_title=rate_title, lang=lang),
                data_table(frame, [(c, h or title, k) for c, h, k in group_columns], lang),
                t(f"publications_by_{name}_desc", base=base_name),
                key=f"publications_{name}_table",
            )

    st.subheader(t("publications_by_hour"))
    chart_with_table(
        hour_rate_chart(
            view.by_hour, rate_title=rate_title, hour_title=t("publications_hour"), lang=lang
        ),
        data_table(
            view.by_hour.assign(hour=view.by_hour["hour"].map(lambda h: hour_label(h, lang))),
            [
                ("hour", t("publications_hour"), "text"),
                *[(c, h, k) for c, h, k in group_columns if c != "group"],
            ],
            lang,
        ),
        t("publications_by_hour_desc", base=base_name),
        key="publications_hour_table",
    )
    method_expander("engagement_breakdown")

    # ------------------------------------------------------------------ classes and themes
    class_columns = [
        ("group", None, "text"),
        ("posts", t("publications_posts"), "count"),
        ("interactions_per_post", t("publications_interactions_per_post"), "number"),
        ("base", t(f"publications_base_sum_{base}"), "count"),
        ("rate", rate_title, "rate"),
    ]
    contents = view.by_class["content"]
    contents = contents.assign(
        group=contents["group"].map(lambda c: t(f"publications_class_{views.CLASS_KEYS[c]}"))
    )
    # Full width: class and theme names are long, two columns would squeeze the bars.
    st.subheader(t("publications_by_content"))
    title = t("publications_content_class")
    chart_with_table(
        group_rate_chart(contents, group_title=title, rate_title=rate_title, lang=lang),
        data_table(contents, [(c, h or title, k) for c, h, k in class_columns], lang),
        t("publications_by_content_desc", base=base_name),
        key="publications_content_table",
    )
    method_expander("content_classes")
    st.subheader(t("publications_by_theme"))
    title = t("publications_theme")
    themes = view.by_class["theme"]
    if themes.empty:
        st.info(
            t("publications_themes_empty", minimum=views.CLASS_MINIMUM_POSTS),
            icon=":material/info:",
        )
    else:
        chart_with_table(
            group_rate_chart(themes, group_title=title, rate_title=rate_title, lang=lang),
            data_table(themes, [(c, h or title, k) for c, h, k in class_columns], lang),
            t("publications_by_theme_desc", base=base_name),
            key="publications_theme_table",
        )
    if view.themes_hidden:
        st.caption(
            t(
                "publications_themes_hidden",
                minimum=views.CLASS_MINIMUM_POSTS,
                themes=", ".join(view.themes_hidden),
            )
        )
    method_expander("theme_coverage")
    st.caption(t("publications_classes_caption"))
    method_expander("class_comparison")

    # ------------------------------------------------------------------ best time
    st.subheader(t("publications_best_time"))
    grid = view.best_time["grid"]
    if len(view.best_time_cells):
        slot_title = t(f"publications_slot_{grid}")
        median_title = t("publications_median_rate", base=base_name)
        st.caption(t(f"publications_grid_{grid}", minimum=view.best_time["minimum_posts"]))
        cells = view.best_time_cells
        chart_with_table(
            best_time_heatmap(
                cells,
                grid=grid,
                rate_title=median_title,
                weekday_title=t("publications_weekday"),
                slot_title=slot_title,
                all_day=t("publications_all_day"),
                lang=lang,
            ),
            data_table(
                cells.assign(
                    weekday=cells["weekday"].map(lambda d: weekday_names(lang)[int(d)]),
                    slot=cells["slot"].map(
                        lambda s: slot_label(s, grid, lang, t("publications_all_day"))
                    ),
                ),
                [
                    ("weekday", t("publications_weekday"), "text"),
                    ("slot", slot_title, "text"),
                    ("posts", t("publications_posts"), "count"),
                    ("median_rate", median_title, "rate"),
                ],
                lang,
            ),
            t("publications_best_time_desc", base=base_name),
            key="publications_best_time_table",
        )
    else:
        st.info(t("publications_best_time_empty", base=base_name), icon=":material/info:")
    method_expander("best_time")

    # ------------------------------------------------------------------ ranked posts
    st.subheader(t("publications_ranked"))
    minimum = t(f"publications_minimum_{base}", count=count_text(view.minimum_base, lang))
    st.caption(t("publications_ranked_caption", base=base_name, minimum=minimum))
    ranked_columns = [
        ("rate", rate_title, "rate"),
        ("platform", t("publications_network"), "platform"),
        ("published_at", t("publications_published_at"), "datetime"),
        ("excerpt", t("publications_excerpt"), "text"),
        ("permalink", t("publications_link"), "link"),
        ("interactions", t("publications_interactions"), "count"),
        ("base", t(f"publications_base_of_post_{base}"), "count"),
        ("post_type", t("publications_post_type"), "text"),
    ]
    tabs = st.tabs([t("publications_top"), t("publications_bottom")])
    for tab, frame, name in (
        (tabs[0], view.top_posts, "top"),
        (tabs[1], view.bottom_posts, "bottom"),
    ):
        with tab:
            if frame.empty:
                st.info(
                    t("publications_ranked_empty", minimum=minimum),
                    icon=":material/info:",
                )
                continue
            st.dataframe(
                data_table(frame, ranked_columns, lang),
                hide_index=True,
                width="stretch",
                column_config={
                    t("publications_link"): st.column_config.LinkColumn(
                        t("publications_link"), display_text=t("publications_open")
                    ),
                    t("publications_excerpt"): st.column_config.TextColumn(width="medium"),
                },
                key=f"publications_{name}_posts",
            )
    method_expander("top_posts")

# ---------------------------------------------------------------------- audience
st.subheader(t("publications_audience"))
if view.audience_series.empty:
    st.info(t("publications_audience_empty"), icon=":material/info:")
else:
    series = view.audience_series.assign(series=view.audience_series["series"].map(platform_label))
    chart_with_table(
        audience_chart(
            series,
            followers_title=t("publications_followers"),
            date_title=t("publications_date"),
            series_title=t("publications_series"),
            lang=lang,
        ),
        data_table(
            series,
            [
                ("date", t("publications_date"), "date"),
                ("series", t("publications_series"), "text"),
                ("followers", t("publications_followers"), "count"),
            ],
            lang,
        ),
        t("publications_audience_desc"),
        key="publications_audience_table",
    )
    growth = view.audience_growth
    st.dataframe(
        data_table(
            growth,
            [
                ("platform", t("publications_network"), "platform"),
                ("account", t("publications_account"), "text"),
                ("followers_start", t("publications_followers_start"), "count"),
                ("followers_end", t("publications_followers_end"), "count"),
                ("net_change", t("publications_net_change"), "count"),
                ("gained", t("publications_gained"), "count"),
                ("complete", t("publications_complete"), "bool"),
            ],
            lang,
        ),
        hide_index=True,
        width="stretch",
        key="publications_growth_table",
    )
    incomplete = growth.loc[~growth["complete"].astype(bool)]
    if len(incomplete):
        st.caption(
            t(
                "publications_audience_incomplete",
                accounts=", ".join(
                    f"{platform_label(p)} ({a})"
                    for p, a in zip(incomplete["platform"], incomplete["account"], strict=True)
                ),
            )
        )
method_expander("audience_growth")

# ---------------------------------------------------------------------- export
st.divider()
st.caption(t("publications_export_help"))
data_downloads(view.posts, "publications", period, filters.selection, page="publications")
