"""Item data roles shared by the models and the delegates."""

from __future__ import annotations

from PySide6.QtCore import Qt

ID_ROLE = Qt.ItemDataRole.UserRole + 1


SORT_ROLE = Qt.ItemDataRole.UserRole + 2


STATUS_ROLE = Qt.ItemDataRole.UserRole + 3


PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 4


RECEIPTS_ROLE = Qt.ItemDataRole.UserRole + 5  # an expense line's receipt hashes


REJECTION_ROLE = Qt.ItemDataRole.UserRole + 6  # the advisor's reason for refusing an expense line

SUGGESTED_ROLE = Qt.ItemDataRole.UserRole + 7  # a value suggested from the receipt: its confidence (0..1)
