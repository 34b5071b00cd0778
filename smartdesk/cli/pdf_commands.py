"""PDF export from the command line: ``smartdesk export ID --format pdf [--lang xx] [-o FILE]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartdesk.services import Workspace


def export_pdf(args: argparse.Namespace) -> int:
    from smartdesk.cli.commands import _resolve_id

    with Workspace.open(args.data_dir) as ws:
        doc = ws.documents.get(_resolve_id(ws, args.id))
        data = ws.pdf.render(doc, language=args.lang, theme=args.theme)
        name = ws.pdf.file_name(doc, args.lang)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        return 0
    target = Path(args.output) if args.output else Path.cwd() / name
    if target.is_dir():
        target = target / name
    target.write_bytes(data)
    print(f"Saved {target}")
    return 0
