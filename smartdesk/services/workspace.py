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

from pathlib import Path

from smartdesk.paths import data_dir
from smartdesk.services.activities import ActivityService, ProfileService
from smartdesk.services.backup import BackupService
from smartdesk.services.clients import ClientService
from smartdesk.services.deliveries import DeliveryService
from smartdesk.services.documents import DocumentService
from smartdesk.services.exports import ExportService
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
from smartdesk.services.home import HomeService
from smartdesk.services.list_filters import SavedFilterService
from smartdesk.services.payments import PaymentService
from smartdesk.services.pdf import PdfService
from smartdesk.services.quotes import QuoteService
from smartdesk.services.receipts import ReceiptAdded, ReceiptService, StoredReceipt
from smartdesk.services.recurring import RecurringService
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
        # the services, one per area: small objects made here, once (several threads use them; the sync
        # service keeps its engine, so there must never be two of it)
        self.documents = DocumentService(self)
        self.clients = ClientService(self)
        self.activities = ActivityService(self)
        self.profile = ProfileService(self)
        self.receipts = ReceiptService(self)
        self.pdf = PdfService(self)
        self.snippets = SnippetService(self)
        self.backup = BackupService(self)
        self.requests = RequestService(self)
        self.followup = FollowUpService(self)
        self.payments = PaymentService(self)
        self.deliveries = DeliveryService(self)  # the cooperative's delivery of validated documents
        self.home = HomeService(self)
        self.exports = ExportService(self)
        self.saved_filters = SavedFilterService(self)
        self.recurring = RecurringService(self)
        self.quotes = QuoteService(self)
        self.sync = SyncService(self)

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


__all__ = [
    "FOLLOWED_STATUSES",
    "FOLLOWUP_STEP_NAMES",
    "MAX_NOTIFY_DAYS",
    "MAX_REQUEST_MESSAGES",
    "MAX_REQUEST_SUBJECT",
    "MAX_REQUEST_TEXT",
    "REQUEST_SERVICES",
    "REQUEST_STATUSES",
    "FollowUpNotice",
    "FollowUpSetting",
    "FollowUpSettings",
    "FollowedInvoice",
    "ReceiptAdded",
    "RequestMessage",
    "StoredReceipt",
    "SupportRequest",
    "Workspace",
    "next_followup_step",
]
