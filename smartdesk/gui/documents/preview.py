"""The live PDF preview beside the editor.

The document is rendered by ``Workspace.pdf.render`` (reportlab) and rasterised with pypdfium2 on a worker
thread (``documents/raster.py``); the GUI thread only swaps finished images in. Edits are debounced briefly
and coalesced: at most one render runs and at most one more waits, always for the latest state of the
document; a result that is older than what is on screen, or that belongs to another document, is dropped.

Export, print and open in a viewer are in ``documents/pdf_actions.py``.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import Document
from smartdesk.errors import SmartDeskError
from smartdesk.gui.documents import pdf_actions
from smartdesk.gui.documents.pdf_actions import plain_error
from smartdesk.gui.documents.raster import SCREEN_DPI, Rendered, rasterise_planned
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.widgets.docs_labels import note_label
from smartdesk.i18n.ui import N_, _, tr
from smartdesk.pdf import available_themes
from smartdesk.services import Workspace

DEBOUNCE_MS = (
    0  # quiet time after an edit; 0: the next turn of the event loop (a paste or key repeat is one render)
)


MAX_WAIT_MS = 250  # while the member keeps typing, refresh at least this often


BUSY_DELAY_MS = 150  # show "Updating…" only when a refresh takes longer than this


PAGE_GAP = 14


ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)


THEME_NAMES = {"classic": N_("Classic"), "modern": N_("Modern"), "compact": N_("Compact")}


class Zoom(Enum):
    FIT_WIDTH = "fit_width"
    FIT_PAGE = "fit_page"
    FIXED = "fixed"


class PageView(QScrollArea):
    """The pages one below the other; PgUp/PgDn go page by page, Ctrl+wheel zooms."""

    page_step = Signal(int)  # -1 / +1 / -1000 (first) / +1000 (last)
    zoom_step = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_PageDown: 1, Qt.Key.Key_PageUp: -1, Qt.Key.Key_Home: -1000, Qt.Key.Key_End: 1000}
        if event.key() in steps and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.page_step.emit(steps[Qt.Key(event.key())])
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() in (
            Qt.Key.Key_Plus,
            Qt.Key.Key_Equal,
            Qt.Key.Key_Minus,
        ):
            self.zoom_step.emit(-1 if event.key() == Qt.Key.Key_Minus else 1)
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_step.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)


class PreviewPane(QWidget):
    """Shows ``doc_provider()`` as the client will see it, refreshed shortly after each change."""

    updated = Signal(int)  # a new image is on screen (generation)
    message = Signal(str)  # a short confirmation for the status bar
    failed = Signal(str)  # an action (export, print, open) failed, in plain words

    def __init__(
        self,
        ws: Workspace,
        tasks: TaskManager,
        doc_provider: Callable[[], Document],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.doc_provider = doc_provider
        self.qsettings: QSettings | None = None  # the window's settings; found through the window if unset
        self.debounce_ms = DEBOUNCE_MS
        self.zoom_mode = Zoom.FIT_WIDTH
        self.zoom_factor = 1.0
        self.current_page = 0
        self.pages: list[QImage] = []
        self.page_scales: list[float] = []
        self.page_sizes: tuple[tuple[float, float], ...] = ()
        self.pdf = b""
        self.error = ""
        self.generation = 0  # increases with every change asked for
        self.shown_generation = 0
        self._shown_doc = ""
        self._asked_language = ""
        self._asked_doc = ""
        self._scale = 0.0  # of the last job started
        self._shown_scale = 0.0  # of the pages on screen
        self._job_renders = False
        self._need_render = False
        self._need_raster = False
        self._in_flight = False
        self._dirty_since = 0.0
        self._edit_started = 0.0
        self.renders_started = 0  # documents rendered (not counting zoom changes)
        self.dropped = 0  # results thrown away because a newer state or another document was on screen
        self.last_latency_ms = 0.0  # from the edit to the new image on screen
        self.last_opened: Path | None = None
        self._printer: QPrinter | None = None
        try:
            self.theme = str(ws.settings.pdf_theme)
        except (KeyError, SmartDeskError):
            self.theme = "classic"
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.timeout.connect(lambda: self.busy_label.setVisible(self._in_flight))

    # --- layout ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # as narrow as its controls allow (measured in the language shown), never narrower: they do not squeeze

        head = QHBoxLayout()
        head.setContentsMargins(8, 6, 8, 2)
        title = QLabel("<b>" + _("Preview") + "</b>")
        title.setToolTip(_("The document exactly as your client will see it, updated as you type"))
        self.busy_label = QLabel(_("Updating…"))
        self.busy_label.setObjectName("preview_busy")
        self.busy_label.setStyleSheet("QLabel#preview_busy { color: palette(mid); font-size: 8pt; }")
        keep = self.busy_label.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.busy_label.setSizePolicy(keep)
        self.busy_label.hide()
        self.theme_caption = QLabel(_("Layout"))
        self.theme_combo = QComboBox()
        self.theme_combo.setToolTip(_("The layout of all your documents"))
        for name in available_themes():
            self.theme_combo.addItem(_(THEME_NAMES[name]) if name in THEME_NAMES else name.title(), name)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(self.theme)))
        self.theme_combo.activated.connect(lambda _i: self.set_theme(str(self.theme_combo.currentData())))
        head.addWidget(title)
        head.addSpacing(8)
        head.addWidget(self.busy_label)
        head.addStretch(1)
        head.addWidget(self.theme_caption)
        head.addSpacing(4)
        head.addWidget(self.theme_combo)
        outer.addLayout(head)

        nav = QHBoxLayout()
        nav.setContentsMargins(8, 2, 8, 6)
        nav.setSpacing(4)
        self.prev_button = self._tool_button(
            "◀", _("Previous page (Page Up)"), lambda: self.go_to_page(self.current_page - 1)
        )
        self.next_button = self._tool_button(
            "▶", _("Next page (Page Down)"), lambda: self.go_to_page(self.current_page + 1)
        )
        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # room for "Page 88 / 88" from the start: the label never squeezes while pages come and go
        self.page_label.setMinimumWidth(
            self.page_label.fontMetrics().horizontalAdvance(tr("Page {page} / {pages}", page=88, pages=88))
            + 6
        )
        self.zoom_out_button = self._tool_button("−", _("Zoom out (Ctrl+wheel)"), lambda: self.zoom_step(-1))
        self.zoom_in_button = self._tool_button("+", _("Zoom in (Ctrl+wheel)"), lambda: self.zoom_step(1))
        self.zoom_combo = QComboBox()
        self.zoom_combo.setToolTip(_("Zoom"))
        self.zoom_combo.addItem(_("Fit width"), Zoom.FIT_WIDTH.value)
        self.zoom_combo.addItem(_("Fit page"), Zoom.FIT_PAGE.value)
        for factor in (0.5, 0.75, 1.0, 1.25, 1.5, 2.0):
            self.zoom_combo.addItem(f"{round(factor * 100)} %", factor)
        self.zoom_combo.activated.connect(self._zoom_chosen)
        # as wide as its longest choice ("Pleine largeur"), measured again when the language changes
        self.zoom_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.theme_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.theme_combo.setMinimumContentsLength(7)
        for w in (self.prev_button, self.page_label, self.next_button):
            nav.addWidget(w)
        nav.addStretch(1)
        for zoom_widget in (self.zoom_out_button, self.zoom_combo, self.zoom_in_button):
            nav.addWidget(zoom_widget)
        outer.addLayout(nav)

        self.error_label = note_label(
            "preview_error",
            "background: rgba(192,57,43,0.10); color: #a93226; border: 1px solid rgba(192,57,43,0.45);"
            " border-radius: 4px; padding: 6px; margin: 0 8px 6px 8px;",
        )
        outer.addWidget(self.error_label)

        self.view = PageView()
        self.view.setObjectName("preview_pages")
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setWidgetResizable(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setStyleSheet("QScrollArea#preview_pages, QWidget#preview_canvas { background: #8a8f94; }")
        self.view.page_step.connect(self._page_step)
        self.view.zoom_step.connect(self.zoom_step)
        self.view.verticalScrollBar().valueChanged.connect(lambda _v: self._track_page())
        self.canvas = QWidget()
        self.canvas.setObjectName("preview_canvas")
        self.canvas_layout = QVBoxLayout(self.canvas)
        self.canvas_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.canvas_layout.setSpacing(PAGE_GAP)
        self.canvas_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.placeholder = QLabel(_("Preparing the preview…"))
        self.placeholder.setStyleSheet("color: white;")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.canvas_layout.addWidget(self.placeholder)
        self.page_labels: list[QLabel] = []
        self.view.setWidget(self.canvas)
        outer.addWidget(self.view, 1)
        self._update_nav()

    def _tool_button(self, text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setMinimumWidth(26)
        button.clicked.connect(slot)
        return button

    # --- scheduling --------------------------------------------------------------------------------------
    def schedule(self, immediate: bool = False) -> None:
        """The document changed: render it again soon (at once for a language or document switch)."""
        doc = self.doc_provider()
        if doc.language != self._asked_language or doc.id != self._asked_doc:
            immediate = True
        self._asked_language, self._asked_doc = doc.language, doc.id
        self.generation += 1
        self._need_render = True
        now = time.perf_counter()
        if not self._timer.isActive():
            self._dirty_since = now
            self._edit_started = now
        if immediate:
            self._timer.start(0)
        elif not self._timer.isActive() or (now - self._dirty_since) * 1000 < MAX_WAIT_MS:
            self._timer.start(self.debounce_ms)  # restarted by each keystroke, up to MAX_WAIT_MS

    def _schedule_raster(self) -> None:
        if self.pdf and not self._need_render:
            self._need_raster = True
            self._timer.start(30)

    def _target_scale(self) -> float:
        dpr = self.devicePixelRatioF() or 1.0
        sizes = self.page_sizes or ((595.28, 841.89),)
        width = max(w for w, _h in sizes)
        height = max(h for _w, h in sizes)
        # from the scroll area's own size, not its viewport's: a scroll bar coming or going must not change the
        # scale (which could make it come and go for ever)
        frame = 2 * self.view.frameWidth()
        bar = self.view.verticalScrollBar().sizeHint().width()
        room_w = max(80, self.view.width() - frame - 2 * PAGE_GAP - bar - 2)
        room_h = max(80, self.view.height() - frame - 2 * PAGE_GAP - 2)
        if self.zoom_mode is Zoom.FIT_WIDTH:
            points = room_w / width
        elif self.zoom_mode is Zoom.FIT_PAGE:
            points = min(room_w / width, room_h / height)
        else:
            points = self.zoom_factor * SCREEN_DPI / 72.0
        return max(0.1, points) * dpr

    @property
    def effective_zoom(self) -> float:
        """The zoom on screen, 1.0 = 100 %."""
        return self._target_scale() / (self.devicePixelRatioF() or 1.0) / (SCREEN_DPI / 72.0)

    def _start(self) -> None:
        if self._in_flight:
            return  # picked up when the running render comes back
        if not self.isVisible():
            return  # rendered when shown
        scale = self._target_scale()
        self._scale = scale
        started = self._edit_started or time.perf_counter()
        self._edit_started = 0.0
        around = self.current_page
        self._job_renders = self._need_render
        if self._need_render:
            self._need_render = self._need_raster = False
            snapshot = copy.deepcopy(self.doc_provider())
            generation, doc_id, language, fresh = self.generation, snapshot.id, snapshot.language, True
            theme, ws = self.theme, self.ws
            self.renders_started += 1

            def make_pdf() -> bytes:
                return ws.pdf.render(snapshot, theme=theme)

        elif self._need_raster and self.pdf:  # the last PDF drawn again at another zoom
            self._need_raster = False
            shown, generation, fresh = self.pdf, self.shown_generation, False
            doc_id, language, theme = self._shown_doc, self._asked_language, self.theme

            def make_pdf() -> bytes:
                return shown

        else:
            return

        def job() -> Rendered:
            pdf = make_pdf()
            sizes, images, scales = rasterise_planned(pdf, scale, around)
            return Rendered(
                generation,
                doc_id,
                language,
                theme,
                pdf,
                sizes,
                tuple(images),
                scale,
                tuple(scales),
                started,
                fresh=fresh,
            )

        self._in_flight = True
        self._busy_timer.start(BUSY_DELAY_MS)
        self.tasks.run(job, self._on_rendered, self._on_failed)

    def _finish_job(self) -> None:
        self._in_flight = False
        if self._need_render or self._need_raster:
            if not self._timer.isActive():
                self._start()
        else:
            self._busy_timer.stop()
            self.busy_label.hide()

    def _on_rendered(self, result: object) -> None:
        assert isinstance(result, Rendered)
        stale = result.doc_id != self.doc_provider().id or result.generation < self.shown_generation
        if not stale:
            if result.fresh:
                self.error = ""
                self.error_label.hide()
            self.pdf = result.pdf
            self.page_sizes = result.sizes
            self.shown_generation = result.generation
            self._shown_scale = result.scale
            self._shown_doc = result.doc_id
            self._show_images(list(result.images), result.scale, list(result.page_scales))
            self.last_latency_ms = (time.perf_counter() - result.started) * 1000
            if (
                abs(self._target_scale() - result.scale) > 0.01 or not self.is_sharp(self.current_page)
            ) and not self._need_render:
                # the first page size was a guess, the pane was resized, or the member moved to a coarse page
                self._need_raster = True
        else:
            self.dropped += 1
        self._finish_job()
        if not stale:
            self.updated.emit(result.generation)

    def is_settled(self) -> bool:
        """Nothing waiting or running: the latest state of the document is on screen (or its error)."""
        return not (self._timer.isActive() or self._in_flight or self._need_render or self._need_raster)

    def _on_failed(self, exc: BaseException) -> None:
        self.error = plain_error(exc)
        self.error_label.setText(tr("The preview could not be updated: {reason}", reason=self.error))
        self.error_label.show()
        self.placeholder.setText(_("No preview yet."))
        if (
            self._job_renders
            and self.pdf
            and not self._need_render
            and (abs(self._target_scale() - self._shown_scale) > 0.01 or not self.is_sharp(self.current_page))
        ):
            self._need_raster = True  # a zoom asked for meanwhile still applies to the pages on screen
        self._finish_job()

    # --- showing pages -----------------------------------------------------------------------------------
    def _show_images(self, images: list[QImage], scale: float, page_scales: list[float]) -> None:
        self.pages = images
        self.page_scales = page_scales
        self.placeholder.setVisible(not images)
        dpr = self.devicePixelRatioF() or 1.0
        while len(self.page_labels) < len(images):
            label = QLabel()
            label.setObjectName("preview_page")
            label.setStyleSheet("QLabel#preview_page { background: white; border: 1px solid #5f6468; }")
            label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            label.setScaledContents(True)  # a coarse page fills its place until it is drawn sharp
            self.canvas_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        for i, label in enumerate(self.page_labels):
            if i < len(images):
                pixmap = QPixmap.fromImage(images[i])
                pixmap.setDevicePixelRatio(dpr)
                label.setPixmap(pixmap)
                if i < len(page_scales) and page_scales[i] < scale * 0.99 and i < len(self.page_sizes):
                    width, height = self.page_sizes[i]  # coarse: stretched to the place of the sharp page
                    label.setFixedSize(round(width * scale / dpr) + 2, round(height * scale / dpr) + 2)
                else:  # sharp: pixel for pixel (any stretching, even by one pixel, would blur it)
                    label.setFixedSize(
                        round(images[i].width() / dpr) + 2, round(images[i].height() / dpr) + 2
                    )
                label.show()
            else:
                label.hide()
        self.current_page = min(self.current_page, max(0, len(images) - 1))
        self._update_nav()

    @property
    def shown_scale(self) -> float:
        """Device pixels per PDF point of the pages on screen."""
        return self._shown_scale

    def is_sharp(self, index: int) -> bool:
        return 0 <= index < len(self.page_scales) and self.page_scales[index] >= self._shown_scale * 0.99

    def _sharpen_current(self) -> None:
        """The page being read was drawn coarse (long document, high zoom): draw the pages around it sharp."""
        if self.pages and not self.is_sharp(self.current_page):
            self._schedule_raster()

    def page_offset(self, index: int) -> int:
        if not 0 <= index < len(self.page_labels):
            return 0
        return self.page_labels[index].y() - PAGE_GAP

    def go_to_page(self, index: int) -> None:
        if not self.pages:
            return
        index = min(max(index, 0), len(self.pages) - 1)
        self.current_page = index
        layout = self.canvas.layout()
        if layout is not None:
            layout.activate()
        self.view.verticalScrollBar().setValue(self.page_offset(index))
        self.current_page = index  # the scroll may have set a neighbour when the last page is short
        self._update_nav()
        self._sharpen_current()

    def _page_step(self, step: int) -> None:
        self.go_to_page(
            self.current_page + step if abs(step) == 1 else (0 if step < 0 else len(self.pages) - 1)
        )

    def _track_page(self) -> None:
        if not self.pages:
            return
        top = self.view.verticalScrollBar().value() + self.view.viewport().height() // 3
        index = 0
        for i in range(len(self.pages)):
            if self.page_labels[i].y() <= top:
                index = i
        if self.view.verticalScrollBar().value() >= self.view.verticalScrollBar().maximum() > 0:
            index = max(index, self.current_page)
        if index != self.current_page:
            self.current_page = index
            self._update_nav()
            self._sharpen_current()

    def _update_nav(self) -> None:
        count = len(self.pages)
        self.page_label.setText(
            tr("Page {page} / {pages}", page=self.current_page + 1, pages=count) if count else ""
        )
        self.prev_button.setEnabled(self.current_page > 0)
        self.next_button.setEnabled(self.current_page < count - 1)

    # --- zoom --------------------------------------------------------------------------------------------
    def _zoom_chosen(self, index: int) -> None:
        data = self.zoom_combo.itemData(index)
        if data in (Zoom.FIT_WIDTH.value, Zoom.FIT_PAGE.value):
            self.set_zoom(Zoom(data))
        else:
            self.set_zoom(Zoom.FIXED, float(data))

    def set_zoom(self, mode: Zoom, factor: float | None = None) -> None:
        self.zoom_mode = mode
        if factor is not None:
            self.zoom_factor = min(max(factor, ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        if mode is Zoom.FIXED:
            found = self.zoom_combo.findData(self.zoom_factor)
            if found < 0:
                self.zoom_combo.setItemText(2, f"{round(self.zoom_factor * 100)} %")
                self.zoom_combo.setItemData(2, self.zoom_factor)
                found = 2
            self.zoom_combo.setCurrentIndex(found)
        else:
            self.zoom_combo.setCurrentIndex(self.zoom_combo.findData(mode.value))
        self.zoom_out_button.setEnabled(mode is not Zoom.FIXED or self.zoom_factor > ZOOM_STEPS[0])
        self.zoom_in_button.setEnabled(mode is not Zoom.FIXED or self.zoom_factor < ZOOM_STEPS[-1])
        self._schedule_raster()

    def zoom_step(self, direction: int) -> None:
        current = self.effective_zoom
        if direction > 0:
            bigger = [z for z in ZOOM_STEPS if z > current + 0.005]
            self.set_zoom(Zoom.FIXED, bigger[0] if bigger else ZOOM_STEPS[-1])
        else:
            smaller = [z for z in ZOOM_STEPS if z < current - 0.005]
            self.set_zoom(Zoom.FIXED, smaller[-1] if smaller else ZOOM_STEPS[0])

    # --- theme -------------------------------------------------------------------------------------------
    def set_theme(self, theme: str) -> None:
        """Another layout for every document: shown at once, kept for the next documents and exports."""
        if theme == self.theme:
            return
        self.theme = theme
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(theme)))
        ws = self.ws
        self.tasks.write(
            lambda: ws.settings.set("pdf_theme", theme), None, lambda exc: self.failed.emit(plain_error(exc))
        )
        self.schedule(immediate=True)

    # --- Qt events ---------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if (self._need_render or self._need_raster) and not self._timer.isActive():
            self._timer.start(0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if (
            self.zoom_mode is not Zoom.FIXED
            and self.pdf
            and abs(self._target_scale() - self._shown_scale) > 0.01
        ):
            self._schedule_raster()

    # --- PDF actions (documents/pdf_actions.py) ---------------------------------------------------------
    def _settings(self) -> QSettings:
        return pdf_actions.window_settings(self)

    def export_folder(self) -> str:
        return pdf_actions.export_folder(self)

    def suggested_path(self) -> str:
        return pdf_actions.suggested_path(self)

    def export_pdf(self, path: str | None = None) -> None:
        """Ctrl+E: save the document as a PDF; ``path`` skips the save dialog."""
        pdf_actions.export_pdf(self, path)

    def open_in_viewer(self, opener: Callable[[QUrl], bool] | None = None) -> None:
        pdf_actions.open_in_viewer(self, opener)

    def print_document(self, printer: QPrinter | None = None) -> None:
        """Ctrl+P: print; ``printer`` skips the dialog."""
        pdf_actions.print_document(self, printer)
