"""Limits applied to receipt files, and the error that explains a refusal in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from smartdesk.errors import AttachmentError, Message

MB = 1024 * 1024

READABLE_HINT = "Take a new photo of the receipt, or save it as JPEG, PNG, HEIC or PDF and add it again."


@dataclass(frozen=True)
class ReceiptPolicy:
    """What SmartDesk accepts and produces for a receipt.

    ``max_pixels`` and ``max_side`` are checked on the dimensions the file *declares* before any
    pixel is decoded, which is what stops decompression bombs.
    """

    max_file_bytes: int = 40 * MB  # one photo or PDF as picked by the member
    max_receipt_bytes: int = 80 * MB  # all pages of one receipt together, before normalizing
    max_pixels: int = 120_000_000  # 108 MP phone sensors pass, bombs do not
    max_side: int = 30_000  # px, declared width or height
    max_long_side: int = 2_400  # px, long side of a normalized photo
    # JPEG photos are decoded at 1/2, 1/4 or 1/8 scale (DCT scaling: fast, and a clean downsample)
    # when the long side stays at least this large; set it equal to max_long_side for full 2400 px.
    draft_min_long_side: int = 2_000
    jpeg_quality: int = 85
    min_jpeg_quality: int = 65  # lowest quality used to stay under max_output_bytes
    max_output_bytes: int = 1_500_000  # per normalized photo; quality steps down above this
    max_pages: int = 20  # photos (or PDFs) in one receipt
    max_pdf_pages: int = 50  # pages inside one PDF receipt
    thumbnail_px: int = 256

    def __post_init__(self) -> None:
        if not (1 <= self.min_jpeg_quality <= self.jpeg_quality <= 95):
            raise ValueError("need 1 <= min_jpeg_quality <= jpeg_quality <= 95")
        if not (16 <= self.draft_min_long_side <= self.max_long_side):
            raise ValueError("need 16 <= draft_min_long_side <= max_long_side")
        if self.max_long_side < 16 or self.thumbnail_px < 16:
            raise ValueError("max_long_side and thumbnail_px must be at least 16 px")


DEFAULT_POLICY = ReceiptPolicy()


class ReceiptError(AttachmentError):
    """A receipt file SmartDesk refuses. ``reason`` is a stable code for the GUI and the tests:

    empty, too_large, too_many_pixels, unsupported, damaged, password, no_pages, too_many_pages,
    not_an_image, bad_selection.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _name(filename: str) -> Message:
    """The subject of a refusal: the file's name in quotes, or "This file" when it has none."""
    return Message("“{name}”", name=filename) if filename else Message("This file")


def human_size(size: int) -> Message:
    if size >= 10 * MB:
        return Message("{n} MB", n=format(size / MB, ".0f"))
    if size >= MB:  # one decimal: its separator is a word of the language (3.5 MB, 3,5 Mo)
        whole, tenth = f"{size / MB:.1f}".split(".")
        return Message("{whole}.{tenth} MB", whole=whole, tenth=tenth)
    if size >= 1024:
        return Message("{n} KB", n=format(size / 1024, ".0f"))
    return Message.counted("{n} byte", "{n} bytes", size, n=size)


def err_empty(filename: str) -> ReceiptError:
    return ReceiptError(
        "empty",
        Message(
            "{file} is empty (0 bytes): there is no photo or PDF in it. "
            "Take a new photo of the receipt or choose another file.",
            file=_name(filename),
        ),
    )


def err_too_large(filename: str, size: int, limit: int) -> ReceiptError:
    return ReceiptError(
        "too_large",
        Message(
            "{file} is too large ({size}; the limit is {limit}). Take a new photo of the receipt, or save the "
            "PDF again at a smaller size, and add it again.",
            file=_name(filename),
            size=human_size(size),
            limit=human_size(limit),
        ),
    )


def err_pixels(filename: str, width: int, height: int, policy: ReceiptPolicy) -> ReceiptError:
    dims = (
        Message("{width} x {height} pixels", width=width, height=height)
        if width and height
        else Message("far too many pixels")
    )
    return ReceiptError(
        "too_many_pixels",
        Message(
            "{file} is an image too large to open safely ({dims}; the limit is {megapixels} megapixels and "
            "{side} pixels per side). Take a new photo of the receipt, or reduce the image size, and add it again.",
            file=_name(filename),
            dims=dims,
            megapixels=policy.max_pixels // 1_000_000,
            side=policy.max_side,
        ),
    )


def err_unsupported(filename: str, detail: str = "") -> ReceiptError:
    if detail:
        return ReceiptError(
            "unsupported",
            Message(
                "{file} is not a photo or PDF SmartDesk can read ({detail}). Take a new photo of the receipt, or "
                "save it as JPEG, PNG, HEIC or PDF and add it again.",
                file=_name(filename),
                detail=_DETAILS.get(detail, detail),
            ),
        )
    return ReceiptError(
        "unsupported",
        Message(
            "{file} is not a photo or PDF SmartDesk can read. Take a new photo of the receipt, or save it as "
            "JPEG, PNG, HEIC or PDF and add it again.",
            file=_name(filename),
        ),
    )


# words put into the messages above, translated with them
_DETAILS = {"it looks like text": Message("it looks like text")}
_ACTIONS = {
    "rotated": Message("rotated"),
    "cropped": Message("cropped"),
    "rotated or cropped": Message("rotated or cropped"),
    "opened as a photo": Message("opened as a photo"),
}


def err_damaged(filename: str) -> ReceiptError:
    return ReceiptError(
        "damaged",
        Message(
            "{file} is not a photo or PDF SmartDesk can read: it looks damaged or incomplete (perhaps the copy "
            "or download was interrupted). Take a new photo of the receipt, or save it as JPEG, PNG, HEIC or "
            "PDF and add it again.",
            file=_name(filename),
        ),
    )


def err_password(filename: str) -> ReceiptError:
    return ReceiptError(
        "password",
        Message(
            "{file} is a PDF protected by a password, so SmartDesk and your advisor cannot open it. Open it, "
            "print it to a new PDF without a password, and add that file.",
            file=_name(filename),
        ),
    )


def err_no_pages(filename: str) -> ReceiptError:
    return ReceiptError(
        "no_pages",
        Message(
            "{file} is a PDF without any page. Choose the PDF that contains the receipt.",
            file=_name(filename),
        ),
    )


def err_pdf_pages(filename: str, count: int, limit: int) -> ReceiptError:
    return ReceiptError(
        "too_many_pages",
        Message(
            "{file} has {count} pages; a receipt PDF may have at most {limit}. Save only the pages of the "
            "receipt to a new PDF and add that file.",
            file=_name(filename),
            count=count,
            limit=limit,
        ),
    )


def err_receipt_pages(count: int, limit: int) -> ReceiptError:
    return ReceiptError(
        "too_many_pages",
        Message(
            "A receipt can have at most {limit} pages; you added {count}. Split it into several receipts.",
            count=count,
            limit=limit,
        ),
    )


def err_receipt_size(size: int, limit: int) -> ReceiptError:
    return ReceiptError(
        "too_large",
        Message(
            "The files of this receipt are too large together ({size}; the limit is {limit}). Add fewer pages "
            "or smaller files.",
            size=human_size(size),
            limit=human_size(limit),
        ),
    )


def err_not_image(action: str) -> ReceiptError:
    return ReceiptError(
        "not_an_image",
        Message(
            "PDF receipts cannot be {action} in SmartDesk; only photos can. Edit the PDF in another program "
            "and add it again if needed.",
            action=_ACTIONS.get(action, action),
        ),
    )


def err_selection() -> ReceiptError:
    return ReceiptError(
        "bad_selection",
        "The selected area is empty or outside the photo. "
        "Draw the crop frame over the receipt and try again.",
    )
