"""The shared sidebar filters: period and selections, kept in the URL so a view is a link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from metrics.period import Period, last_complete_month
from store.repository import Selection
from ui.components import filter_choices
from ui.i18n import t

PERIOD_CHOICES = ("last_month", "last_3_months", "last_12_months", "year_to_date", "custom")
# URL parameter of each multi-choice filter, its stored column and its label key.
SELECTIONS = {
    "plateformes": ("publication", "platform", "filter_platforms"),
    "quartiers": ("request", "district", "filter_districts"),
    "categories": ("request", "category", "filter_categories"),
    "canaux": ("request", "channel", "filter_channels"),
    "services": ("request", "service", "filter_services"),
}


@dataclass(frozen=True)
class Filters:
    """What the sidebar says to show."""

    period: Period
    selection: Selection


def _months_back(period: Period, months: int) -> Period:
    start = period.start
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return Period(start, period.end, period.timezone)


def period_of_choice(choice: str, today: date, timezone: str) -> Period:
    """The period a quick choice stands for, relative to ``today``."""
    last_month = last_complete_month(today, timezone)
    if choice == "last_3_months":
        return _months_back(last_month, 3)
    if choice == "last_12_months":
        return _months_back(last_month, 12)
    if choice == "year_to_date":
        end = today - timedelta(days=1)
        start = date(end.year, 1, 1)
        return Period(start, end, timezone)
    return last_month


def _date_param(name: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


_SAVED = "filters_saved"  # plain session state: survives page changes, unlike widget state


def _seed_from_url(choices: dict[str, list[str]]) -> None:
    # On the first run of a session the link decides; afterwards the saved choices do. Widget
    # state is dropped by Streamlit when another page is shown, so it is restored from the save.
    if _SAVED not in st.session_state:
        saved: dict = {}
        choice = st.query_params.get("periode", "last_month")
        start, end = _date_param("debut"), _date_param("fin")
        if start and end and start <= end:
            saved["period_choice"] = "custom"
            saved["period_dates"] = (start, end)
        elif choice in PERIOD_CHOICES:
            saved["period_choice"] = choice
        for param, options in choices.items():
            wanted = [v for v in st.query_params.get_all(param) if v in options]
            if wanted:
                saved[f"filter_{param}"] = wanted
        st.session_state[_SAVED] = saved
    # A new page builds new widgets that start from their defaults: restore the saved choices
    # whenever the page changed (on the same page, the widgets hold the user's latest choice).
    page = st.session_state.get("frame_page")
    changed_page = st.session_state.get("filters_page") != page
    st.session_state["filters_page"] = page
    for key, value in st.session_state[_SAVED].items():
        if changed_page or key not in st.session_state:
            st.session_state[key] = value


def _save(keys: list[str]) -> None:
    st.session_state[_SAVED] = {k: st.session_state[k] for k in keys if k in st.session_state}


def _write_url(choice: str, period: Period, chosen: dict[str, list[str]]) -> None:
    params = {"periode": choice}
    if choice == "custom":
        params.update(debut=period.start.isoformat(), fin=period.end.isoformat())
    for param, values in chosen.items():
        if values:
            params[param] = values
    if "lang" in st.query_params:
        params["lang"] = st.query_params["lang"]
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)


def sidebar_filters(timezone: str, allowed_districts: tuple[str, ...] = ()) -> Filters:
    """Render the shared filters in the sidebar and return them (URL kept in step)."""
    columns: dict[str, tuple[str, ...]] = {}
    for kind, column, _ in SELECTIONS.values():
        columns[kind] = (*columns.get(kind, ()), column)
    values = {kind: filter_choices(kind, names) for kind, names in columns.items()}
    choices = {param: values[kind][column] for param, (kind, column, _) in SELECTIONS.items()}
    if allowed_districts:
        choices["quartiers"] = [d for d in choices["quartiers"] if d in allowed_districts]
    _seed_from_url(choices)
    labels = {c: t(f"period_{c}") for c in PERIOD_CHOICES}
    with st.sidebar:
        st.markdown(f"**{t('filters')}**")
        choice = st.selectbox(
            t("period"), PERIOD_CHOICES, format_func=labels.get, key="period_choice"
        )
        period = period_of_choice(choice, date.today(), timezone)
        if choice == "custom":
            if "period_dates" not in st.session_state:
                st.session_state["period_dates"] = (period.start, period.end)
            picked = st.date_input(t("period_dates"), format="DD/MM/YYYY", key="period_dates")
            if isinstance(picked, tuple | list) and len(picked) == 2:
                period = Period(picked[0], picked[1], timezone)
        chosen = {}
        for param, (_, _, label) in SELECTIONS.items():
            if choices[param]:
                chosen[param] = st.multiselect(
                    t(label), choices[param], key=f"filter_{param}", placeholder=t("filter_all")
                )
            else:
                chosen[param] = []
    _save(["period_choice", "period_dates", *(f"filter_{p}" for p in SELECTIONS)])
    _write_url(choice, period, chosen)
    selection = Selection(
        platforms=tuple(chosen["plateformes"]),
        districts=tuple(chosen["quartiers"]) or tuple(allowed_districts),
        categories=tuple(chosen["categories"]),
        channels=tuple(chosen["canaux"]),
        services=tuple(chosen["services"]),
    )
    return Filters(period=period, selection=selection)
