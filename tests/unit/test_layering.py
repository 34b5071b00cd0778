"""ARCHITECTURE rule 1: no Qt below smartdesk/gui; the server never imports the GUI."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _python_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.py") if "__pycache__" not in p.parts]


def test_only_gui_imports_qt() -> None:
    offenders = []
    for path in _python_files(ROOT / "smartdesk") + _python_files(ROOT / "smartdesk_server"):
        if (ROOT / "smartdesk" / "gui") in path.parents:
            continue
        if any(name.split(".")[0] in ("PySide6", "shiboken6") for name in _imports(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], f"Qt imported outside smartdesk/gui: {offenders}"


def test_server_never_imports_gui() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in _python_files(ROOT / "smartdesk_server")
        if any(n == "smartdesk.gui" or n.startswith("smartdesk.gui.") for n in _imports(p))
    ]
    assert offenders == []


def test_checker_detects_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport smartdesk.gui.app\n")
    names = _imports(sample)
    assert "PySide6.QtCore" in names and "smartdesk.gui.app" in names


def test_gui_package_exists_and_is_the_qt_home() -> None:
    assert (ROOT / "smartdesk" / "gui").is_dir()
