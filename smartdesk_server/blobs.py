"""Content-addressed blob store (receipt photos, logos): resumable, verified by SHA-256, per member.

A blob counts only once its bytes hash to its name. Partial uploads live per member (one member's
upload never mixes with another's); a member gets read access to a blob only by uploading its bytes
(knowing a hash is not enough). Advisors read the blobs of members whose activity they follow.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, insert, select

from smartdesk.sync import protocol as P
from smartdesk_server.auth import Principal
from smartdesk_server.db import advisor_follows, blob_owners, blobs, read, records, write
from smartdesk_server.errors import ApiError
from smartdesk_server.store import now_iso

_SHA = re.compile(r"^[0-9a-f]{64}$")
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def check_sha(sha: str) -> str:
    if not _SHA.match(sha):
        raise ApiError(400, "invalid_request", "A blob is named by its SHA-256: 64 lowercase hexadecimal characters.")
    return sha


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def final_path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def partial_path(self, member_id: str, sha: str) -> Path:
        return self.root / "partial" / member_id / sha

    def _owned(self, engine: Engine, member_id: str, sha: str) -> bool:
        with read(engine) as conn:
            return conn.execute(select(blob_owners).where(and_(
                blob_owners.c.sha256 == sha, blob_owners.c.member_id == member_id))).first() is not None

    def status(self, engine: Engine, principal: Principal, sha: str) -> dict[str, Any]:
        check_sha(sha)
        if self._owned(engine, principal.account_id, sha):
            return {"sha256": sha, "complete": True, "offset": self.final_path(sha).stat().st_size}
        part = self.partial_path(principal.account_id, sha)
        return {"sha256": sha, "complete": False, "offset": part.stat().st_size if part.exists() else 0}

    def put_chunk(self, engine: Engine, principal: Principal, sha: str, content_range: str | None,
                  data: bytes) -> dict[str, Any]:
        check_sha(sha)
        if principal.role != "member":
            raise ApiError(403, "forbidden", "Only members upload receipts.")
        if content_range:
            m = _RANGE.match(content_range.strip())
            if not m:
                raise ApiError(400, "invalid_request", "Content-Range must be “bytes START-END/TOTAL”.")
            start, end, total = (int(x) for x in m.groups())
            if end - start + 1 != len(data):
                raise ApiError(400, "invalid_request", "Content-Range does not match the size of the chunk.")
        else:
            start, total = 0, len(data)
        if total > P.MAX_BLOB_BYTES:
            raise ApiError(413, "blob_too_large", f"A file can be at most {P.MAX_BLOB_BYTES // (1024 * 1024)} MB.")
        if start + len(data) > total:
            raise ApiError(400, "invalid_request", "The chunk goes past the announced total size.")
        if self._owned(engine, principal.account_id, sha):
            return {"sha256": sha, "complete": True, "offset": total}
        part = self.partial_path(principal.account_id, sha)
        part.parent.mkdir(parents=True, exist_ok=True)
        have = part.stat().st_size if part.exists() else 0
        if start != have:
            raise ApiError(409, "blob_offset_mismatch", f"The server holds {have} bytes of this file; send from there.",
                           offset=have)
        with part.open("ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        have += len(data)
        if have < total:
            return {"sha256": sha, "complete": False, "offset": have}
        digest = hashlib.sha256()
        with part.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha:
            part.unlink(missing_ok=True)
            raise ApiError(422, "blob_hash_mismatch", "The file received does not match its SHA-256 (it was damaged "
                           "on the way). It was discarded; send it again.")
        final = self.final_path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            part.unlink(missing_ok=True)
        else:
            os.replace(part, final)
        with write(engine) as conn:
            if conn.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha)).first() is None:
                conn.execute(insert(blobs).values(sha256=sha, size=total, created_at=now_iso()))
            if conn.execute(select(blob_owners).where(and_(blob_owners.c.sha256 == sha,
                                                           blob_owners.c.member_id == principal.account_id))).first() is None:
                conn.execute(insert(blob_owners).values(sha256=sha, member_id=principal.account_id))
        return {"sha256": sha, "complete": True, "offset": total}

    def readable(self, engine: Engine, principal: Principal, sha: str) -> Path:
        check_sha(sha)
        with read(engine) as conn:
            if principal.role == "member":
                ok = conn.execute(select(blob_owners).where(and_(
                    blob_owners.c.sha256 == sha, blob_owners.c.member_id == principal.account_id))).first()
            else:
                ok = conn.execute(select(blob_owners.c.member_id).where(and_(
                    blob_owners.c.sha256 == sha, blob_owners.c.member_id.in_(
                        select(records.c.member_id).where(and_(records.c.type == "activity", records.c.id.in_(
                            select(advisor_follows.c.activity_id).where(
                                advisor_follows.c.advisor_id == principal.account_id)))))))).first()
        if not ok:
            raise ApiError(404, "not_found", "No such file for this account.")
        return self.final_path(sha)
