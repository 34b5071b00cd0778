"""Questions to the cooperative (support requests): queued in the outbox, visible at once, bad input refused."""

from __future__ import annotations

import pytest

from smartdesk.domain.documents import DocumentKind
from smartdesk.errors import NotFoundError, ValidationError
from smartdesk.services import Workspace
from smartdesk.sync import local


def test_open_request_queues_exactly_one_mutation_and_is_listed_at_once(workspace: Workspace) -> None:
    doc = workspace.documents.new(DocumentKind.INVOICE)
    before = workspace.store.outbox_count()
    rid = workspace.requests.open(
        "legal", "  Late payment  ", "My client has not paid for 3 months.\n", document_id=doc.id
    )
    entries = workspace.store.outbox_entries(after=0)
    assert workspace.store.outbox_count() == before + 1
    entry = entries[-1]
    assert entry.name == "request.open" and entry.entity_id == rid
    assert entry.args == {
        "id": rid,
        "service": "legal",
        "subject": "Late payment",
        "body": "My client has not paid for 3 months.",
        "document_id": doc.id,
    }

    [request] = workspace.requests.list()
    assert (request.id, request.service, request.subject, request.status) == (
        rid,
        "legal",
        "Late payment",
        "open",
    )
    assert request.document_id == doc.id and request.pending
    assert [(m.author, m.body, m.pending) for m in request.messages] == [
        ("member", "My client has not paid for 3 months.", True)
    ]


def test_reply_queues_one_mutation_and_joins_the_conversation(workspace: Workspace) -> None:
    rid = workspace.requests.open("accounting", "VAT on a foreign client", "Which VAT rate do I use?")
    before = workspace.store.outbox_count()
    workspace.requests.reply(rid, "The client is in Germany.")
    assert workspace.store.outbox_count() == before + 1
    entry = workspace.store.outbox_entries()[-1]
    assert (entry.name, entry.entity_id, entry.args) == (
        "request.reply",
        rid,
        {"id": rid, "body": "The client is in Germany."},
    )
    [request] = workspace.requests.list()
    assert [m.body for m in request.messages] == ["Which VAT rate do I use?", "The client is in Germany."]


@pytest.mark.parametrize(
    ("service", "subject", "body", "field", "words"),
    [
        ("legal", "   ", "text", "subject", "Write a short subject"),
        ("legal", "Subject", "  \n ", "body", "Write your message"),
        ("legal", "x" * 301, "text", "subject", "at most 300 characters"),
        ("legal", "Subject", "x" * 10_001, "body", "at most 10,000 characters"),
        ("plumbing", "Subject", "text", "service", "Choose who your question is for"),
    ],
)
def test_bad_questions_are_refused_plainly_and_nothing_is_queued(
    workspace: Workspace, service: str, subject: str, body: str, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        workspace.requests.open(service, subject, body)
    assert [p.field for p in caught.value.problems] == [field]
    assert words in caught.value.message
    assert workspace.store.outbox_count() == 0 and workspace.requests.list() == []


def test_a_question_about_a_document_that_is_not_mine_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        workspace.requests.open(
            "collections", "Unpaid", "Help", document_id="0190f1a2-0000-7000-8000-000000000000"
        )
    assert caught.value.problems[0].field == "document_id"
    assert workspace.store.outbox_count() == 0


def test_reply_refused_for_unknown_question_or_empty_text(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError):
        workspace.requests.reply("0190f1a2-0000-7000-8000-000000000000", "Hello")
    rid = workspace.requests.open("client_relations", "A difficult client", "How do I answer this e-mail?")
    with pytest.raises(ValidationError) as caught:
        workspace.requests.reply(rid, "   ")
    assert "Write your message" in caught.value.message
    assert [e.name for e in workspace.store.outbox_entries()] == ["request.open"]


def test_pulled_requests_replace_the_pending_copy_and_show_the_answer(workspace: Workspace) -> None:
    """What a sync does: the server's version comes in, the acknowledged outbox rows leave, together."""
    rid = workspace.requests.open("legal", "Contract", "Can I sign this?")
    local.ensure_tables(workspace.store)
    server_value = {
        "id": rid,
        "service": "legal",
        "subject": "Contract",
        "document_id": None,
        "status": "answered",
        "opened_at": "2026-01-02T10:00:00.000+00:00",
        "messages": [
            {"at": "2026-01-03T09:00:00.000+00:00", "author": "staff", "body": "Yes, but..."},
            {"at": "2026-01-02T10:00:00.000+00:00", "author": "member", "body": "Can I sign this?"},
        ],
    }
    with workspace.store.write() as conn:
        local.apply_upsert(workspace.store, conn, "request", rid, server_value, 2)
        workspace.store.drop_acknowledged(conn, 10**9)
    [request] = workspace.requests.list()
    assert request.status == "answered" and not request.pending
    assert [(m.author, m.body) for m in request.messages] == [
        ("member", "Can I sign this?"),
        ("staff", "Yes, but..."),
    ]
    assert request.last_activity == "2026-01-03T09:00:00.000+00:00"
    # a reply written now, offline, reopens it here at once
    workspace.requests.reply(rid, "Thanks: and the deadline?")
    [request] = workspace.requests.list()
    assert request.status == "open" and request.pending and request.messages[-1].pending
    assert request.messages[-1].body == "Thanks: and the deadline?"
