"""Decoding, normalizing and editing receipt photos with Pillow (no Qt).

Everything that comes from a member's file is untrusted: the declared dimensions are checked
before any pixel is decoded, only a short list of well-known decoders is allowed, and any
decoder failure becomes a plain :class:`ReceiptError`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

from PIL import Image, ImageCms

from smartdesk.receipts.policy import (
    DEFAULT_POLICY,
    ReceiptError,
    ReceiptPolicy,
    err_damaged,
    err_empty,
    err_not_image,
    err_pixels,
    err_selection,
    err_too_large,
    err_unsupported,
)

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
HEIC = "image/heic"
AVIF = "image/avif"
WEBP = "image/webp"
TIFF = "image/tiff"
BMP = "image/bmp"
GIF = "image/gif"

# Pillow's own bomb guard is a backstop behind our declared-size check: with the default
# policy, Image.open raises DecompressionBombError above 2 x this many pixels.
Image.MAX_IMAGE_PIXELS = DEFAULT_POLICY.max_pixels

_FORMATS = {
    JPEG: "JPEG",
    PNG: "PNG",
    HEIC: "HEIF",
    AVIF: "AVIF",
    WEBP: "WEBP",
    TIFF: "TIFF",
    BMP: "BMP",
    GIF: "GIF",
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}

_ORIENTATION = 0x0112
_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_heif_lock = threading.Lock()
_heif_ready = False


def _register_heif() -> None:
    global _heif_ready
    with _heif_lock:
        if not _heif_ready:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _heif_ready = True


def sniff(data: bytes) -> str | None:
    """The media type from the first bytes (the file name is never trusted), or None."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if b"%PDF-" in data[:1024]:
        return PDF
    if head[4:8] == b"ftyp":
        brands = {head[8:12]}
        size = int.from_bytes(head[0:4], "big")
        brands.update(data[i : i + 4] for i in range(16, min(size, 64), 4))
        if brands & _AVIF_BRANDS and head[8:12] in _AVIF_BRANDS:
            return AVIF
        if brands & _HEIF_BRANDS:
            return HEIC
        if brands & _AVIF_BRANDS:
            return AVIF
        return None
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"BM") and len(data) > 26:
        return BMP
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    return None


def check_size(data: bytes, filename: str, policy: ReceiptPolicy) -> None:
    if not data:
        raise err_empty(filename)
    if len(data) > policy.max_file_bytes:
        raise err_too_large(filename, len(data), policy.max_file_bytes)


def open_image(
    data: bytes, filename: str = "", policy: ReceiptPolicy = DEFAULT_POLICY, media_type: str | None = None
) -> Image.Image:
    """Open (not decode) an image after checking its size, type and declared dimensions."""
    check_size(data, filename, policy)
    kind = media_type or sniff(data)
    if kind == PDF:
        raise err_not_image("opened as a photo")
    if kind is None or kind not in _FORMATS:
        detail = "it looks like text" if _looks_like_text(data) else ""
        raise err_unsupported(filename, detail)
    if kind in (HEIC, AVIF):
        _register_heif()
    try:
        im = Image.open(io.BytesIO(data), formats=[_FORMATS[kind], *(["HEIF"] if kind == AVIF else [])])
    except Image.DecompressionBombError:
        raise err_pixels(filename, 0, 0, policy) from None
    except Exception:  # noqa: BLE001 - any decoder failure on untrusted bytes means "unreadable"
        raise err_damaged(filename) from None
    width, height = im.size
    if width <= 0 or height <= 0:
        raise err_damaged(filename)
    if width * height > policy.max_pixels or max(width, height) > policy.max_side:
        im.close()
        raise err_pixels(filename, width, height, policy)
    return im


def _looks_like_text(data: bytes) -> bool:
    sample = data[:2048]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def orientation_of(im: Image.Image) -> int:
    try:
        value = int(im.getexif().get(_ORIENTATION, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block must not block the receipt
        return 1
    return value if value in _TRANSPOSE else 1


def _decode(
    im: Image.Image, filename: str, long_side: int | None, draft_min: int | None
) -> tuple[Image.Image, int]:
    """Decode pixels, with JPEG DCT scaling when the result keeps a long side >= ``draft_min``.

    Returns the image and its EXIF orientation (read before decoding).
    """
    orientation = orientation_of(im)
    if long_side and draft_min and im.format == "JPEG":
        width, height = im.size
        longest = max(width, height)
        scale = next((s for s in (8, 4, 2) if longest // s >= draft_min and longest > long_side), 1)
        if scale > 1:
            im.draft(
                im.mode if im.mode in ("RGB", "L") else None,
                (max(1, width // scale), max(1, height // scale)),
            )
    try:
        im.load()
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
    except Image.DecompressionBombError:
        raise err_pixels(filename, *im.size, DEFAULT_POLICY) from None
    except Exception:  # noqa: BLE001 - truncated or corrupt pixel data
        raise err_damaged(filename) from None
    return im, orientation


def _to_working_mode(im: Image.Image) -> Image.Image:
    """RGB, RGBA, L or CMYK, whatever the source mode (palette, 1-bit, 16-bit, LA, ...)."""
    mode = im.mode
    if mode in ("RGB", "RGBA", "L", "CMYK"):
        return im
    if mode in ("LA", "PA", "La", "RGBa") or (mode == "P" and "transparency" in im.info):
        return im.convert("RGBA")
    if mode.startswith("I;16") or mode in ("I", "F"):
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L") if mode != "F" else im.convert("L")
    if mode == "1":
        return im.convert("L")
    return im.convert("RGB")


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert to sRGB when the photo carries another colour profile (Display P3, Adobe RGB, CMYK)."""
    if im.mode == "L":
        return im
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            description = (ImageCms.getProfileDescription(source) or "").lower()
            if im.mode == "CMYK" or "srgb" not in description:
                out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
                return ImageCms.profileToProfile(im, source, _SRGB, outputMode=out_mode)
        except Exception:  # noqa: BLE001 - a broken profile: fall back to plain conversion
            pass
    if im.mode == "CMYK":
        return im.convert("RGB")
    return im


def _flatten(im: Image.Image) -> Image.Image:
    if im.mode != "RGBA":
        return im
    background = Image.new("RGB", im.size, (255, 255, 255))
    background.paste(im, mask=im.getchannel("A"))
    return background


def _fit(im: Image.Image, long_side: int) -> Image.Image:
    width, height = im.size
    if max(width, height) <= long_side:
        return im
    ratio = long_side / max(width, height)
    size = (max(1, round(width * ratio)), max(1, round(height * ratio)))
    # bicubic: as sharp as Lanczos for text at these factors, noticeably faster
    return im.resize(size, Image.Resampling.BICUBIC, reducing_gap=3.0)


def encode_jpeg(
    im: Image.Image, quality: int, min_quality: int | None = None, max_bytes: int | None = None
) -> bytes:
    """Baseline JPEG without EXIF/ICC; steps quality down by 5 while over ``max_bytes``."""
    while True:
        out = io.BytesIO()
        im.save(out, "JPEG", quality=quality, subsampling="4:2:0" if im.mode == "RGB" else 0)
        data = out.getvalue()
        if max_bytes is None or min_quality is None or len(data) <= max_bytes or quality <= min_quality:
            return data
        quality = max(min_quality, quality - 5)


def prepare(
    im: Image.Image, filename: str, long_side: int | None, draft_min: int | None = None
) -> Image.Image:
    """Decode an opened image into an upright, sRGB, opaque RGB/L image with long side <= long_side."""
    icc = im.info.get("icc_profile")
    im, orientation = _decode(im, filename, long_side, draft_min or long_side)
    try:
        work = _to_working_mode(im)
        if long_side:
            work = _fit(work, long_side)
        work = _flatten(_to_srgb(work, icc))
        if orientation in _TRANSPOSE:
            work = work.transpose(_TRANSPOSE[orientation])
    except ReceiptError:
        raise
    except Exception:  # noqa: BLE001 - decoders may fail late (e.g. lazy HEIF tiles)
        raise err_damaged(filename) from None
    return work


def normalize_image(
    data: bytes, filename: str = "", policy: ReceiptPolicy = DEFAULT_POLICY, media_type: str | None = None
) -> tuple[bytes, Image.Image]:
    """Return (JPEG bytes, the upright image that was encoded) for one photo."""
    with open_image(data, filename, policy, media_type) as im:
        work = prepare(im, filename, policy.max_long_side, policy.draft_min_long_side)
    encoded = encode_jpeg(work, policy.jpeg_quality, policy.min_jpeg_quality, policy.max_output_bytes)
    return encoded, work


def thumbnail_from_image(im: Image.Image, max_px: int) -> bytes:
    small = im.copy()
    small.thumbnail((max_px, max_px), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return encode_jpeg(small, 80)


def image_thumbnail(data: bytes, max_px: int = 256, policy: ReceiptPolicy = DEFAULT_POLICY) -> bytes:
    with open_image(data, "", policy) as im:
        work = prepare(im, "", max_px)
    return thumbnail_from_image(work, max_px)


# --- edits used by the receipt viewer (pure functions on bytes) -----------------------------------


def _edit(
    data: bytes, action: str, change: Callable[[Image.Image], Image.Image], policy: ReceiptPolicy
) -> bytes:
    if sniff(data) == PDF:
        raise err_not_image(action)
    with open_image(data, "", policy) as im:
        work = prepare(im, "", None)  # already normalized: keep its size
    return encode_jpeg(change(work), policy.jpeg_quality)


def rotate(data: bytes, quarter_turns: int, policy: ReceiptPolicy = DEFAULT_POLICY) -> bytes:
    """Turn a photo by ``quarter_turns`` x 90 degrees clockwise (negative: anticlockwise).

    A multiple of four returns ``data`` unchanged. Every edit re-encodes the JPEG once, so a viewer
    with undo should keep the original page and re-apply its edits with :func:`apply_edits`.
    """
    turns = quarter_turns % 4
    if turns == 0:
        return data
    method = {1: Image.Transpose.ROTATE_270, 2: Image.Transpose.ROTATE_180, 3: Image.Transpose.ROTATE_90}[
        turns
    ]
    return _edit(data, "rotated", lambda im: im.transpose(method), policy)


def _crop_box(im: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    left, top, right, bottom = (int(round(v)) for v in box)
    left, right = max(0, min(left, right)), min(im.width, max(left, right))
    top, bottom = max(0, min(top, bottom)), min(im.height, max(top, bottom))
    if right - left < 8 or bottom - top < 8:
        raise err_selection()
    return left, top, right, bottom


def crop(data: bytes, box: tuple[int, int, int, int], policy: ReceiptPolicy = DEFAULT_POLICY) -> bytes:
    """Keep the ``(left, top, right, bottom)`` pixel box of an upright photo (clamped to the photo)."""
    return _edit(data, "cropped", lambda im: im.crop(_crop_box(im, box)), policy)


def apply_edits(
    data: bytes,
    quarter_turns: int = 0,
    box: tuple[int, int, int, int] | None = None,
    policy: ReceiptPolicy = DEFAULT_POLICY,
) -> bytes:
    """Rotate, then crop (``box`` in the rotated photo's pixels), with a single re-encode."""
    turns = quarter_turns % 4
    if turns == 0 and box is None:
        return data

    def change(im: Image.Image) -> Image.Image:
        if turns:
            im = im.transpose(
                {1: Image.Transpose.ROTATE_270, 2: Image.Transpose.ROTATE_180, 3: Image.Transpose.ROTATE_90}[
                    turns
                ]
            )
        if box is not None:
            im = im.crop(_crop_box(im, box))
        return im

    return _edit(data, "rotated or cropped", change, policy)


__all__ = [
    "apply_edits",
    "crop",
    "encode_jpeg",
    "image_thumbnail",
    "normalize_image",
    "open_image",
    "orientation_of",
    "prepare",
    "rotate",
    "sniff",
    "thumbnail_from_image",
]
