"""``smartdesk-server``: run the cooperative's server and act as its staff from a terminal.

Exit codes: 0 done, 1 refused or failed (the message says why), 2 wrong command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from smartdesk_server.config import Settings, default_data_dir, parse_schedule


def _subcommands(
    parser: argparse.ArgumentParser, dest: str, metavar: str
) -> Callable[[str, str], argparse.ArgumentParser]:
    """The function that adds a required subcommand (with the common options) to ``parser``."""
    sub = parser.add_subparsers(dest=dest, metavar=metavar)
    sub.required = True

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p, suppress=True)
        return p

    return add


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        help="folder of the SQLite database and the stored files "
        f"(default: $SMARTDESK_SERVER_DATA or {default_data_dir()})",
    )
    parser.add_argument(
        "--database-url",
        default=default,
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user:pass@host/db "
        "(default: $SMARTDESK_DATABASE_URL or a SQLite file in the data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smartdesk-server", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _common(parser, suppress=False)
    add = _subcommands(parser, "command", "COMMAND")

    p = add("serve", "Run the HTTP server (migrates the database first).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument(
        "--workers", type=int, default=1, help="worker processes (PostgreSQL only for more than 1)"
    )
    p.add_argument(
        "--no-migrate", action="store_true", help="do not migrate at start (run `migrate` once instead)"
    )
    p.add_argument(
        "--followup-interval",
        type=float,
        default=3600.0,
        help="seconds between follow-up engine runs inside the server (0: never)",
    )
    p.add_argument("--schedule", default="", help="follow-up days after the due date, e.g. 7,21,35,60")
    add("migrate", "Create or upgrade the database tables.")
    for role in ("member", "advisor"):
        p = add(f"create-{role}", f"Create a {role} account.")
        p.add_argument("--email", required=True)
        p.add_argument("--password", help="the password; `-` or nothing reads it from standard input")
        p.add_argument("--name", default="")
        p.add_argument("--entity", default="BE", choices=["BE", "FR"])
        if role == "advisor":
            p.add_argument(
                "--follow",
                action="append",
                default=[],
                metavar="ACTIVITY_ID",
                help="an activity this advisor follows (repeatable)",
            )
    p = add("follow", "Let an advisor follow an activity.")
    p.add_argument("--advisor", required=True, help="the advisor's e-mail address")
    p.add_argument("--activity", required=True, help="the activity id")
    add("demo", "Fill the database with a demo cooperative (entities BE and FR, advisor, members...).")
    p = add("tick", "Run the follow-up engine once (reminders, formal notice, litigation; holds respected).")
    p.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")
    p.add_argument("--schedule", default="", help="days after the due date, e.g. 7,21,35,60")
    p = add(
        "set-expense-categories",
        "Publish the cooperative's list of expense categories (a JSON file: a list "
        "of {code, labels: {fr, nl, en}, vat_rate}); apps take it at their next sync.",
    )
    p.add_argument("file", type=Path, help="the JSON file; - reads standard input")
    add("expense-categories", "Print the list of expense categories the apps receive (JSON).")
    p = add(
        "set-entity",
        "Set the legal identity of one cooperative entity (a JSON file: code, name, address, VAT and "
        "enterprise numbers, IBAN/BIC, registration, legal mentions in fr/nl/en/de/es/it, time zone; "
        "docs/sync.md). Stamped on every document validated from now on; apps take it at their next sync.",
    )
    p.add_argument("file", type=Path, help="the JSON file; - reads standard input")
    add("entities", "Print the legal identities the apps receive and validation stamps (JSON).")
    add(
        "reset-epoch",
        "Start a new sync epoch: every device downloads everything again (keeping unsent changes).",
    )

    p = add(
        "import-statement",
        "Import bank statements (CODA or camt.053/054) and record the payments they match; "
        "all or nothing, a replayed statement changes nothing.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p = add("payments", "The bank movements that found no invoice by themselves: list, assign, ignore.")
    psub = p.add_subparsers(dest="action", metavar="ACTION")
    psub.required = True
    pp = psub.add_parser(
        "unmatched", help="List the movements waiting for the staff, with the reason (JSON)."
    )
    _common(pp, suppress=True)
    pp = psub.add_parser("assign", help="Give a movement, or AMOUNT of it, to an invoice.")
    _common(pp, suppress=True)
    pp.add_argument("tx")
    pp.add_argument("invoice")
    pp.add_argument("amount", nargs="?")
    pp = psub.add_parser("ignore", help="Take a movement out of the queue, with the reason.")
    _common(pp, suppress=True)
    pp.add_argument("tx")
    pp.add_argument("--reason", required=True)

    p = add(
        "deliveries",
        "The delivery of validated invoices and credit notes (Peppol or e-mail): list them, try one "
        "again, or work the queue once. Configured by $SMARTDESK_AP_URL and $SMARTDESK_SMTP_HOST, "
        "_PORT, _USER, _PASSWORD, _TLS (starttls|ssl|none), _FROM (docs/delivery.md).",
    )
    p.add_argument(
        "--status",
        choices=["queued", "delivered", "rejected", "bounced", "failed", "manual"],
        help="list only the deliveries in this status",
    )
    p.add_argument("--retry", metavar="ID", help="queue this delivery again now (after fixing the client)")
    p.add_argument("--run", action="store_true", help="try every due delivery once, then print the outcome")
    p = add(
        "access-point",
        "Run a local Peppol access point on 127.0.0.1 (tests, demo): it checks what it receives with "
        "the official rules and answers delivered or rejected. Prints its URL; stop with Ctrl+C.",
    )
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument(
        "--participant",
        action="append",
        default=[],
        metavar="SCHEME:ID",
        help="a registered receiver, e.g. 0208:0417497106 (repeatable)",
    )
    p.add_argument(
        "--refusing",
        action="append",
        default=[],
        metavar="SCHEME:ID",
        help="a registered receiver that refuses invoices (repeatable)",
    )
    p.add_argument("--inbox", type=Path, help="folder where delivered invoices are written")

    p = add("advisor", "Act as the cooperative's staff on documents and requests.")
    aadd = _subcommands(p, "action", "ACTION")

    aadd("queue", "List the documents waiting for validation.")
    aadd("validate", "Validate a document and give it its legal number.").add_argument("id")
    ap = aadd("return", "Return a document to the member with remarks.")
    ap.add_argument("id")
    ap.add_argument("--remark", required=True)
    ap = aadd("reject-line", "Refuse one expense of an expense note, with a reason.")
    ap.add_argument("id")
    ap.add_argument("line_id")
    ap.add_argument("--reason", required=True)
    aadd("mark-sent", "Mark a validated document as sent to the client.").add_argument("id")
    ap = aadd("record-payment", "Record a payment received for an invoice (full or partial).")
    ap.add_argument("id")
    ap.add_argument("amount")
    aadd("reimburse", "Mark a validated expense note as reimbursed.").add_argument("id")
    aadd("requests", "List support requests.")
    ap = aadd("answer", "Answer a support request.")
    ap.add_argument("id")
    ap.add_argument("--body", required=True)
    ap.add_argument("--close", action="store_true")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    kwargs: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        kwargs["data_dir"] = args.data_dir
    if getattr(args, "database_url", None):
        kwargs["database_url"] = args.database_url
    return Settings(**kwargs)


def open_engine(settings: Settings, migrate: bool = True) -> Engine:
    from smartdesk_server.db import make_engine
    from smartdesk_server.migrate import upgrade
    from smartdesk_server.sync import init_epoch

    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
        init_epoch(engine)
    return engine


def _password(value: str | None) -> str:
    if value and value != "-":
        return value
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\n")


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def run(args: argparse.Namespace) -> int:
    from smartdesk_server import auth, coop, sync
    from smartdesk_server.db import accounts, read

    settings = _settings(args)
    if args.command == "serve":
        import uvicorn

        from smartdesk_server.app import create_app

        settings.followup_interval = args.followup_interval
        if args.schedule:
            settings.schedule = parse_schedule(args.schedule)
        engine = open_engine(settings, migrate=not args.no_migrate)
        print(
            f"SmartDesk server on http://{args.host}:{args.port} (database: "
            f"{engine.url.render_as_string(hide_password=True)}, {args.workers} worker(s)); "
            "API reference at /docs",
            flush=True,
        )
        # how uvicorn serves, with one worker or several
        served: dict[str, Any] = {
            "host": args.host,
            "port": args.port,
            "log_level": "warning",
            "access_log": False,
            "timeout_keep_alive": 5,
            "timeout_graceful_shutdown": 10,
        }
        if args.workers > 1:
            if engine.url.get_backend_name() == "sqlite":
                print(
                    "Several workers need PostgreSQL (--database-url); a SQLite file takes one.",
                    file=sys.stderr,
                )
                return 2
            engine.dispose()
            # each worker process builds its own app from these variables (see app.app_from_environment)
            os.environ.update(
                {
                    "SMARTDESK_SERVER_DATA": str(settings.data_dir),
                    "SMARTDESK_DATABASE_URL": settings.database_url,
                    "SMARTDESK_FOLLOWUP_INTERVAL": str(settings.followup_interval),
                    "SMARTDESK_FOLLOWUP_SCHEDULE": ",".join(str(d) for d in settings.schedule.values()),
                }
            )
            uvicorn.run(
                "smartdesk_server.app:app_from_environment", factory=True, workers=args.workers, **served
            )
            return 0
        uvicorn.run(create_app(settings, engine, background=True), **served)
        return 0
    if args.command == "access-point":
        import threading

        from smartdesk_server.delivery.local_ap import LocalAccessPoint

        participants = {p: True for p in args.participant} | {p: False for p in args.refusing}
        ap = LocalAccessPoint(participants, inbox=args.inbox, port=args.port).start()
        print(f"Local access point on {ap.url} ({len(participants)} participant(s)).", flush=True)
        try:
            threading.Event().wait()
        finally:
            ap.stop()
        return 0
    engine = open_engine(settings)
    from smartdesk_server import archive

    archive.configure(engine, settings.blob_dir)  # the brand's logo of documents validated here
    if args.command == "deliveries":
        from smartdesk_server.delivery import queue as delivery

        if args.retry:
            r = delivery.retry(engine, args.retry)
            print(f"Delivery {r['id']} of document {r['document_id']} is queued again.")
        elif args.run:
            stats = delivery.process_due(engine, delivery.Transports.from_settings(settings))
            done = ", ".join(f"{n} {s}" for s, n in sorted(stats.items())) or "nothing was due"
            print(f"Deliveries: {done}.")
        else:
            _print(delivery.list_deliveries(engine, args.status))
        return 0
    if args.command == "migrate":
        print("The database is up to date.")
    elif args.command in ("create-member", "create-advisor"):
        role = args.command.split("-")[1]
        new_id = auth.create_account(
            engine,
            email=args.email,
            password=_password(args.password),
            name=args.name,
            role=role,
            entity=args.entity,
        )
        for activity in getattr(args, "follow", []):
            auth.follow(engine, new_id, activity)
        print(f"Created {role} {auth.normalise_email(args.email)} (id {new_id}).")
    elif args.command == "follow":
        with read(engine) as conn:
            row = conn.execute(
                select(accounts.c.id, accounts.c.role).where(
                    accounts.c.email == auth.normalise_email(args.advisor)
                )
            ).first()
        if row is None or row.role != "advisor":
            raise ValueError(f"there is no advisor with the e-mail address {args.advisor}")
        auth.follow(engine, row.id, args.activity)
        print(f"{args.advisor} now follows activity {args.activity}.")
    elif args.command == "set-expense-categories":
        from smartdesk_server import catalogues

        try:
            text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(encoding="utf-8")
            version = catalogues.set_expense_categories(engine, json.loads(text))
        except OSError as exc:
            print(f"Cannot read {args.file}: {exc.strerror or exc}.", file=sys.stderr)
            return 1
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            print(f"The list was not published: {exc}.", file=sys.stderr)
            return 1
        print(f"Published (version {version}); apps take it at their next sync.")
    elif args.command == "set-entity":
        from smartdesk_server import identities

        try:
            raw = sys.stdin.buffer.read() if str(args.file) == "-" else args.file.read_bytes()
            identity = identities.check_file_text(raw)
            identities.set_entity(engine, identity)
        except OSError as exc:
            print(f"Cannot read {args.file}: {exc.strerror or exc}.", file=sys.stderr)
            return 1
        except ValueError as exc:
            print(f"The identity was not set: {exc}.", file=sys.stderr)
            return 1
        print(
            f"Entity {identity['code']} is now “{identity['name']}” (VAT {identity['vat_number']}, "
            f"IBAN {identity['iban']}); stamped on documents validated from now on, apps take it at "
            "their next sync."
        )
    elif args.command == "entities":
        from smartdesk_server import identities

        _print(identities.get(engine))
    elif args.command == "expense-categories":
        from smartdesk_server import catalogues

        _print(catalogues.get(engine))
    elif args.command == "demo":
        from smartdesk_server.demo import create_demo

        _print(create_demo(engine))
    elif args.command == "tick":
        on = date.fromisoformat(args.date) if args.date else None
        schedule = parse_schedule(args.schedule) if args.schedule else settings.schedule
        stats = coop.tick(engine, on, schedule)
        print(
            f"Follow-up: {stats['advanced']} invoice(s) moved one step, {stats['held']} held by the member, "
            f"{stats['notices']} notice(s) of an upcoming action."
        )
    elif args.command == "reset-epoch":
        print(f"New sync epoch {sync.reset_epoch(engine)}: devices will download everything again.")
    elif args.command == "import-statement":
        from smartdesk_server.statements import service as statements

        files = [(str(f), f.read_bytes()) for f in args.files]
        report = statements.import_files(engine, files, actor="cli").as_dict()
        states = ", ".join(f"{n} {s}" for s, n in sorted(report["states"].items())) or "nothing new"
        print(
            f"Imported {report['files']} file(s): {report['transactions']} movement(s), "
            f"{report['already_recorded']} already recorded; new: {states}."
        )
    elif args.command == "payments":
        from smartdesk_server.statements import service as statements

        if args.action == "unmatched":
            _print(statements.unmatched(engine))
        elif args.action == "assign":
            r = statements.assign(engine, args.tx, args.invoice, args.amount, actor="cli")
            print(
                f"Assigned {r['amount']} (left on the movement: {r['left']}); the invoice is now "
                f"{r['invoice_status']}, paid {r['paid_amount']}."
            )
        elif args.action == "ignore":
            statements.ignore(engine, args.tx, args.reason, actor="cli")
            print("The movement is out of the queue, with your reason.")
    elif args.command == "advisor":
        a = args.action
        if a == "queue":
            _print(coop.queue(engine, None))
        elif a == "validate":
            r = coop.validate(engine, None, args.id)
            print(f"Validated: number {r['number']}.")
        elif a == "return":
            coop.return_document(engine, None, args.id, args.remark)
            print("Returned to the member with your remarks.")
        elif a == "reject-line":
            coop.reject_line(engine, None, args.id, args.line_id, args.reason)
            print("The expense is refused with your reason.")
        elif a == "mark-sent":
            r = coop.mark_sent(engine, None, args.id)
            print(f"Marked as sent (now {r['status']}).")
        elif a == "record-payment":
            r = coop.record_payment(engine, None, args.id, args.amount)
            print(f"Payment recorded (now {r['status']}, paid {r['document'].get('paid_amount')}).")
        elif a == "reimburse":
            coop.reimburse(engine, None, args.id)
            print("Marked as reimbursed.")
        elif a == "requests":
            _print(coop.requests_list(engine, None))
        elif a == "answer":
            coop.answer_request(engine, None, args.id, args.body, args.close)
            print("Answer sent.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from smartdesk_server.errors import ApiError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run(args)
    except ApiError as exc:
        print(f"Error: {exc.message} [{exc.code}]", file=sys.stderr)
    except ValueError as exc:
        print(f"Error: {exc}.", file=sys.stderr)
    except SQLAlchemyError as exc:
        print(
            f"Error: the database cannot be used ({type(exc).__name__}: {str(exc).splitlines()[0][:200]}). "
            "Check --database-url / --data-dir and that the database server is running.",
            file=sys.stderr,
        )
    except OSError as exc:
        print(f"Error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a plain message, never a stack trace
        logging.getLogger("smartdesk_server").debug("unexpected", exc_info=True)
        print(f"Error: unexpected problem ({type(exc).__name__}: {str(exc)[:200]}).", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
