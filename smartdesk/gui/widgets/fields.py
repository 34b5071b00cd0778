"""Form fields several screens ask the same way: a document language, a number of days."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSpinBox

from smartdesk.domain.documents import LANGUAGES
from smartdesk.gui.labels import LANGUAGE_NAMES
from smartdesk.i18n.ui import _


def document_language_box() -> QComboBox:
    """The languages a document can be written in, named in the interface language (data: the code)."""
    box = QComboBox()
    for code in LANGUAGES:
        box.addItem(_(LANGUAGE_NAMES[code]), code)
    return box


def days_box(low: int, high: int) -> QSpinBox:
    """A number of days from ``low`` to ``high``, shown with the word "days"."""
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(" " + _("days"))
    return box
