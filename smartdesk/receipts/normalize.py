"""From the file a member picks (or the camera shoots) to what SmartDesk stores for a receipt."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from smartdesk.receipts.images import (
    JPEG,
    PDF,
    check_size,
    image_thumbnail,
    normalize_image,
    open_image,
    sniff,
    thumbnail_from_image,
)
from smartdesk.receipts.pdf import inspect_pdf, pdf_thumbnail
from smartdesk.receipts.policy import (
    DEFAULT_POLICY,
    ReceiptError,
    ReceiptPolicy,
    err_receipt_pages,
    err_receipt_size,
    err_unsupported,
)


def content_hash(data: bytes) -> str:
    """SHA-256 in hex: the attachment store's file name and the duplicate-detection key."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class NormalizedReceipt:
    """A receipt ready to store: one entry per page, in order.

    ``pages`` holds JPEG bytes for photos and the original bytes for PDFs (``media_types`` tells
    which). ``media_type``, ``width`` and ``height`` describe the first page (pixels for a photo,
    PDF points for a PDF). ``source_hashes`` are the hashes of the files as picked, so the caller
    can also recognise the very same file added twice.
    """

    pages: list[bytes]
    media_type: str
    width: int
    height: int
    media_types: list[str] = field(default_factory=list)
    sizes: list[tuple[int, int]] = field(default_factory=list)
    page_counts: list[int] = field(default_factory=list)  # pages inside each part (PDFs may have many)
    source_media_types: list[str] = field(default_factory=list)
    source_hashes: list[str] = field(default_factory=list)
    thumbnail: bytes = b""  # JPEG of the first page

    @property
    def hashes(self) -> list[str]:
        return [content_hash(page) for page in self.pages]

    @property
    def total_bytes(self) -> int:
        return sum(len(page) for page in self.pages)


@dataclass(frozen=True)
class _Part:
    data: bytes
    media_type: str
    width: int
    height: int
    page_count: int
    source_media_type: str
    source_hash: str
    thumbnail: bytes


def _normalize_one(data: bytes, filename: str, policy: ReceiptPolicy, want_thumbnail: bool) -> _Part:
    check_size(data, filename, policy)
    kind = sniff(data)
    if kind is None:
        open_image(data, filename, policy)  # raises the plain "not a photo or PDF" message
        raise err_unsupported(filename)  # pragma: no cover - open_image always raises here
    if kind == PDF:
        facts = inspect_pdf(data, filename, policy)
        thumb = pdf_thumbnail(data, policy.thumbnail_px, filename) if want_thumbnail else b""
        return _Part(
            data,
            PDF,
            round(facts.width_pt),
            round(facts.height_pt),
            facts.page_count,
            PDF,
            content_hash(data),
            thumb,
        )
    encoded, image = normalize_image(data, filename, policy, kind)
    thumb = thumbnail_from_image(image, policy.thumbnail_px) if want_thumbnail else b""
    return _Part(encoded, JPEG, image.width, image.height, 1, kind, content_hash(data), thumb)


def normalize_pages(
    files: Sequence[bytes | tuple[bytes, str]], policy: ReceiptPolicy = DEFAULT_POLICY
) -> NormalizedReceipt:
    """Normalize every page of one receipt (photos and/or PDFs, in order); all or nothing."""
    items = [(f, "") if isinstance(f, bytes | bytearray) else (bytes(f[0]), f[1]) for f in files]
    if not items:
        raise ReceiptError(
            "empty",
            "No file was chosen for this receipt. Take a photo of the receipt or choose a photo or PDF file.",
        )
    if len(items) > policy.max_pages:
        raise err_receipt_pages(len(items), policy.max_pages)
    total = sum(len(data) for data, _ in items)
    if total > policy.max_receipt_bytes:
        raise err_receipt_size(total, policy.max_receipt_bytes)
    parts = [
        _normalize_one(bytes(data), name, policy, want_thumbnail=(i == 0))
        for i, (data, name) in enumerate(items)
    ]
    first = parts[0]
    return NormalizedReceipt(
        pages=[p.data for p in parts],
        media_type=first.media_type,
        width=first.width,
        height=first.height,
        media_types=[p.media_type for p in parts],
        sizes=[(p.width, p.height) for p in parts],
        page_counts=[p.page_count for p in parts],
        source_media_types=[p.source_media_type for p in parts],
        source_hashes=[p.source_hash for p in parts],
        thumbnail=first.thumbnail,
    )


def normalize(data: bytes, filename: str = "", policy: ReceiptPolicy = DEFAULT_POLICY) -> NormalizedReceipt:
    """Normalize one receipt file (photo or PDF). Raises ``ReceiptError`` with a plain message."""
    return normalize_pages([(data, filename)], policy)


def render_thumbnail(data: bytes, max_px: int = 256, policy: ReceiptPolicy = DEFAULT_POLICY) -> bytes:
    """A JPEG preview of a stored photo or of the first page of a stored PDF."""
    if sniff(data) == PDF:
        return pdf_thumbnail(data, max_px)
    return image_thumbnail(data, max_px, policy)
