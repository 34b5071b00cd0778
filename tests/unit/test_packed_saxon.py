"""The bundle's packed Saxon core library (build.spec packs it with xz): unpacked once into the cache,
byte for byte, and loaded; nothing happens outside a bundle. A small real shared library (zlib) stands
in for the 96 MB one."""

from __future__ import annotations

import ctypes
import ctypes.util
import lzma
import sys
from pathlib import Path

import pytest

from smartdesk.einvoice import packed_saxon


def _real_library() -> Path:
    name = ctypes.util.find_library("z")
    for folder in ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"):
        if name and (Path(folder) / name).is_file():
            return Path(folder) / name
    pytest.skip("no zlib shared library to stand in for Saxon's core")


def test_outside_a_bundle_nothing_is_unpacked(tmp_path: Path) -> None:
    assert not getattr(sys, "frozen", False)
    assert packed_saxon.ensure_core(cache=tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_the_packed_library_is_unpacked_once_and_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _real_library().read_bytes()
    bundle = tmp_path / "bundle"
    (bundle / "saxonche.libs").mkdir(parents=True)
    (bundle / "saxonche.libs" / "libsaxonc-core-he-test.so.1.xz").write_bytes(lzma.compress(original))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(packed_saxon, "_loaded", [])

    target = packed_saxon.ensure_core(cache=tmp_path / "cache")
    assert target is not None and target.name == "libsaxonc-core-he-test.so.1"
    assert target.read_bytes() == original
    [lib] = packed_saxon._loaded
    assert isinstance(lib, ctypes.CDLL) and lib._name == str(target)
    assert lib.zlibVersion  # a symbol of the loaded library resolves
    # the second time (the next check, the next start): the unpacked file is used as it is
    before = target.stat().st_mtime_ns
    assert packed_saxon.ensure_core(cache=tmp_path / "cache") == target
    assert target.stat().st_mtime_ns == before and len(packed_saxon._loaded) == 1
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial file left
