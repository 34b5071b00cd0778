"""The glossary page: the words SmartDesk uses and what they mean."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.widgets.page import heading, paragraph
from smartdesk.i18n.ui import N_, _

GLOSSARY: list[tuple[str, str, str, str]] = [
    # English, French, Dutch, explanation (English key, translated)
    ("quote", "devis", "offerte", N_("What you propose to a client and at what price, before the work.")),
    (
        "invoice",
        "facture",
        "factuur",
        N_("Asks the client to pay. The cooperative issues it and gives it a number."),
    ),
    ("credit note", "note de crédit", "creditnota", N_("Cancels or corrects all or part of an invoice.")),
    (
        "expense note",
        "note de frais",
        "onkostennota",
        N_("Asks the cooperative to pay back what you spent for your activity, with the receipts."),
    ),
    (
        "receipt",
        "justificatif / ticket",
        "bewijsstuk / kasticket",
        N_("The proof of an expense: a photo or a PDF."),
    ),
    (
        "activity",
        "activité",
        "activiteit",
        N_("Your budget line inside the cooperative: it collects revenue and pays expenses and wages."),
    ),
    (
        "member",
        "sociétaire / membre",
        "vennoot / lid",
        N_("You: a worker who shares the cooperative enterprise."),
    ),
    (
        "advisor",
        "conseiller·ère",
        "adviseur",
        N_("Your contact at the cooperative, who checks and validates documents."),
    ),
    (
        "client",
        "client·e / donneur d'ordre",
        "klant / opdrachtgever",
        N_("Who you work for and who pays the invoice."),
    ),
    ("reminder", "relance / rappel", "herinnering", N_("A message to a client who has not paid on time.")),
    (
        "formal notice",
        "mise en demeure",
        "ingebrekestelling",
        N_("The last official request to pay before going to court."),
    ),
    (
        "litigation",
        "contentieux",
        "geschil / gerechtelijke invordering",
        N_("Recovering an unpaid invoice through legal means."),
    ),
    ("draft", "brouillon", "concept", N_("A document you are still writing: only you see it.")),
    (
        "structured communication",
        "communication structurée",
        "gestructureerde mededeling",
        N_("The +++123/4567/89012+++ reference the client copies when paying, so the payment is matched."),
    ),
]


class GlossaryPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Glossary")))
        layout.addWidget(
            paragraph(_("The words SmartDesk uses, in the three languages, with what they mean."))
        )
        self.table = QTableWidget(len(GLOSSARY), 4)
        self.table.setHorizontalHeaderLabels([_("English"), _("French"), _("Dutch"), _("What it means")])
        for r, (en, fr, nl, meaning) in enumerate(GLOSSARY):
            for c, text in enumerate((en, fr, nl, _(meaning))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, item)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()
