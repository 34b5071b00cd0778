"""The embedded font family (DejaVu Sans, shipped in ``resources/fonts``), registered once per process.

Never a base-14 font: every glyph printed on a document comes from an embedded TrueType subset,
with full Latin coverage (ł, ő, ș, ç, €, narrow no-break space...).
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from smartdesk.errors import Message, SmartDeskError
from smartdesk.resources import resource_path

REGULAR = "SmartDesk-Sans"
BOLD = "SmartDesk-Sans-Bold"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the family with reportlab (parsing a TrueType file costs ~100 ms: done once)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            path = resource_path("fonts", filename)
            if not path.is_file():
                raise SmartDeskError(
                    Message(
                        "The document font {file} is missing from SmartDesk's resources/fonts folder. "
                        "Reinstall SmartDesk to restore it.",
                        file=filename,
                    )
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        _registered = True


_widths: dict[tuple[str, str, float], float] = {}


def string_width(text: str, font: str, size: float) -> float:
    """Width in points, memoised: documents repeat the same words and numbers a lot."""
    key = (text, font, size)
    width = _widths.get(key)
    if width is None:
        if len(_widths) > 100_000:
            _widths.clear()
        width = _widths[key] = pdfmetrics.stringWidth(text, font, size)
    return width


def get_font(name: str) -> TTFont:
    return pdfmetrics.getFont(name)
