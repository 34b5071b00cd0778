"""Start the desktop application: ``smartdesk`` with no subcommand calls ``run``.

Start-up is kept short: only the page the member left last is built; the editor and the other pages
are built the first time they are shown, and sync (status bar entry, menu, thread) right after the
window's first paint.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from smartdesk import APP_NAME, ORG_NAME
from smartdesk.i18n import ui

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

READY_ENV = "SMARTDESK_EXIT_WHEN_READY"  # benchmarks: print "READY" when interactive, then quit
_translators: list[QTranslator] = []  # Qt's own translations installed by install_language


def install_language(app: QApplication, lang: str) -> str:
    """Use ``lang`` for SmartDesk's strings and Qt's own dialogs (qtbase_xx.qm shipped with PySide6)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    chosen = ui.set_language(lang)
    QLocale.setDefault(QLocale(ui.qt_locale_name()))
    # the ones installed here are remembered: listing the application's children costs ~4 ms at start
    while _translators:
        old = _translators.pop()
        try:
            app.removeTranslator(old)
        except RuntimeError:  # it went with an earlier QApplication
            pass
    if chosen in ("fr", "nl"):
        translator = QTranslator(app)
        if translator.load(f"qtbase_{chosen}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _translators.append(translator)
    return chosen


def make_app(argv: list[str]) -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("coop.smart.SmartDesk")
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The SmartDesk icon in every shipped size, so window managers and task bars pick a sharp one."""
    from PySide6.QtGui import QIcon

    from smartdesk.resources import resource_path

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        path = resource_path("icons", f"smartdesk-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    return icon


def run(data_dir: Path | None, argv: list[str]) -> int:
    started = time.perf_counter()
    # Start-up creates objects that live as long as the app (modules, classes, widgets): Python's cyclic
    # collector would scan them again and again for nothing (~40 ms). It is back on once the window is
    # painted and everything deferred is built; what start-up made is then moved out of its sight.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(data_dir, argv, started, gc_was_enabled)
    finally:
        if gc_was_enabled:
            gc.enable()


def _gc_after_start(enable: bool) -> None:
    """Objects made by start-up stay for the app's life: the collector leaves them alone from now on."""
    gc.freeze()
    if enable:
        gc.enable()


def _saved_language(folder: Path | None) -> str:
    """The interface language when the data file cannot be opened (damaged, from a newer version): read
    straight from its settings if SQLite still can, else the system's language."""
    from PySide6.QtCore import QLocale

    from smartdesk.services.settings import saved_setting

    saved = saved_setting(folder, "ui_language")
    if isinstance(saved, str) and saved:
        return saved
    return QLocale.system().name()[:2]


def _run(data_dir: Path | None, argv: list[str], started: float, gc_was_enabled: bool) -> int:
    app = make_app(argv)
    from PySide6.QtCore import QTimer

    from smartdesk.errors import SmartDeskError
    from smartdesk.services import Workspace

    try:
        ws = Workspace.open(data_dir)
    except SmartDeskError as exc:
        from PySide6.QtWidgets import QMessageBox

        from smartdesk.gui.errors import error_text

        install_language(app, _saved_language(data_dir))  # the message in the member's language
        QMessageBox.critical(None, APP_NAME, error_text(exc))
        return exc.exit_code
    try:
        if not ws.settings.first_run_done:
            from smartdesk.gui.dialogs.first_run import FirstRunDialog

            dialog = FirstRunDialog()
            if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
                return 0
            lang, entity = dialog.choice()
            ws.settings.set("ui_language", lang)
            ws.settings.set("entity", entity)
            ws.settings.set("first_run_done", True)
        install_language(app, ws.settings.ui_language)
        from smartdesk.gui.main_window import MainWindow

        window = MainWindow(ws)
        window.start_finished.connect(lambda: _gc_after_start(gc_was_enabled))
        window.show()
        if os.environ.get(READY_ENV):

            def ready() -> None:
                app.processEvents()
                sys.stdout.write(f"READY {time.perf_counter() - started:.4f}\n")
                sys.stdout.flush()
                window.close()
                app.quit()

            QTimer.singleShot(0, ready)
        code = app.exec()
        window.tasks.close()
        from smartdesk.services.cleanup import clean_receipts_if_due

        clean_receipts_if_due(ws)  # the window is gone: unused receipt files, once a week
        return code
    finally:
        ws.close()
