"""Merge helper (temporary): carry French and Dutch wording from an old-style ``ui_catalogue.py`` (the Python
tuples that the gettext catalogues replaced, docs/decisions/0011-gettext-catalogues.md) into the ``.po`` files.

    git show other-branch:smartdesk/i18n/ui_catalogue.py > /tmp/ui_catalogue.py
    .venv/bin/python -m smartdesk.i18n.extract          # the branch's new strings reach the .po, empty
    .venv/bin/python scripts/i18n_port_tuples.py /tmp/ui_catalogue.py
    .venv/bin/python -m smartdesk.i18n.build && pytest tests/unit/test_catalogues.py

Only empty or fuzzy entries are filled, and only from an exact English match (plain messages and the
validation problems); plural forms and contexts are listed for a person to translate. Delete this script
once every branch is merged.
"""

from __future__ import annotations

import importlib.util
import io
import sys

from babel.messages.pofile import read_po, write_po

from smartdesk.domain.validation import MESSAGES
from smartdesk.i18n.extract import LOCALE_DIR, _without_dates


def main(path: str) -> int:
    spec = importlib.util.spec_from_file_location("_old_ui_catalogue", path)
    assert spec and spec.loader
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    left = 0
    for lang in ("fr", "nl"):
        wording: dict[str, str] = dict(getattr(old, lang.upper()))
        problems: dict[str, str] = getattr(old, f"PROBLEMS_{lang.upper()}", {})
        wording.update({MESSAGES[code]: text for code, text in problems.items() if code in MESSAGES})
        po = LOCALE_DIR / lang / "LC_MESSAGES" / "ui.po"
        with po.open("rb") as fp:
            catalog = read_po(fp, locale=lang, domain="ui")
        filled = 0
        for message in catalog:
            if not message.id or (message.string and not message.fuzzy):
                continue
            if isinstance(message.id, str) and message.context is None and message.id in wording:
                message.string = wording[message.id]
                message.flags.discard("fuzzy")
                message.previous_id = []
                filled += 1
            else:
                left += 1
                print(f"{lang}: translate by hand: {message.context or ''} {message.id!r}")
        out = io.BytesIO()
        write_po(out, catalog, width=110, sort_output=False, include_lineno=False, ignore_obsolete=True)
        po.write_text(_without_dates(out.getvalue().decode("utf-8")), "utf-8")
        print(f"{lang}: {filled} filled from {path}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
