"""The document editor's lines table as a component: the view (``LinesView``, keys in ``lines.py``), its
two models (sales lines, expenses), the cell editors picked from a list (unit, VAT, expense category,
how it was paid, activity), the "Activity per expense" button, and switching between sales lines and
expenses, and the edits made in the table (a cell, moving or removing a line). ``LinesTable`` reads the
document and its client through callables and changes the document only through the editor's
``edit(text, mutate)``, so each change is one undo step; adding a line stays with the editor."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QToolButton, QWidget

from smartdesk.domain.documents import Client, Document, ExpenseLine
from smartdesk.domain.entities import entity_for
from smartdesk.domain.expenses import find_category
from smartdesk.domain.units import UNITS
from smartdesk.domain.vat import VatCategory, allowed_categories, rates_for, standard_rate
from smartdesk.gui.documents.lines import LinesView, size_expense_columns, size_line_columns
from smartdesk.gui.models.expenses import ExpenseColumns, ExpenseLinesModel, paid_with_choices
from smartdesk.gui.models.lines import LineColumns, LinesModel, vat_choice_key, vat_choice_label
from smartdesk.gui.widgets.delegates import ChoiceDelegate
from smartdesk.i18n import ui
from smartdesk.i18n.documents import unit_label
from smartdesk.i18n.ui import _, tr

# how a line cell starts editing in an editable document (a locked one gets NoEditTriggers)
LINE_EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
)


class LinesTable(QObject):
    """``view`` shows ``lines_model`` or ``expense_model`` (``kind``: ``lines`` or ``expense_lines``)."""

    def __init__(
        self,
        doc: Callable[[], Document],
        client: Callable[[], Client | None],
        edit: Callable[[str, Callable[[Document], None]], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._client = client
        self._edit = edit
        self.lines_model = LinesModel(doc)
        self.lines_model.edit_requested.connect(self.edit_cell)
        self.lines_model.move_requested.connect(self.move_line)
        self.expense_model = ExpenseLinesModel(doc)
        self.expense_model.edit_requested.connect(self.edit_cell)
        self.expense_model.modelReset.connect(self.update_expense_columns)
        self.expense_model.dataChanged.connect(lambda *_a: self.update_expense_columns())
        # expense cells picked from a list: category (stores the code), how it was paid, the activity
        self.category_delegate = ChoiceDelegate(self.expense_model.category_choices, parent)
        self.paid_with_delegate = ChoiceDelegate(paid_with_choices, parent)
        self.expense_activity_delegate = ChoiceDelegate(self.expense_model.activity_choices, parent)
        # most expenses count for the note's activity: the Activity column only on demand (narrow table)
        self.activity_column_button = QToolButton()
        self.activity_column_button.setText(_("Activity per expense"))
        self.activity_column_button.setCheckable(True)
        self.activity_column_button.setToolTip(
            _("Show a column to count some expenses for another of your activities")
        )
        self.activity_column_button.toggled.connect(lambda _on: self.update_expense_columns())
        self.activity_column_button.hide()
        self.unit_delegate = ChoiceDelegate(unit_choices, parent)
        self.vat_delegate = ChoiceDelegate(self.vat_choices, parent)
        self.plain_delegate = QStyledItemDelegate(parent)
        self.view = LinesView()
        self.view.setModel(self.lines_model)
        self.kind = "lines"
        self.view.setTabKeyNavigation(True)
        self.view.setEditTriggers(LINE_EDIT_TRIGGERS)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setMinimumHeight(180)
        header = self.view.horizontalHeader()
        header.setMinimumSectionSize(50)
        self.size_columns()  # figures as wide as their title and usual value: the description is the widest
        header.setTextElideMode(Qt.TextElideMode.ElideNone)  # Qt elides two-line titles as one line
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.setWordWrap(False)
        self.view.setItemDelegateForColumn(LineColumns.UNIT, self.unit_delegate)
        self.view.setItemDelegateForColumn(LineColumns.VAT, self.vat_delegate)
        self.view.delete_requested.connect(self.delete_line)
        self.view.move_requested.connect(self.move_line)
        self.view.setToolTip(
            _("Enter: new line · Tab: next cell · Ctrl+↑/↓: move the line · Ctrl+Delete: remove the line")
        )

    def model(self) -> LinesModel | ExpenseLinesModel:
        return self.expense_model if self.kind == "expense_lines" else self.lines_model

    def configure(self, kind: str) -> bool:
        """Show sales lines (``lines``) or expenses (``expense_lines``), each with its own columns and
        editors; False when the table already shows them. The caller then sizes the columns."""
        if kind == self.kind:
            return False
        self.kind = kind
        expense = kind == "expense_lines"
        view = self.view
        view.setModel(self.model())
        view.setItemDelegateForColumn(
            LineColumns.UNIT, self.plain_delegate if expense else self.unit_delegate
        )
        view.setItemDelegateForColumn(LineColumns.VAT, self.plain_delegate if expense else self.vat_delegate)
        for column, delegate in (
            (ExpenseColumns.CATEGORY, self.category_delegate),
            (ExpenseColumns.PAID_WITH, self.paid_with_delegate),
            (ExpenseColumns.ACTIVITY, self.expense_activity_delegate),
        ):
            view.setItemDelegateForColumn(column, delegate if expense else self.plain_delegate)
        view.setDragDropMode(
            QAbstractItemView.DragDropMode.NoDragDrop
            if expense
            else QAbstractItemView.DragDropMode.InternalMove
        )
        view.setWordWrap(expense)  # expense rows are two lines tall: long labels wrap
        return True

    def size_columns(self) -> None:
        """The columns of the lines table for what it shows (sales lines or expenses), in the interface
        language: see ``size_line_columns`` and ``size_expense_columns`` in gui/documents/lines.py."""
        doc = self._doc()
        if self.kind == "expense_lines":
            size_expense_columns(self.view, self.expense_model, doc.currency)
        else:
            size_line_columns(self.view, rates_for(entity_for(doc.entity).country, doc.issue_date))

    def update_expense_columns(self) -> None:
        """The Activity column when the member asks for it (with more than one activity) or when an
        expense already counts for another activity than the note's; hidden otherwise."""
        expense = self.kind == "expense_lines"
        button = self.activity_column_button
        button.setVisible(expense and len(self.expense_model.activity_names) > 1)
        if not expense:
            return
        differs = self.expense_model.lines_on_other_activities()
        shown = differs or (button.isChecked() and not button.isHidden())
        if button.isChecked() != shown:
            button.blockSignals(True)
            button.setChecked(shown)
            button.blockSignals(False)
        button.setEnabled(not differs)  # the column stays while an expense is on another activity
        button.setToolTip(
            _("Some expenses count for another activity: the column stays while they do.")
            if differs
            else _("Show a column to count some expenses for another of your activities")
        )
        if self.view.isColumnHidden(ExpenseColumns.ACTIVITY) == shown:
            self.view.setColumnHidden(ExpenseColumns.ACTIVITY, not shown)

    # --- edits (each one undo step, through the editor's edit) -----------------------------------------
    def _rows_attr(self) -> str:
        return "expense_lines" if self._doc().is_expense else "lines"

    def edit_cell(self, row: int, field: str, value: object) -> None:
        attr = self._rows_attr()

        def mutate(d: Document) -> None:
            line = getattr(d, attr)[row]
            if field == "vat_rate" and attr == "lines":
                if not isinstance(value, tuple):  # the lines model sends (VAT category, rate)
                    raise TypeError(f"a VAT choice is a (category, rate) pair, not {value!r}")
                line.vat_category, line.vat_rate = value
            elif field == "category" and attr == "expense_lines":
                self._set_expense_category(d, line, str(value))
            else:
                setattr(line, field, value)

        self._edit(tr("Change line {n}", n=row + 1), mutate)

    def delete_line(self, row: int) -> None:
        attr = self._rows_attr()
        rows = getattr(self._doc(), attr)
        if 0 <= row < len(rows):
            self._edit(tr("Remove line {n}", n=row + 1), lambda d: getattr(d, attr).pop(row))
            rows = getattr(self._doc(), attr)
            if rows:
                self.view.setCurrentIndex(self.model().index(min(row, len(rows) - 1), 0))

    def move_line(self, row: int, target: int) -> None:
        attr = self._rows_attr()
        count = len(getattr(self._doc(), attr))
        if not (0 <= row < count and 0 <= target < count) or row == target:
            return
        column = max(0, self.view.currentIndex().column())
        self._edit(
            tr("Move line {n}", n=row + 1),
            lambda d: getattr(d, attr).insert(target, getattr(d, attr).pop(row)),
        )
        self.view.setCurrentIndex(self.model().index(target, column))

    def _set_expense_category(self, doc: Document, line: ExpenseLine, code: str) -> None:
        """Set a category; its usual VAT rate follows unless the member chose the rate or typed the VAT."""
        country = entity_for(doc.entity).country
        previous = find_category(line.category, self.expense_model.categories) if line.category else None
        chosen = find_category(code, self.expense_model.categories) if code else None
        untouched = {standard_rate(country, line.date), previous.vat_rate_for(country) if previous else None}
        suggested = chosen.vat_rate_for(country) if chosen else None
        line.category = code
        if suggested is not None and line.vat_amount_override is None and line.vat_rate in untouched:
            line.vat_rate = suggested

    def vat_choices(self, row: int) -> list[tuple[str, str]]:
        """The VAT a line may have: the issuer's rates on the issue date, or a zero-rate category the
        client allows (abroad, a business...)."""
        doc = self._doc()
        issuer = entity_for(doc.entity).country
        client = self._client()
        cats = allowed_categories(
            issuer, client.country if client else issuer, client.is_business if client else True
        )
        out: list[tuple[str, str]] = []
        for cat in cats:
            if cat is VatCategory.STANDARD:
                out += [
                    (vat_choice_key(cat, r), vat_choice_label(cat, r))
                    for r in rates_for(issuer, doc.issue_date)
                ]
            else:
                out.append((vat_choice_key(cat, Decimal(0)), vat_choice_label(cat, Decimal(0))))
        return out


def unit_choices(_row: int) -> list[tuple[str, str]]:
    lang = ui.language() if ui.language() in ("fr", "nl", "en") else "en"
    return [(code, unit_label(lang, code)) for code in UNITS]
