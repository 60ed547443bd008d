"""Page "Ce que disent les habitants": sentiment, themes, proposals and the content audit."""

import streamlit as st

from metrics.definitions import method_text
from ui.auth import require_role
from ui.charts import chart_with_table
from ui.components import settings
from ui.exports import data_downloads
from ui.filters import sidebar_filters
from ui.format import count_text, rate_text
from ui.frame import require_frame
from ui.i18n import language, t
from ui.page import page_view
from ui.tables import french_table
from ui.voice_charts import conversation_lines, count_bars, sentiment_lines

require_frame()
viewer = require_role("elu")
lang = language()


def method(*keys: str) -> None:
    with st.expander(t("method"), icon=":material/calculate:"):
        for key in keys:
            st.markdown(method_text(key))


# column → (French heading key, kind of value) of the two content-audit tables.
AUDIT_COLUMNS = {
    "class": ("voice_col_class", "text"),
    "posts": ("voice_col_posts", "count"),
    "share_of_posts": ("voice_col_share_posts", "rate"),
    "interactions": ("voice_col_interactions", "count"),
    "interactions_per_post": ("voice_col_per_post", "decimal"),
    "engagement_rate_reach": ("kpi_engagement_rate_reach", "rate"),
    "engagement_rate_impressions": ("kpi_engagement_rate_impressions", "rate"),
}
CONVERSATION_COLUMNS = {
    "class": ("voice_col_class", "text"),
    "comments": ("voice_col_comments", "count"),
    "mean_compound": ("voice_col_mean", "signed"),
    "negative_share": ("voice_col_negative", "rate"),
    "questions": ("voice_col_questions", "count"),
    "answered_share": ("voice_col_answered", "rate"),
}
THEME_CONVERSATION_COLUMNS = {
    "group": ("voice_theme", "text"),
    **{key: value for key, value in CONVERSATION_COLUMNS.items() if key != "class"},
}
RISING_COLUMNS = {
    "theme": ("voice_theme", "text"),
    "n_previous": ("voice_col_n_previous", "count"),
    "negative_share_previous": ("voice_col_negative_previous", "rate"),
    "n_current": ("voice_col_n_current", "count"),
    "negative_share_current": ("voice_col_negative_current", "rate"),
    "change": ("voice_col_change", "points"),
}
PROPOSAL_COLUMNS = {
    "theme": ("voice_theme", "text"),
    "residents": ("voice_col_residents", "count"),
    "texts": ("voice_col_texts", "count"),
    "representative": ("voice_col_example", "text"),
    "keywords": ("voice_col_keywords", "words"),
}

current = settings()
st.title(t("page_habitants"))
filters = sidebar_filters(current.timezone, viewer.districts)
view = page_view("habitants", filters)

if view.messages + view.requests == 0:
    st.info(t("voice_empty"), icon=":material/info:")
    st.stop()

st.caption(t("voice_rules_note"))
data_downloads(view.themes, "themes", filters.period, filters.selection, page="habitants")
cols = st.columns(4)
cols[0].metric(t("voice_messages"), count_text(view.messages, lang))
cols[1].metric(t("voice_requests"), count_text(view.requests, lang))
cols[2].metric(t("voice_theme_coverage"), rate_text(view.theme_coverage, lang))
cols[3].metric(t("voice_class_coverage"), rate_text(view.voice_coverage, lang))
method("theme_coverage", "voice_classes")

st.subheader(t("voice_audit"))
if view.audit_sentence:
    st.markdown(f"**{view.audit_sentence}**")
else:
    st.caption(t("voice_audit_none"))
st.dataframe(french_table(view.audit_table, AUDIT_COLUMNS, lang), hide_index=True, width="stretch")
st.dataframe(
    french_table(view.audit_conversations, CONVERSATION_COLUMNS, lang),
    hide_index=True,
    width="stretch",
)
if not view.theme_conversations.empty:
    st.markdown(f"**{t('voice_theme_conversations')}**")
    st.dataframe(
        french_table(view.theme_conversations, THEME_CONVERSATION_COLUMNS, lang),
        hide_index=True,
        width="stretch",
    )
monthly = view.class_conversations_monthly
if monthly["period"].nunique() > 1:
    charts = (
        ("mean_compound", "voice_class_sentiment", "voice_col_mean"),
        ("answered_share", "voice_class_answered", "voice_col_answered"),
    )
    for column, (measure, title, axis) in zip(st.columns(2), charts, strict=True):
        with column:
            chart_with_table(
                conversation_lines(monthly, measure, t(title), t(axis)),
                monthly,
                t(f"{title}_desc"),
                key=title,
            )
method("content_classes", "class_comparison")

st.subheader(t("voice_sentiment"))
if view.sentiment_by_channel.empty:
    st.caption(t("voice_no_sentiment"))
else:
    chart_with_table(
        sentiment_lines(view.sentiment_by_channel, "channel", t("voice_by_channel")),
        view.sentiment_by_channel,
        t("voice_by_channel_desc"),
        key="by_channel",
    )
    chart_with_table(
        sentiment_lines(view.sentiment_by_theme, "theme", t("voice_by_theme")),
        view.sentiment_by_theme,
        t("voice_by_theme_desc"),
        key="by_theme",
    )
method("sentiment_over_time")

left, right = st.columns(2)
with left:
    st.subheader(t("voice_themes"))
    chart_with_table(
        count_bars(view.themes.head(12), "theme", t("voice_themes"), t("voice_theme")),
        view.themes,
        t("voice_themes_desc"),
        key="themes",
    )
with right:
    st.subheader(t("voice_classes"))
    chart_with_table(
        count_bars(view.voices, "class", t("voice_classes"), t("voice_class")),
        view.voices,
        t("voice_classes_desc"),
        key="classes",
    )

st.subheader(t("voice_rising"))
compared = view.rising.loc[view.rising["compared"].astype(bool)]
if compared.empty:
    st.caption(t("voice_rising_none"))
else:
    st.dataframe(french_table(compared, RISING_COLUMNS, lang), hide_index=True, width="stretch")
hidden = len(view.rising) - len(compared)
if hidden:
    st.caption(t("voice_rising_hidden", count=hidden))
method("rising_negative_themes")

st.subheader(t("voice_negatives"))
if view.negatives.empty:
    st.caption(t("voice_negatives_none"))
for row in view.negatives.itertuples():
    with st.container(border=True):
        st.markdown(f"« {row.text} »")
        words = ", ".join(f"{word} ({score:+.1f})" for word, score in row.words)
        st.caption(t("voice_negative_line", score=f"{row.compound:+.2f}", words=words or "—"))
method("most_negative")

st.subheader(t("voice_proposals"))
if view.proposals.empty:
    st.caption(t("voice_proposals_none"))
else:
    st.dataframe(
        french_table(view.proposals, PROPOSAL_COLUMNS, lang), hide_index=True, width="stretch"
    )
method("proposals")
