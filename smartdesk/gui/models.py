"""Table models: one QAbstractTableModel per list, ``Columns(IntEnum)``, id and sort roles.

The document lists' model lives in ``smartdesk.gui.document_model`` (the only one start-up needs) and
is re-exported here. The models call services only and are tested without widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from smartdesk.domain.documents import Document, ExpenseLine, Line
from smartdesk.domain.expenses import ExpenseCategory, builtin_categories, category_label
from smartdesk.domain.expenses import choices as expense_choices
from smartdesk.domain.totals import line_amounts
from smartdesk.domain.vat import VatCategory
from smartdesk.gui import fmt
from smartdesk.gui.document_model import (
    ID_ROLE,
    PAGE_SIZE,
    PROBLEM_ROLE,
    RECEIPTS_ROLE,
    REJECTION_ROLE,
    SORT_ROLE,
    STATUS_ROLE,
    DocumentColumns,
    DocumentTableModel,
    Index,
)
from smartdesk.i18n import ui
from smartdesk.i18n.documents import unit_label
from smartdesk.i18n.ui import N_, _
from smartdesk.services import ActivitySummary, ClientRow, Workspace

__all__ = [  # re-exported from smartdesk.gui.document_model
    "ID_ROLE", "PAGE_SIZE", "PROBLEM_ROLE", "RECEIPTS_ROLE", "REJECTION_ROLE", "SORT_ROLE", "STATUS_ROLE",
    "DocumentColumns", "DocumentTableModel", "Index",
]


# --- clients and activities ---------------------------------------------------------------------------

class ClientColumns(IntEnum):
    NAME = 0
    COUNTRY = 1
    VAT_NUMBER = 2
    EMAIL = 3
    DOCUMENTS = 4
    OPEN_AMOUNT = 5


_CLIENT_HEADERS = (N_("Name"), N_("Country"), N_("VAT number"), N_("Email"), N_("Documents"), N_("Still to be paid"))


class _ListModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.headers[section])
        return None

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, row_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == row_id), -1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=lambda r: self._sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def _sort_key(self, row: Any, column: int) -> Any:
        return str(self._text(row, column)).casefold()

    def _text(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return self._sort_key(row, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self._is_number(index.column()):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _is_number(self, column: int) -> bool:
        return False


class ClientTableModel(_ListModel):
    Columns = ClientColumns
    headers = _CLIENT_HEADERS

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.text = ""

    def reload(self, text: str | None = None) -> None:
        if text is not None:
            self.text = text
        self.beginResetModel()
        self._rows = list(self.ws.clients.list(self.text))
        self.endResetModel()

    def _text(self, row: ClientRow, column: int) -> str:
        col = ClientColumns(column)
        if col is ClientColumns.NAME:
            return row.name
        if col is ClientColumns.COUNTRY:
            return row.country
        if col is ClientColumns.VAT_NUMBER:
            return row.vat_number
        if col is ClientColumns.EMAIL:
            return row.email
        if col is ClientColumns.DOCUMENTS:
            return str(row.document_count)
        return fmt.money(row.open_amount)

    def _sort_key(self, row: ClientRow, column: int) -> Any:
        if column == ClientColumns.OPEN_AMOUNT:
            return row.open_amount
        if column == ClientColumns.DOCUMENTS:
            return row.document_count
        return self._text(row, column).casefold()

    def _is_number(self, column: int) -> bool:
        return column in (ClientColumns.DOCUMENTS, ClientColumns.OPEN_AMOUNT)


class ActivityColumns(IntEnum):
    NAME = 0
    CODE = 1
    ENTITY = 2
    DOCUMENTS = 3
    QUOTES = 4
    INVOICED = 5
    PAID = 6
    EXPENSES = 7


class ActivityTableModel(_ListModel):
    Columns = ActivityColumns
    headers = (N_("Activity"), N_("Code"), N_("Country"), N_("Documents"), N_("Quoted"), N_("Invoiced"), N_("Paid"), N_("Expenses"))

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = list(self.ws.activities.list())
        self.endResetModel()

    def _amount(self, row: ActivitySummary, column: int) -> Decimal:
        return {ActivityColumns.QUOTES: row.quotes_total, ActivityColumns.INVOICED: row.invoiced_total,
                ActivityColumns.PAID: row.paid_total, ActivityColumns.EXPENSES: row.expenses_total}[
            ActivityColumns(column)]

    def _text(self, row: ActivitySummary, column: int) -> str:
        col = ActivityColumns(column)
        if col is ActivityColumns.NAME:
            return row.name
        if col is ActivityColumns.CODE:
            return row.code
        if col is ActivityColumns.ENTITY:
            return row.entity
        if col is ActivityColumns.DOCUMENTS:
            return str(row.document_count)
        return fmt.money(self._amount(row, column))

    def _sort_key(self, row: ActivitySummary, column: int) -> Any:
        if column >= ActivityColumns.QUOTES:
            return self._amount(row, column)
        if column == ActivityColumns.DOCUMENTS:
            return row.document_count
        return self._text(row, column).casefold()

    def _is_number(self, column: int) -> bool:
        return column >= ActivityColumns.DOCUMENTS


# --- the lines of a document being edited -------------------------------------------------------------

class LineColumns(IntEnum):
    DESCRIPTION = 0
    QUANTITY = 1
    UNIT = 2
    UNIT_PRICE = 3
    DISCOUNT = 4
    VAT = 5
    NET = 6


LINE_FIELDS: dict[LineColumns, str] = {
    LineColumns.DESCRIPTION: "description", LineColumns.QUANTITY: "quantity", LineColumns.UNIT: "unit",
    LineColumns.UNIT_PRICE: "unit_price", LineColumns.DISCOUNT: "discount_percent", LineColumns.VAT: "vat_rate",
}
def two_line_header(text: str) -> str:
    """A long column title on two lines ("Unit price / excl. VAT"), so narrow columns need not
    cut it and the description column keeps its room."""
    if len(text) <= 9 or " " not in text:
        return text
    middle = len(text) / 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1:]


_LINE_HEADERS = (N_("Description"), N_("Quantity"), N_("Unit"), N_("Unit price excl. VAT"), N_("Discount %"), N_("VAT"), N_("Amount excl. VAT"))
LINE_MIME = "application/x-smartdesk-line-row"

VAT_CATEGORY_LABELS: dict[VatCategory, str] = {
    VatCategory.STANDARD: N_("VAT"), VatCategory.ZERO: N_("Zero rate"), VatCategory.EXEMPT: N_("Exempt"),
    VatCategory.REVERSE_CHARGE: N_("Reverse charge"), VatCategory.INTRA_COMMUNITY: N_("Intra-EU supply"),
    VatCategory.EXPORT: N_("Export"), VatCategory.OUT_OF_SCOPE: N_("Outside the scope of VAT"),
}


def vat_choice_label(category: VatCategory, rate: Decimal) -> str:
    if category is VatCategory.STANDARD:
        return fmt.percent(rate)
    return f"{_(VAT_CATEGORY_LABELS[category])} (0 %)"


def vat_choice_key(category: VatCategory, rate: Decimal) -> str:
    return f"{category.value}:{rate.normalize()}"


class LinesModel(QAbstractTableModel):
    """The lines of the document being edited. Edits are *requested* (``edit_requested``): the editor
    turns them into undoable commands, so the model never changes a document by itself."""

    Columns = LineColumns
    edit_requested = Signal(int, str, object)  # row, field, new value (already parsed)
    move_requested = Signal(int, int)  # from row, to row
    parse_failed = Signal(int, str, str)  # row, field, message

    def __init__(self, get_document: Callable[[], Document]) -> None:
        super().__init__()
        self._get = get_document
        self.problems: dict[tuple[int, str], str] = {}

    @property
    def lines(self) -> list[Line]:
        return self._get().lines

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LineColumns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return two_line_header(_(_LINE_HEADERS[section]))
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        if index.column() != LineColumns.NET:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.lines):
            return None
        line = self.lines[index.row()]
        col = LineColumns(index.column())
        field = LINE_FIELDS.get(col, "")
        if role == ID_ROLE:
            return line.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            edit = role == Qt.ItemDataRole.EditRole
            if col is LineColumns.DESCRIPTION:
                return line.description
            if col is LineColumns.QUANTITY:
                return fmt.number(line.quantity)
            if col is LineColumns.UNIT:
                return line.unit if edit else unit_label(_doc_lang(), line.unit)
            if col is LineColumns.UNIT_PRICE:
                return fmt.number(line.unit_price)
            if col is LineColumns.DISCOUNT:
                return fmt.number(line.discount_percent) if line.discount_percent or edit else ""
            if col is LineColumns.VAT:
                return vat_choice_key(line.vat_category, line.vat_rate) if edit else \
                    vat_choice_label(line.vat_category, line.vat_rate)
            return fmt.money(line_amounts(line).net, self._get().currency)
        if role == Qt.ItemDataRole.TextAlignmentRole and col not in (LineColumns.DESCRIPTION, LineColumns.UNIT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (PROBLEM_ROLE, Qt.ItemDataRole.ToolTipRole):
            return self.problems.get((index.row(), field))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        col = LineColumns(index.column())
        field = LINE_FIELDS.get(col)
        if field is None:
            return False
        line = self.lines[index.row()]
        try:
            parsed = parse_line_value(field, value)
        except ValueError as exc:
            self.parse_failed.emit(index.row(), field, str(exc))
            return False
        if field == "vat_rate":
            category, rate = parsed
            if (category, rate) == (line.vat_category, line.vat_rate):
                return False
        elif getattr(line, field) == parsed:
            return False
        self.edit_requested.emit(index.row(), field, parsed)
        return True

    # --- drag to reorder ---------------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [LINE_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes})
        data.setData(LINE_MIME, QByteArray(str(rows[0] if rows else -1).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not data.hasFormat(LINE_MIME):
            return False
        source = int(bytes(data.data(LINE_MIME).data()).decode() or -1)
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self.lines))
        if source < 0:
            return False
        if target > source:
            target -= 1
        if target != source:
            self.move_requested.emit(source, min(target, len(self.lines) - 1))
        return False  # the command moved the line; Qt must not remove the source row



def _doc_lang() -> str:
    lang = ui.language()
    return lang if lang in ("fr", "nl", "en") else "en"


def parse_line_value(field: str, value: Any) -> Any:
    """Turn what was typed in a line cell into the domain value; ValueError in plain words."""
    from smartdesk.domain.money import parse_decimal_text

    if field in ("description", "unit"):
        return str(value)
    if field == "vat_rate":
        code, _sep, rate = str(value).partition(":")
        return VatCategory(code), Decimal(rate or "0")
    text = str(value).strip().rstrip("%").strip()
    if field == "discount_percent" and not text:
        return Decimal(0)
    try:
        return parse_decimal_text(text)
    except ValueError:
        raise ValueError(ui.tr("“{value}” is not a number: type digits such as 12,5.", value=value)) from None


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
    ExpenseColumns.DATE: "date", ExpenseColumns.SUPPLIER: "supplier", ExpenseColumns.DESCRIPTION: "description",
    ExpenseColumns.CATEGORY: "category", ExpenseColumns.AMOUNT: "amount_incl", ExpenseColumns.VAT_RATE: "vat_rate",
    ExpenseColumns.VAT: "vat_amount_override", ExpenseColumns.PAID_WITH: "paid_with",
    ExpenseColumns.ACTIVITY: "activity_id",
}
_EXPENSE_HEADERS = (N_("Date"), N_("Paid to"), N_("Description"), N_("Category"), N_("Amount incl. VAT"),
                    N_("VAT rate"), N_("VAT"), N_("Receipts"), N_("Paid with"), N_("Activity"))
# how an expense was paid (ExpenseLine.paid_with): short words in the cell, the full sentence as tooltip
PAID_WITH_LABELS: dict[str, str] = {"own": N_("My money"), "coop": N_("Coop card")}
PAID_WITH_TIPS: dict[str, str] = {
    "own": N_("Paid with your own money: the cooperative pays it back to you"),
    "coop": N_("Paid with the cooperative's card: nothing to pay back"),
}
VAT_TYPED_COLOUR = QColor(41, 98, 168)  # a VAT amount typed from the receipt (also in italics, with a tooltip)


def paid_with_choices(row: int = 0) -> list[tuple[str, str]]:
    return [(key, _(label)) for key, label in PAID_WITH_LABELS.items()]


class ExpenseLinesModel(QAbstractTableModel):
    """The expenses of the note being edited; like LinesModel, edits are requested, never made here."""

    Columns = ExpenseColumns
    edit_requested = Signal(int, str, object)
    move_requested = Signal(int, int)
    parse_failed = Signal(int, str, str)

    def __init__(self, get_document: Callable[[], Document]) -> None:
        super().__init__()
        self._get = get_document
        self.problems: dict[tuple[int, str], str] = {}
        # set by the editor: the categories codes are labelled with, and the member's activities (id -> name)
        self.categories: list[ExpenseCategory] = list(builtin_categories())
        self.activity_names: dict[str, str] = {}  # "Name (code)": in the list to choose from and the tooltip
        self.activity_codes: dict[str, str] = {}  # the short code shown in the narrow cell, when there is one

    @property
    def lines(self) -> list[Any]:
        return self._get().expense_lines

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

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

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ExpenseColumns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        vertical = orientation == Qt.Orientation.Vertical
        refused = vertical and 0 <= section < len(self.lines) and bool(self.lines[section].rejection_reason)
        if role == Qt.ItemDataRole.ToolTipRole and refused:
            return ui.tr("Refused by your advisor: {reason}", reason=self.lines[section].rejection_reason)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if not vertical:
            title = _(_EXPENSE_HEADERS[section])
            if section in (ExpenseColumns.VAT_RATE, ExpenseColumns.PAID_WITH):  # narrow: always on two lines
                if " " not in title and "-" in title.strip("-"):  # "Btw-tarief": cut after the hyphen
                    return title.replace("-", "-\n", 1)
                return title.replace(" ", "\n", 1) if len(title) <= 9 else two_line_header(title)
            return two_line_header(title)
        return f"{section + 1} ⚠" if refused else str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and ExpenseColumns(index.column()) in EXPENSE_FIELDS:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.lines):
            return None
        from smartdesk.domain.totals import expense_vat

        line = self.lines[index.row()]
        col = ExpenseColumns(index.column())
        edit = role == Qt.ItemDataRole.EditRole
        if role == ID_ROLE:
            return line.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col is ExpenseColumns.DATE:  # shown with a short year: the column stays narrow
                return line.date.strftime("%d/%m/%Y" if edit else "%d/%m/%y") if line.date else ""
            if col in (ExpenseColumns.SUPPLIER, ExpenseColumns.DESCRIPTION):
                return getattr(line, EXPENSE_FIELDS[col])
            if col is ExpenseColumns.CATEGORY:  # edit: the code; shown: its label in the interface language
                return line.category if edit else category_label(line.category, ui.language(), self.categories)
            if col is ExpenseColumns.AMOUNT:
                return fmt.number(line.amount_incl)
            if col is ExpenseColumns.VAT_RATE:
                return fmt.number(line.vat_rate) if edit else fmt.percent(line.vat_rate)
            if col is ExpenseColumns.VAT:
                return fmt.number(expense_vat(line)) if edit else fmt.money(expense_vat(line), self._get().currency)
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

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        field = EXPENSE_FIELDS.get(ExpenseColumns(index.column()))
        if field is None:
            return False
        try:
            parsed = parse_expense_value(field, value)
        except ValueError as exc:
            self.parse_failed.emit(index.row(), field, str(exc))
            return False
        line = self.lines[index.row()]
        if field == "vat_amount_override":
            from smartdesk.domain.totals import expense_vat

            if parsed is not None and line.vat_amount_override is None and parsed == expense_vat(line):
                return False  # the computed amount typed again: nothing to override
        if field == "activity_id" and parsed == self.line_activity(index.row()):
            return False
        if getattr(line, field) == parsed:
            return False
        self.edit_requested.emit(index.row(), field, parsed)
        return True


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
