"""``ws.quotes``: the member's follow-up of a quote, and the invoices made from it.

- ``mark(id, "sent" | "won" | "lost", on=day)``: the member says the quote was sent, accepted or
  refused, on a given day; it goes on the timeline and to the server like any member transition.
  ``undo_mark(id)`` goes back to the status before the last mark.
- ``invoice(id)``: the rest of the quote (all of it the first time); ``invoice(id, percent=30)`` a
  deposit; ``invoice(id, line_ids=[...])`` chosen lines. Never beyond the quote's total (excluding
  VAT, per VAT group); the quote is marked accepted at the first invoice and "invoiced" once it is
  invoiced in full. The invoice's ``source_id`` links it to the quote; the quote's invoices are the
  documents whose ``source_id`` is the quote (``billing(id)``).

Works offline: each step is a local write with its outbox entry (the server re-checks the
transition, its date, and at submission that the invoices stay within the quote).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from smartdesk.domain import quotes as rules
from smartdesk.domain.documents import Document, DocumentKind, TimelineEvent
from smartdesk.domain.lifecycle import Actor, Status, check_transition
from smartdesk.errors import Message, NotFoundError, TransitionError, ValidationError
from smartdesk.i18n.documents import text

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

# the earliest day a member can give for a mark, and how far ahead (time zones)
EARLIEST_MARK = date(2000, 1, 1)


class QuoteService:
    def __init__(self, ws: Workspace, today: Callable[[], date] | None = None) -> None:
        self._ws = ws
        self._today = today or date.today

    # --- what is invoiced ------------------------------------------------------------------------
    def invoices_of(self, quote_id: str) -> list[Document]:
        return self._ws.store.documents_made_from(quote_id, DocumentKind.INVOICE)

    def billing(self, quote_id: str | Document) -> rules.QuoteBilling:
        quote = self._ws.store.get_document(quote_id) if isinstance(quote_id, str) else quote_id
        return rules.billing(quote, self.invoices_of(quote.id))

    # --- the member's marks ----------------------------------------------------------------------
    def _check_day(self, on: date | None) -> str:
        if on is None:
            return ""
        if not EARLIEST_MARK <= on <= self._today():
            raise ValidationError(
                [], summary=Message("Choose a day between 01/01/2000 and today for this step.")
            )
        return on.isoformat()

    def _move(self, quote: Document, target: str, on: str = "", note: str = "") -> Document:
        check_transition(quote.kind, quote.status, target, Actor.MEMBER)
        quote.timeline.append(
            TimelineEvent(
                at=datetime.now(UTC).isoformat(timespec="seconds"),
                status=target,
                actor=Actor.MEMBER.value,
                note=note,
                on=on,
            )
        )
        return self._ws.store.transition_document(quote, target, on=on, note=note)

    def mark(self, quote_id: str, status: str, on: date | None = None) -> Document:
        """The member marks the quote sent, accepted ("won") or refused ("lost"), on ``on`` (today)."""
        quote = self._ws.store.get_document(quote_id)
        if quote.kind is not DocumentKind.QUOTE:
            raise TransitionError("Only a quote is marked sent, accepted or refused.")
        if status not in rules.MEMBER_MARKS:
            raise TransitionError.of("“{value}” is not a step you can mark on a quote.", value=status)
        return self._move(quote, status, self._check_day(on))

    def previous_status(self, quote: Document) -> str | None:
        """The status the last member mark came from (what "undo" goes back to), or None.

        The timeline is read as a stack: a step pushes its status, an undo pops the step it undid."""
        if quote.status not in (*rules.MEMBER_MARKS, Status.INVOICED.value):
            return None
        stack: list[str] = []
        for event in quote.timeline:
            if event.note == "undo":
                if stack:
                    stack.pop()
            else:
                stack.append(event.status)
        if len(stack) >= 2 and stack[-1] == quote.status:
            return stack[-2]
        # marks made before this device saw the quote's history: one step back in the usual order
        return Status.VALIDATED.value if quote.status in rules.MEMBER_MARKS else None

    def undo_mark(self, quote_id: str) -> Document:
        quote = self._ws.store.get_document(quote_id)
        back = self.previous_status(quote)
        if back == Status.SUBMITTED.value:
            back = Status.VALIDATED.value
        if quote.status == Status.INVOICED.value:
            if not self.billing(quote).remaining > 0:
                raise TransitionError(
                    "This quote is invoiced in full: delete or cancel one of its invoices first."
                )
            back = Status.WON.value
        if back is None:
            raise TransitionError("There is no step of yours to undo on this quote.")
        return self._move(quote, back, note="undo")

    # --- invoices from the quote -----------------------------------------------------------------
    def invoice(
        self,
        quote_id: str,
        *,
        percent: Decimal | str | None = None,
        line_ids: Sequence[str] = (),
    ) -> Document:
        """A draft invoice from the quote: a deposit (``percent``), chosen lines, or the rest."""
        ws = self._ws
        quote = ws.store.get_document(quote_id)
        bill = rules.billing(quote, self.invoices_of(quote.id))
        rules.check_invoiceable(quote, bill)
        ref = quote.number or quote.title
        invoice = ws.documents.draft_copy(quote, DocumentKind.INVOICE)
        if percent is not None:
            try:
                pct = Decimal(str(percent).replace(",", ".").strip())
            except InvalidOperation:
                raise ValidationError([], summary=Message("Choose a percentage between 0 and 100.")) from None
            invoice.lines = rules.deposit_lines(
                quote,
                pct,
                text(quote.language, "quote.deposit", percent=format(pct.normalize(), "f"), quote=ref),
            )
            invoice.allowances = []
        elif line_ids:
            invoice.lines = rules.chosen_lines(quote, line_ids)
            invoice.allowances = []
        elif bill.invoiced_net:
            invoice.allowances = [
                *invoice.allowances,
                *rules.already_invoiced(bill, text(quote.language, "quote.already_invoiced", quote=ref)),
            ]
        rules.check_not_beyond(bill, _net(invoice))
        invoice.payment_terms_days = ws.settings.default_payment_terms_days
        client = ws.documents._client_or_none(quote.client_id)  # noqa: SLF001 - same package
        if client is not None:
            invoice.payment_terms_days = client.payment_terms_days
        invoice.due_date = invoice.compute_due_date()
        invoice.reference = quote.reference or quote.number
        ws.store.put_document(invoice)
        self._after_invoice(quote, bill, invoice)
        return invoice

    def _after_invoice(self, quote: Document, before: rules.QuoteBilling, invoice: Document) -> None:
        """Accepted at the first invoice, invoiced once nothing is left."""
        full = before.invoiced_net + _net(invoice) >= before.quote_net
        status = quote.status
        if status in (Status.VALIDATED.value, Status.SENT.value, Status.EXPIRED.value):
            quote = self._move(quote, Status.WON.value, note="invoice")
            status = quote.status
        if full and status in (
            Status.WON.value,
            Status.IN_PRODUCTION.value,
            Status.DRAFT.value,
            Status.RETURNED.value,
        ):
            self._move(quote, Status.INVOICED.value, note="invoice")

    def check_submit(self, invoice: Document) -> None:
        """At submission: an invoice made from a quote keeps the quote's invoices within its total."""
        if invoice.kind is not DocumentKind.INVOICE or not invoice.source_id:
            return
        try:
            quote = self._ws.store.get_document(invoice.source_id)
        except NotFoundError:  # a source that is not here: nothing to check
            return
        if quote.kind is not DocumentKind.QUOTE:
            return
        others = [d for d in self.invoices_of(quote.id) if d.id != invoice.id]
        rules.check_not_beyond(rules.billing(quote, others), _net(invoice))


def _net(doc: Document) -> Decimal:
    from smartdesk.domain.totals import document_totals

    return document_totals(doc).tax_exclusive
