"""Turning a PDF into page images (pdfium) for the preview and the printer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from smartdesk.errors import SmartDeskError
from smartdesk.i18n.ui import _
from smartdesk.receipts.pdf import PDFIUM_LOCK

SCREEN_DPI = 96.0  # 100 % zoom: an A4 page as large as on paper on a standard screen


PRINT_DPI_MAX = 300  # pages are rasterised for the printer at its resolution, up to this


PIXEL_BUDGET = 24_000_000  # device pixels of sharp pages kept (about 96 MB); the others are drawn coarse


COARSE_SCALE = 0.4  # pixels per point of the pages far from the one being read, until they are reached


@dataclass(frozen=True)
class Rendered:
    """What a worker hands back: the PDF, its page sizes (points) and the pages as images."""

    generation: int
    doc_id: str
    language: str
    theme: str
    pdf: bytes
    sizes: tuple[tuple[float, float], ...]
    images: tuple[QImage, ...]
    scale: float  # device pixels per PDF point, as shown on screen
    page_scales: tuple[float, ...]  # the scale each image was drawn at (coarser far from the current page)
    started: float  # time.perf_counter() when the edit was noticed (for the benchmark)
    fresh: bool = True  # rendered from the document (False: the last PDF drawn again at another zoom)


def pdf_page_sizes(pdf: bytes) -> tuple[tuple[float, float], ...]:
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            return tuple(document[i].get_size() for i in range(len(document)))
        finally:
            document.close()


def rasterise(pdf: bytes, scale: float, pages: range | None = None) -> list[QImage]:
    """The pages of ``pdf`` as images, ``scale`` pixels per point (thread-safe: pdfium runs under a lock)."""
    images: list[QImage] = []
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            for i in pages if pages is not None else range(len(document)):
                images.append(_draw(document, i, scale))
        finally:
            document.close()
    return images


def plan_scales(
    sizes: Sequence[tuple[float, float]], scale: float, around: int, budget: int = PIXEL_BUDGET
) -> list[float]:
    """The scale to draw each page at: all sharp when they fit in ``budget`` pixels, else the pages nearest
    to ``around`` sharp (at least that one) and the others coarse, so a long document at a high zoom does not
    take gigabytes."""
    cost = [w * h * scale * scale for w, h in sizes]
    if sum(cost) <= budget:
        return [scale] * len(sizes)
    coarse = min(scale, COARSE_SCALE)
    scales = [coarse] * len(sizes)
    used = 0.0
    for i in sorted(range(len(sizes)), key=lambda i: (abs(i - around), -i)):  # ties: the next page
        if used and used + cost[i] > budget:
            break
        scales[i] = scale
        used += cost[i]
    return scales


def rasterise_planned(
    pdf: bytes, scale: float, around: int = 0, budget: int = PIXEL_BUDGET
) -> tuple[tuple[tuple[float, float], ...], list[QImage], list[float]]:
    """Page sizes, images and the scale of each image (see ``plan_scales``)."""
    sizes = pdf_page_sizes(pdf)
    scales = plan_scales(sizes, scale, around, budget)
    images: list[QImage] = []
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            for i, page_scale in enumerate(scales):
                images.append(_draw(document, i, page_scale))
        finally:
            document.close()
    return sizes, images, scales


def _draw(document: pdfium.PdfDocument, index: int, scale: float) -> QImage:
    page = document[index]
    bitmap = page.render(scale=scale, may_draw_forms=False, prefer_bgrx=True)
    try:
        # pdfium draws BGRx, which is QImage's RGB32 in memory on little-endian machines
        raw = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, _bitmap_format(bitmap))
        return raw.copy()
    finally:
        bitmap.close()
        page.close()


def _bitmap_format(bitmap: pdfium.PdfBitmap) -> QImage.Format:
    mode = getattr(bitmap, "mode", "BGRX")
    if mode == "BGRA":
        return QImage.Format.Format_ARGB32
    if mode == "BGR":
        return QImage.Format.Format_BGR888
    if mode == "L":
        return QImage.Format.Format_Grayscale8
    return QImage.Format.Format_RGB32


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of ``pdf`` on ``printer`` (any thread: QPainter may paint a QPrinter off the GUI thread)."""
    sizes = pdf_page_sizes(pdf)
    dpi = min(printer.resolution(), PRINT_DPI_MAX)
    painter = QPainter()
    if not painter.begin(printer):
        raise SmartDeskError(_("The printer could not be used. Check that it is switched on and try again."))
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for i, (width, height) in enumerate(sizes):
            if i:
                printer.newPage()
            image = rasterise(pdf, dpi / 72.0, range(i, i + 1))[0]
            area = painter.viewport()
            fit = min(area.width() / width, area.height() / height)
            w, h = round(width * fit), round(height * fit)
            painter.setViewport(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2, w, h)
            painter.setWindow(0, 0, image.width(), image.height())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
            painter.setWindow(area)
    finally:
        painter.end()
    return len(sizes)
