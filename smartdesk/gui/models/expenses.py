"""The editable model of an expense note's lines."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtGui import QColor, QFont

from smartdesk.domain.documents import Document, ExpenseLine
from smartdesk.domain.expenses import ExpenseCategory, builtin_categories, category_label
from smartdesk.domain.expenses import choices as expense_choices
from smartdesk.gui import fmt
from smartdesk.gui.documents.model import Index
from smartdesk.gui.models.editable import EditableLinesModel
from smartdesk.gui.models.lines import parse_line_value, two_line_header
from smartdesk.gui.models.roles import (
    ID_ROLE,
    PROBLEM_ROLE,
    RECEIPTS_ROLE,
    REJECTION_ROLE,
)
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _

# --- the expenses of an expense note being edited --------------------------------------------------------


class ExpenseColumns(IntEnum):
    DATE = 0
    SUPPLIER = 1
    DESCRIPTION = 2
    CATEGORY = 3
    AMOUNT = 4
    VAT_RATE = 5
    VAT = 6
    RECEIPTS = 7  # stays 7: scripts and tests address the receipts column by number
    PAID_WITH = 8
    ACTIVITY = 9  # hidden unless asked for, or some line is on another activity than the note's


EXPENSE_FIELDS: dict[ExpenseColumns, str] = {
    ExpenseColumns.DATE: "date",
    ExpenseColumns.SUPPLIER: "supplier",
    ExpenseColumns.DESCRIPTION: "description",
    ExpenseColumns.CATEGORY: "category",
    ExpenseColumns.AMOUNT: "amount_incl",
    ExpenseColumns.VAT_RATE: "vat_rate",
    ExpenseColumns.VAT: "vat_amount_override",
    ExpenseColumns.PAID_WITH: "paid_with",
    ExpenseColumns.ACTIVITY: "activity_id",
}


_EXPENSE_HEADERS = (
    N_("Date"),
    N_("Paid to"),
    N_("Description"),
    N_("Category"),
    N_("Amount incl. VAT"),
    N_("VAT rate"),
    N_("VAT"),
    N_("Receipts"),
    N_("Paid with"),
    N_("Activity"),
)


# how an expense was paid (ExpenseLine.paid_with): short words in the cell, the full sentence as tooltip
PAID_WITH_LABELS: dict[str, str] = {"own": N_("My money"), "coop": N_("Coop card")}


PAID_WITH_TIPS: dict[str, str] = {
    "own": N_("Paid with your own money: the cooperative pays it back to you"),
    "coop": N_("Paid with the cooperative's card: nothing to pay back"),
}


VAT_TYPED_COLOUR = QColor(
    41, 98, 168
)  # a VAT amount typed from the receipt (also in italics, with a tooltip)


def paid_with_choices(row: int = 0) -> list[tuple[str, str]]:
    return [(key, _(label)) for key, label in PAID_WITH_LABELS.items()]


class ExpenseLinesModel(EditableLinesModel):
    """The expenses of the note being edited; like LinesModel, edits are requested, never made here."""

    Columns = ExpenseColumns
    fields = EXPENSE_FIELDS

    def __init__(self, get_document: Callable[[], Document]) -> None:
        super().__init__(get_document)
        # set by the editor: the categories codes are labelled with, and the member's activities (id -> name)
        self.categories: list[ExpenseCategory] = list(builtin_categories())
        self.activity_names: dict[str, str] = {}  # "Name (code)": in the list to choose from and the tooltip
        self.activity_codes: dict[str, str] = {}  # the short code shown in the narrow cell, when there is one
        # set by the receipt suggestions: (row, column, role) -> the style of a value suggested from the
        # receipt, None for an ordinary cell (smartdesk.gui.receipts.suggestions)
        self.cell_style: Callable[[int, ExpenseColumns, int], Any] | None = None

    @property
    def lines(self) -> list[ExpenseLine]:
        return self._get().expense_lines

    def line_activity(self, row: int) -> str:
        """The activity an expense counts for: its own, else the note's."""
        return str(self.lines[row].activity_id or self._get().activity_id)

    def lines_on_other_activities(self) -> bool:
        """Whether some expense counts for another activity than the note's (then its column is shown)."""
        note = self._get().activity_id
        return any(ln.activity_id not in ("", note) for ln in self.lines)

    def category_choices(self, row: int) -> list[tuple[str, str]]:
        current = self.lines[row].category if 0 <= row < len(self.lines) else ""
        return [("", _("— none —")), *expense_choices(ui.language(), self.categories, current)]

    def activity_choices(self, row: int) -> list[tuple[str, str]]:
        pairs = list(self.activity_names.items())
        current = self.line_activity(row) if 0 <= row < len(self.lines) else ""
        if current and current not in self.activity_names:
            pairs.append((current, _("Unknown activity")))
        return pairs

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        vertical = orientation == Qt.Orientation.Vertical
        refused = vertical and 0 <= section < len(self.lines) and bool(self.lines[section].rejection_reason)
        if role == Qt.ItemDataRole.ToolTipRole and refused:
            return ui.tr("Refused by your advisor: {reason}", reason=self.lines[section].rejection_reason)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if not vertical:
            if section == ExpenseColumns.RECEIPTS:  # a narrow column: a long word may break (translators)
                return ui.ptr("narrow column title, may break on two lines", "Receipts")
            title = _(_EXPENSE_HEADERS[section])
            if section in (ExpenseColumns.VAT_RATE, ExpenseColumns.PAID_WITH):  # narrow: always on two lines
                if " " not in title and "-" in title.strip("-"):  # "Btw-tarief": cut after the hyphen
                    return title.replace("-", "-\n", 1)
                return title.replace(" ", "\n", 1) if len(title) <= 9 else two_line_header(title)
            return two_line_header(title)
        return f"{section + 1} ⚠" if refused else str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line_at(index)
        if line is None:
            return None
        from smartdesk.domain.totals import expense_vat

        col = ExpenseColumns(index.column())
        edit = role == Qt.ItemDataRole.EditRole
        if role == ID_ROLE:
            return line.id
        if self.cell_style is not None and not edit and role != Qt.ItemDataRole.DisplayRole:
            styled = self.cell_style(index.row(), col, role)
            if styled is not None:
                return styled
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col is ExpenseColumns.DATE:  # shown with a short year: the column stays narrow
                return line.date.strftime("%d/%m/%Y" if edit else "%d/%m/%y") if line.date else ""
            if col in (ExpenseColumns.SUPPLIER, ExpenseColumns.DESCRIPTION):
                return getattr(line, EXPENSE_FIELDS[col])
            if col is ExpenseColumns.CATEGORY:  # edit: the code; shown: its label in the interface language
                return (
                    line.category if edit else category_label(line.category, ui.language(), self.categories)
                )
            if col is ExpenseColumns.AMOUNT:  # shown as on the receipt: with its currency and cents
                return (
                    fmt.number(line.amount_incl)
                    if edit
                    else fmt.money(line.amount_incl, self._get().currency)
                )
            if col is ExpenseColumns.VAT_RATE:
                return fmt.number(line.vat_rate) if edit else fmt.percent(line.vat_rate)
            if col is ExpenseColumns.VAT:
                return (
                    fmt.number(expense_vat(line))
                    if edit
                    else fmt.money(expense_vat(line), self._get().currency)
                )
            if col is ExpenseColumns.PAID_WITH:
                return line.paid_with if edit else _(PAID_WITH_LABELS.get(line.paid_with, line.paid_with))
            if col is ExpenseColumns.ACTIVITY:
                activity = self.line_activity(index.row())
                if edit:
                    return activity
                return self.activity_codes.get(activity) or self.activity_names.get(activity, "")
            return str(len(line.receipts)) if line.receipts else _("none yet")
        if role == Qt.ItemDataRole.TextAlignmentRole and ExpenseColumns.AMOUNT <= col <= ExpenseColumns.VAT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and col is ExpenseColumns.RECEIPTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        typed_vat = col is ExpenseColumns.VAT and line.vat_amount_override is not None
        if role == Qt.ItemDataRole.FontRole and typed_vat:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and typed_vat:
            return VAT_TYPED_COLOUR
        if role == RECEIPTS_ROLE:
            return list(line.receipts)
        if role == REJECTION_ROLE:
            return line.rejection_reason
        if role in (PROBLEM_ROLE, Qt.ItemDataRole.ToolTipRole):
            field = EXPENSE_FIELDS.get(col, "receipts" if col is ExpenseColumns.RECEIPTS else "")
            problem = self.problems.get((index.row(), field))
            if role == Qt.ItemDataRole.ToolTipRole:
                parts = [p for p in (problem, self._tip(line, col)) if p]
                if line.rejection_reason:
                    parts.append(ui.tr("Refused by your advisor: {reason}", reason=line.rejection_reason))
                return "\n".join(parts) or None
            return problem
        if role == Qt.ItemDataRole.BackgroundRole and line.rejection_reason:
            return QColor(192, 57, 43, 38)
        return None

    def _tip(self, line: ExpenseLine, col: ExpenseColumns) -> str:
        if col is ExpenseColumns.VAT and line.vat_amount_override is not None:
            return _("VAT typed from the receipt. Empty the cell to compute it from the rate again.")
        if col is ExpenseColumns.PAID_WITH and line.paid_with in PAID_WITH_TIPS:
            return _(PAID_WITH_TIPS[line.paid_with])
        if col is ExpenseColumns.ACTIVITY:
            return self.activity_names.get(line.activity_id or self._get().activity_id, "")
        if col is ExpenseColumns.CATEGORY and line.category:
            return category_label(line.category, ui.language(), self.categories)
        return ""

    def parse(self, field: str, value: Any) -> Any:
        return parse_expense_value(field, value)

    def changes(self, row: int, field: str, value: Any) -> bool:
        line = self.lines[row]
        if field == "vat_amount_override":
            from smartdesk.domain.totals import expense_vat

            if value is not None and line.vat_amount_override is None and value == expense_vat(line):
                return False  # the computed amount typed again: nothing to override
        if field == "activity_id" and value == self.line_activity(row):
            return False
        return super().changes(row, field, value)


def parse_expense_value(field: str, value: Any) -> Any:
    from datetime import datetime

    text = str(value).strip()
    if field == "date":
        if not text:
            return None
        for pattern in ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(ui.tr("“{value}” is not a date: type it as 31/12/2026.", value=text))
    if field in ("amount_incl", "vat_rate"):
        return parse_line_value("unit_price", text.rstrip("%"))
    if field == "vat_amount_override":  # empty: computed from the rate again
        text = text.replace("€", "").strip()
        return parse_line_value("unit_price", text) if text else None
    if field == "paid_with":
        if text not in PAID_WITH_LABELS:
            raise ValueError(ui.tr("“{value}” is not a way of paying: choose from the list.", value=text))
        return text
    return text
