"""Content-addressed attachment files (receipt photos, receipt PDFs, logos).

Each file is stored once, named by the SHA-256 of its bytes: ``root/ab/abcdef...``. Writing is
atomic (temporary file in the same folder, ``fsync``, ``os.replace``, then ``fsync`` of the
folder), so a crash leaves either the whole file or nothing, never half a receipt. Writing the
same bytes twice is a no-op. Small preview images are cached under ``root/thumbs``.

This module holds no SQL: the local database records one metadata row per attachment itself
(``Store.record_attachment``). Nothing here imports Qt.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from smartdesk.errors import AttachmentError, Message, NotFoundError

_HASH_RE = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class AttachmentInfo:
    sha256: str
    size: int
    media_type: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_hash(sha256: str) -> str:
    """Refuse anything that is not a lowercase hex SHA-256 (it becomes a file name)."""
    value = sha256.strip().lower() if isinstance(sha256, str) else ""
    if not _HASH_RE.match(value):
        raise AttachmentError(
            Message(
                "'{reference}' is not a valid attachment reference (expected 64 hexadecimal characters). "
                "The attachment may come from a damaged record; add the receipt file again.",
                reference=sha256,
            )
        )
    return value


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX). Windows cannot open folders; os.replace is enough there."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AttachmentStore:
    """Files named by their SHA-256 under ``root``; safe to share between threads and processes."""

    THUMBS = "thumbs"
    TMP = "tmp"

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / self.TMP).mkdir(exist_ok=True)

    # --- paths -----------------------------------------------------------------------------------
    def path(self, sha256: str) -> Path:
        """Where the file with this hash lives (whether or not it exists)."""
        value = _check_hash(sha256)
        return self.root / value[:2] / value

    def _thumb_path(self, sha256: str, max_px: int) -> Path:
        value = _check_hash(sha256)
        return self.root / self.THUMBS / value[:2] / f"{value}-{int(max_px)}"

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    # --- writing ---------------------------------------------------------------------------------
    def put_bytes(self, data: bytes, media_type: str, expected_sha256: str | None = None) -> AttachmentInfo:
        """Store ``data`` (idempotent) and return its hash, size and the given media type.

        With ``expected_sha256`` (e.g. a blob downloaded during sync) bytes that do not match are
        refused and nothing is written.
        """
        sha = sha256_hex(data)
        if expected_sha256 is not None and _check_hash(expected_sha256) != sha:
            raise AttachmentError(
                "The downloaded receipt file does not match its fingerprint (it was damaged on the way). "
                "Nothing was saved; sync again to download it once more."
            )
        info = AttachmentInfo(sha256=sha, size=len(data), media_type=media_type)
        target = self.path(sha)
        if target.is_file() and target.stat().st_size == len(data) and self.verify(sha):
            return info  # already there and intact: content addressing makes this a no-op
        self._replace_from_tmp(target, [data])  # new, or repairs a damaged copy
        return info

    def put_file(
        self, source: Path | str, media_type: str, expected_sha256: str | None = None
    ) -> AttachmentInfo:
        """Store a file without reading it into memory at once (big PDFs, downloaded blobs)."""
        source = Path(source)

        fd, tmp_name = tempfile.mkstemp(prefix=".part-", dir=self.root / self.TMP)
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while block := src.read(_CHUNK):
                    digest.update(block)
                    size += len(block)
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            if expected_sha256 is not None and _check_hash(expected_sha256) != sha:
                raise AttachmentError(
                    "The receipt file does not match its fingerprint (it is damaged). "
                    "Nothing was saved; download or add it again."
                )
            target = self.path(sha)
            if target.is_file() and target.stat().st_size == size and self.verify(sha):
                Path(tmp_name).unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, target)
                _fsync_dir(target.parent)
            return AttachmentInfo(sha256=sha, size=size, media_type=media_type)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def _replace_from_tmp(self, target: Path, chunks: list[bytes]) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".part-", dir=self.root / self.TMP)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)

    # --- reading ---------------------------------------------------------------------------------
    def _missing(self, sha256: str) -> NotFoundError:
        return NotFoundError(
            Message(
                "The receipt file {reference}... is not on this computer. "
                "Sync to download it again, or add the receipt file once more.",
                reference=sha256[:12],
            )
        )

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError:
            raise self._missing(sha256) from None

    def read(self, sha256: str) -> bytes:
        with self.open(sha256) as fh:
            return fh.read()

    def size(self, sha256: str) -> int:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise self._missing(sha256) from None

    def verify(self, sha256: str) -> bool:
        """Re-hash the stored file: True if it is intact, False if missing or damaged."""
        path = self.path(sha256)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                while block := fh.read(_CHUNK):
                    digest.update(block)
        except FileNotFoundError:
            return False
        return digest.hexdigest() == path.name

    def iter_hashes(self) -> Iterator[str]:
        """Every stored hash (sorted per folder); skips temporary files and thumbnails."""
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir() or len(folder.name) != 2:
                continue
            for entry in sorted(folder.iterdir()):
                if entry.is_file() and _HASH_RE.match(entry.name) and entry.name[:2] == folder.name:
                    yield entry.name

    # --- removal ---------------------------------------------------------------------------------
    def delete(self, sha256: str) -> bool:
        """Remove the file and its cached previews; True if something was removed."""
        path = self.path(sha256)
        removed = False
        try:
            path.unlink()
            removed = True
        except FileNotFoundError:
            pass
        thumbs = self.root / self.THUMBS / path.name[:2]
        if thumbs.is_dir():
            for thumb in thumbs.glob(f"{path.name}-*"):
                thumb.unlink(missing_ok=True)
        return removed

    def clean_temporary(self) -> int:
        """Remove leftovers of interrupted writes (call at start-up); return how many."""
        count = 0
        for leftover in (self.root / self.TMP).glob(".part-*"):
            leftover.unlink(missing_ok=True)
            count += 1
        return count

    # --- previews --------------------------------------------------------------------------------
    def thumbnail(self, sha256: str, max_px: int = 256) -> bytes:
        """A small JPEG preview (photos and the first page of PDFs), cached on disk."""
        cached = self._thumb_path(sha256, max_px)
        try:
            return cached.read_bytes()
        except FileNotFoundError:
            pass
        from smartdesk.receipts import render_thumbnail

        data = render_thumbnail(self.read(sha256), max_px=max_px)
        self._replace_from_tmp(cached, [data])
        return data
