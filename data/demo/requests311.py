"""Demo GRC service requests of Val-de-Parvis, written in the NYC 311 open-data CSV layout."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from data.demo.clock import Window, add_office_minutes, local, to_utc
from data.demo.commune import CENTRE, COMMUNE, POSTCODE, QUARTIERS

NYC311_COLUMNS = (
    "Unique Key",
    "Created Date",
    "Closed Date",
    "Agency",
    "Agency Name",
    "Complaint Type",
    "Descriptor",
    "Location Type",
    "Incident Zip",
    "Incident Address",
    "Street Name",
    "Cross Street 1",
    "Cross Street 2",
    "Intersection Street 1",
    "Intersection Street 2",
    "Address Type",
    "City",
    "Landmark",
    "Facility Type",
    "Status",
    "Due Date",
    "Resolution Description",
    "Resolution Action Updated Date",
    "Community Board",
    "BBL",
    "Borough",
    "X Coordinate (State Plane)",
    "Y Coordinate (State Plane)",
    "Open Data Channel Type",
    "Park Facility Name",
    "Park Borough",
    "Vehicle Type",
    "Taxi Company Borough",
    "Taxi Pick Up Location",
    "Bridge Highway Name",
    "Bridge Highway Direction",
    "Road Ramp",
    "Bridge Highway Segment",
    "Latitude",
    "Longitude",
    "Location",
)

TARGET_PER_YEAR = 4000
CHANNELS = ("PHONE", "ONLINE", "MOBILE", "UNKNOWN")
CHANNEL_P = (0.30, 0.38, 0.27, 0.05)
WEEKDAY_FACTOR = np.array([1.3, 1.15, 1.1, 1.1, 1.05, 0.6, 0.45])
MONTH_FACTOR = np.array([1.0, 0.95, 1.0, 1.0, 1.05, 1.1, 1.05, 0.8, 1.05, 1.05, 1.0, 0.9])
# Hour of day residents file online or from the app: evenings, hardly at night.
WEB_HOURS = np.array(
    [0.3, 0.15, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 2.5, 3, 3, 2.8, 2.6, 2.8, 2.8, 2.7]
    + [2.7, 2.9, 3.2, 3.4, 3.3, 2.8, 1.8, 0.8]
)
PHONE_HOURS = np.array([0] * 8 + [1.2, 2.5, 2.5, 2.0, 0.3, 0.8, 2.3, 2.2, 2.0, 0.6] + [0] * 6)


@dataclass(frozen=True)
class Category:
    name: str
    agency: str
    agency_name: str
    weight: float
    months: tuple[float, ...]  # seasonality, January first
    descriptors: tuple[tuple[str, float], ...]
    location_types: tuple[str, ...]
    median_hours: float  # resolution time
    sigma: float
    due_days: int  # deadline announced to the resident
    office: bool  # closed by staff working office hours (not patrols)
    stuck: float  # share never resolved: the backlog
    resolutions: tuple[str, ...]


FLAT = (1.0,) * 12
CATEGORIES: tuple[Category, ...] = (
    Category(
        "Voirie",
        "DVE",
        "Direction de la Voirie et des Déplacements",
        0.17,
        (1.3, 1.5, 1.5, 1.2, 1.0, 0.9, 0.8, 0.7, 0.9, 1.0, 1.1, 1.2),
        (
            ("Nid-de-poule", 0.42),
            ("Trottoir dégradé", 0.22),
            ("Chaussée affaissée", 0.12),
            ("Marquage au sol effacé", 0.12),
            ("Panneau de signalisation endommagé", 0.12),
        ),
        ("Chaussée", "Trottoir", "Piste cyclable"),
        330,
        1.0,
        15,
        True,
        0.10,
        (
            "Réparation provisoire réalisée (enrobé à froid). Une réfection définitive est "
            "programmée.",
            "Intervention réalisée : la chaussée a été reprise.",
            "Le signalement concerne une route départementale : demande transmise au Département.",
        ),
    ),
    Category(
        "Propreté",
        "PROP",
        "Service Propreté urbaine",
        0.20,
        (0.9, 0.9, 1.0, 1.0, 1.1, 1.2, 1.3, 1.1, 1.0, 1.1, 1.0, 0.9),
        (
            ("Dépôt sauvage", 0.45),
            ("Corbeille pleine", 0.2),
            ("Déjections canines", 0.12),
            ("Verre brisé sur la voie", 0.08),
            ("Feuilles mortes", 0.15),
        ),
        ("Voie publique", "Trottoir", "Parc / jardin public"),
        40,
        0.9,
        3,
        True,
        0.03,
        (
            "Le dépôt a été enlevé. Une enquête est en cours pour identifier son auteur.",
            "Nettoyage effectué.",
            "Corbeille vidée ; la fréquence de passage a été augmentée.",
        ),
    ),
    Category(
        "Éclairage public",
        "ECL",
        "Service Éclairage public",
        0.10,
        (1.8, 1.5, 1.1, 0.7, 0.5, 0.4, 0.4, 0.5, 0.8, 1.3, 1.7, 1.9),
        (
            ("Lampadaire éteint", 0.5),
            ("Rue entière dans le noir", 0.15),
            ("Lampadaire allumé en journée", 0.12),
            ("Candélabre endommagé", 0.13),
            ("Feu tricolore en panne", 0.1),
        ),
        ("Voie publique", "Parc / jardin public"),
        120,
        0.8,
        7,
        True,
        0.04,
        (
            "La lampe a été remplacée.",
            "Le défaut d'alimentation a été réparé par notre prestataire.",
            "Le candélabre a été sécurisé ; son remplacement est commandé.",
        ),
    ),
    Category(
        "Espaces verts",
        "EV",
        "Direction des Espaces verts",
        0.10,
        (0.4, 0.5, 1.0, 1.8, 2.2, 2.0, 1.4, 1.0, 1.0, 0.8, 0.5, 0.4),
        (
            ("Herbes hautes / tonte", 0.35),
            ("Taille de haie", 0.2),
            ("Arbre dangereux", 0.15),
            ("Aire de jeux dégradée", 0.15),
            ("Arrosage défectueux", 0.15),
        ),
        ("Parc / jardin public", "Voie publique", "Cimetière"),
        216,
        1.0,
        15,
        True,
        0.06,
        (
            "Tonte ou taille réalisée.",
            "L'arbre a été expertisé puis élagué.",
            "L'aire de jeux a été réparée et rouverte.",
        ),
    ),
    Category(
        "Stationnement",
        "PM",
        "Police municipale",
        0.13,
        FLAT,
        (
            ("Stationnement gênant", 0.4),
            ("Stationnement sur trottoir", 0.3),
            ("Véhicule ventouse", 0.18),
            ("Place PMR occupée", 0.12),
        ),
        ("Voie publique", "Trottoir", "Parking"),
        5,
        1.1,
        2,
        False,
        0.01,
        (
            "Un équipage de la police municipale s'est rendu sur place et a verbalisé le véhicule.",
            "Le véhicule n'était plus présent à l'arrivée de la patrouille.",
            "Mise en fourrière effectuée.",
        ),
    ),
    Category(
        "Bruit",
        "PM",
        "Police municipale",
        0.07,
        (0.7, 0.7, 0.8, 0.9, 1.1, 1.4, 1.6, 1.4, 1.0, 0.9, 0.8, 0.9),
        (
            ("Bruit de voisinage", 0.35),
            ("Musique amplifiée", 0.25),
            ("Bruit de chantier", 0.15),
            ("Aboiements", 0.12),
            ("Bruit d'établissement", 0.13),
        ),
        ("Habitation", "Commerce / bar", "Chantier"),
        18,
        1.3,
        3,
        False,
        0.02,
        (
            "La police municipale est intervenue et a rappelé la réglementation.",
            "Aucune nuisance constatée lors du passage de la patrouille.",
            "Un courrier de rappel a été adressé à l'établissement.",
        ),
    ),
    Category(
        "Eau et assainissement",
        "EAU",
        "Service Eau et Assainissement",
        0.07,
        (1.2, 1.1, 1.0, 0.9, 1.0, 0.9, 0.8, 0.8, 1.0, 1.3, 1.3, 1.2),
        (
            ("Fuite d'eau sur la voie", 0.3),
            ("Avaloir bouché", 0.3),
            ("Odeurs d'égout", 0.15),
            ("Inondation de chaussée", 0.1),
            ("Tampon bruyant", 0.15),
        ),
        ("Chaussée", "Trottoir"),
        30,
        1.0,
        5,
        True,
        0.025,
        (
            "La fuite a été réparée par le service des eaux.",
            "L'avaloir a été curé.",
            "Intervention réalisée sur le réseau d'assainissement.",
        ),
    ),
    Category(
        "Mobilier urbain",
        "CTM",
        "Centre technique municipal",
        0.07,
        FLAT,
        (
            ("Banc cassé", 0.3),
            ("Abri de bus dégradé", 0.2),
            ("Potelet arraché", 0.25),
            ("Barrière endommagée", 0.15),
            ("Panneau d'affichage dégradé", 0.1),
        ),
        ("Voie publique", "Arrêt de bus", "Parc / jardin public"),
        600,
        0.9,
        30,
        True,
        0.14,
        (
            "Le mobilier a été remplacé.",
            "Réparation effectuée par le centre technique municipal.",
            "Le potelet a été reposé.",
        ),
    ),
    Category(
        "Tags et graffitis",
        "PROP",
        "Service Propreté urbaine",
        0.05,
        FLAT,
        (
            ("Tag sur façade privée", 0.35),
            ("Tag sur bâtiment public", 0.3),
            ("Affichage sauvage", 0.25),
            ("Graffiti injurieux", 0.1),
        ),
        ("Bâtiment public", "Façade privée", "Mobilier urbain"),
        190,
        0.9,
        10,
        True,
        0.06,
        (
            "Les tags ont été effacés.",
            "Affiches retirées.",
            "Effacement réalisé avec l'accord du propriétaire.",
        ),
    ),
    Category(
        "Nuisibles et animaux",
        "HYG",
        "Service communal d'hygiène et de santé",
        0.04,
        (0.6, 0.6, 0.7, 0.9, 1.1, 1.4, 1.6, 1.6, 1.5, 1.0, 0.7, 0.6),
        (
            ("Rats", 0.35),
            ("Nid de frelons asiatiques", 0.3),
            ("Pigeons", 0.15),
            ("Animal errant", 0.2),
        ),
        ("Habitation", "Parc / jardin public", "Voie publique"),
        140,
        1.0,
        10,
        True,
        0.06,
        (
            "Le nid a été détruit par une entreprise spécialisée.",
            "Une campagne de dératisation a été menée dans le secteur.",
            "L'animal a été pris en charge par la fourrière animale.",
        ),
    ),
)


@dataclass(frozen=True)
class Request:
    created: datetime  # UTC
    closed: datetime | None
    due: datetime
    updated: datetime | None  # Resolution Action Updated Date
    status: str
    category: Category
    descriptor: str
    location_type: str
    quartier_index: int
    address_type: str
    street: str
    number: int
    cross: tuple[str, str]
    channel: str
    lat: float | None
    lon: float | None
    resolution: str
    vehicle: str = ""


def _daily_counts(window: Window, rng: np.random.Generator) -> np.ndarray:
    """Requests per (day, category): weekday rhythm, holidays, and each category's season."""
    days = window.days()
    weekday = WEEKDAY_FACTOR[[d.weekday() for d in days]]
    month = MONTH_FACTOR[[d.month - 1 for d in days]]
    season = np.array([[c.months[d.month - 1] for c in CATEGORIES] for d in days])
    weights = np.array([c.weight for c in CATEGORIES])
    lam = (weekday * month)[:, None] * season * weights[None, :]
    lam *= TARGET_PER_YEAR / lam.sum()
    return rng.poisson(lam)


def _minutes_of_day(channels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    phone = np.isin(channels, ("PHONE", "UNKNOWN"))
    hours = np.where(
        phone,
        rng.choice(24, size=len(channels), p=PHONE_HOURS / PHONE_HOURS.sum()),
        rng.choice(24, size=len(channels), p=WEB_HOURS / WEB_HOURS.sum()),
    )
    return hours * 60 + rng.uniform(0, 60, size=len(channels))


def _close(created: datetime, hours: float, category: Category, rng: random.Random) -> datetime:
    raw = created + timedelta(hours=hours)
    if category.office:
        # Agents record the closure when they are at work.
        return add_office_minutes(raw, rng.uniform(0, 40)).replace(microsecond=0)
    wall = local(raw)
    if 7 <= wall.hour < 23:
        return raw.replace(microsecond=0)
    # Night patrols log their interventions at the start of the morning shift.
    morning = wall.date() + timedelta(days=1 if wall.hour >= 23 else 0)
    return to_utc(morning, 7 * 60 + rng.uniform(0, 45)).replace(microsecond=0)


def build_requests(window: Window, seed: int) -> list[Request]:
    """All requests created in the window, oldest first, with their state at export time."""
    rng = np.random.default_rng([seed, 311])
    prng = random.Random(f"{seed}:311")
    days = window.days()
    export = window.end_utc
    counts = _daily_counts(window, rng)
    day_index, cat_index = np.nonzero(counts)
    repeats = counts[day_index, cat_index]
    day_index, cat_index = np.repeat(day_index, repeats), np.repeat(cat_index, repeats)
    n = len(day_index)
    channels = np.array(CHANNELS)[rng.choice(4, size=n, p=CHANNEL_P)]
    minutes = _minutes_of_day(channels, rng)
    quartiers = rng.choice(len(QUARTIERS), size=n, p=[q.weight for q in QUARTIERS])
    medians = np.array([c.median_hours for c in CATEGORIES])[cat_index]
    sigmas = np.array([c.sigma for c in CATEGORIES])[cat_index]
    delays = np.exp(np.log(medians) + sigmas * rng.standard_normal(n))
    stuck = rng.random(n) < np.array([c.stuck for c in CATEGORIES])[cat_index]
    acknowledged = rng.random(n) < 0.75
    ack_minutes = rng.lognormal(np.log(120), 1.0, size=n)
    lat = np.array([q.lat for q in QUARTIERS])[quartiers] + rng.normal(0, 0.0035, n)
    lon = np.array([q.lon for q in QUARTIERS])[quartiers] + rng.normal(0, 0.005, n)
    geocoded = rng.random(n) >= 0.006
    address_roll = rng.random(n)

    requests = []
    for i in range(n):
        category = CATEGORIES[cat_index[i]]
        quartier = QUARTIERS[quartiers[i]]
        created = to_utc(days[day_index[i]], float(minutes[i])).replace(microsecond=0)
        closed = None if stuck[i] else _close(created, float(delays[i]), category, prng)
        if closed is not None and closed >= export:
            closed = None
        ack = add_office_minutes(created, float(ack_minutes[i])).replace(microsecond=0)
        if closed is not None:
            status, updated = "Closed", closed + timedelta(seconds=prng.randint(5, 90))
            resolution = prng.choice(category.resolutions)
        elif acknowledged[i] and ack < export:
            status, updated = "In Progress", ack
            resolution = (
                f"Demande prise en charge ({category.agency_name}). Une intervention est "
                "programmée."
            )
        else:
            status, updated, resolution = "Open", None, ""
        street, *others = prng.sample(quartier.streets, 3)
        roll = address_roll[i]
        address_type = "ADDRESS" if roll < 0.88 else "INTERSECTION" if roll < 0.97 else ""
        descriptor = prng.choices(
            [d for d, _ in category.descriptors], weights=[w for _, w in category.descriptors]
        )[0]
        vehicle = (
            prng.choice(("Voiture particulière", "Camionnette"))
            if descriptor == "Véhicule ventouse"
            else ""
        )
        requests.append(
            Request(
                created=created,
                closed=closed,
                due=created + timedelta(days=category.due_days),
                updated=updated,
                status=status,
                category=category,
                descriptor=descriptor,
                location_type=prng.choice(category.location_types),
                quartier_index=int(quartiers[i]),
                address_type=address_type,
                street=street,
                number=prng.randint(1, 120),
                cross=(others[0], others[1]),
                channel=str(channels[i]),
                lat=float(lat[i]) if geocoded[i] else None,
                lon=float(lon[i]) if geocoded[i] else None,
                resolution=resolution,
                vehicle=vehicle,
            )
        )
    requests.sort(key=lambda r: r.created)
    return _with_anomalies(requests, window, prng)


def _with_anomalies(requests: list[Request], window: Window, rng: random.Random) -> list[Request]:
    """Plant the data-quality defects real GRC extracts have, for the importer to flag and keep."""
    middle = [i for i, r in enumerate(requests) if r.status == "Closed" and r.lat is not None]
    middle = middle[len(middle) // 4 : 3 * len(middle) // 4]
    picks = rng.sample(middle, 4)
    out = list(requests)
    # 1. Closed before it was created (a back-dated closure typed by hand).
    r = out[picks[0]]
    closed = r.created - timedelta(days=2, hours=3, minutes=12)
    out[picks[0]] = replace(r, closed=closed, updated=closed + timedelta(seconds=41))
    # 2. Marked closed, closure date lost in the extract.
    out[picks[1]] = replace(out[picks[1]], closed=None)
    # 3. Latitude and longitude swapped by a form.
    r = out[picks[2]]
    out[picks[2]] = replace(r, lat=r.lon, lon=r.lat)
    # 4. The same resident filed twice from the app; the agent closed the copy as a duplicate.
    r = out[picks[3]]
    created = r.created + timedelta(minutes=2, seconds=37)
    closed = add_office_minutes(created, 95).replace(microsecond=0)
    duplicate = replace(
        r,
        created=created,
        closed=closed,
        updated=closed + timedelta(seconds=12),
        channel="MOBILE",
        resolution="Demande en doublon, clôturée.",
    )
    out.insert(picks[3] + 1, duplicate)
    out.sort(key=lambda x: x.created)
    return out


def _us_time(instant: datetime | None) -> str:
    """``05/01/2022 12:00:03 AM`` in Europe/Paris wall time, without relying on the C locale."""
    if instant is None:
        return ""
    wall = local(instant)
    hour = wall.hour % 12 or 12
    half = "AM" if wall.hour < 12 else "PM"
    return f"{wall:%m/%d/%Y} {hour:02d}:{wall:%M:%S} {half}"


def _lambert93(lat: float, lon: float) -> tuple[int, int]:
    # Local linear approximation around the town centre; plenty for a plausible plane coordinate.
    x = 525_600 + (lon - CENTRE[1]) * 75_500
    y = 6_701_000 + (lat - CENTRE[0]) * 111_200
    return round(x), round(y)


def _row(key: int, r: Request) -> list[str]:
    quartier = QUARTIERS[r.quartier_index]
    park = quartier.park if r.location_type == "Parc / jardin public" else "Unspecified"
    if r.address_type == "ADDRESS":
        address, street = f"{r.number} {r.street}", r.street
        cross, intersection = r.cross, r.cross
    elif r.address_type == "INTERSECTION":
        address, street, cross, intersection = "", "", ("", ""), (r.street, r.cross[0])
    else:
        address, street, cross, intersection = "", "", ("", ""), ("", "")
    landmark = quartier.park if park != "Unspecified" else street
    if r.lat is None or r.lon is None:
        coords = ["", "", "", "", ""]
    else:
        x, y = _lambert93(r.lat, r.lon)
        coords = [str(x), str(y), repr(r.lat), repr(r.lon), f"({r.lat!r}, {r.lon!r})"]
    return [
        str(key),
        _us_time(r.created),
        _us_time(r.closed),
        r.category.agency,
        r.category.agency_name,
        r.category.name,
        r.descriptor,
        r.location_type,
        POSTCODE,
        address,
        street,
        cross[0],
        cross[1],
        intersection[0],
        intersection[1],
        r.address_type,
        COMMUNE,
        landmark,
        "",
        r.status,
        _us_time(r.due),
        r.resolution,
        _us_time(r.updated),
        f"{quartier.number:02d} {quartier.name}",
        "",
        quartier.name,
        coords[0],
        coords[1],
        r.channel,
        park,
        quartier.name,
        r.vehicle,
        "",
        "",
        "",
        "",
        "",
        "",
        coords[2],
        coords[3],
        coords[4],
    ]


def nyc311_file_name(year: int) -> str:
    return f"311_Service_Requests_valdeparvis_{year}.csv"


def write_311_years(out_dir: Path, requests: list[Request], seed: int) -> list[tuple[Path, int]]:
    """One file per calendar year of creation, as the open-data portal filters them."""
    rng = random.Random(f"{seed}:311-keys")
    key = 30_412_000
    by_year: dict[int, list[list[str]]] = {}
    for r in requests:
        key += rng.randint(1, 4)
        by_year.setdefault(local(r.created).year, []).append(_row(key, r))
    written = []
    for year in sorted(by_year):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(NYC311_COLUMNS)
        writer.writerows(by_year[year])
        path = out_dir / nyc311_file_name(year)
        path.write_bytes(buffer.getvalue().encode("utf-8"))
        written.append((path, len(by_year[year])))
    return written
