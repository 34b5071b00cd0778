"""``smartdesk``: with no subcommand, opens the desktop app; with one, works headless for scripts.

Exit codes: 0 done; 1 unexpected failure; 2 wrong command line; 3 invalid data (every problem
printed); 4 not possible in this state; 5 not found; 6 local data file problem; 7 sync problem;
8 unusable file (receipt, logo).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from smartdesk import __version__
from smartdesk.errors import SmartDeskError

Handler = Callable[[argparse.Namespace], int]
# other packages add their subcommands here (pdf export, receipts, sync) through register()
_EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []  # type: ignore[type-arg]


def register(extension: Callable[[argparse._SubParsersAction], None]) -> None:  # type: ignore[type-arg]
    _EXTENSIONS.append(extension)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def build_parser() -> argparse.ArgumentParser:
    from smartdesk.cli import commands

    parser = argparse.ArgumentParser(
        prog="smartdesk",
        description="SmartDesk: quotes, invoices, credit notes and expense notes for SMart members, offline first. "
        "Without a command, opens the desktop app.",
        epilog="Exit codes: 0 done, 1 unexpected failure, 2 wrong command line, 3 invalid data, 4 not possible "
        "in this state, 5 not found, 6 data file problem, 7 sync problem, 8 unusable file.",
    )
    parser.add_argument("--version", action="version", version=f"SmartDesk {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder of the local data (default: $SMARTDESK_DATA_DIR or the user data folder)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the installation (store, fonts, translations, PDF rendering) and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.register_core(sub)
    _load_extensions()
    for extension in _EXTENSIONS:
        extension(sub)
    return parser


def _load_extensions() -> None:
    """Import optional command modules; each calls register() when present."""
    import importlib

    for name in (
        "smartdesk.cli.pdf_commands",
        "smartdesk.cli.receipt_commands",
        "smartdesk.cli.sync_commands",
        "smartdesk.cli.einvoice_commands",
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def _gui_only(args_list: list[str]) -> Path | None | bool:
    """The data folder when the command line only opens the app (nothing but --data-dir), else False."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir", type=Path, default=None)
    try:
        known, rest = pre.parse_known_args(args_list)
    except SystemExit:
        return False
    return False if rest else known.data_dir


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    gui_data_dir = _gui_only(args_list)
    if gui_data_dir is not False:
        # no command: open the app at once, without importing the headless commands first
        try:
            from smartdesk.gui.app import run

            return run(gui_data_dir, [sys.argv[0], *args_list])
        except SmartDeskError as exc:
            sys.stderr.write(f"smartdesk: {exc.message}\n")
            return exc.exit_code
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        if args.self_test:
            from smartdesk.selftest import run_self_test

            return run_self_test()
        if args.command is None:
            from smartdesk.gui.app import run

            return run(args.data_dir, [sys.argv[0], *args_list])
        handler: Handler = args.handler
        return handler(args)
    except SmartDeskError as exc:
        sys.stderr.write(f"smartdesk: {exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("smartdesk: stopped.\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
