"""Follow-up of invoices (Hold / OK per step): one ``followup.set`` per change with exact arguments,
the effective settings (pulled records with unsent choices on top), and plain-words refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from smartdesk.domain.documents import Client, Document, DocumentKind, Line, TimelineEvent
from smartdesk.domain.ids import uuid7
from smartdesk.domain.lifecycle import FOLLOW_UP_STEPS
from smartdesk.domain.serialize import document_to_dict
from smartdesk.errors import ValidationError
from smartdesk.services import Workspace
from smartdesk.services.followup import FOLLOWUP_STEP_NAMES, FollowUpSetting, next_followup_step
from smartdesk.sync import local


def pulled_invoice(
    ws: Workspace, status: str, number: str, due: date = date(2026, 3, 1), timeline: list[str] | None = None
) -> Document:
    """An invoice as a sync brings it back from the cooperative (validated, numbered, sent...)."""
    client = ws.clients.save(Client(id=uuid7(), name="Studio Noord"))
    doc = ws.documents.new(DocumentKind.INVOICE, client_id=client.id)
    doc.title = "Two days of shooting"
    doc.lines = [Line(description="Shooting day", quantity=Decimal(2), unit_price=Decimal("400"))]
    doc = ws.documents.save(doc)
    doc = replace(
        doc,
        status=status,
        number=number,
        issue_date=due - timedelta(days=30),
        due_date=due,
        timeline=[
            TimelineEvent(at="2026-02-01T10:00:00+00:00", status=s, actor="cooperative")
            for s in timeline or [status]
        ],
    )
    local.ensure_tables(ws.store)
    with ws.store.write() as conn:
        local.apply_upsert(ws.store, conn, "document", doc.id, document_to_dict(doc), 5)
        ws.store.drop_acknowledged(conn, 10**9)
    return ws.documents.get(doc.id)


def pull_followup(ws: Workspace, body: dict[str, object], version: int = 3) -> None:
    local.ensure_tables(ws.store)
    doc = body.get("document_id") or "*"
    with ws.store.write() as conn:
        local.apply_upsert(ws.store, conn, "followup", f"member:{doc}:{body['step']}", body, version)


def test_the_steps_are_those_of_the_lifecycle() -> None:
    assert FOLLOWUP_STEP_NAMES == tuple(s.value for s in FOLLOW_UP_STEPS)
    assert FOLLOWUP_STEP_NAMES == ("sent", "reminder_1", "reminder_2", "formal_notice", "litigation")


def test_a_default_queues_exactly_one_mutation_with_exact_args(workspace: Workspace) -> None:
    before = workspace.store.outbox_count()
    workspace.followup.set("reminder_1", True, 5)
    assert workspace.store.outbox_count() == before + 1
    entry = workspace.store.outbox_entries()[-1]
    assert entry.name == "followup.set"
    assert entry.args == {"document_id": None, "step": "reminder_1", "hold": True, "notify_days_before": 5}
    assert entry.entity_id == "followup:*:reminder_1"  # never a document's id: its pull is not held back
    settings = workspace.followup.settings()
    assert settings.defaults["reminder_1"] == FollowUpSetting("reminder_1", True, 5, None, pending=True)
    # every other step: OK, no warning
    assert all(
        not settings.defaults[s].hold and settings.defaults[s].notify_days_before is None
        for s in FOLLOWUP_STEP_NAMES
        if s != "reminder_1"
    )


def test_an_invoice_override_queues_one_mutation_and_wins_over_the_default(workspace: Workspace) -> None:
    doc = pulled_invoice(workspace, "awaiting_payment", "2026-0001")
    workspace.followup.set("reminder_1", True)
    before = workspace.store.outbox_count()
    workspace.followup.set("reminder_1", False, None, document_id=doc.id)
    assert workspace.store.outbox_count() == before + 1
    entry = workspace.store.outbox_entries()[-1]
    assert (entry.name, entry.entity_id, entry.args) == (
        "followup.set",
        f"followup:{doc.id}:reminder_1",
        {"document_id": doc.id, "step": "reminder_1", "hold": False, "notify_days_before": None},
    )
    settings = workspace.followup.settings()
    assert settings.effective("reminder_1").hold is True
    assert settings.effective("reminder_1", doc.id).hold is False
    assert settings.effective("reminder_1", doc.id).document_id == doc.id
    assert settings.effective("reminder_2", doc.id).hold is False  # no override: the default (OK)


def test_pulled_settings_with_unsent_choices_on_top(workspace: Workspace) -> None:
    doc = pulled_invoice(workspace, "reminder_1", "2026-0002")
    pull_followup(
        workspace,
        {
            "id": "member:*:reminder_2",
            "document_id": None,
            "step": "reminder_2",
            "hold": True,
            "notify_days_before": 3,
        },
    )
    pull_followup(
        workspace,
        {
            "id": f"member:{doc.id}:formal_notice",
            "document_id": doc.id,
            "step": "formal_notice",
            "hold": True,
            "notify_days_before": None,
        },
    )
    settings = workspace.followup.settings()
    assert settings.defaults["reminder_2"] == FollowUpSetting("reminder_2", True, 3)
    assert settings.effective("formal_notice", doc.id) == FollowUpSetting("formal_notice", True, None, doc.id)
    # a change made here (offline) shows at once, above what the server said; the last one wins
    workspace.followup.set("reminder_2", False, 10)
    workspace.followup.set("reminder_2", False, 7)
    assert workspace.followup.settings().defaults["reminder_2"] == FollowUpSetting(
        "reminder_2", False, 7, pending=True
    )
    # once the sync acknowledged it and the server's version came back, it is not "pending" any more
    pull_followup(
        workspace,
        {
            "id": "member:*:reminder_2",
            "document_id": None,
            "step": "reminder_2",
            "hold": False,
            "notify_days_before": 7,
        },
        version=4,
    )
    with workspace.store.write() as conn:
        workspace.store.drop_acknowledged(conn, 10**9)
    assert workspace.followup.settings().defaults["reminder_2"] == FollowUpSetting("reminder_2", False, 7)


def test_followed_invoices_with_their_next_step(workspace: Workspace) -> None:
    waiting = pulled_invoice(workspace, "awaiting_payment", "2026-0003", due=date(2026, 3, 1))
    second = pulled_invoice(workspace, "reminder_2", "2026-0004", due=date(2026, 1, 1))
    partly = pulled_invoice(
        workspace,
        "partially_paid",
        "2026-0005",
        due=date(2026, 2, 1),
        timeline=["awaiting_payment", "reminder_1", "partially_paid"],
    )
    pulled_invoice(workspace, "paid", "2026-0006")
    pulled_invoice(workspace, "litigation", "2026-0007")
    workspace.documents.new(DocumentKind.INVOICE)  # a draft: not followed
    workspace.followup.set("formal_notice", True)
    workspace.followup.set("reminder_1", True, 2, document_id=waiting.id)
    found = {f.id: f for f in workspace.followup.invoices()}
    assert set(found) == {waiting.id, second.id, partly.id}
    assert [f.number for f in workspace.followup.invoices()] == [
        "2026-0004",
        "2026-0005",
        "2026-0003",
    ]  # due first
    assert (found[waiting.id].next_step, found[waiting.id].setting.hold, found[waiting.id].overridden) == (
        "reminder_1",
        True,
        True,
    )
    assert (found[second.id].next_step, found[second.id].setting.hold, found[second.id].overridden) == (
        "formal_notice",
        True,
        False,
    )
    assert (found[partly.id].next_step, found[partly.id].setting.hold) == ("reminder_2", False)


def test_next_step_follows_the_cooperatives_engine() -> None:
    assert next_followup_step("validated") == "sent"
    assert next_followup_step("awaiting_payment") == "reminder_1"
    assert next_followup_step("formal_notice") == "litigation"
    assert next_followup_step("litigation") is None
    assert next_followup_step("partially_paid", ["sent", "awaiting_payment"]) == "reminder_1"
    assert (
        next_followup_step("partially_paid", ["reminder_1", "reminder_2", "partially_paid"])
        == "formal_notice"
    )
    assert next_followup_step("paid") is None


def test_notices_are_listed_newest_first(workspace: Workspace) -> None:
    local.ensure_tables(workspace.store)
    with workspace.store.write() as conn:
        for on, step in (("2026-03-08", "reminder_1"), ("2026-04-05", "formal_notice")):
            nid = f"doc:{step}"
            local.apply_upsert(
                workspace.store,
                conn,
                "notice",
                nid,
                {
                    "id": nid,
                    "document_id": "doc",
                    "step": step,
                    "on": on,
                    "title": "Shooting",
                    "number": "2026-0001",
                },
                1,
            )
    assert [(n.step, n.on) for n in workspace.followup.notices()] == [
        ("formal_notice", "2026-04-05"),
        ("reminder_1", "2026-03-08"),
    ]


def test_no_sync_yet_means_defaults_and_no_notices(workspace: Workspace) -> None:
    settings = workspace.followup.settings()
    assert [(s.step, s.hold, s.notify_days_before) for s in settings.defaults.values()] == [
        (s, False, None) for s in FOLLOWUP_STEP_NAMES
    ]
    assert workspace.followup.notices() == [] and workspace.followup.invoices() == []


@pytest.mark.parametrize(
    ("step", "hold", "notify", "field", "words"),
    [
        ("payment", True, None, "step", "Choose one of the follow-up steps"),
        ("reminder_1", "yes", None, "hold", "Choose Hold or OK"),
        ("reminder_1", True, 366, "notify_days_before", "between 0 and 365 days"),
        ("reminder_1", True, -1, "notify_days_before", "between 0 and 365 days"),
        ("reminder_1", True, True, "notify_days_before", "between 0 and 365 days"),
    ],
)
def test_bad_choices_are_refused_plainly_and_nothing_is_queued(
    workspace: Workspace, step: str, hold: object, notify: object, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        workspace.followup.set(step, hold, notify)  # type: ignore[arg-type]
    assert [p.field for p in caught.value.problems] == [field]
    assert words in caught.value.message
    assert workspace.store.outbox_count() == 0


def test_an_unknown_invoice_or_a_quote_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        workspace.followup.set("reminder_1", True, document_id="0190f1a2-0000-7000-8000-000000000000")
    assert "not among yours" in caught.value.message
    quote = workspace.documents.new(DocumentKind.QUOTE)
    before = workspace.store.outbox_count()
    with pytest.raises(ValidationError) as caught:
        workspace.followup.set("sent", True, document_id=quote.id)
    assert "Only invoices" in caught.value.message
    assert workspace.store.outbox_count() == before


def test_clearing_an_invoice_choice_queues_one_mutation_and_the_default_applies_again(
    workspace: Workspace,
) -> None:
    doc = pulled_invoice(workspace, "awaiting_payment", "2026-0010")
    workspace.followup.set("reminder_1", False, 4)  # the default: OK, warn 4 days before
    assert not workspace.followup.invoices()[0].overridden
    workspace.followup.set("reminder_1", True, 4, document_id=doc.id)
    assert workspace.followup.invoices()[0].overridden
    before = workspace.store.outbox_count()
    now = workspace.followup.clear("reminder_1", doc.id)
    assert workspace.store.outbox_count() == before + 1
    entry = workspace.store.outbox_entries()[-1]
    assert (entry.name, entry.entity_id, entry.args) == (
        "followup.clear",
        f"followup:{doc.id}:reminder_1",
        {"document_id": doc.id, "step": "reminder_1"},
    )
    # at once, offline: the invoice follows the default again (not yet told to the cooperative)
    assert now == FollowUpSetting("reminder_1", False, 4, None, pending=True)
    [followed] = workspace.followup.invoices()
    assert (
        not followed.overridden
        and followed.setting.hold is False
        and followed.setting.notify_days_before == 4
    )
    assert doc.id not in workspace.followup.settings().overrides
    # a new choice for the invoice after the clear wins again (the last one wins)
    workspace.followup.set("reminder_1", True, None, document_id=doc.id)
    assert workspace.followup.invoices()[0].overridden and workspace.followup.invoices()[0].setting.hold


def test_clearing_hides_a_pulled_choice_until_the_servers_tombstone_comes_back(workspace: Workspace) -> None:
    doc = pulled_invoice(workspace, "reminder_1", "2026-0011")
    rid = f"member:{doc.id}:reminder_2"
    pull_followup(
        workspace,
        {"id": rid, "document_id": doc.id, "step": "reminder_2", "hold": True, "notify_days_before": None},
    )
    assert workspace.followup.settings().effective("reminder_2", doc.id).document_id == doc.id
    workspace.followup.clear("reminder_2", doc.id)
    setting = workspace.followup.settings().effective("reminder_2", doc.id)
    assert (setting.document_id, setting.hold, setting.pending) == (None, False, True)
    # the sync: acknowledged, and the server's tombstone removes the pulled record
    with workspace.store.write() as conn:
        local.apply_delete(conn, "followup", rid)
        workspace.store.drop_acknowledged(conn, 10**9)
    assert workspace.followup.settings().effective("reminder_2", doc.id) == FollowUpSetting("reminder_2")
    assert workspace.followup.settings().cleared == frozenset()


def test_clearing_is_refused_plainly_for_a_quote_an_unknown_invoice_or_step(workspace: Workspace) -> None:
    quote = workspace.documents.new(DocumentKind.QUOTE)
    doc = pulled_invoice(workspace, "awaiting_payment", "2026-0012")
    before = workspace.store.outbox_count()
    for step, doc_id, words in (
        ("reminder_1", quote.id, "Only invoices"),
        ("reminder_1", "0190f1a2-0000-7000-8000-000000000000", "not among yours"),
        ("payment", doc.id, "Choose one of the follow-up steps"),
    ):
        with pytest.raises(ValidationError) as caught:
            workspace.followup.clear(step, doc_id)
        assert words in caught.value.message
    assert workspace.store.outbox_count() == before
