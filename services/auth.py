"""Accounts, roles and sign-in policy: argon2 hashes, lock-out, local mode, audit of each action."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine

from store import accounts

ROLES = {"elu": "élu", "agent": "agent", "admin": "admin"}
# What each role may do; a role can do everything the roles before it can.
RANK = {"elu": 1, "agent": 2, "admin": 3}
MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
SESSION_IDLE_LIMIT = timedelta(minutes=60)
MIN_PASSWORD_LENGTH = 10
LOCAL_USER = "local"

_hasher = PasswordHasher()


class AuthError(Exception):
    """A refused sign-in or account operation; ``str(exc)`` is a French message."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking: their name, role and the quartiers they are limited to (empty = all)."""

    name: str
    role: str
    districts: tuple[str, ...] = ()
    local_mode: bool = False

    def may(self, role: str) -> bool:
        """True when this viewer has at least ``role``."""
        return RANK[self.role] >= RANK[role]


def password_problem(password: str) -> str | None:
    """Why a password is refused, or None when acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mot de passe trop court : {MIN_PASSWORD_LENGTH} caractères au moins."
    return None


def add_user(
    engine: Engine,
    name: str,
    role: str,
    password: str,
    districts: tuple[str, ...] = (),
    actor: str = "cli",
) -> Viewer:
    """Create an account with an argon2-hashed password."""
    name = name.strip()
    if not name or len(name) > 100 or any(c in name for c in "\r\n\t"):
        raise AuthError("Nom de compte invalide : 1 à 100 caractères, sans saut de ligne.")
    if role not in ROLES:
        raise AuthError(f"Rôle inconnu : « {role} » (attendu : {', '.join(ROLES)}).")
    if problem := password_problem(password):
        raise AuthError(problem)
    try:
        accounts.add_account(engine, name, role, _hasher.hash(password), tuple(districts))
    except accounts.AccountExists as error:
        raise AuthError(f"Le compte « {name} » existe déjà.") from error
    accounts.append_audit(
        engine, actor, "account_created", {"name": name, "role": role, "districts": districts}
    )
    return Viewer(name, role, tuple(districts))


def sign_in(engine: Engine, name: str, password: str, now: datetime | None = None) -> Viewer:
    """The viewer for valid credentials; :class:`AuthError` otherwise (every attempt audited)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    account = accounts.account_named(engine, name.strip())
    refused = AuthError("Nom ou mot de passe incorrect.")
    if account is None or account.disabled:
        # Same answer as a wrong password, so names cannot be probed.
        accounts.append_audit(engine, name[:100], "sign_in_failed", {"reason": "unknown"})
        raise refused
    if account.locked_until and account.locked_until > now:
        accounts.append_audit(engine, account.name, "sign_in_failed", {"reason": "locked"})
        minutes = max(1, int((account.locked_until - now).total_seconds() // 60) + 1)
        raise AuthError(
            f"Compte verrouillé après {MAX_FAILURES} essais infructueux : réessayez dans "
            f"{minutes} min ou demandez à un administrateur."
        )
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = account.failed_attempts + 1
        lock = now + LOCK_DURATION if failures >= MAX_FAILURES else None
        accounts.record_failure(engine, account.id, lock)
        accounts.append_audit(
            engine, account.name, "sign_in_failed", {"reason": "password", "failures": failures}
        )
        raise refused from None
    accounts.reset_failures(engine, account.id)
    if _hasher.check_needs_rehash(account.password_hash):
        accounts.set_password_hash(engine, account.id, _hasher.hash(password))
    accounts.append_audit(engine, account.name, "sign_in", {})
    return Viewer(account.name, account.role, account.districts)


def sso_viewer(engine: Engine, email: str | None) -> Viewer:
    """The viewer of an identity proven by single sign-on (OpenID Connect).

    The identity maps to the Parvis account of the same name (its e-mail), which an admin
    created with the role and quartiers it should have: no account, no access.
    """
    if not email:
        raise AuthError("Le fournisseur d'identité n'a pas transmis d'adresse électronique.")
    account = accounts.account_named(engine, email.strip().lower())
    if account is None or account.disabled:
        accounts.append_audit(engine, email[:100], "sign_in_failed", {"reason": "sso_unknown"})
        raise AuthError(
            f"Aucun compte Parvis actif pour {email} : demandez à un administrateur de créer "
            "un compte à ce nom, avec votre rôle."
        )
    accounts.append_audit(engine, account.name, "sign_in", {"via": "sso"})
    return Viewer(account.name, account.role, account.districts)


def has_admin(engine: Engine) -> bool:
    """True once an active admin account exists (local mode ends then)."""
    return accounts.admin_count(engine) > 0


def is_loopback(address: str | None) -> bool:
    """True when the server listens only on this machine."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def local_viewer() -> Viewer:
    """The viewer of the local mode (no account yet, served on 127.0.0.1 only)."""
    return Viewer(LOCAL_USER, "admin", (), local_mode=True)


def audit(engine: Engine, viewer: Viewer | str, action: str, **detail: object) -> None:
    """Record an action in the audit log."""
    actor = viewer.name if isinstance(viewer, Viewer) else viewer
    accounts.append_audit(engine, actor, action, detail)
