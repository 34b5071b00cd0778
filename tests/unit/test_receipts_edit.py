"""Rotate and crop helpers of the receipt viewer, and the synthetic camera."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from smartdesk.receipts import (
    FrameSource,
    GeneratedFrameSource,
    ReceiptError,
    apply_edits,
    crop,
    normalize,
    rotate,
)
from tests.unit.test_receipts import corner_colours, decode, is_red, make_pdf, upright_scene


def page() -> bytes:
    return normalize(_jpeg(upright_scene())).pages[0]


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def red_corner(data: bytes) -> str:
    image = decode(data)
    found = [name for name, colour in corner_colours(image).items() if is_red(colour)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("turns", "size", "corner"),
    [
        (1, (160, 240), "top-right"),
        (2, (240, 160), "bottom-right"),
        (3, (160, 240), "bottom-left"),
        (-1, (160, 240), "bottom-left"),
        (5, (160, 240), "top-right"),
    ],
)
def test_rotate_quarter_turns_clockwise(turns: int, size: tuple[int, int], corner: str) -> None:
    rotated = rotate(page(), turns)
    assert decode(rotated).size == size
    assert red_corner(rotated) == corner


def test_rotate_by_a_full_turn_returns_the_same_bytes() -> None:
    data = page()
    assert rotate(data, 0) is data and rotate(data, 4) is data and rotate(data, -8) is data


def test_four_single_turns_come_back_upright() -> None:
    data = page()
    for _ in range(4):
        data = rotate(data, 1)
    assert decode(data).size == (240, 160) and red_corner(data) == "top-left"


def test_crop_keeps_the_box_and_clamps_it_to_the_photo() -> None:
    cropped = crop(page(), (0, 0, 120, 80))
    image = decode(cropped)
    assert image.size == (120, 80)
    assert is_red(image.getpixel((10, 10))) and not is_red(image.getpixel((110, 70)))
    assert decode(crop(page(), (200, 100, 900, 900))).size == (40, 60)  # clamped at the edges
    assert decode(crop(page(), (120, 80, 0, 0))).size == (120, 80)  # corners given in any order


def test_crop_of_an_empty_or_outside_area_is_refused_plainly() -> None:
    for box in ((10, 10, 12, 12), (500, 500, 600, 600)):
        with pytest.raises(ReceiptError) as info:
            crop(page(), box)
        assert info.value.reason == "bad_selection" and "crop" in str(info.value)


def test_apply_edits_rotates_then_crops_in_one_step() -> None:
    edited = apply_edits(page(), quarter_turns=1, box=(80, 0, 160, 120))  # right half of the turned photo
    image = decode(edited)
    assert image.size == (80, 120)
    assert is_red(image.getpixel((70, 10)))


def test_pdf_pages_cannot_be_rotated_or_cropped() -> None:
    for action in (lambda d: rotate(d, 1), lambda d: crop(d, (0, 0, 50, 50))):
        with pytest.raises(ReceiptError) as info:
            action(make_pdf())
        assert info.value.reason == "not_an_image" and "PDF" in str(info.value)


def test_generated_frame_source_gives_jpeg_frames_and_a_usable_capture() -> None:
    source = GeneratedFrameSource(size=(320, 240), capture_size=(800, 600), seed=3, limit=3)
    assert isinstance(source, FrameSource)
    frames = list(source.frames())
    assert len(frames) == 3 and frames[0] != frames[1]
    assert all(decode(f).size == (320, 240) and decode(f).format == "JPEG" for f in frames)
    still = source.capture()
    result = normalize(still, "camera.jpg")
    assert (result.width, result.height) == (800, 600)
    # the receipt paper is light, the table dark: it really drew something
    image = decode(result.pages[0]).convert("L")
    assert image.getpixel((400, 300)) > 200 and image.getpixel((20, 20)) < 120
    source.close()
    assert list(source.frames()) == []


def test_a_drawn_photo_survives_rotation_without_drifting_in_size() -> None:
    scene = Image.new("RGB", (333, 201), "white")
    ImageDraw.Draw(scene).line((0, 0, 333, 201), fill="black", width=3)
    data = normalize(_jpeg(scene)).pages[0]
    assert decode(rotate(rotate(data, 1), -1)).size == (333, 201)
