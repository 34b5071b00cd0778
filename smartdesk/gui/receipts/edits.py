"""Crop and rotate edits of a receipt page, stored as new receipt versions."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartdesk.receipts import apply_edits, sniff

if TYPE_CHECKING:
    from smartdesk.services import Workspace


Box = tuple[int, int, int, int]


# --- edits of a page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageEdit:
    """How a shown page derives from the page first stored: ``rotate(origin, turns)`` then ``crop(box)``."""

    origin: str
    turns: int = 0
    box: Box | None = None


def _rotate_box(box: Box, size: tuple[int, int], turns: int) -> Box:
    """The same area after turning a (width, height) picture ``turns`` quarter turns clockwise."""
    left, top, right, bottom = box
    width, height = size
    for _n in range(turns % 4):
        left, top, right, bottom = height - bottom, left, height - top, right
        width, height = height, width
    return left, top, right, bottom


def compose_edit(
    edit: PageEdit, origin_size: tuple[int, int], turns: int = 0, crop_box: Box | None = None
) -> PageEdit:
    """One more rotation or crop on top of ``edit``, expressed again from its origin (one re-encode)."""
    width, height = origin_size
    size = (height, width) if edit.turns % 2 else (width, height)
    box = edit.box
    if turns:
        if box is not None:
            box = _rotate_box(box, size, turns)
        return PageEdit(edit.origin, (edit.turns + turns) % 4, box)
    if crop_box is not None:
        left, top, right, bottom = crop_box
        base_l, base_t = (box[0], box[1]) if box is not None else (0, 0)
        limit_r, limit_b = (box[2], box[3]) if box is not None else size
        new = (
            min(limit_r, base_l + max(0, left)),
            min(limit_b, base_t + max(0, top)),
            min(limit_r, base_l + right),
            min(limit_b, base_t + bottom),
        )
        return PageEdit(edit.origin, edit.turns, new)
    return edit


class PageEdits:
    """Remembers, for every edited page this session, where it came from (so undo/redo stay exact)."""

    def __init__(self) -> None:
        self._edits: dict[str, PageEdit] = {}
        self._lock = threading.Lock()

    def of(self, sha: str) -> PageEdit:
        with self._lock:
            return self._edits.get(sha, PageEdit(sha))

    def remember(self, sha: str, edit: PageEdit) -> None:
        with self._lock:
            if sha != edit.origin:
                self._edits.setdefault(sha, edit)


def edit_page(ws: Workspace, edits: PageEdits, sha: str, turns: int = 0, crop_box: Box | None = None) -> str:
    """Rotate or crop a stored photo page; returns the new page's hash (runs on a worker)."""
    from PIL import Image

    current = edits.of(sha)
    data = ws.attachments.read(current.origin)
    if sniff(data) == "application/pdf":
        from smartdesk.receipts.policy import err_not_image

        raise err_not_image("rotated or cropped")
    with Image.open(io.BytesIO(data)) as im:
        size = im.size
    wanted = compose_edit(current, size, turns, crop_box)
    if wanted.turns == 0 and wanted.box is None:
        return wanted.origin
    new_sha = ws.receipts.store_edited(apply_edits(data, wanted.turns, wanted.box))
    edits.remember(new_sha, wanted)
    return new_sha
