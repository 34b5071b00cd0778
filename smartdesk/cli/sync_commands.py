"""``smartdesk login | logout | sync | sync-status``: sync from a script or a terminal."""

from __future__ import annotations

import argparse
import getpass
import sys

from smartdesk.cli import print_json, register
from smartdesk.errors import SyncError
from smartdesk.services import Workspace


def _account(ws: Workspace) -> str:
    return str(ws.folder)


def _engine(ws: Workspace, server: str | None = None):  # type: ignore[no-untyped-def]
    from smartdesk.sync import local
    from smartdesk.sync.client import SyncClient
    from smartdesk.sync.credentials import CredentialStore
    from smartdesk.sync.engine import SyncEngine

    creds = CredentialStore(_account(ws))
    saved = creds.load()
    url = server or (saved.server if saved else None) or ws.store.get_state(local.KEY_SERVER)
    if not url:
        raise SyncError("No server is set up yet. Sign in first: `smartdesk login --server URL --email E`.",
                        kind="auth", retry=False)
    client = SyncClient(url, creds)
    return SyncEngine(ws.store, client, ws.attachments), creds


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def cmd_login(args: argparse.Namespace) -> int:
    from smartdesk.sync import local
    from smartdesk.sync.client import SyncClient
    from smartdesk.sync.credentials import CredentialStore

    with Workspace.open(args.data_dir) as ws:
        creds = CredentialStore(_account(ws))
        client = SyncClient(args.server, creds, client_id=local.client_id(ws.store))
        password = _read_password(f"Password for {args.email}: ")
        client.login(args.email, password)
        with ws.store.write() as conn:
            ws.store.set_state(conn, local.KEY_SERVER, client.server)
        print(f"Signed in to {client.server} as {args.email}.")
        if creds.warning:
            print(creds.warning, file=sys.stderr)
            print("Syncing now, while the sign-in is in memory.", file=sys.stderr)
            from smartdesk.sync.engine import SyncEngine
            result = SyncEngine(ws.store, client, ws.attachments).sync()
            print(f"Sent {result.pushed} change(s), received {result.pulled}.")
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    from smartdesk.sync.client import SyncClient
    from smartdesk.sync.credentials import CredentialStore

    with Workspace.open(args.data_dir) as ws:
        creds = CredentialStore(_account(ws))
        saved = creds.load()
        if saved is None:
            print("You were not signed in.")
            return 0
        SyncClient(saved.server, creds).logout()
        pending = ws.pending_changes()
    print("Signed out." + (f" {pending} change(s) stay on this computer and are sent at the next sign-in."
                           if pending else ""))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from smartdesk.sync.engine import sync_with_retry

    with Workspace.open(args.data_dir) as ws:
        engine, _ = _engine(ws)
        result = sync_with_retry(engine, attempts=args.attempts, base=0.5)
        status = engine.status()
    if args.json:
        from dataclasses import asdict

        print_json({"result": asdict(result), "status": asdict(status)})
        return 0
    print(f"Sent {result.pushed} change(s), received {result.pulled}"
          + (f", {result.blobs_uploaded} receipt(s) uploaded" if result.blobs_uploaded else "") + ".")
    for message in result.messages:
        print(message)
    from smartdesk.sync.engine import describe_notice

    for notice in result.notices:
        print(describe_notice(notice))
    if result.rejected:
        print(f"{result.rejected} change(s) were refused by the server: `smartdesk sync-status` lists why.")
    if status.conflicts:
        print(f"{status.conflicts} record(s) changed both here and on the server: open SmartDesk to choose.")
    return 0


def cmd_sync_status(args: argparse.Namespace) -> int:
    from smartdesk.sync import local
    from smartdesk.sync.engine import SyncEngine, describe

    with Workspace.open(args.data_dir) as ws:
        local.ensure_tables(ws.store)
        server = ws.store.get_state(local.KEY_SERVER) or "http://not-configured.invalid"
        from smartdesk.sync.client import SyncClient
        from smartdesk.sync.credentials import CredentialStore

        creds = CredentialStore(_account(ws))
        signed = creds.load()
        status = SyncEngine(ws.store, SyncClient(server, None)).status()
        rejections = local.list_rejections(ws.store)
        conflicts = local.list_conflicts(ws.store, include_held=False)
    if args.json:
        from dataclasses import asdict

        print_json({"status": asdict(status), "server": server, "signed_in": signed is not None,
                    "rejections": [asdict(r) for r in rejections], "conflicts": [asdict(c) for c in conflicts]})
        return 0
    print(f"Server: {server}" + (f" (signed in as {signed.email})" if signed else " (not signed in)"))
    print(describe(status))
    for r in rejections:
        print(f"Refused: change #{r.mutation_id} ({r.name} {r.entity_id[:13]}): {r.reason}")
    for c in conflicts:
        print(f"Conflict: {c.entity} {c.entity_id[:13]} changed here and on the server.")
    return 0


def _register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("login", help="sign in to the cooperative's server (password asked, or read from stdin)")
    p.add_argument("--server", required=True, help="server address, e.g. https://sync.smart.coop")
    p.add_argument("--email", required=True, help="your e-mail address")
    p.set_defaults(handler=cmd_login)
    p = sub.add_parser("logout", help="sign out (unsent changes stay on this computer)")
    p.set_defaults(handler=cmd_logout)
    p = sub.add_parser("sync", help="send your changes and receive the cooperative's")
    p.add_argument("--attempts", type=int, default=3, help="tries when the server or network fails (default 3)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_sync)
    p = sub.add_parser("sync-status", help="what is waiting, refused or in conflict")
    p.add_argument("--json", action="store_true", help="print the status as JSON")
    p.set_defaults(handler=cmd_sync_status)


register(_register)
