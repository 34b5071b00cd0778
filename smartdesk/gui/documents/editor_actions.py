"""What the document editor's top bar does with the whole document: send it for validation (after the
problems and the e-invoice rules allow it), the "More" menu (duplicate, turn a quote into an invoice,
make a credit note, delete) and the PDF menu (export, print, open in a viewer, with their shortcuts).

``EditorActions`` owns these buttons, menus and actions; it works on the editor it is given (its
document, task manager, undo stack, banner and signals) and keeps no state of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton, QToolButton

from smartdesk.domain.documents import Document
from smartdesk.errors import SmartDeskError, ValidationError
from smartdesk.gui.commands import CallbackCommand
from smartdesk.gui.errors import error_text
from smartdesk.i18n.ui import _, ntr

if TYPE_CHECKING:
    from smartdesk.gui.documents.editor import DocumentEditor


class EditorActions(QObject):
    """The editor's buttons and menus for the whole document (``submit_button``, ``more_button``,
    ``pdf_button``) and what they do."""

    def __init__(self, editor: DocumentEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.submit_button = QPushButton(_("Send for validation"))
        self.submit_button.setToolTip(
            _("Your advisor checks the document; the cooperative then gives it a number.")
        )
        self.submit_button.clicked.connect(self.submit)
        self.more_button = QToolButton()
        self.more_button.setText(_("More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(editor)
        self.act_duplicate = self.more_menu.addAction(_("Duplicate"), self.duplicate)
        self.act_invoice = self.more_menu.addAction(_("Turn into an invoice"), self.to_invoice)
        self.act_credit = self.more_menu.addAction(_("Make a credit note"), self.credit_note)
        self.more_menu.addSeparator()
        self.act_delete = self.more_menu.addAction(
            _("Delete this document"), lambda: editor.delete_requested.emit(editor.doc.id)
        )
        self.more_button.setMenu(self.more_menu)
        self.pdf_button = self._build_pdf_actions()

    # --- send for validation ------------------------------------------------------------------------
    def submit(self) -> None:
        editor = self.editor
        problems = editor.ws.documents.problems(editor.doc, for_submit=True)
        if problems:
            editor.show_problems(problems)
            editor._show_banner(
                ntr(
                    "Almost there: {n} thing to complete before sending, shown in red.",
                    "Almost there: {n} things to complete before sending, shown in red.",
                    len(problems),
                    n=len(problems),
                )
            )
            return
        if not editor.preflight.current:  # an invoice to a business must pass the e-invoice rules first
            editor._show_banner(_("Checking the e-invoice before sending…"))
            editor.preflight.check_now(lambda _r: self._submit_checked())
            return
        refusal = editor.preflight.refusal()
        if refusal:
            editor._show_banner(refusal)
            return
        doc_id = editor.doc.id

        def done(doc: Document) -> None:
            editor.doc = doc
            editor.undo_stack.clear()
            editor._refresh_all()
            editor.changed.emit(doc.id)
            editor.message.emit(_("Sent for validation. Your advisor will check it."))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                editor.show_problems(exc.problems)
            editor._show_banner(
                error_text(exc) if isinstance(exc, SmartDeskError) else _("Sending failed; try again.")
            )

        editor.tasks.write(lambda: editor.ws.documents.submit(doc_id), done, failed)

    def _submit_checked(self) -> None:
        self.editor._show_banner("")
        if self.editor.preflight.current:  # else the member changed it meanwhile: the next click checks again
            self.submit()

    # --- new drafts from this one ---------------------------------------------------------------------
    def derived(self, fn: Callable[[str], Document], message: str) -> None:
        """Make a new draft from this document (copy, invoice from a quote, credit note) and open it.

        Ctrl+Z in the new draft, before anything else, takes it back: the draft is deleted and the
        original opens again."""
        editor = self.editor
        doc_id = editor.doc.id

        def take_back(new_id: str) -> None:
            def gone(_r: object = None) -> None:
                editor.changed.emit(new_id)
                editor.message.emit(_("The new draft was removed."))
                editor.open_document.emit(doc_id)

            # after the undo command has returned: opening a document clears this undo stack
            editor.tasks.write(
                lambda: editor.ws.documents.delete(new_id),
                gone,
                lambda exc: editor._show_banner(error_text(exc)),
            )

        def done(doc: Document) -> None:
            editor.changed.emit(doc.id)
            editor.message.emit(message)
            editor.open_document.emit(doc.id)
            if editor.doc.id == doc.id:
                editor.undo_stack.push(
                    CallbackCommand(_("Make a new draft"), lambda: None, lambda: take_back(doc.id))
                )

        editor.tasks.write(lambda: fn(doc_id), done, lambda exc: editor._show_banner(error_text(exc)))

    def duplicate(self) -> None:
        self.derived(self.editor.ws.documents.duplicate, _("Copy made: you are now editing the new draft."))

    def to_invoice(self) -> None:
        self.derived(
            self.editor.ws.documents.quote_to_invoice, _("Invoice made from the quote: check it and send it.")
        )

    def credit_note(self) -> None:
        self.derived(self.editor.ws.documents.credit_note_for, _("Credit note made for this invoice."))

    # --- PDF: export, print, open in a viewer ------------------------------------------------------------
    def _build_pdf_actions(self) -> QToolButton:
        """Export to PDF (Ctrl+E), Print (Ctrl+P), Open in PDF viewer: shortcuts work while the editor has focus."""
        editor = self.editor
        self.act_export_pdf = QAction(_("Export to PDF…"), editor)
        self.act_export_pdf.setShortcut(QKeySequence("Ctrl+E"))
        self.act_export_pdf.setToolTip(_("Save the document as a PDF file to send to the client (Ctrl+E)"))
        self.act_export_pdf.triggered.connect(lambda: editor.preview.export_pdf())
        self.act_print = QAction(_("Print…"), editor)
        self.act_print.setShortcut(QKeySequence("Ctrl+P"))
        self.act_print.triggered.connect(lambda: editor.preview.print_document())
        self.act_open_pdf = QAction(_("Open in PDF viewer"), editor)
        self.act_open_pdf.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.act_open_pdf.triggered.connect(lambda: editor.preview.open_in_viewer())
        menu = QMenu(editor)
        for action in (self.act_export_pdf, self.act_print, self.act_open_pdf):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            editor.addAction(action)
            menu.addAction(action)
        button = QToolButton()
        button.setText("PDF")
        button.setToolTip(
            _("Export to PDF (Ctrl+E), print (Ctrl+P) or open in your PDF viewer (Ctrl+Shift+E)")
        )
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setMenu(menu)
        return button
