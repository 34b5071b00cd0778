"""The editable model of a quote's, invoice's or credit note's lines."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    Qt,
)

from smartdesk.domain.documents import Line
from smartdesk.domain.totals import line_amounts
from smartdesk.domain.vat import VatCategory
from smartdesk.gui import fmt
from smartdesk.gui.documents.model import Index
from smartdesk.gui.models.editable import EditableLinesModel
from smartdesk.gui.models.roles import (
    ID_ROLE,
    PROBLEM_ROLE,
)
from smartdesk.i18n import ui
from smartdesk.i18n.documents import unit_label
from smartdesk.i18n.ui import N_, _

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
    LineColumns.DESCRIPTION: "description",
    LineColumns.QUANTITY: "quantity",
    LineColumns.UNIT: "unit",
    LineColumns.UNIT_PRICE: "unit_price",
    LineColumns.DISCOUNT: "discount_percent",
    LineColumns.VAT: "vat_rate",
}


def two_line_header(text: str) -> str:
    """A long column title on two lines ("Unit price / excl. VAT"), so narrow columns need not
    cut it and the description column keeps its room."""
    if len(text) <= 9 or " " not in text:
        return text
    middle = len(text) / 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1 :]


_LINE_HEADERS = (
    N_("Description"),
    N_("Quantity"),
    N_("Unit"),
    N_("Unit price excl. VAT"),
    N_("Discount %"),
    N_("VAT"),
    N_("Amount excl. VAT"),
)


LINE_MIME = "application/x-smartdesk-line-row"


VAT_CATEGORY_LABELS: dict[VatCategory, str] = {
    VatCategory.STANDARD: N_("VAT"),
    VatCategory.ZERO: N_("Zero rate"),
    VatCategory.EXEMPT: N_("Exempt"),
    VatCategory.REVERSE_CHARGE: N_("Reverse charge"),
    VatCategory.INTRA_COMMUNITY: N_("Intra-EU supply"),
    VatCategory.EXPORT: N_("Export"),
    VatCategory.OUT_OF_SCOPE: N_("Outside the scope of VAT"),
}


def vat_choice_label(category: VatCategory, rate: Decimal) -> str:
    if category is VatCategory.STANDARD:
        return fmt.percent(rate)
    return f"{_(VAT_CATEGORY_LABELS[category])} (0 %)"


def vat_choice_key(category: VatCategory, rate: Decimal) -> str:
    return f"{category.value}:{rate.normalize()}"


class LinesModel(EditableLinesModel):
    """The lines of a quote, an invoice or a credit note being edited."""

    Columns = LineColumns
    fields = LINE_FIELDS

    @property
    def lines(self) -> list[Line]:
        return self._get().lines

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            title = _(_LINE_HEADERS[section])
            if section == LineColumns.DISCOUNT and title.endswith(" %"):  # "Remise %": the sign below
                return title[:-2] + "\n%"
            return two_line_header(title)
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled  # editable: every column but NET

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line_at(index)
        if line is None:
            return None
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
                return (
                    vat_choice_key(line.vat_category, line.vat_rate)
                    if edit
                    else vat_choice_label(line.vat_category, line.vat_rate)
                )
            return fmt.money(line_amounts(line).net, self._get().currency)
        if role == Qt.ItemDataRole.TextAlignmentRole and col not in (
            LineColumns.DESCRIPTION,
            LineColumns.UNIT,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (PROBLEM_ROLE, Qt.ItemDataRole.ToolTipRole):
            return self.problems.get((index.row(), field))
        return None

    def parse(self, field: str, value: Any) -> Any:
        return parse_line_value(field, value)

    def changes(self, row: int, field: str, value: Any) -> bool:
        if field == "vat_rate":  # (category, rate)
            line = self.lines[row]
            return bool(value != (line.vat_category, line.vat_rate))
        return super().changes(row, field, value)

    # --- drag to reorder ---------------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [LINE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes})
        data.setData(LINE_MIME, QByteArray(str(rows[0] if rows else -1).encode()))
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
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
