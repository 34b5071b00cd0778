"""Write smartdesk/domain/data/printable_ranges.json from the embedded fonts (run when they change):
the code points DejaVu Sans regular and bold both draw, as [first, last] ranges.

    .venv/bin/python scripts/printable_ranges.py
"""

from __future__ import annotations

import json
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFont

ROOT = Path(__file__).resolve().parent.parent


def covered() -> list[list[int]]:
    fonts = [
        TTFont(name, str(ROOT / "resources" / "fonts" / name))
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    ]
    codes = set(fonts[0].face.charToGlyph) & set(fonts[1].face.charToGlyph)
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


if __name__ == "__main__":
    data = {
        "_comment": "code points the embedded fonts draw; made by scripts/printable_ranges.py",
        "ranges": covered(),
    }
    (ROOT / "smartdesk" / "domain" / "data" / "printable_ranges.json").write_text(
        json.dumps(data, separators=(",", ":")) + "\n", "utf-8"
    )
