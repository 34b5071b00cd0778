"""Which characters the embedded document font can draw (DejaVu Sans regular AND bold: Latin, Greek,
Cyrillic, Armenian, Georgian, Hebrew and Arabic letters, symbols). A document whose text has other
characters (日本語, emoji...) would print empty boxes, so validation refuses it and names the
characters and the field (docs/decisions/0020-unprintable-characters.md).

The code points come from ``data/printable_ranges.json``, made from the font files by
``scripts/printable_ranges.py`` (a test keeps the two equal): the server checks with the
same table without loading the fonts.
"""

from __future__ import annotations

import bisect
import json
from functools import cache
from importlib import resources

from smartdesk.domain.documents import Client, Document

_CONTROL_OK = frozenset("\n\r\t")


@cache
def _ranges() -> tuple[tuple[int, ...], tuple[int, ...]]:
    raw = json.loads(
        resources.files("smartdesk.domain").joinpath("data/printable_ranges.json").read_text("utf-8")
    )
    starts = tuple(int(r[0]) for r in raw["ranges"])
    ends = tuple(int(r[1]) for r in raw["ranges"])
    return starts, ends


def is_printable(ch: str) -> bool:
    if ch in _CONTROL_OK:
        return True
    starts, ends = _ranges()
    code = ord(ch)
    i = bisect.bisect_right(starts, code) - 1
    return i >= 0 and code <= ends[i]


def unprintable(text: str) -> str:
    """The characters of ``text`` the document font cannot draw, each once, in order of appearance."""
    if text.isascii():
        return ""
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in seen and not ch.isascii() and not is_printable(ch):
            seen[ch] = None
    return "".join(seen)


def printable_text(text: str) -> str:
    """``text`` with each character the font cannot draw replaced by U+FFFD "�" (a draft's preview:
    a visible mark beside the validation message, never an empty box; validation refuses such text)."""
    bad = unprintable(text)
    if not bad:
        return text
    return text.translate({ord(ch): "\ufffd" for ch in bad})


def document_texts(doc: Document, client: Client | None) -> list[tuple[str, str, str]]:
    """(field, plain name for the message, text) of every text a member types that is printed."""
    out = [
        ("title", "Title", doc.title),
        ("intro_text", "Introduction", doc.intro_text),
        ("closing_text", "Closing text", doc.closing_text),
        ("reference", "Your reference", doc.reference),
    ]
    for n, line in enumerate(doc.lines, start=1):
        out.append((f"lines[{n - 1}].description", f"Line {n}", line.description))
    for n, ac in enumerate(doc.allowances, start=1):
        out.append((f"allowances[{n - 1}].reason", f"Discount or surcharge {n}", ac.reason))
    for n, ex in enumerate(doc.expense_lines, start=1):
        out.append((f"expense_lines[{n - 1}].supplier", f"Expense {n}", ex.supplier))
        out.append((f"expense_lines[{n - 1}].description", f"Expense {n}", ex.description))
    if doc.delivery_address is not None:
        a = doc.delivery_address
        out.append(("delivery_address", "Delivery address", " ".join((a.street, a.postcode, a.city))))
    if client is not None:
        a = client.address
        out.append(("client.name", "Client name", client.name))
        out.append(("client.address", "Client address", " ".join((a.street, a.postcode, a.city))))
    return out
