"""Build-time helper: a smaller ICU data library for the bundle (Linux).

Qt's ``libicudata.so.NN`` is one 32 MB blob: the Unicode core tables plus locale data for ~800 locales,
~230 legacy character sets, dictionaries for Thai/Khmer/CJK word breaking, transliterators, unit and
number-spelling data. Qt Core calls only four ICU services (checked with ``nm -D --undefined-only``
on libQt6Core): case mapping (``u_strToLower``/``u_strToUpper``), collation (``ucol_*``, QCollator),
time-zone names (``ucal_*``, QTimeZone) and character-set converters (``ucnv_*``, QStringConverter).

This module rewrites the blob keeping:

* every core table (normalisation, character names, emoji and layout properties, converter aliases,
  time-zone rules, collation root, supplemental data; the character properties and case mapping
  tables themselves are compiled into libicuuc);
* the locale data (top level, collation, time-zone names, currency, language and region names) of
  the root locale and of ``languages`` with all their regional variants (SmartDesk: fr, nl, en, de,
  es, it; any other locale falls back to the root locale's data, as ICU always does);
* the single-byte converters (ISO-8859-*, windows-125*, Mac, EBCDIC code pages, ...);

and dropping the multi-byte East-Asian converters, the word-break dictionaries and rules, the
transliterators, the unit and rule-based number-format data (no Qt call reaches them), then wraps
the result in a library with the same name and exported symbol (``icudtNN_dat``).

``python packaging/icu_trim.py LIB OUT [LANG ...]`` does it by hand and prints the sizes.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

DROP_TREES = ("brkitr", "translit", "rbnf", "unit")
# A converter table above this size is a multi-byte (CJK) or compound one; single-byte tables are < 10 KB.
MAX_CONVERTER_BYTES = 16 * 1024
_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]+)*\.res$")
_ALWAYS = ("root.res", "pool.res", "res_index.res")


def _rodata(lib: bytes) -> bytes:
    """The ``.rodata`` section of a 64-bit little-endian ELF library (where ``icudtNN_dat`` lives)."""
    if lib[:4] != b"\x7fELF" or lib[4] != 2 or lib[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF library")
    (shoff,) = struct.unpack_from("<Q", lib, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", lib, 0x3A)
    sections = [struct.unpack_from("<IIQQQQ", lib, shoff + i * shentsize) for i in range(shnum)]
    names_offset = sections[shstrndx][4]
    for name_index, _kind, _flags, _addr, offset, size in sections:
        end = lib.index(b"\0", names_offset + name_index)
        if lib[names_offset + name_index : end] == b".rodata":
            return lib[offset : offset + size]
    raise ValueError("no .rodata section")


def read_package(lib_path: Path) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(name, item bytes), ...]) of the ICU common data inside ``lib_path``."""
    return read_package_bytes(_rodata(lib_path.read_bytes()))


def read_package_bytes(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(name, item bytes), ...]) of an ICU common data package (a ``.dat`` file's bytes)."""
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise ValueError("no ICU common data package (CmnD) here")
    (header_size,) = struct.unpack_from("<H", data, 0)
    toc = data[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_offset, data_offset) in enumerate(entries):
        name = toc[name_offset : toc.index(b"\0", name_offset)].decode("ascii")
        end = entries[index + 1][1] if index + 1 < count else len(toc)
        items.append((name, toc[data_offset:end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """An ICU common data package (same layout as ``icupkg`` writes: names, then 16-byte aligned items)."""
    count = len(items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    names_start = 4 + 8 * count
    data_start = (names_start + len(names) + 15) // 16 * 16
    toc = bytearray(struct.pack("<I", count))
    body = bytearray()
    name_offset = names_start
    for name, item in items:
        toc += struct.pack("<II", name_offset, data_start + len(body))
        name_offset += len(name) + 1
        body += item + b"\0" * (-len(item) % 16)
    toc += names + b"\xaa" * (data_start - names_start - len(names))  # icupkg pads with 0xAA
    if len(header) % 16:
        raise ValueError("the package header must be 16-byte aligned")
    return header + bytes(toc) + bytes(body)


def keep_item(name: str, size: int, languages: tuple[str, ...]) -> bool:
    parts = name.split("/")[1:]  # drop the "icudtNNl" package folder
    tree, leaf = ("/".join(parts[:-1]), parts[-1])
    if tree.split("/")[0] in DROP_TREES:
        return False
    if leaf.endswith(".cnv"):
        return size <= MAX_CONVERTER_BYTES
    if leaf in _ALWAYS:
        return True
    match = _LOCALE.match(leaf)
    if match:
        return match.group(1) in languages
    return True


def trim(lib_path: Path, languages: tuple[str, ...]) -> tuple[bytes, str]:
    """The trimmed package and the ``icudtNN_dat`` symbol name it must be exported as."""
    header, items = read_package(lib_path)
    package = items[0][0].split("/")[0]  # e.g. icudt73l
    kept = [(name, item) for name, item in items if keep_item(name, len(item), languages)]
    return write_package(header, kept), f"{package[:-1]}_dat"


def build_library(lib_path: Path, out_path: Path, languages: tuple[str, ...], compiler: str) -> None:
    """Compile the trimmed data into ``out_path`` (same file name and soname as ``lib_path``)."""
    package, symbol = trim(lib_path, languages)
    with tempfile.TemporaryDirectory(prefix="icu-trim-") as tmp:
        dat = Path(tmp) / "icudata.dat"
        dat.write_bytes(package)
        source = Path(tmp) / "icudata.S"
        source.write_text(
            f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n"
            f'\t.incbin "{dat}"\n\t.size {symbol}, .-{symbol}\n\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        out_path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                compiler,
                "-shared",
                "-nostdlib",
                "-s",
                f"-Wl,-soname,{lib_path.name}",
                "-o",
                str(out_path),
                str(source),
            ],
            check=True,
        )


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    lib, out, languages = (
        Path(argv[0]),
        Path(argv[1]),
        tuple(argv[2:]) or ("fr", "nl", "en", "de", "es", "it"),
    )
    build_library(lib, out, languages, "cc")
    print(
        f"{lib.name}: {lib.stat().st_size / 1e6:.1f} MB -> {out.stat().st_size / 1e6:.1f} MB "
        f"(languages {', '.join(languages)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
