"""Logos (PNG, JPEG, SVG) and receipts (JPEG, PNG, HEIC, or a PDF's first page) ready to draw."""

from __future__ import annotations

import copy
import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from smartdesk.errors import AttachmentError, Message

RECEIPT_MAX_PIXELS = 1800  # long side after downscaling (~200 dpi on an A4 page)
_LOGO_CACHE: OrderedDict[str, Logo] = OrderedDict()
_LOGO_CACHE_SIZE = 16
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Logo:
    """A logo ready to draw: a raster image or an SVG drawing, with its natural size in points."""

    width: float
    height: float
    image: ImageReader | None = None
    drawing: Any = None  # reportlab Drawing from svglib
    xobject: Any = None  # the image encoded once as a PDF image (FlateDecode + soft mask)


def sniff(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpeg"
    if head.startswith(b"<") and (b"<svg" in data[:4096]):
        return "svg"
    return "other"


def load_logo(data: bytes) -> Logo:
    """Decode a logo once per process (cached by content hash)."""
    key = hashlib.sha256(data).hexdigest()
    with _LOCK:
        cached = _LOGO_CACHE.get(key)
        if cached is not None:
            _LOGO_CACHE.move_to_end(key)
            return cached
    kind = sniff(data)
    if kind == "svg":
        logo = _load_svg(data)
    elif kind in ("png", "jpeg", "other"):
        try:
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                image = img.convert("RGBA") if img.mode in ("P", "LA", "RGBA", "PA") else img.convert("RGB")
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise AttachmentError(
                "The logo could not be read as a PNG, JPEG or SVG image. "
                "Choose another logo file in your brand settings."
            ) from exc
        reader = ImageReader(image)
        xobject = pdfdoc.PDFImageXObject("SmartDeskLogo" + key[:16], reader, mask="auto")
        xobject.name = "SmartDeskLogo" + key[:16]
        logo = Logo(width=float(image.width), height=float(image.height), image=reader, xobject=xobject)
    else:
        raise AttachmentError("The logo must be a PNG, JPEG or SVG image. Choose another logo file.")
    with _LOCK:  # renders may run on worker threads
        _LOGO_CACHE[key] = logo
        if len(_LOGO_CACHE) > _LOGO_CACHE_SIZE:
            _LOGO_CACHE.popitem(last=False)
    return logo


def draw_logo(canvas: Canvas, logo: Logo, x: float, y: float, w: float, h: float) -> None:
    """Draw a raster logo from its once-encoded image object (what ``Canvas.drawImage`` does, minus
    re-compressing the pixels for every document)."""
    template = logo.xobject
    doc = canvas._doc
    reg_name = doc.getXObjectName(template.name)
    if doc.idToObject.get(reg_name) is None:
        obj = copy.copy(template)
        canvas._setXObjects(obj)
        doc.Reference(obj, reg_name)
        doc.addForm(template.name, obj)
        smask = getattr(template, "_smask", None)
        if smask is not None:
            mask = copy.copy(smask)
            canvas._setXObjects(mask)
            obj.smask = doc.Reference(mask, doc.getXObjectName(smask.name))
            del obj._smask
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(w, h)
    canvas._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(template.name)


def _load_svg(data: bytes) -> Logo:
    try:
        from svglib.svglib import svg2rlg
    except ImportError as exc:  # pragma: no cover - svglib is a declared dependency
        raise AttachmentError(
            "SVG logos need the svglib package, which is missing. Use a PNG logo or reinstall SmartDesk."
        ) from exc
    try:
        drawing = svg2rlg(io.BytesIO(data))
    except Exception as exc:  # svglib raises lxml and parsing errors of many kinds
        raise AttachmentError("The SVG logo could not be read. Save it again as SVG or PNG.") from exc
    if drawing is None or not drawing.width or not drawing.height:
        raise AttachmentError("The SVG logo is empty or has no size. Save it again as SVG or PNG.")
    return Logo(width=float(drawing.width), height=float(drawing.height), drawing=drawing)


def load_receipt(data: bytes, label: str, index: int = 0, count: int = 0) -> Image.Image:
    """A receipt as an RGB image, upright and downscaled; a PDF gives its first page.

    ``label`` names the receipt in the document's language; ``index`` and ``count`` (when given) let an
    error name it in the interface language instead."""
    kind = sniff(data)
    try:
        if kind == "pdf":
            image = _pdf_first_page(data)
        else:
            if kind == "other":
                _enable_heif()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                image = ImageOps.exif_transpose(img)
                image = _flatten(image)
    except AttachmentError:
        raise
    except Exception as exc:  # PIL and pdfium raise many kinds of errors on broken files
        raise AttachmentError(
            Message(
                "{label} could not be read: it is not a JPEG, PNG, HEIC image or a PDF, or the file is "
                "damaged. Replace the receipt file and render the expense note again.",
                label=Message("Receipt {index} of {count}", index=index, count=count) if index else label,
            )
        ) from exc
    if max(image.size) > RECEIPT_MAX_PIXELS:
        image.thumbnail((RECEIPT_MAX_PIXELS, RECEIPT_MAX_PIXELS), Image.Resampling.LANCZOS)
    return image


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.split()[-1])
        return background
    return image.convert("RGB")


def _pdf_first_page(data: bytes) -> Image.Image:
    import pypdfium2 as pdfium

    from smartdesk.receipts.pdf import PDFIUM_LOCK  # pdfium is not thread-safe: one user at a time

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            if len(pdf) == 0:
                raise AttachmentError("The PDF receipt has no page. Replace the receipt file.")
            page = pdf[0]
            width, height = page.get_size()
            scale = min(RECEIPT_MAX_PIXELS / max(width, height, 1.0), 200 / 72)
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
            page.close()
            return image
        finally:
            pdf.close()


_heif_ready = False


def _enable_heif() -> None:
    global _heif_ready
    if not _heif_ready:
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
            pass
        _heif_ready = True


def image_reader(image: Image.Image) -> ImageReader:
    return ImageReader(image)
