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


THEMES: dict[str, Theme] = {
    "classic": Theme(
        name="classic",
        margin_x=46,
        margin_top=40,
        margin_bottom=32,
        body_size=8.6,
        small_size=7.0,
        title_size=21,
        brand_side="left",
        table_header="fill",
        zebra=False,
        side_band=False,
        cell_pad=3.0,
        logo_max=(150, 58),
    ),
    "modern": Theme(
        name="modern",
        margin_x=50,
        margin_top=44,
        margin_bottom=34,
        body_size=8.6,
        small_size=7.0,
        title_size=26,
        brand_side="right",
        table_header="rule",
        zebra=True,
        side_band=True,
        cell_pad=3.8,
        logo_max=(140, 54),
    ),
    "compact": Theme(
        name="compact",
        margin_x=34,
        margin_top=30,
        margin_bottom=26,
        body_size=7.6,
        small_size=6.4,
        title_size=15,
        brand_side="left",
        table_header="grey",
        zebra=False,
        side_band=False,
        cell_pad=2.2,
        logo_max=(110, 40),
    ),
}


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
