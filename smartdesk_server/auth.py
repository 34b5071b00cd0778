"""Accounts, passwords (Argon2), opaque tokens stored hashed (SHA-256), login throttling."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update

from smartdesk_server.config import Settings
from smartdesk_server.db import accounts, advisor_follows, login_failures, read, sessions, write
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
    return email.strip().lower()


def create_account(engine: Engine, *, email: str, password: str, name: str, role: str,
                   entity: str = "BE", account_id: str | None = None) -> str:
    email = normalise_email(email)
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 320:
        raise ValueError(f"“{email}” is not an e-mail address")
    if len(password) < 8:
        raise ValueError("a password has at least 8 characters")
    new_id = account_id or str(uuid.uuid4())
    hashed = _hasher.hash(password)
    with write(engine) as conn:
        if conn.execute(select(accounts.c.id).where(accounts.c.email == email)).first():
            raise ValueError(f"an account with the e-mail address {email} already exists")
        conn.execute(insert(accounts).values(id=new_id, email=email, password_hash=hashed, name=name, role=role,
                                             entity=entity.upper(), created_at=now_iso()))
        if role == "member":
            ensure_member_rev(conn, new_id)
    return new_id


def follow(engine: Engine, advisor_id: str, activity_id: str) -> None:
    with write(engine) as conn:
        exists = conn.execute(select(advisor_follows).where(and_(
            advisor_follows.c.advisor_id == advisor_id, advisor_follows.c.activity_id == activity_id))).first()
        if not exists:
            conn.execute(insert(advisor_follows).values(advisor_id=advisor_id, activity_id=activity_id))


def _issue(conn: Connection, settings: Settings, account_id: str, device_name: str,
           session_id: str | None = None) -> dict[str, Any]:
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = time.time()
    values = {"access_hash": token_hash(access), "access_expires": now + settings.access_ttl,
              "refresh_hash": token_hash(refresh), "refresh_expires": now + settings.refresh_ttl,
              "last_used_at": now_iso()}
    if session_id is None:
        session_id = str(uuid.uuid4())
        conn.execute(insert(sessions).values(id=session_id, account_id=account_id, device_name=device_name[:200],
                                             revoked=False, created_at=now_iso(), **values))
    else:
        conn.execute(update(sessions).where(sessions.c.id == session_id).values(**values))
    return {"access_token": access, "refresh_token": refresh, "token_type": "bearer",
            "expires_in": settings.access_ttl, "device_id": session_id}


def login(engine: Engine, settings: Settings, email: str, password: str, device_name: str) -> dict[str, Any]:
    email = normalise_email(email)
    now = time.time()
    with read(engine) as conn:
        failures = conn.execute(select(func.count()).select_from(login_failures).where(and_(
            login_failures.c.email == email, login_failures.c.at > now - settings.login_window))).scalar_one()
        row = conn.execute(select(accounts).where(accounts.c.email == email)).first()
    if failures >= settings.login_max_failures:
        raise ApiError(429, "too_many_attempts", "Too many wrong passwords for this account. Wait "
                       f"{settings.login_window // 60} minutes, then try again.")
    ok = False
    try:
        ok = _hasher.verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        with write(engine) as conn:
            conn.execute(insert(login_failures).values(email=email, at=now))
            conn.execute(delete(login_failures).where(login_failures.c.at < now - 86400))
        raise ApiError(401, "invalid_credentials", "The e-mail address or password is not right.")
    with write(engine) as conn:
        conn.execute(delete(login_failures).where(login_failures.c.email == email))
        tokens = _issue(conn, settings, row.id, device_name)
    return {**tokens, "member_id": row.id, "account_id": row.id, "role": row.role, "name": row.name}


def refresh(engine: Engine, settings: Settings, refresh_token: str) -> dict[str, Any]:
    with write(engine) as conn:
        row = conn.execute(select(sessions, accounts.c.role, accounts.c.name)
                           .join(accounts, accounts.c.id == sessions.c.account_id)
                           .where(sessions.c.refresh_hash == token_hash(refresh_token))).first()
        if row is None or row.revoked or row.refresh_expires < time.time():
            raise ApiError(401, "invalid_refresh_token", "This sign-in has expired or was revoked. Sign in again.")
        tokens = _issue(conn, settings, row.account_id, row.device_name, session_id=row.id)
    return {**tokens, "member_id": row.account_id, "account_id": row.account_id, "role": row.role, "name": row.name}


def authenticate(engine: Engine, token: str) -> Principal:
    with engine.connect() as conn:
        row = conn.execute(select(sessions.c.id, sessions.c.account_id, sessions.c.access_expires,
                                  sessions.c.revoked, accounts.c.role, accounts.c.email, accounts.c.name)
                           .join(accounts, accounts.c.id == sessions.c.account_id)
                           .where(sessions.c.access_hash == token_hash(token))).first()
        conn.rollback()
    if row is None or row.revoked or row.access_expires < time.time():
        raise ApiError(401, "unauthenticated", "Your sign-in has expired or was revoked. Sign in again.")
    return Principal(row.account_id, row.role, row.id, row.email, row.name)


def revoke(engine: Engine, principal: Principal, session_id: str) -> None:
    with write(engine) as conn:
        done = conn.execute(update(sessions).where(and_(sessions.c.id == session_id,
                                                        sessions.c.account_id == principal.account_id))
                            .values(revoked=True)).rowcount
    if not done:
        raise ApiError(404, "not_found", "No such device for this account.")


def devices(engine: Engine, principal: Principal) -> list[dict[str, Any]]:
    with read(engine) as conn:
        rows = conn.execute(select(sessions).where(and_(sessions.c.account_id == principal.account_id,
                                                        sessions.c.revoked.is_(False)))
                            .order_by(sessions.c.created_at)).all()
    return [{"id": r.id, "device_name": r.device_name, "created_at": r.created_at, "last_used_at": r.last_used_at,
             "current": r.id == principal.session_id} for r in rows]
