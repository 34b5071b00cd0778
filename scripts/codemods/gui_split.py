"""One-off codemod (kept for the merge of the GUI split, docs/decisions/0007-gui-by-screen.md): split the flat
modules of smartdesk/gui into packages by moving top-level statements unchanged.

Run on a tree that still has the flat modules (e.g. main with other branches' edits to them merged in):
    python3 scripts/codemods/gui_split.py && python3 scripts/codemods/gui_imports.py smartdesk tests bench
then `git checkout smartdesk/gui/sync_ui.py`, `ruff check --fix --select F401,F811,I001` on the new files
and the hand edits of the later commits of the gui branch (registry, bus, window state, mypy). Writes the
old -> new name map to /tmp/gui_where.json for gui_imports.py.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "smartdesk/gui"
P = "smartdesk.gui."

# old module -> (default new module, {name: new module}, docstrings per new module)
PLAN: dict[str, tuple[str, dict[str, str]]] = {
    "editor": (
        "documents.editor",
        {
            "KIND_NAMES": "labels",
            "LANGUAGE_NAMES": "labels",
            "COUNTRIES": "labels",
            "CURRENCIES": "labels",
            "LinesView": "documents.lines",
        },
    ),
    "models": (
        "models.clients",
        {
            "_ListModel": "models.base",
            "ActivityColumns": "models.activities",
            "ActivityTableModel": "models.activities",
            "LineColumns": "models.lines",
            "LINE_FIELDS": "models.lines",
            "two_line_header": "models.lines",
            "_LINE_HEADERS": "models.lines",
            "LINE_MIME": "models.lines",
            "VAT_CATEGORY_LABELS": "models.lines",
            "vat_choice_label": "models.lines",
            "vat_choice_key": "models.lines",
            "LinesModel": "models.lines",
            "_doc_lang": "models.lines",
            "parse_line_value": "models.lines",
            "ExpenseColumns": "models.expenses",
            "EXPENSE_FIELDS": "models.expenses",
            "_EXPENSE_HEADERS": "models.expenses",
            "PAID_WITH_LABELS": "models.expenses",
            "PAID_WITH_TIPS": "models.expenses",
            "VAT_TYPED_COLOUR": "models.expenses",
            "paid_with_choices": "models.expenses",
            "ExpenseLinesModel": "models.expenses",
            "parse_expense_value": "models.expenses",
        },
    ),
    "document_model": (
        "documents.model",
        {
            "ID_ROLE": "models.roles",
            "SORT_ROLE": "models.roles",
            "STATUS_ROLE": "models.roles",
            "PROBLEM_ROLE": "models.roles",
            "RECEIPTS_ROLE": "models.roles",
            "REJECTION_ROLE": "models.roles",
        },
    ),
    "lists": ("documents.list_page", {"PLURALS": "labels"}),
    "delegates": ("widgets.delegates", {}),
    "widgets": ("widgets.page", {}),
    "pages": (
        "pages.clients",
        {
            "_table": "widgets.tables",
            "PAYMENT_FLAGS": "widgets.chips",
            "PAYMENT_FLAG_TIP": "widgets.chips",
            "payment_flag_words": "widgets.chips",
            "FlagChip": "widgets.chips",
            "FIGURE_HEADERS": "pages.activities",
            "FIGURE_MONTHS": "pages.activities",
            "last_months": "pages.activities",
            "month_label": "pages.activities",
            "ActivitiesPage": "pages.activities",
            "SettingsPage": "pages.settings",
            "GLOSSARY": "pages.glossary",
            "GlossaryPage": "pages.glossary",
            "FirstRunDialog": "dialogs.first_run",
            "report_error": "DROP",
        },
    ),
    "requests_page": ("pages.requests", {}),
    "followup_page": ("pages.followup", {}),
    "receipts": (
        "receipts.files",
        {
            "Index": "receipts.thumbnails",
            "Box": "receipts.edits",
            "_EXPENSE_WIDTHS": "receipts.controller",
            "ThumbnailCache": "receipts.thumbnails",
            "ReceiptsDelegate": "receipts.thumbnails",
            "PageEdit": "receipts.edits",
            "_rotate_box": "receipts.edits",
            "compose_edit": "receipts.edits",
            "PageEdits": "receipts.edits",
            "edit_page": "receipts.edits",
            "ReceiptCanvas": "receipts.canvas",
            "_render_pdf": "receipts.canvas",
            "load_page_image": "receipts.canvas",
            "_alive": "receipts.canvas",
            "ReceiptViewer": "receipts.viewer",
            "camera_available": "receipts.camera",
            "QtCameraSource": "receipts.camera",
            "CameraDialog": "receipts.camera",
            "_DropFilter": "receipts.controller",
            "ReceiptController": "receipts.controller",
        },
    ),
    "preview": (
        "documents.preview",
        {
            "SCREEN_DPI": "documents.raster",
            "PRINT_DPI_MAX": "documents.raster",
            "PIXEL_BUDGET": "documents.raster",
            "COARSE_SCALE": "documents.raster",
            "Rendered": "documents.raster",
            "pdf_page_sizes": "documents.raster",
            "rasterise": "documents.raster",
            "plan_scales": "documents.raster",
            "rasterise_planned": "documents.raster",
            "_draw": "documents.raster",
            "_bitmap_format": "documents.raster",
            "paint_pdf": "documents.raster",
        },
    ),
}

DOCS = {
    "labels": "Labels and constants shared by the screens: kind names, languages, countries, currencies.\n\n"
    "Light and free of Qt widgets, so any screen imports it without pulling another screen (this module\n"
    "is what breaks the old import cycle among the gui modules).",
    "documents.editor": "The document editor: header, lines or expense lines, totals, preview, undo, actions.",
    "documents.lines": "The table of a document's lines (keys: Enter adds a line, Ctrl+Delete removes it).",
    "documents.model": "The table model of the document lists: pages of rows fetched from the store.",
    "documents.list_page": "The list of the documents of one kind: search, filters, the table (the start-up page).\n\n"
    "Light on purpose: it must not import the editor, the preview or the receipts.",
    "documents.preview": "The live PDF preview beside the editor: scheduling, zoom, export, print.",
    "documents.raster": "Turning a PDF into page images (pdfium) for the preview and the printer.",
    "models.base": "The base of the read-only list models of the pages.",
    "models.clients": "The table model of the clients page.",
    "models.activities": "The table model of the activities page.",
    "models.lines": "The editable model of a quote's, invoice's or credit note's lines.",
    "models.expenses": "The editable model of an expense note's lines.",
    "models.roles": "Item data roles shared by the models and the delegates.",
    "widgets.delegates": "Item delegates: status chips and choice lists in tables.",
    "widgets.page": "Small building blocks the pages share (light: the list page shown at start-up uses them).",
    "widgets.tables": "A plain read-only table view as the pages use it.",
    "widgets.chips": "The payment flag chip of a client (from the cooperative's follow-up of payments).",
    "pages.clients": "The clients page: the address book, a client's documents and payment flag.",
    "pages.activities": "The activities page: budget lines, their totals and the cooperative's monthly figures.",
    "pages.settings": "The settings page: language, brand, defaults, backups.",
    "pages.glossary": "The glossary page: the words SmartDesk uses and what they mean.",
    "pages.requests": None,
    "pages.followup": None,
    "dialogs.first_run": "The first-run dialog: language and cooperative.",
    "receipts.files": "Reading the receipts the member gives us: files, drops, pastes (no widgets here).",
    "receipts.thumbnails": "Receipt thumbnails: the cache and the delegate of the expense table's receipts column.",
    "receipts.edits": "Crop and rotate edits of a receipt page, stored as new receipt versions.",
    "receipts.canvas": "The canvas that shows one receipt page and its crop box.",
    "receipts.viewer": "The receipt viewer: pages, crop, rotate, replace, remove.",
    "receipts.camera": "Taking a receipt with the camera (QtMultimedia, imported only when used).",
    "receipts.controller": "The expense editor's receipts: adding (files, drops, pastes, camera) and showing them.",
}


def mod_path(new: str) -> Path:
    return GUI.joinpath(*new.split(".")).with_suffix(".py")


def header_and_chunks(src: str) -> tuple[str, str, list[tuple[list[str], str, set[str], set[str]]]]:
    """(docstring, import text, [(defined names, text, used names, names bound by import)])"""
    tree = ast.parse(src)
    lines = src.splitlines(keepends=True)
    body = tree.body
    doc = ""
    start = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        doc = body[0].value.value
        start = body[0].end_lineno
        body = body[1:]
    imports: list[str] = []
    chunks = []
    prev_end = start
    for node in body:
        is_import = isinstance(node, ast.Import | ast.ImportFrom) or (
            isinstance(node, ast.If) and all(isinstance(n, ast.Import | ast.ImportFrom) for n in node.body)
        )
        text = "".join(lines[prev_end : node.end_lineno])
        if is_import:
            if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                imports.append("".join(lines[node.lineno - 1 : node.end_lineno]))
        else:
            names: list[str] = []
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    names += [n.id for n in ast.walk(t) if isinstance(n, ast.Name)]
            elif isinstance(node, ast.AnnAssign):
                names = [node.target.id]  # type: ignore[attr-defined]
            else:
                raise SystemExit(f"unknown top-level node at {node.lineno}")
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            # string annotations / quoted names
            for c in ast.walk(node):
                if (
                    isinstance(c, ast.Constant)
                    and isinstance(c.value, str)
                    and re.fullmatch(r"[A-Za-z_][\w\[\], |.]*", c.value)
                ):
                    used |= set(re.findall(r"[A-Za-z_]\w*", c.value))
            # leading blank/comment text belongs to this chunk
            chunks.append((names, text.lstrip("\n"), used))
        prev_end = node.end_lineno
    return doc, "".join(imports), chunks


def main() -> None:
    where: dict[tuple[str, str], str] = {}  # (old module, name) -> new module
    outputs: dict[str, dict] = {}
    for old, (default, names) in PLAN.items():
        src = (GUI / f"{old}.py").read_text()
        doc, imports, chunks = header_and_chunks(src)
        for defined, text, used in chunks:
            target = default
            for n in defined:
                if n in names:
                    target = names[n]
            for n in defined:
                where[(old, n)] = target
            if target == "DROP":
                continue
            out = outputs.setdefault(
                target,
                {"old": set(), "imports": [], "chunks": [], "used": set(), "defined": set(), "doc": doc},
            )
            out["old"].add(old)
            if imports not in out["imports"]:
                out["imports"].append(imports)
            out["chunks"].append(text)
            out["used"] |= used
            out["defined"] |= set(defined)
        # re-exported names: imported into old from another old module
        tree = ast.parse(src)
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(P):
                sub = node.module[len(P) :]
                if sub in PLAN:
                    for a in node.names:
                        where.setdefault((old, a.asname or a.name), ("@", sub, a.name))  # type: ignore[arg-type]

    # resolve re-exports
    def resolve(old: str, name: str) -> str:
        v = where[(old, name)]
        while isinstance(v, tuple):
            v = where[(v[1], v[2])]
        return v

    for key in list(where):
        if key[1] and isinstance(where[key], tuple):
            where[key] = resolve(*key)

    for new, out in outputs.items():
        lines = []
        doc = DOCS.get(new) or out["doc"]
        lines.append(f'"""{doc}"""\n\nfrom __future__ import annotations\n\n')
        lines += out["imports"]
        sibling: dict[str, set[str]] = {}
        for old in out["old"]:
            for (o, n), tgt in where.items():
                if o == old and tgt != new and tgt != "DROP" and n in out["used"] and n not in out["defined"]:
                    sibling.setdefault(tgt, set()).add(n)
        for tgt, ns in sorted(sibling.items()):
            lines.append(f"from {P}{tgt} import {', '.join(sorted(ns))}\n")
        lines.append("\n\n")
        lines.append("\n\n".join(c.rstrip("\n") + "\n" for c in out["chunks"]))
        path = mod_path(new)
        path.parent.mkdir(exist_ok=True)
        init = path.parent / "__init__.py"
        if not init.exists():
            init.write_text(f'"""{path.parent.name.capitalize()} of the desktop interface."""\n')
        path.write_text("".join(lines))
        print("wrote", path.relative_to(ROOT), len("".join(lines).splitlines()))
    import json

    Path("/tmp/gui_where.json").write_text(
        json.dumps({f"{o}:{n}": t for (o, n), t in where.items()}, indent=1)
    )
    for old in PLAN:
        subprocess.run(["git", "rm", "-q", f"smartdesk/gui/{old}.py"], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
