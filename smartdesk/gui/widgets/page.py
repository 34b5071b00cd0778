"""Small building blocks the pages share (light: the list page shown at start-up uses them)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


def heading(text: str = "") -> QLabel:
    """The title of a page."""
    label = QLabel(text)
    label.setObjectName("heading")
    label.setStyleSheet("QLabel#heading { font-size: 15pt; font-weight: 600; }")
    return label


def paragraph(text: str = "", name: str = "") -> QLabel:
    """Words that wrap to the width they are given: a page's explanation, what an empty list means."""
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def problem_label() -> QLabel:
    """Where a form says what is wrong: a paragraph in red (the words say it too)."""
    label = paragraph()
    label.setStyleSheet("color: #c0392b;")
    return label


def boxed_label(name: str, style: str) -> QLabel:
    """A paragraph in a box of its own, named ``name``: ``style`` gives the box its colours, border and
    padding (the style sheet of ``QLabel#name``, so that it does not reach other widgets)."""
    label = paragraph(name=name)
    label.setStyleSheet(f"QLabel#{name} {{ {style} }}")
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
