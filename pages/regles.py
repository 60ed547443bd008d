"""Page "Thèmes et règles": the editable keyword rules behind themes, post types and voices."""

import streamlit as st

from services.voice import RULE_FILES, reset_rules, rules_text, save_rules_text
from ui.auth import require_role
from ui.components import engine
from ui.frame import require_frame
from ui.i18n import t

require_frame()
viewer = require_role("agent")
db = engine()

st.title(t("page_regles"))
st.write(t("rules_intro"))
names = {name: t(f"rules_{name}") for name in RULE_FILES}
chosen = st.selectbox(t("rules_file"), list(names), format_func=names.get, key="rules_choice")
text = st.text_area(t("rules_text"), rules_text(db, chosen), height=480, key=f"rules_text_{chosen}")
left, right = st.columns(2)
if left.button(t("rules_save"), icon=":material/save:", key="rules_save"):
    problems = save_rules_text(db, chosen, text, viewer.name)
    if problems:
        for problem in problems:
            st.error(problem, icon=":material/error:")
    else:
        st.cache_data.clear()
        st.success(t("rules_saved"), icon=":material/check_circle:")
if right.button(t("rules_reset"), icon=":material/restart_alt:", key="rules_reset"):
    reset_rules(db, chosen, viewer.name)
    st.session_state.pop(f"rules_text_{chosen}", None)
    st.cache_data.clear()
    st.rerun()
