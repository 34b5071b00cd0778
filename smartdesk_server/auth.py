"""Accounts, passwords (Argon2), opaque tokens stored hashed (SHA-256), login throttling."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, and_, delete, insert, select, text, update

from smartdesk_server.config import Settings
from smartdesk_server.db import (
    accounts,
    advisor_follows,
    known_logins,
    login_throttle,
    read,
    refresh_used,
    sessions,
    write,
)
from smartdesk_server.errors import ApiError
from smartdesk_server.store import ensure_member_rev, now_iso

_hasher = PasswordHasher()
# verified against when the e-mail is unknown, so timing does not tell which accounts exist
_DUMMY_HASH = _hasher.hash("not a real password")

ROLES = ("member", "advisor")


@dataclass(frozen=True)
class Principal:
    account_id: str
    role: str
    session_id: str
    email: str
    name: str

    @property
    def is_advisor(self) -> bool:
        return self.role == "advisor"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """The form an e-mail address is stored and compared in: NFKC, case-folded, trimmed (its length is
    checked after this, since folding can make it longer)."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def create_account(
    engine: Engine,
    *,
    email: str,
    password: str,
    name: str,
    role: str,
    entity: str = "BE",
    account_id: str | None = None,
) -> str:
    email = normalise_email(email)
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 320:
        raise ValueError(f"“{email}” is not an e-mail address")
    if len(password) < 8:
        raise ValueError("a password has at least 8 characters")
    new_id = account_id or str(uuid.uuid4())
    hashed = _hash_password(password)
    with write(engine) as conn:
        if conn.execute(select(accounts.c.id).where(accounts.c.email == email)).first():
            raise ValueError(f"an account with the e-mail address {email} already exists")
        conn.execute(
            insert(accounts).values(
                id=new_id,
                email=email,
                password_hash=hashed,
                name=name,
                role=role,
                entity=entity.upper(),
                created_at=now_iso(),
            )
        )
        if role == "member":
            ensure_member_rev(conn, new_id)
    return new_id


def follow(engine: Engine, advisor_id: str, activity_id: str) -> None:
    with write(engine) as conn:
        exists = conn.execute(
            select(advisor_follows).where(
                and_(advisor_follows.c.advisor_id == advisor_id, advisor_follows.c.activity_id == activity_id)
            )
        ).first()
        if not exists:
            conn.execute(insert(advisor_follows).values(advisor_id=advisor_id, activity_id=activity_id))


def _issue(
    conn: Connection, settings: Settings, account_id: str, device_name: str, session_id: str | None = None
) -> dict[str, Any]:
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = time.time()
    values = {
        "access_hash": token_hash(access),
        "access_expires": now + settings.access_ttl,
        "refresh_hash": token_hash(refresh),
        "refresh_expires": now + settings.refresh_ttl,
        "last_used_at": now_iso(),
    }
    if session_id is None:
        session_id = str(uuid.uuid4())
        conn.execute(
            insert(sessions).values(
                id=session_id,
                account_id=account_id,
                device_name=device_name[:200],
                revoked=False,
                created_at=now_iso(),
                **values,
            )
        )
    else:
        conn.execute(update(sessions).where(sessions.c.id == session_id).values(**values))
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": settings.access_ttl,
        "device_id": session_id,
    }


# Argon2 needs 64 MiB per check: at most this many run at once, so 40 parallel sign-ins cost
# 2 x 64 MiB instead of 40 x 64 MiB (the others wait their turn in the thread pool)
_ARGON_SLOTS = threading.BoundedSemaphore(2)
ADDRESS_FACTOR = 10  # an address may fail this many times the account limit (shared offices, NAT)

_THROTTLE_SQL = text(
    "INSERT INTO login_throttle (key, attempts, window_start) VALUES (:key, 1, :now) "
    "ON CONFLICT (key) DO UPDATE SET "
    "attempts = CASE WHEN login_throttle.window_start < :cut THEN 1 ELSE login_throttle.attempts + 1 END, "
    "window_start = CASE WHEN login_throttle.window_start < :cut THEN :now ELSE login_throttle.window_start END "
    "RETURNING attempts, window_start"
)


_KNOWN_SQL = text(
    "INSERT INTO known_logins (account_id, fingerprint, last_at) VALUES (:account_id, :fingerprint, :now) "
    "ON CONFLICT (account_id, fingerprint) DO UPDATE SET last_at = :now"
)


def _verify(hashed: str, password: str) -> bool:
    with _ARGON_SLOTS:
        try:
            return bool(_hasher.verify(hashed, password))
        except (VerificationError, InvalidHashError):
            return False


def _hash_password(password: str) -> str:
    with _ARGON_SLOTS:
        return _hasher.hash(password)


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _take_attempt(conn: Connection, key: str, now: float, window: int) -> tuple[int, float]:
    """Count one attempt on ``key`` atomically (one statement, same SQL on SQLite and PostgreSQL):
    (attempts in the current window including this one, start of the window)."""
    row = conn.execute(_THROTTLE_SQL, {"key": key, "now": now, "cut": now - window}).one()
    return int(row.attempts), float(row.window_start)


def _too_many(window_start: float, now: float, window: int) -> ApiError:
    wait = max(1, int(window_start + window - now) + 1)
    return ApiError(
        429,
        "too_many_attempts",
        f"Too many sign-in attempts for this account. Wait {wait} seconds, "
        "or sign in from a computer you used before.",
        retry_after=wait,
    )


def login(
    engine: Engine, settings: Settings, email: str, password: str, device_name: str, address: str = ""
) -> dict[str, Any]:
    """Sign in. Every attempt is counted BEFORE the password is checked, atomically in the database,
    per account and per address: of 40 parallel guesses only ``login_max_failures`` reach Argon2. Past
    the account's limit the right password still works from a place the account signed in from before
    (no lock-out weapon); past the address's limit nothing from that address is checked."""
    email = normalise_email(email)
    now = time.time()
    window = settings.login_window
    account_key = "account:" + _fingerprint(email)
    address_key = "address:" + _fingerprint(address)
    with write(engine) as conn:
        addr_attempts, addr_start = _take_attempt(conn, address_key, now, window)
        acct_attempts, acct_start = _take_attempt(conn, account_key, now, window)
        row = (
            conn.execute(select(accounts).where(accounts.c.email == email)).first()
            if len(email) <= 320
            else None
        )
        known = (
            row is not None
            and conn.execute(
                select(known_logins.c.last_at).where(
                    and_(
                        known_logins.c.account_id == row.id,
                        known_logins.c.fingerprint == _fingerprint(row.id, address),
                    )
                )
            ).first()
            is not None
        )
    if addr_attempts > settings.login_max_failures * ADDRESS_FACTOR:
        raise _too_many(addr_start, now, window)
    if acct_attempts > settings.login_max_failures and not known:
        raise _too_many(acct_start, now, window)
    ok = _verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
    if not ok or row is None:
        raise ApiError(401, "invalid_credentials", "The e-mail address or password is not right.")
    with write(engine) as conn:
        conn.execute(delete(login_throttle).where(login_throttle.c.key == account_key))
        # a sign-in that succeeded gives its address attempt back: only failures use up an address
        conn.execute(
            update(login_throttle)
            .where(and_(login_throttle.c.key == address_key, login_throttle.c.attempts > 0))
            .values(attempts=login_throttle.c.attempts - 1)
        )
        conn.execute(delete(login_throttle).where(login_throttle.c.window_start < now - max(window, 86400)))
        conn.execute(
            _KNOWN_SQL, {"account_id": row.id, "fingerprint": _fingerprint(row.id, address), "now": now}
        )
        tokens = _issue(conn, settings, row.id, device_name)
    return {**tokens, "member_id": row.id, "account_id": row.id, "role": row.role, "name": row.name}


def refresh(engine: Engine, settings: Settings, refresh_token: str) -> dict[str, Any]:
    """New tokens for a refresh token, which stops working. A refresh token presented AGAIN after it was
    rotated (stolen and replayed, or replayed by the thief after the owner used it) revokes the whole
    session: both the thief and the owner must sign in again."""
    hashed = token_hash(refresh_token)
    now = time.time()
    with write(engine) as conn:
        stmt = (
            select(sessions, accounts.c.role, accounts.c.name)
            .join(accounts, accounts.c.id == sessions.c.account_id)
            .where(sessions.c.refresh_hash == hashed)
        )
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=sessions)  # two refreshes of one token: the second sees a reuse
        row = conn.execute(stmt).first()
        if row is None:
            used = conn.execute(
                select(refresh_used.c.session_id).where(refresh_used.c.refresh_hash == hashed)
            ).first()
            if used is not None:
                conn.execute(update(sessions).where(sessions.c.id == used.session_id).values(revoked=True))
        elif not row.revoked and row.refresh_expires >= now:
            conn.execute(
                insert(refresh_used).values(
                    refresh_hash=hashed, session_id=row.id, expires=row.refresh_expires
                )
            )
            conn.execute(delete(refresh_used).where(refresh_used.c.expires < now))
            tokens = _issue(conn, settings, row.account_id, row.device_name, session_id=row.id)
            return {
                **tokens,
                "member_id": row.account_id,
                "account_id": row.account_id,
                "role": row.role,
                "name": row.name,
            }
    raise ApiError(401, "invalid_refresh_token", "This sign-in has expired or was revoked. Sign in again.")


def authenticate(engine: Engine, token: str) -> Principal:
    with engine.connect() as conn:
        row = conn.execute(
            select(
                sessions.c.id,
                sessions.c.account_id,
                sessions.c.access_expires,
                sessions.c.revoked,
                accounts.c.role,
                accounts.c.email,
                accounts.c.name,
            )
            .join(accounts, accounts.c.id == sessions.c.account_id)
            .where(sessions.c.access_hash == token_hash(token))
        ).first()
        conn.rollback()
    if row is None or row.revoked or row.access_expires < time.time():
        raise ApiError(401, "unauthenticated", "Your sign-in has expired or was revoked. Sign in again.")
    return Principal(row.account_id, row.role, row.id, row.email, row.name)


def revoke(engine: Engine, principal: Principal, session_id: str) -> None:
    with write(engine) as conn:
        done = conn.execute(
            update(sessions)
            .where(and_(sessions.c.id == session_id, sessions.c.account_id == principal.account_id))
            .values(revoked=True)
        ).rowcount
    if not done:
        raise ApiError(404, "not_found", "No such device for this account.")


def devices(engine: Engine, principal: Principal) -> list[dict[str, Any]]:
    with read(engine) as conn:
        rows = conn.execute(
            select(sessions)
            .where(and_(sessions.c.account_id == principal.account_id, sessions.c.revoked.is_(False)))
            .order_by(sessions.c.created_at)
        ).all()
    return [
        {
            "id": r.id,
            "device_name": r.device_name,
            "created_at": r.created_at,
            "last_used_at": r.last_used_at,
            "current": r.id == principal.session_id,
        }
        for r in rows
    ]
