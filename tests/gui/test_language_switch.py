"""Changing the interface language without a restart (issue 16, decision 0029).

The expected words are read from the Dutch and French ``.po`` files with Babel's reader
(``tests/unit/po_files.py``), never through the code that translates the window.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from smartdesk.domain.documents import Activity, Address, Client, DocumentKind, Line
from smartdesk.gui import fmt
from smartdesk.gui.app import install_language
from smartdesk.gui.documents.editor import DocumentEditor
from smartdesk.gui.events import events
from smartdesk.gui.language import retranslator
from smartdesk.gui.main_window import EDITOR, PAGES, MainWindow
from smartdesk.gui.pages.settings import SettingsPage
from smartdesk.i18n import ui
from smartdesk.services import Workspace
from tests.gui import test_sync_gui
from tests.gui.test_sync_gui import PASSWORD, advisor_for, member_data, synced
from tests.support.screens import save_shot, screenshot_folder
from tests.support.waits import WAIT_MS
from tests.unit.po_files import catalog as po_catalog
from tests.unit.po_files import translations

server = test_sync_gui.server  # the real server on 127.0.0.1, as the GUI sync tests run it
no_keyring = test_sync_gui.no_keyring  # autouse there: the keyring is the edge a test cannot reach


@pytest.fixture(autouse=True)
def english_qt() -> object:
    """Qt's own translator and default locale back to English after each test (the app's are global)."""
    yield None
    app = QApplication.instance()
    if isinstance(app, QApplication):
        install_language(app, "en")


def word(lang: str, english: str) -> str:
    return english if lang == "en" else translations(lang)[english]


def status_word(lang: str, english: str) -> str:
    if lang == "en":
        return english
    return next(m.string for m in po_catalog(lang) if m.context == "document status" and m.id == english)


def a_draft(ws: Workspace) -> str:
    activity = ws.activities.save(Activity(name="Photography", code="A-1"))
    client = ws.clients.save(
        Client(
            name="Studio Noord", address=Address("Rue Haute 1", "1000", "Bruxelles", "BE"), email="s@x.org"
        )
    )
    doc = ws.documents.new(DocumentKind.INVOICE, client_id=client.id, activity_id=activity.id)
    doc.title = "Two days of shooting"
    doc.lines = [
        Line(description="Shooting day", quantity=Decimal(2), unit_price=Decimal(400), unit="DAY"),
        Line(description="Retouching", quantity=Decimal(3), unit_price=Decimal(60), unit="HUR"),
    ]
    return ws.documents.save(doc).id


def visible_texts(root: QWidget) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    return [
        w.text()
        for w in root.findChildren(QWidget)
        if isinstance(w, QLabel | QAbstractButton) and w.isVisible() and w.text()
    ]


def check_window_in(window: MainWindow, editor: DocumentEditor, lang: str) -> None:
    """Menus, navigation and the editor's own words are the catalogue's, in ``lang``."""
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[:4] == [word(lang, t) for t in ("&File", "&Edit", "&Go to", "&Help")]
    assert word(lang, "&Sync") in titles
    edit_menu = window.menuBar().actions()[1].menu()
    assert edit_menu is not None
    assert [a.text() for a in edit_menu.actions()][-1] == word(lang, "Search")
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        word(lang, label) for _key, label, _tip in PAGES
    ]
    assert editor.add_line_button.text() == word(lang, "Add a line")
    assert editor.lines_title.text() == "<b>" + word(lang, "Lines") + "</b>"
    assert editor.back_button.text() == word(lang, "◀ Back to the list")
    assert editor.heading.text() == f"{word(lang, 'Invoice')} · {status_word(lang, 'Draft')}"
    header = [
        editor.lines_view.model().headerData(c, Qt.Orientation.Horizontal)
        for c in range(editor.lines_view.model().columnCount())
    ]
    assert word(lang, "Description") in header and word(lang, "Quantity") in header
    # 2 × 400 + 3 × 60 = 980, VAT 21 %: 1,185.80, written as each language writes amounts
    assert (
        editor.total_incl_text
        == {"en": "€1,185.80", "fr": "1\u202f185,80\u00a0€", "nl": "€\u00a01.185,80"}[lang]
    )


def test_the_window_changes_language_and_keeps_the_draft_undo_and_typing(
    qtbot, open_ws, make_window, tmp_path
):
    ws = open_ws()
    doc_id = a_draft(ws)
    window = make_window(ws)
    qtbot.waitUntil(lambda: window._sync is not None, timeout=WAIT_MS)
    window.open_document(doc_id)
    editor = window.editor
    shots = screenshot_folder(tmp_path, "language")
    save_shot(window, shots / "switch-1-en.png", 20_000)
    check_window_in(window, editor, "en")
    pages_before = dict(window.pages)

    # an undo step, then a cell being typed in (not committed yet) when the language changes
    editor.title_edit.setFocus()
    qtbot.keyClicks(editor.title_edit, " and more")
    window.tasks.flush()
    assert ws.documents.get(doc_id).title == "Two days of shooting and more"
    view = editor.lines_view
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, 0))
    view.edit(view.currentIndex())
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)
    cell.selectAll()
    qtbot.keyClicks(cell, "Colour grading")

    window.set_language("nl")
    assert ui.language() == "nl"
    check_window_in(window, editor, "nl")
    assert window.act_undo.text().startswith(word("nl", "Undo"))
    save_shot(window, shots / "switch-2-nl.png", 20_000)
    # the same draft, the same editor, the same pages: nothing was rebuilt, nothing lost
    assert window.current_key() == EDITOR and window.editor is editor and editor.doc.id == doc_id
    assert window.pages == pages_before
    assert [line.description for line in editor.doc.lines] == ["Shooting day", "Retouching"]
    assert QApplication.focusWidget() is cell and cell.text() == "Colour grading"
    qtbot.keyClick(cell, Qt.Key.Key_Return)  # the member finishes the cell: saved
    window.tasks.flush()
    assert [line.description for line in ws.documents.get(doc_id).lines] == ["Shooting day", "Colour grading"]

    # typing still works and saves; undo still works, back to before the switch
    editor.title_edit.setFocus()
    editor.title_edit.end(False)
    qtbot.keyClicks(editor.title_edit, "!")
    window.tasks.flush()
    assert ws.documents.get(doc_id).title == "Two days of shooting and more!"
    window.act_undo.trigger()  # the title's "!"
    window.act_undo.trigger()  # the cell
    window.tasks.flush()
    stored = ws.documents.get(doc_id)
    assert stored.title == "Two days of shooting and more"
    assert [line.description for line in stored.lines] == ["Shooting day", "Retouching"]
    window.act_undo.trigger()  # the title typed in English, before the switch
    window.tasks.flush()
    assert ws.documents.get(doc_id).title == "Two days of shooting"
    assert editor.title_edit.text() == "Two days of shooting"

    window.set_language("fr")
    check_window_in(window, editor, "fr")
    save_shot(window, shots / "switch-3-fr.png", 20_000)
    window.act_redo.trigger()
    window.tasks.flush()
    assert ws.documents.get(doc_id).title == "Two days of shooting and more"
    assert window.act_undo.text().startswith(word("fr", "Undo"))

    # every screen, shown now, is in French; the bus still reaches them all without an error
    for key, _label, _tip in PAGES:
        window.show_page(key)
        window.tasks.flush()
    window.set_language("nl")
    for key in ("quotes", "invoices", "settings", "home", "sync"):
        window.show_page(key)
        window.tasks.flush()
        texts = visible_texts(window.pages[key])
        assert texts, key
        english_left = [t for t in texts if t in english_only()]
        assert english_left == [], (key, english_left)
    bus = events()
    bus.documents_changed.emit(frozenset())
    bus.documents_changed.emit(frozenset({doc_id}))
    bus.clients_changed.emit(frozenset())
    bus.settings_changed.emit()
    bus.coop_data_changed.emit()
    bus.sync_state_changed.emit()
    bus.notice.emit("x")
    window.tasks.flush()
    window.open_document(doc_id)
    assert window.editor is editor and editor.doc.id == doc_id


def english_only() -> set[str]:
    """English texts whose Dutch is different (a text left in English shows up here)."""
    return {en for en, nl in translations("nl").items() if en != nl and len(en) > 3}


def test_choosing_dutch_in_the_settings_applies_it_at_once(qtbot, open_ws, make_window, tmp_path):
    ws = open_ws()
    window = make_window(ws)
    window.show_page("settings")
    page = window.pages["settings"]
    assert isinstance(page, SettingsPage)
    page.display_name.setFocus()
    qtbot.keyClicks(page.display_name, "Studio Lumen")  # saved after a pause: still waiting
    assert page._brand_timer.isActive()
    page.ui_language.setCurrentIndex(page.ui_language.findData("nl"))
    qtbot.waitUntil(lambda: ui.language() == "nl", timeout=WAIT_MS)
    window.tasks.flush()
    assert ws.settings.ui_language == "nl"
    assert window.current_key() == "settings"
    assert window.nav.currentItem().text() == word("nl", "Settings")
    assert word("nl", "Interface language") in visible_texts(page)
    assert word("nl", "Language and cooperative") in [g.title() for g in page.findChildren(QGroupBox)]
    # the languages keep their own names; no "next start" note any more
    assert [page.ui_language.itemText(i) for i in range(3)] == ["Français", "Nederlands", "English"]
    assert not any("next time you start" in t or "volgende keer" in t for t in visible_texts(page))
    qtbot.waitUntil(lambda: ws.profile.get().brand.display_name == "Studio Lumen", timeout=WAIT_MS)
    save_shot(window, screenshot_folder(tmp_path, "language") / "settings-nl.png", 20_000)


@pytest.mark.parametrize(
    ("lang", "yes", "no", "cancel", "open_word"),
    [("nl", "&Ja", "&Nee", "Annuleren", "Openen"), ("fr", "&Oui", "&Non", "Annuler", "Ouvrir")],
)
def test_qt_own_buttons_and_file_dialog_follow_the_switch(
    qtbot, open_ws, make_window, lang, yes, no, cancel, open_word
):
    ws = open_ws()
    window = make_window(ws)
    window.set_language(lang)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "SmartDesk",
        "?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
        window,
    )
    texts = {
        box.button(b).text()
        for b in (
            QMessageBox.StandardButton.Yes,
            QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Cancel,
        )
    }
    assert texts == {yes, no, "&" + cancel} or texts == {yes, no, cancel}
    dialog = QFileDialog(window, "", str(Path.home()))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.show()
    qtbot.addWidget(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    shown = {b.text().replace("&", "") for b in buttons.findChildren(QPushButton)}
    assert open_word in shown and cancel in shown
    dialog.close()
    box.deleteLater()


def test_english_dates_read_day_month_year(qapp):
    ui.set_language("en")
    assert fmt.day(date(2026, 3, 4)) == "04/03/2026"
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_language(app, "en")
    assert QLocale().toString(QDate(2026, 3, 4), QLocale.FormatType.ShortFormat) == "04/03/2026"


def test_texts_with_values_and_amounts_are_written_again():
    ui.set_language("en")
    words_nl = retranslator("en", "nl", "en_GB")
    ui.set_language("nl")
    assert words_nl.text("◀ Back to Invoices") == "◀ Terug naar Facturen"
    assert words_nl.text("Total of these 3: €1,234.50") == "Totaal van deze 3: €\u00a01.234,50"
    assert (
        words_nl.text("Total of these 1: €968.00 · paid €0.00 · still due €968.00")
        == "Totaal van deze 1: €\u00a0968,00 · betaald €\u00a00,00 · nog te betalen €\u00a0968,00"
    )
    assert words_nl.text("-€0.50") == "€\u00a0-0,50"  # an amount alone, as Dutch writes it
    assert words_nl.text("Studio Noord") == "Studio Noord"  # not a text of the catalogue: left alone
    assert words_nl.text("<b>Lines</b>") == "<b>Regels</b>"


def test_a_sync_that_finishes_after_the_switch_updates_the_window(qtbot, open_ws, make_window, server):
    ws = open_ws()
    window = make_window(ws)
    c = window.sync.controller
    doc = member_data(ws)  # made offline, sent by the first sync
    qtbot.waitUntil(lambda: c.ready, timeout=WAIT_MS)
    c.sign_in(server.url, server.account("member")[0], PASSWORD)
    synced(qtbot, c)
    window.open_document(doc.id)
    editor = window.editor
    editor.submit()
    window.tasks.flush()
    before = c.view.last_success_at
    c.sync_now()
    window.set_language("nl")  # while the sync runs (or just after it started)
    synced(qtbot, c, before)
    advisor = advisor_for(server, doc.activity_id)
    advisor.validate(doc.id)
    before = c.view.last_success_at
    c.sync_now()
    window.set_language("fr")
    synced(qtbot, c, before)
    qtbot.waitUntil(lambda: ws.documents.get(doc.id).status == "validated", timeout=WAIT_MS)
    text = window.sync.status_button.text()
    assert word("fr", "Everything is sent") in text and word("fr", "Synced just now") in text
    qtbot.waitUntil(lambda: editor.doc.status == "validated", timeout=WAIT_MS)
    assert status_word("fr", "Validated") in editor.heading.text()
