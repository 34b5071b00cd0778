"""Document lifecycles (DOMAIN.md) as explicit state machines.

Each transition says who may do it: the member (content of their documents, commercial follow-up
of quotes, hold/OK switches) or the cooperative (validation, legal number, sending, reminders,
payments). Anything else raises TransitionError with a plain message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from smartdesk.domain.documents import DocumentKind
from smartdesk.errors import Message, TransitionError


class Actor(StrEnum):
    MEMBER = "member"
    COOPERATIVE = "cooperative"


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # returned by the advisor with remarks; editable again
    VALIDATED = "validated"
    SENT = "sent"
    # quotes
    WON = "won"
    LOST = "lost"
    EXPIRED = "expired"
    IN_PRODUCTION = "in_production"
    INVOICED = "invoiced"
    # invoices
    AWAITING_PAYMENT = "awaiting_payment"
    REMINDER_1 = "reminder_1"
    REMINDER_2 = "reminder_2"
    FORMAL_NOTICE = "formal_notice"
    LITIGATION = "litigation"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    CANCELLED = "cancelled"
    # expense notes
    REJECTED = "rejected"
    REIMBURSED = "reimbursed"


M, C = Actor.MEMBER, Actor.COOPERATIVE
S = Status

# (from, to) -> actors allowed
_COMMON_VALIDATION: dict[tuple[Status, Status], frozenset[Actor]] = {
    (S.DRAFT, S.SUBMITTED): frozenset({M}),
    (S.RETURNED, S.SUBMITTED): frozenset({M}),
    (S.SUBMITTED, S.DRAFT): frozenset({M}),  # the member withdraws it before the advisor acts
    (S.SUBMITTED, S.VALIDATED): frozenset({C}),
    (S.SUBMITTED, S.RETURNED): frozenset({C}),
}

_DUNNING = (S.AWAITING_PAYMENT, S.REMINDER_1, S.REMINDER_2, S.FORMAL_NOTICE, S.LITIGATION, S.PARTIALLY_PAID)

TRANSITIONS: dict[DocumentKind, dict[tuple[Status, Status], frozenset[Actor]]] = {
    DocumentKind.QUOTE: {
        **_COMMON_VALIDATION,
        (S.VALIDATED, S.SENT): frozenset({M, C}),
        (S.SENT, S.WON): frozenset({M, C}),
        (S.SENT, S.LOST): frozenset({M, C}),
        (S.SENT, S.EXPIRED): frozenset({M, C}),
        (S.VALIDATED, S.WON): frozenset({M, C}),  # accepted on the spot
        (S.VALIDATED, S.LOST): frozenset({M, C}),
        (S.EXPIRED, S.WON): frozenset({M, C}),  # late acceptance
        (S.WON, S.IN_PRODUCTION): frozenset({M}),
        (S.WON, S.INVOICED): frozenset({M, C}),
        (S.IN_PRODUCTION, S.INVOICED): frozenset({M, C}),
        # the member's own marks (issue 16): a quote turned into an invoice before any validation is
        # invoiced (the invoice goes through validation), and every mark can be undone
        (S.DRAFT, S.INVOICED): frozenset({M}),
        (S.RETURNED, S.INVOICED): frozenset({M}),
        (S.SENT, S.VALIDATED): frozenset({M}),
        (S.WON, S.SENT): frozenset({M}),
        (S.WON, S.VALIDATED): frozenset({M}),
        (S.WON, S.EXPIRED): frozenset({M}),
        (S.LOST, S.SENT): frozenset({M}),
        (S.LOST, S.VALIDATED): frozenset({M}),
        (S.INVOICED, S.WON): frozenset({M}),  # its invoice was deleted or cancelled: bill it again
    },
    DocumentKind.INVOICE: {
        **_COMMON_VALIDATION,
        (S.VALIDATED, S.SENT): frozenset({C}),
        (S.SENT, S.AWAITING_PAYMENT): frozenset({C}),
        (S.AWAITING_PAYMENT, S.REMINDER_1): frozenset({C}),
        (S.REMINDER_1, S.REMINDER_2): frozenset({C}),
        (S.REMINDER_2, S.FORMAL_NOTICE): frozenset({C}),
        (S.FORMAL_NOTICE, S.LITIGATION): frozenset({C}),
        (S.PARTIALLY_PAID, S.REMINDER_1): frozenset({C}),
        (S.PARTIALLY_PAID, S.REMINDER_2): frozenset({C}),
        (S.PARTIALLY_PAID, S.FORMAL_NOTICE): frozenset({C}),
        (S.PARTIALLY_PAID, S.LITIGATION): frozenset({C}),
        **{(s, S.PARTIALLY_PAID): frozenset({C}) for s in (S.SENT, *_DUNNING) if s is not S.PARTIALLY_PAID},
        **{(s, S.PAID): frozenset({C}) for s in (S.SENT, *_DUNNING)},
        **{(s, S.CANCELLED): frozenset({C}) for s in (S.VALIDATED, S.SENT, *_DUNNING)},
    },
    DocumentKind.CREDIT_NOTE: {
        **_COMMON_VALIDATION,
        (S.VALIDATED, S.SENT): frozenset({C}),
    },
    DocumentKind.EXPENSE_NOTE: {
        (S.DRAFT, S.SUBMITTED): frozenset({M}),
        (S.SUBMITTED, S.DRAFT): frozenset({M}),
        (S.SUBMITTED, S.VALIDATED): frozenset({C}),
        (S.SUBMITTED, S.REJECTED): frozenset({C}),
        (S.REJECTED, S.DRAFT): frozenset({M}),  # correct it and submit again
        (S.VALIDATED, S.REIMBURSED): frozenset({C}),
    },
}

STATUSES: dict[DocumentKind, tuple[Status, ...]] = {
    DocumentKind.QUOTE: (
        S.DRAFT,
        S.SUBMITTED,
        S.RETURNED,
        S.VALIDATED,
        S.SENT,
        S.WON,
        S.LOST,
        S.EXPIRED,
        S.IN_PRODUCTION,
        S.INVOICED,
    ),
    DocumentKind.INVOICE: (
        S.DRAFT,
        S.SUBMITTED,
        S.RETURNED,
        S.VALIDATED,
        S.SENT,
        S.AWAITING_PAYMENT,
        S.REMINDER_1,
        S.REMINDER_2,
        S.FORMAL_NOTICE,
        S.LITIGATION,
        S.PARTIALLY_PAID,
        S.PAID,
        S.CANCELLED,
    ),
    DocumentKind.CREDIT_NOTE: (S.DRAFT, S.SUBMITTED, S.RETURNED, S.VALIDATED, S.SENT),
    DocumentKind.EXPENSE_NOTE: (S.DRAFT, S.SUBMITTED, S.VALIDATED, S.REJECTED, S.REIMBURSED),
}

# statuses in which the member may change the content
EDITABLE = frozenset({S.DRAFT, S.RETURNED, S.REJECTED})
# statuses in which the member may delete the document (it never had a legal number)
DELETABLE = frozenset({S.DRAFT, S.RETURNED, S.REJECTED})

# the follow-up steps the cooperative performs and the member can put on hold
_DUNNING_ORDER = (S.REMINDER_1, S.REMINDER_2, S.FORMAL_NOTICE, S.LITIGATION)
FOLLOW_UP_STEPS: tuple[Status, ...] = (S.SENT, S.REMINDER_1, S.REMINDER_2, S.FORMAL_NOTICE, S.LITIGATION)
# the steps taken, in this order, while an invoice stays unpaid after its due date
DUNNING_STEPS: tuple[str, ...] = (S.REMINDER_1, S.REMINDER_2, S.FORMAL_NOTICE, S.LITIGATION)
# an invoice sent and not settled yet: the client owes it (a bank payment may be matched to it)
PAYABLE: tuple[str, ...] = tuple(
    s.value for s in (S.SENT, S.AWAITING_PAYMENT, *_DUNNING_ORDER, S.PARTIALLY_PAID)
)
# validated and not settled: money still to receive
OPEN_INVOICE: tuple[str, ...] = (S.VALIDATED.value, *PAYABLE)
# an invoice that may have received money (its payments are worth showing)
MAY_HAVE_PAYMENTS: tuple[str, ...] = tuple(
    s.value for s in (S.AWAITING_PAYMENT, *_DUNNING_ORDER, S.PARTIALLY_PAID, S.PAID)
)


def next_dunning_step(status: str, timeline: Iterable[str] = ()) -> str | None:
    """The next step for an unpaid invoice, after the last one it reached: its status when that is a
    step, else the last step in its timeline (a partially paid invoice keeps the step it had reached).
    None after litigation. The server's follow-up engine and the app's Follow-up page both ask this."""
    reached = (
        status
        if status in DUNNING_STEPS
        else next((s for s in reversed(list(timeline)) if s in DUNNING_STEPS), "")
    )
    if not reached:
        return DUNNING_STEPS[0]
    index = DUNNING_STEPS.index(reached) + 1
    return DUNNING_STEPS[index] if index < len(DUNNING_STEPS) else None


@dataclass(frozen=True)
class Transition:
    kind: DocumentKind
    source: Status
    target: Status
    actor: Actor


def kind_word(kind: DocumentKind) -> Message:
    """The kind of a document as a word inside a message (translated with it)."""
    return {
        DocumentKind.QUOTE: Message("quote"),
        DocumentKind.INVOICE: Message("invoice"),
        DocumentKind.CREDIT_NOTE: Message("credit note"),
        DocumentKind.EXPENSE_NOTE: Message("expense note"),
    }[kind]


def parse_status(kind: DocumentKind, value: str) -> Status:
    try:
        status = Status(value)
    except ValueError:
        raise TransitionError.of("“{value}” is not a status SmartDesk knows.", value=value) from None
    if status not in STATUSES[kind]:
        raise TransitionError.of(
            "A document of this kind ({kind}) cannot be “{status}”.",
            kind=kind_word(kind),
            status=Message(status_label(status)),
        )
    return status


def allowed_targets(kind: DocumentKind, source: str, actor: Actor) -> list[Status]:
    src = Status(source)
    return [dst for (s, dst), actors in TRANSITIONS[kind].items() if s is src and actor in actors]


def check_transition(kind: DocumentKind, source: str, target: str, actor: Actor) -> Transition:
    """Return the transition, or raise TransitionError saying why it is not possible."""
    src = parse_status(kind, source)
    dst = parse_status(kind, target)
    words = {
        "kind": kind_word(kind),
        "source": Message(status_label(src)),
        "target": Message(status_label(dst)),
    }
    actors = TRANSITIONS[kind].get((src, dst))
    if actors is None:
        raise TransitionError.of("This {kind} is “{source}”: it cannot become “{target}”.", **words)
    if actor not in actors:
        if actor is Actor.MEMBER:
            raise TransitionError.of(
                "Only the cooperative can change this {kind} from “{source}” to “{target}”.", **words
            )
        raise TransitionError.of(
            "Only the member can change this {kind} from “{source}” to “{target}”.", **words
        )
    return Transition(kind, src, dst, actor)


def is_editable(status: str) -> bool:
    return Status(status) in EDITABLE


def is_deletable(status: str) -> bool:
    return Status(status) in DELETABLE


def status_label(status: Status | str) -> str:
    """Plain English label (the UI translates through its catalogue)."""
    return (
        Status(status)
        .value.replace("_", " ")
        .replace("reminder 1", "first reminder")
        .replace("reminder 2", "second reminder")
    )
