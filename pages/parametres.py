"""Page Paramètres: the collectivité's settings, validated, each change recorded in the audit
log (``settings_changed``)."""

from datetime import timedelta
from zoneinfo import available_timezones

import pandas as pd
import streamlit as st

from metrics.working_time import REGIONS, WEEKDAY_NAMES
from services import settings as store_settings
from services.auth import audit
from services.brief import name_key
from services.settings import (
    REGION_LABELS,
    RESPONSE_KINDS,
    TARGET_CHOICES,
    UNIT_LABELS,
    SettingsError,
    settings_snapshot,
)
from store.repository import distinct_values
from ui.auth import require_role
from ui.components import engine, settings
from ui.frame import require_frame
from ui.i18n import t
from ui.maps import outline_chart

require_frame()
viewer = require_role("agent")

db = engine()
current = settings()
st.title(t("page_parametres"))
st.write(t("parametres_intro"))
if message := st.session_state.pop("parametres_done", None):
    st.success(message, icon=":material/check_circle:")


def done(section: str, what: str, **values: object) -> None:
    """Record the change in the audit log and say it is saved."""
    audit(db, viewer, "settings_changed", section=section, **settings_snapshot(values))
    st.success(t("parametres_saved", what=t(what)), icon=":material/check_circle:")


def refused(error: SettingsError) -> None:
    st.error(str(error), icon=":material/error:")


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    """The edited table as tuples of cells (None for an empty cell)."""
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame[list(columns)].values]


units = [UNIT_LABELS[u] for u in TARGET_CHOICES]

# ---- the collectivité -------------------------------------------------------------------------
st.subheader(t("parametres_identity"), divider="gray")
zones = sorted(available_timezones())
with st.form("parametres_identity_form"):
    name = st.text_input(t("parametres_name"), value=current.name, max_chars=200)
    zone = st.selectbox(
        t("parametres_timezone"),
        zones,
        index=zones.index(current.timezone) if current.timezone in zones else 0,
        help=t("parametres_timezone_help"),
    )
    if st.form_submit_button(
        t("parametres_save"), icon=":material/save:", key="parametres_save_identity"
    ):
        try:
            saved = store_settings.save_identity(db, name, zone)
        except SettingsError as error:
            refused(error)
        else:
            done("identity", "parametres_what_identity", name=saved.name, timezone=saved.timezone)

# ---- calendar ---------------------------------------------------------------------------------
st.subheader(t("parametres_calendar"), divider="gray")
region_now = store_settings.calendar_region(db)
hours_now = store_settings.opening_hours(db)
with st.form("parametres_calendar_form"):
    region = st.selectbox(
        t("parametres_region"),
        list(REGIONS),
        index=list(REGIONS).index(region_now),
        format_func=REGION_LABELS.get,
    )
    st.markdown(f"**{t('parametres_hours')}**")
    st.caption(t("parametres_hours_help"))
    hours = st.data_editor(
        pd.DataFrame(
            [
                {"day": WEEKDAY_NAMES[day], "open": start, "close": end}
                for day, ranges in hours_now.items()
                for start, end in ranges
            ],
            columns=["day", "open", "close"],
        ),
        column_config={
            "day": st.column_config.SelectboxColumn(
                t("parametres_day"), options=list(WEEKDAY_NAMES), required=True
            ),
            "open": st.column_config.TimeColumn(
                t("parametres_open"), format="HH:mm", step=timedelta(minutes=5), required=True
            ),
            "close": st.column_config.TimeColumn(
                t("parametres_close"), format="HH:mm", step=timedelta(minutes=5), required=True
            ),
        },
        num_rows="dynamic",
        hide_index=True,
        key="parametres_hours",
    )
    if st.form_submit_button(
        t("parametres_save"), icon=":material/save:", key="parametres_save_calendar"
    ):
        try:
            week = store_settings.save_opening_hours(db, rows(hours, "day", "open", "close"))
            store_settings.save_calendar_region(db, region)
        except SettingsError as error:
            refused(error)
        else:
            done(
                "calendar",
                "parametres_what_calendar",
                holidays_region=region,
                opening_hours={WEEKDAY_NAMES[d]: list(r) for d, r in week.items()},
            )
territory_zone = store_settings.region_timezone(store_settings.calendar_region(db))
if territory_zone != current.timezone:
    st.info(
        t("parametres_region_zone", zone=territory_zone, current=current.timezone),
        icon=":material/schedule:",
    )

# ---- targets ----------------------------------------------------------------------------------
st.subheader(t("parametres_targets"), divider="gray")
request_now = store_settings.request_targets(db)
response_now = store_settings.response_targets(db)
categories = sorted(set(distinct_values(db, "request", "category")) | set(request_now))
target_unit = st.column_config.SelectboxColumn(t("parametres_unit"), options=units, required=True)
target_amount = st.column_config.NumberColumn(
    t("parametres_amount"), min_value=0, step=0.5, format="%g"
)


def target_rows(labels: dict[str, str], now: dict, default_unit: str) -> pd.DataFrame:
    """The editor's rows: one per key (shown by its label), with its target or an empty amount
    and the default unit."""
    return pd.DataFrame(
        [
            {
                "key": label,
                "amount": now[key].amount if key in now else None,
                "unit": UNIT_LABELS[now[key].unit if key in now else default_unit],
            }
            for key, label in labels.items()
        ],
        columns=["key", "amount", "unit"],
    ).astype({"amount": "float64"})


with st.form("parametres_targets_form"):
    st.markdown(f"**{t('parametres_request_targets')}**")
    st.caption(t("parametres_request_targets_help"))
    request_table = st.data_editor(
        target_rows({c: c for c in categories}, request_now, "working_days"),
        column_config={
            "key": st.column_config.TextColumn(t("parametres_category"), required=True),
            "amount": target_amount,
            "unit": target_unit,
        },
        num_rows="dynamic",
        hide_index=True,
        placeholder="—",
        key="parametres_request_targets",
    )
    st.markdown(f"**{t('parametres_response_targets')}**")
    st.caption(t("parametres_response_targets_help"))
    response_table = st.data_editor(
        target_rows(RESPONSE_KINDS, response_now, "hours"),
        column_config={
            "key": st.column_config.TextColumn(t("parametres_channel"), disabled=True),
            "amount": target_amount,
            "unit": target_unit,
        },
        hide_index=True,
        placeholder="—",
        key="parametres_response_targets",
    )
    if st.form_submit_button(
        t("parametres_save"), icon=":material/save:", key="parametres_save_targets"
    ):
        try:
            requests = store_settings.check_request_targets(
                rows(request_table, "key", "amount", "unit")
            )
            responses = store_settings.check_response_targets(
                rows(response_table, "key", "amount", "unit")
            )
            store_settings.save_request_targets(db, rows(request_table, "key", "amount", "unit"))
            store_settings.save_response_targets(db, rows(response_table, "key", "amount", "unit"))
        except SettingsError as error:
            refused(error)
        else:
            done(
                "targets",
                "parametres_what_targets",
                request_targets=requests,
                response_targets=responses,
            )

# ---- populations and small groups -------------------------------------------------------------
st.subheader(t("parametres_populations"), divider="gray")
populations_now = store_settings.populations(db)
quartier_map = store_settings.quartier_map(db)
districts = distinct_values(db, "request", "district")
known = sorted(
    set(districts) | set(populations_now) | set(quartier_map.names if quartier_map else ())
)
with st.form("parametres_populations_form"):
    st.caption(t("parametres_populations_help"))
    population_table = st.data_editor(
        pd.DataFrame(
            [{"quartier": q, "inhabitants": populations_now.get(q)} for q in known],
            columns=["quartier", "inhabitants"],
        ).astype({"inhabitants": "Int64"}),
        column_config={
            "quartier": st.column_config.TextColumn(t("parametres_quartier"), required=True),
            "inhabitants": st.column_config.NumberColumn(
                t("parametres_inhabitants"), min_value=0, step=1
            ),
        },
        num_rows="dynamic",
        hide_index=True,
        placeholder="—",
        key="parametres_populations",
    )
    if st.form_submit_button(
        t("parametres_save"), icon=":material/save:", key="parametres_save_populations"
    ):
        try:
            saved = store_settings.save_populations(
                db, rows(population_table, "quartier", "inhabitants")
            )
        except SettingsError as error:
            refused(error)
        else:
            done("populations", "parametres_what_populations", populations=saved)

with st.form("parametres_groups_form"):
    st.markdown(f"**{t('parametres_groups')}**")
    size = st.number_input(
        t("parametres_group_size"),
        min_value=1,
        max_value=store_settings.MAX_GROUP_SIZE,
        value=store_settings.minimum_group_size(db),
        step=1,
        help=t("parametres_group_size_help"),
    )
    if st.form_submit_button(
        t("parametres_save"), icon=":material/save:", key="parametres_save_groups"
    ):
        try:
            saved = store_settings.save_minimum_group_size(db, size)
        except SettingsError as error:
            refused(error)
        else:
            done("groups", "parametres_what_groups", minimum_group_size=saved)

# ---- our accounts -----------------------------------------------------------------------------
st.subheader(t("parametres_accounts"), divider="gray")
with st.form("parametres_accounts_form"):
    accounts = st.text_area(
        t("parametres_accounts_label"),
        value="\n".join(current.our_accounts),
        help=t("parametres_accounts_help"),
    )
    st.caption(t("parametres_accounts_help"))
    if st.form_submit_button(
        t("parametres_save"), icon=":material/save:", key="parametres_save_accounts"
    ):
        try:
            saved = store_settings.save_our_accounts(db, accounts.splitlines())
        except SettingsError as error:
            refused(error)
        else:
            done("accounts", "parametres_what_accounts", our_accounts=list(saved))

# ---- quartier outlines ------------------------------------------------------------------------
st.subheader(t("parametres_map"), divider="gray")
st.caption(t("parametres_map_help"))
if quartier_map is not None:
    st.write(
        t(
            "parametres_map_current",
            count=len(quartier_map.features),
            file=quartier_map.file_name or "GeoJSON",
        )
    )
    st.altair_chart(outline_chart(quartier_map, districts), width="stretch")
    if st.button(t("parametres_map_remove"), icon=":material/delete:", key="parametres_map_remove"):
        store_settings.save_quartier_map(db, None)
        audit(db, viewer, "settings_changed", section="quartier_map", removed=True)
        st.session_state["parametres_done"] = t(
            "parametres_saved", what=t("parametres_what_map_removed")
        )
        st.rerun()
else:
    st.caption(t("parametres_map_none"))

upload = st.file_uploader(
    t("parametres_map_file"),
    type=["geojson", "json"],
    key="parametres_geojson",
    max_upload_size=max(1, store_settings.GEOJSON_MAX_BYTES // (1024 * 1024)),
)
if upload is not None:
    data = upload.getvalue()
    try:
        properties = store_settings.geojson_name_properties(data)
        name_property = st.selectbox(
            t("parametres_map_property"), properties, key="parametres_geojson_property"
        )
        parsed = store_settings.parse_quartier_geojson(data, name_property, upload.name)
    except SettingsError as error:
        refused(error)
    else:
        st.caption(t("parametres_map_preview"))
        st.altair_chart(outline_chart(parsed, districts), width="stretch")
        outlined = {name_key(n) for n in parsed.names}
        missing = [d for d in districts if name_key(d) not in outlined]
        if missing:
            st.warning(
                t("parametres_map_missing", names=", ".join(missing)), icon=":material/warning:"
            )
        if st.button(t("parametres_map_save"), icon=":material/save:", key="parametres_map_save"):
            store_settings.save_quartier_map(db, parsed)
            audit(
                db,
                viewer,
                "settings_changed",
                section="quartier_map",
                file=upload.name,
                name_property=name_property,
                quartiers=list(parsed.names),
            )
            st.session_state["parametres_done"] = t(
                "parametres_saved", what=t("parametres_what_map")
            )
            st.rerun()
