"""Content of the officials' documents and of the Quartiers and Services Publics+ pages, built
from stored data: the PDF brief, the Services Publics+ poster and open data, the quartier
figures and the map data. Nothing here renders: ui/brief.py turns it into PDF pages.

The brief's publications and residents' parts reuse the Publications page's and the « Ce que
disent les habitants » page's views (services.views, services.voice), so that a figure reads the
same on the page and on paper; they are computed only for a brief that prints them.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from metrics import engagement
from metrics._common import as_utc, ratio_or_none
from metrics.channels import channel_families, channel_kinds
from metrics.content_audit import (
    INSTITUTIONAL,
    PRACTICAL,
    class_comparison,
    comparison_sentence,
    content_classes,
)
from metrics.period import Period
from metrics.requests import requests_breakdown
from metrics.sections import SectionOptions
from metrics.services_publics import (
    ACKNOWLEDGEMENT_TARGETS,
    MARIANNE_TARGETS,
    SVE_TARGET,
    acknowledgement_instants,
    acknowledgement_within_target,
    answer_instants,
    satisfaction_survey,
)
from metrics.targets import Target, deadlines, latest_instant, outcome_counts, outcomes
from metrics.working_time import WorkingCalendar
from services import imports
from services.column_cache import ready_columns
from services.sections import section_document
from services.settings import (
    QuartierMap,
    current_settings,
    quartier_map,
    section_options_from_settings,
)
from services.synthesis import Synthesis, synthesis
from services.views import PublicationsView, publication_inputs, publications_figures
from services.voice import VoiceView, voice_view
from store import aggregates, repository
from store.repository import ALL, Selection

# Size of a cell of the request map, in degrees of latitude (about 550 m); the longitude step
# is widened by 1 / cos(latitude) so that cells are about square on the ground.
CELL_DEGREES = 0.005
# Located requests farther than this from the median position are left off the map (a swapped
# latitude and longitude, a default position at sea…): they would shrink the town to a dot.
OUTLIER_DEGREES = 0.5
# Open data: a count under this many requests is not published (statistical confidentiality).
OPEN_DATA_THRESHOLD = 5

_DATA_COLUMNS = ("created_at", "acknowledged_at", "first_response_at", "closed_at")


# ----------------------------------------------------------------------------------------------
# Quartiers


@dataclass(frozen=True)
class QuartierView:
    """Figures per quartier, what is hidden, and what the map needs.

    ``rows``: one dict per shown quartier (group, received, closed, open_at_end,
    median_resolution_hours, share_closed_within_target, and with populations population,
    received_per_1000, closed_per_1000, open_per_1000). ``hidden``: quartiers under
    ``minimum_size`` requests. ``cells``: aggregated request locations (latitude, longitude,
    requests) of the requests received in the period.
    """

    period: Period
    rows: list[dict]
    hidden: list[str]
    minimum_size: int
    has_populations: bool
    quartiers: QuartierMap | None
    cells: list[dict] = field(default_factory=list)
    located: int = 0
    outside: int = 0
    received: int = 0
    positions: list[dict] = field(default_factory=list)

    @property
    def unmatched_features(self) -> list[str]:
        """Polygons whose name matches no quartier of the data (shown as without figures)."""
        if self.quartiers is None:
            return []
        known = {name_key(r["group"]) for r in self.rows} | {name_key(h) for h in self.hidden}
        return [n for n in self.quartiers.names if name_key(n) not in known]


def name_key(name: object) -> str:
    """A quartier name compared without case, accents, spaces, hyphens or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", str(name).strip().lower())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _per_1000(count: int, population: float | None) -> float | None:
    return None if not population else count / float(population) * 1000


def quartier_rows(
    requests: pd.DataFrame, period: Period, options: SectionOptions
) -> tuple[list[dict], list[str], int]:
    """The figures of each quartier (see QuartierView.rows), the hidden ones, the minimum size."""
    breakdown = requests_breakdown(
        requests,
        period,
        "district",
        populations=options.populations,
        minimum_size=options.minimum_group_size,
        calendar=options.calendar,
        targets=options.targets,
        default_target=options.default_target,
        as_of=options.as_of,
    )
    rows = []
    for row in breakdown["groups"]:
        row = dict(row)
        if options.populations is not None:
            population = row.get("population")
            row["closed_per_1000"] = _per_1000(row["closed"], population)
            row["open_per_1000"] = _per_1000(row["open_at_end"], population)
        rows.append(row)
    return rows, list(breakdown["hidden"]), int(breakdown["minimum_size"])


def location_cells(
    requests: pd.DataFrame, period: Period, cell_degrees: float = CELL_DEGREES
) -> tuple[list[dict], int, int]:
    """Requests received in ``period`` with coordinates, counted per cell of a grid.

    Returns (cells, located, outside): cells as dicts (latitude, longitude of the cell's centre,
    requests), the number of located requests on the map, and the number left off because they
    lie far from the others.
    """
    received = requests.loc[period.contains(requests["created_at"])]
    if received.empty or "latitude" not in received or "longitude" not in received:
        return [], 0, 0
    lat = pd.to_numeric(received["latitude"], errors="coerce").astype("float64")
    lon = pd.to_numeric(received["longitude"], errors="coerce").astype("float64")
    valid = lat.between(-90, 90) & lon.between(-180, 180) & ~((lat == 0) & (lon == 0))
    lat, lon = lat[valid], lon[valid]
    if lat.empty:
        return [], 0, 0
    near = ((lat - lat.median()).abs() <= OUTLIER_DEGREES) & (
        (lon - lon.median()).abs() <= OUTLIER_DEGREES
    )
    outside = int((~near).sum())
    lat, lon = lat[near], lon[near]
    lon_step = cell_degrees / max(math.cos(math.radians(float(lat.median()))), 0.2)
    row = np.floor(lat.to_numpy() / cell_degrees)
    column = np.floor(lon.to_numpy() / lon_step)
    counts = pd.DataFrame({"row": row, "column": column}).value_counts().sort_index()
    cells = [
        {
            "latitude": round((r + 0.5) * cell_degrees, 6),
            "longitude": round((c + 0.5) * lon_step, 6),
            "requests": int(n),
        }
        for (r, c), n in counts.items()
    ]
    return cells, int(near.sum()), outside


def district_positions(requests: pd.DataFrame, period: Period, districts: list[str]) -> list[dict]:
    """Where to write each of ``districts`` on the request map: the median position of its
    located requests received in ``period`` (label, latitude, longitude)."""
    received = requests.loc[period.contains(requests["created_at"])]
    if received.empty or "district" not in received:
        return []
    located = pd.DataFrame(
        {
            "district": received["district"].astype("str"),
            "latitude": pd.to_numeric(received["latitude"], errors="coerce").astype("float64"),
            "longitude": pd.to_numeric(received["longitude"], errors="coerce").astype("float64"),
        }
    ).dropna()
    located = located.loc[located["district"].isin(districts)]
    if located.empty:
        return []
    centre = located[["latitude", "longitude"]].median()
    near = ((located[["latitude", "longitude"]] - centre).abs() <= OUTLIER_DEGREES).all(axis=1)
    medians = located.loc[near].groupby("district")[["latitude", "longitude"]].median()
    return [
        {"label": str(name), "latitude": float(row.latitude), "longitude": float(row.longitude)}
        for name, row in medians.iterrows()
    ]


def quartier_view(
    engine: Engine,
    period: Period,
    selection: Selection = ALL,
    options: SectionOptions | None = None,
) -> QuartierView:
    """Everything the Quartiers page and the brief show about quartiers."""
    options = options or section_options_from_settings(engine, period.timezone)
    requests = repository.load_requests(engine, period.start_utc, period.end_utc, selection)
    rows, hidden, minimum = quartier_rows(requests, period, options)
    cells, located, outside = location_cells(requests, period)
    return QuartierView(
        period=period,
        rows=rows,
        hidden=hidden,
        minimum_size=minimum,
        has_populations=options.populations is not None,
        quartiers=quartier_map(engine),
        cells=cells,
        located=located,
        outside=outside,
        received=int(period.contains(requests["created_at"]).sum()),
        positions=district_positions(requests, period, [r["group"] for r in rows]),
    )


# ----------------------------------------------------------------------------------------------
# Services Publics+


@dataclass(frozen=True)
class IndicatorCount:
    """One Services Publics+ figure with its counts: met, missed (late) and pending requests.

    ``key`` is its docs/metrics.md section; ``scope`` says which requests it covers.
    """

    key: str
    scope: str
    met: int
    missed: int
    pending: int = 0

    @property
    def judged(self) -> int:
        """Requests judged: in time or late (pending ones are not judged yet)."""
        return self.met + self.missed

    @property
    def share(self) -> float | None:
        """met ÷ judged; None when nothing is judged."""
        return ratio_or_none(self.met, self.judged)


# (key, scope) of each figure, in the order they are shown and published.
INDICATOR_ORDER: tuple[tuple[str, str], ...] = (
    ("sp_acknowledgement", "overall"),
    ("sp_acknowledgement", "electronic"),
    ("sp_acknowledgement", "letter"),
    ("sp_announced_deadline", "closed"),
    ("sve", "electronic"),
    ("marianne", "letters_within_15_days"),
    ("marianne", "emails_within_5_days"),
)


def _judged(
    rows: pd.DataFrame,
    ends: pd.Series,
    target: Target,
    calendar: WorkingCalendar,
    instant: pd.Timestamp | None,
) -> dict[str, int]:
    if instant is None or rows.empty:
        return {"met": 0, "missed": 0, "pending": 0}
    deadline = deadlines(rows["created_at"], target, calendar)
    return outcome_counts(outcomes(rows["created_at"], ends, deadline, instant))


def services_publics_counts(
    requests: pd.DataFrame,
    period: Period,
    calendar: WorkingCalendar | None = None,
    as_of: pd.Timestamp | datetime | None = None,
) -> list[IndicatorCount]:
    """The counts behind the Services Publics+ shares of metrics.services_publics (same rules:
    the shares are equal), in INDICATOR_ORDER."""
    calendar = calendar or WorkingCalendar(timezone=period.timezone)
    instant = (
        pd.Timestamp(as_of).tz_convert("UTC")
        if as_of is not None
        else latest_instant(requests, _DATA_COLUMNS)
    )
    cohort = requests.loc[period.contains(requests["created_at"])]
    families = channel_families(cohort["channel"])
    kinds = channel_kinds(cohort["channel"])
    counts: dict[tuple[str, str], dict[str, int]] = {}
    total = {"met": 0, "missed": 0, "pending": 0}
    for family, target in ACKNOWLEDGEMENT_TARGETS.items():
        mine = cohort.loc[(families == family).to_numpy(dtype=bool)]
        judged = _judged(mine, acknowledgement_instants(mine), target, calendar, instant)
        counts[("sp_acknowledgement", family)] = judged
        total = {k: total[k] + judged[k] for k in total}
    counts[("sp_acknowledgement", "overall")] = total

    closed = requests.loc[period.contains(requests["closed_at"])]
    due = as_utc(closed["due_at"])
    with_due = due.notna().to_numpy(dtype=bool)
    on_time = (as_utc(closed["closed_at"]) <= due).to_numpy(dtype=bool) & with_due
    counts[("sp_announced_deadline", "closed")] = {
        "met": int(on_time.sum()),
        "missed": int(with_due.sum() - on_time.sum()),
        "pending": 0,
    }

    electronic = cohort.loc[(families == "electronic").to_numpy(dtype=bool)]
    counts[("sve", "electronic")] = _judged(
        electronic, acknowledgement_instants(electronic), SVE_TARGET, calendar, instant
    )
    plain_calendar = WorkingCalendar(timezone=period.timezone)  # calendar-day targets
    for kind, scope in (("letter", "letters_within_15_days"), ("email", "emails_within_5_days")):
        mine = cohort.loc[(kinds == kind).to_numpy(dtype=bool)]
        counts[("marianne", scope)] = _judged(
            mine, answer_instants(mine), MARIANNE_TARGETS[kind], plain_calendar, instant
        )
    return [IndicatorCount(key, scope, **counts[(key, scope)]) for key, scope in INDICATOR_ORDER]


@dataclass(frozen=True)
class ServicesPublicsView:
    """The Services Publics+ figures of a period: the section document, the counts behind
    each share, and the satisfaction survey (None when there is no survey data)."""

    period: Period
    document: dict
    counts: list[IndicatorCount]
    survey: dict | None

    def count(self, key: str, scope: str) -> IndicatorCount:
        """The figure ``key`` for ``scope``."""
        return next(c for c in self.counts if c.key == key and c.scope == scope)

    @property
    def received(self) -> int:
        """Requests received in the period (all channels)."""
        return int(self.document.get("requests_received") or 0)


def services_publics_view(
    engine: Engine,
    period: Period,
    selection: Selection = ALL,
    options: SectionOptions | None = None,
) -> ServicesPublicsView:
    """Everything the Services Publics+ page, its poster and its open data show."""
    options = options or section_options_from_settings(engine, period.timezone)
    document = section_document(engine, "services-publics", period, selection, options)
    requests = repository.load_requests(engine, period.start_utc, period.end_utc, selection)
    counts = services_publics_counts(requests, period, options.calendar, options.as_of)
    survey = None
    if options.survey is not None:
        survey = satisfaction_survey(options.survey, period)
        if not survey.get("answers"):
            survey = None
    return ServicesPublicsView(period, document, counts, survey)


OPEN_DATA_LABELS: dict[tuple[str, str], tuple[str, str, str]] = {
    # (key, scope) → (code, indicator, scope label): a fixed vocabulary, no free text.
    ("sp_acknowledgement", "overall"): (
        "accuse_reception",
        "Accusé de réception dans les délais (engagements 4 et 5)",
        "Demandes écrites",
    ),
    ("sp_acknowledgement", "electronic"): (
        "accuse_reception_electronique",
        "Accusé de réception dans les délais (engagements 4 et 5)",
        "Demandes électroniques (1 semaine)",
    ),
    ("sp_acknowledgement", "letter"): (
        "accuse_reception_courrier",
        "Accusé de réception dans les délais (engagements 4 et 5)",
        "Courriers (2 semaines)",
    ),
    ("sp_announced_deadline", "closed"): (
        "delai_annonce",
        "Respect du délai de traitement annoncé (engagement 6)",
        "Demandes clôturées avec un délai annoncé",
    ),
    ("sve", "electronic"): (
        "sve_10_jours_ouvres",
        "Saisine par voie électronique : réponse ou accusé en 10 jours ouvrés",
        "Demandes électroniques",
    ),
    ("marianne", "letters_within_15_days"): (
        "marianne_courriers_15_jours",
        "Référence Marianne : courriers traités en 15 jours",
        "Courriers",
    ),
    ("marianne", "emails_within_5_days"): (
        "marianne_courriels_5_jours",
        "Référence Marianne : courriels traités en 5 jours",
        "Courriels",
    ),
}
OPEN_DATA_COUNTS: tuple[str, ...] = ("dans_le_delai", "hors_delai", "en_attente", "demandes_jugees")
OPEN_DATA_DERIVED: tuple[str, ...] = ("taux_pct",)


def open_data_table(view: ServicesPublicsView) -> pd.DataFrame:
    """The open-data table of the Services Publics+ figures: codes, fixed labels, dates, counts
    and rates only (no free text). Small cells are NOT suppressed here: the export does it
    (ui.exports.suppress_small_cells with OPEN_DATA_COUNTS and OPEN_DATA_DERIVED)."""
    rows = []
    for count in view.counts:
        code, label, scope = OPEN_DATA_LABELS[(count.key, count.scope)]
        share = count.share
        rows.append(
            {
                "indicateur": code,
                "libelle": label,
                "perimetre": scope,
                "debut": view.period.start.isoformat(),
                "fin": view.period.end.isoformat(),
                "dans_le_delai": count.met,
                "hors_delai": count.missed,
                "en_attente": count.pending,
                "demandes_jugees": count.judged,
                "taux_pct": None if share is None else round(share * 100, 1),
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# Publications and residents' voice, for the brief

# The parts of the brief computed only when they are printed (the others always are).
OPTIONAL_PARTS: tuple[str, ...] = ("publications", "habitants")
# The residents' sentiment per network is printed for the last weeks of the period only: a
# year of weeks would fill pages.
SENTIMENT_WEEKS = 6


@dataclass(frozen=True)
class ClassComparison:
    """The content-audit comparison sentence (metrics.content_audit.comparison_sentence, in
    French) and what it says: the class of posts with more interactions per post, the other
    one and the ratio of their means, so that it can be written in English too."""

    sentence: str
    better: str
    worse: str
    ratio: float


def class_ratio(table: pd.DataFrame) -> ClassComparison | None:
    """What comparison_sentence says of ``table`` (a class_comparison): None when it says
    nothing (too few posts in a class, no ratio)."""
    sentence = comparison_sentence(table)
    if sentence is None:
        return None
    # comparison_sentence's default pair: service pratique against institutionnel.
    means = {
        label: float(table.at[label, "interactions_per_post"])
        for label in (PRACTICAL, INSTITUTIONAL)
    }
    better, worse = (
        (PRACTICAL, INSTITUTIONAL)
        if means[PRACTICAL] >= means[INSTITUTIONAL]
        else (INSTITUTIONAL, PRACTICAL)
    )
    return ClassComparison(sentence, better, worse, means[better] / means[worse])


@dataclass(frozen=True)
class PublicationsBrief:
    """What the brief prints about publications: the Publications page's view on the reach
    base (figures, engagement over time, top posts), the engagement rates of each network on
    both bases, and the content-audit classes compared.

    ``networks``: platform, posts, interactions, engagement_rate_reach,
    engagement_rate_impressions (NaN where a network does not export the base). ``classes``:
    metrics.content_audit.class_comparison, one row per class, the class as index.
    """

    view: PublicationsView
    networks: pd.DataFrame
    classes: pd.DataFrame
    comparison: ClassComparison | None


def publications_brief(
    engine: Engine,
    period: Period,
    selection: Selection = ALL,
    options: SectionOptions | None = None,
) -> PublicationsBrief:
    """The publications part of the brief: the posts are loaded once for the page's view, the
    rates by impressions and the content-audit comparison."""
    inputs = publication_inputs(engine, period, selection, options)
    posts, audit_rules = inputs.posts, inputs.audit_rules
    view = publications_figures(
        posts,
        inputs.audience,
        period,
        "reach",
        None,
        inputs.options,
        taxonomy=inputs.taxonomy,
        audit_rules=audit_rules,
    )
    # The page shows one base at a time; on paper both rates sit side by side.
    impressions = {
        row["platform"]: row["rate"]
        for row in engagement.engagement_by(posts, period, "platform", "impressions")
    }
    by_platform = view.by_platform
    networks = pd.DataFrame(
        {
            "platform": by_platform["group"],
            "posts": by_platform["posts"],
            "interactions": by_platform["interactions"],
            "engagement_rate_reach": by_platform["rate"],
            "engagement_rate_impressions": [impressions.get(p) for p in by_platform["group"]],
        }
    ).astype({"engagement_rate_reach": "float64", "engagement_rate_impressions": "float64"})
    published = engagement.publications_in(posts, period)
    classes = class_comparison(published, content_classes(published["text"], audit_rules))
    return PublicationsBrief(view, networks, classes, class_ratio(classes))


@dataclass(frozen=True)
class VoiceBrief:
    """What the brief prints about what residents say: the « Ce que disent les habitants »
    page's view, with the rows a printed page has room for chosen.

    ``sentiment``: view.sentiment_by_channel for its last SENTIMENT_WEEKS weeks (period,
    channel, n, mean_compound, negative_share), ``weeks`` the weeks it had in all.
    ``rising``: the themes compared on both periods (largest rise first), ``rising_hidden``
    the themes with too few messages to compare.
    """

    view: VoiceView
    sentiment: pd.DataFrame
    weeks: int
    rising: pd.DataFrame
    rising_hidden: int
    comparison: ClassComparison | None


def voice_brief(engine: Engine, period: Period, selection: Selection = ALL) -> VoiceBrief:
    """The residents' part of the brief, from the page's view."""
    view = voice_view(engine, period, selection)
    weekly = view.sentiment_by_channel
    weeks = sorted(weekly["period"].unique()) if "period" in weekly else []
    recent = weekly.loc[weekly["period"].isin(weeks[-SENTIMENT_WEEKS:])] if weeks else weekly
    compared = view.rising.loc[view.rising["compared"].fillna(False).astype(bool)]
    return VoiceBrief(
        view=view,
        sentiment=recent.reset_index(drop=True),
        weeks=len(weeks),
        rising=compared.reset_index(drop=True),
        rising_hidden=len(view.rising) - len(compared),
        comparison=class_ratio(view.audit_table),
    )


# ----------------------------------------------------------------------------------------------
# The brief


def full_months(period: Period) -> int | None:
    """How many whole calendar months ``period`` covers, or None (see Period.whole_months)."""
    return period.whole_months


def comparison_period(period: Period) -> Period:
    """What the brief compares ``period`` with: the Synthèse's rule, Period.comparison."""
    return period.comparison()


@dataclass(frozen=True)
class BriefContent:
    """Everything the PDF brief shows, computed once from the stored data."""

    name: str
    period: Period
    selection: Selection
    synthesis: Synthesis
    sections: dict[str, dict]
    quartiers: QuartierView
    services_publics: ServicesPublicsView
    is_demo: bool
    generated_at: datetime
    # The optional parts (OPTIONAL_PARTS): None when the brief was computed without them.
    publications: PublicationsBrief | None = None
    voice: VoiceBrief | None = None

    @property
    def sentence_facts(self) -> SentenceFacts:
        """What the key sentences are drawn from."""
        share = self.services_publics.count("sp_acknowledgement", "overall").share
        return SentenceFacts(self.period, self.synthesis, share)


@dataclass(frozen=True)
class SentenceFacts:
    """The figures the three to five key sentences are drawn from: the Synthèse and the share
    of written requests acknowledged within the Services Publics+ deadlines."""

    period: Period
    synthesis: Synthesis
    acknowledged_share: float | None


# The columns the acknowledgement share reads: the Synthèse page loads only these.
ACKNOWLEDGEMENT_COLUMNS = (
    "created_at",
    "acknowledged_at",
    "first_response_at",
    "closed_at",
    "channel",
)


def sentence_facts(
    engine: Engine, period: Period, selection: Selection = ALL, computed: Synthesis | None = None
) -> SentenceFacts:
    """The key sentences' figures without the rest of the brief (sections, quartiers…): what
    the Synthèse page needs, read from five columns of the requests."""
    options = section_options_from_settings(engine, period.timezone)
    start, end = period.start_utc, period.end_utc
    columns = ready_columns(engine)
    if columns is not None:
        # The period's whole load, from the copy in memory: judged at its latest date.
        requests = columns.requests_window(start, end, selection, ACKNOWLEDGEMENT_COLUMNS)
        as_of = options.as_of or latest_instant(requests, ACKNOWLEDGEMENT_COLUMNS[:4])
    else:
        # Only the requests received in the period are judged; the instant they are judged
        # at is the latest date of the period's whole load, asked of the database instead of
        # reading the still-open requests of earlier periods.
        requests = aggregates.received_or_closed_requests(
            engine, start, end, selection, ACKNOWLEDGEMENT_COLUMNS
        )
        as_of = options.as_of or aggregates.latest_request_instant(
            engine, start, end, selection, ACKNOWLEDGEMENT_COLUMNS[:4]
        )
    share = acknowledgement_within_target(requests, period, options.calendar, as_of)
    return SentenceFacts(period, computed or synthesis(engine, period, selection), share["overall"])


def brief_content(
    engine: Engine,
    period: Period,
    selection: Selection = ALL,
    computed: Synthesis | None = None,
    parts: Iterable[str] | None = None,
) -> BriefContent:
    """The figures of the Synthèse, of every section, of the quartiers and of Services
    Publics+ for ``period`` within ``selection``, with the collectivité's settings; with those
    of the publications and of what residents say when ``parts`` names them (all parts when
    ``parts`` is None)."""
    wanted = set(OPTIONAL_PARTS if parts is None else parts)
    options = section_options_from_settings(engine, period.timezone)
    sections = {
        name: section_document(engine, name, period, selection, options)
        for name in ("engagement", "responses", "requests")
    }
    return BriefContent(
        name=current_settings(engine).name,
        period=period,
        selection=selection,
        # The Synthèse page already has its figures: no need to compute them a second time.
        synthesis=computed or synthesis(engine, period, selection),
        sections=sections,
        quartiers=quartier_view(engine, period, selection, options),
        services_publics=services_publics_view(engine, period, selection, options),
        is_demo=imports.has_demo(engine),
        generated_at=datetime.now(UTC),
        publications=(
            publications_brief(engine, period, selection, options)
            if "publications" in wanted
            else None
        ),
        voice=voice_brief(engine, period, selection) if "habitants" in wanted else None,
    )
