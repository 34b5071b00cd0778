"""Lifecycles as state machines, and validation messages in plain words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartdesk.domain.documents import Address, Client, Document, DocumentKind, ExpenseLine, Line
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.lifecycle import STATUSES, TRANSITIONS, Actor, check_transition
from smartdesk.domain.validation import MESSAGES, validate_client, validate_document
from smartdesk.domain.vat import VatCategory, allowed_categories, rates_for, standard_rate
from smartdesk.errors import TransitionError

kinds = st.sampled_from(list(DocumentKind))


@given(kinds, st.data())
def test_every_transition_is_allowed_exactly_as_declared(kind: DocumentKind, data: st.DataObject) -> None:
    src = data.draw(st.sampled_from(STATUSES[kind]))
    dst = data.draw(st.sampled_from(STATUSES[kind]))
    actor = data.draw(st.sampled_from(list(Actor)))
    allowed = actor in TRANSITIONS[kind].get((src, dst), frozenset())
    if allowed:
        assert check_transition(kind, src, dst, actor).target == dst
    else:
        with pytest.raises(TransitionError) as err:
            check_transition(kind, src, dst, actor)
        assert str(err.value)


def test_only_the_cooperative_validates_and_numbers() -> None:
    with pytest.raises(TransitionError, match="Only the cooperative"):
        check_transition(DocumentKind.INVOICE, "submitted", "validated", Actor.MEMBER)
    assert check_transition(DocumentKind.INVOICE, "submitted", "validated", Actor.COOPERATIVE)


def test_invoice_follow_up_order() -> None:
    chain = ["validated", "sent", "awaiting_payment", "reminder_1", "reminder_2", "formal_notice", "litigation"]
    for a, b in zip(chain, chain[1:], strict=False):
        check_transition(DocumentKind.INVOICE, a, b, Actor.COOPERATIVE)
    with pytest.raises(TransitionError, match="cannot become"):
        check_transition(DocumentKind.INVOICE, "awaiting_payment", "formal_notice", Actor.COOPERATIVE)
    with pytest.raises(TransitionError):
        check_transition(DocumentKind.INVOICE, "paid", "draft", Actor.MEMBER)


def test_member_steers_quotes_commercially() -> None:
    for dst in ("won", "lost", "expired"):
        check_transition(DocumentKind.QUOTE, "sent", dst, Actor.MEMBER)
    with pytest.raises(TransitionError, match="cannot be"):
        check_transition(DocumentKind.QUOTE, "draft", "paid", Actor.MEMBER)


def test_vat_number_checksum_message_is_plain() -> None:
    problems = validate_client(Client(name="X", vat_number="BE0123456788"))
    assert [p.message for p in problems] == [
        "Client VAT number BE0123456788: the check digits do not match. "
        "Check the number on the client's letterhead."]
    assert problems[0].field == "vat_number"


def test_every_problem_at_once() -> None:
    client = Client(name="Atelier", vat_number="XX123", email="nope",
                    address=Address(country="BE"))
    doc = Document(kind=DocumentKind.INVOICE, issue_date=date(2026, 11, 1), due_date=date(2026, 10, 1),
                   currency="EUX", lines=[
                       Line(description="", quantity=Decimal("-1"), unit_price=Decimal("-5"), unit="XYZ",
                            vat_rate=Decimal("19")),
                       Line(description="ok", quantity=Decimal("1.0001"), vat_category=VatCategory.EXPORT,
                            vat_rate=Decimal("21")),
                   ])
    problems = validate_document(doc, client=client, entity=BUILTIN_ENTITIES["BE"], for_submit=True)
    codes = {p.code for p in problems}
    assert {"required.client", "required.activity", "currency.unknown", "due_date.before_issue",
            "required.description", "quantity.negative", "price.negative", "unit.unknown", "vat_rate.invalid",
            "quantity.precision", "vat_rate.must_be_zero", "vat.country", "email.format",
            "vat_category.export_eu"} <= codes
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
    assert allowed_categories("FR", "US", True)[0] is VatCategory.EXPORT


def test_next_dunning_step_follows_the_last_step_reached() -> None:
    from smartdesk.domain.lifecycle import next_dunning_step

    assert next_dunning_step("awaiting_payment") == "reminder_1"
    assert next_dunning_step("reminder_1") == "reminder_2"
    assert next_dunning_step("formal_notice") == "litigation"
    assert next_dunning_step("litigation") is None
    # a partially paid invoice goes on from the step it had reached, not from the start
    assert next_dunning_step("partially_paid", ["sent", "awaiting_payment", "reminder_1", "reminder_2",
                                                "partially_paid"]) == "formal_notice"
    assert next_dunning_step("partially_paid", ["sent", "awaiting_payment", "partially_paid"]) == "reminder_1"
