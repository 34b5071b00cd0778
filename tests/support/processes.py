"""Child processes as the tests run them: a command line with its output captured as text (the CLIs, a
child interpreter, lint-imports)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path


def run_captured(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float | None = None,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` and wait for it: ``stdin`` as its input, its stdout and stderr kept as text; a failing
    exit code raises only with ``check``."""
    return subprocess.run(
        list(argv),
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def run_python(
    code: str,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child interpreter of this virtualenv (a clean ``sys.modules``, its own Qt)."""
    return run_captured([sys.executable, "-c", code], cwd=cwd, env=env, timeout=timeout, check=check)
