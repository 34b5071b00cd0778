"""Receipts: pages normalized and stored once (by hash), attached to expense lines; expense categories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartdesk.domain.documents import Document
from smartdesk.domain.expenses import STATE_KEY as EXPENSE_CATEGORIES_KEY
from smartdesk.domain.expenses import ExpenseCategory, categories
from smartdesk.errors import NotFoundError, TransitionError

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


@dataclass(frozen=True)
class ReceiptAdded:
    document: Document
    line_id: str
    hashes: list[str]
    duplicates: list[str]  # other expense notes that already carry this receipt


@dataclass(frozen=True)
class StoredReceipt:
    hashes: list[str]
    media_types: list[str]
    duplicates: list[Document]  # other expense notes that already carry one of these pages


class ReceiptService:
    """``ws.receipts``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def _put_pages(self, files: list[tuple[bytes, str]]) -> tuple[list[str], list[str]]:
        from smartdesk.receipts import normalize_pages

        receipt = normalize_pages(files)
        hashes: list[str] = []
        for page, media_type in zip(receipt.pages, receipt.media_types, strict=True):
            info = self._ws.attachments.put_bytes(page, media_type)
            self._ws.store.record_attachment(info.sha256, media_type, info.size, files[0][1] if files else "")
            hashes.append(info.sha256)
        return hashes, list(receipt.media_types)

    def add(self, doc_id: str, files: list[tuple[bytes, str]], line_id: str = "") -> ReceiptAdded:
        """Normalize a receipt (one or more pages) and attach it to an expense line.

        Without ``line_id`` a new expense line is made for it. The receipt is refused whole, with a
        plain message, when a file is unusable; nothing else in the note changes. A receipt already
        attached to another expense note is still added, and reported in ``duplicates``.
        """
        ws = self._ws
        doc = ws.store.get_document(doc_id)
        if not doc.is_expense:
            raise TransitionError("Receipts go on expense notes: open or create an expense note first.")
        hashes, _types = self._put_pages(files)
        duplicates = sorted(
            {other for h in hashes for other in ws.store.documents_with_receipt(h) if other != doc_id}
        )
        if line_id:
            line = next((x for x in doc.expense_lines if x.id == line_id), None)
            if line is None:
                raise NotFoundError("That expense line is no longer on this note.")
        else:
            line = ws.documents.new_expense_line(doc)
            doc.expense_lines.append(line)
        line.receipts.extend(h for h in hashes if h not in line.receipts)
        ws.documents.save(doc)
        return ReceiptAdded(document=doc, line_id=line.id, hashes=hashes, duplicates=duplicates)

    def store(self, files: list[tuple[bytes, str]], doc_id: str = "") -> StoredReceipt:
        """Normalize and store a receipt's pages without touching any document.

        The GUI then attaches ``hashes`` to a line as one undoable edit. Refused whole, with a plain
        ``ReceiptError``, when a file is unusable. ``duplicates``: other expense notes (not ``doc_id``)
        that already carry one of these pages.
        """
        hashes, media_types = self._put_pages(files)
        return StoredReceipt(
            hashes=hashes, media_types=media_types, duplicates=self.duplicates(hashes, doc_id)
        )

    def duplicates(self, hashes: list[str], doc_id: str = "") -> list[Document]:
        """The other expense notes that already carry one of these receipt pages."""
        store = self._ws.store
        ids = sorted({other for h in hashes for other in store.documents_with_receipt(h) if other != doc_id})
        found: list[Document] = []
        for other in ids:
            try:
                found.append(store.get_document(other))
            except NotFoundError:
                continue
        return found

    def store_edited(self, data: bytes, filename: str = "") -> str:
        """Store a page edited in the receipt viewer (turned or cropped JPEG); return its hash."""
        from smartdesk.receipts import sniff

        media_type = sniff(data) or "image/jpeg"
        info = self._ws.attachments.put_bytes(data, media_type)
        self._ws.store.record_attachment(info.sha256, media_type, info.size, filename)
        return info.sha256

    def expense_categories(self) -> list[ExpenseCategory]:
        """The categories an expense line can take: the cooperative's list once synced (sync_state key
        ``expense_categories``, see docs/receipts.md), else the built-in list."""
        synced = self._ws.store.get_state(EXPENSE_CATEGORIES_KEY)
        return categories(synced if isinstance(synced, list) else None)
