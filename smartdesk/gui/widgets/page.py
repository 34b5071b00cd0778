"""Small building blocks the pages share (light: the list page shown at start-up uses them)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


def heading(text: str = "") -> QLabel:
    """The title of a page."""
    label = QLabel(text)
    label.setObjectName("heading")
    label.setStyleSheet("QLabel#heading { font-size: 15pt; font-weight: 600; }")
    return label


def scroll_page(page: QWidget) -> QVBoxLayout:
    """Give ``page`` a frameless vertical scroll area filling it; returns the layout of what scrolls."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    return QVBoxLayout(body)
