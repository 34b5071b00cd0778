"""The invoice statuses of /work/shared/DOMAIN.md ("Document lifecycles"), written out by hand: an oracle
for the tests, never read from ``smartdesk.domain`` (a change to the code's lists that is not also made
here fails the tests that use these)."""

from __future__ import annotations

# the cooperative's follow-up of an unpaid invoice, step by step
FOLLOW_UP_STEPS = ("reminder_1", "reminder_2", "formal_notice", "litigation")
# validated and not settled yet: what the client still owes
OPEN_INVOICE_STATUSES = ("validated", "sent", "awaiting_payment", *FOLLOW_UP_STEPS, "partially_paid")
# every status of an invoice, in the order of its life
INVOICE_STATUSES = ["draft", "submitted", "returned", *OPEN_INVOICE_STATUSES, "paid", "cancelled"]
