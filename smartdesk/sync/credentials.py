"""Where the sync tokens live: the system keyring, never a file or a log.

When the system has no usable keyring (a bare Linux session, a container: ``keyring`` falls back to
``keyring.backends.fail.Keyring`` or raises), the tokens are kept in memory for this session only and
``CredentialStore.warning`` says so in plain words; the member signs in again next time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

SERVICE = "SmartDesk sync"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Credentials:
    server: str
    email: str
    access_token: str
    refresh_token: str = ""
    member_id: str = ""


NO_KEYRING = (
    "This computer has no password store (keyring) SmartDesk can use, so you stay signed in only "
    "until SmartDesk closes. Install or unlock a keyring (e.g. GNOME Keyring, KWallet) to stay "
    "signed in."
)


class CredentialStore:
    """Tokens per data folder (``account`` names the folder), in the keyring or in memory."""

    _memory: dict[str, str] = {}  # shared by every instance of the process: "this session"

    def __init__(self, account: str) -> None:
        self.account = account
        self.warning = ""
        self._keyring = self._usable_keyring()

    def _usable_keyring(self):  # type: ignore[no-untyped-def]
        try:
            import keyring
            from keyring.backends import fail

            backend = keyring.get_keyring()
        except Exception as exc:  # noqa: BLE001 - any import/config problem means "no keyring"
            _log.info("no keyring: %s", exc)
            self.warning = NO_KEYRING
            return None
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            self.warning = NO_KEYRING
            return None
        return keyring

    @property
    def persistent(self) -> bool:
        return self._keyring is not None

    def load(self) -> Credentials | None:
        raw: str | None = self._memory.get(self.account)
        if raw is None and self._keyring is not None:
            try:
                raw = self._keyring.get_password(SERVICE, self.account)
            except Exception as exc:  # noqa: BLE001 - a locked or broken keyring: fall back to memory
                self._fallback(exc)
                raw = None
        if not raw:
            return None
        try:
            return Credentials(**json.loads(raw))
        except (ValueError, TypeError):
            return None

    def save(self, creds: Credentials) -> None:
        raw = json.dumps(asdict(creds))
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, self.account, raw)
                self._memory.pop(self.account, None)
                return
            except Exception as exc:  # noqa: BLE001
                self._fallback(exc)
        self._memory[self.account] = raw

    def delete(self) -> None:
        """Sign out: forget the tokens everywhere they may be."""
        self._memory.pop(self.account, None)
        if self._keyring is not None:
            try:
                self._keyring.delete_password(SERVICE, self.account)
            except Exception as exc:  # noqa: BLE001 - nothing stored, or the keyring went away
                _log.info("keyring delete: %s", exc)

    def _fallback(self, exc: Exception) -> None:
        _log.warning("keyring unusable, keeping the sign-in in memory: %s", type(exc).__name__)
        self._keyring = None
        self.warning = NO_KEYRING
