"""One safe way to write a file a member asked for (an export, a PDF): never a half file.

The content is written next to the target as ``.NAME.part`` (same folder, so the move is a rename),
then moved into place with ``os.replace``; if writing or moving fails the ``.part`` file is removed
and the ``OSError`` goes on to the caller, which turns it into its own plain message.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[Path], T]) -> T:
    """Call ``write`` with a temporary path next to ``path``, then move that file onto ``path``.

    Returns what ``write`` returns. On ``OSError`` (from ``write`` or from the move) the temporary
    file is removed and the error raised again: ``path`` is then untouched (still the old file, or
    still missing)."""
    temporary = path.with_name(f".{path.name}.part")
    try:
        result = write(temporary)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    return result
