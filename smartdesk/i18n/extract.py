"""Extract the translatable strings with Babel and bring the ``.po`` catalogues in step (a developer tool).

    python -m smartdesk.i18n.extract            # rewrite locale/{ui,documents}.pot, update every .po
    python -m smartdesk.i18n.extract --check    # exit 1 when a template is out of date with the code

The interface domain is mapped by ``babel.cfg``, the document domain by ``babel-documents.cfg``; the
keywords below are the functions the code calls. A new msgid arrives in every ``.po`` untranslated, a
changed one fuzzy: the catalogue tests fail until a translator has filled them in (docs/translations.md).
Never imported at start-up (Babel is slow to import).
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PROJECT = "SmartDesk"
# the call -> which arguments are the message (Babel's keyword specs; "c": the context)
KEYWORDS: dict[str, Any] = {
    "_": None,
    "tr": None,
    "N_": None,
    "ntr": (1, 2),
    "ptr": ((1, "c"), 2),
    "NP_": ((1, "c"), 2),
    # smartdesk.errors: Message("...", values), Message.counted(singular, plural, n), SomeError.of("...")
    "Message": None,
    "counted": (1, 2),
    "of": None,
    # the errors whose first argument is the message a member reads
    "SmartDeskError": None,
    "NotFoundError": None,
    "StoreError": None,
    "SyncError": None,
    "TransitionError": None,
    "AttachmentError": None,
    "UnknownDocumentLanguage": None,
    "ReceiptError": (2,),
    # smartdesk.einvoice
    "EInvoiceError": None,
    "FacturXError": None,
    "ValidationSetupError": None,
    "UnreadableInvoice": None,
    # ValidationError(problems, summary="..."): Babel counts a keyword argument by its position
    "ValidationError": (2,),
    # Problem(field, code, "English message"): shown as is when its code has no entry in validation.MESSAGES
    "Problem": (3,),
    # smartdesk/i18n/document_strings.py: D_(key, english)
    "D_": ((1, "c"), 2),
}
DOMAINS = {"ui": ROOT / "babel.cfg", "documents": ROOT / "babel-documents.cfg"}
# Plural-Forms of the interface and document languages (from the gettext manual)
PLURAL_FORMS = {lang: "nplurals=2; plural=(n != 1);" for lang in ("nl", "en", "de", "es", "it")}
PLURAL_FORMS["fr"] = "nplurals=2; plural=(n > 1);"


def extract_message_table(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method for a module-level table of messages (``MESSAGES = {code: "English"}``
    in smartdesk/domain/validation.py): the table's string values. Then the ordinary Python extraction."""
    source = fileobj.read()
    tree = ast.parse(source)
    for node in tree.body:
        target = (
            node.target
            if isinstance(node, ast.AnnAssign)
            else node.targets[0]
            if isinstance(node, ast.Assign)
            else None
        )
        if (
            isinstance(target, ast.Name)
            and target.id == options.get("table", "MESSAGES")
            and isinstance(node.value, ast.Dict)
        ):
            for value in node.value.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.lineno, None, value.value, []
    from babel.messages.extract import extract_python

    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)


def template(domain: str) -> Catalog:
    """The domain's template as extracted from the code now."""
    with DOMAINS[domain].open() as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    catalog = Catalog(project=PROJECT, domain=domain, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def pot_text(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(
        out, catalog, width=110, omit_header=False, sort_output=False, no_location=False, include_lineno=False
    )
    return _without_dates(out.getvalue().decode("utf-8"))


def _without_dates(text: str) -> str:
    """The template without its creation date, so that an unchanged extraction rewrites nothing."""
    return "\n".join(line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')) + "\n"


def message_keys(catalog: Catalog) -> set[tuple[str | None, str | tuple[str, ...]]]:
    return {(m.context, m.id) for m in catalog if m.id}


def update(domain: str, catalog: Catalog) -> list[Path]:
    """Bring every ``<lang>/LC_MESSAGES/<domain>.po`` in step with the template (new messages empty,
    changed ones fuzzy, removed ones obsolete)."""
    changed = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{domain}.po")):
        with po.open("rb") as fp:
            translations = read_po(fp, locale=po.parts[-3], domain=domain)
        translations.update(catalog, update_header_comment=False)
        out = io.BytesIO()
        write_po(out, translations, width=110, sort_output=False, include_lineno=False, ignore_obsolete=True)
        text = _without_dates(out.getvalue().decode("utf-8"))
        if po.read_text("utf-8") != text:
            po.write_text(text, "utf-8")
            changed.append(po)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Extract SmartDesk's strings with Babel.")
    parser.add_argument("--check", action="store_true", help="only check that the templates are up to date")
    args = parser.parse_args(argv)
    stale = []
    for domain in DOMAINS:
        text = pot_text(template(domain))
        pot = LOCALE_DIR / f"{domain}.pot"
        if not pot.exists() or pot.read_text("utf-8") != text:
            stale.append(pot)
            if not args.check:
                pot.parent.mkdir(parents=True, exist_ok=True)
                pot.write_text(text, "utf-8")
        if not args.check:
            for po in update(domain, template(domain)):
                print(f"updated {po.relative_to(ROOT)}")
    for pot in stale:
        print(f"{'out of date' if args.check else 'rewrote'}: {pot.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
