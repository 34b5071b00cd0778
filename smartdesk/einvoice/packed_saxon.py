"""Saxon's core library, packed in the Linux bundle: unpacked once into the user's cache, then loaded.

``libsaxonc-core-he`` (a GraalVM native image) is 96 MB, half the rest of the desktop bundle; xz packs
it to 25 MB. ``build.spec`` ships ``saxonche.libs/<name>.xz`` instead of the library. Before Saxon is
first imported, :func:`ensure_core` unpacks it (about 1.5 s, once per installation and version) into
the cache folder and loads it with ``RTLD_GLOBAL``: the dynamic loader then finds the already loaded
library by its soname when ``saxonche`` asks for it. Outside such a bundle it does nothing.
"""

from __future__ import annotations

import ctypes
import lzma
import os
import sys
import threading
from pathlib import Path

from platformdirs import user_cache_dir

_loaded: list[ctypes.CDLL] = []  # kept referenced for the life of the process
_lock = threading.Lock()


def _packed() -> Path | None:
    base = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or base is None:
        return None
    found = sorted((Path(base) / "saxonche.libs").glob("libsaxonc-core-*.xz"))
    return found[0] if found else None


def ensure_core(cache: Path | None = None) -> Path | None:
    """Unpack and load the packed core library if this bundle has one; returns its path (or None)."""
    packed = _packed()
    if packed is None:
        return None
    with _lock:
        name = packed.name.removesuffix(".xz")
        folder = (
            (cache or Path(user_cache_dir("SmartDesk", appauthor=False)))
            / "saxon"
            / str(packed.stat().st_size)
        )
        target = folder / name
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{name}.{os.getpid()}.part"
            with lzma.open(packed) as source, partial.open("wb") as out:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
            partial.chmod(0o755)
            os.replace(partial, target)  # atomic: another process sees the whole file or none
        if not _loaded:
            _loaded.append(ctypes.CDLL(str(target), mode=ctypes.RTLD_GLOBAL))
    return target
