"""The per-area services behind Workspace: settings declared once, the copy rules, finding a document."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smartdesk.domain.copies import new_draft_from
from smartdesk.domain.documents import Client, Document, DocumentKind, ExpenseLine, Line
from smartdesk.errors import TransitionError
from smartdesk.services import Workspace
from smartdesk.services.settings import Settings, saved_setting
from smartdesk.store.database import DB_NAME


# --- settings declared once ---------------------------------------------------------------------------
def test_settings_are_typed_attributes_kept_in_the_data_file(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        assert (ws.settings.entity, ws.settings.default_payment_terms_days, ws.settings.first_run_done) == (
            "BE",
            30,
            False,
        )  # the declared defaults before anything is set
        ws.settings.entity = "FR"
        ws.settings.default_payment_terms_days = "45"  # typed in a text field: converted
        ws.settings.first_run_done = "yes"
        ws.settings.set("pdf_theme", "modern")
    with Workspace.open(tmp_path) as again:
        assert again.settings.entity == "FR"
        assert again.settings.default_payment_terms_days == 45
        assert again.settings.first_run_done is True
        by_key = "pdf_theme"  # the generic settings page reads by key
        assert again.settings.get(by_key) == again.settings.pdf_theme == "modern"


def test_bad_setting_values_are_refused_in_plain_words(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        with pytest.raises(ValueError, match="choose one of BE, FR"):
            ws.settings.entity = "NL"
        with pytest.raises(ValueError, match="“soon” is not a whole number"):
            ws.settings.set("default_quote_validity_days", "soon")
        with pytest.raises(ValueError, match="expected int"):
            ws.settings.default_payment_terms_days = True  # type: ignore[assignment]
        with pytest.raises(ValueError, match="“server_url” is not a SmartDesk setting"):
            ws.settings.set("server_url", "https://example.org")
        with pytest.raises(KeyError):
            ws.settings.get("window_state")
        assert ws.settings.entity == "BE"  # nothing refused was written


def test_the_declared_settings_are_the_ones_the_app_reads() -> None:
    assert sorted(Settings.declared()) == sorted(
        [
            "ui_language",
            "first_run_done",
            "entity",
            "default_document_language",
            "default_payment_terms_days",
            "default_quote_validity_days",
            "pdf_theme",
            "receipts_cleaned_at",
            "saved_filters",
            "recurring",
        ]
    )
    var = Settings.var("ui_language")
    assert (var.key, var.type, var.default, var.label, var.choices) == (
        "ui_language",
        str,
        "fr",
        "Interface language",
        ("fr", "nl", "en"),
    )


def test_a_setting_is_read_from_a_file_the_store_cannot_open(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ok") as ws:
        ws.settings.ui_language = "nl"
    assert saved_setting(tmp_path / "ok", "ui_language") == "nl"
    assert saved_setting(tmp_path / "empty", "ui_language") is None  # no data file at all
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / DB_NAME).write_bytes(b"this is not a database" * 100)
    assert saved_setting(damaged, "ui_language") is None


# --- the copy rules ----------------------------------------------------------------------------------
def _validated_invoice() -> Document:
    doc = Document(
        kind=DocumentKind.INVOICE,
        title="Two days of shooting",
        number="FBE-2026-00012",
        status="paid",
        remarks="Fine",
        payment_reference="+++090/9337/55493+++",
        client_id="c-1",
        issue_date=date(2026, 3, 1),
    )
    doc.lines = [Line(description="Shooting day", quantity=Decimal(2), unit_price=Decimal(400))]
    doc.expense_lines = [ExpenseLine(supplier="Train", rejection_reason="no receipt")]
    doc.paid_amount = Decimal("968.00")
    return doc


def test_a_new_draft_keeps_the_content_and_drops_the_cooperative_facts() -> None:
    source = _validated_invoice()
    copy = new_draft_from(source, DocumentKind.CREDIT_NOTE)
    assert copy.id != source.id and copy.source_id == source.id and copy.kind is DocumentKind.CREDIT_NOTE
    assert (copy.status, copy.number, copy.remarks, copy.payment_reference, copy.timeline) == (
        "draft",
        "",
        "",
        "",
        [],
    )
    assert copy.paid_amount == Decimal(0) and copy.version == 0
    assert (copy.title, copy.client_id, copy.issue_date) == ("Two days of shooting", "c-1", date(2026, 3, 1))
    assert [x.description for x in copy.lines] == ["Shooting day"]
    assert copy.lines[0].id != source.lines[0].id and copy.expense_lines[0].id != source.expense_lines[0].id
    assert copy.expense_lines[0].rejection_reason == ""
    copy.lines[0].description = "changed"
    assert (
        source.lines[0].description == "Shooting day" and source.status == "paid"
    )  # the source is untouched
    assert new_draft_from(source).kind is DocumentKind.INVOICE


def test_duplicate_uses_the_copy_rules_with_todays_defaults(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        client = ws.clients.save(Client(name="Studio Noord", payment_terms_days=14, language="nl"))
        doc = ws.documents.new(DocumentKind.INVOICE, client_id=client.id)
        doc.title, doc.language, doc.issue_date = "Shooting", "en", date.today() - timedelta(days=40)
        doc.lines = [Line(description="Day", quantity=Decimal(1), unit_price=Decimal(100))]
        ws.documents.save(doc)
        dup = ws.documents.duplicate(doc.id)
        assert dup.source_id == doc.id and dup.status == "draft" and dup.title == "Shooting"
        assert dup.issue_date == date.today() and dup.language == "en"  # today's date, the source's language
        assert dup.payment_terms_days == 14 and dup.due_date == date.today() + timedelta(days=14)
        with pytest.raises(TransitionError, match="no number yet"):
            ws.documents.credit_note_for(doc.id)


# --- naming a document from the command line ----------------------------------------------------------
def test_find_takes_an_id_a_prefix_or_a_legal_number(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        a = ws.documents.new(DocumentKind.QUOTE)
        b = ws.documents.new(DocumentKind.QUOTE)
        assert ws.documents.find(a.id) == [a.id]
        common = next(i for i in range(len(a.id)) if a.id[i] != b.id[i])
        assert ws.documents.find(a.id[: common + 1]) == [a.id]
        assert sorted(ws.documents.find(a.id[:common])) == sorted([a.id, b.id])  # ambiguous: both
        assert ws.documents.find("no-such-document") == []
        assert ws.documents.find("%") == []  # LIKE wildcards are taken literally
