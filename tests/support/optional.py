"""Optional dependencies: a test that needs one is skipped when it is not installed, with its name and
the extra that brings it. Only a module that is *not there* skips: a module that is there but fails to
import (a bug in our code or a broken install) raises, so the tests fail instead of vanishing."""

from __future__ import annotations

import importlib.util

import pytest

# the extra of pyproject.toml that installs each optional module (import name -> extra)
EXTRAS = {
    "fastapi": "server",
    "uvicorn": "server",
    "argon2": "server",
    "pydantic": "server",
    "psycopg": "server",
    "PyInstaller": "build",
}
SERVER_MODULES = ("fastapi", "uvicorn", "argon2", "pydantic")


def missing(*modules: str) -> list[str]:
    """The modules of ``modules`` that are not installed (found without importing them)."""
    return [name for name in modules if importlib.util.find_spec(name) is None]


def skip_reason(names: list[str]) -> str:
    extras = sorted({EXTRAS.get(n, "dev") for n in names})
    return f"optional dependency not installed: {', '.join(names)} (pip install '.[{','.join(extras)}]')"


def requires(*modules: str) -> pytest.MarkDecorator:
    """``pytestmark = requires("fastapi")``: skip, naming what is missing, only if it is missing."""
    absent = missing(*modules)
    return pytest.mark.skipif(bool(absent), reason=skip_reason(absent))
