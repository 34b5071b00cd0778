"""Compile the gettext catalogues (``.po`` -> ``.mo``) and make the pseudo-locale, with the standard library only.

    python -m smartdesk.i18n.build            # compile every catalogue under smartdesk/i18n/locale
    python -m smartdesk.i18n.build --check    # exit 1 when a .mo is missing or older than its source

Run at build time, never at start-up: by ``scripts/_setup.sh`` (``./scripts/start``, ``./scripts/test``),
by the setuptools build step (``setup.py``: wheels and ``pip install``) and by ``build.spec`` (the
bundle, where packaging/hooks/hook-smartdesk.py takes the ``.mo`` files only). The ``.mo`` files are not committed (docs/decisions/0007-gettext-catalogues.md). No Babel here:
the setuptools build step runs in an isolated environment that has only setuptools.

The pseudo-locale (``SMARTDESK_UI_LANG=pseudo``, used by the screenshot tests to find clipped text) is
generated from the interface template ``ui.pot``: every message accented and about 40 % longer, its
placeholders and markup kept.
"""

from __future__ import annotations

import argparse
import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAINS = ("ui", "documents")
PSEUDO = "pseudo"
PSEUDO_HEADER = (
    "Content-Type: text/plain; charset=UTF-8\nLanguage: pseudo\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
)
_ACCENTS = str.maketrans("aeiouyAEIOUYcnsz", "àéîõüýÀÉÎÕÜÝçñšž")


@dataclass
class Entry:
    """One message of a ``.po`` / ``.pot`` file."""

    msgid: str
    context: str | None = None
    plural: str | None = None
    strings: list[str] = field(default_factory=list)  # msgstr, or msgstr[0], msgstr[1]...
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.strings) and all(self.strings)


def read_po(path: Path) -> tuple[str, list[Entry]]:
    """(header, entries) of a ``.po`` file; obsolete (``#~``) entries are left out."""
    header = ""
    entries: list[Entry] = []
    current: Entry | None = None
    fuzzy = False
    target: tuple[str, int] | None = None  # which field the continuation lines extend

    def finish() -> None:
        nonlocal current, header
        if current is not None:
            if current.msgid == "" and current.context is None:
                header = current.strings[0] if current.strings else ""
            else:
                entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in [flag.strip() for flag in line[2:].split(",")]:
                fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: a string outside a message")
            _append(current, target, _unquote(line))
            continue
        value = _unquote(rest.strip())
        if keyword in ("msgctxt", "msgid") and (current is None or current.strings):
            finish()
            current = Entry(msgid="", fuzzy=fuzzy)
            fuzzy = False
        if current is None:
            raise ValueError(f"{path}:{number}: {keyword} before msgid")
        if keyword == "msgctxt":
            current.context, target = value, ("context", 0)
        elif keyword == "msgid":
            current.msgid, target = value, ("msgid", 0)
        elif keyword == "msgid_plural":
            current.plural, target = value, ("plural", 0)
        elif keyword == "msgstr":
            current.strings, target = [value], ("strings", 0)
        elif keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            current.strings.extend([""] * (index + 1 - len(current.strings)))
            current.strings[index], target = value, ("strings", index)
        else:
            raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    finish()
    return header, entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "strings":
        entry.strings[index] += text
    else:
        setattr(entry, name, (getattr(entry, name) or "") + text)


def _unquote(text: str) -> str:
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise ValueError(f"not a quoted string: {text}")
    return str(ast.literal_eval(text))


def mo_bytes(header: str, entries: list[Entry]) -> bytes:
    """A GNU ``.mo`` file (little-endian, no hash table) of the translated, non-fuzzy entries."""
    pairs: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for entry in entries:
        if entry.fuzzy or not entry.translated:
            continue
        key = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.plural is not None:
            key += "\0" + entry.plural
        pairs[key.encode("utf-8")] = "\0".join(entry.strings).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    originals, translations, data = [], [], bytearray()
    for table, values in ((originals, keys), (translations, [pairs[k] for k in keys])):
        for value in values:
            table.append((len(value), data_at + len(data)))
            data += value + b"\0"
    out = bytearray(struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at))
    for length, offset in originals + translations:
        out += struct.pack("<2I", length, offset)
    return bytes(out + data)


def pseudo(text: str) -> str:
    """Accented and 40 % longer, ``{placeholders}`` and ``<markup>`` kept intact."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in "{<":
            depth += 1
        out.append(ch if depth else ch.translate(_ACCENTS))
        if ch in "}>" and depth:
            depth -= 1
    pad = "~" * max(2, int(len(text) * 0.4))
    return f"[{''.join(out)} {pad}]"


def pseudo_entries(template: list[Entry]) -> list[Entry]:
    """The pseudo-locale's messages, made from a template's."""
    made = []
    for entry in template:
        strings = (
            [pseudo(entry.msgid)] if entry.plural is None else [pseudo(entry.msgid), pseudo(entry.plural)]
        )
        made.append(Entry(msgid=entry.msgid, context=entry.context, plural=entry.plural, strings=strings))
    return made


def mo_path(lang: str, domain: str, root: Path = LOCALE_DIR) -> Path:
    return root / lang / "LC_MESSAGES" / f"{domain}.mo"


def outputs(root: Path = LOCALE_DIR) -> dict[Path, bytes]:
    """Every ``.mo`` file the catalogues under ``root`` compile to, with its content."""
    made: dict[Path, bytes] = {}
    for po in sorted(root.glob("*/LC_MESSAGES/*.po")):
        header, entries = read_po(po)
        made[po.with_suffix(".mo")] = mo_bytes(header, entries)
    template = root / "ui.pot"
    if template.exists():
        made[mo_path(PSEUDO, "ui", root)] = mo_bytes(PSEUDO_HEADER, pseudo_entries(read_po(template)[1]))
    return made


def compile_all(root: Path = LOCALE_DIR, dest: Path | None = None) -> list[Path]:
    """Write every ``.mo`` (under ``dest``, same layout, when given: a wheel's build folder)."""
    written = []
    for path, content in outputs(root).items():
        target = path if dest is None else dest / path.relative_to(root)
        if not target.exists() or target.read_bytes() != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        written.append(target)
    return written


def stale(root: Path = LOCALE_DIR) -> list[Path]:
    """The ``.mo`` files that are missing or differ from what their sources compile to."""
    return [
        path for path, content in outputs(root).items() if not path.exists() or path.read_bytes() != content
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile SmartDesk's gettext catalogues.")
    parser.add_argument("--check", action="store_true", help="only check that every .mo is up to date")
    args = parser.parse_args(argv)
    if args.check:
        missing = stale()
        for path in missing:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if missing else 0
    written = compile_all()
    print(f"{len(written)} catalogues compiled in {LOCALE_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
