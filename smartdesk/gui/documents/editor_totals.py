"""The document editor's live figures and problems: ``TotalsBox`` (the totals as the PDF prints them,
rebuilt on every change) and ``ProblemBoard`` (what is wrong with the document, each message next to
the field it names, in the lines table, or at the bottom). Both are given the document; neither edits
it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from smartdesk.domain.documents import Document
from smartdesk.domain.totals import compute_totals, expense_totals
from smartdesk.domain.vat import VatCategory
from smartdesk.errors import Problem
from smartdesk.gui import fmt
from smartdesk.gui.models.expenses import ExpenseLinesModel
from smartdesk.gui.models.lines import LinesModel, vat_choice_label
from smartdesk.gui.widgets.docs_labels import problem_label
from smartdesk.i18n import ui
from smartdesk.i18n.ui import _, tr


def total_rows(doc: Document) -> list[tuple[str, str, bool]]:
    """The totals of ``doc`` as (label, amount, bold) rows: an expense note's three totals, or a sales
    document's subtotal and allowances (when it has some), VAT per rate and the total to pay."""
    cur = doc.currency
    rows: list[tuple[str, str, bool]] = []
    if doc.is_expense:
        t = expense_totals(doc.expense_lines)
        return [
            (_("Total excl. VAT"), fmt.money(t.total_excl, cur), False),
            (_("VAT"), fmt.money(t.total_vat, cur), False),
            (_("Total incl. VAT"), fmt.money(t.total_incl, cur), True),
        ]
    t2 = compute_totals(doc.lines, doc.allowances, doc.paid_amount)
    if t2.allowance_rows:  # the rows the total excl. VAT is made of, as the PDF prints them
        rows.append((_("Subtotal excl. VAT"), fmt.money(t2.line_total, cur), False))
        for ac, row in zip(doc.allowances, t2.allowance_rows, strict=True):
            label = (_("Charge") if ac.is_charge else _("Discount")) + (
                f" – {ac.reason}" if ac.reason else ""
            )
            rows.append((label, fmt.money(row.amount if row.is_charge else -row.amount, cur), False))
    rows.append((_("Total excl. VAT"), fmt.money(t2.tax_exclusive, cur), False))
    for b in t2.vat_breakdown:
        what = (
            fmt.percent(b.rate)
            if b.category is VatCategory.STANDARD
            else vat_choice_label(b.category, b.rate)
        )
        rows.append(
            (
                tr("VAT {rate} on {base}", rate=what, base=fmt.money(b.taxable, cur)),
                fmt.money(b.tax, cur),
                False,
            )
        )
    rows.append((_("Total incl. VAT"), fmt.money(t2.tax_inclusive, cur), True))
    return rows


class TotalsBox(QFrame):
    """The totals under the lines; the total to pay in bold (object name ``total_incl``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(0, 1)
        self._total_label: QLabel | None = None

    def show_for(self, doc: Document) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            shown = item.widget() if item else None
            if shown:
                shown.hide()
                shown.deleteLater()
        for r, (label, value, bold) in enumerate(total_rows(doc)):
            a, b_ = QLabel(label), QLabel(value)
            b_.setAlignment(Qt.AlignmentFlag.AlignRight)
            b_.setObjectName("total_incl" if bold else f"total_{r}")
            if bold:
                self._total_label = b_
                a.setStyleSheet("font-weight: 600;")
                b_.setStyleSheet("font-weight: 600;")
            self.grid.addWidget(a, r, 0)
            self.grid.addWidget(b_, r, 1)

    @property
    def total_incl_text(self) -> str:
        return self._total_label.text() if self._total_label is not None else ""


class ProblemBoard:
    """Where the document's problems are shown: ``labels`` maps a field (``client_id``, ``title``...) to
    the red label under it; a line's problem goes to the lines model (its cell turns red) and to
    ``line_problems``; the rest to ``other_problems``. A client's VAT number is shown under the client."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.line_problems = problem_label()
        self.other_problems = problem_label()
        self.current: list[Problem] = []

    def show(self, problems: list[Problem], model: LinesModel | ExpenseLinesModel) -> None:
        by_field: dict[str, list[str]] = {}
        line_msgs: dict[tuple[int, str], str] = {}
        others: list[str] = []
        for p in problems:
            text = ui.problem_text(p)
            if p.field.startswith(("lines[", "expense_lines[")):
                row = int(p.field[p.field.index("[") + 1 : p.field.index("]")])
                attr = p.field.split(".", 1)[1] if "." in p.field else ""
                line_msgs[(row, attr)] = text
            elif p.field in self.labels:
                by_field.setdefault(p.field, []).append(text)
            else:
                others.append(text)
        for f, label in self.labels.items():
            msgs = by_field.get(f, [])
            if f == "client_id":
                msgs = msgs + by_field.get("client.vat_number", [])
            if f == "client.vat_number":
                continue
            label.setText("\n".join(msgs))
            label.setVisible(bool(msgs))
        model.problems = line_msgs
        self.line_problems.setText("\n".join(line_msgs[k] for k in sorted(line_msgs)))
        self.line_problems.setVisible(bool(line_msgs))
        self.other_problems.setText("\n".join(others))
        self.other_problems.setVisible(bool(others))
        self.current = problems
