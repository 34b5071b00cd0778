"""ARCHITECTURE rule 1: no Qt below smartdesk/gui; the server never imports the GUI; the layers of
docs/architecture.md, as import-linter contracts (``.importlinter`` at the root)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support.processes import run_captured

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


# --- import-linter: the contracts of .importlinter ------------------------------------------------------
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")  # installed with the dev extra


def _lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run lint-imports in a child process (its own interpreter: the import graph is built fresh)."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return run_captured([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, env=env, timeout=300)


def test_import_linter_keeps_every_contract() -> None:
    config = (ROOT / ".importlinter").read_text(encoding="utf-8")
    contracts = config.count("[importlinter:contract:")
    assert contracts >= 3  # layers, server, Qt
    run = _lint_imports(ROOT)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert f"Contracts: {contracts} kept, 0 broken." in output, output


def test_import_linter_fails_on_a_forbidden_import(tmp_path: Path) -> None:
    """The checker checks: the same kind of contracts over a small package, kept, then broken by one import."""
    package = tmp_path / "layered"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "high.py").write_text("from layered import low\n")
    (package / "low.py").write_text("VALUE = 1\n")
    (tmp_path / ".importlinter").write_text(
        textwrap.dedent("""\
        [importlinter]
        root_package = layered

        [importlinter:contract:layers]
        name = high above low
        type = layers
        layers =
            layered.high
            layered.low
        """)
    )
    kept = _lint_imports(tmp_path, pythonpath=tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "Contracts: 1 kept, 0 broken." in kept.stdout

    (package / "low.py").write_text("from layered.high import low as _below\nVALUE = 1\n")  # low reaches up
    broken = _lint_imports(tmp_path, pythonpath=tmp_path)
    assert broken.returncode != 0
    assert "Contracts: 0 kept, 1 broken." in broken.stdout, broken.stdout + broken.stderr
    assert "layered.low -> layered.high" in broken.stdout, broken.stdout
