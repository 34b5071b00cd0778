"""The content-addressed attachment store, on real files in a temporary folder."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from smartdesk.errors import AttachmentError, NotFoundError
from smartdesk.receipts import normalize
from smartdesk.store.attachments import AttachmentInfo, AttachmentStore
from tests.support.waits import wait_until
from tests.unit.test_receipts import camera_photo, make_pdf

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")


def test_put_bytes_names_the_file_by_its_sha256(store: AttachmentStore) -> None:
    data = b"receipt bytes"
    info = store.put_bytes(data, "image/jpeg")
    sha = hashlib.sha256(data).hexdigest()
    assert info == AttachmentInfo(sha256=sha, size=len(data), media_type="image/jpeg")
    assert store.path(sha) == store.root / sha[:2] / sha
    assert store.path(sha).read_bytes() == data
    assert store.exists(sha) and store.read(sha) == data
    with store.open(sha) as fh:
        assert fh.read() == data
    assert store.size(sha) == len(data)


def test_put_is_idempotent(store: AttachmentStore) -> None:
    first = store.put_bytes(b"same", "application/pdf")
    mtime = store.path(first.sha256).stat().st_mtime_ns
    again = store.put_bytes(b"same", "application/pdf")
    assert again == first
    assert store.path(first.sha256).stat().st_mtime_ns == mtime  # not rewritten
    assert list(store.iter_hashes()) == [first.sha256]


def test_write_is_atomic_and_leaves_no_temporary_file(store: AttachmentStore, monkeypatch) -> None:
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()

    def crash(src, dst):  # the process dies right before the rename
        raise OSError("simulated crash")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.put_bytes(data, "image/jpeg")
    monkeypatch.undo()
    assert not store.exists(sha)  # no half-written file under the name
    assert list((store.root / "tmp").iterdir()) == []  # and the temporary file was removed
    store.put_bytes(data, "image/jpeg")
    assert store.verify(sha)


def test_a_killed_writer_leaves_either_nothing_or_the_whole_file(tmp_path: Path) -> None:
    """SIGKILL a process in the middle of writing big attachments: every stored file verifies."""
    root = tmp_path / "att"
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from smartdesk.store.attachments import AttachmentStore\n"
        f"s = AttachmentStore({str(root)!r})\n"
        "print('ready', flush=True)\n"
        "for i in range(10_000):\n"
        "    s.put_bytes(os.urandom(2_000_000), 'image/jpeg')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    store = AttachmentStore(root)
    # kill it in the middle of writing, once it has stored two pictures (however long a loaded machine takes)
    wait_until(lambda: len(list(store.iter_hashes())) >= 2, what="two stored pictures")
    proc.kill()
    proc.wait()
    hashes = list(store.iter_hashes())
    assert hashes, "the writer never stored anything"
    assert all(store.verify(h) for h in hashes)
    store.clean_temporary()
    assert list((root / "tmp").iterdir()) == []


def test_verify_detects_damage_and_a_put_repairs_it(store: AttachmentStore) -> None:
    data = b"x" * 1000
    info = store.put_bytes(data, "image/jpeg")
    assert store.verify(info.sha256)
    path = store.path(info.sha256)
    path.chmod(0o644)
    path.write_bytes(b"y" * 1000)  # same size, different content (bit rot)
    assert not store.verify(info.sha256)
    store.put_bytes(data, "image/jpeg")  # adding the receipt again repairs it
    assert store.verify(info.sha256)
    path.write_bytes(b"x" * 10)  # truncated
    assert not store.verify(info.sha256)
    store.put_bytes(data, "image/jpeg")  # a truncated copy is replaced by the good bytes
    assert store.verify(info.sha256)
    assert not store.verify("0" * 64)  # missing: not intact


def test_expected_hash_refuses_damaged_downloads(store: AttachmentStore, tmp_path: Path) -> None:
    good = b"blob from the server"
    sha = hashlib.sha256(good).hexdigest()
    with pytest.raises(AttachmentError) as info:
        store.put_bytes(b"blob from the servex", "image/jpeg", expected_sha256=sha)
    assert "Nothing was saved" in str(info.value)
    assert list(store.iter_hashes()) == []
    assert store.put_bytes(good, "image/jpeg", expected_sha256=sha).sha256 == sha

    big = tmp_path / "download.part"
    big.write_bytes(os.urandom(3_000_000))
    big_sha = hashlib.sha256(big.read_bytes()).hexdigest()
    with pytest.raises(AttachmentError):
        store.put_file(big, "application/pdf", expected_sha256=sha)
    assert not store.exists(big_sha) and list((store.root / "tmp").iterdir()) == []
    info2 = store.put_file(big, "application/pdf", expected_sha256=big_sha)
    assert info2.size == 3_000_000 and store.verify(big_sha)


def test_bad_references_are_refused_not_turned_into_paths(store: AttachmentStore) -> None:
    for bad in ("../../etc/passwd", "abc", "g" * 64, "", "A" * 63):
        with pytest.raises(AttachmentError):
            store.path(bad)
    upper = store.put_bytes(b"case", "image/jpeg").sha256.upper()
    assert store.exists(upper)  # hex in capitals is the same reference


def test_missing_file_gives_a_plain_message(store: AttachmentStore) -> None:
    with pytest.raises(NotFoundError) as info:
        store.read("ab" * 32)
    assert "not on this computer" in str(info.value) and "Sync" in str(info.value)


def test_delete_removes_the_file_and_its_previews(store: AttachmentStore) -> None:
    page = normalize(camera_photo(1)).pages[0]
    info = store.put_bytes(page, "image/jpeg")
    store.thumbnail(info.sha256, 64)
    assert list((store.root / "thumbs").rglob(f"{info.sha256}-*"))
    assert store.delete(info.sha256) is True
    assert not store.exists(info.sha256)
    assert list((store.root / "thumbs").rglob(f"{info.sha256}-*")) == []
    assert store.delete(info.sha256) is False


def test_iter_hashes_lists_only_stored_files(store: AttachmentStore) -> None:
    hashes = {store.put_bytes(bytes([i]) * 10, "image/jpeg").sha256 for i in range(5)}
    (store.root / "tmp" / ".part-leftover").write_bytes(b"half")
    (store.root / "ab").mkdir(exist_ok=True)
    (store.root / "ab" / "notes.txt").write_text("stray file")
    store.thumbnail(store.put_bytes(normalize(camera_photo(2)).pages[0], "image/jpeg").sha256)
    listed = list(store.iter_hashes())
    assert len(listed) == 6 and hashes < set(listed)
    assert store.clean_temporary() == 1


def test_thumbnails_are_rendered_and_cached(store: AttachmentStore) -> None:
    photo = store.put_bytes(normalize(camera_photo(6, (1200, 800))).pages[0], "image/jpeg")
    thumb = store.thumbnail(photo.sha256)
    image = Image.open(io.BytesIO(thumb))
    assert image.format == "JPEG" and image.size == (256, 171)
    cached = store.root / "thumbs" / photo.sha256[:2] / f"{photo.sha256}-256"
    assert cached.read_bytes() == thumb
    cached.write_bytes(b"cached marker")  # served from the cache, not re-rendered
    assert store.thumbnail(photo.sha256) == b"cached marker"

    pdf = store.put_bytes(make_pdf(), "application/pdf")
    pdf_thumb = Image.open(io.BytesIO(store.thumbnail(pdf.sha256, 128)))
    assert max(pdf_thumb.size) == 128


def test_workspace_exposes_the_store(workspace) -> None:
    info = workspace.attachments.put_bytes(b"from the workspace", "image/jpeg")
    assert workspace.attachments.verify(info.sha256)
    assert workspace.attachments.root == workspace.folder / "attachments"


def test_parallel_puts_of_the_same_bytes_do_not_collide(store: AttachmentStore) -> None:
    data = os.urandom(500_000)
    errors: list[BaseException] = []

    def put() -> None:
        try:
            store.put_bytes(data, "image/jpeg")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(store.iter_hashes()) == [hashlib.sha256(data).hexdigest()]
    assert store.verify(hashlib.sha256(data).hexdigest())
