"""``smartdesk receipt read FILE... [--json]``: what SmartDesk reads on receipts, with confidences.

One object per file, in the order given; the OCR engine is loaded once for the whole command. A file
that cannot be used (missing, empty, not a photo or PDF) gets an ``error`` object in its place and the
command ends with that file's exit code (5 not found, 8 unusable file); the others are still read.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from smartdesk.errors import NotFoundError, SmartDeskError

MAX_BYTES = 200 * 1024 * 1024


def cmd_receipt_read(args: argparse.Namespace) -> int:
    from smartdesk.cli import print_json
    from smartdesk.receipts.reading import get_engine
    from smartdesk.services.reading import read_receipt as read

    # the engine is loaded once, and only when a picture needs it (get_engine keeps it for the process)
    engine = False if args.no_ocr else (True if args.engine is None else get_engine(args.engine))
    out: list[dict[str, Any]] = []
    code = 0
    for name in args.files:
        path = Path(name)
        try:
            if not path.is_file():
                raise NotFoundError(f"{path} does not exist or is not a file.")
            if path.stat().st_size > MAX_BYTES:
                from smartdesk.errors import AttachmentError

                raise AttachmentError(f"{path.name} is larger than 200 MB: this cannot be a receipt.")
            reading = read(path.read_bytes(), path.name, engine=engine)
            used = get_engine(args.engine) if reading.source == "ocr" else None
            out.append({"file": name, **reading.as_dict(), "engine": used.name if used else None})
        except SmartDeskError as exc:
            out.append(
                {
                    "file": name,
                    "error": {
                        "reason": getattr(exc, "reason", type(exc).__name__),
                        "message": exc.message,
                        "exit_code": exc.exit_code,
                    },
                }
            )
            code = code or exc.exit_code
    if args.json:
        print_json(out)
    else:
        for item in out:
            print(_text(item))
    return code


def _text(item: dict[str, Any]) -> str:
    lines = [f"{item['file']}:"]
    if "error" in item:
        return f"{item['file']}: {item['error']['message']}"
    if item.get("reason"):
        lines.append(f"  {item['reason']}")
    labels = (
        ("date", "date"),
        ("supplier", "supplier"),
        ("supplier_vat", "supplier VAT number"),
        ("total", "total incl. VAT"),
        ("currency", "currency"),
        ("payment_method", "paid by"),
        ("number", "receipt number"),
    )
    for key, label in labels:
        value = item.get(key)
        if value:
            lines.append(f"  {label}: {value['value']} ({round(100 * value['confidence'])} %)")
    for vat in item.get("vat", []):
        base = f" on {vat['base']}" if vat["base"] is not None else ""
        lines.append(f"  VAT {vat['rate']} %: {vat['vat']}{base} ({round(100 * vat['confidence'])} %)")
    lines.append(f"  read from: {item['source']}")
    return "\n".join(lines)


def add_read_command(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = rsub.add_parser(
        "read",
        help="read date, supplier, amounts and VAT from receipt photos, PDFs or "
        "e-invoices, on this computer (nothing is sent anywhere)",
    )
    p.add_argument(
        "files", nargs="+", help="JPEG, PNG, HEIC or PDF files (several: one result each, in order)"
    )
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per file")
    p.add_argument(
        "--engine",
        choices=["tesseract", "rapidocr"],
        default=None,
        help="text recognition engine (default: $SMARTDESK_OCR_ENGINE, else Tesseract, else RapidOCR)",
    )
    p.add_argument(
        "--no-ocr", action="store_true", help="only structured sources: e-invoice, QR code, PDF text"
    )
    p.set_defaults(handler=cmd_receipt_read)
