"""A non-blocking notice in the window's corner for what the cooperative did; it never takes the focus."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.i18n.ui import _, tr


class Notice(QFrame):
    """A non-blocking notice in the top-right corner of the window; it never takes the focus."""

    open_requested = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window  # the window it sits in (parentWidget() is typed Optional)
        self.setObjectName("syncNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "QFrame#syncNotice { border: 1px solid palette(mid); border-left: 4px solid #2e7d32; "
            "border-radius: 4px; background: palette(base); }"
        )
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setObjectName("noticeText")
        self.open_button = QPushButton(_("Open"))
        self.open_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.open_button.clicked.connect(self._open)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(_("Close this notice"))
        self.close_button.setAccessibleName(_("Close this notice"))
        self.close_button.clicked.connect(self.hide)
        top = QHBoxLayout()
        top.addWidget(self.label, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addLayout(top)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self._doc_id = ""
        self._timer = QTimer(self, singleShot=True, interval=20_000)
        self._timer.timeout.connect(self.hide)
        window.installEventFilter(self)
        self.hide()

    def show_news(self, texts: list[tuple[str, str]]) -> None:
        if len(texts) == 1:
            self.label.setText(texts[0][0])
        else:
            shown = "".join(f"<li>{t}</li>" for t, _d in texts[:4])
            more = tr("…and {n} more on the Sync page.", n=len(texts) - 4) if len(texts) > 4 else ""
            self.label.setText(f"<ul style='margin:0; -qt-list-indent:1'>{shown}</ul>{more}")
        self._doc_id = texts[0][1] if len(texts) == 1 else ""
        self.open_button.setText(_("Open") if self._doc_id else _("See the Sync page"))
        width = self._width()
        self.setFixedWidth(width)
        layout = self._layout
        layout.activate()
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        self.setFixedHeight(max(height, layout.minimumSize().height()))
        self._place()
        self.show()
        self.raise_()
        self._timer.start()

    def _open(self) -> None:
        self.hide()
        self.open_requested.emit(self._doc_id)

    def _nav(self) -> QWidget | None:
        """The window's navigation column: the notice sits over its bottom, so it never covers the
        page's buttons, totals or lines (issue 16); None in a window without one."""
        nav = getattr(self._window, "nav", None)
        return nav if isinstance(nav, QWidget) and nav.isVisible() and nav.width() >= 160 else None

    def _width(self) -> int:
        nav = self._nav()
        if nav is not None:
            return nav.width() - 8
        return min(440, max(280, self._window.width() // 3))

    def _place(self) -> None:
        parent = self._window
        bottom = parent.height() - 12
        status = getattr(parent, "statusBar", None)
        if callable(status):
            bottom -= status().height()
        nav = self._nav()
        if nav is not None:
            if self.width() != self._width():
                self.setFixedWidth(self._width())
            left = nav.mapTo(parent, nav.rect().topLeft()).x() + 4
            self.move(left, bottom - self.height())
            return
        self.move(parent.width() - self.width() - 16, bottom - self.height())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
