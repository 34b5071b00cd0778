"""The copy rules: what a new draft made from another document keeps and what it drops.

One place for "Duplicate", "quote to invoice", "credit note" (``services.documents``) and for the
"copy mine to a new draft" answer to a sync conflict (``sync.local.resolve_conflict``).
"""

from __future__ import annotations

import copy
from dataclasses import replace

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.ids import uuid7
from smartdesk.domain.lifecycle import Status


def new_draft_from(source: Document, kind: DocumentKind | None = None) -> Document:
    """A new draft with the content of ``source``: new ids for it and its lines, none of the
    cooperative's facts (number, status, payments, remarks, timeline, payment reference), no link to
    a corrected invoice, and ``source_id`` pointing back at ``source``. ``source`` is left as it is."""
    doc = replace(
        copy.deepcopy(source),
        id=uuid7(),
        kind=kind or source.kind,
        status=Status.DRAFT.value,
        number="",
        paid_amount=0 * source.paid_amount,
        remarks="",
        timeline=[],
        version=0,
        created_at="",
        updated_at="",
        payment_reference="",
        corrects_id="",
        corrects_number="",
        source_id=source.id,
    )
    doc.lines = [replace(line, id=uuid7()) for line in doc.lines]
    doc.expense_lines = [replace(line, id=uuid7(), rejection_reason="") for line in doc.expense_lines]
    return doc
