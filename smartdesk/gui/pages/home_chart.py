"""The home page's chart: invoiced and paid per month, drawn with QPainter.

QtCharts would add its module (and QtOpenGL) to the bundle for two bars a month; a painter is
enough, works offscreen and adds nothing (docs/decisions/0024-business-view.md). The widget draws
what it is given; the figures come from ``services.home``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from smartdesk.gui import fmt
from smartdesk.i18n.ui import _, tr

_CENTS = re.compile(r"[.,]00(?=\D*$)")  # the decimals at the end (before a trailing currency sign)
INVOICED = QColor("#3b6fb6")
PAID = QColor("#3c9a5f")


@dataclass(frozen=True)
class ChartMonth:
    label: str  # short month name
    invoiced: Decimal
    paid: Decimal


def nice_step(top: Decimal) -> Decimal:
    """A round step for about four grid lines up to ``top`` (1, 2 or 5 times a power of ten, whole)."""
    if top <= 0:
        return Decimal(1)
    raw = top / 4
    power = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 5):
        if raw <= factor * power:
            return Decimal(factor * power)
    return Decimal(10 * power)


def whole_money(amount: Decimal) -> str:
    """A round amount of the grid without its cents: "€300,000", "€ 300.000", "300 000 €"."""
    return _CENTS.sub("", fmt.money(amount), count=1)


class RevenueChart(QWidget):
    """Two bars a month (invoiced, paid), a grid with round amounts, the month names below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._months: list[ChartMonth] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("Invoiced and paid per month"))

    def sizeHint(self) -> QSize:
        return QSize(640, 260)

    def set_months(self, months: Sequence[ChartMonth]) -> None:
        self._months = list(months)
        self.setToolTip(
            "\n".join(
                tr(
                    "{month}: invoiced {invoiced} · paid {paid}",
                    month=m.label,
                    invoiced=fmt.money(m.invoiced),
                    paid=fmt.money(m.paid),
                )
                for m in self._months
            )
        )
        self.update()

    @property
    def months(self) -> list[ChartMonth]:
        return list(self._months)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = p.fontMetrics()
        line_h = metrics.height()
        top_value = max([Decimal(0)] + [max(m.invoiced, m.paid) for m in self._months])
        step = nice_step(top_value)
        lines = int(top_value / step) + 1 if top_value > 0 else 4
        scale_top = step * lines
        labels = [whole_money(step * i) for i in range(lines + 1)]
        left = max(metrics.horizontalAdvance(t) for t in labels) + 10
        legend_h = line_h + 8
        plot = QRectF(left, legend_h + 4, self.width() - left - 8, self.height() - legend_h - line_h - 14)
        text_color = self.palette().text().color()
        grid = QColor(text_color)
        grid.setAlpha(40)
        # legend
        x = float(left)
        for color, text in ((INVOICED, _("Invoiced")), (PAID, _("Paid"))):
            p.fillRect(QRectF(x, 4, 12, 12), color)
            p.setPen(text_color)
            p.drawText(QRectF(x + 16, 0, 300, line_h + 4), Qt.AlignmentFlag.AlignVCenter, text)
            x += 16 + metrics.horizontalAdvance(text) + 18
        # grid and amounts
        for i in range(lines + 1):
            y = plot.bottom() - plot.height() * i / lines
            p.setPen(QPen(grid, 1))
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(text_color)
            p.drawText(
                QRectF(0, y - line_h / 2, left - 6, line_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                labels[i],
            )
        if not self._months:
            p.end()
            return
        slot = plot.width() / len(self._months)
        bar = max(2.0, min(slot * 0.32, 26.0))
        for i, m in enumerate(self._months):
            cx = plot.left() + slot * (i + 0.5)
            for offset, value, color in ((-bar, m.invoiced, INVOICED), (0.0, m.paid, PAID)):
                h = float(plot.height()) * float(max(value, Decimal(0)) / scale_top) if scale_top else 0.0
                p.fillRect(QRectF(cx + offset, plot.bottom() - h, bar, h), color)
            p.setPen(text_color)
            p.drawText(
                QRectF(cx - slot / 2, plot.bottom() + 4, slot, line_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                m.label,
            )
        p.end()
