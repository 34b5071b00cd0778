"""Where receipt photos come from when the member uses a camera, without any Qt.

The GUI implements :class:`FrameSource` with QtMultimedia; tests and machines without a camera
use :class:`GeneratedFrameSource`, which draws a synthetic receipt with Pillow.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from PIL import Image, ImageDraw, ImageFilter


@runtime_checkable
class FrameSource(Protocol):
    """A camera: a stream of preview frames and a full-resolution still, both as JPEG bytes."""

    def frames(self) -> Iterator[bytes]:
        """Preview frames (JPEG bytes) until the source is closed or exhausted."""
        ...

    def capture(self) -> bytes:
        """One still photo (JPEG bytes), to be passed to ``smartdesk.receipts.normalize``."""
        ...


class GeneratedFrameSource:
    """Synthetic JPEG frames: a receipt on a table that moves a little, as if hand-held."""

    def __init__(
        self,
        size: tuple[int, int] = (640, 480),
        capture_size: tuple[int, int] = (1600, 1200),
        seed: int = 0,
        limit: int | None = None,
        text: str = "SMART CAFE",
    ) -> None:
        self.size = size
        self.capture_size = capture_size
        self.limit = limit
        self.text = text
        self._rng = random.Random(seed)
        self.frame_count = 0
        self.closed = False

    def _draw(self, size: tuple[int, int], jitter: tuple[int, int]) -> bytes:
        width, height = size
        image = Image.new("RGB", size, (92, 74, 60))  # wooden table
        draw = ImageDraw.Draw(image)
        dx, dy = jitter
        paper = (
            int(width * 0.3) + dx,
            int(height * 0.08) + dy,
            int(width * 0.7) + dx,
            int(height * 0.92) + dy,
        )
        draw.rectangle(paper, fill=(246, 244, 238))
        line_h = max(4, (paper[3] - paper[1]) // 24)
        draw.text((paper[0] + line_h, paper[1] + line_h), self.text, fill=(20, 20, 20))
        for row in range(3, 20):
            y = paper[1] + row * line_h
            length = self._rng.randint((paper[2] - paper[0]) // 3, (paper[2] - paper[0]) * 3 // 4)
            draw.line(
                (paper[0] + line_h, y, paper[0] + line_h + length, y),
                fill=(40, 40, 40),
                width=max(1, line_h // 4),
            )
        image = image.filter(ImageFilter.GaussianBlur(0.6))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        return out.getvalue()

    def _jitter(self) -> tuple[int, int]:
        return self._rng.randint(-6, 6), self._rng.randint(-6, 6)

    def frames(self) -> Iterator[bytes]:
        while not self.closed and (self.limit is None or self.frame_count < self.limit):
            self.frame_count += 1
            yield self._draw(self.size, self._jitter())

    def capture(self) -> bytes:
        if self.closed:
            raise RuntimeError("the frame source is closed")
        return self._draw(self.capture_size, self._jitter())

    def close(self) -> None:
        self.closed = True
