"""Use cases shared by the GUI and the command line. They return domain dataclasses or row dataclasses.

The Workspace is safe to use from several threads: reads use pooled connections, and every write is
one ``BEGIN IMMEDIATE`` transaction that also appends its outbox entry.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from smartdesk.domain.documents import (
    Activity,
    Brand,
    Client,
    Document,
    DocumentKind,
    ExpenseLine,
    Line,
    MemberProfile,
)
from smartdesk.domain.entities import entity_for
from smartdesk.domain.expenses import STATE_KEY as EXPENSE_CATEGORIES_KEY
from smartdesk.domain.expenses import ExpenseCategory, categories
from smartdesk.domain.ids import uuid7
from smartdesk.domain.lifecycle import (
    DUNNING_STEPS,
    FOLLOW_UP_STEPS,
    Actor,
    Status,
    check_transition,
    is_deletable,
    kind_word,
    next_dunning_step,
    status_label,
)
from smartdesk.domain.payments import ogm_for_document
from smartdesk.domain.vat import standard_rate
from smartdesk.errors import Message, NotFoundError, Problem, TransitionError, ValidationError
from smartdesk.paths import data_dir
from smartdesk.settings import SETTINGS, coerce
from smartdesk.store import (
    ActivitySummary,
    ClientRow,
    DocumentQuery,
    Page,
    SearchHit,
    Snippet,
    Store,
    database,
)
from smartdesk.store.attachments import AttachmentStore
from smartdesk.store.repository import put_profile
from smartdesk.sync.protocol import (
    FOLLOWUP_CLEAR,
    FOLLOWUP_SET,
    MAX_TEXT,
    REQUEST_OPEN,
    REQUEST_REPLY,
    SERVICES,
)


@dataclass(frozen=True)
class ReceiptAdded:
    document: Document
    line_id: str
    hashes: list[str]
    duplicates: list[str]  # other expense notes that already carry this receipt


class Settings:
    """Typed access to the declared settings (smartdesk.settings.SETTINGS)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, key: str) -> Any:
        if key not in SETTINGS:
            raise KeyError(key)
        value = self._store.get_setting(key)
        return SETTINGS[key].default if value is None else value

    def set(self, key: str, value: Any) -> None:
        self._store.set_setting(key, coerce(key, value))


class Workspace:
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

    # --- profile -------------------------------------------------------------------------------
    def get_profile(self) -> MemberProfile:
        raw = self.store.get_setting("profile")
        if not raw:
            entity = self.settings.get("entity")
            return MemberProfile(id="", entity=entity, default_language=self.settings.get("default_document_language"))
        brand = Brand(**raw.pop("brand", {}))
        return MemberProfile(brand=brand, **raw)

    def save_profile(self, profile: MemberProfile) -> MemberProfile:
        if not profile.id:
            profile.id = uuid7()
        put_profile(self.store, profile)
        return profile

    # --- activities ----------------------------------------------------------------------------
    def save_activity(self, activity: Activity) -> Activity:
        if not activity.name.strip():
            raise ValidationError([Problem("name", "required.activity_name", "Give the activity a name.")])
        return self.store.put_activity(activity)

    def get_activity(self, activity_id: str) -> Activity:
        return self.store.get_activity(activity_id)

    def list_activities(self) -> list[ActivitySummary]:
        return self.store.list_activities()

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(id, name) of the activities and of the clients, for list filters."""
        return self.store.filter_choices()

    # --- clients -------------------------------------------------------------------------------
    def save_client(self, client: Client) -> Client:
        """Save a client. Wrong VAT numbers etc. are kept but reported by ``client_problems``."""
        if not client.name.strip():
            raise ValidationError([Problem("name", "required.client_name", "Give the client's name.")])
        return self.store.put_client(client)

    def client_problems(self, client: Client) -> list[Problem]:
        from smartdesk.domain.validation import validate_client  # stdnum: not needed to start the app

        return validate_client(client)

    def get_client(self, client_id: str) -> Client:
        return self.store.get_client(client_id)

    def delete_client(self, client_id: str) -> Client:
        client = self.store.get_client(client_id)
        self.store.delete_client(client_id)
        return client

    def restore_client(self, client: Client) -> Client:
        return self.store.put_client(client)

    def list_clients(self, text: str = "") -> list[ClientRow]:
        return self.store.list_clients(text)

    # --- documents -----------------------------------------------------------------------------
    def _defaults(self, doc: Document, client: Client | None) -> None:
        profile_lang = self.settings.get("default_document_language")
        doc.entity = self.settings.get("entity")
        doc.issue_date = date.today()
        doc.language = client.language if client else profile_lang
        terms = client.payment_terms_days if client else self.settings.get("default_payment_terms_days")
        if doc.kind is DocumentKind.QUOTE:
            terms = self.settings.get("default_quote_validity_days")
        doc.payment_terms_days = terms
        doc.due_date = doc.compute_due_date()

    def new_document(self, kind: DocumentKind, client_id: str = "", activity_id: str = "") -> Document:
        client = self.store.get_client(client_id) if client_id else None
        doc = Document(kind=kind, client_id=client_id, activity_id=activity_id)
        self._defaults(doc, client)
        if kind is DocumentKind.EXPENSE_NOTE:
            doc.payment_terms_days = None
            doc.due_date = None
        return self.store.put_document(doc)

    def new_line(self, doc: Document) -> Line:
        rate = standard_rate(entity_for(doc.entity).country, doc.issue_date) or Line().vat_rate
        return Line(vat_rate=rate)

    def new_expense_line(self, doc: Document) -> ExpenseLine:
        rate = standard_rate(entity_for(doc.entity).country, date.today()) or ExpenseLine().vat_rate
        return ExpenseLine(date=date.today(), vat_rate=rate, activity_id=doc.activity_id)

    def get_document(self, doc_id: str) -> Document:
        return self.store.get_document(doc_id)

    def save_document(self, doc: Document) -> Document:
        """Save a draft's content (every edit, at once). Locked documents are refused, and the
        cooperative-owned facts (status, number, payments, remarks) are never changed from here."""
        return self.store.put_document(doc, member_edit=True)

    def problems(self, doc: Document, for_submit: bool = False) -> list[Problem]:
        client = None
        if doc.client_id:
            try:
                client = self.store.get_client(doc.client_id)
            except NotFoundError:
                client = None
        from smartdesk.domain.validation import validate_document

        return validate_document(doc, client=client, entity=entity_for(doc.entity), for_submit=for_submit)

    def delete_document(self, doc_id: str) -> Document:
        doc = self.store.get_document(doc_id)
        if not is_deletable(doc.status):
            raise TransitionError(Message(
                "This {kind} is “{status}” and has been seen by the cooperative: it cannot be deleted. "
                "An invoice is cancelled with a credit note.",
                kind=kind_word(doc.kind), status=Message(status_label(doc.status))))
        self.store.delete_document(doc_id)
        return doc

    def restore_document(self, doc: Document) -> Document:
        """Undo a deletion: the document comes back exactly as it was."""
        restored = copy.deepcopy(doc)
        restored.version = 0
        return self.store.put_document(restored)

    def _copy(self, source: Document, kind: DocumentKind) -> Document:
        client = None
        if source.client_id:
            try:
                client = self.store.get_client(source.client_id)
            except NotFoundError:
                client = None
        doc = replace(
            copy.deepcopy(source), id=uuid7(), kind=kind, status=Status.DRAFT.value, number="", paid_amount=0 * source.paid_amount,
            remarks="", timeline=[], version=0, created_at="", updated_at="", payment_reference="",
            corrects_id="", corrects_number="", source_id=source.id,
        )
        doc.lines = [replace(line, id=uuid7()) for line in doc.lines]
        doc.expense_lines = [replace(line, id=uuid7(), rejection_reason="") for line in doc.expense_lines]
        self._defaults(doc, client)
        doc.language = source.language
        return doc

    def duplicate_document(self, doc_id: str) -> Document:
        source = self.store.get_document(doc_id)
        return self.store.put_document(self._copy(source, source.kind))

    def quote_to_invoice(self, quote_id: str) -> Document:
        quote = self.store.get_document(quote_id)
        if quote.kind is not DocumentKind.QUOTE:
            raise TransitionError("Only a quote can be turned into an invoice.")
        invoice = self._copy(quote, DocumentKind.INVOICE)
        invoice.payment_terms_days = self.settings.get("default_payment_terms_days")
        if quote.client_id:
            try:
                invoice.payment_terms_days = self.store.get_client(quote.client_id).payment_terms_days
            except NotFoundError:
                pass
        invoice.due_date = invoice.compute_due_date()
        invoice.reference = quote.reference or quote.number
        self.store.put_document(invoice)
        if quote.status in (Status.WON.value, Status.IN_PRODUCTION.value):
            self.store.transition_document(quote, Status.INVOICED.value)
        return invoice

    def credit_note_for(self, invoice_id: str) -> Document:
        invoice = self.store.get_document(invoice_id)
        if invoice.kind is not DocumentKind.INVOICE:
            raise TransitionError("A credit note corrects an invoice: choose an invoice.")
        if not invoice.number:
            raise TransitionError("This invoice has no number yet: it is still a draft, so change or delete it "
                                  "instead of making a credit note.")
        note = self._copy(invoice, DocumentKind.CREDIT_NOTE)
        note.corrects_id, note.corrects_number = invoice.id, invoice.number
        note.title = invoice.title
        return self.store.put_document(note)

    def submit_document(self, doc_id: str) -> Document:
        doc = self.store.get_document(doc_id)
        check_transition(doc.kind, doc.status, Status.SUBMITTED.value, Actor.MEMBER)
        problems = self.problems(doc, for_submit=True)
        if problems:
            raise ValidationError(problems, summary="This document cannot be sent for validation yet:")
        if doc.kind in (DocumentKind.INVOICE,) and doc.entity == "BE" and not doc.payment_reference:
            doc.payment_reference = ogm_for_document(doc.id)
            self.store.put_document(doc)
        return self.store.transition_document(doc, Status.SUBMITTED.value)

    def set_status(self, doc_id: str, status: str) -> Document:
        doc = self.store.get_document(doc_id)
        if status == Status.SUBMITTED.value:
            return self.submit_document(doc_id)
        check_transition(doc.kind, doc.status, status, Actor.MEMBER)
        return self.store.transition_document(doc, status)

    def list_documents(self, q: DocumentQuery, with_total: bool = True) -> Page:
        return self.store.list_documents(q, with_total)

    def count_documents(self, q: DocumentQuery) -> int:
        return self.store.count_documents(q)

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        return self.store.search(text, limit)

    def import_bundle(self, activities: list[Activity], clients: list[Client], documents: list[Document]) -> None:
        """Import a file's content in one transaction, after checking every reference and document.

        Nothing is written when any problem is found; every problem names its JSON path.
        """
        from smartdesk.domain.validation import validate_document

        problems: list[Problem] = []
        client_ids = {c.id for c in clients} | self.store.ids_present("clients", {d.client_id for d in documents
                                                                                 if d.client_id})
        activity_ids = {a.id for a in activities} | self.store.ids_present(
            "activities", {d.activity_id for d in documents if d.activity_id})
        existing_docs = self.store.ids_present("documents", {d.id for d in documents})
        for i, c in enumerate(clients):
            if not c.name.strip():
                problems.append(Problem(f"$.clients[{i}].name", "required.client_name", "Give the client's name."))
        for i, d in enumerate(documents):
            where = f"$.documents[{i}]"
            if d.client_id and d.client_id not in client_ids:
                problems.append(Problem(f"{where}.client_id", "import.unknown_client",
                                        f"client {d.client_id} is neither in the file nor in SmartDesk"))
            if d.activity_id and d.activity_id not in activity_ids:
                problems.append(Problem(f"{where}.activity_id", "import.unknown_activity",
                                        f"activity {d.activity_id} is neither in the file nor in SmartDesk"))
            if d.id in existing_docs:
                problems.append(Problem(f"{where}.id", "import.exists",
                                        f"document {d.id} is already in SmartDesk; remove its id to import a copy"))
            if d.status not in ("draft",) or d.number:
                problems.append(Problem(f"{where}.status", "import.not_draft",
                                        "only drafts can be imported: the cooperative gives statuses and numbers"))
            for p in validate_document(d, entity=entity_for(d.entity)):
                problems.append(replace(p, field=f"{where}.{p.field}"))
        if problems:
            raise ValidationError(problems, summary=Message.counted(
                "Nothing was imported; {count} problem to fix:", "Nothing was imported; {count} problems to fix:",
                len(problems), count=len(problems)))
        self.store.import_all(activities, clients, documents)

    # --- receipts ------------------------------------------------------------------------------
    def add_receipt(self, doc_id: str, files: list[tuple[bytes, str]], line_id: str = "") -> ReceiptAdded:
        """Normalize a receipt (one or more pages) and attach it to an expense line.

        Without ``line_id`` a new expense line is made for it. The receipt is refused whole, with a
        plain message, when a file is unusable; nothing else in the note changes. A receipt already
        attached to another expense note is still added, and reported in ``duplicates``.
        """
        from smartdesk.receipts import normalize_pages

        doc = self.store.get_document(doc_id)
        if not doc.is_expense:
            raise TransitionError("Receipts go on expense notes: open or create an expense note first.")
        receipt = normalize_pages(files)
        hashes: list[str] = []
        for page, media_type in zip(receipt.pages, receipt.media_types, strict=True):
            info = self.attachments.put_bytes(page, media_type)
            self.store.record_attachment(info.sha256, media_type, info.size, files[0][1])
            hashes.append(info.sha256)
        duplicates = sorted({other for h in hashes for other in self.store.documents_with_receipt(h)
                             if other != doc_id})
        if line_id:
            line = next((x for x in doc.expense_lines if x.id == line_id), None)
            if line is None:
                raise NotFoundError("That expense line is no longer on this note.")
        else:
            line = self.new_expense_line(doc)
            doc.expense_lines.append(line)
        line.receipts.extend(h for h in hashes if h not in line.receipts)
        self.save_document(doc)
        return ReceiptAdded(document=doc, line_id=line.id, hashes=hashes, duplicates=duplicates)

    # --- PDF ---------------------------------------------------------------------------------
    def render_pdf(self, doc: Document | str, language: str | None = None, theme: str | None = None) -> bytes:
        """The document as the client will see it (PDF bytes), in its own language unless told."""
        from smartdesk.pdf import render_document

        if isinstance(doc, str):
            doc = self.store.get_document(doc)
        client = activity = None
        if doc.client_id:
            try:
                client = self.store.get_client(doc.client_id)
            except NotFoundError:
                client = None
        if doc.activity_id:
            try:
                activity = self.store.get_activity(doc.activity_id)
            except NotFoundError:
                activity = None
        profile = self.get_profile()
        logo = None
        if profile.brand.logo_sha256 and self.attachments.exists(profile.brand.logo_sha256):
            logo = self.attachments.read(profile.brand.logo_sha256)
        receipts = [self.attachments.read(h) for line in doc.expense_lines for h in line.receipts
                    if self.attachments.exists(h)]
        return render_document(doc, client=client, activity=activity, entity=entity_for(doc.entity),
                               profile=profile, language=language, theme=theme or self.settings.get("pdf_theme"),
                               logo_bytes=logo, receipts=receipts,
                               expense_categories=self.expense_categories() if doc.is_expense else None)

    def pdf_file_name(self, doc: Document, language: str | None = None) -> str:
        """A sensible file name, in the document's language: "Facture FBE-2026-00012 - Client.pdf"."""
        from smartdesk.i18n.documents import text

        lang = language or doc.language
        kind = text(lang, f"title.{doc.kind.value}")
        ident = doc.number or f"{text(lang, 'draft')} {doc.issue_date or ''}".strip()
        who = ""
        if doc.client_id:
            try:
                who = self.store.get_client(doc.client_id).name
            except NotFoundError:
                who = ""
        name = " - ".join(p for p in (f"{kind} {ident}", who) if p)
        safe = "".join(ch for ch in name if ch not in '<>:"/\\|?*' and ord(ch) >= 32).strip(". ")
        return (safe[:120] or "document") + ".pdf"

    # --- snippets ------------------------------------------------------------------------------
    def snippets(self, kind: str | None = None) -> list[Snippet]:
        return self.store.list_snippets(kind)

    def save_snippet(self, snippet: Snippet) -> Snippet:
        return self.store.put_snippet(snippet)

    def delete_snippet(self, snippet_id: str) -> None:
        self.store.delete_snippet(snippet_id)

    # --- sync-facing -----------------------------------------------------------------------------
    def pending_changes(self) -> int:
        """Records with changes not yet sent to the cooperative."""
        return self.store.pending_records()

    # --- backup --------------------------------------------------------------------------------
    def backup(self, target: Path) -> Path:
        return database.copy_database(self.store.path, Path(target))

    def restore_backup(self, backup: Path) -> None:
        folder = self.store.folder
        self.store.close()
        database.restore_file(Path(backup), folder)
        self.store = Store(folder)
        self.settings = Settings(self.store)

    # --- receipts, step by step (the GUI attaches them through its undo stack) ----------------------
    def store_receipt(self, files: list[tuple[bytes, str]], doc_id: str = "") -> StoredReceipt:
        """Normalize and store a receipt's pages without touching any document.

        The GUI then attaches ``hashes`` to a line as one undoable edit. Refused whole, with a plain
        ``ReceiptError``, when a file is unusable. ``duplicates``: other expense notes (not ``doc_id``)
        that already carry one of these pages.
        """
        from smartdesk.receipts import normalize_pages

        receipt = normalize_pages(files)
        hashes: list[str] = []
        for page, media_type in zip(receipt.pages, receipt.media_types, strict=True):
            info = self.attachments.put_bytes(page, media_type)
            self.store.record_attachment(info.sha256, media_type, info.size, files[0][1] if files else "")
            hashes.append(info.sha256)
        return StoredReceipt(hashes=hashes, media_types=list(receipt.media_types),
                             duplicates=self.receipt_duplicates(hashes, doc_id))

    def receipt_duplicates(self, hashes: list[str], doc_id: str = "") -> list[Document]:
        """The other expense notes that already carry one of these receipt pages."""
        ids = sorted({other for h in hashes for other in self.store.documents_with_receipt(h) if other != doc_id})
        found: list[Document] = []
        for other in ids:
            try:
                found.append(self.store.get_document(other))
            except NotFoundError:
                continue
        return found

    def store_edited_receipt(self, data: bytes, filename: str = "") -> str:
        """Store a page edited in the receipt viewer (turned or cropped JPEG); return its hash."""
        from smartdesk.receipts import sniff

        media_type = sniff(data) or "image/jpeg"
        info = self.attachments.put_bytes(data, media_type)
        self.store.record_attachment(info.sha256, media_type, info.size, filename)
        return info.sha256

    # --- expense categories --------------------------------------------------------------------
    def expense_categories(self) -> list[ExpenseCategory]:
        """The categories an expense line can take: the cooperative's list once synced (sync_state key
        ``expense_categories``, see docs/receipts.md), else the built-in list."""
        synced = self.store.get_state(EXPENSE_CATEGORIES_KEY)
        return categories(synced if isinstance(synced, list) else None)

    # --- questions to the cooperative (support requests) ------------------------------------------
    def open_request(self, service: str, subject: str, body: str, document_id: str | None = None) -> str:
        """Queue a question to one of the cooperative's services; returns its id. Seen at once in
        ``requests()`` (marked not sent yet), even offline."""
        subject, body = subject.strip(), body.strip()
        problems = _request_problems(body)
        if service not in REQUEST_SERVICES:
            problems.insert(0, Problem("service", "request.service", "Choose who your question is for."))
        if not subject:
            problems.insert(0, Problem("subject", "request.subject_required",
                                       "Write a short subject: what your question is about."))
        elif len(subject) > MAX_REQUEST_SUBJECT:
            problems.insert(0, Problem("subject", "request.subject_too_long",
                                       f"The subject is too long: at most {MAX_REQUEST_SUBJECT} characters."))
        if document_id:
            try:
                self.store.get_document(document_id)
            except NotFoundError:
                problems.append(Problem("document_id", "request.document",
                                        "That document is not among yours any more: choose another one."))
        if problems:
            raise ValidationError(problems, summary="Your question cannot be sent yet:")
        request_id = str(uuid.uuid4())
        args: dict[str, Any] = {"id": request_id, "service": service, "subject": subject, "body": body}
        if document_id:
            args["document_id"] = document_id
        self.store.enqueue_member_message(REQUEST_OPEN, request_id, args)
        return request_id

    def reply_request(self, request_id: str, body: str) -> None:
        """Queue the member's answer in the conversation of one of their questions."""
        body = body.strip()
        problems = _request_problems(body)
        known = next((r for r in self.requests() if r.id == request_id), None)
        if known is None:
            raise NotFoundError("This question is no longer on this computer: sync, then try again.")
        if len(known.messages) >= MAX_REQUEST_MESSAGES:
            problems.append(Problem("body", "request.too_many_messages",
                                    "This conversation is very long: ask a new question instead."))
        if problems:
            raise ValidationError(problems, summary="Your message cannot be sent yet:")
        self.store.enqueue_member_message(REQUEST_REPLY, request_id, {"id": request_id, "body": body})

    def requests(self) -> list[SupportRequest]:
        """The member's questions, most recent activity first: those the cooperative sent back with the
        last sync, plus what this computer has not sent yet (new questions and replies)."""
        from smartdesk.sync.local import list_records

        pulled = list_records(self.store, "request")
        found: dict[str, SupportRequest] = {}
        for value in pulled:
            request = _request_from_dict(value)
            if request is not None:
                found[request.id] = request
        for entry in self.store.outbox_entries_named((REQUEST_OPEN, REQUEST_REPLY)):
            args = entry.args
            mine = RequestMessage(at=entry.created_at, author="member", body=str(args.get("body", "")), pending=True)
            if entry.name == REQUEST_OPEN and entry.entity_id not in found:
                found[entry.entity_id] = SupportRequest(
                    id=entry.entity_id, service=str(args.get("service", "")), subject=str(args.get("subject", "")),
                    document_id=args.get("document_id") or None, status="open", opened_at=entry.created_at,
                    messages=[mine], pending=True)
            elif entry.name == REQUEST_REPLY and entry.entity_id in found:
                old = found[entry.entity_id]
                found[entry.entity_id] = replace(old, status="open", messages=[*old.messages, mine], pending=True)
        return sorted(found.values(), key=lambda r: r.last_activity, reverse=True)

    # --- follow-up of invoices (Hold / OK on each step the cooperative takes) -----------------------
    def followup_settings(self) -> FollowUpSettings:
        """Defaults per step and per-invoice overrides: what the last sync brought, with this computer's
        unsent choices on top (so a change shows at once, even offline)."""
        return _followup_settings(self)

    def set_followup(self, step: str, hold: bool, notify_days_before: int | None = None,
                     document_id: str | None = None) -> FollowUpSetting:
        """Queue one ``followup.set``: Hold / OK and the warning for a step, as a default (no document)
        or for one invoice. Refuses, in plain words, an unknown step, a bad number of days or an
        invoice that is not here."""
        return _set_followup(self, step, hold, notify_days_before, document_id)

    def clear_followup(self, step: str, document_id: str) -> FollowUpSetting:
        """Queue one ``followup.clear``: this invoice's own choice for a step is dropped, the invoice
        follows the member's default again (at once here, at the next sync for the cooperative).
        Returns the setting that now applies."""
        return _clear_followup(self, step, document_id)

    def followed_invoices(self) -> list[FollowedInvoice]:
        """The member's invoices the cooperative still follows up, with their next step and its setting."""
        return _followed_invoices(self)

    def followup_notices(self, limit: int = 20) -> list[FollowUpNotice]:
        """The latest "upcoming action" notices the cooperative sent, newest planned date first."""
        return _followup_notices(self, limit)


@dataclass(frozen=True)
class StoredReceipt:
    hashes: list[str]
    media_types: list[str]
    duplicates: list[Document]  # other expense notes that already carry one of these pages


def due_in(days: int) -> date:
    return date.today() + timedelta(days=days)


# --- questions to the cooperative ---------------------------------------------------------------
REQUEST_SERVICES = SERVICES
REQUEST_STATUSES = ("open", "answered", "closed")
MAX_REQUEST_SUBJECT = 300  # the server refuses longer subjects
MAX_REQUEST_TEXT = MAX_TEXT
MAX_REQUEST_MESSAGES = 500


@dataclass(frozen=True)
class RequestMessage:
    at: str  # ISO timestamp
    author: str  # "member" or "staff"
    body: str
    pending: bool = False  # written here, not sent to the cooperative yet


@dataclass(frozen=True)
class SupportRequest:
    id: str
    service: str
    subject: str
    document_id: str | None
    status: str  # open | answered | closed
    opened_at: str
    messages: list[RequestMessage]
    pending: bool = False  # something in it is not sent yet

    @property
    def last_activity(self) -> str:
        return max([self.opened_at, *(m.at for m in self.messages)])


def _request_problems(body: str) -> list[Problem]:
    if not body:
        return [Problem("body", "request.body_required", "Write your message.")]
    if len(body) > MAX_REQUEST_TEXT:
        return [Problem("body", "request.body_too_long",
                        f"The message is too long: at most {MAX_REQUEST_TEXT:,} characters.")]
    return []


def _request_from_dict(value: dict[str, Any]) -> SupportRequest | None:
    request_id = value.get("id")
    if not isinstance(request_id, str):
        return None
    messages = [RequestMessage(at=str(m.get("at", "")), author=str(m.get("author", "")), body=str(m.get("body", "")))
                for m in value.get("messages") or [] if isinstance(m, dict)]
    status = str(value.get("status") or "open")
    return SupportRequest(id=request_id, service=str(value.get("service", "")), subject=str(value.get("subject", "")),
                          document_id=value.get("document_id") or None,
                          status=status if status in REQUEST_STATUSES else "open",
                          opened_at=str(value.get("opened_at") or (messages[0].at if messages else "")),
                          messages=sorted(messages, key=lambda m: m.at))


# --- follow-up of invoices: the member's Hold / OK on each step the cooperative takes ----------------
FOLLOWUP_STEP_NAMES: tuple[str, ...] = tuple(s.value for s in FOLLOW_UP_STEPS)
# statuses of an invoice the cooperative still has a next step for (litigation is the last one)
FOLLOWED_STATUSES: tuple[str, ...] = ("validated", "awaiting_payment", "partially_paid", "reminder_1", "reminder_2",
                                      "formal_notice")
MAX_NOTIFY_DAYS = 365


@dataclass(frozen=True)
class FollowUpSetting:
    step: str
    hold: bool = False
    notify_days_before: int | None = None  # None: no warning before the step
    document_id: str | None = None  # None: the member's default
    pending: bool = False  # changed here, not sent to the cooperative yet


@dataclass(frozen=True)
class FollowUpSettings:
    """The member's defaults (every step: OK and no warning unless set) and per-invoice overrides."""

    defaults: dict[str, FollowUpSetting]
    overrides: dict[str, dict[str, FollowUpSetting]]  # document id -> step -> setting
    # (document id, step) whose own choice was dropped here and not sent yet: the default applies
    cleared: frozenset[tuple[str, str]] = frozenset()

    def effective(self, step: str, document_id: str | None = None) -> FollowUpSetting:
        """What the cooperative applies: the invoice's own choice, else the default (as the server does)."""
        if document_id is not None and step in self.overrides.get(document_id, {}):
            return self.overrides[document_id][step]
        default = self.defaults.get(step, FollowUpSetting(step))
        if (document_id, step) in self.cleared:
            return replace(default, pending=True)  # back to the default: the cooperative learns it at the sync
        return default


@dataclass(frozen=True)
class FollowedInvoice:
    id: str
    number: str
    title: str
    client_name: str
    status: str
    due_date: date | None
    next_step: str
    setting: FollowUpSetting  # effective setting of the next step

    @property
    def overridden(self) -> bool:
        return self.setting.document_id is not None


@dataclass(frozen=True)
class FollowUpNotice:
    id: str
    document_id: str
    step: str
    on: str  # ISO date the step is planned for
    title: str
    number: str


def _setting_from(value: dict[str, Any], pending: bool = False) -> FollowUpSetting | None:
    step = value.get("step")
    if step not in FOLLOWUP_STEP_NAMES:
        return None
    notify = value.get("notify_days_before")
    if not isinstance(notify, int) or isinstance(notify, bool):
        notify = None
    return FollowUpSetting(step=str(step), hold=bool(value.get("hold")), notify_days_before=notify,
                           document_id=value.get("document_id") or None, pending=pending)


def next_followup_step(status: str, timeline: list[str] | None = None) -> str | None:
    """The cooperative's next step for an invoice in this status (as its follow-up engine decides)."""
    if status == "validated":
        return "sent"
    if status in ("awaiting_payment", "partially_paid", *DUNNING_STEPS):
        return next_dunning_step(status, timeline or ())
    return None


def _followup_problems(step: str, hold: object, notify: object) -> list[Problem]:
    problems: list[Problem] = []
    if step not in FOLLOWUP_STEP_NAMES:
        problems.append(Problem("step", "followup.step", "Choose one of the follow-up steps."))
    if not isinstance(hold, bool):
        problems.append(Problem("hold", "followup.hold", "Choose Hold or OK."))
    if notify is not None and (not isinstance(notify, int) or isinstance(notify, bool)
                               or not 0 <= notify <= MAX_NOTIFY_DAYS):
        problems.append(Problem("notify_days_before", "followup.notify",
                                f"Warn you between 0 and {MAX_NOTIFY_DAYS} days before, or leave it empty."))
    return problems


def _followup_settings(ws: Workspace) -> FollowUpSettings:
    from smartdesk.sync.local import list_records

    pulled = list_records(ws.store, "followup")
    defaults = {step: FollowUpSetting(step) for step in FOLLOWUP_STEP_NAMES}
    overrides: dict[str, dict[str, FollowUpSetting]] = {}

    def put(setting: FollowUpSetting | None) -> None:
        if setting is None:
            return
        if setting.document_id is None:
            defaults[setting.step] = setting
        else:
            overrides.setdefault(setting.document_id, {})[setting.step] = setting

    for value in pulled:
        put(_setting_from(value))
    cleared: set[tuple[str, str]] = set()
    for entry in ws.store.outbox_entries_named((FOLLOWUP_SET, FOLLOWUP_CLEAR)):  # oldest first: the last wins
        if entry.name == FOLLOWUP_CLEAR:
            doc_id, step = entry.args.get("document_id"), entry.args.get("step")
            if isinstance(doc_id, str) and isinstance(step, str):
                overrides.get(doc_id, {}).pop(step, None)
                if doc_id in overrides and not overrides[doc_id]:
                    del overrides[doc_id]
                cleared.add((doc_id, step))
            continue
        setting = _setting_from(entry.args, pending=True)
        if setting is not None and setting.document_id is not None:
            cleared.discard((setting.document_id, setting.step))
        put(setting)
    return FollowUpSettings(defaults, overrides, frozenset(cleared))


def _followup_document_problems(ws: Workspace, document_id: str) -> list[Problem]:
    try:
        doc = ws.store.get_document(document_id)
    except NotFoundError:
        return [Problem("document_id", "followup.document",
                        "That invoice is not among yours any more: sync, then try again.")]
    if doc.kind is not DocumentKind.INVOICE:
        return [Problem("document_id", "followup.not_invoice", "Only invoices are followed up by the cooperative.")]
    return []


def _set_followup(ws: Workspace, step: str, hold: bool, notify_days_before: int | None = None,
                  document_id: str | None = None) -> FollowUpSetting:
    problems = _followup_problems(step, hold, notify_days_before)
    if document_id is not None:
        problems += _followup_document_problems(ws, document_id)
    if problems:
        raise ValidationError(problems, summary="This follow-up choice cannot be saved:")
    args: dict[str, Any] = {"document_id": document_id, "step": step, "hold": hold,
                            "notify_days_before": notify_days_before}
    # an id of its own (never a document's), so a pending choice never holds back the document's pull
    ws.store.enqueue_member_message(FOLLOWUP_SET, f"followup:{document_id or '*'}:{step}", args)
    return FollowUpSetting(step, hold, notify_days_before, document_id, pending=True)


def _clear_followup(ws: Workspace, step: str, document_id: str) -> FollowUpSetting:
    problems = _followup_problems(step, False, None)
    if not isinstance(document_id, str) or not document_id:
        problems.append(Problem("document_id", "followup.document",
                                "Choose the invoice that follows your default again."))
    else:
        problems += _followup_document_problems(ws, document_id)
    if problems:
        raise ValidationError(problems, summary="This follow-up choice cannot be saved:")
    # the same id as the choice it drops: both travel in order, the cooperative applies the last one
    ws.store.enqueue_member_message(FOLLOWUP_CLEAR, f"followup:{document_id}:{step}",
                                    {"document_id": document_id, "step": step})
    return _followup_settings(ws).effective(step, document_id)


def _followed_invoices(ws: Workspace, settings: FollowUpSettings | None = None) -> list[FollowedInvoice]:
    settings = settings or _followup_settings(ws)
    found: list[FollowedInvoice] = []
    for status in FOLLOWED_STATUSES:
        rows = ws.list_documents(DocumentQuery(kind=DocumentKind.INVOICE, status=status, sort="due_date",
                                               descending=False, limit=1000), with_total=False).rows
        for row in rows:
            timeline: list[str] = []
            if status == "partially_paid":
                try:
                    timeline = [str(t.status) for t in ws.store.get_document(row.id).timeline]
                except NotFoundError:
                    continue
            step = next_followup_step(status, timeline)
            if step is None:
                continue
            found.append(FollowedInvoice(id=row.id, number=row.number, title=row.title, client_name=row.client_name,
                                         status=status, due_date=row.due_date, next_step=step,
                                         setting=settings.effective(step, row.id)))
    return sorted(found, key=lambda f: (f.due_date or date.max, f.number))


def _followup_notices(ws: Workspace, limit: int = 20) -> list[FollowUpNotice]:
    from smartdesk.sync.local import list_records

    pulled = list_records(ws.store, "notice")
    notices = [FollowUpNotice(id=str(v.get("id", "")), document_id=str(v.get("document_id", "")),
                              step=str(v.get("step", "")), on=str(v.get("on", "")), title=str(v.get("title", "")),
                              number=str(v.get("number", ""))) for v in pulled if isinstance(v, dict)]
    return sorted(notices, key=lambda n: n.on, reverse=True)[:limit]
