"""Taking a receipt with the camera. The camera is used through ``smartdesk.receipts.FrameSource``;
``QtCameraSource`` implements it with QtMultimedia (imported only when used), tests feed
``GeneratedFrameSource`` through the same dialog."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from smartdesk.i18n.ui import _, tr
from smartdesk.receipts import FrameSource

# --- the camera ------------------------------------------------------------------------------------------


def camera_available() -> bool:
    """Whether QtMultimedia works here and sees at least one camera."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:  # QtMultimedia or its system libraries are missing
        return False
    return bool(QMediaDevices.videoInputs())


class QtCameraSource(QObject):
    """The laptop camera as a ``FrameSource``: QCamera + QMediaCaptureSession + QImageCapture."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QVideoSink

        self._camera = QCamera(self)
        self._session = QMediaCaptureSession(self)
        self._capture = QImageCapture(self)
        self._sink = QVideoSink(self)
        self._session.setCamera(self._camera)
        self._session.setImageCapture(self._capture)
        self._session.setVideoSink(self._sink)
        self._latest = QImage()
        self._sink.videoFrameChanged.connect(self._frame)
        self._camera.start()
        self.closed = False

    def _frame(self, frame: Any) -> None:
        image = frame.toImage()
        if not image.isNull():
            self._latest = image

    @staticmethod
    def _jpeg(image: QImage, quality: int = 85) -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", quality)  # type: ignore[call-overload]  # the stubs say bytes; PySide6 takes str only
        return bytes(buffer.data().data())

    def frames(self) -> Iterator[bytes]:
        while not self.closed:
            image = self._latest
            yield (
                self._jpeg(
                    image.scaled(
                        960,
                        720,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    ),
                    75,
                )
                if not image.isNull()
                else b""
            )

    def capture(self) -> bytes:
        """A full-resolution still; waits for the camera without freezing the window."""
        from PySide6.QtCore import QEventLoop

        full: list[QImage] = []
        preview: list[QImage] = []
        loop = QEventLoop()

        def available(_id: int, frame: Any) -> None:  # the full-resolution frame
            full.append(frame.toImage())
            loop.quit()

        def captured(_id: int, image: QImage) -> None:  # a preview, kept in case no frame follows
            preview.append(image)
            QTimer.singleShot(1500, loop.quit)

        self._capture.imageAvailable.connect(available)
        self._capture.imageCaptured.connect(captured)
        self._capture.errorOccurred.connect(loop.quit)
        if self._capture.isReadyForCapture():
            self._capture.capture()
            QTimer.singleShot(5000, loop.quit)
            loop.exec()
        self._capture.imageAvailable.disconnect(available)
        self._capture.imageCaptured.disconnect(captured)
        self._capture.errorOccurred.disconnect(loop.quit)
        candidates = [im for im in (*full, *preview, self._latest) if not im.isNull()]
        image = candidates[0] if candidates else QImage()
        if image.isNull():
            raise RuntimeError("the camera gave no picture")
        return self._jpeg(image, 92)

    def close(self) -> None:
        self.closed = True
        self._camera.stop()


class CameraDialog(QDialog):
    """Live view, capture, retake, use: consumes any ``FrameSource``."""

    def __init__(
        self, source: FrameSource, parent: QWidget | None = None, fps: int = 15, no_picture_after: float = 5.0
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.photo = b""
        self.frames_shown = 0
        self._ticks = 0
        # ticks without any picture before saying so (``no_picture_after`` seconds at ``fps``; tests shorten it)
        self._patience = max(1, round(no_picture_after * fps))
        self._frames = iter(source.frames())
        self.setWindowTitle(_("Take a photo of the receipt"))
        layout = QVBoxLayout(self)
        self.view = QLabel()
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setMinimumSize(640, 480)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view.setStyleSheet("background: #2b2d31; color: #ddd;")
        self.view.setText(_("Starting the camera…"))
        layout.addWidget(self.view, 1)
        self.hint = QLabel(_("Lay the receipt flat in good light and fill the picture with it."))
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.retake_button = QPushButton(_("Take another"))
        self.retake_button.clicked.connect(self.retake)
        self.capture_button = QPushButton(_("Take the photo"))
        self.capture_button.setToolTip(_("Space"))
        self.capture_button.clicked.connect(self.capture)
        self.use_button = QPushButton(_("Use this photo"))
        self.use_button.clicked.connect(self.use_photo)
        for b in (self.cancel_button, self.retake_button, self.capture_button, self.use_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self._space)
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, 1000 // fps))
        self.timer.timeout.connect(self.next_frame)
        self._show_live(True)
        self.timer.start()

    def _show_live(self, live: bool) -> None:
        self.capture_button.setVisible(live)
        self.retake_button.setVisible(not live)
        self.use_button.setVisible(not live)
        (self.capture_button if live else self.use_button).setDefault(True)
        self.hint.setText(
            _("Lay the receipt flat in good light and fill the picture with it.")
            if live
            else _("Is the text sharp and readable? Use this photo, or take another.")
        )

    def _display(self, data: bytes) -> bool:
        image = QImage.fromData(data)
        if image.isNull():
            return False
        self.view.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.view.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        return True

    def next_frame(self) -> None:
        try:
            data = next(self._frames)
        except StopIteration:
            self.timer.stop()
            return
        if data and self._display(data):
            self.frames_shown += 1
            return
        self._ticks += 1
        if not self.frames_shown and self._ticks == self._patience:
            self.view.setText(
                _(
                    "The camera shows no picture. Close other programs that may be using it, "
                    "or add a photo or a PDF of the receipt instead."
                )
            )

    def capture(self) -> None:
        self.timer.stop()
        try:
            self.photo = self.source.capture()
        except Exception as exc:  # noqa: BLE001 - a camera that fails must not take the editor down
            self.photo = b""
            self.hint.setText(tr("The camera did not take the photo ({reason}). Try again.", reason=exc))
            self.timer.start()
            return
        self._display(self.photo)
        self._show_live(False)

    def retake(self) -> None:
        self.photo = b""
        self._show_live(True)
        self.timer.start()

    def use_photo(self) -> None:
        if self.photo:
            self.accept()

    def _space(self) -> None:
        if self.capture_button.isVisible():
            self.capture()

    def done(self, result: int) -> None:
        self.timer.stop()
        close = getattr(self.source, "close", None)
        if callable(close):
            close()
        super().done(result)
