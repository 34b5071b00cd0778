"""``smartdesk receipt add EXPENSE_ID FILE...``: attach receipts to an expense note from a script."""

from __future__ import annotations

import argparse
from pathlib import Path

from smartdesk.cli import register
from smartdesk.errors import AttachmentError, NotFoundError
from smartdesk.services import Workspace


def cmd_receipt_add(args: argparse.Namespace) -> int:
    from smartdesk.cli.commands import _resolve_id

    files: list[tuple[bytes, str]] = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise NotFoundError(f"{path} does not exist or is not a file.")
        if path.stat().st_size > 200 * 1024 * 1024:
            raise AttachmentError(
                f"{path.name} is larger than 200 MB: this cannot be a receipt. "
                f"Take a photo of the receipt or export a smaller PDF."
            )
        files.append((path.read_bytes(), path.name))
    with Workspace.open(args.data_dir) as ws:
        doc_id = _resolve_id(ws, args.id)
        line_id = ""
        if args.line is not None:
            doc = ws.documents.get(doc_id)
            if not 1 <= args.line <= len(doc.expense_lines):
                raise NotFoundError(
                    f"This expense note has {len(doc.expense_lines)} line(s); "
                    f"--line must be between 1 and {len(doc.expense_lines)}."
                )
            line_id = doc.expense_lines[args.line - 1].id
        if args.pages:
            results = [ws.receipts.add(doc_id, files, line_id)]
        else:
            results = [ws.receipts.add(doc_id, [f], line_id) for f in files]
    for result in results:
        print(f"Added a receipt of {len(result.hashes)} page(s) to line {result.line_id[:13]}.")
        for other in result.duplicates:
            print(f"Note: this receipt is already on expense note {other}.")
    return 0


def cmd_receipt_clean(args: argparse.Namespace) -> int:
    from smartdesk.services.cleanup import KEEP_UNUSED, clean_receipts

    with Workspace.open(args.data_dir) as ws:
        report = clean_receipts(ws, dry_run=args.dry_run)
    megabytes = report.freed_bytes / 1_000_000
    verb = "Would remove" if args.dry_run else "Removed"
    print(
        f"{verb} {report.removed} receipt file(s) that no document has used for {KEEP_UNUSED.days} days "
        f"({megabytes:.1f} MB). Kept {report.in_use} in use (backups included) and {report.waiting} "
        f"unused for less than {KEEP_UNUSED.days} days."
    )
    if report.skipped_backups:
        print(f"Some backups could not be read ({', '.join(report.skipped_backups)}): nothing was removed.")
    return 0


def _register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("receipt", help="receipts of expense notes")
    rsub = p.add_subparsers(dest="receipt_command", metavar="ACTION", required=True)
    add = rsub.add_parser(
        "add",
        help="attach photos or PDFs of receipts to an expense note "
        "(each file a receipt on a new line, unless --line or --pages)",
    )
    add.add_argument("id", help="expense note id, id prefix or number")
    add.add_argument("files", nargs="+", help="JPEG, PNG, HEIC or PDF files")
    add.add_argument("--line", type=int, help="attach to this line (1 = first) instead of new lines")
    add.add_argument("--pages", action="store_true", help="the files are the pages of ONE receipt")
    add.set_defaults(handler=cmd_receipt_add)
    clean = rsub.add_parser(
        "clean",
        help="remove receipt files no document (nor any backup) has used for 30 days "
        "(the app does it when it closes, once a week)",
    )
    clean.add_argument("--dry-run", action="store_true", help="only count what would be removed")
    clean.set_defaults(handler=cmd_receipt_clean)


register(_register)
