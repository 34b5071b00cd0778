"""Catalogue completeness, the pseudo-locale, translated problems and statuses, and the task manager."""

from __future__ import annotations

import threading

import pytest

from smartdesk.domain.lifecycle import Status
from smartdesk.domain.validation import MESSAGES, problem
from smartdesk.gui.tasks import TaskManager
from smartdesk.i18n import ui
from tests.unit.po_files import translations

# Which strings exist and that each is translated: tests/unit/test_catalogues.py (Babel's extraction).


def test_every_validation_code_and_status_is_translated():
    for lang in ("fr", "nl"):
        assert set(MESSAGES.values()) <= set(translations(lang)), lang
    ui.set_language("nl")
    p = problem("lines[0].unit_price", "price.negative", n=1)
    assert (
        ui.problem_text(p)
        == "Regel 1: een eenheidsprijs kan niet negatief zijn. Gebruik een korting of een creditnota."
    )
    ui.set_language("fr")
    assert ui.problem_text(p).startswith("Ligne 1 : un prix unitaire")
    for status in Status:
        assert ui.status_text(status) and ui.status_text(status) != status.value
    assert ui.status_text("formal_notice") == "Mise en demeure"
    ui.set_language("en")
    assert ui.problem_text(p) == p.message


def test_counts_take_the_plural_form_of_the_language():
    ui.set_language("fr")
    shown = [ui.ntr("{n} change not sent yet", "{n} changes not sent yet", n, n=n) for n in (0, 1, 2)]
    assert shown == [
        "0 modification pas encore envoyée",
        "1 modification pas encore envoyée",
        "2 modifications pas encore envoyées",
    ]
    ui.set_language("nl")
    assert [ui.ntr("{n} document", "{n} documents", n, n=n) for n in (0, 1, 2)] == [
        "0 documenten",
        "1 document",
        "2 documenten",
    ]
    ui.set_language("en")
    assert ui.ntr("{n} document", "{n} documents", 1, n=1) == "1 document"
    assert ui.ntr("{n} document", "{n} documents", 0, n=0) == "0 documents"


def test_a_word_with_two_meanings_is_told_apart_by_its_context():
    ui.set_language("nl")
    assert ui.status_text("draft") == "Concept"  # the status badge: context "document status"
    assert ui.ptr("document status", "Draft") == "Concept"
    assert ui._("draft") == "ontwerp"  # the word inside a sentence, no context
    ui.set_language("en")


def test_pseudo_locale_is_longer_and_keeps_placeholders(monkeypatch):
    monkeypatch.setenv(ui.ENV_UI_LANG, "pseudo")
    assert ui.set_language("fr") == "pseudo"
    text = ui.ntr("{n} change not sent yet", "{n} changes not sent yet", 3, n=3)
    assert text.startswith("[3 ") and len(text) > len("3 changes not sent yet") * 1.3
    assert ui._("<b>Lines</b>").count("<b>") == 1
    assert ui.status_text("paid").startswith("[") and "{" not in ui.status_text("paid")
    monkeypatch.delenv(ui.ENV_UI_LANG)
    ui.set_language("en")


def test_task_manager_writes_in_order_on_one_thread_and_reports_errors(qapp):
    tasks = TaskManager()
    seen: list[int] = []
    threads: set[int] = set()
    errors: list[BaseException] = []

    def job(i: int) -> int:
        threads.add(threading.get_ident())
        return i

    for i in range(50):
        tasks.write(lambda i=i: job(i), seen.append)
    tasks.write(lambda: 1 / 0, None, errors.append)
    pool_result: list[str] = []
    tasks.run(lambda: "pooled", pool_result.append)
    tasks.flush()
    assert seen == list(range(50))
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert isinstance(errors[0], ZeroDivisionError)
    assert pool_result == ["pooled"]
    assert tasks.pending == 0
    tasks.close()
    with pytest.raises(RuntimeError):
        tasks.write(lambda: None)


def test_application_identity_and_icon(qapp) -> None:
    from smartdesk.gui.app import make_app

    app = make_app([])
    assert app.applicationName() == "SmartDesk" and app.organizationName() == "SMart"
    assert not app.windowIcon().isNull()
    assert len(app.windowIcon().availableSizes()) >= 4


def test_qt_own_dialogs_use_qts_translations_in_french_and_dutch(qapp) -> None:
    """Buttons Qt words itself (message boxes, the file dialog) come from Qt's qtbase_xx.qm, installed by
    gui/app.py's install_language: French and Dutch, not English."""
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

    from smartdesk.gui.app import install_language

    buttons = QMessageBox.StandardButton
    try:
        shown = {}
        for lang in ("fr", "nl", "en"):
            assert install_language(qapp, lang) == lang
            box = QMessageBox(
                QMessageBox.Icon.Question, "SmartDesk", "?", buttons.Yes | buttons.No | buttons.Cancel
            )
            shown[lang] = [
                box.button(b).text().replace("&", "") for b in (buttons.Yes, buttons.No, buttons.Cancel)
            ]
            box.deleteLater()
        assert shown == {
            "fr": ["Oui", "Non", "Annuler"],
            "nl": ["Ja", "Nee", "Annuleren"],
            "en": ["Yes", "No", "Cancel"],
        }
        install_language(qapp, "fr")
        dialog = QFileDialog(None, "SmartDesk")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        texts = {b.text().replace("&", "") for b in dialog.findChild(QDialogButtonBox).buttons()}
        assert texts == {"Ouvrir", "Annuler"}
        dialog.deleteLater()
    finally:
        install_language(qapp, "en")
