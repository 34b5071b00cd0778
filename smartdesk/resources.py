"""One way to find shipped resources (fonts, icons, catalogues) from a source checkout,
an installed package and the frozen PyInstaller bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    candidates: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller bundle: build.spec copies resources/ into the bundle
        candidates.append(Path(frozen_root) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")  # source checkout / editable
    candidates.append(Path(sys.prefix) / "share" / "smartdesk" / "resources")  # wheel data-files
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError("SmartDesk's resources folder is missing; reinstall SmartDesk.")


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. ``resource_path("fonts", "NotoSans-Regular.ttf")``."""
    return resources_dir().joinpath(*parts)
