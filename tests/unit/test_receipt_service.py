"""Receipts attached to expense notes through the services: stored, linked, duplicates flagged."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from smartdesk.domain.documents import DocumentKind
from smartdesk.errors import AttachmentError, TransitionError
from smartdesk.services import Workspace


def _photo(color: str = "white") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buf, "JPEG")
    return buf.getvalue()


def test_receipt_is_stored_and_linked(workspace: Workspace) -> None:
    note = workspace.documents.new(DocumentKind.EXPENSE_NOTE)
    result = workspace.receipts.add(note.id, [(_photo(), "ticket.jpg")])
    doc = workspace.documents.get(note.id)
    assert len(doc.expense_lines) == 1 and doc.expense_lines[0].receipts == result.hashes
    assert workspace.attachments.verify(result.hashes[0])
    assert result.duplicates == []


def test_same_receipt_on_another_note_is_flagged(workspace: Workspace) -> None:
    first = workspace.documents.new(DocumentKind.EXPENSE_NOTE)
    second = workspace.documents.new(DocumentKind.EXPENSE_NOTE)
    workspace.receipts.add(first.id, [(_photo("red"), "a.jpg")])
    result = workspace.receipts.add(second.id, [(_photo("red"), "a-again.jpg")])
    assert result.duplicates == [first.id]


def test_bad_file_changes_nothing(workspace: Workspace) -> None:
    note = workspace.documents.new(DocumentKind.EXPENSE_NOTE)
    workspace.receipts.add(note.id, [(_photo(), "ok.jpg")])
    before = workspace.documents.get(note.id)
    with pytest.raises(AttachmentError) as err:
        workspace.receipts.add(note.id, [(b"\xff\xd8\xff garbage", "broken.jpg")])
    assert "broken.jpg" in str(err.value)
    assert workspace.documents.get(note.id).expense_lines == before.expense_lines


def test_receipts_only_on_expense_notes(workspace: Workspace) -> None:
    quote = workspace.documents.new(DocumentKind.QUOTE)
    with pytest.raises(TransitionError, match="expense notes"):
        workspace.receipts.add(quote.id, [(_photo(), "x.jpg")])
