"""One-off codemod (see gui_split.py): rewrite `from smartdesk.gui.<old> import names` to the new modules (from /tmp/gui_where.json)."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
P = "smartdesk.gui."
where: dict[str, str] = json.loads(Path("/tmp/gui_where.json").read_text())
OLD = {k.split(":")[0] for k in where}
EXTRA = {  # names defined elsewhere that moved by hand
}


def target(old: str, name: str) -> str:
    key = f"{old}:{name}"
    if key in EXTRA:
        return EXTRA[key]
    if key not in where:
        raise KeyError(key)
    return where[key]


def rewrite(path: Path) -> bool:
    src = path.read_text()
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return False
    lines = src.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        mod = node.module or ""
        if node.level == 1 and path.parent.name == "gui":
            old = mod
        elif mod.startswith(P):
            old = mod[len(P) :]
        else:
            continue
        if old not in OLD:
            continue
        groups: dict[str, list[str]] = {}
        for a in node.names:
            t = target(old, a.name)
            groups.setdefault(t, []).append(a.name if a.asname is None else f"{a.name} as {a.asname}")
        first = lines[node.lineno - 1]
        indent = first[: len(first) - len(first.lstrip())]
        last = lines[node.end_lineno - 1].rstrip("\n")
        comment = ""
        if "#" in last and ")" not in last.split("#", 1)[1]:
            comment = "  #" + last.split("#", 1)[1]
        new = [f"{indent}from {P}{t} import {', '.join(ns)}{comment}\n" for t, ns in groups.items()]
        edits.append((node.lineno - 1, node.end_lineno, new))
    if not edits:
        return False
    for start, end, new in sorted(edits, reverse=True):
        lines[start:end] = new
    path.write_text("".join(lines))
    return True


if __name__ == "__main__":
    for base in sys.argv[1:]:
        for p in sorted(Path(base).rglob("*.py")):
            if ".venv" in p.parts:
                continue
            if rewrite(p):
                print("rewrote", p)
