"""The collectivité's settings: defaults, validation, and reading/writing them through the store.

Every setter validates what it is given and raises :class:`SettingsError`, whose text is a French
sentence an agent can act on; every getter returns a typed value, with the default for what was
never set. :func:`section_options_from_settings` turns them into the options of the figures.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import Engine

from metrics.requests import DEFAULT_MINIMUM_GROUP_SIZE
from metrics.responses import DEFAULT_RESPONSE_TARGETS
from metrics.sections import SectionOptions
from metrics.targets import TARGET_UNITS, Target
from metrics.working_time import DEFAULT_RANGES, REGIONS, WEEKDAY_NAMES, WorkingCalendar
from store import repository

DEFAULT_TIMEZONE = "Europe/Paris"
DEFAULT_REGION = "metropole"
MAX_NAME_LENGTH = 200
MAX_ACCOUNTS = 200
MAX_GROUP_SIZE = 1000
MAX_POPULATION = 10_000_000

# Stored keys (the settings table holds JSON values).
KEY_NAME = "name"
KEY_TIMEZONE = "timezone"
KEY_OUR_ACCOUNTS = "our_accounts"
KEY_REGION = "holidays_region"
KEY_OPENING_HOURS = "opening_hours"
KEY_REQUEST_TARGETS = "request_targets"
KEY_RESPONSE_TARGETS = "response_targets"
KEY_POPULATIONS = "populations"
KEY_MINIMUM_GROUP_SIZE = "minimum_group_size"
KEY_QUARTIER_MAP = "quartier_geojson"

REGION_LABELS: dict[str, str] = {
    "metropole": "Métropole",
    "alsace-moselle": "Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)",
    "guadeloupe": "Guadeloupe",
    "martinique": "Martinique",
    "guyane": "Guyane",
    "reunion": "La Réunion",
    "mayotte": "Mayotte",
}
UNIT_LABELS: dict[str, str] = {
    "hours": "heures",
    "days": "jours",
    "working_hours": "heures ouvrées",
    "working_days": "jours ouvrés",
}
# The units an agent chooses among for a target (the calculation accepts all four).
TARGET_CHOICES: tuple[str, ...] = ("hours", "days", "working_days")
# The channel kinds a response target can be set for (see docs/metrics.md, « Canaux »).
RESPONSE_KINDS: dict[str, str] = {
    "social": "Réseaux sociaux",
    "email": "Courriel",
    "online": "Formulaire en ligne, application",
    "letter": "Courrier",
    "phone": "Téléphone",
    "counter": "Accueil",
}

# GeoJSON of the quartiers: what is accepted.
GEOJSON_MAX_BYTES = 5 * 1024 * 1024
GEOJSON_MAX_FEATURES = 500
GEOJSON_MAX_POSITIONS = 250_000
_NAME_HINTS = ("nom", "name", "quartier", "libelle", "label", "nom_quartier", "l_qu")


class SettingsError(ValueError):
    """A refused setting; ``str(exc)`` is a French sentence saying what to correct."""


@dataclass(frozen=True)
class CollectiviteSettings:
    """Settings every use case needs."""

    name: str = "Ma collectivité"
    timezone: str = DEFAULT_TIMEZONE
    our_accounts: tuple[str, ...] = ()


def current_settings(engine: Engine) -> CollectiviteSettings:
    """The stored settings, with defaults for what was never set."""
    return CollectiviteSettings(
        name=str(repository.setting(engine, KEY_NAME, CollectiviteSettings.name)),
        timezone=str(repository.setting(engine, KEY_TIMEZONE, DEFAULT_TIMEZONE)),
        our_accounts=tuple(repository.setting(engine, KEY_OUR_ACCOUNTS, [])),
    )


def save_settings(engine: Engine, settings: CollectiviteSettings) -> None:
    """Store the settings."""
    repository.save_setting(engine, KEY_NAME, settings.name)
    repository.save_setting(engine, KEY_TIMEZONE, settings.timezone)
    repository.save_setting(engine, KEY_OUR_ACCOUNTS, list(settings.our_accounts))


# ----------------------------------------------------------------------------------------------
# Name, time zone, our accounts


def _clean_line(value: object, what: str, limit: int = MAX_NAME_LENGTH) -> str:
    text = "" if _blank(value) else str(value).strip()
    if any(c in text for c in "\r\n\t"):
        raise SettingsError(f"{what} : une seule ligne, sans tabulation (« {text[:40]} »).")
    if len(text) > limit:
        raise SettingsError(f"{what} : {limit} caractères au plus (reçu {len(text)}).")
    return text


def check_timezone(timezone: str) -> str:
    """``timezone`` when it is an IANA zone name (Europe/Paris); SettingsError otherwise."""
    zone = str(timezone or "").strip()
    if zone not in available_timezones():
        raise SettingsError(
            f"Fuseau horaire inconnu : « {zone} ». Choisissez un nom de la liste, "
            "par exemple Europe/Paris ou America/Cayenne."
        )
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:  # pragma: no cover - listed but absent
        raise SettingsError(f"Fuseau horaire inutilisable : « {zone} ».") from error
    return zone


def save_identity(engine: Engine, name: str, timezone: str) -> CollectiviteSettings:
    """Store the collectivité's name and time zone (the one its dates are read in)."""
    clean = _clean_line(name, "Nom de la collectivité")
    if not clean:
        raise SettingsError(
            "Le nom de la collectivité est vide : indiquez-le, par exemple Ville de Tours."
        )
    zone = check_timezone(timezone)
    repository.save_setting(engine, KEY_NAME, clean)
    repository.save_setting(engine, KEY_TIMEZONE, zone)
    return current_settings(engine)


def our_accounts(engine: Engine) -> tuple[str, ...]:
    """Identifiers or names of the collectivité's own accounts (their replies are staff's)."""
    return current_settings(engine).our_accounts


def save_our_accounts(engine: Engine, accounts: Iterable[object]) -> tuple[str, ...]:
    """Store our accounts: blank entries dropped, duplicates (ignoring case) kept once."""
    kept: dict[str, str] = {}
    for value in accounts:
        text = _clean_line(value, "Compte de la collectivité")
        if text and text.casefold() not in kept:
            kept[text.casefold()] = text
    if len(kept) > MAX_ACCOUNTS:
        raise SettingsError(f"Trop de comptes : {MAX_ACCOUNTS} au plus (reçu {len(kept)}).")
    values = tuple(kept.values())
    repository.save_setting(engine, KEY_OUR_ACCOUNTS, list(values))
    return values


# ----------------------------------------------------------------------------------------------
# Calendar: region of the public holidays, opening hours


def calendar_region(engine: Engine) -> str:
    """The region whose public holidays apply (metropole, alsace-moselle, guadeloupe…)."""
    region = repository.setting(engine, KEY_REGION, DEFAULT_REGION)
    return region if region in REGIONS else DEFAULT_REGION


def region_timezone(region: str) -> str:
    """The time zone of the territory of ``region`` (America/Cayenne for guyane)."""
    return REGIONS[region][1] if region in REGIONS else DEFAULT_TIMEZONE


def save_calendar_region(engine: Engine, region: str) -> str:
    """Store the region of the public holidays; SettingsError for an unknown region."""
    if region not in REGIONS:
        raise SettingsError(
            f"Région inconnue : « {region} ». Régions possibles : "
            + ", ".join(REGION_LABELS.get(r, r) for r in REGIONS)
            + "."
        )
    repository.save_setting(engine, KEY_REGION, region)
    return region


OpeningHours = dict[int, tuple[tuple[time, time], ...]]

_HOUR_TEXT = re.compile(r"^\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*$")


def parse_hour(value: object, what: str = "Heure") -> time:
    """A time of day from a ``time`` or a text such as ``8:30``, ``08h30`` or ``14h``."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    match = _HOUR_TEXT.match(str(value or ""))
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
        if hour == 24 and minute == 0:
            return time(23, 59)
    raise SettingsError(f"{what} invalide : « {value} » (attendu : 08:30 ou 17h30).")


def _weekday(value: object) -> int:
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    text = str(value or "").strip().lower()
    if text.isdigit() and 0 <= int(text) <= 6:
        return int(text)
    if text in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(text)
    raise SettingsError(f"Jour inconnu : « {value} » (attendu : lundi, mardi… dimanche).")


def default_opening_hours() -> OpeningHours:
    """Monday to Friday, 8:30–12:00 and 13:30–17:30 (the calculation's default)."""
    return {day: DEFAULT_RANGES for day in range(5)}


def opening_hours(engine: Engine) -> OpeningHours:
    """Opening ranges of each weekday (0 = Monday; a day absent is closed)."""
    stored = repository.setting(engine, KEY_OPENING_HOURS)
    if not isinstance(stored, dict):
        return default_opening_hours()
    try:
        return _checked_hours(
            (day, start, end) for day, ranges in stored.items() for start, end in ranges
        )
    except (SettingsError, TypeError, ValueError):
        return default_opening_hours()


def _checked_hours(ranges: Iterable[tuple[object, object, object]]) -> OpeningHours:
    week: dict[int, list[tuple[time, time]]] = {}
    for day, start, end in ranges:
        if _blank(day) and _blank(start) and _blank(end):
            continue  # an empty row of the table
        number = _weekday(day)
        name = WEEKDAY_NAMES[number]
        opening = parse_hour(start, f"Heure d'ouverture du {name}")
        closing = parse_hour(end, f"Heure de fermeture du {name}")
        if closing <= opening:
            raise SettingsError(
                f"Le {name}, la fermeture ({closing:%H:%M}) doit suivre l'ouverture "
                f"({opening:%H:%M})."
            )
        week.setdefault(number, []).append((opening, closing))
    if not week:
        raise SettingsError(
            "Aucune plage d'ouverture : indiquez au moins une plage, par exemple le lundi "
            "de 08:30 à 12:00."
        )
    result: OpeningHours = {}
    for number in sorted(week):
        day = sorted(week[number])
        for (_, first_end), (second_start, _) in zip(day, day[1:], strict=False):
            if second_start < first_end:
                raise SettingsError(
                    f"Le {WEEKDAY_NAMES[number]}, deux plages se chevauchent "
                    f"({first_end:%H:%M} après {second_start:%H:%M})."
                )
        result[number] = tuple(day)
    return result


def save_opening_hours(
    engine: Engine, ranges: Iterable[tuple[object, object, object]]
) -> OpeningHours:
    """Store opening ranges given as (weekday, opening, closing) rows; several rows a day."""
    week = _checked_hours(ranges)
    repository.save_setting(
        engine,
        KEY_OPENING_HOURS,
        {
            str(day): [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in day_ranges]
            for day, day_ranges in week.items()
        },
    )
    return week


def working_calendar(engine: Engine, timezone: str | None = None) -> WorkingCalendar:
    """The collectivité's working calendar: its opening hours and its region's holidays."""
    zone = timezone or current_settings(engine).timezone
    return WorkingCalendar(
        timezone=zone, ranges=opening_hours(engine), holidays_region=calendar_region(engine)
    )


# ----------------------------------------------------------------------------------------------
# Targets


def parse_target(amount: object, unit: object, what: str) -> Target:
    """A Target from an amount and a unit (hours, days, working_hours, working_days)."""
    unit_key = str(unit or "").strip()
    by_label = {label: key for key, label in UNIT_LABELS.items()}
    unit_key = by_label.get(unit_key, unit_key)
    if unit_key not in TARGET_UNITS:
        raise SettingsError(
            f"{what} : unité inconnue « {unit} » (attendu : heures ou jours ouvrés)."
        )
    try:
        number = float(str(amount).replace(",", ".")) if amount is not None else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise SettingsError(f"{what} : le délai doit être un nombre positif (reçu « {amount} »).")
    if unit_key == "working_days" and number != int(number):
        raise SettingsError(f"{what} : un délai en jours ouvrés est un nombre entier de jours.")
    if number > 24 * 366:
        raise SettingsError(f"{what} : délai trop long (reçu {number:g}).")
    return Target(number, unit_key)


def _stored_target(value: object) -> Target | None:
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Target(float(value), "hours")
        if isinstance(value, dict):
            return Target(float(value["amount"]), value.get("unit", "hours"))
    except (KeyError, TypeError, ValueError):
        return None
    return None


def _target_json(target: Target) -> object:
    # Hours stay plain numbers: the format services.sections.section_options already reads.
    if target.unit == "hours":
        return target.amount
    return {"amount": target.amount, "unit": target.unit}


def _blank(value: object) -> bool:
    """True for an empty cell: None, NaN, pandas' NA or NaT, or blank text."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _checked_targets(rows: Iterable[tuple[object, object, object]], what: str) -> dict[str, Target]:
    targets: dict[str, Target] = {}
    for key, amount, unit in rows:
        name = _clean_line(key, what, 300)
        if not name or _blank(amount):
            continue
        if name in targets:
            raise SettingsError(f"{what} « {name} » figure deux fois : gardez une seule ligne.")
        targets[name] = parse_target(amount, unit, f"{what} « {name} »")
    return targets


def request_targets(engine: Engine) -> dict[str, Target]:
    """The closing target of each request category (others: the default, 15 days)."""
    stored = repository.setting(engine, KEY_REQUEST_TARGETS, {}) or {}
    targets = {str(k): _stored_target(v) for k, v in stored.items()}
    return {k: v for k, v in targets.items() if v is not None}


def check_request_targets(rows: Iterable[tuple[object, object, object]]) -> dict[str, Target]:
    """The targets of (category, amount, unit) rows, validated; a row without category or
    without amount is ignored (its category keeps the default target, 15 days)."""
    return _checked_targets(rows, "Catégorie")


def save_request_targets(
    engine: Engine, rows: Iterable[tuple[object, object, object]]
) -> dict[str, Target]:
    """Store (category, amount, unit) rows (see :func:`check_request_targets`)."""
    targets = check_request_targets(rows)
    repository.save_setting(
        engine, KEY_REQUEST_TARGETS, {k: _target_json(t) for k, t in targets.items()}
    )
    return targets


def response_targets(engine: Engine) -> dict[str, Target]:
    """The first-response target of each channel kind (social, email, letter…)."""
    stored = repository.setting(engine, KEY_RESPONSE_TARGETS)
    if not isinstance(stored, dict):
        return dict(DEFAULT_RESPONSE_TARGETS)
    targets = {str(k): _stored_target(v) for k, v in stored.items()}
    return {k: v for k, v in targets.items() if v is not None}


def check_response_targets(rows: Iterable[tuple[object, object, object]]) -> dict[str, Target]:
    """The targets of (channel kind, amount, unit) rows, validated; kinds (or their labels)
    are those of RESPONSE_KINDS; a row without amount means no target for that kind."""
    by_label = {label: key for key, label in RESPONSE_KINDS.items()}
    checked = []
    for kind, amount, unit in rows:
        key = by_label.get(str(kind or "").strip(), str(kind or "").strip())
        if _blank(amount):
            continue
        if key not in RESPONSE_KINDS:
            raise SettingsError(
                f"Canal inconnu : « {kind} » (attendu : {', '.join(RESPONSE_KINDS.values())})."
            )
        checked.append((key, amount, unit))
    return _checked_targets(checked, "Canal")


def save_response_targets(
    engine: Engine, rows: Iterable[tuple[object, object, object]]
) -> dict[str, Target]:
    """Store (channel kind, amount, unit) rows (see :func:`check_response_targets`)."""
    targets = check_response_targets(rows)
    repository.save_setting(
        engine, KEY_RESPONSE_TARGETS, {k: _target_json(t) for k, t in targets.items()}
    )
    return targets


# ----------------------------------------------------------------------------------------------
# Populations and small groups


def populations(engine: Engine) -> dict[str, int]:
    """Inhabitants of each quartier (for the figures per 1,000 inhabitants)."""
    stored = repository.setting(engine, KEY_POPULATIONS, {}) or {}
    result = {}
    for name, value in stored.items():
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number > 0:
            result[str(name)] = number
    return result


def parse_population(value: object, quartier: str) -> int | None:
    """A population from a cell: None when empty, SettingsError when not a whole number ≥ 0."""
    if (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or str(value).strip() == ""
    ):
        return None
    text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number != int(number):
        raise SettingsError(
            f"Population de « {quartier} » invalide : « {value} » (un nombre entier d'habitants)."
        )
    if number < 0:
        raise SettingsError(
            f"Population de « {quartier} » négative ({int(number)}) : indiquez le nombre "
            "d'habitants, ou laissez la case vide."
        )
    if number > MAX_POPULATION:
        raise SettingsError(f"Population de « {quartier} » trop grande ({int(number)}).")
    return int(number)


def save_populations(engine: Engine, rows: Iterable[tuple[object, object]]) -> dict[str, int]:
    """Store (quartier, inhabitants) rows; empty cells and zeros are left out."""
    result: dict[str, int] = {}
    for name, value in rows:
        quartier = _clean_line(name, "Quartier", 300)
        if not quartier:
            continue
        number = parse_population(value, quartier)
        if quartier in result:
            raise SettingsError(f"Le quartier « {quartier} » figure deux fois : gardez une ligne.")
        if number:
            result[quartier] = number
    repository.save_setting(engine, KEY_POPULATIONS, result)
    return result


def minimum_group_size(engine: Engine) -> int:
    """Groups smaller than this are hidden from comparisons (see « Petits groupes »)."""
    value = repository.setting(engine, KEY_MINIMUM_GROUP_SIZE, DEFAULT_MINIMUM_GROUP_SIZE)
    try:
        number = int(value)
    except (TypeError, ValueError):
        return DEFAULT_MINIMUM_GROUP_SIZE
    return number if 1 <= number <= MAX_GROUP_SIZE else DEFAULT_MINIMUM_GROUP_SIZE


def save_minimum_group_size(engine: Engine, value: object) -> int:
    """Store the minimum group size, a whole number from 1 to 1,000."""
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= MAX_GROUP_SIZE:
        raise SettingsError(
            f"Taille minimale des groupes invalide : « {value} » (un nombre entier de 1 à "
            f"{MAX_GROUP_SIZE} ; 10 est recommandé)."
        )
    repository.save_setting(engine, KEY_MINIMUM_GROUP_SIZE, int(number))
    return int(number)


# ----------------------------------------------------------------------------------------------
# Quartier polygons (GeoJSON)


@dataclass(frozen=True)
class QuartierMap:
    """Quartier polygons: GeoJSON features whose property ``name`` is the quartier."""

    features: tuple[dict, ...]
    name_property: str
    file_name: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The quartier names, in the file's order."""
        return tuple(f["properties"]["name"] for f in self.features)


def _load_geojson(data: bytes) -> dict:
    if len(data) > GEOJSON_MAX_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise SettingsError(
            f"Fichier trop volumineux : {size} Mo (au plus {GEOJSON_MAX_BYTES // 1024 // 1024} Mo). "
            "Simplifiez les contours (par exemple avec mapshaper.org) avant de le déposer."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SettingsError(
            "Le fichier n'est pas un GeoJSON : il n'est pas en texte UTF-8."
        ) from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(
            f"Le fichier n'est pas un GeoJSON valide : JSON illisible à la ligne {error.lineno}."
        ) from error
    except RecursionError as error:
        raise SettingsError("Le fichier n'est pas un GeoJSON valide : trop imbriqué.") from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        found = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise SettingsError(
            "Le fichier doit être une collection d'éléments GeoJSON (« FeatureCollection ») ; "
            f"reçu : « {found} »."
        )
    crs = json.dumps(document.get("crs") or "")
    if any(code in crs for code in ("2154", "3857", "27572", "3948", "3949", "2972", "2975")):
        raise SettingsError(
            "Le fichier utilise une projection (par exemple Lambert 93) : réexportez-le en "
            "coordonnées WGS 84 (EPSG:4326, longitude et latitude en degrés)."
        )
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise SettingsError("La collection GeoJSON ne contient aucun élément (« features » vide).")
    if len(features) > GEOJSON_MAX_FEATURES:
        raise SettingsError(
            f"Trop d'éléments : {len(features)} (au plus {GEOJSON_MAX_FEATURES} quartiers)."
        )
    return document


def geojson_name_properties(data: bytes) -> list[str]:
    """The properties every feature has as a non-empty text or number (candidate names), the
    likeliest first (nom, name, quartier…). SettingsError when the file is not a usable GeoJSON."""
    features = _load_geojson(data)["features"]
    common: set[str] | None = None
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        keys = {
            str(key)
            for key, value in (properties or {}).items()
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip()
        }
        common = keys if common is None else common & keys
    if not common:
        raise SettingsError(
            "Aucune propriété commune à tous les éléments ne peut servir de nom de quartier : "
            "ajoutez à chaque polygone une propriété « nom »."
        )

    def rank(key: str) -> tuple[int, str]:
        lowered = key.lower()
        hinted = [i for i, hint in enumerate(_NAME_HINTS) if hint in lowered]
        return (min(hinted) if hinted else len(_NAME_HINTS), lowered)

    return sorted(common, key=rank)


def _position(value: object, where: str) -> list[float]:
    if not isinstance(value, list) or len(value) < 2:
        raise SettingsError(f"{where} : coordonnées invalides (attendu : [longitude, latitude]).")
    lon, lat = value[0], value[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)) or not (
        math.isfinite(lon) and math.isfinite(lat)
    ):
        raise SettingsError(f"{where} : coordonnées non numériques.")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise SettingsError(
            f"{where} : coordonnées hors des limites de la Terre ({lon:g}, {lat:g}). Le fichier "
            "utilise sans doute une projection (Lambert 93 ?) : réexportez-le en WGS 84 "
            "(EPSG:4326)."
        )
    return [round(float(lon), 6), round(float(lat), 6)]


def _polygon(rings: object, where: str, budget: list[int]) -> list[list[list[float]]]:
    if not isinstance(rings, list) or not rings:
        raise SettingsError(f"{where} : polygone sans contour.")
    result = []
    for ring in rings:
        if not isinstance(ring, list):
            raise SettingsError(f"{where} : contour invalide.")
        positions = [_position(p, where) for p in ring]
        budget[0] += len(positions)
        if budget[0] > GEOJSON_MAX_POSITIONS:
            raise SettingsError(
                f"Contours trop détaillés : plus de {GEOJSON_MAX_POSITIONS:,} points".replace(
                    ",", " "
                )
                + ". Simplifiez-les (par exemple avec mapshaper.org) avant de les déposer."
            )
        if positions and positions[0] != positions[-1]:
            positions.append(positions[0])
        if len(positions) < 4:
            raise SettingsError(f"{where} : un contour doit avoir au moins trois sommets.")
        result.append(positions)
    return result


def parse_quartier_geojson(data: bytes, name_property: str, file_name: str = "") -> QuartierMap:
    """Validate a GeoJSON of quartier polygons and keep only the name and the geometry.

    Accepted: a FeatureCollection of Polygon or MultiPolygon features in WGS 84 degrees, each
    with a non-empty ``name_property``; parts of one quartier (same name) are merged.
    """
    features = _load_geojson(data)["features"]
    budget = [0]
    parts: dict[str, list[list[list[list[float]]]]] = {}
    for number, feature in enumerate(features, start=1):
        where = f"Élément n°{number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise SettingsError(f"{where} : ce n'est pas un élément GeoJSON (« Feature »).")
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in ("Polygon", "MultiPolygon"):
            raise SettingsError(
                f"{where} : géométrie « {kind or 'absente'} » refusée ; seuls les polygones "
                "(Polygon, MultiPolygon) décrivent un quartier."
            )
        name = (feature.get("properties") or {}).get(name_property)
        if isinstance(name, bool) or not isinstance(name, str | int) or not str(name).strip():
            raise SettingsError(f"{where} : la propriété « {name_property} » est absente ou vide.")
        name = _clean_line(name, f"{where}, nom", 300)
        where = f"{where} (« {name} »)"
        coordinates = geometry.get("coordinates")
        if kind == "Polygon":
            polygons = [_polygon(coordinates, where, budget)]
        else:
            if not isinstance(coordinates, list) or not coordinates:
                raise SettingsError(f"{where} : multipolygone sans polygone.")
            polygons = [_polygon(p, where, budget) for p in coordinates]
        parts.setdefault(name, []).extend(polygons)
    kept = tuple(
        {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons},
        }
        for name, polygons in parts.items()
    )
    return QuartierMap(features=kept, name_property=name_property, file_name=file_name[:200])


def quartier_map(engine: Engine) -> QuartierMap | None:
    """The uploaded quartier polygons, or None."""
    stored = repository.setting(engine, KEY_QUARTIER_MAP)
    if not isinstance(stored, dict) or not stored.get("features"):
        return None
    return QuartierMap(
        features=tuple(stored["features"]),
        name_property=str(stored.get("name_property", "")),
        file_name=str(stored.get("file_name", "")),
    )


def save_quartier_map(engine: Engine, quartiers: QuartierMap | None) -> None:
    """Store the quartier polygons (None removes them)."""
    value = (
        None
        if quartiers is None
        else {
            "name_property": quartiers.name_property,
            "file_name": quartiers.file_name,
            "features": list(quartiers.features),
        }
    )
    repository.save_setting(engine, KEY_QUARTIER_MAP, value)


# ----------------------------------------------------------------------------------------------
# Everything together: the options of the figures


def section_options_from_settings(engine: Engine, timezone: str | None = None) -> SectionOptions:
    """The options the settings give the section figures (calendar, targets, populations,
    minimum group size). services.sections.section_options can simply return this."""
    return SectionOptions(
        calendar=working_calendar(engine, timezone),
        response_targets=response_targets(engine),
        targets=request_targets(engine) or None,
        populations={k: float(v) for k, v in populations(engine).items()} or None,
        minimum_group_size=minimum_group_size(engine),
    )


def settings_snapshot(values: Mapping[str, object]) -> dict[str, object]:
    """A JSON-ready copy of changed values for the audit log (Targets as their label)."""

    def plain(value: object) -> object:
        if isinstance(value, Target):
            return f"{value.amount:g} {UNIT_LABELS[value.unit]}"
        if isinstance(value, time):
            return f"{value:%H:%M}"
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return {str(k): plain(v) for k, v in values.items()}
