"""Every SQL statement on ``attachments`` (one metadata row per receipt file; the files themselves
are kept by ``smartdesk.store.attachments``) and ``sync_blobs_done`` (files the server has)."""

from __future__ import annotations

from collections.abc import Sequence

from smartdesk.store.connection import Connection

_CHUNK = 500


def record(conn: Connection, sha256: str, media_type: str, size: int, filename: str, created_at: str) -> None:
    """One row per file, the first name it came with kept."""
    conn.execute(
        "INSERT INTO attachments (sha256, media_type, size, filename, uploaded, created_at) "
        "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT(sha256) DO NOTHING",
        (sha256, media_type, size, filename, created_at),
    )


def forget(conn: Connection, hashes: Sequence[str]) -> None:
    for start in range(0, len(hashes), _CHUNK):
        chunk = list(hashes[start : start + _CHUNK])
        conn.execute(f"DELETE FROM attachments WHERE sha256 IN ({', '.join('?' for _ in chunk)})", chunk)


def uploaded_hashes(conn: Connection) -> set[str]:
    """Files the server already has (never uploaded again)."""
    return {r[0] for r in conn.execute("SELECT sha256 FROM sync_blobs_done").tuples()}


def mark_uploaded(conn: Connection, sha256: str, uploaded_at: str) -> None:
    conn.execute(
        "INSERT INTO sync_blobs_done (sha256, uploaded_at) VALUES (?, ?) ON CONFLICT(sha256) DO NOTHING",
        (sha256, uploaded_at),
    )
    conn.execute("UPDATE attachments SET uploaded = 1 WHERE sha256 = ?", (sha256,))
