"""The PDF actions of the preview pane: export (Ctrl+E), print (Ctrl+P), open in the system's viewer.

Each renders the document as it is on screen, on a worker (``Workspace.pdf.render``), and reports through
the pane's ``message`` / ``failed`` signals; the pane keeps the state they need (its settings, the last
file opened, the printer while a job runs).
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog

from smartdesk.errors import SmartDeskError
from smartdesk.gui.documents.raster import paint_pdf
from smartdesk.gui.errors import error_text
from smartdesk.gui.window_state import WindowState
from smartdesk.i18n.ui import _, ntr, tr
from smartdesk.services.safe_write import write_atomically

if TYPE_CHECKING:
    from smartdesk.gui.documents.preview import PreviewPane


def plain_error(exc: BaseException) -> str:
    """A render failure in words a member understands (never a traceback)."""
    if isinstance(exc, SmartDeskError):
        return error_text(exc)
    return _(
        "Something in this document could not be drawn. Your work is saved; change the last edit or "
        "try again."
    )


def window_settings(pane: PreviewPane) -> QSettings:
    if pane.qsettings is None:
        found = getattr(pane.window(), "qsettings", None)
        if isinstance(found, QSettings):
            pane.qsettings = found
        else:
            pane.qsettings = WindowState().qsettings
    return pane.qsettings


def _state(pane: PreviewPane) -> WindowState:
    return WindowState(window_settings(pane))


def export_folder(pane: PreviewPane) -> str:
    """The folder of the last export, else the Documents folder."""
    last = _state(pane).export_folder
    if last and Path(last).is_dir():
        return last
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs if docs and Path(docs).is_dir() else str(Path.home())


def suggested_path(pane: PreviewPane) -> str:
    doc = pane.doc_provider()
    return str(Path(export_folder(pane)) / pane.ws.pdf.file_name(doc))


def _render_in_background(
    pane: PreviewPane, then: Callable[[bytes], object], on_done: Callable[[object], None]
) -> None:
    snapshot = copy.deepcopy(pane.doc_provider())
    ws, theme = pane.ws, pane.theme
    pane.tasks.run(
        lambda: then(ws.pdf.render(snapshot, theme=theme)),
        on_done,
        lambda exc: pane.failed.emit(plain_error(exc)),
    )


def export_pdf(pane: PreviewPane, path: str | None = None) -> None:
    """Ctrl+E: save the document as a PDF; ``path`` skips the save dialog."""
    if path is None:
        path, _filter = QFileDialog.getSaveFileName(
            pane.window(), _("Export to PDF"), suggested_path(pane), _("PDF documents") + " (*.pdf)"
        )
        if not path:
            return
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    _state(pane).export_folder = str(target.parent)

    def write(pdf: bytes) -> Path:
        try:
            write_atomically(target, lambda temporary: temporary.write_bytes(pdf))
        except OSError as exc:
            raise SmartDeskError(
                tr(
                    "The PDF could not be saved in “{folder}”: {reason}. Choose another folder.",
                    folder=str(target.parent),
                    reason=exc.strerror or str(exc),
                )
            ) from exc
        return target

    _render_in_background(
        pane, write, lambda saved: pane.message.emit(tr("PDF saved: {name}", name=str(saved)))
    )


def open_in_viewer(pane: PreviewPane, opener: Callable[[QUrl], bool] | None = None) -> None:
    """Write the PDF to a temporary file and open it in the system's PDF viewer."""
    folder = Path(tempfile.gettempdir()) / "smartdesk-pdf"
    name = pane.ws.pdf.file_name(pane.doc_provider())
    open_url = opener or QDesktopServices.openUrl

    def write(pdf: bytes) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        target.write_bytes(pdf)
        return target

    def done(result: object) -> None:
        assert isinstance(result, Path)
        pane.last_opened = result
        if not open_url(QUrl.fromLocalFile(str(result))):
            pane.failed.emit(
                tr("No program to show PDF files was found. The file is here: {path}", path=str(result))
            )

    _render_in_background(pane, write, done)


def print_document(pane: PreviewPane, printer: QPrinter | None = None) -> None:
    """Ctrl+P: print the pages as rasterised at the printer's resolution; ``printer`` skips the dialog."""
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)
        printer.setDocName(Path(pane.ws.pdf.file_name(pane.doc_provider())).stem)
        dialog = QPrintDialog(printer, pane.window())
        dialog.setWindowTitle(_("Print"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
    pane._printer = printer  # kept alive until the worker is done with it

    def paint(pdf: bytes) -> int:
        return paint_pdf(pdf, printer)

    def printed(pages: object) -> None:
        n = int(pages) if isinstance(pages, int) else 0
        pane.message.emit(ntr("Sent to the printer: {n} page.", "Sent to the printer: {n} pages.", n, n=n))

    _render_in_background(pane, paint, printed)
