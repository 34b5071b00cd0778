"""Layout themes: the same content, three looks."""

from __future__ import annotations

from dataclasses import dataclass

from smartdesk.errors import Message, SmartDeskError


@dataclass(frozen=True)
class Theme:
    name: str
    margin_x: float
    margin_top: float
    margin_bottom: float
    body_size: float  # table and blocks
    small_size: float  # legal mentions, footer
    title_size: float
    brand_side: str  # "left": brand top-left and title right; "right": the opposite
    table_header: str  # "fill" (accent background), "rule" (accent text over a rule), "grey"
    zebra: bool
    side_band: bool  # an accent band along the left edge of every page
    cell_pad: float
    logo_max: tuple[float, float]


# fmt: off
THEMES: dict[str, Theme] = {
    t.name: t
    for t in (
        # name, margins (x, top, bottom), sizes (body, small, title), brand_side, table_header, zebra,
        # side_band, cell_pad, logo_max: one row per theme, so they read side by side
        Theme("classic", 46, 40, 32, 8.6, 7.0, 21, "left",  "fill", False, False, 3.0, (150, 58)),
        Theme("modern",  50, 44, 34, 8.6, 7.0, 26, "right", "rule", True,  True,  3.8, (140, 54)),
        Theme("compact", 34, 30, 26, 7.6, 6.4, 15, "left",  "grey", False, False, 2.2, (110, 40)),
    )
}
# fmt: on


def available_themes() -> tuple[str, ...]:
    return tuple(THEMES)


def get_theme(name: str | None) -> Theme:
    key = (name or "classic").strip().lower()
    try:
        return THEMES[key]
    except KeyError:
        raise SmartDeskError(
            Message(
                "There is no document layout called “{name}”. Choose one of: {choices}.",
                name=name,
                choices=", ".join(THEMES),
            )
        ) from None
