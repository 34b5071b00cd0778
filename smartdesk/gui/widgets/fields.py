"""Form fields several screens ask the same way: a document language, a number of days, two fields in
one row."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QWidget

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


def side_by_side(first: QWidget, second: QWidget) -> QHBoxLayout:
    """``first`` and ``second`` in one row of a form, ``second`` taking the width left (a postcode and
    its town, a button and what it chose)."""
    row = QHBoxLayout()
    row.addWidget(first)
    row.addWidget(second, 1)
    return row
