"""Database schema (SQLAlchemy Core), engines and transactions for SQLite and PostgreSQL.

- SQLite: WAL, ``synchronous=FULL``, busy timeout; every write transaction starts with
  ``BEGIN IMMEDIATE`` so writers queue instead of failing half-way (and numbering is serialised).
- PostgreSQL: writes in READ COMMITTED with row locks (``SELECT ... FOR UPDATE`` on counters and the
  member revision row); reads (pull) in one REPEATABLE READ snapshot.

Every table is created by the Alembic migrations in ``smartdesk_server/migrations``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.pool import NullPool

metadata = MetaData()


# the columns every part of the schema shares; a function each, as one Column belongs to one table
def id_column(name: str, **options: Any) -> Column[str]:
    """A column holding an id: the 36 characters of a UUID (an account, document, activity...)."""
    return Column(name, String(36), **options)


def time_column(name: str, **options: Any) -> Column[str]:
    """A required moment as ISO 8601 text (``store.now_iso()``), up to 40 characters."""
    return Column(name, String(40), nullable=False, **options)


def sha256_column(**options: Any) -> Column[str]:
    """The ``sha256`` column: a content's SHA-256 as 64 hexadecimal digits."""
    return Column("sha256", String(64), **options)


meta = Table(
    "meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    id_column("id", primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("name", String(300), nullable=False, default=""),
    Column("role", String(20), nullable=False),  # member | advisor
    Column("entity", String(2), nullable=False, default="BE"),
    time_column("created_at"),
)

sessions = Table(
    "sessions",
    metadata,
    id_column("id", primary_key=True),
    id_column("account_id", nullable=False, index=True),
    Column("device_name", String(200), nullable=False, default=""),
    Column("access_hash", String(64), nullable=False, unique=True),
    Column("access_expires", Float, nullable=False),
    Column("refresh_hash", String(64), nullable=False, unique=True),
    Column("refresh_expires", Float, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    time_column("created_at"),
    time_column("last_used_at"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_login_failures_email_at", "email", "at"),
)

# login attempts per key ("account:<sha256 of e-mail>" or "address:<sha256 of IP>"), counted atomically
# (one INSERT ... ON CONFLICT DO UPDATE ... RETURNING) so parallel guesses cannot pass the limit together
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("window_start", Float, nullable=False),
)

# places (SHA-256 of account + address) an account signed in from with its right password: the right
# password from such a place passes the account's lock, so strangers cannot lock a member out
known_logins = Table(
    "known_logins",
    metadata,
    id_column("account_id", primary_key=True),
    Column("fingerprint", String(64), primary_key=True),
    Column("last_at", Float, nullable=False),
)

# refresh tokens already rotated: presenting one again revokes its whole session (token family)
refresh_used = Table(
    "refresh_used",
    metadata,
    Column("refresh_hash", String(64), primary_key=True),
    id_column("session_id", nullable=False),
    Column("expires", Float, nullable=False),
)

advisor_follows = Table(
    "advisor_follows",
    metadata,
    id_column("advisor_id", primary_key=True),
    id_column("activity_id", primary_key=True),
    Index("ix_advisor_follows_activity", "activity_id"),
)

member_revs = Table(
    "member_revs",
    metadata,
    id_column("member_id", primary_key=True),
    Column("rev", BigInteger, nullable=False, default=0),
)

sync_clients = Table(
    "sync_clients",
    metadata,
    Column("client_id", String(64), primary_key=True),
    id_column("account_id", nullable=False),
    Column("last_mutation_id", BigInteger, nullable=False, default=0),
)

# every synced record of a member: activity, client, profile, document, followup, request, notice
records = Table(
    "records",
    metadata,
    Column("type", String(20), primary_key=True),
    Column("id", String(100), primary_key=True),
    id_column("member_id", nullable=False),
    Column("version", Integer, nullable=False),
    Column("rev", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("body", Text, nullable=True),
    Column("field_versions", Text, nullable=False, default="{}"),
    Column("status", String(30), nullable=False, default=""),
    Column("kind", String(30), nullable=False, default=""),
    id_column("activity_id", nullable=False, default=""),
    time_column("updated_at"),
    Index("ix_records_member_rev", "member_id", "rev"),
    Index("ix_records_type_status", "type", "status"),
)

# non-ok mutation results, kept so a pull can report them
results = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(64), nullable=False),
    Column("mutation_id", BigInteger, nullable=False),
    Column("rev", BigInteger, nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_results_client_rev", "client_id", "rev"),
)

# gap-free legal numbering: one row per (entity, series, year)
counters = Table(
    "counters",
    metadata,
    Column("entity", String(2), primary_key=True),
    Column("series", String(20), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False, default=0),
)

blobs = Table(
    "blobs",
    metadata,
    sha256_column(primary_key=True),
    Column("size", BigInteger, nullable=False),
    time_column("created_at"),
)

blob_owners = Table(
    "blob_owners",
    metadata,
    sha256_column(primary_key=True),
    id_column("member_id", primary_key=True),
)


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'smartdesk-server.sqlite3').resolve()}"


def make_engine(url: str) -> Engine:
    """An engine with the house settings for its backend."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 60},
            pool_size=8,
            max_overflow=16,
            pool_pre_ping=False,
            hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            if conn.get_execution_options().get("smartdesk_readonly"):
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql"):
        return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True)
    return create_engine(url, poolclass=NullPool, hide_parameters=True)


_WRITE_LOCKS: dict[int, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _write_lock(engine: Engine) -> threading.Lock:
    with _LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(id(engine), threading.Lock())


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One write transaction (BEGIN IMMEDIATE on SQLite).

    SQLite has one writer at a time anyway: threads of this process queue on a lock instead of
    polling the file lock (SQLite's busy handler sleeps up to 100 ms between attempts); other
    processes are still serialised by BEGIN IMMEDIATE and the busy timeout.
    """
    if is_sqlite(engine):
        with _write_lock(engine), engine.connect() as conn:
            with conn.begin():
                yield conn
        return
    with engine.connect() as conn:
        with conn.begin():
            yield conn


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """One consistent read snapshot."""
    with engine.connect() as conn:
        if is_sqlite(engine):
            conn.execution_options(smartdesk_readonly=True)
        else:
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


# the bank-statement, delivery and archive tables join the same metadata (so tests' drop_all and Alembic see them)
from smartdesk_server import archive_table as _archive_table  # noqa: E402,F401
from smartdesk_server.delivery import tables as _delivery_tables  # noqa: E402,F401
from smartdesk_server.statements import tables as _statement_tables  # noqa: E402,F401
