"""E-invoices from the command line.

- ``smartdesk export ID --format ubl|cii|facturx -o FILE``: the e-invoice of an invoice or credit note,
  checked with the official rules that apply (exit 3 and the failed rules when one is fatal; the file
  is written either way, so it can be looked at);
- ``smartdesk einvoice check FILE.xml|FILE.pdf``: any UBL / CII XML or Factur-X PDF, exit 0 when no
  rule is fatal, 3 when one is, 8 when the file is not an e-invoice.

Registered through ``smartdesk.cli.register``: it adds the three formats to ``export`` and wraps that
command's handler, so the core command module needs no change.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from smartdesk.cli import register
from smartdesk.errors import Message, NotFoundError, ValidationError

FORMATS = ("ubl", "cii", "facturx")
_LANGS = ("fr", "nl", "en")


def _print_findings(findings: list[Any], language: str, stream: Any, warnings: bool) -> None:
    for f in findings:
        if not f.fatal and not warnings:
            continue
        where = f" [{f.field}]" if f.field else ""
        label = "fatal" if f.fatal else "warning"
        stream.write(f"  {label} {f.rule_id}{where}: {f.message(language)}\n")


def _report_json(findings: list[Any], language: str) -> list[dict[str, str]]:
    return [
        {
            "rule_id": f.rule_id,
            "severity": f.severity.value,
            "rule_set": f.rule_set,
            "field": f.field,
            "message": f.message(language),
            "rule_text": f.rule_text,
            "location": f.location,
            "waived_because": f.waived_because,
        }
        for f in findings
    ]


def export_einvoice(args: argparse.Namespace) -> int:
    from smartdesk import einvoice
    from smartdesk.cli.commands import _resolve_id
    from smartdesk.domain.entities import entity_for
    from smartdesk.services import Workspace

    with Workspace.open(args.data_dir) as ws:
        doc = ws.documents.get(_resolve_id(ws, args.id))
        if not doc.client_id:
            raise ValidationError([], summary="This document has no client yet: choose the client first.")
        try:
            client = ws.clients.get(doc.client_id)
        except NotFoundError:
            raise ValidationError(
                [], summary="The client of this document is missing: choose it again."
            ) from None
        entity = entity_for(doc.entity)
        pdf = (
            ws.pdf.render(doc)
            if args.format == "facturx" or (args.format == "ubl" and not args.no_pdf)
            else None
        )
        name = ws.pdf.file_name(doc)
    syntax = einvoice.Syntax.UBL if args.format == "ubl" else einvoice.Syntax.CII
    if args.format == "ubl":
        data = einvoice.write_ubl(doc, client=client, entity=entity, pdf=pdf)
        suffix = ".xml"
    elif args.format == "cii":
        data = einvoice.write_cii(doc, client=client, entity=entity)
        suffix = ".xml"
    else:
        assert pdf is not None
        data = einvoice.write_facturx(pdf, doc, client=client, entity=entity)
        suffix = ".pdf"
    findings = [] if args.no_check else einvoice.check(doc, client=client, entity=entity, syntax=syntax)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        target = Path(args.output) if args.output else Path.cwd() / (Path(name).stem + suffix)
        if target.is_dir():
            target = target / (Path(name).stem + suffix)
        target.write_bytes(data)
        print(f"Saved {target}")
    fatal = [f for f in findings if f.fatal]
    if fatal:
        sys.stderr.write(
            f"{len(fatal)} official rule(s) refuse this e-invoice; fix the document and export again:\n"
        )
        lang = args.lang if getattr(args, "lang", None) in _LANGS else "en"
        _print_findings(fatal, lang, sys.stderr, warnings=False)
        return 3
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from smartdesk import einvoice

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(Message("{path} does not exist.", path=str(path))) from None
    except OSError as exc:
        raise NotFoundError(
            Message("{path} cannot be read ({reason}).", path=str(path), reason=exc.strerror)
        ) from None
    report = einvoice.check_file(data, issuer_country=args.country)
    if args.json:
        json.dump(
            {
                "file": str(path),
                "syntax": report.syntax.value,
                "issuer_country": report.issuer_country,
                "rule_sets": list(report.rule_sets),
                "ok": report.ok,
                "findings": _report_json(list(report.findings), args.lang),
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0 if report.ok else 3
    fatal = report.fatal
    warnings = [f for f in report.findings if not f.fatal]
    print(
        f"{path}: {report.syntax.value.upper()}, issuer {report.issuer_country or '?'}; "
        f"checked with {', '.join(report.rule_sets)}"
    )
    if fatal:
        print(f"NOT VALID: {len(fatal)} rule(s) failed, {len(warnings)} warning(s)")
    else:
        print(f"Valid: no rule failed ({len(warnings)} warning(s))")
    _print_findings(list(report.findings), args.lang, sys.stdout, warnings=args.warnings)
    return 0 if report.ok else 3


def _extend(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = sub.choices.get("export")
    if export is not None:
        for action in export._actions:
            if action.dest == "format" and action.choices is not None:
                action.choices = [*action.choices, *(f for f in FORMATS if f not in action.choices)]
                action.help = "json, pdf, or an e-invoice: ubl (Peppol BIS 3.0), cii, facturx (PDF/A-3 + CII)"
        export.add_argument("--no-check", action="store_true", help="e-invoice: skip the official rules")
        export.add_argument("--no-pdf", action="store_true", help="ubl: do not embed the PDF")
        core = export.get_default("handler")

        def handler(args: argparse.Namespace) -> int:
            if args.format in FORMATS:
                return export_einvoice(args)
            return int(core(args))

        export.set_defaults(handler=handler)

    p = sub.add_parser("einvoice", help="e-invoices: check a UBL / CII file or a Factur-X PDF")
    actions = p.add_subparsers(dest="einvoice_command", metavar="ACTION", required=True)
    c = actions.add_parser(
        "check",
        help="check an e-invoice with the official rules (exit 0 valid, 3 not valid, 8 not an e-invoice)",
    )
    c.add_argument("file", help="UBL or CII XML file, or Factur-X PDF")
    c.add_argument("--country", help="issuer's country (default: read from the seller's address)")
    c.add_argument("--lang", choices=_LANGS, default="en", help="language of the messages")
    c.add_argument("--warnings", action="store_true", help="also list the warnings")
    c.add_argument("--json", action="store_true", help="machine-readable report")
    c.set_defaults(handler=cmd_check)


register(_extend)
