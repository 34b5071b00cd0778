"""Documents: new drafts with the member's defaults, every edit, copies, status changes, lists, import."""

from __future__ import annotations

import builtins
import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from smartdesk.domain.copies import new_draft_from
from smartdesk.domain.documents import Activity, Client, Document, DocumentKind, ExpenseLine, Line
from smartdesk.domain.entities import entity_for
from smartdesk.domain.lifecycle import Actor, Status, check_transition, is_deletable, kind_word, status_label
from smartdesk.domain.payments import ogm_for_document
from smartdesk.domain.vat import standard_rate
from smartdesk.errors import Message, NotFoundError, Problem, TransitionError, ValidationError
from smartdesk.store import DocumentQuery, DocumentRow, ListSums, Page, SearchHit

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


def _at(where: str, key: str, code: str, message: Message) -> Problem:
    """A problem of a record in an imported file, named by its JSON path (``$.documents[2].client_id``)."""
    field = f"{where}.{key}"
    return Problem(field, code, message)


class DocumentService:
    """``ws.documents``: quotes, invoices, credit notes and expense notes."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def _client_or_none(self, client_id: str) -> Client | None:
        if not client_id:
            return None
        try:
            return self._ws.store.get_client(client_id)
        except NotFoundError:
            return None

    def _defaults(self, doc: Document, client: Client | None) -> None:
        s = self._ws.settings
        doc.entity = s.entity
        doc.issue_date = date.today()
        doc.language = client.language if client else s.default_document_language
        terms = client.payment_terms_days if client else s.default_payment_terms_days
        if doc.kind is DocumentKind.QUOTE:
            terms = s.default_quote_validity_days
        doc.payment_terms_days = terms
        doc.due_date = doc.compute_due_date()

    def new(self, kind: DocumentKind, client_id: str = "", activity_id: str = "") -> Document:
        client = self._ws.store.get_client(client_id) if client_id else None
        doc = Document(kind=kind, client_id=client_id, activity_id=activity_id)
        self._defaults(doc, client)
        if kind is DocumentKind.EXPENSE_NOTE:
            doc.payment_terms_days = None
            doc.due_date = None
        return self._ws.store.put_document(doc)

    def new_line(self, doc: Document) -> Line:
        rate = standard_rate(entity_for(doc.entity).country, doc.issue_date) or Line().vat_rate
        return Line(vat_rate=rate)

    def new_expense_line(self, doc: Document) -> ExpenseLine:
        rate = standard_rate(entity_for(doc.entity).country, date.today()) or ExpenseLine().vat_rate
        return ExpenseLine(date=date.today(), vat_rate=rate, activity_id=doc.activity_id)

    def get(self, doc_id: str) -> Document:
        return self._ws.store.get_document(doc_id)

    def save(self, doc: Document) -> Document:
        """Save a draft's content (every edit, at once). Locked documents are refused, and the
        cooperative-owned facts (status, number, payments, remarks) are never changed from here."""
        return self._ws.store.put_document(doc, member_edit=True)

    def problems(self, doc: Document, for_submit: bool = False) -> list[Problem]:
        from smartdesk.domain.validation import validate_document  # stdnum: not needed to start the app

        problems = validate_document(
            doc,
            client=self._client_or_none(doc.client_id),
            entity=entity_for(doc.entity),
            for_submit=for_submit,
        )
        if for_submit and doc.kind is DocumentKind.CREDIT_NOTE:
            problems = [p for p in problems if p.code != "required.credit_target"]
            problems.extend(self._credit_problems(doc))
        return problems

    def _credit_problems(self, note: Document) -> list[Problem]:
        """The credit-note checks (smartdesk.domain.credits) against the invoice as this device knows
        it, counting the other credit notes of the same invoice already sent for validation."""
        from smartdesk.domain.credits import credit_note_problems

        invoice = self._credited_invoice(note)
        pending = Decimal(0)
        if invoice is not None:
            rows = self._ws.store.list_documents(
                DocumentQuery(kind=DocumentKind.CREDIT_NOTE, status="submitted", limit=1000), with_total=False
            ).rows
            for row in rows:
                if row.id != note.id and self._ws.store.get_document(row.id).corrects_id == invoice.id:
                    pending += row.total_incl
        return credit_note_problems(note, invoice, pending_credits=pending)

    def _credited_invoice(self, note: Document) -> Document | None:
        store = self._ws.store
        ids = (
            [note.corrects_id] if note.corrects_id else store.find_document_ids(note.corrects_number, limit=1)
        )
        for doc_id in ids:
            try:
                return store.get_document(doc_id)
            except NotFoundError:
                return None
        return None

    def creditable_invoices(self, client_id: str = "") -> list[DocumentRow]:
        """The member's validated invoices a credit note may correct (the editor's picker), newest first."""
        from smartdesk.domain.credits import CREDITABLE_STATUSES

        rows = self._ws.store.list_documents(
            DocumentQuery(kind=DocumentKind.INVOICE, client_id=client_id or None, limit=5000),
            with_total=False,
        ).rows
        return [r for r in rows if r.number and r.status in CREDITABLE_STATUSES]

    def delete(self, doc_id: str) -> Document:
        doc = self._ws.store.get_document(doc_id)
        if not is_deletable(doc.status):
            raise TransitionError(
                Message(
                    "This {kind} is “{status}” and has been seen by the cooperative: it cannot be deleted. "
                    "An invoice is cancelled with a credit note.",
                    kind=kind_word(doc.kind),
                    status=Message(status_label(doc.status)),
                )
            )
        self._ws.store.delete_document(doc_id)
        return doc

    def restore(self, doc: Document) -> Document:
        """Undo a deletion: the document comes back exactly as it was."""
        restored = copy.deepcopy(doc)
        restored.version = 0
        return self._ws.store.put_document(restored)

    # --- copies (the rules themselves: smartdesk.domain.copies) ---------------------------------
    def draft_copy(self, source: Document, kind: DocumentKind | None = None) -> Document:
        """A new draft (not saved) with the content of ``source`` and today's defaults (date, entity,
        terms), in the source's language: "Duplicate", and "copy mine to a new draft" after a conflict."""
        doc = new_draft_from(source, kind)
        self._defaults(doc, self._client_or_none(source.client_id))
        doc.language = source.language
        return doc

    def duplicate(self, doc_id: str) -> Document:
        source = self._ws.store.get_document(doc_id)
        return self._ws.store.put_document(self.draft_copy(source))

    def quote_to_invoice(self, quote_id: str) -> Document:
        """The rest of the quote as a draft invoice (all of it the first time); see ``ws.quotes``."""
        return self._ws.quotes.invoice(quote_id)

    def credit_note_for(self, invoice_id: str) -> Document:
        invoice = self._ws.store.get_document(invoice_id)
        if invoice.kind is not DocumentKind.INVOICE:
            raise TransitionError("A credit note corrects an invoice: choose an invoice.")
        if not invoice.number:
            raise TransitionError(
                "This invoice has no number yet: it is still a draft, so change or delete it "
                "instead of making a credit note."
            )
        note = self.draft_copy(invoice, DocumentKind.CREDIT_NOTE)
        note.corrects_id, note.corrects_number = invoice.id, invoice.number
        note.corrects_date = invoice.issue_date
        note.title = invoice.title
        return self._ws.store.put_document(note)

    # --- status --------------------------------------------------------------------------------
    def submit(self, doc_id: str) -> Document:
        store = self._ws.store
        doc = store.get_document(doc_id)
        check_transition(doc.kind, doc.status, Status.SUBMITTED.value, Actor.MEMBER)
        problems = self.problems(doc, for_submit=True)
        if problems:
            raise ValidationError(problems, summary="This document cannot be sent for validation yet:")
        self._ws.quotes.check_submit(doc)
        if doc.kind in (DocumentKind.INVOICE,) and doc.entity == "BE" and not doc.payment_reference:
            doc.payment_reference = ogm_for_document(doc.id)
            store.put_document(doc)
        return store.transition_document(doc, Status.SUBMITTED.value)

    def set_status(self, doc_id: str, status: str) -> Document:
        doc = self._ws.store.get_document(doc_id)
        if status == Status.SUBMITTED.value:
            return self.submit(doc_id)
        check_transition(doc.kind, doc.status, status, Actor.MEMBER)
        return self._ws.store.transition_document(doc, status)

    # --- import ----------------------------------------------------------------------------------
    def import_bundle(
        self, activities: list[Activity], clients: list[Client], documents: list[Document]
    ) -> None:
        """Import a file's content in one transaction, after checking every reference and document.

        Nothing is written when any problem is found; every problem names its JSON path.
        """
        from smartdesk.domain.validation import validate_document

        store = self._ws.store
        problems: list[Problem] = []
        client_ids = {c.id for c in clients} | store.ids_present(
            "clients", {d.client_id for d in documents if d.client_id}
        )
        activity_ids = {a.id for a in activities} | store.ids_present(
            "activities", {d.activity_id for d in documents if d.activity_id}
        )
        existing_docs = store.ids_present("documents", {d.id for d in documents})
        for i, c in enumerate(clients):
            if not c.name.strip():
                problems.append(
                    _at(f"$.clients[{i}]", "name", "required.client_name", Message("Give the client's name."))
                )
        for i, d in enumerate(documents):
            where = f"$.documents[{i}]"
            if d.client_id and d.client_id not in client_ids:
                unknown = Message("client {id} is neither in the file nor in SmartDesk", id=d.client_id)
                problems.append(_at(where, "client_id", "import.unknown_client", unknown))
            if d.activity_id and d.activity_id not in activity_ids:
                unknown = Message("activity {id} is neither in the file nor in SmartDesk", id=d.activity_id)
                problems.append(_at(where, "activity_id", "import.unknown_activity", unknown))
            if d.id in existing_docs:
                there = Message(
                    "document {id} is already in SmartDesk; remove its id to import a copy", id=d.id
                )
                problems.append(_at(where, "id", "import.exists", there))
            if d.status not in ("draft",) or d.number:
                not_draft = Message("only drafts can be imported: the cooperative gives statuses and numbers")
                problems.append(_at(where, "status", "import.not_draft", not_draft))
            for p in validate_document(d, entity=entity_for(d.entity)):
                problems.append(replace(p, field=f"{where}.{p.field}"))
        if problems:
            raise ValidationError(
                problems,
                summary=Message.counted(
                    "Nothing was imported; {count} problem to fix:",
                    "Nothing was imported; {count} problems to fix:",
                    len(problems),
                    count=len(problems),
                ),
            )
        store.import_all(activities, clients, documents)

    # --- lists -----------------------------------------------------------------------------------
    def count(self, q: DocumentQuery) -> int:
        return self._ws.store.count_documents(q)

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        return self._ws.store.search(text, limit)

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(id, name) of the activities and of the clients, for list filters."""
        return self._ws.store.filter_choices()

    def find(self, ident: str) -> builtins.list[str]:
        """Documents named by a full id, an id prefix or a legal number (the command line's way to name
        one): the id itself when it exists, else at most two matches (two: the name is ambiguous)."""
        try:
            self._ws.store.get_document(ident)
            return [ident]
        except NotFoundError:
            pass
        # TODO(store): this query belongs with the documents table's SQL in smartdesk/store
        with self._ws.store.read() as conn:
            prefix = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = conn.execute(
                "SELECT id FROM documents WHERE number = ? OR id LIKE ? ESCAPE '\\' LIMIT 2", (ident, prefix)
            ).tuples()
        return [str(r[0]) for r in rows]

    def list(self, q: DocumentQuery, with_total: bool = True) -> Page:
        return self._ws.store.list_documents(q, with_total)

    def sums(self, q: DocumentQuery) -> ListSums:
        """Count, total, paid and still due of every document the query matches (under each list)."""
        return self._ws.store.sum_documents(q)
