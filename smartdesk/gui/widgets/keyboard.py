"""Widgets that keep the keyboard moving: one Tab stop per date field, Tab leaving a text box.

A ``QDateEdit`` uses Tab to move between its day, month and year sections, so a keyboard user stops
three times in every date; ``OneStopDateEdit`` lets Tab leave the field (the sections are still
reached with the arrow keys, and typing "03122026" fills them in order). A ``QPlainTextEdit`` types a
tab character on Tab; ``text_box`` makes Tab move the focus (Ctrl+Tab is Qt's way to type one).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDateEdit, QPlainTextEdit, QWidget


class OneStopDateEdit(QDateEdit):
    """A date field that is one Tab stop: Tab and Shift+Tab go to the next or previous field."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's name and argument
        return QWidget.focusNextPrevChild(self, next)


def text_box(parent: QWidget | None = None) -> QPlainTextEdit:
    """A multi-line text box where Tab moves the focus instead of typing a tab character."""
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    return box
