"""Sync as a member sees it: sign in, work offline, come back online, the advisor's validation arrives;
a conflict resolved from the Sync page. Real server on 127.0.0.1 (uvicorn in a thread), real SQLite files.

Screenshots of the Sync page, the sign-in dialog and the status bar go to $SMARTDESK_SCREENSHOT_DIR/sync.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, Line
from smartdesk.gui.main_window import MainWindow
from smartdesk.gui.sync.cards import ConflictCard, RejectionCard
from smartdesk.gui.sync.controller import SyncController
from smartdesk.gui.sync.news import News
from smartdesk.gui.sync.page import SyncPage
from smartdesk.gui.sync.sign_in import SignInDialog
from smartdesk.gui.sync.texts import news_text, since_text
from smartdesk.services import Workspace
from smartdesk.sync import local
from smartdesk.sync.client import SyncClient
from smartdesk.sync.engine import SyncEngine
from smartdesk_server import auth
from smartdesk_server.app import create_app
from smartdesk_server.config import Settings
from smartdesk_server.db import make_engine
from smartdesk_server.migrate import upgrade
from smartdesk_server.sync import init_epoch
from tests.support.screens import clipped, save_shot, screenshot_folder, wait_for_preview
from tests.support.servers import ThreadedServer
from tests.support.waits import WAIT_MS

PASSWORD = "correct horse battery staple"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class Server:
    """The reference server in a thread, on a fixed port so it can be stopped and started again."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = Settings(data_dir=data_dir, database_url="", login_max_failures=50)
        self.engine = make_engine(self.settings.database_url)
        upgrade(self.engine)
        init_epoch(self.engine)
        self.served = ThreadedServer(create_app(self.settings, self.engine))
        self.port, self.url = self.served.port, self.served.url

    def start(self) -> None:
        self.served.start()

    def stop(self) -> None:
        self.served.stop()

    def account(self, role: str) -> tuple[str, str]:
        email = f"{role}-{time.monotonic_ns()}@example.org"
        return email, auth.create_account(
            self.engine, email=email, password=PASSWORD, name=f"Test {role}", role=role, entity="BE"
        )


@dataclass
class Advisor:
    http: httpx.Client

    def validate(self, doc_id: str) -> dict:
        r = self.http.post(f"/advisor/v1/documents/{doc_id}/validate", json={})
        assert r.status_code == 200, r.text
        return dict(r.json())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "server")
    srv.start()
    yield srv
    srv.stop()
    srv.engine.dispose()


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """The unreachable edge: no system keyring here, so the sign-in is kept for this session only."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshot_folder(tmp_path, "sync")


def member_data(ws: Workspace) -> Document:
    """An activity, a client and a complete invoice draft, as the member made them offline."""
    activity = ws.activities.save(Activity(name="Photography", code="A-1"))
    client = ws.clients.save(
        Client(
            name="Studio Noord",
            address=Address("Rue Haute 1", "1000", "Bruxelles", "BE"),
            email="studio@example.org",
            is_business=False,
        )
    )
    doc = ws.documents.new(DocumentKind.INVOICE, client_id=client.id, activity_id=activity.id)
    doc.title = "Two days of shooting"
    doc.lines = [Line(description="Shooting day", quantity=Decimal(2), unit_price=Decimal(400), unit="DAY")]
    saved = ws.documents.save(doc)
    assert ws.documents.problems(saved, for_submit=True) == []
    return saved


def advisor_for(server: Server, activity_id: str) -> Advisor:
    email, advisor_id = server.account("advisor")
    auth.follow(server.engine, advisor_id, activity_id)
    http = httpx.Client(base_url=server.url, timeout=30)
    r = http.post("/sync/v1/login", json={"email": email, "password": PASSWORD, "device_name": "advisor"})
    assert r.status_code == 200, r.text
    http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return Advisor(http)


def synced(qtbot, c: SyncController, before: str | None = None, timeout: int = 20000) -> None:
    """Wait for a successful sync that finished after ``before`` (the last_success_at seen before)."""
    qtbot.waitUntil(
        lambda: not c.running and c.view.last_success_at not in (None, before) and not c.view.error_kind,
        timeout=timeout,
    )


def signed_in(qtbot, make_window, ws: Workspace, server: Server) -> tuple[MainWindow, SyncController, str]:
    """A window on ``ws`` signed in as a new member, after its first sync: the window, its sync
    controller and the member's email."""
    email, _member = server.account("member")
    window = make_window(ws)
    c = window.sync.controller
    qtbot.waitUntil(lambda: c.ready, timeout=WAIT_MS)
    c.sign_in(server.url, email, PASSWORD)
    synced(qtbot, c)
    return window, c, email


def retitle(ws: Workspace, doc_id: str, title: str) -> None:
    """Change a document's title as the member does, on this device."""
    doc = ws.documents.get(doc_id)
    doc.title = title
    ws.documents.save(doc)


grab = partial(save_shot, min_bytes=2000)


def test_sign_in_offline_edit_back_online_then_validated(qtbot, open_ws, make_window, server, shots):
    ws = open_ws()
    doc = member_data(ws)
    email, _member = server.account("member")
    window = make_window(ws)
    c = window.sync.controller
    c.backoff_base = 0.2  # retries come quickly in the test (the real app starts at 1-2 s)
    qtbot.waitUntil(lambda: c.ready, timeout=WAIT_MS)
    assert "Not connected to the cooperative" in window.sync.status_button.text()
    assert c.view.pending >= 3  # activity, client, document: all made before signing in

    # --- sign in through the dialog, by keyboard
    dialog = window.sync.sign_in()
    assert isinstance(dialog, SignInDialog)
    qtbot.waitExposed(dialog, timeout=WAIT_MS)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    assert dialog.keyring_label.isVisible()  # no usable keyring: said before signing in
    assert not dialog.sign_in_button.isEnabled()
    dialog.server_edit.setFocus()
    qtbot.keyClicks(dialog.server_edit, server.url)
    qtbot.keyClick(dialog.server_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), email)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.password_edit
    qtbot.keyClicks(dialog.password_edit, "wrong password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)
    assert "password is not right" in dialog.error_label.text()
    assert dialog.isVisible() and not c.view.signed_in
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    grab(dialog, shots / "sign_in_dialog.png")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    synced(qtbot, c)
    assert c.view.signed_in and c.view.email == email and c.view.online
    assert c.view.pending == 0
    page = window.pages["sync"]
    assert isinstance(page, SyncPage)
    assert email in page.account_label.text()
    assert page.keyring_label.isVisible()  # "only until SmartDesk closes"
    text = window.sync.status_button.text()
    assert "Online" in text and "Everything is sent" in text and "Synced just now" in text
    assert window.pending_label.text() == "Everything is sent"
    window.show_page("quotes")
    qtbot.mouseClick(
        window.sync.status_button, Qt.MouseButton.LeftButton
    )  # the status bar opens the Sync page
    assert window.current_key() == "sync"

    # --- an edit goes out a few seconds later by itself; its echo leaves the editor (and its undo) alone
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.open_document(doc.id)
    editor = window.editor
    editor.title_edit.setFocus()
    qtbot.keyClicks(editor.title_edit, "!")
    window.tasks.flush()
    before = c.view.last_success_at
    synced(qtbot, c, before)
    assert c.view.pending == 0 and editor.undo_stack.canUndo()
    assert editor.title_edit.text() == "Two days of shooting!"
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.tasks.flush()
    assert ws.documents.get(doc.id).title == "Two days of shooting"

    # --- the network goes away; the member keeps working: edits the title and sends it for validation
    server.stop()
    editor.title_edit.setFocus()
    qtbot.keyClicks(editor.title_edit, " in Ghent")
    window.tasks.flush()
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_S, CTRL_SHIFT)  # send for validation
    window.tasks.flush()
    assert ws.documents.get(doc.id).status == "submitted"
    qtbot.waitUntil(
        lambda: c.view.error_kind == "network" and not c.running, timeout=WAIT_MS
    )  # the debounced try
    assert not c.view.online and c.view.pending == 1  # one document with changes waiting (edit + submit)
    text = window.sync.status_button.text()
    assert "Offline" in text and "Cannot reach the cooperative" in text
    assert "1 change waiting" in text  # singular: one change
    assert "internet connection" in window.sync.status_button.toolTip()
    assert ws.documents.get(doc.id).title == "Two days of shooting in Ghent"  # nothing lost locally
    status_bar = window.statusBar()
    grab(status_bar, shots / "status_bar_offline.png")
    window.show_page("sync")
    assert page.error_label.isVisible() and "internet connection" in page.error_label.text()
    grab(window, shots / "sync_page_offline.png")

    # --- the network comes back: the back-off probe of /health notices it and the changes go out by themselves
    server.start()
    qtbot.waitUntil(
        lambda: c.view.online and c.view.pending == 0 and not c.running and not c.view.error_kind,
        timeout=WAIT_MS,
    )
    assert "Online" in window.sync.status_button.text()
    advisor = advisor_for(server, doc.activity_id)
    queue = advisor.http.get("/advisor/v1/queue").json()["documents"]
    assert [d["id"] for d in queue] == [doc.id]

    # --- the advisor validates; F5 brings back the number and the status, everywhere on screen
    number = advisor.validate(doc.id)["number"]
    assert number.startswith("BE-")
    window.open_document(doc.id)
    before = c.view.last_success_at
    qtbot.keyClick(window.editor.title_edit, Qt.Key.Key_F5)
    synced(qtbot, c, before)
    qtbot.waitUntil(lambda: number in window.editor.heading.text(), timeout=WAIT_MS)
    assert "Validated" in window.editor.heading.text()
    local_doc = ws.documents.get(doc.id)
    assert (local_doc.number, local_doc.status, local_doc.title) == (
        number,
        "validated",
        "Two days of shooting in Ghent",
    )
    assert window.sync.notice.isVisible()
    # the notice sits over the navigation column: it never covers the page (buttons, totals)
    notice = window.sync.notice.geometry()
    content = QRect(window.stack.mapTo(window, QPoint(0, 0)), window.stack.size())
    assert not notice.intersects(content), (notice, content)
    assert number in window.sync.notice.label.text() and "validated" in window.sync.notice.label.text()
    assert page.news_list.count() == 1 and number in page.news_list.item(0).text()
    wait_for_preview(qtbot, window.editor.preview)  # the preview shows the number before the picture
    grab(window, shots / "notice_validated.png")
    grab(window.statusBar(), shots / "status_bar_online.png")
    window.editor.closed.emit()
    invoices = window.page("invoices")
    row = invoices.model.row_of(doc.id)
    assert invoices.model.index(row, invoices.model.Columns.NUMBER).data() == number
    # the notice opens the document
    qtbot.mouseClick(window.sync.notice.open_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.editor and window.editor.doc.id == doc.id
    # --- the advisor sends the invoice and records the client's payment: "paid" comes back by itself
    assert advisor.http.post(f"/advisor/v1/documents/{doc.id}/mark-sent", json={}).status_code == 200
    r = advisor.http.post(f"/advisor/v1/documents/{doc.id}/payments", json={"amount": "968.00"})
    assert r.status_code == 200, r.text
    before = c.view.last_success_at
    c.periodic.timeout.emit()  # the periodic sync, without waiting five minutes
    synced(qtbot, c, before)
    assert ws.documents.get(doc.id).status == "paid"
    assert window.sync.notice.isVisible() and "is paid" in window.sync.notice.label.text()
    assert page.news_list.count() == 2 and "is paid" in page.news_list.item(0).text()
    qtbot.waitUntil(lambda: "Paid" in window.editor.heading.text(), timeout=WAIT_MS)
    window.show_page("sync")
    grab(window, shots / "sync_page.png")

    # --- sign out: tokens forgotten, the work stays
    qtbot.mouseClick(page.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not c.view.signed_in, timeout=WAIT_MS)
    assert "Not connected to the cooperative" in window.sync.status_button.text()
    assert page.sign_in_button.isVisible() and not page.sign_out_button.isVisible()
    assert ws.documents.get(doc.id).number == number
    advisor.http.close()
    window.close()


def second_device(ws: Workspace, server: Server, email: str) -> SyncEngine:
    client = SyncClient(server.url, None)
    client.login(email, PASSWORD)
    return SyncEngine(ws.store, client, ws.attachments)


def test_conflict_resolved_from_the_sync_page(qtbot, open_ws, make_window, server, shots, tmp_path):
    ws = open_ws()
    doc = member_data(ws)
    window, c, email = signed_in(qtbot, make_window, ws, server)

    # the same member on a laptop: gets everything, renames the invoice
    with Workspace.open(tmp_path / "laptop") as laptop:
        other = second_device(laptop, server, email)
        other.sync()
        retitle(laptop, doc.id, "Shooting (laptop)")
        other.sync()
        assert laptop.sync.pending_changes() == 0

        # meanwhile, here: another title for the same invoice, and a second document changed on both sides
        retitle(ws, doc.id, "Shooting (desktop)")
        before = c.view.last_success_at
        window.show_page("sync")
        qtbot.keyClick(window.nav, Qt.Key.Key_F5)
        synced(qtbot, c, before)
        assert c.view.conflicts == 1
        assert "1 choice to make" in window.sync.status_button.text()
        page = window.pages["sync"]
        assert isinstance(page, SyncPage)
        qtbot.waitUntil(lambda: bool(page.findChildren(ConflictCard)), timeout=WAIT_MS)
        card = page.findChildren(ConflictCard)[0]
        cells = {what.text(): (mine.text(), theirs.text()) for what, mine, theirs in card.cells}
        qtbot.waitUntil(
            lambda: all(label.isVisible() for row in card.cells for label in row), timeout=WAIT_MS
        )
        assert cells["Title"] == ("Shooting (desktop)", "Shooting (laptop)")  # both, side by side
        # the refused change is listed with the server's reason, until dismissed
        rejections = page.findChildren(RejectionCard)
        assert (
            len(rejections) == 1
            and "changed elsewhere"
            in rejections[0].findChild(type(page.account_label), "rejectionReason").text()
        )
        grab(window, shots / "sync_page_conflict.png")

        # keep mine, by keyboard: focus the button and press Space
        card.keep_mine.setFocus()
        qtbot.keyClick(card.keep_mine, Qt.Key.Key_Space)
        window.tasks.flush()
        qtbot.waitUntil(lambda: c.view.conflicts == 0, timeout=WAIT_MS)
        assert ws.documents.get(doc.id).title == "Shooting (desktop)"
        before = c.view.last_success_at
        c.sync_now()
        synced(qtbot, c, before)
        assert c.view.pending == 0
        other.sync()
        assert laptop.documents.get(doc.id).title == "Shooting (desktop)"  # the laptop got my version

        # dismiss the refused change: it goes only when the member says so
        rejections = page.findChildren(RejectionCard)
        assert len(rejections) == 1
        qtbot.mouseClick(rejections[0].dismiss_button, Qt.MouseButton.LeftButton)
        window.tasks.flush()
        qtbot.waitUntil(lambda: not page.findChildren(RejectionCard), timeout=WAIT_MS)
        assert local.list_rejections(ws.store) == []
        assert len(local.list_rejections(ws.store, include_dismissed=True)) == 1

        # a second conflict: copy mine to a new draft, theirs stays
        retitle(laptop, doc.id, "Laptop again")
        other.sync()
        retitle(ws, doc.id, "Desktop again")
        before = c.view.last_success_at
        c.sync_now()
        synced(qtbot, c, before)
        qtbot.waitUntil(lambda: len(page.findChildren(ConflictCard)) == 1, timeout=WAIT_MS)
        card = page.findChildren(ConflictCard)[0]
        qtbot.waitUntil(card.copy_mine.isVisible, timeout=WAIT_MS)
        drafts_before = {d.id for d in ws.documents.list(_all_invoices()).rows}
        qtbot.mouseClick(card.copy_mine, Qt.MouseButton.LeftButton)
        window.tasks.flush()
        qtbot.waitUntil(lambda: c.view.conflicts == 0, timeout=WAIT_MS)
        assert ws.documents.get(doc.id).title == "Laptop again"
        new_ids = {d.id for d in ws.documents.list(_all_invoices()).rows} - drafts_before
        assert len(new_ids) == 1
        copy = ws.documents.get(new_ids.pop())
        assert (copy.title, copy.status, copy.number) == ("Desktop again", "draft", "")

        # changed my mind: Ctrl+Z takes the new draft away, Ctrl+Shift+Z brings it back
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
        window.nav.setFocus()
        qtbot.keyClick(window.nav, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        window.tasks.flush()
        assert copy.id not in {d.id for d in ws.documents.list(_all_invoices()).rows}
        qtbot.keyClick(window.nav, Qt.Key.Key_Z, CTRL_SHIFT)
        window.tasks.flush()
        assert ws.documents.get(copy.id).title == "Desktop again"
    window.close()


def _all_invoices():  # noqa: ANN202
    from smartdesk.services import DocumentQuery

    return DocumentQuery(kind=DocumentKind.INVOICE, limit=1000)


def test_network_back_and_backoff(qtbot, open_ws, make_window, server):
    """Failures back off exponentially with jitter; Qt's "network is back" skips the wait."""
    from PySide6.QtNetwork import QNetworkInformation

    ws = open_ws()
    member_data(ws)
    window, c, _email = signed_in(qtbot, make_window, ws, server)
    c.backoff_base = (
        30.0  # no automatic retry during this test (30 s, 60 s...): only the network signal helps
    )
    server.stop()
    ws.activities.save(Activity(name="Music", code="A-2"))
    c.sync_now()
    qtbot.waitUntil(lambda: c.view.error_kind == "network" and not c.running, timeout=WAIT_MS)
    delays = [c.view.next_try_in]
    for _attempt in range(3):  # the probe of /health fails too: each wait about doubles
        c.probe()
        qtbot.waitUntil(
            lambda n=len(delays): bool(c.view.next_try_in) and c.view.next_try_in not in delays[:n],
            timeout=WAIT_MS,
        )
        delays.append(c.view.next_try_in)
    for k, delay in enumerate(delays):
        assert delay is not None and 15 * 2**k <= delay <= 30 * 2**k, (
            k,
            delay,
        )  # jitter: half to full ceiling
    assert c.retry.isActive() and c.retry.remainingTime() > 10_000  # still waiting
    assert not c.view.online and c.view.pending == 1

    server.start()
    c._reachability_changed(QNetworkInformation.Reachability.Online)  # what Qt's backend signals
    qtbot.waitUntil(lambda: c.view.online and c.view.pending == 0 and not c.view.error_kind, timeout=WAIT_MS)
    assert not c.retry.isActive()
    window.close()


def test_a_problem_only_the_member_can_fix_stops_the_automatic_tries(qtbot, open_ws, make_window, server):
    """A version the server does not speak (or a withdrawn sign-in) is not retried by the timers, the
    edits or the network coming back: only the member's own "Sync now" (after updating) tries again."""
    ws = open_ws()
    member_data(ws)
    window, c, _email = signed_in(qtbot, make_window, ws, server)
    assert c.engine is not None
    c.engine.client.protocol_version = 99  # this SmartDesk is now too new for the server
    ws.activities.save(Activity(name="Music", code="A-2"))
    c.sync_now()
    qtbot.waitUntil(lambda: c.view.error_kind == "version" and not c.running, timeout=20000)
    assert c.blocked == "version" and not c.retry.isActive() and c.view.next_try_in is None
    for automatic in (c.sync_now_quietly, c.debounce.timeout.emit, c.periodic.timeout.emit):
        automatic()
        assert not c.running  # no run was started: the server is not hammered
    qtbot.waitUntil(lambda: c.view.pending == 1, timeout=10000)  # the edit waits (the count is polled)
    assert not c.running

    c.engine.client.protocol_version = 1  # updated
    c.sync_now()
    qtbot.waitUntil(lambda: c.view.pending == 0 and not c.view.error_kind and not c.running, timeout=20000)
    assert c.blocked == ""
    window.close()


@pytest.mark.parametrize("lang", ["fr", "nl", "pseudo"])
def test_sign_in_dialog_and_sync_page_in_every_language(qtbot, open_ws, make_window, shots, lang):
    from smartdesk.i18n import ui

    ws = open_ws()
    ui.set_language(lang)
    window = make_window(ws)
    c = window.sync.controller
    qtbot.waitUntil(lambda: c.ready, timeout=WAIT_MS)
    qtbot.keyClick(window.nav, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "sync"
    dialog = window.sync.sign_in()
    qtbot.waitExposed(dialog, timeout=WAIT_MS)
    assert dialog.keyring_label.isVisible()
    assert clipped(dialog) == [] and clipped(window) == []
    grab(dialog, shots / f"sign_in_dialog_{lang}.png")
    grab(window, shots / f"sync_page_{lang}.png")
    dialog.reject()
    window.close()


def test_news_found_in_pulled_changes(open_ws):
    """What a pulled page announces: real transitions and the follow-up engine's "about to go out" notices;
    not the documents this computer sees for the first time (another device, a full refresh)."""
    from smartdesk.domain.serialize import document_to_dict
    from smartdesk.gui.sync.news import watch_page as _watch

    ws = open_ws()
    doc = member_data(ws)
    value = document_to_dict(ws.documents.get(doc.id))
    sink: list[News] = []
    changed: set[str] = set()
    page = {
        "changes": [
            {
                "entity": "document",
                "id": doc.id,
                "version": 3,
                "value": {**value, "status": "returned", "remarks": "Add the order number"},
            },
            {
                "entity": "document",
                "id": "unknown-here",
                "version": 1,
                "value": {**value, "id": "unknown-here", "status": "paid"},
            },
            {
                "entity": "notice",
                "id": f"{doc.id}:reminder_1",
                "version": 1,
                "value": {
                    "id": f"{doc.id}:reminder_1",
                    "document_id": doc.id,
                    "step": "reminder_1",
                    "on": "2026-12-20",
                    "title": doc.title,
                    "number": "BE-INV-2026-000007",
                },
            },
        ],
        "cursor": {"epoch": "e", "rev": 9},
        "more": False,
    }
    _watch(ws.sync.document_statuses, page, sink, changed)
    assert changed == {doc.id, "unknown-here"}
    assert [(n.kind, n.status or n.step) for n in sink] == [("notice", "reminder_1"), ("status", "returned")]
    assert news_text(sink[1]) == "Invoice “Two days of shooting” came back with remarks: Add the order number"
    assert news_text(sink[0]) == "“First reminder” for Invoice BE-INV-2026-000007 goes out on 20/12/2026."
    sink.clear()
    _watch(
        ws.sync.document_statuses,
        {**page, "changes": page["changes"][:1], "reset_required": True},
        sink,
        changed,
    )
    assert sink == []  # a full refresh announces nothing


def test_words_for_time_and_news():
    from datetime import UTC, datetime

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert since_text(None) == "Never synced"
    assert since_text("2026-12-01T11:59:30+00:00", now) == "Synced just now"
    assert since_text("2026-12-01T11:58:00Z", now) == "Synced 2 min ago"
    assert since_text("2026-12-01T09:00:00+00:00", now) == "Synced 3 h ago"
    news = News("status", "d1", "invoice", "Shoot", "BE-INV-2026-000001", status="paid")
    assert news_text(news) == "Invoice BE-INV-2026-000001 is paid."
    returned = News("status", "d1", "quote", "Shoot", "", status="returned", remarks="Add the VAT number")
    assert news_text(returned) == "Quote “Shoot” came back with remarks: Add the VAT number"
    notice = News("notice", "d1", "", "Shoot", "BE-INV-2026-000002", step="reminder_1", on="2026-12-08")
    assert news_text(notice) == "“First reminder” for Invoice BE-INV-2026-000002 goes out on 08/12/2026."
    # the kind as the wire spells it; a kind this version does not know is "Document"
    credit = News("status", "d2", "credit-note", "Refund", "", status="paid")
    assert news_text(credit) == "Credit note “Refund” is paid."
    unknown = News("status", "d3", "purchase-order", "Paper", "", status="paid")
    assert news_text(unknown) == "Document “Paper” is paid."
