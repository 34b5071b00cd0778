"""Sync as a use case: sign in, sign out, one run, status and counts, conflicts, refusals.

ONE ``SyncService`` per workspace (``ws.sync``), used by the command line (``smartdesk login | sync |
sync-status | logout``) and by the GUI's ``SyncController`` alike; the GUI adds only timers, a worker
thread and signals. The service keeps the engine it built (one server, one member) so that a long
running app reuses it from run to run. It is meant for one thread at a time (the GUI's sync thread).

Pieces underneath: ``smartdesk.sync.client`` (HTTP), ``sync.credentials`` (keyring), ``sync.engine``
(one run), ``sync.local`` (local tables, conflicts and refusals, each write in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from smartdesk.errors import SyncError

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace
    from smartdesk.sync.client import SyncClient
    from smartdesk.sync.credentials import Credentials, CredentialStore
    from smartdesk.sync.engine import SyncEngine, SyncResult, SyncStatus
    from smartdesk.sync.local import Conflict, Rejection

KEEP_CHOICES = ("mine", "theirs", "copy")


def normalize_server(server: str) -> str:
    """What the member typed as the server's address, as a URL: "sync.coop" -> "https://sync.coop"."""
    server = server.strip().rstrip("/")
    if server and "://" not in server:
        server = "https://" + server
    return server


class SyncService:
    """``ws.sync``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self.engine: SyncEngine | None = None
        self._credentials: CredentialStore | None = None
        self._client_cls: Callable[..., SyncClient] | None = None
        self._pull_limit: int | None = None

    # --- set-up --------------------------------------------------------------------------------
    def configure(
        self, *, client_cls: Callable[..., SyncClient] | None = None, pull_limit: int | None = None
    ) -> None:
        """How engines are built from now on: the client class (the GUI watches the pulled pages) and
        the size of one pull page (smaller in the app, to keep the window fluid)."""
        self._client_cls = client_cls
        self._pull_limit = pull_limit

    @property
    def account(self) -> str:
        """The keyring account of this data folder: one sign-in per folder."""
        return str(self._ws.folder)

    @property
    def credentials(self) -> CredentialStore:
        if self._credentials is None:
            from smartdesk.sync.credentials import CredentialStore

            self._credentials = CredentialStore(self.account)
        return self._credentials

    @property
    def keyring_warning(self) -> str:
        """Non-empty when the sign-in can only be kept in memory (no usable keyring on this computer)."""
        return (
            str(self._credentials.warning)
            if self._credentials is not None and self._credentials.warning
            else ""
        )

    def saved_sign_in(self) -> Credentials | None:
        """The sign-in kept in the keyring for this data folder, if any."""
        return self.credentials.load()

    def server(self) -> str:
        """The server in use, or the last one used ("" when none)."""
        from smartdesk.sync import local

        if self.engine is not None:
            return self.engine.client.server
        return str(self._ws.store.get_state(local.KEY_SERVER) or "")

    def last_email(self) -> str:
        """The e-mail address of the last sign-in on this data folder ("" when none): remembered without
        a keyring too, so signing in again only asks for the password (which is never stored here)."""
        from smartdesk.sync import local

        return str(self._ws.store.get_state(local.KEY_EMAIL) or "")

    def signed_in(self) -> Credentials | None:
        """The sign-in of the engine in use (None when signed out or not connected yet)."""
        return self.engine.client.credentials_info if self.engine is not None else None

    def _build(self, server: str) -> SyncEngine:
        from smartdesk.sync import local
        from smartdesk.sync.client import SyncClient
        from smartdesk.sync.engine import SyncEngine

        cls = self._client_cls or SyncClient
        client = cls(server, self.credentials, client_id=local.client_id(self._ws.store))
        engine = SyncEngine(self._ws.store, client, self._ws.attachments)
        if self._pull_limit:
            engine.pull_limit = self._pull_limit
        return engine

    def connect(self, server: str | None = None) -> SyncEngine:
        """The engine for the saved sign-in (or ``server``); SyncError(kind="auth") when no server was
        ever set up. Nothing goes over the network here."""
        if server is None and self.engine is not None:
            return self.engine
        saved = self.saved_sign_in()
        url = server or (saved.server if saved else None) or self.server()
        if not url:
            raise SyncError(
                "Your work is saved on this computer. Sign in to send it to the cooperative.",
                kind="auth",
                retry=False,
            )
        self.engine = self._build(url)
        return self.engine

    def load(self) -> bool:
        """At start: build the engine when a sign-in is saved. True when signed in."""
        saved = self.saved_sign_in()
        if saved is None:
            return False
        self.connect(saved.server)
        return True

    # --- sign in / out ---------------------------------------------------------------------------
    def sign_in(self, server: str, email: str, password: str) -> Credentials:
        """Sign in (network); the server is remembered for next time. SyncError in plain words."""
        from smartdesk.sync import local

        engine = self._build(normalize_server(server))
        try:
            creds = engine.client.login(email.strip(), password)
        except BaseException:
            self.engine = None  # a failed sign-in leaves this computer signed out
            raise
        store = self._ws.store
        with store.write() as conn:
            store.set_state(conn, local.KEY_SERVER, engine.client.server)
            store.set_state(conn, local.KEY_EMAIL, email.strip())
        self.engine = engine
        return creds

    def sign_out(self) -> bool:
        """Forget the sign-in (revoked on the server when it can be reached). Unsent changes stay.
        False when nobody was signed in."""
        engine = self.engine
        if engine is None and self.saved_sign_in() is not None:
            engine = self.connect()
        self.engine = None
        if engine is None:
            self.credentials.delete()
            return False
        engine.client.logout()
        return True

    # --- running ---------------------------------------------------------------------------------
    def run(self, attempts: int = 1, base: float = 0.5) -> SyncResult:
        """One sync (blobs, push, pull), retried ``attempts`` times on transient failures."""
        from smartdesk.sync.engine import sync_with_retry

        engine = self.connect()
        if attempts <= 1:
            return engine.sync()
        return sync_with_retry(engine, attempts=attempts, base=base)

    def probe(self, timeout: float = 3.0) -> bool:
        """Can the server be reached? (``GET /health``; False when no server is set up.)"""
        if self.engine is None:
            return False
        return bool(self.engine.client.probe(timeout))

    # --- what is waiting ----------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        """Online, last success, last error and what waits (works signed out, without any network)."""
        from smartdesk.sync import local
        from smartdesk.sync.engine import SyncStatus

        if self.engine is not None:
            return self.engine.status()
        pending, conflicts, rejections = local.waiting_counts(self._ws.store)
        store = self._ws.store
        return SyncStatus(
            online=True,
            last_success_at=store.get_state(local.KEY_LAST_SUCCESS),
            pending=pending,
            last_error=store.get_state(local.KEY_LAST_ERROR),
            conflicts=conflicts,
            rejections=rejections,
        )

    def counts(self) -> tuple[int, int, int]:
        """(records with changes not yet sent, open conflicts, refusals not yet dismissed)."""
        from smartdesk.sync import local

        return local.waiting_counts(self._ws.store)

    def pending_changes(self) -> int:
        """Records with changes not yet sent to the cooperative."""
        return self._ws.store.pending_records()

    def outbox_head(self) -> int:
        """The newest outbox entry's id: a cheap way to see that something was edited."""
        return self._ws.store.outbox_head()

    def last_success_at(self) -> str | None:
        from smartdesk.sync import local

        value = self._ws.store.get_state(local.KEY_LAST_SUCCESS)
        return None if value is None else str(value)

    def last_error(self) -> str | None:
        from smartdesk.sync import local

        value = self._ws.store.get_state(local.KEY_LAST_ERROR)
        return None if value is None else str(value)

    def document_statuses(self, ids: list[str]) -> dict[str, str]:
        """Local status of these documents (those present): what a pull is about to change."""
        from smartdesk.sync import local

        with self._ws.store.read() as conn:
            return local.document_statuses(conn, ids)

    # --- conflicts and refusals -----------------------------------------------------------------------
    def conflicts(self, include_held: bool = False) -> list[Conflict]:
        """Records changed here and at the cooperative, with both values, for the member to choose."""
        from smartdesk.sync import local

        return local.list_conflicts(self._ws.store, include_held=include_held)

    def rejections(self, include_dismissed: bool = False) -> list[Rejection]:
        """Changes the server refused for good, with its reason, until the member dismisses them."""
        from smartdesk.sync import local

        return local.list_rejections(self._ws.store, include_dismissed)

    def resolve(self, conflict_id: int, keep: str) -> str:
        """Close a conflict keeping ``mine``, ``theirs`` or a ``copy`` of mine as a new draft (the same
        copy rules as "Duplicate": today's date and terms); the server's version stays. ONE local
        transaction. Returns the new draft's id for ``copy``, else ""."""
        from smartdesk.sync import local

        if keep not in KEEP_CHOICES:
            raise ValueError("keep must be 'mine', 'theirs' or 'copy'")
        return (
            local.resolve_conflict(self._ws.store, conflict_id, keep, new_draft=self._ws.documents.draft_copy)
            or ""
        )

    def dismiss(self, mutation_id: int) -> None:
        """The member has read a refusal: it leaves the list (kept, marked dismissed)."""
        from smartdesk.sync import local

        local.dismiss_rejection(self._ws.store, mutation_id)

    def write_version(self, entity: str, value: dict[str, Any] | None) -> None:
        """Write one side of a conflict back as a member edit (undo / redo of a choice)."""
        if value is None:
            return
        from smartdesk.domain.serialize import activity_from_dict, client_from_dict, document_from_dict

        if entity == "document":
            self._ws.documents.save(document_from_dict(value))
        elif entity == "client":
            self._ws.clients.save(client_from_dict(value))
        elif entity == "activity":
            self._ws.activities.save(activity_from_dict(value))
