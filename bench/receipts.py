"""Benchmark: normalizing a realistic 12-megapixel phone photo of a receipt.

Targets: median <= 400 ms and output <= 700 KB. Prints figures; asserts nothing.

    .venv/bin/python bench/receipts.py [--runs 7] [--orientation 6]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from smartdesk.receipts import ReceiptPolicy, normalize  # noqa: E402


def photographic_receipt(
    size: tuple[int, int] = (4000, 3000), seed: int = 1, orientation: int = 1, quality: int = 92
) -> bytes:
    """A photo-like 12 MP JPEG: textured table, slightly turned receipt with print, uneven light,
    sensor noise; about the size a phone camera writes (several MB), not a flat colour."""
    width, height = size
    # wood-like table: stretched noise, tinted
    grain = Image.effect_noise((width // 8, height // 2), 60).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    grain = grain.filter(ImageFilter.GaussianBlur(2))
    table = Image.merge(
        "RGB",
        [
            grain.point(lambda v: int(60 + v * 0.45)),
            grain.point(lambda v: int(45 + v * 0.33)),
            grain.point(lambda v: int(30 + v * 0.22)),
        ],
    )
    # the receipt: paper with printed lines of text
    paper = Image.new("RGB", (int(width * 0.38), int(height * 0.9)), (243, 241, 234))
    draw = ImageDraw.Draw(paper)
    try:
        font = ImageFont.load_default(size=54)
    except TypeError:  # very old Pillow
        font = ImageFont.load_default()
    items = [
        "CAFE DU MIDI",
        "Rue Haute 12, 1000 Bruxelles",
        "TVA BE 0123.456.789",
        "",
        "2 x Espresso   5,00",
        "1 x Croissant  2,40",
        "1 x Jus orange 3,80",
        "1 x Tartine    6,50",
        "",
        "Total HTVA    16,70",
        "TVA 6%         1,00",
        "TOTAL EUR     17,70",
        "",
        "Bancontact  ****1234",
        "Merci et a bientot",
    ]
    y = 60
    for i in range(34):
        text = items[i % len(items)]
        draw.text((50, y), text, fill=(35, 35, 38), font=font)
        y += 76
    paper = paper.rotate(4, expand=True, fillcolor=(0, 0, 0), resample=Image.Resampling.BICUBIC)
    mask = Image.new("L", (int(width * 0.38), int(height * 0.9)), 255).rotate(
        4, expand=True, resample=Image.Resampling.BICUBIC
    )
    table.paste(paper, (int(width * 0.3), int(height * 0.02)), mask)
    # uneven light (vignette) and lens softness
    light = Image.radial_gradient("L").resize((width, height), Image.Resampling.BILINEAR)
    light = light.point(lambda v: 255 - v // 3)
    table = ImageChops.multiply(table, Image.merge("RGB", [light, light, light]))
    table = table.filter(ImageFilter.GaussianBlur(1.2))
    # sensor noise, per channel
    noise = [Image.effect_noise((width, height), 7).point(lambda v: v - 128 + 128) for _ in range(3)]
    table = ImageChops.add(table, Image.merge("RGB", noise), scale=1.0, offset=-128)
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    table.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--orientation", type=int, default=6, help="EXIF orientation of the input photo")
    args = parser.parse_args()
    started = time.perf_counter()
    source = photographic_receipt(orientation=args.orientation)
    print(
        f"input: 4000x3000 JPEG, {len(source) / 1024:.0f} KB, EXIF orientation {args.orientation} "
        f"(made in {time.perf_counter() - started:.1f} s)"
    )
    modes = [
        ("default policy (JPEG DCT scaling, long side >= 2000 px)", ReceiptPolicy()),
        ("full 2400 px (draft_min_long_side=2400, bicubic resize)", ReceiptPolicy(draft_min_long_side=2400)),
    ]
    for label, policy in modes:
        normalize(source, policy=policy)  # warm-up (imports, HEIF registration, colour profiles)
        timings = []
        result = None
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = normalize(source, policy=policy)
            timings.append(time.perf_counter() - t0)
        assert result is not None
        median_ms = statistics.median(timings) * 1000
        size_kb = len(result.pages[0]) / 1024
        print(f"\n{label}")
        print(
            f"  output: {result.width}x{result.height} {result.media_type}, {size_kb:.0f} KB, "
            f"thumbnail {len(result.thumbnail) / 1024:.1f} KB"
        )
        print(
            f"  normalize median {median_ms:.0f} ms (min {min(timings) * 1000:.0f} ms, "
            f"max {max(timings) * 1000:.0f} ms, {args.runs} runs)"
        )
        print(
            f"  targets: time <= 400 ms: {'met' if median_ms <= 400 else 'NOT met'}; "
            f"size <= 700 KB: {'met' if size_kb <= 700 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
