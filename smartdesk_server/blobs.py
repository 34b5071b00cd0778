"""Content-addressed blob store (receipt photos, logos): resumable, verified by SHA-256, per member.

A blob counts only once its bytes hash to its name. Partial uploads live per member (one member's
upload never mixes with another's); a member gets read access to a blob only by uploading its bytes
(knowing a hash is not enough). Advisors read the blobs of members whose activity they follow.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, insert, select
from sqlalchemy.sql.dml import Insert

from smartdesk.sync import protocol as P
from smartdesk_server.auth import Principal
from smartdesk_server.db import advisor_follows, blob_owners, blobs, read, records, write
from smartdesk_server.errors import ApiError
from smartdesk_server.store import now_iso

_SHA = re.compile(r"[0-9a-f]{64}", re.ASCII)
_RANGE = re.compile(r"bytes ([0-9]{1,12})-([0-9]{1,12})/([0-9]{1,12})", re.ASCII)
PARTIAL_QUOTA_BYTES = 2 * P.MAX_BLOB_BYTES  # unfinished uploads one member may keep at a time
PARTIAL_MAX_AGE = 86400.0  # an unfinished upload untouched for a day is removed


def check_sha(sha: str) -> str:
    # fullmatch: "$" would let a trailing newline through
    if not _SHA.fullmatch(sha):
        raise ApiError(
            400, "invalid_request", "A blob is named by its SHA-256: 64 lowercase hexadecimal characters."
        )
    return sha


class BlobStore:
    """Blobs on disk. An upload is a part file plus a small ``.total`` file saying its announced size;
    once all bytes are present, verification and finalisation are idempotent steps that any later
    request (status, HEAD or PUT) repeats until they are done, so a crash at any point never leaves an
    upload stuck at "all bytes here, not complete"."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def final_path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def partial_path(self, member_id: str, sha: str) -> Path:
        return self.root / "partial" / member_id / sha

    def _total_path(self, member_id: str, sha: str) -> Path:
        return self.root / "partial" / member_id / f"{sha}.total"

    def _announced(self, member_id: str, sha: str) -> int | None:
        try:
            text = self._total_path(member_id, sha).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() and len(text) <= 12 else None

    def _owned(self, engine: Engine, member_id: str, sha: str) -> bool:
        with read(engine) as conn:
            return (
                conn.execute(
                    select(blob_owners).where(
                        and_(blob_owners.c.sha256 == sha, blob_owners.c.member_id == member_id)
                    )
                ).first()
                is not None
            )

    def status(self, engine: Engine, principal: Principal, sha: str) -> dict[str, Any]:
        check_sha(sha)
        if self._owned(engine, principal.account_id, sha):
            return {"sha256": sha, "complete": True, "offset": self.final_path(sha).stat().st_size}
        part = self.partial_path(principal.account_id, sha)
        have = part.stat().st_size if part.exists() else 0
        total = self._announced(principal.account_id, sha)
        if principal.role == "member" and total is not None and have == total and have > 0:
            return self._finish(engine, principal.account_id, sha, total)  # all bytes here: finish it now
        return {"sha256": sha, "complete": False, "offset": have}

    def _partial_bytes(self, member_id: str, except_sha: str) -> int:
        """Announced sizes of the member's unfinished uploads; removes those untouched for a day."""
        folder = self.root / "partial" / member_id
        used = 0
        now = time.time()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return 0
        for entry in entries:
            if entry.name.endswith(".total") or entry.name == except_sha:
                continue
            try:
                if now - entry.stat().st_mtime > PARTIAL_MAX_AGE:
                    self._drop_partial(member_id, entry.name)
                    continue
            except FileNotFoundError:
                continue
            used += self._announced(member_id, entry.name) or P.MAX_BLOB_BYTES
        return used

    def _drop_partial(self, member_id: str, sha: str) -> None:
        self.partial_path(member_id, sha).unlink(missing_ok=True)
        self._total_path(member_id, sha).unlink(missing_ok=True)

    def clean_partials(self, max_age: float = PARTIAL_MAX_AGE) -> int:
        """Remove every unfinished upload untouched for ``max_age`` seconds; the number removed."""
        removed = 0
        now = time.time()
        base = self.root / "partial"
        if not base.exists():
            return 0
        for member_dir in base.iterdir():
            for entry in list(os.scandir(member_dir)):
                if entry.name.endswith(".total"):
                    continue
                try:
                    old = now - entry.stat().st_mtime > max_age
                except FileNotFoundError:
                    continue
                if old:
                    self._drop_partial(member_dir.name, entry.name)
                    removed += 1
        return removed

    def put_chunk(
        self, engine: Engine, principal: Principal, sha: str, content_range: str | None, data: bytes
    ) -> dict[str, Any]:
        check_sha(sha)
        if principal.role != "member":
            raise ApiError(403, "forbidden", "Only members upload receipts.")
        if content_range:
            m = _RANGE.fullmatch(content_range.strip())
            if not m:
                raise ApiError(400, "invalid_request", "Content-Range must be “bytes START-END/TOTAL”.")
            start, end, total = (int(x) for x in m.groups())
            if end - start + 1 != len(data) and not (len(data) == 0 and start == total):
                raise ApiError(400, "invalid_request", "Content-Range does not match the size of the chunk.")
        else:
            start, total = 0, len(data)
        if total > P.MAX_BLOB_BYTES:
            raise ApiError(
                413, "blob_too_large", f"A file can be at most {P.MAX_BLOB_BYTES // (1024 * 1024)} MB."
            )
        if start + len(data) > total:
            raise ApiError(400, "invalid_request", "The chunk goes past the announced total size.")
        member = principal.account_id
        if self._owned(engine, member, sha):
            return {"sha256": sha, "complete": True, "offset": total}
        part = self.partial_path(member, sha)
        part.parent.mkdir(parents=True, exist_ok=True)
        have = part.stat().st_size if part.exists() else 0
        announced = self._announced(member, sha)
        if announced is not None and announced != total:
            self._drop_partial(member, sha)  # a different total: start this file again
            have, announced = 0, None
        if have == total and have > 0:
            return self._finish(
                engine, member, sha, total
            )  # all bytes were here already (crash before verify)
        if start != have:
            raise ApiError(
                409,
                "blob_offset_mismatch",
                f"The server holds {have} bytes of this file; send from there.",
                offset=have,
            )
        if announced is None:
            if self._partial_bytes(member, sha) + total > PARTIAL_QUOTA_BYTES:
                raise ApiError(
                    413,
                    "blob_quota_exceeded",
                    "Too many unfinished uploads for this account. Finish "
                    "them, or wait a day: unfinished uploads are removed after 24 hours.",
                )
            tmp = self._total_path(member, sha).with_suffix(".tmp")
            tmp.write_text(str(total), encoding="ascii")
            os.replace(tmp, self._total_path(member, sha))
        with part.open("ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        have += len(data)
        if have < total:
            return {"sha256": sha, "complete": False, "offset": have}
        return self._finish(engine, member, sha, total)

    def _finish(self, engine: Engine, member: str, sha: str, total: int) -> dict[str, Any]:
        """Verify and finalise an upload whose bytes are all present. Idempotent: each step checks
        whether it was done already, so it can be repeated after a crash between any two steps."""
        part = self.partial_path(member, sha)
        final = self.final_path(sha)
        if part.exists():
            digest = hashlib.sha256()
            with part.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != sha:
                self._drop_partial(member, sha)
                raise ApiError(
                    422,
                    "blob_hash_mismatch",
                    "The file received does not match its SHA-256 (it was "
                    "damaged on the way). It was discarded; send it again.",
                )
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                part.unlink(missing_ok=True)
            else:
                try:
                    os.replace(part, final)
                except FileNotFoundError:  # a parallel request of the same member finished it first
                    if not final.exists():
                        raise
        elif not final.exists():
            return {"sha256": sha, "complete": False, "offset": 0}
        size = final.stat().st_size
        with write(engine) as conn:
            if conn.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha)).first() is None:
                conn.execute(
                    _insert_once(conn, blobs, {"sha256": sha, "size": size, "created_at": now_iso()})
                )
            if (
                conn.execute(
                    select(blob_owners).where(
                        and_(blob_owners.c.sha256 == sha, blob_owners.c.member_id == member)
                    )
                ).first()
                is None
            ):
                conn.execute(_insert_once(conn, blob_owners, {"sha256": sha, "member_id": member}))
        self._total_path(member, sha).unlink(missing_ok=True)
        return {"sha256": sha, "complete": True, "offset": size}

    def readable(self, engine: Engine, principal: Principal, sha: str) -> Path:
        check_sha(sha)
        with read(engine) as conn:
            if principal.role == "member":
                ok = conn.execute(
                    select(blob_owners).where(
                        and_(blob_owners.c.sha256 == sha, blob_owners.c.member_id == principal.account_id)
                    )
                ).first()
            else:
                ok = conn.execute(
                    select(blob_owners.c.member_id).where(
                        and_(
                            blob_owners.c.sha256 == sha,
                            blob_owners.c.member_id.in_(
                                select(records.c.member_id).where(
                                    and_(
                                        records.c.type == "activity",
                                        records.c.id.in_(
                                            select(advisor_follows.c.activity_id).where(
                                                advisor_follows.c.advisor_id == principal.account_id
                                            )
                                        ),
                                    )
                                )
                            ),
                        )
                    )
                ).first()
        if not ok:
            raise ApiError(404, "not_found", "No such file for this account.")
        return self.final_path(sha)


def _insert_once(conn: Connection, table: Table, values: dict[str, Any]) -> Insert:
    """An INSERT that does nothing when the row exists (two finalisations racing on PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(**values).on_conflict_do_nothing()
    return insert(table).values(**values)
