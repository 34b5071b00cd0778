"""The payment flag chip of a client (from the cooperative's follow-up of payments)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from smartdesk.i18n.ui import N_, _, tr

# --- what the cooperative tells about a client's payments and an activity's months ---------------------

# payment flag -> (words, colour): the chip always says it in words, the colour only repeats it
PAYMENT_FLAGS: dict[str, tuple[str, str]] = {
    "": (N_("No payment problem known"), "#1e9e57"),
    "late": (N_("Often pays late"), "#c98a00"),
    "bad": (N_("Serious payment problems"), "#c0392b"),
}


PAYMENT_FLAG_TIP = N_(
    "This comes from the cooperative, which follows how your clients pay their invoices. "
    "It changes with the next sync; you cannot change it here."
)


def payment_flag_words(flag: str) -> tuple[str, str]:
    """The payment flag in plain words (interface language) and its chip colour."""
    if flag in PAYMENT_FLAGS:
        words, colour = PAYMENT_FLAGS[flag]
        return _(words), colour
    return tr("Payment note from the cooperative: {flag}", flag=flag), "#8a8f98"


class FlagChip(QLabel):
    """A rounded, coloured chip with a dot and the words: never colour alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.flag = ""
        self.words = ""
        self.set_flag("")

    def set_flag(self, flag: str) -> None:
        words, colour = payment_flag_words(flag)
        tint = QColor(colour)
        tint.setAlpha(40)
        self.setText(f'<span style="color:{colour}">\u25cf</span>&nbsp;{words}')
        self.setStyleSheet(
            f"QLabel {{ border: 1px solid {colour}; border-radius: 11px; padding: 2px 10px; "
            f"background: rgba({tint.red()},{tint.green()},{tint.blue()},{tint.alpha()}); }}"
        )
        self.setToolTip(_(PAYMENT_FLAG_TIP))
        self.setAccessibleName(tr("How this client pays, according to the cooperative: {words}", words=words))
        self.flag = flag
        self.words = words
