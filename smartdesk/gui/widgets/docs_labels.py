"""Labels of the document screens that say something about the document: a problem under a field, a
banner, an error. Each is a word-wrapped ``QLabel`` with an object name (tests find it by name), styled
by that name, and hidden until there is something to say."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

PROBLEM_STYLE = "color: #c0392b;"  # what is wrong with a field, in red


def note_label(object_name: str, style: str) -> QLabel:
    """A hidden, word-wrapped label named ``object_name``, styled with ``style`` (CSS declarations)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet(f"QLabel#{object_name} {{ {style} }}")
    label.hide()
    return label


def problem_label(object_name: str = "problem") -> QLabel:
    """A hidden label for what is wrong with a field, in red."""
    return note_label(object_name, PROBLEM_STYLE)
