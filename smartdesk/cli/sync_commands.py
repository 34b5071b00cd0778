"""``smartdesk login | logout | sync | sync-status``: sync from a script or a terminal."""

from __future__ import annotations

import argparse
import getpass
import sys

from smartdesk.cli import print_json, register
from smartdesk.errors import SyncError
from smartdesk.services import Workspace

NOT_SET_UP = "No server is set up yet. Sign in first: `smartdesk login --server URL --email E`."


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def cmd_login(args: argparse.Namespace) -> int:
    with Workspace.open(args.data_dir) as ws:
        password = _read_password(f"Password for {args.email}: ")
        ws.sync.sign_in(args.server, args.email, password)
        print(f"Signed in to {ws.sync.server()} as {args.email}.")
        if ws.sync.keyring_warning:
            print(ws.sync.keyring_warning, file=sys.stderr)
            print("Syncing now, while the sign-in is in memory.", file=sys.stderr)
            result = ws.sync.run()
            print(f"Sent {result.pushed} change(s), received {result.pulled}.")
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    with Workspace.open(args.data_dir) as ws:
        if not ws.sync.sign_out():
            print("You were not signed in.")
            return 0
        pending = ws.sync.pending_changes()
    print(
        "Signed out."
        + (f" {pending} change(s) stay on this computer and are sent at the next sign-in." if pending else "")
    )
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    with Workspace.open(args.data_dir) as ws:
        if not ws.sync.server() and ws.sync.saved_sign_in() is None:
            raise SyncError(NOT_SET_UP, kind="auth", retry=False)
        result = ws.sync.run(attempts=args.attempts, base=0.5)
        status = ws.sync.status()
    if args.json:
        from dataclasses import asdict

        print_json({"result": asdict(result), "status": asdict(status)})
        return 0
    print(
        f"Sent {result.pushed} change(s), received {result.pulled}"
        + (f", {result.blobs_uploaded} receipt(s) uploaded" if result.blobs_uploaded else "")
        + "."
    )
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
    from smartdesk.sync.engine import describe

    with Workspace.open(args.data_dir) as ws:
        server = ws.sync.server() or "http://not-configured.invalid"
        signed = ws.sync.saved_sign_in()
        status = ws.sync.status()
        rejections = ws.sync.rejections()
        conflicts = ws.sync.conflicts()
    if args.json:
        from dataclasses import asdict

        print_json(
            {
                "status": asdict(status),
                "server": server,
                "signed_in": signed is not None,
                "rejections": [asdict(r) for r in rejections],
                "conflicts": [asdict(c) for c in conflicts],
            }
        )
        return 0
    print(f"Server: {server}" + (f" (signed in as {signed.email})" if signed else " (not signed in)"))
    print(describe(status))
    for r in rejections:
        print(f"Refused: change #{r.mutation_id} ({r.name} {r.entity_id[:13]}): {r.reason}")
    for c in conflicts:
        print(f"Conflict: {c.entity} {c.entity_id[:13]} changed here and on the server.")
    return 0


def _register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "login", help="sign in to the cooperative's server (password asked, or read from stdin)"
    )
    p.add_argument("--server", required=True, help="server address, e.g. https://sync.smart.coop")
    p.add_argument("--email", required=True, help="your e-mail address")
    p.set_defaults(handler=cmd_login)
    p = sub.add_parser("logout", help="sign out (unsent changes stay on this computer)")
    p.set_defaults(handler=cmd_logout)
    p = sub.add_parser("sync", help="send your changes and receive the cooperative's")
    p.add_argument(
        "--attempts", type=int, default=3, help="tries when the server or network fails (default 3)"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_sync)
    p = sub.add_parser("sync-status", help="what is waiting, refused or in conflict")
    p.add_argument("--json", action="store_true", help="print the status as JSON")
    p.set_defaults(handler=cmd_sync_status)


register(_register)
