"""Receipt normalization with real image and PDF files made in the test (Pillow, pillow-heif, reportlab)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen import canvas

from smartdesk.errors import AttachmentError
from smartdesk.receipts import (
    DEFAULT_POLICY,
    NormalizedReceipt,
    ReceiptError,
    ReceiptPolicy,
    content_hash,
    normalize,
    normalize_pages,
    render_thumbnail,
)

RED = (255, 0, 0)
ORIENTATION = 0x0112
GPS_IFD = 0x8825

# How a camera stores an upright scene for each EXIF orientation: the inverse of the display transform.
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,  # displayed after turning 90 degrees clockwise
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def upright_scene(size: tuple[int, int] = (240, 160)) -> Image.Image:
    """White, landscape, with a red square in the top-left corner only."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 4, size[1] // 4), fill=RED)
    return image


def jpeg_bytes(image: Image.Image, exif: Image.Exif | None = None, **kw) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes() if exif is not None else b"", **kw)
    return out.getvalue()


def camera_photo(orientation: int, size: tuple[int, int] = (240, 160)) -> bytes:
    scene = upright_scene(size)
    method = STORED_AS[orientation]
    stored = scene.transpose(method) if method is not None else scene
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    return jpeg_bytes(stored, exif)


def is_red(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]
    return r > 200 and g < 60 and b < 60


def corner_colours(image: Image.Image) -> dict[str, tuple[int, ...]]:
    w, h = image.size
    inset_x, inset_y = w // 10, h // 10
    return {
        "top-left": image.getpixel((inset_x, inset_y)),
        "top-right": image.getpixel((w - inset_x, inset_y)),
        "bottom-left": image.getpixel((inset_x, h - inset_y)),
        "bottom-right": image.getpixel((w - inset_x, h - inset_y)),
    }


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refused(data: bytes, filename: str = "", policy: ReceiptPolicy = DEFAULT_POLICY) -> ReceiptError:
    with pytest.raises(AttachmentError) as info:
        normalize(data, filename, policy)
    assert isinstance(info.value, ReceiptError)
    message = str(info.value)
    assert message and "Traceback" not in message and "Error" not in message
    assert any(hint in message for hint in ("Take a new photo", "add it again", "add that file", "Choose"))
    return info.value


# --- orientation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(orientation: int) -> None:
    source = camera_photo(orientation)
    stored = decode(source)
    if orientation >= 5:
        assert stored.size == (160, 240)  # the camera stored it portrait: the test really exercises a turn
    result = normalize(source, "IMG_0001.JPG")
    out = decode(result.pages[0])
    assert out.format == "JPEG"
    assert out.size == (240, 160) == (result.width, result.height)
    corners = corner_colours(out)
    assert is_red(corners["top-left"]), corners
    assert not any(is_red(c) for name, c in corners.items() if name != "top-left"), corners
    assert ORIENTATION not in out.getexif()


def test_a_12_megapixel_photo_is_resized_to_at_most_2400_px() -> None:
    big = Image.effect_noise((4000, 3000), 40).convert("RGB")
    result = normalize(jpeg_bytes(big), "camera.jpg")
    out = decode(result.pages[0])
    assert max(out.size) <= 2400 and max(out.size) >= 1500
    assert out.size[0] / out.size[1] == pytest.approx(4 / 3, rel=0.01)
    assert result.media_type == "image/jpeg" and result.source_media_types == ["image/jpeg"]

    full = normalize(jpeg_bytes(big), "camera.jpg", ReceiptPolicy(draft_min_long_side=2400))
    assert decode(full.pages[0]).size == (2400, 1800)


def test_a_small_photo_is_not_enlarged() -> None:
    result = normalize(jpeg_bytes(upright_scene((300, 200))))
    assert (result.width, result.height) == (300, 200)


# --- metadata -----------------------------------------------------------------------------------------


def test_gps_and_personal_metadata_are_removed() -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 1
    exif[0x013B] = "Jane Member"  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (50.0, 50.0, 12.5)
    gps[3] = "E"
    gps[4] = (4.0, 21.0, 3.0)
    source = jpeg_bytes(upright_scene(), exif)
    before = decode(source).getexif()
    assert before.get_ifd(GPS_IFD).get(2) is not None and before.get(0x013B) == "Jane Member"

    out = decode(normalize(source).pages[0])
    after = out.getexif()
    assert dict(after) == {}
    assert dict(after.get_ifd(GPS_IFD)) == {}
    assert b"Exif" not in normalize(source).pages[0][:4096]
    assert b"Jane Member" not in normalize(source).pages[0]


ICC_A98 = Path("/usr/share/color/icc/ghostscript/a98.icc")  # Adobe RGB, from libgs-common (scripts/_setup.sh)


def test_a_wide_gamut_photo_is_converted_to_srgb() -> None:
    assert ICC_A98.exists(), (
        "the Adobe RGB profile is missing: install libgs-common (scripts/_setup.sh APT_TEST)"
    )
    image = Image.new("RGB", (64, 64), (60, 160, 60))
    source = io.BytesIO()
    image.save(source, "JPEG", quality=95, icc_profile=ICC_A98.read_bytes())
    out = decode(normalize(source.getvalue()).pages[0])
    assert "icc_profile" not in out.info
    r, g, b = out.getpixel((32, 32))
    # Adobe RGB (60, 160, 60) is about sRGB (0, 161, 47): a plain copy of the numbers would keep r near 60
    assert r < 25 and 150 < g < 172 and b < 58


# --- formats ------------------------------------------------------------------------------------------


def test_heic_from_a_phone_is_converted_to_jpeg() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    stored = upright_scene().transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    out = io.BytesIO()
    stored.save(out, "HEIF", quality=90, exif=exif.tobytes())
    result = normalize(out.getvalue(), "IMG_1234.HEIC")
    assert result.source_media_types == ["image/heic"] and result.media_types == ["image/jpeg"]
    image = decode(result.pages[0])
    assert image.format == "JPEG" and image.size == (240, 160)
    assert is_red(corner_colours(image)["top-left"])


def test_png_with_transparency_is_flattened_on_white() -> None:
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((40, 40, 60, 60), fill=(0, 0, 255, 255))
    source = io.BytesIO()
    image.save(source, "PNG")
    out = decode(normalize(source.getvalue(), "scan.png").pages[0])
    assert out.mode == "RGB"
    assert min(out.getpixel((5, 5))) > 245  # transparent became white, not black
    r, g, b = out.getpixel((50, 50))
    assert b > 200 and r < 60


def test_palette_png_and_grayscale_are_accepted() -> None:
    pal = upright_scene().convert("P", palette=Image.Palette.ADAPTIVE)
    gray = upright_scene().convert("L")
    for image in (pal, gray):
        buf = io.BytesIO()
        image.save(buf, "PNG")
        result = normalize(buf.getvalue())
        assert decode(result.pages[0]).size == (240, 160)


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [
        ("I;16", "PNG"),
        ("CMYK", "JPEG"),
        ("P", "GIF"),
        ("RGB", "WEBP"),
        ("RGB", "TIFF"),
        ("RGB", "BMP"),
        ("LA", "PNG"),
        ("1", "PNG"),
    ],
)
def test_other_formats_and_pixel_modes_become_a_plain_jpeg(mode: str, fmt: str) -> None:
    gradient = Image.linear_gradient("L").resize((300, 200))
    if mode == "I;16":
        image = gradient.convert("I").point(lambda v: v * 256).convert("I;16")
    elif mode == "P":
        image = gradient.convert("P")  # grey palette (an RGB->P conversion would snap to the web palette)
    else:
        image = Image.merge("RGB", [gradient] * 3).convert(mode)
    source = io.BytesIO()
    image.save(source, fmt)
    out = decode(normalize(source.getvalue(), f"scan.{fmt.lower()}").pages[0])
    assert out.format == "JPEG" and out.size == (300, 200) and out.mode in ("RGB", "L")
    grey = out.convert("L")
    assert grey.getpixel((150, 10)) < grey.getpixel((150, 190))  # dark at the top, light at the bottom
    if mode != "1":
        assert abs(grey.getpixel((150, 100)) - 128) < 12  # 16-bit scaled, CMYK converted


def make_pdf(pages: int = 1, password: str | None = None) -> bytes:
    out = io.BytesIO()
    kwargs = {}
    if password:
        from reportlab.lib import pdfencrypt

        kwargs["encrypt"] = pdfencrypt.StandardEncryption(password, ownerPassword="owner-" + password)
    c = canvas.Canvas(out, pagesize=A6, **kwargs)
    for number in range(pages):
        c.setFont("Helvetica", 12)
        c.drawString(30, 350, f"Hotel Ibis - receipt page {number + 1}")
        c.rect(30, 300, 200, 30, fill=1)
        c.showPage()
    c.save()
    return out.getvalue()


def test_a_pdf_receipt_is_kept_as_is_with_a_first_page_thumbnail() -> None:
    pdf = make_pdf(pages=2)
    result = normalize(pdf, "invoice.pdf")
    assert result.pages == [pdf]  # byte for byte
    assert result.media_type == "application/pdf" and result.page_counts == [2]
    assert (result.width, result.height) == (round(A6[0]), round(A6[1]))
    thumb = decode(result.thumbnail)
    assert thumb.format == "JPEG" and max(thumb.size) == DEFAULT_POLICY.thumbnail_px
    assert thumb.getextrema()[0][0] < 50  # the black rectangle is drawn: really rendered
    assert len(pdfium.PdfDocument(result.pages[0])) == 2


def test_pdf_refusals_password_too_many_pages_damaged() -> None:
    assert refused(make_pdf(password="secret"), "locked.pdf").reason == "password"
    assert "password" in str(refused(make_pdf(password="secret")))
    err = refused(make_pdf(pages=3), "book.pdf", ReceiptPolicy(max_pdf_pages=2))
    assert err.reason == "too_many_pages" and "3 pages" in str(err)
    pdf = make_pdf()
    assert refused(pdf[: len(pdf) // 3], "cut.pdf").reason == "damaged"


def test_several_photos_make_one_receipt() -> None:
    first, second = camera_photo(1), camera_photo(6, (300, 200))
    pdf = make_pdf()
    result = normalize_pages([(first, "page1.jpg"), (second, "page2.jpg"), (pdf, "annex.pdf")])
    assert isinstance(result, NormalizedReceipt)
    assert len(result.pages) == 3
    assert result.media_types == ["image/jpeg", "image/jpeg", "application/pdf"]
    assert result.sizes[:2] == [(240, 160), (300, 200)]
    assert result.thumbnail and decode(result.thumbnail).size == (240, 160)  # never enlarged
    assert result.source_hashes == [content_hash(first), content_hash(second), content_hash(pdf)]
    with pytest.raises(ReceiptError) as info:
        normalize_pages([first] * 3, ReceiptPolicy(max_pages=2))
    assert info.value.reason == "too_many_pages"
    with pytest.raises(ReceiptError):
        normalize_pages([])


def test_one_bad_page_refuses_the_whole_receipt_naming_the_file() -> None:
    with pytest.raises(ReceiptError) as info:
        normalize_pages([(camera_photo(1), "good.jpg"), (b"not an image at all", "notes.jpg")])
    assert "notes.jpg" in str(info.value)


# --- refusals -----------------------------------------------------------------------------------------


def test_empty_file_is_refused() -> None:
    err = refused(b"", "empty.jpg")
    assert err.reason == "empty" and "empty" in str(err)


def test_text_file_renamed_jpg_is_refused() -> None:
    err = refused(b"Dear advisor,\nhere is my receipt.\n" * 10, "receipt.jpg")
    assert err.reason == "unsupported"
    assert "not a photo or PDF SmartDesk can read" in str(err) and "receipt.jpg" in str(err)


def test_corrupt_and_truncated_images_are_refused() -> None:
    assert refused(bytes(range(256)) * 40).reason == "unsupported"
    photo = jpeg_bytes(Image.effect_noise((400, 300), 50).convert("RGB"))
    assert refused(photo[: len(photo) // 2], "half.jpg").reason == "damaged"
    assert refused(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50).reason == "damaged"
    png = io.BytesIO()
    upright_scene().save(png, "PNG")
    assert refused(png.getvalue()[:-60], "cut.png").reason == "damaged"  # pixels cut short


def test_oversized_file_is_refused_before_reading_it() -> None:
    huge = b"\xff\xd8\xff\xe0" + bytes(DEFAULT_POLICY.max_file_bytes + 1)
    err = refused(huge, "video.jpg")
    assert err.reason == "too_large" and "MB" in str(err)
    small_limit = ReceiptPolicy(max_file_bytes=10_000)
    assert refused(camera_photo(1, (1200, 900)), "", small_limit).reason == "too_large"


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge size but carries almost no data (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bombs_are_refused_before_decoding() -> None:
    # far above Pillow's own guard (DecompressionBombError) and just above SmartDesk's limit
    for width, height in ((60_000, 60_000), (12_000, 11_000), (40_000, 100)):
        err = refused(_png_header_only(width, height), "bomb.png")
        assert err.reason == "too_many_pixels", (width, height)
    # a real, fully valid bomb: 2000 x 2000 of zeros is 4 MP in a few KB; refused by a 1 MP policy
    bomb = io.BytesIO()
    Image.new("L", (2000, 2000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 50_000
    err = refused(bomb.getvalue(), "bomb.png", ReceiptPolicy(max_pixels=1_000_000))
    assert err.reason == "too_many_pixels" and "2000 x 2000" in str(err)


# --- duplicates and previews ---------------------------------------------------------------------------


def test_duplicate_detection_by_hash() -> None:
    photo = camera_photo(3)
    first, again = normalize(photo), normalize(photo)
    assert first.hashes == again.hashes and first.pages == again.pages  # deterministic output
    assert first.source_hashes == [content_hash(photo)]
    other = normalize(camera_photo(1, (250, 160)))
    assert other.hashes != first.hashes
    assert content_hash(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_render_thumbnail_of_a_stored_photo_and_pdf() -> None:
    photo = normalize(camera_photo(6, (1200, 800))).pages[0]
    thumb = decode(render_thumbnail(photo, 128))
    assert thumb.size == (128, 85) and is_red(corner_colours(thumb)["top-left"])
    pdf_thumb = decode(render_thumbnail(make_pdf(), 100))
    assert max(pdf_thumb.size) == 100
