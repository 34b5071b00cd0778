"""``write_atomically``: the target gets the whole new file or stays as it was; no ``.part`` is left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smartdesk.services.safe_write import write_atomically


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_the_file_is_written_in_place_and_what_write_returns_comes_back(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    seen: list[Path] = []

    def write(temporary: Path) -> int:
        seen.append(temporary)
        assert not target.exists()  # nothing at the target until the whole file is written
        return temporary.write_bytes(b"a;b\n1;2\n")

    assert write_atomically(target, write) == 8
    assert target.read_bytes() == b"a;b\n1;2\n"
    assert seen == [tmp_path / ".list.csv.part"]
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "invoice.pdf"
    target.write_bytes(b"old")
    write_atomically(target, lambda temporary: temporary.write_bytes(b"new content"))
    assert target.read_bytes() == b"new content"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX modes; root writes anywhere")
def test_a_folder_that_cannot_be_written_raises_and_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            write_atomically(folder / "invoice.pdf", lambda temporary: temporary.write_bytes(b"%PDF-"))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_failed_move_removes_the_part_file_and_keeps_the_target(tmp_path: Path) -> None:
    # the target is a folder with a file in it: the .part is written, then os.replace fails (as root too)
    target = tmp_path / "invoice.pdf"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(OSError):
        write_atomically(target, lambda temporary: temporary.write_bytes(b"%PDF-"))
    assert leftovers(tmp_path) == []
    assert (target / "keep.txt").read_text() == "mine"


def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    target.write_text("old list")

    def write(temporary: Path) -> None:
        temporary.write_text("half of the new li")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, write)
    assert target.read_text() == "old list"
    assert leftovers(tmp_path) == []


def test_a_missing_folder_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "missing" / "x.pdf", lambda temporary: temporary.write_bytes(b"%PDF-"))
    assert list(tmp_path.iterdir()) == []
