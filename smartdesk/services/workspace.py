"""The workspace: one local data folder, and the services that work on it, one per area.

``Workspace`` is a small façade (like Anki's ``col.decks``, ``col.models``): it opens the store and
hands out the services, each a small class in its own module::

    ws = Workspace.open()
    doc = ws.documents.new(DocumentKind.INVOICE, client_id)
    ws.documents.save(doc)
    ws.clients.list("studio")
    ws.sync.run()

The services are safe to use from several threads: reads use pooled connections, and every write is
one ``BEGIN IMMEDIATE`` transaction that also appends its outbox entry.

The dataclasses some services return are imported from their own module (``services.receipts``,
``services.requests``, ``services.followup``); the names below are kept for older imports.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from smartdesk.paths import data_dir
from smartdesk.services.activities import ActivityService, ProfileService
from smartdesk.services.backup import BackupService
from smartdesk.services.clients import ClientService
from smartdesk.services.documents import DocumentService
from smartdesk.services.followup import (
    FOLLOWED_STATUSES,
    FOLLOWUP_STEP_NAMES,
    MAX_NOTIFY_DAYS,
    FollowedInvoice,
    FollowUpNotice,
    FollowUpService,
    FollowUpSetting,
    FollowUpSettings,
    next_followup_step,
)
from smartdesk.services.pdf import PdfService
from smartdesk.services.receipts import ReceiptAdded, ReceiptService, StoredReceipt
from smartdesk.services.requests import (
    MAX_REQUEST_MESSAGES,
    MAX_REQUEST_SUBJECT,
    MAX_REQUEST_TEXT,
    REQUEST_SERVICES,
    REQUEST_STATUSES,
    RequestMessage,
    RequestService,
    SupportRequest,
)
from smartdesk.services.settings import Settings
from smartdesk.services.snippets import SnippetService
from smartdesk.services.sync import SyncService
from smartdesk.store import Store
from smartdesk.store.attachments import AttachmentStore


class Workspace:
    """One data folder: its store, its attachments, its settings and a service per area."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.settings = Settings(store)
        self._attachments: AttachmentStore | None = None

    # --- life ----------------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: Path | str | None = None) -> Workspace:
        return cls(Store(data_dir(folder)))

    def close(self) -> None:
        self.store.close()

    def reopen(self) -> None:
        """Open the store again (after a backup was put back in place); the services follow."""
        self.store = Store(self.store.folder)
        self.settings = Settings(self.store)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def folder(self) -> Path:
        return self.store.folder

    @property
    def attachments(self) -> AttachmentStore:
        if self._attachments is None:
            self._attachments = AttachmentStore(self.folder / "attachments")
            self._attachments.clean_temporary()  # leftovers of writes interrupted by a crash
        return self._attachments

    # --- the services, one per area (each made on first use) -------------------------------------
    @cached_property
    def documents(self) -> DocumentService:
        return DocumentService(self)

    @cached_property
    def clients(self) -> ClientService:
        return ClientService(self)

    @cached_property
    def activities(self) -> ActivityService:
        return ActivityService(self)

    @cached_property
    def profile(self) -> ProfileService:
        return ProfileService(self)

    @cached_property
    def receipts(self) -> ReceiptService:
        return ReceiptService(self)

    @cached_property
    def pdf(self) -> PdfService:
        return PdfService(self)

    @cached_property
    def snippets(self) -> SnippetService:
        return SnippetService(self)

    @cached_property
    def backup(self) -> BackupService:
        return BackupService(self)

    @cached_property
    def requests(self) -> RequestService:
        return RequestService(self)

    @cached_property
    def followup(self) -> FollowUpService:
        return FollowUpService(self)

    @cached_property
    def sync(self) -> SyncService:
        return SyncService(self)


__all__ = [
    "FOLLOWED_STATUSES", "FOLLOWUP_STEP_NAMES", "MAX_NOTIFY_DAYS", "MAX_REQUEST_MESSAGES", "MAX_REQUEST_SUBJECT",
    "MAX_REQUEST_TEXT", "REQUEST_SERVICES", "REQUEST_STATUSES", "FollowUpNotice", "FollowUpSetting",
    "FollowUpSettings", "FollowedInvoice", "ReceiptAdded", "RequestMessage", "StoredReceipt", "SupportRequest",
    "Workspace", "next_followup_step",
]
