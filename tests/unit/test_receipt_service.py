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
    note = workspace.new_document(DocumentKind.EXPENSE_NOTE)
    result = workspace.add_receipt(note.id, [(_photo(), "ticket.jpg")])
    doc = workspace.get_document(note.id)
    assert len(doc.expense_lines) == 1 and doc.expense_lines[0].receipts == result.hashes
    assert workspace.attachments.verify(result.hashes[0])
    assert result.duplicates == []


def test_same_receipt_on_another_note_is_flagged(workspace: Workspace) -> None:
    first = workspace.new_document(DocumentKind.EXPENSE_NOTE)
    second = workspace.new_document(DocumentKind.EXPENSE_NOTE)
    workspace.add_receipt(first.id, [(_photo("red"), "a.jpg")])
    result = workspace.add_receipt(second.id, [(_photo("red"), "a-again.jpg")])
    assert result.duplicates == [first.id]


def test_bad_file_changes_nothing(workspace: Workspace) -> None:
    note = workspace.new_document(DocumentKind.EXPENSE_NOTE)
    workspace.add_receipt(note.id, [(_photo(), "ok.jpg")])
    before = workspace.get_document(note.id)
    with pytest.raises(AttachmentError) as err:
        workspace.add_receipt(note.id, [(b"\xff\xd8\xff garbage", "broken.jpg")])
    assert "broken.jpg" in str(err.value)
    assert workspace.get_document(note.id).expense_lines == before.expense_lines


def test_receipts_only_on_expense_notes(workspace: Workspace) -> None:
    quote = workspace.new_document(DocumentKind.QUOTE)
    with pytest.raises(TransitionError, match="expense notes"):
        workspace.add_receipt(quote.id, [(_photo(), "x.jpg")])
