"""The "Follow-up" page, by keyboard: hold a step by default, undo it, set a warning, hold the next step
of one invoice; every change is one ``followup.set`` and shows at once. Screenshots go to
$SMARTDESK_SCREENSHOT_DIR/followup as <screen>_<language>.png."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from smartdesk.domain.documents import DocumentKind
from smartdesk.gui.pages.followup import FollowUpPage
from smartdesk.i18n import ui
from smartdesk.sync import local
from tests.support.screens import clipped, save_shot, screenshot_folder
from tests.support.waits import WAIT_MS
from tests.unit.test_followup import pull_followup, pulled_invoice

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshot_folder(tmp_path, "followup")


grab = partial(save_shot, min_bytes=5000)


def last_args(ws) -> dict:
    return ws.store.outbox_entries_named(("followup.set",))[-1].args


def set_args(document_id: str | None, step: str, hold: bool, notify_days_before: int | None = None) -> dict:
    """The arguments a change must queue in its ``followup.set`` (``document_id`` None: the default)."""
    return {"document_id": document_id, "step": step, "hold": hold, "notify_days_before": notify_days_before}


def followups(ws) -> int:
    """How many ``followup.set`` the member's changes queued."""
    return len(ws.store.outbox_entries_named(("followup.set",)))


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_hold_undo_warn_and_hold_one_invoice_by_keyboard(qtbot, open_ws, make_window, shots, lang):
    ws = open_ws()
    late = pulled_invoice(ws, "awaiting_payment", "2026-0101", due=date(2026, 2, 1))
    pulled_invoice(ws, "reminder_1", "2026-0102", due=date(2026, 1, 10))
    pulled_invoice(ws, "paid", "2026-0103")
    with ws.store.write() as conn:
        local.apply_upsert(
            ws.store,
            conn,
            "notice",
            f"{late.id}:reminder_1",
            {
                "id": f"{late.id}:reminder_1",
                "document_id": late.id,
                "step": "reminder_1",
                "on": "2026-02-08",
                "title": late.title,
                "number": "2026-0101",
            },
            1,
        )
    ui.set_language(lang)
    window = make_window(ws)
    # no Ctrl+digit left: the list on the left (arrows) and the Go to menu reach it
    assert any(a.text() == ui._("Follow-up") for a in window.actions())
    window.nav.setFocus()
    window.nav.setCurrentRow(0)
    for _i in range(window.nav.count()):
        if window.current_key() == "followup":
            break
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_key() == "followup"
    page = window.page("followup")
    assert isinstance(page, FollowUpPage)
    qtbot.waitUntil(lambda: page.settings is not None and len(page.invoices) == 2)
    assert [i.number for i in page.invoices] == ["2026-0102", "2026-0101"]  # the oldest due date first
    assert page.notice_list.count() == 1 and "2026-0101" in page.notice_list.item(0).text()
    assert clipped(window) == []
    grab(window, shots / f"page_{lang}.png")

    # Space on the "first reminder" switch: held by default, one mutation, shown at once
    switch = page.switches["reminder_1"]
    switch.setFocus()
    qtbot.keyClick(switch, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: followups(ws) == 1)
    assert last_args(ws) == set_args(None, "reminder_1", hold=True)
    qtbot.waitUntil(lambda: page.invoices[1].setting.hold and page.invoices[1].setting.pending)
    assert switch.isChecked() and ui._("Hold: wait for me") in switch.text()
    assert ui._("Held") in page.table.item(1, 3).text()  # the invoice awaiting payment shows it, in words

    # Ctrl+Z puts it back (one more mutation: OK again)
    assert window.list_stack.canUndo()
    window.activateWindow()  # the offscreen platform may not have activated it: shortcuts need it
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    switch.setFocus()
    qtbot.keyClick(switch, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: followups(ws) == 2)
    assert last_args(ws)["hold"] is False
    qtbot.waitUntil(lambda: not switch.isChecked())
    assert ui._("OK: go ahead") in switch.text()

    # "Warn me 5 days before" the second reminder: type it, Enter
    spin = page.spins["reminder_2"]
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: followups(ws) == 3)
    assert last_args(ws) == set_args(None, "reminder_2", hold=False, notify_days_before=5)

    # in the list, Space holds the next step of the selected invoice only (once the page has shown the
    # last change: its refresh rebuilds the list, as a person would wait to see it)
    window.tasks.flush()
    qtbot.waitUntil(
        lambda: page.settings is not None and page.settings.defaults["reminder_2"].notify_days_before == 5
    )
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.current_invoice() is not None and page.current_invoice().id == late.id
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: followups(ws) == 4)
    assert last_args(ws) == set_args(late.id, "reminder_1", hold=True)
    qtbot.waitUntil(lambda: page.current_invoice() is not None and page.current_invoice().overridden)
    assert page.invoice_switch.isChecked() and ui._("this invoice") in page.table.item(1, 3).text()
    assert ws.followup.settings().effective("reminder_1").hold is False  # the default did not change
    assert clipped(window) == []
    grab(window, shots / f"changed_{lang}.png")


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_the_invoice_editor_holds_its_next_step(qtbot, open_ws, make_window, shots, lang):
    ws = open_ws()
    late = pulled_invoice(ws, "reminder_1", "2026-0201", due=date(2026, 2, 1))
    draft = ws.documents.new(DocumentKind.INVOICE)
    ui.set_language(lang)
    window = make_window(ws)
    window.show_page("followup")
    page = window.page("followup")
    qtbot.waitUntil(lambda: len(page.invoices) == 1)
    page.table.setFocus()
    page.open_button.click()  # "Open the invoice"
    editor = window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.followup_box.isVisible())
    box = editor.followup_box
    assert ui._("Second reminder") in box.label.text() and ui._("your default") in box.label.text()
    assert not box.switch.isChecked() and ui._("OK: go ahead") in box.switch.text()
    box.switch.setFocus()
    qtbot.keyClick(box.switch, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: followups(ws) == 1)
    assert last_args(ws) == set_args(late.id, "reminder_2", hold=True)
    qtbot.waitUntil(lambda: ui._("this invoice") in box.label.text())
    assert box.switch.isChecked() and ui._("Hold: wait for me") in box.switch.text()
    # the change is said in words, with an Undo beside it (it used to flip silently)
    qtbot.waitUntil(lambda: box.changed_label.isVisible() and box.undo_button.isVisible())
    assert ui._("Changed: the cooperative waits for you before this step.") == box.changed_label.text()
    assert clipped(window) == []
    grab(window, shots / f"editor_{lang}.png")
    # Ctrl+Z in the editor takes the choice back: the invoice follows the default again (no choice of its own)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    box.switch.setFocus()
    qtbot.keyClick(box.switch, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: len(ws.store.outbox_entries_named(("followup.clear",))) == 1)
    assert followups(ws) == 1
    assert ws.store.outbox_entries()[-1].args == {"document_id": late.id, "step": "reminder_2"}
    qtbot.waitUntil(lambda: not box.switch.isChecked() and ui._("your default") in box.label.text())
    assert ui._("OK: go ahead") in box.switch.text()
    qtbot.waitUntil(lambda: box.changed_label.text() == ui._("Changed back to your default."))
    assert not ws.followup.invoices()[0].overridden
    # Ctrl+Shift+Z: Hold for this invoice again
    qtbot.keyClick(box.switch, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(lambda: followups(ws) == 2)
    assert last_args(ws) == set_args(late.id, "reminder_2", hold=True)
    qtbot.waitUntil(lambda: box.switch.isChecked() and ui._("this invoice") in box.label.text())
    # a draft has no follow-up
    window.open_document(draft.id)
    qtbot.waitUntil(lambda: not box.isVisible())


def test_a_refused_follow_up_choice_is_named_in_plain_words(qtbot, open_ws):
    from smartdesk.gui.sync.cards import RejectionCard
    from smartdesk.sync.local import Rejection

    ws = open_ws()
    refused = Rejection(
        7,
        "followup.set",
        "followup:*:reminder_1",
        {"step": "reminder_1", "hold": True},
        "invalid",
        "Not now.",
        "2026-12-01T10:00:00Z",
    )
    card = RejectionCard(ws, refused)
    qtbot.addWidget(card)
    texts = " ".join(label.text() for label in card.findChildren(QLabel))
    assert "followup:*" not in texts and "Follow-up:" in texts and "Not now." in texts


def row_text(page: FollowUpPage, doc_id: str) -> str:
    """What the list shows for this invoice, all columns."""
    row = next(i for i, inv in enumerate(page.invoices) if inv.id == doc_id)
    return " | ".join(page.table.item(row, c).text() for c in range(page.table.columnCount()))


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_open_the_invoice_and_esc_comes_back_to_follow_up_with_it_selected(
    qtbot, open_ws, make_window, shots, lang
):
    ws = open_ws()
    pulled_invoice(ws, "reminder_1", "2026-0301", due=date(2026, 1, 10))
    second = pulled_invoice(ws, "awaiting_payment", "2026-0302", due=date(2026, 2, 1))
    pulled_invoice(ws, "awaiting_payment", "2026-0303", due=date(2026, 3, 1))
    ui.set_language(lang)
    window = make_window(ws)
    window.show_page("followup")
    page = window.page("followup")
    assert isinstance(page, FollowUpPage)
    qtbot.waitUntil(lambda: len(page.invoices) == 3)
    # Down to the second invoice, Enter opens it
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.current_invoice() is not None and page.current_invoice().id == second.id
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    editor = window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.doc.id == second.id)
    assert window.current_key() == "editor"
    # Esc: back on the Follow-up page (not the invoices list), the same invoice selected, the list focused
    qtbot.waitUntil(lambda: editor.focusWidget() is not None)
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_key() == "followup")
    assert window.nav.currentItem().text() == ui._("Follow-up")
    qtbot.waitUntil(page.table.hasFocus)
    assert page.current_invoice() is not None and page.current_invoice().id == second.id
    assert page.table.selectionModel().isRowSelected(page.table.currentRow())
    grab(window, shots / f"back_from_editor_{lang}.png")
    # the "Open the invoice" button (mouse), then "Back" (mouse): the same
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    third = page.current_invoice()
    assert third is not None and third.number == "2026-0303"
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.isVisible() and editor.doc.id == third.id)
    assert editor.back_button.text() == ui.tr("◀ Back to {page}", page=ui._("Follow-up")), (
        "says where it goes"
    )
    qtbot.mouseClick(editor.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_key() == "followup")
    assert page.current_invoice() is not None and page.current_invoice().id == third.id
    # opened from the invoices list, Esc still goes back to that list
    window.show_page("invoices")
    invoices = window.page("invoices")
    qtbot.waitUntil(lambda: invoices.model.rowCount() == 3)
    window.open_document(second.id)
    qtbot.waitUntil(lambda: editor.isVisible() and editor.doc.id == second.id)
    assert editor.back_button.text() == ui._("◀ Back to the list")
    qtbot.keyClick(editor.focusWidget() or editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_key() == "invoices")


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_undo_of_hold_on_one_invoice_follows_the_default_again(qtbot, open_ws, make_window, shots, lang):
    ws = open_ws()
    first = pulled_invoice(ws, "reminder_1", "2026-0401", due=date(2026, 1, 10))
    other = pulled_invoice(ws, "awaiting_payment", "2026-0402", due=date(2026, 2, 1))
    # the default for the second reminder, as the last sync brought it: OK, warn 4 days before
    pull_followup(
        ws,
        {
            "id": "member:*:reminder_2",
            "document_id": None,
            "step": "reminder_2",
            "hold": False,
            "notify_days_before": 4,
        },
    )
    ui.set_language(lang)
    window = make_window(ws)
    window.show_page("followup")
    page = window.page("followup")
    qtbot.waitUntil(lambda: len(page.invoices) == 2)
    before = row_text(page, first.id)
    assert ui._("your default") in before and ui._("this invoice") not in before
    # Space: Hold for this invoice only
    page.table.setFocus()
    assert page.current_invoice() is not None and page.current_invoice().id == first.id
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: followups(ws) == 1)
    assert last_args(ws) == set_args(first.id, "reminder_2", hold=True, notify_days_before=4)
    qtbot.waitUntil(lambda: ui._("this invoice") in row_text(page, first.id))
    assert ui._("Held") in row_text(page, first.id) and page.invoice_switch.isChecked()
    # Ctrl+Z: no choice of its own any more, it follows the default again (OK), as before
    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: len(ws.store.outbox_entries_named(("followup.clear",))) == 1)
    assert followups(ws) == 1
    assert ws.store.outbox_entries()[-1].args == {"document_id": first.id, "step": "reminder_2"}
    qtbot.waitUntil(lambda: ui._("your default") in row_text(page, first.id))
    after = row_text(page, first.id)
    assert ui._("this invoice") not in after and ui._("Held") not in after
    assert after.startswith(before)  # the same words as before; only "not sent yet" is added
    assert not page.invoice_switch.isChecked() and page.current_invoice().id == first.id
    assert ui._("choice not sent yet") in after
    followed = {f.id: f for f in ws.followup.invoices()}
    assert not followed[first.id].overridden and followed[first.id].setting.notify_days_before == 4
    assert not followed[other.id].overridden  # the other invoice was never touched
    assert clipped(window) == []
    grab(window, shots / f"undo_to_default_{lang}.png")
    # a change of the default now reaches this invoice too: it has no choice of its own
    ws.followup.set("reminder_2", True, 4)
    assert ws.followup.invoices()[0].setting.hold is True
    ws.followup.set("reminder_2", False, 4)
    # Ctrl+Shift+Z: Hold for this invoice again
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(lambda: followups(ws) == 4)
    assert last_args(ws) == set_args(first.id, "reminder_2", hold=True, notify_days_before=4)
    qtbot.waitUntil(lambda: ui._("this invoice") in row_text(page, first.id))
    assert ui._("Held") in row_text(page, first.id)
