"""Document statuses as tests check them, written out by hand from the lifecycles of /work/shared/DOMAIN.md
("Document lifecycles"): never read from ``smartdesk.domain.lifecycle``, so that a change to the code's lists
that is not also made here fails."""

from __future__ import annotations

# An invoice still waiting for its money: validated by the cooperative, neither paid in full nor cancelled.
OPEN_INVOICE_STATUSES = frozenset(
    {"validated", "sent", "awaiting_payment", "partially_paid"}
    | {"reminder_1", "reminder_2", "formal_notice", "litigation"}  # the follow-up steps
)
