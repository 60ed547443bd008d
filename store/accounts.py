"""Accounts and the audit log in the database: rows in, rows out, no policy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import AuditEntry, User


class AccountExists(Exception):
    """An account with that name already exists."""


@dataclass(frozen=True)
class Account:
    """An account as the application sees it (the hash included, for verification only)."""

    id: int
    name: str
    role: str
    password_hash: str
    districts: tuple[str, ...]
    failed_attempts: int
    locked_until: datetime | None
    disabled: bool


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _account(row: User) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        role=row.role,
        password_hash=row.password_hash,
        districts=tuple(json.loads(row.districts or "[]")),
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        disabled=row.disabled,
    )


def add_account(
    engine: Engine, name: str, role: str, password_hash: str, districts: tuple[str, ...] = ()
) -> Account:
    """Create an account; :class:`AccountExists` when the name is taken."""
    with Session(engine) as session:
        user = User(
            name=name,
            role=role,
            password_hash=password_hash,
            districts=json.dumps(list(districts), ensure_ascii=False),
            created_at=_now(),
            failed_attempts=0,
            disabled=False,
        )
        session.add(user)
        try:
            session.commit()
        except IntegrityError as error:
            raise AccountExists(name) from error
        return _account(user)


def account_named(engine: Engine, name: str) -> Account | None:
    """The account with that name, if any."""
    with Session(engine) as session:
        row = session.scalar(select(User).where(User.name == name))
        return _account(row) if row else None


def accounts_frame(engine: Engine) -> pd.DataFrame:
    """Every account, without password hashes."""
    with Session(engine) as session:
        rows = session.execute(
            select(
                User.id, User.name, User.role, User.districts, User.created_at, User.disabled
            ).order_by(User.name)
        ).all()
    return pd.DataFrame(rows, columns=["id", "name", "role", "districts", "created_at", "disabled"])


def admin_count(engine: Engine) -> int:
    """How many active admin accounts exist."""
    with Session(engine) as session:
        return session.scalar(
            select(func.count(User.id)).where(User.role == "admin", User.disabled.is_(False))
        )


def record_failure(engine: Engine, account_id: int, locked_until: datetime | None) -> None:
    """Count one more failed sign-in, and lock the account until ``locked_until`` if given."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(User)
            .where(User.id == account_id)
            .values(failed_attempts=User.failed_attempts + 1, locked_until=locked_until)
        )


def reset_failures(engine: Engine, account_id: int) -> None:
    """Clear the failure count and any lock after a successful sign-in."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(User).where(User.id == account_id).values(failed_attempts=0, locked_until=None)
        )


def set_password_hash(engine: Engine, account_id: int, password_hash: str) -> None:
    """Replace an account's password hash."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(User).where(User.id == account_id).values(password_hash=password_hash)
        )


def set_disabled(engine: Engine, account_id: int, disabled: bool) -> None:
    """Disable or re-enable an account."""
    with Session(engine) as session, session.begin():
        session.execute(update(User).where(User.id == account_id).values(disabled=disabled))


def append_audit(engine: Engine, actor: str, action: str, detail: dict) -> None:
    """Append one entry to the audit log (the log has no update or delete path)."""
    with Session(engine) as session, session.begin():
        session.execute(
            insert(AuditEntry).values(
                at=_now(),
                actor=actor[:200],
                action=action,
                detail=json.dumps(detail, ensure_ascii=False, default=str),
            )
        )


def audit_frame(engine: Engine, limit: int = 5000) -> pd.DataFrame:
    """The newest audit entries."""
    with Session(engine) as session:
        rows = session.execute(
            select(
                AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.detail
            )
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        ).all()
    return pd.DataFrame(rows, columns=["id", "at", "actor", "action", "detail"])
