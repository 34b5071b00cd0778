"""Without a keyring the sign-in lasts one session, but the e-mail address is remembered (never the
password): the next sign-in only asks for the password."""

from __future__ import annotations

from pathlib import Path

from smartdesk.services import Workspace
from tests.support.sync_harness import PASSWORD, MemoryCredentials, SyncServer


def test_email_remembered_password_never_stored(tmp_path: Path, sync_server: SyncServer) -> None:
    email, _account = sync_server.member()
    folder = tmp_path / "data"
    ws = Workspace.open(folder)
    ws.sync._credentials = MemoryCredentials(str(folder))  # noqa: SLF001 - the keyring edge switched off
    assert ws.sync.last_email() == ""
    ws.sync.sign_in(sync_server.url, email, PASSWORD)
    ws.close()

    ws = Workspace.open(folder)
    try:
        ws.sync._credentials = MemoryCredentials(str(folder))  # noqa: SLF001 - the keyring edge switched off
        assert ws.sync.saved_sign_in() is None, "no keyring: signed out after a restart"
        assert ws.sync.last_email() == email
        assert ws.sync.server() == sync_server.url.rstrip("/")
    finally:
        ws.close()
    for path in folder.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), f"the password is in {path}"
