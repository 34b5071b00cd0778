"""Reading the receipts the member gives us: files, drops, pastes (no widgets here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QMimeData,
)
from PySide6.QtGui import (
    QImage,
    QPixmap,
)

from smartdesk.domain.documents import Document
from smartdesk.i18n.ui import _, tr
from smartdesk.receipts import DEFAULT_POLICY, ReceiptError
from smartdesk.receipts.policy import err_too_large

RECEIPT_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".pdf")


THUMB_PX = 128


_RAW_IMAGE_FORMATS = ("image/jpeg", "image/png", "image/heic", "image/heif", "application/pdf")


# --- reading what the member gives us --------------------------------------------------------------------


def read_receipt_files(paths: list[str]) -> list[tuple[bytes, str]]:
    """Read picked or dropped files, refusing huge ones before reading them (runs on a worker)."""
    files: list[tuple[bytes, str]] = []
    for raw in paths:
        path = Path(raw)
        try:
            size = path.stat().st_size
        except OSError:
            raise ReceiptError(
                "unreadable",
                tr(
                    "“{name}” could not be opened: it was moved or deleted. Choose the file again.",
                    name=path.name,
                ),
            ) from None
        if size > DEFAULT_POLICY.max_file_bytes:
            raise err_too_large(path.name, size, DEFAULT_POLICY.max_file_bytes)
        files.append((path.read_bytes(), path.name))
    return files


def image_to_png(image: QImage) -> bytes:
    """A pasted or dropped picture (no file behind it) as PNG bytes; safe on a worker thread."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide6 takes str only
    return bytes(buffer.data().data())


@dataclass
class ReceiptInput:
    """What a drop or a paste carries: local files, encoded images, or a bare picture."""

    paths: list[str]
    blobs: list[tuple[bytes, str]]
    images: list[QImage]

    def __bool__(self) -> bool:
        return bool(self.paths or self.blobs or self.images)

    def read(self) -> list[tuple[bytes, str]]:
        """All pages as (bytes, name), in order: run on a worker (reads files, encodes images)."""
        files = read_receipt_files(self.paths)
        files += self.blobs
        files += [(image_to_png(im), _("pasted picture") + ".png") for im in self.images]
        return files


def receipt_input(mime: QMimeData | None) -> ReceiptInput:
    """The receipt pages in dropped or pasted data (file URLs first, then image bytes, then a picture)."""
    found = ReceiptInput([], [], [])
    if mime is None:
        return found
    if mime.hasUrls():
        found.paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]
        if found.paths:
            return found
    for fmt in _RAW_IMAGE_FORMATS:
        if mime.hasFormat(fmt):
            data = bytes(mime.data(fmt).data())
            if data:
                suffix = fmt.rsplit("/", 1)[-1].replace("jpeg", "jpg")
                found.blobs = [(data, _("pasted picture") + "." + suffix)]
                return found
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QPixmap):
            image = image.toImage()
        if isinstance(image, QImage) and not image.isNull():
            found.images = [image.copy()]
    return found


def document_label(doc: Document) -> str:
    """How the member recognises another expense note: its number, else its title, else its date."""
    if doc.number:
        return doc.number
    if doc.title:
        return f"“{doc.title}”"
    day = doc.issue_date.strftime("%d/%m/%Y") if doc.issue_date else "?"
    return tr("draft of {date}", date=day)
