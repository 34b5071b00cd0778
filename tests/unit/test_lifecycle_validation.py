"""Lifecycles as state machines, and validation messages in plain words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from smartdesk.domain.documents import Address, Client, Document, DocumentKind, ExpenseLine, Line
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.lifecycle import Actor, allowed_targets, check_transition, is_deletable, is_editable
from smartdesk.domain.validation import MESSAGES, validate_client, validate_document
from smartdesk.domain.vat import VatCategory, allowed_categories, rates_for, standard_rate
from smartdesk.errors import TransitionError
from tests.support.statuses import FOLLOW_UP_STEPS, INVOICE_STATUSES, OPEN_INVOICE_STATUSES

# --- the oracle: the lifecycles of /work/shared/DOMAIN.md ("Document lifecycles", rec. 13), written out
# by hand as literal transitions. Nothing below is read from smartdesk.domain.lifecycle: a change to the
# code's table that is not also made here fails, and so does a table that drifts from the domain.
# "m" = only the member, "c" = only the cooperative, "mc" = either. The invoice statuses, written out by
# hand the same way, are in tests/support/statuses.py.

QUOTE_STATUSES = [
    "draft",
    "submitted",
    "returned",
    "validated",
    "sent",
    "won",
    "lost",
    "expired",
    "in_production",
    "invoiced",
]
CREDIT_NOTE_STATUSES = ["draft", "submitted", "returned", "validated", "sent"]
EXPENSE_NOTE_STATUSES = ["draft", "submitted", "validated", "rejected", "reimbursed"]

VALIDATION = {  # every kind but expense notes: submitted for validation, validated or returned with remarks
    ("draft", "submitted"): "m",
    ("returned", "submitted"): "m",  # corrected after the advisor's remarks
    ("submitted", "draft"): "m",  # withdrawn before the advisor acts
    ("submitted", "validated"): "c",  # only the cooperative validates (and numbers)
    ("submitted", "returned"): "c",
}
QUOTE = {
    **VALIDATION,
    ("validated", "sent"): "mc",  # the member steers the commercial follow-up of a quote
    ("validated", "won"): "mc",  # accepted on the spot
    ("validated", "lost"): "mc",
    ("sent", "won"): "mc",
    ("sent", "lost"): "mc",
    ("sent", "expired"): "mc",
    ("expired", "won"): "mc",  # late acceptance
    ("won", "in_production"): "m",  # order in production
    ("won", "invoiced"): "mc",
    ("in_production", "invoiced"): "mc",
    # the member's own marks on a quote, and their undo (issue 16)
    ("draft", "invoiced"): "m",
    ("returned", "invoiced"): "m",
    ("sent", "validated"): "m",
    ("won", "sent"): "m",
    ("won", "validated"): "m",
    ("won", "expired"): "m",
    ("lost", "sent"): "m",
    ("lost", "validated"): "m",
    ("invoiced", "won"): "m",
}
INVOICE = {
    **VALIDATION,
    ("validated", "sent"): "c",
    ("sent", "awaiting_payment"): "c",
    ("awaiting_payment", "reminder_1"): "c",
    ("reminder_1", "reminder_2"): "c",
    ("reminder_2", "formal_notice"): "c",
    ("formal_notice", "litigation"): "c",
    # a partial payment, from any step after sending; the reminders then go on
    ("sent", "partially_paid"): "c",
    ("awaiting_payment", "partially_paid"): "c",
    ("reminder_1", "partially_paid"): "c",
    ("reminder_2", "partially_paid"): "c",
    ("formal_notice", "partially_paid"): "c",
    ("litigation", "partially_paid"): "c",
    ("partially_paid", "reminder_1"): "c",
    ("partially_paid", "reminder_2"): "c",
    ("partially_paid", "formal_notice"): "c",
    ("partially_paid", "litigation"): "c",
    # paid, from any step after sending
    ("sent", "paid"): "c",
    ("awaiting_payment", "paid"): "c",
    ("reminder_1", "paid"): "c",
    ("reminder_2", "paid"): "c",
    ("formal_notice", "paid"): "c",
    ("litigation", "paid"): "c",
    ("partially_paid", "paid"): "c",
    # cancelled only through a credit note, which the cooperative issues: from validated on, never after paid
    ("validated", "cancelled"): "c",
    ("sent", "cancelled"): "c",
    ("awaiting_payment", "cancelled"): "c",
    ("reminder_1", "cancelled"): "c",
    ("reminder_2", "cancelled"): "c",
    ("formal_notice", "cancelled"): "c",
    ("litigation", "cancelled"): "c",
    ("partially_paid", "cancelled"): "c",
}
CREDIT_NOTE = {**VALIDATION, ("validated", "sent"): "c"}
EXPENSE_NOTE = {
    ("draft", "submitted"): "m",
    ("submitted", "draft"): "m",
    ("submitted", "validated"): "c",
    ("submitted", "rejected"): "c",  # rejected with a reason
    ("rejected", "draft"): "m",  # corrected, to submit again
    ("validated", "reimbursed"): "c",
}
ORACLE = {
    DocumentKind.QUOTE: (QUOTE_STATUSES, QUOTE),
    DocumentKind.INVOICE: (INVOICE_STATUSES, INVOICE),
    DocumentKind.CREDIT_NOTE: (CREDIT_NOTE_STATUSES, CREDIT_NOTE),
    DocumentKind.EXPENSE_NOTE: (EXPENSE_NOTE_STATUSES, EXPENSE_NOTE),
}
ALL_STATUSES = sorted(set(QUOTE_STATUSES + INVOICE_STATUSES + CREDIT_NOTE_STATUSES + EXPENSE_NOTE_STATUSES))
WHO = {"m": {Actor.MEMBER}, "c": {Actor.COOPERATIVE}, "mc": {Actor.MEMBER, Actor.COOPERATIVE}}

CASES = [
    (kind, src, dst, actor)
    for kind, (statuses, _) in ORACLE.items()
    for src in statuses
    for dst in statuses
    for actor in (Actor.MEMBER, Actor.COOPERATIVE)
]


def test_the_oracle_covers_every_kind_and_names_only_its_statuses() -> None:
    assert set(ORACLE) == set(DocumentKind)
    for statuses, table in ORACLE.values():
        assert {s for pair in table for s in pair} <= set(statuses)


@pytest.mark.parametrize(
    ("kind", "src", "dst", "actor"), CASES, ids=[f"{k.value}:{s}->{d}:{a.value}" for k, s, d, a in CASES]
)
def test_each_transition_is_allowed_or_refused_as_the_domain_says(
    kind: DocumentKind, src: str, dst: str, actor: Actor
) -> None:
    who = ORACLE[kind][1].get((src, dst))
    if who is not None and actor in WHO[who]:
        t = check_transition(kind, src, dst, actor)
        assert (t.kind, t.source.value, t.target.value, t.actor) == (kind, src, dst, actor)
        return
    with pytest.raises(TransitionError) as err:
        check_transition(kind, src, dst, actor)
    text = str(err.value)
    if who is None:
        assert "cannot become" in text
    elif actor is Actor.MEMBER:
        assert text.startswith("Only the cooperative can change this")
    else:
        assert text.startswith("Only the member can change this")


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_allowed_targets_are_the_oracles(kind: DocumentKind) -> None:
    statuses, table = ORACLE[kind]
    for src in statuses:
        for actor in (Actor.MEMBER, Actor.COOPERATIVE):
            expected = {d for (s, d), who in table.items() if s == src and actor in WHO[who]}
            assert {t.value for t in allowed_targets(kind, src, actor)} == expected, (src, actor)


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_statuses_of_another_kind_or_unknown_are_refused_in_plain_words(kind: DocumentKind) -> None:
    statuses, _ = ORACLE[kind]
    for foreign in sorted(set(ALL_STATUSES) - set(statuses)):
        with pytest.raises(TransitionError, match="cannot be"):
            check_transition(kind, "draft", foreign, Actor.MEMBER)
        with pytest.raises(TransitionError, match="cannot be"):
            check_transition(kind, foreign, "draft", Actor.COOPERATIVE)
    with pytest.raises(TransitionError, match="“shipped” is not a status SmartDesk knows"):
        check_transition(kind, "draft", "shipped", Actor.MEMBER)


def test_the_member_never_sets_a_cooperative_owned_fact_of_an_invoice() -> None:
    """DOMAIN.md: only the cooperative changes validation, legal number, sent/paid/reminder status."""
    owned = [*OPEN_INVOICE_STATUSES, "paid", "cancelled", "returned"]
    for src in INVOICE_STATUSES:
        for dst in owned:
            with pytest.raises(TransitionError):
                check_transition(DocumentKind.INVOICE, src, dst, Actor.MEMBER)


def test_the_invoice_walks_the_domain_path_and_ends_paid() -> None:
    path = ["draft", "submitted", "validated", "sent", "awaiting_payment", *FOLLOW_UP_STEPS, "paid"]
    actors = [Actor.MEMBER, Actor.COOPERATIVE] + [Actor.COOPERATIVE] * 7
    for (a, b), actor in zip(zip(path, path[1:], strict=False), actors, strict=True):
        assert check_transition(DocumentKind.INVOICE, a, b, actor).target.value == b
    for end in ("paid", "cancelled"):  # nothing leaves a paid or cancelled invoice
        assert allowed_targets(DocumentKind.INVOICE, end, Actor.MEMBER) == []
        assert allowed_targets(DocumentKind.INVOICE, end, Actor.COOPERATIVE) == []


def test_editable_and_deletable_statuses() -> None:
    assert {s for s in ALL_STATUSES if is_editable(s)} == {"draft", "returned", "rejected"}
    assert {s for s in ALL_STATUSES if is_deletable(s)} == {"draft", "returned", "rejected"}


def test_only_the_cooperative_validates_and_numbers() -> None:
    with pytest.raises(TransitionError, match="Only the cooperative"):
        check_transition(DocumentKind.INVOICE, "submitted", "validated", Actor.MEMBER)
    assert check_transition(DocumentKind.INVOICE, "submitted", "validated", Actor.COOPERATIVE)


def test_invoice_follow_up_order() -> None:
    with pytest.raises(
        TransitionError, match="This invoice is “awaiting payment”: it cannot become “formal notice”."
    ):
        check_transition(DocumentKind.INVOICE, "awaiting_payment", "formal_notice", Actor.COOPERATIVE)


def test_vat_number_checksum_message_is_plain() -> None:
    problems = validate_client(Client(name="X", vat_number="BE0123456788"))
    assert [p.message for p in problems] == [
        "Client VAT number BE0123456788: the check digits do not match. "
        "Check the number on the client's letterhead."
    ]
    assert problems[0].field == "vat_number"


def test_every_problem_at_once() -> None:
    client = Client(name="Atelier", vat_number="XX123", email="nope", address=Address(country="BE"))
    doc = Document(
        kind=DocumentKind.INVOICE,
        issue_date=date(2026, 11, 1),
        due_date=date(2026, 10, 1),
        currency="EUX",
        lines=[
            Line(
                description="",
                quantity=Decimal("-1"),
                unit_price=Decimal("-5"),
                unit="XYZ",
                vat_rate=Decimal("19"),
            ),
            Line(
                description="ok",
                quantity=Decimal("1.0001"),
                vat_category=VatCategory.EXPORT,
                vat_rate=Decimal("21"),
            ),
        ],
    )
    problems = validate_document(doc, client=client, entity=BUILTIN_ENTITIES["BE"], for_submit=True)
    codes = {p.code for p in problems}
    assert {
        "required.client",
        "required.activity",
        "currency.unknown",
        "due_date.before_issue",
        "required.description",
        "quantity.negative",
        "price.negative",
        "unit.unknown",
        "vat_rate.invalid",
        "quantity.precision",
        "vat_rate.must_be_zero",
        "vat.country",
        "email.format",
        "vat_category.export_eu",
    } <= codes
    fields = {p.field for p in problems}
    assert "lines[0].vat_rate" in fields and "client.vat_number" in fields
    rate_msg = next(p.message for p in problems if p.code == "vat_rate.invalid")
    assert "19 % is not a VAT rate in BE" in rate_msg and "21 %" in rate_msg


def test_drafts_may_be_incomplete() -> None:
    assert validate_document(Document(kind=DocumentKind.QUOTE), entity=BUILTIN_ENTITIES["BE"]) == []


def test_expense_submission_needs_receipts() -> None:
    doc = Document(kind=DocumentKind.EXPENSE_NOTE, expense_lines=[ExpenseLine(amount_incl=Decimal("12.10"))])
    codes = {p.code for p in validate_document(doc, for_submit=True)}
    assert {"required.receipt", "required.supplier", "required.expense_date", "required.activity"} <= codes


def test_messages_are_sentences_that_say_what_to_do() -> None:
    for code, text in MESSAGES.items():
        assert text[0].isupper() or text[0] in "{“", code
        assert text.rstrip().endswith((".", "?")), code


def test_dated_vat_rates() -> None:
    assert rates_for("BE", date(2026, 1, 1)) == [Decimal(21), Decimal(12), Decimal(6), Decimal(0)]
    assert standard_rate("FR", date(2013, 6, 1)) == Decimal("19.6")
    assert standard_rate("FR", date(2026, 6, 1)) == Decimal("20")
    assert standard_rate("DE", date(2020, 8, 1)) == Decimal("16")
    assert Decimal("5.5") in rates_for("FR", date(2026, 1, 1)) and Decimal("2.1") in rates_for("FR")
    for country in ("BE", "FR", "NL", "DE", "ES", "IT"):
        assert standard_rate(country) is not None


def test_allowed_categories_follow_the_client() -> None:
    assert allowed_categories("BE", "BE", True)[0] is VatCategory.STANDARD
    assert allowed_categories("BE", "NL", True)[0] is VatCategory.REVERSE_CHARGE
    assert allowed_categories("BE", "NL", False)[0] is VatCategory.STANDARD
    # services to a business outside the EU: outside the scope (art. 44), never "export" (goods, art. 146)
    assert allowed_categories("FR", "US", True)[0] is VatCategory.OUT_OF_SCOPE
    assert VatCategory.EXPORT in allowed_categories("FR", "US", True)
    assert allowed_categories("BE", "CH", False)[0] is VatCategory.STANDARD


def test_next_dunning_step_follows_the_last_step_reached() -> None:
    from smartdesk.domain.lifecycle import next_dunning_step

    assert next_dunning_step("awaiting_payment") == "reminder_1"
    assert next_dunning_step("reminder_1") == "reminder_2"
    assert next_dunning_step("formal_notice") == "litigation"
    assert next_dunning_step("litigation") is None
    # a partially paid invoice goes on from the step it had reached, not from the start
    assert (
        next_dunning_step(
            "partially_paid", ["sent", "awaiting_payment", "reminder_1", "reminder_2", "partially_paid"]
        )
        == "formal_notice"
    )
    assert next_dunning_step("partially_paid", ["sent", "awaiting_payment", "partially_paid"]) == "reminder_1"
