"""Core headless commands: list, show, import, export (JSON), demo-data, backup, restore, new, submit."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdesk.cli import print_json
from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.lifecycle import status_label
from smartdesk.domain.serialize import bundle_from_dict, bundle_to_dict, document_to_dict
from smartdesk.domain.totals import document_totals, expense_totals
from smartdesk.errors import NotFoundError, SmartDeskError, ValidationError
from smartdesk.services import DocumentQuery, Workspace

if TYPE_CHECKING:
    from smartdesk.services.backup import BackupContents

KINDS = [k.value for k in DocumentKind]


def _workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.open(args.data_dir)


def _resolve_id(ws: Workspace, ident: str) -> str:
    """Accept a full id, a unique id prefix, or a legal number."""
    found = ws.documents.find(ident)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"No document “{ident}”. `smartdesk list` shows the ids and numbers.")
    raise NotFoundError(f"“{ident}” matches several documents: type more of the id.")


def cmd_list(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        query = DocumentQuery(
            kind=DocumentKind(args.kind) if args.kind else None,
            status=args.status,
            text=args.search or "",
            limit=args.limit,
            offset=args.offset,
        )
        page = ws.documents.list(query)
    if args.json:
        print_json({"total": page.total, "documents": [vars(r) for r in page.rows]})
        return 0
    if not page.rows:
        print("No documents match. Create one in the app, or try `smartdesk demo-data`.")
        return 0
    for r in page.rows:
        number = r.number or "(draft)"
        print(
            f"{r.id[:13]}  {r.kind.value:<12} {number:<16} {status_label(r.status):<18} "
            f"{(r.issue_date.isoformat() if r.issue_date else ''):<10}  {r.total_incl:>12} {r.currency}  "
            f"{r.client_name[:30]}"
        )
    print(f"{len(page.rows)} of {page.total} shown")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        doc = ws.documents.get(_resolve_id(ws, args.id))
        problems = ws.documents.problems(doc, for_submit=True)
    data: dict[str, Any] = document_to_dict(doc)
    if doc.is_expense:
        t = expense_totals(doc.expense_lines)
        data["totals"] = {"total_incl": t.total_incl, "vat": t.total_vat, "total_excl": t.total_excl}
    else:
        t2 = document_totals(doc)
        data["totals"] = {
            "total_excl": t2.tax_exclusive,
            "vat": t2.vat_total,
            "total_incl": t2.tax_inclusive,
            "due": t2.due,
            "per_rate": [
                {"category": b.category.value, "rate": b.rate, "taxable": b.taxable, "vat": b.tax}
                for b in t2.vat_breakdown
            ],
        }
    data["problems_before_submitting"] = [p.as_dict() for p in problems]
    print_json(data)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "pdf":
        from smartdesk.cli.pdf_commands import export_pdf  # provided by the PDF package

        return export_pdf(args)
    with _workspace(args) as ws:
        doc = ws.documents.get(_resolve_id(ws, args.id))
        clients = [ws.clients.get(doc.client_id)] if doc.client_id else []
        activities = [ws.activities.get(doc.activity_id)] if doc.activity_id else []
    data = bundle_to_dict(activities, clients, [doc])
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Saved {args.output}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFoundError(f"{path} does not exist.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ValidationError(
            [],
            summary=f"{path} is not a JSON file SmartDesk can read{where}. "
            f"See docs/json-format.md for the format.",
        ) from None
    activities, clients, documents = bundle_from_dict(raw, source=str(path))
    with _workspace(args) as ws:
        ws.documents.import_bundle(activities, clients, documents)
    print(f"Imported {len(activities)} activities, {len(clients)} clients and {len(documents)} documents.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from smartdesk.services.demo import load_demo_data

    if not 0 <= args.documents <= 100_000:
        raise ValidationError([], summary="--documents must be between 0 and 100000.")
    import os

    from smartdesk.paths import ENV_DATA_DIR, demo_dir

    # sample invoices carry realistic legal numbers: never into the member's own data unless a folder
    # is named on purpose (--data-dir or $SMARTDESK_DATA_DIR)
    folder = args.data_dir or os.environ.get(ENV_DATA_DIR) or demo_dir()
    with Workspace.open(folder) as ws:
        a, c, d = load_demo_data(ws, documents=args.documents, seed=args.seed)
        where = ws.folder
    print(f"Added {a} activities, {c} clients and {d} documents of sample data to {where}.")
    if not (args.data_dir or os.environ.get(ENV_DATA_DIR)):
        print(
            f"This is a separate demo folder, not your own data. Open it with: smartdesk --data-dir {where}"
        )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from datetime import date

    from smartdesk.services.backup import SUFFIX

    target = Path(args.file) if args.file else Path.cwd() / f"smartdesk-{date.today().isoformat()}{SUFFIX}"
    with _workspace(args) as ws:
        contents = ws.backup.make(target)
    print(
        f"Saved a complete backup to {contents.path}: {contents.documents} documents, "
        f"{contents.clients} clients, {contents.activities} activities, {contents.attachments} files "
        "(receipts, logo). It was read back and checked."
    )
    if contents.missing:
        print(f"Warning: {len(contents.missing)} files your data refers to were not found and are not in it.")
    return 0


def _describe_backup(contents: BackupContents) -> str:
    when = (
        contents.created_at.astimezone().strftime("%d/%m/%Y %H:%M") if contents.created_at else "unknown date"
    )
    text = (
        f"Backup of {when} (SmartDesk {contents.app_version or 'before 0.2'}): {contents.documents} documents, "
        f"{contents.clients} clients, {contents.activities} activities, {contents.attachments} files."
    )
    if contents.old_format:
        text += (
            "\nWarning: this is an old backup (only the database): it holds no receipts and no logo. "
            "The receipt files still in your data folder are kept."
        )
    return text


def cmd_restore(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        contents = ws.backup.inspect(Path(args.file))
        print(_describe_backup(contents))
        if not args.yes:
            if not sys.stdin.isatty():
                print("Nothing was changed: add --yes to replace your data without being asked.")
                return 1
            answer = input("Replace all your current data with this backup? [y/N] ").strip().lower()
            if answer not in ("y", "yes", "o", "oui", "j", "ja"):
                print("Nothing was changed.")
                return 1
        ws.backup.restore(Path(args.file))
        kept = ws.backup.replaced
    print(f"Restored your data from {args.file}; the data it replaced was saved as {kept}.")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        doc = ws.documents.submit(_resolve_id(ws, args.id))
    print(f"Sent for validation: {doc.id}. It reaches the cooperative at the next sync.")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        doc = ws.documents.delete(_resolve_id(ws, args.id))
    print(f"Deleted draft {doc.id}.")
    return 0


def register_core(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("list", help="list documents")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--status", help="e.g. draft, submitted, validated, paid")
    p.add_argument("--search", help="words to look for (number, client, line text)")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show one document as JSON, with totals and what is missing to submit it")
    p.add_argument("id", help="document id, id prefix or legal number")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("export", help="export a document as JSON (or PDF)")
    p.add_argument("id", help="document id, id prefix or legal number")
    p.add_argument("--format", choices=["json", "pdf"], default="json")
    p.add_argument(
        "--lang",
        choices=["fr", "nl", "en", "de", "es", "it"],
        help="PDF: language of the document (default: the document's own)",
    )
    p.add_argument("--theme", help="PDF: layout theme")
    p.add_argument("-o", "--output", help="file to write (JSON: default standard output)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "import",
        help="import clients, activities and documents from a JSON file "
        "(all or nothing; every problem reported with its JSON path)",
    )
    p.add_argument("file")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "demo-data", help="add realistic sample data (to a separate demo folder unless --data-dir is given)"
    )
    p.add_argument("--documents", type=int, default=200, help="how many documents (up to 100000)")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("submit", help="send a draft for validation (at the next sync)")
    p.add_argument("id")
    p.set_defaults(handler=cmd_submit)

    p = sub.add_parser("delete", help="delete a draft")
    p.add_argument("id")
    p.set_defaults(handler=cmd_delete)

    p = sub.add_parser(
        "backup", help="save a complete backup (database, receipts, logo, settings) in one checked file"
    )
    p.add_argument(
        "file", nargs="?", help="where to write it (default: smartdesk-DATE.smartdesk-backup here)"
    )
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore", help="replace the local data with a backup (shows what it holds, asks first)"
    )
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="do not ask before replacing the data")
    p.set_defaults(handler=cmd_restore)


__all__ = ["register_core", "SmartDeskError"]
