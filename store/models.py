"""SQLAlchemy 2.0 typed models of the canonical records, the import ledger and settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# All timestamps are naive UTC: SQLite has no time zone type, and one convention for both
# databases keeps comparisons and bulk paths identical.


class Base(DeclarativeBase):
    """Declarative base of every Parvis table."""


# Tables whose rows name the import that created them and the one that last changed them
# (created_import_id, import_id). SQLite checks these references as the foreign keys below; on
# PostgreSQL, triggers check them once per statement instead of once per row (migration 0005:
# the row checks took two thirds of a million-row COPY).
IMPORT_CHECKED_TABLES = ("publications", "messages", "requests", "audience")


def schema_comparison_filter(dialect: str) -> Callable[..., bool]:
    """Alembic's ``include_object`` for a database of ``dialect``: on PostgreSQL the foreign
    keys from IMPORT_CHECKED_TABLES to imports are not in the schema (triggers check them), so
    they are left out of a comparison with these models."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        return not (
            dialect == "postgresql"
            and type_ == "foreign_key_constraint"
            and obj.table.name in IMPORT_CHECKED_TABLES
            and obj.referred_table.name == "imports"
        )

    return include


class ImportRecord(Base):
    """One accepted import of one file: its lineage and counts."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    format_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    rows_read: Mapped[int] = mapped_column(Integer)
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_by: Mapped[str | None] = mapped_column(String(200))


class ImportRejection(Base):
    """A row of an import that was not accepted, with its line number and reason."""

    __tablename__ = "import_rejections"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text, default="")


class ImportChange(Base):
    """The previous values of a row an import updated, so that undo can restore them."""

    __tablename__ = "import_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[int] = mapped_column(Integer)
    previous: Mapped[str] = mapped_column(Text)  # JSON of the row's canonical values + import_id


class Publication(Base):
    """A post on a social network, with its lifetime counts."""

    __tablename__ = "publications"
    __table_args__ = (
        UniqueConstraint("platform", "native_id", name="uq_publications_key"),
        Index("ix_publications_published_at", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    created_import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    native_id: Mapped[str] = mapped_column(String(200))
    account: Mapped[str | None] = mapped_column(String(300))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    text: Mapped[str | None] = mapped_column(Text)
    post_type: Mapped[str | None] = mapped_column(String(100))
    permalink: Mapped[str | None] = mapped_column(Text)
    reach: Mapped[int | None] = mapped_column(Integer)
    impressions: Mapped[int | None] = mapped_column(Integer)
    reactions: Mapped[int | None] = mapped_column(Integer)
    comments: Mapped[int | None] = mapped_column(Integer)
    shares: Mapped[int | None] = mapped_column(Integer)
    saves: Mapped[int | None] = mapped_column(Integer)
    clicks: Mapped[int | None] = mapped_column(Integer)
    video_views: Mapped[int | None] = mapped_column(Integer)


class Message(Base):
    """A message in a thread: a resident's comment or a staff reply."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "native_id", name="uq_messages_key"),
        Index("ix_messages_sent_at", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    created_import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    native_id: Mapped[str] = mapped_column(String(200))
    thread_id: Mapped[str | None] = mapped_column(String(200))
    post_id: Mapped[str | None] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    author: Mapped[str | None] = mapped_column(String(100))  # keyed pseudonym, never the name
    is_staff: Mapped[bool | None] = mapped_column(Boolean)
    text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime)
    is_hidden: Mapped[bool | None] = mapped_column(Boolean)
    language: Mapped[str | None] = mapped_column(String(8))
    sentiment: Mapped[float | None] = mapped_column(Float)
    sentiment_label: Mapped[str | None] = mapped_column(String(16))


class ServiceRequest(Base):
    """A resident's request or complaint from a GRC / 311 system."""

    __tablename__ = "requests"
    __table_args__ = (
        UniqueConstraint("source", "native_id", name="uq_requests_key"),
        Index("ix_requests_created_at", "created_at"),
        # closed_at first, then created_at: the Synthèse's counts (closed in a period, still
        # open at its end) are read from this index alone (store/aggregates.py).
        Index("ix_requests_closed_at_created_at", "closed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    created_import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    source: Mapped[str] = mapped_column(String(64))
    native_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(300))
    subcategory: Mapped[str | None] = mapped_column(String(300))
    district: Mapped[str | None] = mapped_column(String(300))
    channel: Mapped[str | None] = mapped_column(String(100))
    service: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(8))
    sentiment: Mapped[float | None] = mapped_column(Float)
    sentiment_label: Mapped[str | None] = mapped_column(String(16))


class AudienceDay(Base):
    """Followers of one account on one day."""

    __tablename__ = "audience"
    __table_args__ = (UniqueConstraint("platform", "account", "date", name="uq_audience_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    created_import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    account: Mapped[str] = mapped_column(String(300))
    date: Mapped[date] = mapped_column(Date)
    followers: Mapped[int | None] = mapped_column(Integer)


class Setting(Base):
    """A collectivité-wide setting, stored as JSON text."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


MODEL_BY_KIND = {
    "publication": Publication,
    "message": Message,
    "request": ServiceRequest,
    "audience": AudienceDay,
}


class User(Base):
    """A built-in account: its role, its scope and its argon2 password hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # elu | agent | admin
    password_hash: Mapped[str] = mapped_column(String(300))
    districts: Mapped[str] = mapped_column(Text, default="[]")  # JSON list; empty = all
    created_at: Mapped[datetime] = mapped_column(DateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """One recorded action: who did what, when, with which counts. Never updated or deleted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON: ids, counts, file names
