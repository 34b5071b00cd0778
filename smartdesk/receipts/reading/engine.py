"""Text recognition engines, on the device, CPU only, models installed with the package.

``get_engine()`` loads the engine once per process (a few hundred ms) and hands the same object to every
caller; ``recognize`` may be called from any thread (calls are serialized by a lock per engine, the
ONNX sessions use the machine's cores themselves; Tesseract runs as one process per call). Two engines:

- ``tesseract``: the ``tesseract-ocr`` program (Debian package, with the fra/nld/deu/eng data packages)
  through its command line, one thread per call. The default: about four times less CPU per receipt
  than RapidOCR and 21 MB instead of about 480 MB, at the same accuracy on the generated set
  (docs/decisions/0016-receipt-reading.md).
- ``rapidocr``: RapidOCR on ONNX Runtime (PP-OCRv4 models shipped inside the ``rapidocr_onnxruntime``
  wheel; ``pip install 'smartdesk[ocr]'``); used when Tesseract is missing or when asked
  (``SMARTDESK_OCR_ENGINE=rapidocr``, ``--engine rapidocr``).

Neither downloads anything at run time. When none is installed, ``get_engine()`` returns None and the
app simply does not suggest values.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image


@dataclass(frozen=True)
class TextBox:
    """One piece of recognized text, its score (0..1) and its box in pixels (left, top, right, bottom)."""

    text: str
    score: float
    box: tuple[float, float, float, float]
    #: slope of the text's baseline in radians (0 for level text), and the text's own height
    angle: float = 0.0
    height: float = 0.0


class OcrEngine(Protocol):
    name: str

    def recognize(self, image: Image.Image) -> list[TextBox]: ...


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR()
        self._lock = threading.Lock()

    def recognize(self, image: Image.Image) -> list[TextBox]:
        import numpy as np

        rgb = np.asarray(image.convert("RGB"))[:, :, ::-1]  # RapidOCR works in OpenCV's BGR order
        with self._lock:
            result, _elapsed = self._ocr(np.ascontiguousarray(rgb))
        boxes: list[TextBox] = []
        for points, text, score in result or []:
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            (x0, y0), (x1, y1), _br, (x3, y3) = points
            angle = math.atan2(y1 - y0, x1 - x0) if x1 - x0 > 0 else 0.0
            boxes.append(
                TextBox(
                    str(text),
                    float(score),
                    (min(xs), min(ys), max(xs), max(ys)),
                    angle,
                    math.hypot(x3 - x0, y3 - y0),
                )
            )
        return boxes


#: the languages SmartDesk reads receipts in (Tesseract's names), best first
TESSERACT_LANGUAGES = ("fra", "nld", "deu", "eng")


@dataclass(frozen=True)
class TesseractInstall:
    """Where the Tesseract program is, its data folder (None: the program's own default) and the extra
    library folder of a bundled copy; ``where`` says it in words (self-test, logs)."""

    program: str
    tessdata: str | None
    libraries: tuple[str, ...]
    where: str


def find_tesseract() -> TesseractInstall | None:
    """The frozen app's own copy (``<bundle>/tesseract/``: the program, ``lib/`` and ``tessdata/``, put
    there by build.spec), else ``$SMARTDESK_TESSERACT`` (a program path), else ``tesseract`` on the PATH."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        home = Path(bundle) / "tesseract"
        if (home / "tesseract").is_file():
            return TesseractInstall(
                str(home / "tesseract"), str(home / "tessdata"), (str(home / "lib"), bundle), "bundled"
            )
    program = os.environ.get("SMARTDESK_TESSERACT") or shutil.which("tesseract")
    if program and Path(program).is_file():
        return TesseractInstall(program, None, (), program)
    return None


class TesseractEngine:
    name = "tesseract"

    def __init__(self) -> None:
        install = find_tesseract()
        if install is None:
            raise ModuleNotFoundError("tesseract")
        self.install = install
        self._program = install.program
        self._env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        if install.tessdata:
            self._env["TESSDATA_PREFIX"] = install.tessdata
        if install.libraries:
            self._env["LD_LIBRARY_PATH"] = os.pathsep.join(
                [*install.libraries, *filter(None, [os.environ.get("LD_LIBRARY_PATH_ORIG", "")])]
            )
        listed = subprocess.run(
            [self._program, "--list-langs"], capture_output=True, check=False, timeout=60, env=self._env
        )
        known = set(listed.stdout.decode("utf-8", "replace").split())
        found = [lang for lang in TESSERACT_LANGUAGES if lang in known]
        if listed.returncode != 0 or not found:
            raise OSError(
                f"Tesseract ({install.where}) has none of the languages {', '.join(TESSERACT_LANGUAGES)}"
            )
        #: the languages present (a missing data package only loses its language)
        self.found_languages = tuple(found)
        self.languages = "+".join(found)

    def recognize(self, image: Image.Image) -> list[TextBox]:
        import io

        buffer = io.BytesIO()
        image.convert("L").save(buffer, format="PNG")
        run = subprocess.run(
            [self._program, "stdin", "stdout", "-l", self.languages, "--psm", "6", "tsv"],
            input=buffer.getvalue(),
            capture_output=True,
            check=False,
            timeout=120,
            env=self._env,
        )
        words: dict[tuple[str, str, str], list[tuple[str, float, tuple[float, float, float, float]]]] = {}
        for row in run.stdout.decode("utf-8", "replace").splitlines()[1:]:
            cols = row.split("\t")
            if len(cols) < 12 or not cols[11].strip():
                continue
            left, top, width, height = (float(c) for c in cols[6:10])
            words.setdefault((cols[2], cols[3], cols[4]), []).append(
                (cols[11], max(0.0, float(cols[10])) / 100, (left, top, left + width, top + height))
            )
        boxes = []
        for parts in words.values():
            text = " ".join(p[0] for p in parts)
            score = sum(p[1] for p in parts) / len(parts)
            box = (
                min(p[2][0] for p in parts),
                min(p[2][1] for p in parts),
                max(p[2][2] for p in parts),
                max(p[2][3] for p in parts),
            )
            boxes.append(TextBox(text, score, box))
        return boxes


_ENGINES: dict[str, Callable[[], OcrEngine]] = {"rapidocr": RapidOcrEngine, "tesseract": TesseractEngine}
_loaded: dict[str, OcrEngine | None] = {}
_load_lock = threading.Lock()


def get_engine(name: str | None = None) -> OcrEngine | None:
    """The OCR engine of this process (loaded at the first call), or None when none is installed.

    ``name``: "tesseract", "rapidocr" or None for ``$SMARTDESK_OCR_ENGINE``, else Tesseract, else RapidOCR.
    """
    wanted = name or os.environ.get("SMARTDESK_OCR_ENGINE") or "auto"
    with _load_lock:
        if wanted not in _loaded:
            order = ["tesseract", "rapidocr"] if wanted == "auto" else [wanted]
            engine: OcrEngine | None = None
            for candidate in order:
                factory = _ENGINES.get(candidate)
                if factory is None:
                    continue
                try:
                    engine = factory()
                    break
                except (ImportError, OSError):
                    continue
            _loaded[wanted] = engine
        return _loaded[wanted]


def lines_of(boxes: list[TextBox]) -> list[tuple[str, float]]:
    """Boxes grouped into printed lines (top to bottom, left to right), with the mean score per line.

    The page's skew (median slope of the wide boxes) is taken out first, so that a label on the left and
    its amount on the right of a turned receipt stay on one line. Two boxes are on one line when their
    centres, measured across the text direction, are closer than half the text height; pieces of a line
    are joined with three spaces (columns stay apart for the amount rules).
    """
    if not boxes:
        return []
    wide = sorted(b.angle for b in boxes if b.box[2] - b.box[0] > 3 * max(b.height, 1))
    skew = wide[len(wide) // 2] if wide else 0.0
    cos, sin = math.cos(skew), math.sin(skew)

    def across(b: TextBox) -> float:
        cx, cy = (b.box[0] + b.box[2]) / 2, (b.box[1] + b.box[3]) / 2
        return cy * cos - cx * sin

    def along(b: TextBox) -> float:
        cx, cy = (b.box[0] + b.box[2]) / 2, (b.box[1] + b.box[3]) / 2
        return cx * cos + cy * sin

    def height(b: TextBox) -> float:
        return b.height or (b.box[3] - b.box[1])

    rows: list[list[TextBox]] = []
    for b in sorted(boxes, key=across):
        if rows:
            last = rows[-1]
            last_centre = sum(across(x) for x in last) / len(last)
            if abs(across(b) - last_centre) < max(height(b), max(height(x) for x in last)) * 0.5:
                last.append(b)
                continue
        rows.append([b])
    out = []
    for row in rows:
        row.sort(key=along)
        out.append(("   ".join(b.text for b in row), sum(b.score for b in row) / len(row)))
    return out
