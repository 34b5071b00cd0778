"""Questions to the cooperative's services (support requests) and their answers.

A question or a reply is queued in the outbox at once (seen in ``list()`` marked "not sent yet", even
offline); the cooperative's answers come back with the pull, kept in ``sync_records``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from smartdesk.errors import Message, NotFoundError, Problem, ValidationError
from smartdesk.sync.protocol import MAX_TEXT, REQUEST_OPEN, REQUEST_REPLY, SERVICES

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

REQUEST_SERVICES = SERVICES
REQUEST_STATUSES = ("open", "answered", "closed")
MAX_REQUEST_SUBJECT = 300  # the server refuses longer subjects
MAX_REQUEST_TEXT = MAX_TEXT
# 10,000 as each language groups digits (10 000 in French, 10.000 in Dutch), like the sizes of receipts
_TEXT_LIMIT = Message(
    "{thousands},{units}", thousands=MAX_REQUEST_TEXT // 1000, units=format(MAX_REQUEST_TEXT % 1000, "03d")
)
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
        return [
            Problem(
                "body",
                "request.body_too_long",
                Message("The message is too long: at most {most} characters.", most=_TEXT_LIMIT),
            )
        ]
    return []


def _request_from_dict(value: dict[str, Any]) -> SupportRequest | None:
    request_id = value.get("id")
    if not isinstance(request_id, str):
        return None
    messages = [
        RequestMessage(at=str(m.get("at", "")), author=str(m.get("author", "")), body=str(m.get("body", "")))
        for m in value.get("messages") or []
        if isinstance(m, dict)
    ]
    status = str(value.get("status") or "open")
    return SupportRequest(
        id=request_id,
        service=str(value.get("service", "")),
        subject=str(value.get("subject", "")),
        document_id=value.get("document_id") or None,
        status=status if status in REQUEST_STATUSES else "open",
        opened_at=str(value.get("opened_at") or (messages[0].at if messages else "")),
        messages=sorted(messages, key=lambda m: m.at),
    )


class RequestService:
    """``ws.requests``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def open(self, service: str, subject: str, body: str, document_id: str | None = None) -> str:
        """Queue a question to one of the cooperative's services; returns its id. Seen at once in
        ``list()`` (marked not sent yet), even offline."""
        subject, body = subject.strip(), body.strip()
        problems = _request_problems(body)
        if service not in REQUEST_SERVICES:
            problems.insert(0, Problem("service", "request.service", "Choose who your question is for."))
        if not subject:
            problems.insert(
                0,
                Problem(
                    "subject",
                    "request.subject_required",
                    "Write a short subject: what your question is about.",
                ),
            )
        elif len(subject) > MAX_REQUEST_SUBJECT:
            problems.insert(
                0,
                Problem(
                    "subject",
                    "request.subject_too_long",
                    Message("The subject is too long: at most {most} characters.", most=MAX_REQUEST_SUBJECT),
                ),
            )
        if document_id:
            try:
                self._ws.store.get_document(document_id)
            except NotFoundError:
                problems.append(
                    Problem(
                        "document_id",
                        "request.document",
                        "That document is not among yours any more: choose another one.",
                    )
                )
        if problems:
            raise ValidationError(problems, summary="Your question cannot be sent yet:")
        request_id = str(uuid.uuid4())
        args: dict[str, Any] = {"id": request_id, "service": service, "subject": subject, "body": body}
        if document_id:
            args["document_id"] = document_id
        self._ws.store.enqueue_member_message(REQUEST_OPEN, request_id, args)
        return request_id

    def reply(self, request_id: str, body: str) -> None:
        """Queue the member's answer in the conversation of one of their questions."""
        body = body.strip()
        problems = _request_problems(body)
        known = next((r for r in self.list() if r.id == request_id), None)
        if known is None:
            raise NotFoundError("This question is no longer on this computer: sync, then try again.")
        if len(known.messages) >= MAX_REQUEST_MESSAGES:
            problems.append(
                Problem(
                    "body",
                    "request.too_many_messages",
                    "This conversation is very long: ask a new question instead.",
                )
            )
        if problems:
            raise ValidationError(problems, summary="Your message cannot be sent yet:")
        self._ws.store.enqueue_member_message(REQUEST_REPLY, request_id, {"id": request_id, "body": body})

    def list(self) -> list[SupportRequest]:
        """The member's questions, most recent activity first: those the cooperative sent back with the
        last sync, plus what this computer has not sent yet (new questions and replies)."""
        from smartdesk.sync.local import list_records

        pulled = list_records(self._ws.store, "request")
        found: dict[str, SupportRequest] = {}
        for value in pulled:
            request = _request_from_dict(value)
            if request is not None:
                found[request.id] = request
        for entry in self._ws.store.outbox_entries_named((REQUEST_OPEN, REQUEST_REPLY)):
            args = entry.args
            mine = RequestMessage(
                at=entry.created_at, author="member", body=str(args.get("body", "")), pending=True
            )
            if entry.name == REQUEST_OPEN and entry.entity_id not in found:
                found[entry.entity_id] = SupportRequest(
                    id=entry.entity_id,
                    service=str(args.get("service", "")),
                    subject=str(args.get("subject", "")),
                    document_id=args.get("document_id") or None,
                    status="open",
                    opened_at=entry.created_at,
                    messages=[mine],
                    pending=True,
                )
            elif entry.name == REQUEST_REPLY and entry.entity_id in found:
                old = found[entry.entity_id]
                found[entry.entity_id] = replace(
                    old, status="open", messages=[*old.messages, mine], pending=True
                )
        return sorted(found.values(), key=lambda r: r.last_activity, reverse=True)
