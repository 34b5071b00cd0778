"""Regenerate the application icons from the SVG source ``packaging/smartdesk.svg``.

Writes ``resources/icons/smartdesk.svg`` and ``smartdesk-<size>.png`` (16..512, used at run time and by
the Linux desktop integration), ``packaging/smartdesk.ico`` (Windows) and ``packaging/smartdesk.icns``
(macOS). The outputs are committed; run this only after changing the SVG::

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

This is a build-time script (not part of the ``smartdesk`` package), so it may use Qt's SVG renderer.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "packaging" / "smartdesk.svg"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts/painting need it
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG file.")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image

    ICONS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, ICONS / "smartdesk.svg")
    images: dict[int, Image.Image] = {}
    for size in SIZES:
        png = render_png(size)
        image = Image.open(io.BytesIO(png)).convert("RGBA")
        image.load()
        images[size] = image
        image.save(ICONS / f"smartdesk-{size}.png", optimize=True)  # Pillow writes no timestamp chunk
    images[256].save(
        ROOT / "packaging" / "smartdesk.ico",
        sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)],
        append_images=[images[s] for s in (16, 24, 32, 48, 64, 128)],
    )
    big = Image.open(io.BytesIO(render_png(1024))).convert("RGBA")  # macOS 512@2x, not shipped as PNG
    big.save(
        ROOT / "packaging" / "smartdesk.icns", append_images=[images[s] for s in (16, 32, 64, 128, 256, 512)]
    )
    print(f"icons written to {ICONS} and {ROOT / 'packaging'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
