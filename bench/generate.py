"""A large city's export files in real formats, for the city-scale benchmark (bench/run.py).

Writes, for the 24 full months ending at ``--end`` (default: the last complete month, so that
the dashboard's default period has data):

- service requests as NYC 311 open-data CSV (the 41-column portal layout of
  ``data/demo/requests311.py``), in one file or one file per calendar year;
- residents' comments and the page's replies as Graph API comment JSON (one file a quarter);
- the page's posts as Meta Business Suite CSV (English headers, one file a quarter).

Forty request categories, twenty quartiers. Everything is drawn from one seeded generator and
built column-wise (numpy, Arrow string kernels), so a million requests take well under a
minute; the same arguments always give byte-identical files. ``manifest.json`` lists the files.

    .venv/bin/python bench/generate.py --requests 1000000 --out /tmp/parvis-bench
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: .venv/bin/python bench/generate.py
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

from data.demo.clock import EN_MONTHS, TIMEZONE, add_months, default_end, month_end  # noqa: E402
from data.demo.commune import FIRST_NAMES, LAST_NAMES, PAGE_ID, PAGE_NAME  # noqa: E402
from data.demo.commune import QUARTIERS as DEMO_QUARTIERS  # noqa: E402
from data.demo.content import (  # noqa: E402
    CRITIQUE,
    CRITIQUES,
    DUREES,
    EMOJIS_NEGATIVE,
    EMOJIS_POSITIVE,
    FOLLOW_UPS_KO,
    FOLLOW_UPS_OK,
    GENERIC_QUESTIONS,
    MERCI,
    MERCIS,
    PLAINTE,
    PLAINTES,
    PROPOSITION,
    PROPOSITIONS,
    QUESTION,
    QUESTIONS_BY_TOPIC,
    REPLY_RATE,
    RESIDENT_REPLIES,
    SIGNATURES,
    SPAM,
    STAFF_CRITIQUE,
    STAFF_MERCI,
    STAFF_PLAINTE,
    STAFF_PROPOSITION,
    STAFF_SECOND_KO,
    STAFF_SECOND_OK,
    TAG,
    TAGS,
    contract,
)
from data.demo.facebook import META_EN_COLUMNS  # noqa: E402
from data.demo.requests311 import (  # noqa: E402
    CATEGORIES,
    CHANNEL_P,
    CHANNELS,
    MONTH_FACTOR,
    NYC311_COLUMNS,
    PHONE_HOURS,
    WEB_HOURS,
    WEEKDAY_FACTOR,
)

DEFAULT_REQUESTS = 1_000_000
DEFAULT_MESSAGES = 300_000
DEFAULT_POSTS = 20_000
MONTHS = 24
CATEGORY_COUNT = 40
CITY = "Grand-Parvis"
POSTCODES = tuple(f"{37100 + 10 * i}" for i in range(20))
REQUEST_FORMAT = "nyc311"
MESSAGE_FORMAT = "fb_graph_comments"
POST_FORMAT = "meta_posts"
# One request in this many carries an unreadable creation date: real extracts have a few, and
# the importer must reject them (with their line) while keeping the rest.
DEFECT_EVERY = 200_000

# The demo's eight quartiers and twelve more: a city of twenty.
EXTRA_QUARTIERS = (
    "Les Prés-Saint-Jean",
    "Beaulieu",
    "La Fontaine",
    "Les Rives",
    "Montplaisir",
    "Le Sanitas",
    "Les Fontaines",
    "Grand-Mail",
    "La Bergeonnerie",
    "Les Deux-Lions",
    "Lakanal",
    "Rochepinard",
)
STREET_TYPES = ("rue", "avenue", "allée", "impasse", "boulevard", "place", "chemin")
STREET_NAMES = (
    "des Lilas",
    "Jean-Jaurès",
    "Pasteur",
    "des Écoles",
    "du Moulin",
    "de la Paix",
    "Gambetta",
    "des Roses",
    "Jules-Ferry",
    "de la Liberté",
    "du Stade",
    "des Vignes",
    "Émile-Zola",
    "Voltaire",
    "des Peupliers",
    "du Château",
)


@dataclass(frozen=True)
class GeneratedFile:
    """One written export file, as listed in the manifest."""

    name: str
    format_id: str
    kind: str
    rows: int
    bytes: int


@dataclass(frozen=True)
class District:
    name: str
    number: int
    lat: float
    lon: float
    weight: float
    streets: tuple[str, ...]
    park: str


def districts() -> tuple[District, ...]:
    """Twenty quartiers: the demo's eight, and twelve around them."""
    out = [
        District(q.name, q.number, q.lat, q.lon, q.weight, q.streets, q.park)
        for q in DEMO_QUARTIERS
    ]
    for i, name in enumerate(EXTRA_QUARTIERS):
        angle = 2 * np.pi * i / len(EXTRA_QUARTIERS)
        streets = tuple(
            f"{STREET_TYPES[(i + k) % len(STREET_TYPES)]} {STREET_NAMES[(3 * i + k) % 16]}"
            for k in range(6)
        )
        out.append(
            District(
                name,
                len(DEMO_QUARTIERS) + i + 1,
                round(47.39 + 0.03 * np.sin(angle), 4),
                round(0.69 + 0.045 * np.cos(angle), 4),
                0.06 + 0.01 * (i % 4),
                streets,
                f"Square de {name}",
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class SubCategory:
    """One of the forty request types: a demo category and one of its descriptors."""

    complaint_type: str
    descriptor: str
    parent: int  # index in data.demo.requests311.CATEGORIES
    weight: float


def categories() -> tuple[SubCategory, ...]:
    """Forty request types, taken round-robin from the demo categories' descriptors."""
    queues = [list(c.descriptors) for c in CATEGORIES]
    out: list[SubCategory] = []
    while len(out) < CATEGORY_COUNT and any(queues):
        for parent, queue in enumerate(queues):
            if queue and len(out) < CATEGORY_COUNT:
                descriptor, share = queue.pop(0)
                category = CATEGORIES[parent]
                out.append(
                    SubCategory(
                        f"{category.name} - {descriptor}",
                        descriptor,
                        parent,
                        category.weight * share,
                    )
                )
    return tuple(out)


# --------------------------------------------------------------------------- time helpers


def window(end: date) -> tuple[date, date]:
    """The 24 full months ending at ``end`` (last day of a month)."""
    if end != month_end(end):
        raise ValueError(f"--end doit être le dernier jour d'un mois, pas {end.isoformat()}")
    return add_months(end, -(MONTHS - 1)), end


def local_midnights_utc(days: pd.DatetimeIndex) -> np.ndarray:
    """Epoch seconds (UTC) of local midnight of each day (midnight always exists in Paris)."""
    utc = days.tz_localize(TIMEZONE).tz_convert("UTC")
    return utc.as_unit("s").asi8


def local_seconds(utc_seconds: np.ndarray) -> np.ndarray:
    """Epoch seconds of the Europe/Paris wall clock at each UTC instant."""
    instants = pd.DatetimeIndex(utc_seconds.astype("datetime64[s]")).tz_localize("UTC")
    return instants.tz_convert(TIMEZONE).tz_localize(None).as_unit("s").asi8


@cache
def _times_of_day_us() -> pa.Array:
    """``hh:mm:ss AM`` for each second of a day (US 12-hour clock, as the NYC portal writes)."""
    texts = []
    for second in range(86_400):
        hour, rest = divmod(second, 3600)
        half = "AM" if hour < 12 else "PM"
        texts.append(f"{hour % 12 or 12:02d}:{rest // 60:02d}:{rest % 60:02d} {half}")
    return pa.array(texts)


def us_times(utc_seconds: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """``MM/DD/YYYY hh:mm:ss AM`` Paris wall time of each instant; '' where ``missing``."""
    wall = local_seconds(utc_seconds)
    day_number, second = np.divmod(wall, 86_400)
    unique_days, inverse = np.unique(day_number, return_inverse=True)
    epoch = date(1970, 1, 1)
    day_texts = pa.array(
        [(epoch + timedelta(days=int(d))).strftime("%m/%d/%Y") for d in unique_days]
    )
    mask = None if missing is None else np.asarray(missing, dtype=bool)
    days = pc.take(day_texts, pa.array(inverse.astype(np.int32), mask=mask))
    text = pc.binary_join_element_wise(days, pc.take(_times_of_day_us(), second), " ")
    return pc.fill_null(text, "")


def csv_cell(text: str) -> str:
    """A CSV cell as Python's csv module writes it (QUOTE_MINIMAL)."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def vocabulary(texts: list[str] | tuple[str, ...], codes: np.ndarray) -> pa.Array:
    """``texts[codes]`` as a CSV-escaped Arrow string column."""
    return pc.take(pa.array([csv_cell(t) for t in texts]), pa.array(codes.astype(np.int32)))


CSV_CHUNK_ROWS = 100_000


def write_csv_columns(
    path: Path, header: tuple[str, ...], columns: list, rows: int, prefix: bytes = b""
) -> None:
    """Write a CSV whose cells are already escaped: an Arrow kernel joins each row's cells."""
    with path.open("wb") as handle:
        handle.write(prefix + (",".join(csv_cell(h) for h in header) + "\n").encode())
        for start in range(0, rows, CSV_CHUNK_ROWS):
            parts = [
                c if isinstance(c, pa.Scalar) else c.slice(start, CSV_CHUNK_ROWS) for c in columns
            ]
            line = pc.binary_join_element_wise(*parts, ",")
            line = pc.binary_join_element_wise(line, "\n", "")
            offsets = np.frombuffer(line.buffers()[1], dtype=np.int32)
            first, last = offsets[line.offset], offsets[line.offset + len(line)]
            handle.write(memoryview(line.buffers()[2])[first:last])


# --------------------------------------------------------------------------- requests


def build_requests(
    n: int, first: date, last: date, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Column arrays of ``n`` requests created in [first, last], oldest first."""
    quartiers = districts()
    types = categories()
    days = pd.date_range(first, last, freq="D")
    weekday = WEEKDAY_FACTOR[days.day_of_week]
    month = MONTH_FACTOR[days.month - 1]
    trend = 1.0 + 0.15 * np.arange(len(days)) / len(days)  # a city that grows a little
    season = np.array([[CATEGORIES[t.parent].months[m - 1] for t in types] for m in days.month])
    weights = np.array([t.weight for t in types])
    lam = (weekday * month * trend)[:, None] * season * weights[None, :]
    counts = rng.multinomial(n, (lam / lam.sum()).ravel()).reshape(lam.shape)
    day_index, type_index = np.nonzero(counts)
    repeats = counts[day_index, type_index]
    day_index, type_index = np.repeat(day_index, repeats), np.repeat(type_index, repeats)

    channel = rng.choice(len(CHANNELS), size=n, p=CHANNEL_P)
    phone = np.isin(np.array(CHANNELS)[channel], ("PHONE", "UNKNOWN"))
    hour = np.where(
        phone,
        rng.choice(24, size=n, p=PHONE_HOURS / PHONE_HOURS.sum()),
        rng.choice(24, size=n, p=WEB_HOURS / WEB_HOURS.sum()),
    )
    created = local_midnights_utc(days)[day_index] + hour * 3600 + rng.integers(0, 3600, size=n)
    order = np.argsort(created, kind="stable")
    created, type_index, channel = created[order], type_index[order], channel[order]

    parent = np.array([t.parent for t in types])[type_index]
    medians = np.array([c.median_hours for c in CATEGORIES])[parent]
    sigmas = np.array([c.sigma for c in CATEGORIES])[parent]
    delay_s = np.exp(np.log(medians) + sigmas * rng.standard_normal(n)) * 3600
    closed = created + np.maximum(60, delay_s).astype(np.int64)
    export = int(local_midnights_utc(pd.DatetimeIndex([last + timedelta(days=1)]))[0])
    stuck = rng.random(n) < np.array([c.stuck for c in CATEGORIES])[parent]
    is_open = stuck | (closed >= export)
    acknowledged = is_open & (rng.random(n) < 0.75)
    ack = created + (rng.lognormal(np.log(7200), 1.0, size=n)).astype(np.int64)
    acknowledged &= ack < export
    quartier = rng.choice(len(quartiers), size=n, p=_normalised([q.weight for q in quartiers]))
    return {
        "created": created,
        "closed": closed,
        "is_open": is_open,
        "acknowledged": acknowledged,
        "updated": np.where(is_open, ack, closed + rng.integers(5, 90, size=n)),
        "due": created
        + np.array([c.due_days for c in CATEGORIES])[parent].astype(np.int64) * 86_400,
        "type": type_index,
        "parent": parent,
        "channel": channel,
        "quartier": quartier,
        "resolution": rng.integers(0, 3, size=n),
        "location": rng.integers(0, 3, size=n),
        "street": rng.integers(0, 1 << 30, size=n),
        "number": rng.integers(1, 120, size=n),
        "address_roll": rng.random(n),
        "geocoded": rng.random(n) >= 0.006,
        "lat_noise": rng.normal(0, 0.0035, n),
        "lon_noise": rng.normal(0, 0.005, n),
        "key": 60_000_000 + np.cumsum(rng.integers(1, 5, size=n)),
    }


def _normalised(weights: list[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def request_columns(r: dict[str, np.ndarray], rows: np.ndarray) -> list:
    """The 41 NYC 311 columns of the requests at positions ``rows``, as escaped Arrow text."""
    quartiers = districts()
    types = categories()
    n = len(rows)
    pick = {name: values[rows] for name, values in r.items()}
    empty = pa.scalar("")

    # Street of the request: one of its quartier's streets, cross streets the next two.
    streets = [q.streets for q in quartiers]
    flat_streets = [s for group in streets for s in group]
    base = np.cumsum([0] + [len(g) for g in streets])[:-1]
    sizes = np.array([len(g) for g in streets])
    q = pick["quartier"]
    street = base[q] + pick["street"] % sizes[q]
    cross1 = base[q] + (pick["street"] + 1) % sizes[q]
    cross2 = base[q] + (pick["street"] + 2) % sizes[q]
    roll = pick["address_roll"]
    is_address = roll < 0.88
    is_intersection = (roll >= 0.88) & (roll < 0.97)
    blank = len(flat_streets)
    streets_or_blank = [*flat_streets, ""]
    number_text = pc.cast(pa.array(pick["number"]), pa.string())
    street_text = vocabulary(streets_or_blank, np.where(is_address, street, blank))
    address = pc.if_else(
        pa.array(is_address),
        pc.binary_join_element_wise(number_text, vocabulary(flat_streets, street), " "),
        "",
    )
    address_type = vocabulary(
        ["ADDRESS", "INTERSECTION", ""], np.select([is_address, is_intersection], [0, 1], 2)
    )
    inter1 = vocabulary(
        streets_or_blank, np.select([is_address, is_intersection], [cross1, street], blank)
    )
    inter2 = vocabulary(
        streets_or_blank, np.select([is_address, is_intersection], [cross2, cross1], blank)
    )
    cross1_text = vocabulary(streets_or_blank, np.where(is_address, cross1, blank))
    cross2_text = vocabulary(streets_or_blank, np.where(is_address, cross2, blank))

    parent = pick["parent"]
    location_types = [lt for c in CATEGORIES for lt in (list(c.location_types) * 3)[:3]]
    location_code = parent * 3 + pick["location"]
    location_type = vocabulary(location_types, location_code)
    park_location = np.array([lt == "Parc / jardin public" for lt in location_types])[location_code]
    parks = [qq.park for qq in quartiers]
    park = vocabulary([*parks, "Unspecified"], np.where(park_location, q, len(parks)))
    landmark = pc.if_else(pa.array(park_location), vocabulary(parks, q), street_text)

    is_open = pick["is_open"]
    status = vocabulary(
        ["Closed", "In Progress", "Open"],
        np.where(~is_open, 0, np.where(pick["acknowledged"], 1, 2)),
    )
    resolutions = [res for c in CATEGORIES for res in c.resolutions[:3]]
    in_progress = [
        f"Demande prise en charge ({c.agency_name}). Une intervention est programmée."
        for c in CATEGORIES
    ]
    resolution_code = np.where(
        ~is_open,
        parent * 3 + pick["resolution"],
        np.where(
            pick["acknowledged"], len(resolutions) + parent, len(resolutions) + len(in_progress)
        ),
    )
    resolution = vocabulary([*resolutions, *in_progress, ""], resolution_code)
    updated_missing = is_open & ~pick["acknowledged"]

    geocoded = pick["geocoded"]
    lat = np.array([qq.lat for qq in quartiers])[q] + pick["lat_noise"]
    lon = np.array([qq.lon for qq in quartiers])[q] + pick["lon_noise"]
    lat_text = pc.if_else(pa.array(geocoded), pc.cast(pa.array(lat), pa.string()), "")
    lon_text = pc.if_else(pa.array(geocoded), pc.cast(pa.array(lon), pa.string()), "")
    x = pc.cast(pa.array(np.round(525_600 + (lon - 0.69) * 75_500).astype(np.int64)), pa.string())
    y = pc.cast(
        pa.array(np.round(6_701_000 + (lat - 47.39) * 111_200).astype(np.int64)), pa.string()
    )
    location = pc.if_else(
        pa.array(geocoded),
        pc.binary_join_element_wise('"(', lat_text, ", ", lon_text, ')"', ""),
        "",
    )

    created = us_times(pick["created"])
    defects = np.flatnonzero(rows % DEFECT_EVERY == DEFECT_EVERY // 2)
    if len(defects):
        mask = np.zeros(n, dtype=bool)
        mask[defects] = True
        created = pc.replace_with_mask(
            created, pa.array(mask), pa.array(["31/02/2025 25:61"] * len(defects))
        )
    type_codes = pick["type"]
    return [
        pc.cast(pa.array(pick["key"]), pa.string()),  # Unique Key
        created,  # Created Date
        us_times(pick["closed"], missing=is_open),  # Closed Date
        vocabulary([c.agency for c in CATEGORIES], parent),  # Agency
        vocabulary([c.agency_name for c in CATEGORIES], parent),  # Agency Name
        vocabulary([t.complaint_type for t in types], type_codes),  # Complaint Type
        vocabulary([t.descriptor for t in types], type_codes),  # Descriptor
        location_type,  # Location Type
        vocabulary(list(POSTCODES), q),  # Incident Zip
        address,  # Incident Address
        street_text,  # Street Name
        cross1_text,  # Cross Street 1
        cross2_text,  # Cross Street 2
        inter1,  # Intersection Street 1
        inter2,  # Intersection Street 2
        address_type,  # Address Type
        pa.scalar(CITY),  # City
        landmark,  # Landmark
        empty,  # Facility Type
        status,  # Status
        us_times(pick["due"]),  # Due Date
        resolution,  # Resolution Description
        us_times(pick["updated"], missing=updated_missing),  # Resolution Action Updated Date
        vocabulary([f"{qq.number:02d} {qq.name}" for qq in quartiers], q),  # Community Board
        empty,  # BBL
        vocabulary([qq.name for qq in quartiers], q),  # Borough
        pc.if_else(pa.array(geocoded), x, ""),  # X Coordinate (State Plane)
        pc.if_else(pa.array(geocoded), y, ""),  # Y Coordinate (State Plane)
        vocabulary(list(CHANNELS), pick["channel"]),  # Open Data Channel Type
        park,  # Park Facility Name
        vocabulary([qq.name for qq in quartiers], q),  # Park Borough
        empty,  # Vehicle Type
        empty,  # Taxi Company Borough
        empty,  # Taxi Pick Up Location
        empty,  # Bridge Highway Name
        empty,  # Bridge Highway Direction
        empty,  # Road Ramp
        empty,  # Bridge Highway Segment
        lat_text,  # Latitude
        lon_text,  # Longitude
        location,  # Location
    ]


def write_requests(
    out: Path, n: int, first: date, last: date, rng: np.random.Generator, yearly: bool
) -> list[GeneratedFile]:
    """The request CSV file(s): one file, or one per calendar year of creation."""
    if n <= 0:
        return []
    r = build_requests(n, first, last, rng)
    if yearly:
        years = pd.DatetimeIndex(local_seconds(r["created"]).astype("datetime64[s]")).year
        groups = [
            (f"311_Service_Requests_{CITY}_{y}.csv", np.flatnonzero(years == y))
            for y in sorted(set(years))
        ]
    else:
        groups = [(f"311_Service_Requests_{CITY}.csv", np.arange(n))]
    written = []
    for name, rows in groups:
        path = out / name
        write_csv_columns(path, NYC311_COLUMNS, request_columns(r, rows), len(rows))
        written.append(
            GeneratedFile(name, REQUEST_FORMAT, "request", len(rows), path.stat().st_size)
        )
    return written


# --------------------------------------------------------------------------- posts and comments


POST_TYPES = ("Photos", "Links", "Videos", "Reels", "Text")
POST_TYPE_P = (0.52, 0.18, 0.1, 0.12, 0.08)
POST_TEMPLATES = (
    "Travaux {rue} ({quartier}) : la circulation sera alternée à partir du {jour}. Merci de "
    "votre patience.",
    "Conseil de quartier {quartier} le {jour} à 18 h 30 : venez nombreux !",
    "Collecte des encombrants dans le quartier {quartier} le {jour}. Pensez à sortir vos objets "
    "la veille au soir.",
    "Inauguration du nouveau square {rue} le {jour} à 11 h. Ouvert à tous.",
    "Alerte météo : vigilance orange orages ce {jour}. Les parcs sont fermés par précaution.",
    "La médiathèque du quartier {quartier} ouvre le dimanche à partir du {jour} 📚",
    "Budget participatif : votez pour les projets de votre quartier jusqu'au {jour} !",
    "Fête de quartier à {quartier} le {jour} : animations, musique et repas partagé 🎉",
    "Opération propreté {rue} le {jour} : merci aux bénévoles !",
    "Rappel : le marché de {quartier} est déplacé {rue} le {jour}.",
)
KIND_MIX = (
    (QUESTION, 0.3),
    (PLAINTE, 0.26),
    (MERCI, 0.2),
    (PROPOSITION, 0.1),
    (CRITIQUE, 0.07),
    (TAG, 0.07),
)
QUESTIONS = GENERIC_QUESTIONS + tuple(
    pair for pairs in QUESTIONS_BY_TOPIC.values() for pair in pairs
)
SITE = "www.grand-parvis.fr"


class _Fill(dict):
    """Template values; a placeholder the benchmark does not model reads as a plain phrase."""

    def __missing__(self, key: str) -> str:
        return {"date": "samedi 14 mars", "jour": "samedi", "annee": "2026"}.get(key, "ce projet")


PHONE = "02 61 91 20 00"


@dataclass
class _Post:
    object_id: int
    published: int  # UTC epoch seconds
    post_type: str
    text: str
    reach: int
    views: int
    reactions: int
    shares: int
    clicks: int
    comments: list  # Graph comment dicts (top level, replies nested)
    comment_count: int = 0

    @property
    def full_id(self) -> str:
        return f"{PAGE_ID}_{self.object_id}"


def build_posts(p: int, first: date, last: date, rng: np.random.Generator) -> list[_Post]:
    quartiers = districts()
    days = pd.date_range(first, last, freq="D")
    day_weight = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.2])[days.day_of_week]
    counts = rng.multinomial(p, day_weight / day_weight.sum())
    day_index = np.repeat(np.arange(len(days)), counts)
    minutes = rng.uniform(8.5 * 60, 19 * 60, size=p).astype(np.int64)
    published = local_midnights_utc(days)[day_index] + minutes * 60
    published.sort()
    ids = 122_130_000_000_000_000 + np.cumsum(rng.integers(20_000_000, 90_000_000, size=p))
    types = rng.choice(len(POST_TYPES), size=p, p=POST_TYPE_P)
    reach = np.maximum(60, rng.lognormal(np.log(6000), 0.6, size=p)).astype(np.int64)
    templates = rng.integers(0, len(POST_TEMPLATES), size=p)
    places = rng.integers(0, len(quartiers), size=p)
    streets = rng.integers(0, 1 << 30, size=p)
    day_offset = rng.integers(2, 15, size=p)
    views = (reach * rng.uniform(1.2, 1.9, size=p)).astype(np.int64)
    reactions = (reach * 0.02 * rng.lognormal(0, 0.35, size=p)).astype(np.int64)
    shares = rng.poisson(reach * 0.002)
    clicks = (reach * rng.uniform(0.02, 0.05, size=p)).astype(np.int64)
    posts = []
    for i in range(p):
        quartier = quartiers[places[i]]
        when = days[day_index[i]].date() + timedelta(days=int(day_offset[i]))
        text = POST_TEMPLATES[templates[i]].format(
            rue=quartier.streets[streets[i] % len(quartier.streets)],
            quartier=quartier.name,
            jour=f"{when.day}/{when.month:02d}",
        )
        posts.append(
            _Post(
                int(ids[i]),
                int(published[i]),
                POST_TYPES[types[i]],
                text,
                int(reach[i]),
                int(views[i]),
                int(reactions[i]),
                int(shares[i]),
                int(clicks[i]),
                [],
            )
        )
    return posts


def _graph_time(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(seconds))


def add_comments(
    posts: list[_Post], m: int, export: int, rng: np.random.Generator
) -> tuple[int, int]:
    """Attach ``m`` residents' messages (top-level comments, neighbours' replies and
    follow-ups) and the page's replies to ``posts``; returns (resident, staff) counts."""
    if m <= 0 or not posts:
        return 0, 0
    quartiers = districts()
    p = len(posts)
    top = max(1, round(m * 0.85))
    extra = m - top
    pairs = len(FIRST_NAMES) * len(LAST_NAMES)
    pool = min(pairs, max(50, m // 5))
    pair_codes = rng.choice(pairs, size=pool, replace=False)
    user_ids = 100_000_000_000_000 + np.cumsum(rng.integers(1, 50_000_000, size=pool))
    resident_quartier = rng.choice(len(quartiers), size=pool)
    # Zipf-like activity: a few regulars write many comments.
    activity = _normalised(list(1.0 / (np.arange(pool) + 8) ** 0.9))
    appetite = _normalised(list(rng.lognormal(0, 1.0, size=p)))

    post_of = np.sort(rng.choice(p, size=top, p=appetite))
    published = np.array([post.published for post in posts])
    roll = rng.random(top)
    delay_min = np.where(
        roll < 0.7,
        rng.exponential(120, size=top),
        np.where(roll < 0.95, rng.exponential(720, size=top), rng.uniform(1440, 14_400, size=top)),
    )
    at = published[post_of] + 120 + (delay_min * 60).astype(np.int64)
    late = at >= export
    at[late] = published[post_of[late]] + (
        (export - published[post_of[late]]) * rng.random(late.sum())
    ).astype(np.int64)
    author = rng.choice(pool, size=top, p=activity)
    kinds = np.array([k for k, _ in KIND_MIX])[
        rng.choice(len(KIND_MIX), size=top, p=[w for _, w in KIND_MIX])
    ]
    hidden = rng.random(top) < 0.02
    reply_rate = np.array([REPLY_RATE[k] for k in kinds])
    staff_at = at + (rng.lognormal(np.log(180), 1.2, size=top) * 60).astype(np.int64)
    answered = (rng.random(top) < reply_rate * 0.55) & ~hidden & (staff_at < export)
    extra_thread = rng.choice(top, size=extra)
    extra_at = at[extra_thread] + 60 + (rng.exponential(240, size=extra) * 60).astype(np.int64)
    extra_at = np.minimum(extra_at, export - 1)
    extra_author = rng.choice(pool, size=extra, p=activity)
    follow_up = answered[extra_thread] & (rng.random(extra) < 0.5)
    comment_ids = 1_180_000_000_000_000 + np.cumsum(
        rng.integers(1_000_000, 90_000_000, size=3 * top + extra)
    )
    choices = rng.integers(0, 1 << 30, size=(top + extra + top, 4))
    shows_from = rng.random(top + extra) >= 0.032

    def person(index: int) -> tuple[str, str, str, District]:
        code = int(pair_codes[index])
        first_name = FIRST_NAMES[code // len(LAST_NAMES)]
        return (
            first_name,
            f"{first_name} {LAST_NAMES[code % len(LAST_NAMES)]}",
            str(user_ids[index]),
            quartiers[resident_quartier[index]],
        )

    def pick(seq, value):
        return seq[int(value) % len(seq)]

    def resident_from(index: int, position: int) -> dict | None:
        if not shows_from[position]:
            return None
        _, name, user_id, _ = person(index)
        return {"name": name, "id": user_id}

    threads: list[dict] = []
    answers: list[str] = []
    first_names: list[str] = []
    for i in range(top):
        first_name, name, _, quartier = person(author[i])
        c = choices[i]
        ctx = _Fill(
            rue=pick(quartier.streets, c[0]),
            quartier=quartier.name,
            lieu=f"le {quartier.park[0].lower()}{quartier.park[1:]}",
            duree=pick(DUREES, c[1]),
            neg=pick(EMOJIS_NEGATIVE, c[2]),
            pos=pick(EMOJIS_POSITIVE, c[2]),
            ami=person(int(c[3]) % pool)[1],
            rue2=pick(quartier.streets, c[1]),
            site=SITE,
            tel=PHONE,
        )
        kind = kinds[i]
        answer = ""
        if hidden[i]:
            text = pick(SPAM, c[1])
        elif kind == QUESTION:
            question, answer = pick(QUESTIONS, c[1] >> 3)
            text = contract(question.format_map(ctx))
            answer = answer.format_map(ctx)
            if not text.startswith("Bonjour") and c[2] % 3 == 0:
                text = "Bonjour, " + text[0].lower() + text[1:]
        else:
            bank = {
                PLAINTE: PLAINTES,
                MERCI: MERCIS,
                PROPOSITION: PROPOSITIONS,
                CRITIQUE: CRITIQUES,
                TAG: TAGS,
            }[kind]
            text = contract(pick(bank, c[1] >> 3).format_map(ctx))
        if kind in (PLAINTE, QUESTION, PROPOSITION) and not hidden[i]:
            extra_roll = int(c[0] >> 8) % 1000
            if extra_roll < 35:
                text += f" Vous pouvez m'appeler au 06 39 98 {c[1] % 100:02d} {c[2] % 100:02d}."
            elif extra_roll < 60:
                text += f" J'habite au {1 + c[3] % 60} {ctx['rue']}, venez constater."
        threads.append(
            {
                "id": None,  # set once the post is known
                "created_time": _graph_time(int(at[i])),
                "message": text,
                "from": resident_from(author[i], i),
                "is_hidden": bool(hidden[i]),
                "_replies": [],
                "_kind": kind,
            }
        )
        answers.append(answer)
        first_names.append(first_name)
    for j in range(extra):
        thread = threads[extra_thread[j]]
        c = choices[top + j]
        if follow_up[j]:
            ok = thread["_kind"] != PLAINTE or c[0] % 2 == 0
            text = pick(FOLLOW_UPS_OK if ok else FOLLOW_UPS_KO, c[1])
            author_of = author[extra_thread[j]]
        else:
            streets = person(extra_author[j])[3].streets
            text = pick(RESIDENT_REPLIES, c[1]).format(
                rue=pick(streets, c[2]), ami=person(int(c[3]) % pool)[1]
            )
            author_of = extra_author[j]
        thread["_replies"].append(
            (
                int(extra_at[j]),
                {
                    "created_time": _graph_time(int(extra_at[j])),
                    "message": text,
                    "from": resident_from(author_of, top + j),
                    "is_hidden": False,
                },
            )
        )
    staff = 0
    for i in np.flatnonzero(answered):
        thread = threads[i]
        c = choices[top + extra + i]
        kind = thread["_kind"]
        if kind == QUESTION:
            text = f"Bonjour {first_names[i]}, {answers[i]}"
        else:
            bank = {
                PLAINTE: STAFF_PLAINTE,
                PROPOSITION: STAFF_PROPOSITION,
                CRITIQUE: STAFF_CRITIQUE,
            }.get(kind, STAFF_MERCI)
            text = pick(bank, c[0]).format_map({"prenom": first_names[i]})
        text += pick(SIGNATURES, c[1])
        page = {"name": PAGE_NAME, "id": PAGE_ID}
        thread["_replies"].append(
            (
                int(staff_at[i]),
                {
                    "created_time": _graph_time(int(staff_at[i])),
                    "message": text,
                    "from": page,
                    "is_hidden": False,
                },
            )
        )
        staff += 1
        if c[2] % 5 == 0 and staff_at[i] + 3600 < export:  # the page answers the comeback too
            second = pick(STAFF_SECOND_KO if kind == PLAINTE else STAFF_SECOND_OK, c[3])
            when = int(staff_at[i]) + 3600 + int(c[3] % 7200)
            if when < export:
                thread["_replies"].append(
                    (
                        when,
                        {
                            "created_time": _graph_time(when),
                            "message": second,
                            "from": page,
                            "is_hidden": False,
                        },
                    )
                )
                staff += 1

    serial = iter(comment_ids)
    for i, thread in enumerate(threads):
        post = posts[post_of[i]]
        thread["id"] = f"{post.object_id}_{next(serial)}"
        replies = [reply for _, reply in sorted(thread.pop("_replies"), key=lambda item: item[0])]
        thread.pop("_kind")
        for reply in replies:
            reply_item = {"id": f"{post.object_id}_{next(serial)}", **reply}
            if reply_item["from"] is None:
                del reply_item["from"]
            reply.clear()
            reply.update(reply_item)
        if thread["from"] is None:
            del thread["from"]
        if replies:
            thread["comments"] = {
                "data": replies,
                "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}},
            }
        post.comments.append(thread)
        post.comment_count += 1 + len(replies)
    for post in posts:
        post.comments.sort(key=lambda comment: comment["created_time"])
    return m, staff


def quarters(first: date, last: date) -> list[tuple[date, date]]:
    out = []
    start = first
    while start <= last:
        end = month_end(add_months(start, 2))
        out.append((start, min(end, last)))
        start = end + timedelta(days=1)
    return out


def _stamp(d: date) -> str:
    return f"{EN_MONTHS[d.month - 1]}-{d.day:02d}-{d.year}"


def write_posts_and_comments(
    out: Path, p: int, m: int, first: date, last: date, rng: np.random.Generator
) -> tuple[list[GeneratedFile], int, int]:
    """Meta Business Suite CSV and Graph comment JSON, one of each a quarter."""
    if p <= 0:
        return [], 0, 0
    posts = build_posts(p, first, last, rng)
    export = int(local_midnights_utc(pd.DatetimeIndex([last + timedelta(days=1)]))[0])
    residents, staff = add_comments(posts, m, export, rng)
    files: list[GeneratedFile] = []
    wall = local_seconds(np.array([post.published for post in posts]))
    local_days = wall // 86_400
    wall_of = {post.object_id: int(w) for post, w in zip(posts, wall, strict=True)}
    for q_first, q_last in quarters(first, last):
        lo = (pd.Timestamp(q_first) - pd.Timestamp("1970-01-01")).days
        hi = (pd.Timestamp(q_last) - pd.Timestamp("1970-01-01")).days
        chunk = [posts[i] for i in np.flatnonzero((local_days >= lo) & (local_days <= hi))]
        if not chunk:
            continue
        name = f"{_stamp(q_first)}_{_stamp(q_last)}_{PAGE_ID}.csv"
        path = out / name
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(META_EN_COLUMNS)
        for post in sorted(chunk, key=lambda item: item.published, reverse=True):
            writer.writerow(_meta_row(post, wall_of[post.object_id]))
        path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
        files.append(
            GeneratedFile(name, POST_FORMAT, "publication", len(chunk), path.stat().st_size)
        )

        name = f"facebook_comments_{PAGE_ID}_{q_first:%Y-%m}_{q_last:%Y-%m}.json"
        path = out / name
        data = []
        count = 0
        for post in sorted(chunk, key=lambda item: item.published, reverse=True):
            item: dict[str, object] = {
                "id": post.full_id,
                "created_time": _graph_time(post.published),
                "message": post.text,
                "from": {"name": PAGE_NAME, "id": PAGE_ID},
            }
            if post.comments:
                item["comments"] = {
                    "data": post.comments,
                    "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}},
                }
            count += post.comment_count
            data.append(item)
        document = {"data": data, "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}}
        body = json.dumps(document, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
        path.write_bytes(body.encode("ascii"))
        files.append(GeneratedFile(name, MESSAGE_FORMAT, "message", count, path.stat().st_size))
    return files, residents, staff


def _meta_row(post: _Post, wall: int) -> list[str]:
    is_video = post.post_type in ("Videos", "Reels")
    title = post.text.split(":")[0][:60] if is_video else post.text
    description = post.text if is_video else ""
    engagement = post.reactions + post.comment_count + post.shares
    link = post.clicks // 2 if post.post_type == "Links" else 0
    permalink = f"https://www.facebook.com/{PAGE_ID}/posts/{post.object_id}"
    row = {
        "Post ID": post.full_id,
        "Page ID": PAGE_ID,
        "Page name": PAGE_NAME,
        "Title": title,
        "Description": description,
        "Publish time": time.strftime("%m/%d/%Y %H:%M", time.gmtime(wall)),
        "Permalink": permalink,
        "Is crosspost": "No",
        "Is share": "No",
        "Post type": post.post_type,
        "Date": "Lifetime",
        "Views": str(post.views),
        "Reach": str(post.reach),
        "Reactions, Comments and Shares": str(engagement),
        "Reactions": str(post.reactions),
        "Comments": str(post.comment_count),
        "Shares": str(post.shares),
        "Total clicks": str(post.clicks),
        "Link clicks": str(link),
        "Other clicks": str(post.clicks - link),
        "Matched Audience Targeting Consumption (Photo Click)": "0",
        "Negative feedback from users: Hide all": "0",
        "Negative feedback from users: Hide": "0",
    }
    return [row.get(column, "") for column in META_EN_COLUMNS]


# --------------------------------------------------------------------------- entry points


def generate(
    out: Path,
    requests: int = DEFAULT_REQUESTS,
    messages: int = DEFAULT_MESSAGES,
    posts: int = DEFAULT_POSTS,
    end: date | None = None,
    seed: int = 2026,
    yearly: bool = False,
) -> dict:
    """Write every file into ``out`` and ``manifest.json``; returns the manifest."""
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    end = end or default_end(date.today())
    first, last = window(end)
    files = write_requests(out, requests, first, last, np.random.default_rng([seed, 311]), yearly)
    social, residents, staff = write_posts_and_comments(
        out, posts, messages if posts > 0 else 0, first, last, np.random.default_rng([seed, 7])
    )
    files += social
    manifest = {
        "seed": seed,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "timezone": TIMEZONE,
        "requests": requests,
        "resident_messages": residents,
        "staff_messages": staff,
        "posts": posts,
        "categories": CATEGORY_COUNT,
        "quartiers": len(districts()),
        "files": [asdict(f) for f in files],
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/generate.py",
        description="Écrit les exports d'une grande ville (formats réels) pour le banc d'essai.",
    )
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="demandes 311")
    parser.add_argument(
        "--messages", type=int, default=DEFAULT_MESSAGES, help="messages d'habitants"
    )
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS, help="publications")
    parser.add_argument("--out", type=Path, required=True, help="dossier de sortie")
    parser.add_argument(
        "--end", type=date.fromisoformat, default=None, help="dernier jour (fin de mois)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--yearly", action="store_true", help="un fichier 311 par année")
    args = parser.parse_args(argv)
    try:
        manifest = generate(
            args.out, args.requests, args.messages, args.posts, args.end, args.seed, args.yearly
        )
    except ValueError as exc:
        parser.error(str(exc))
    for f in manifest["files"]:
        print(f"{f['format_id']:<18} {_n(f['rows']):>9}  {f['bytes'] / 1e6:>8.1f} MB  {f['name']}")
    total = sum(f["bytes"] for f in manifest["files"])
    print(
        f"{len(manifest['files'])} fichiers, {total / 1e6:.1f} MB, "
        f"{_n(manifest['resident_messages'])} messages d'habitants + "
        f"{_n(manifest['staff_messages'])} réponses, en {manifest['seconds']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
