"""The gettext catalogues: templates in step with the code (Babel's extraction re-run here), every
message translated in every catalogue, nothing fuzzy, the same placeholders, the compiled ``.mo`` files
up to date and read back like Babel reads the ``.po``, the pseudo-locale made from the template."""

from __future__ import annotations

import gettext
import io
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract as run

from smartdesk.i18n import build, extract
from tests.unit.po_files import catalog, template

# the languages each domain is translated into (English is the source language of both)
LANGUAGES = {"ui": ("fr", "nl"), "documents": ("fr", "nl", "de", "es", "it")}
CATALOGUES = [(domain, lang) for domain, langs in LANGUAGES.items() for lang in langs]


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def key(message: object) -> tuple[str | None, str]:
    msgid = message.id  # type: ignore[attr-defined]
    return message.context, msgid if isinstance(msgid, str) else msgid[0]  # type: ignore[attr-defined]


def catalogue_problems(reference: Catalog, translated: Catalog) -> list[str]:
    """Everything wrong with a catalogue against its template, in plain words."""
    problems = []
    known = {key(m) for m in reference if m.id}
    found = {key(m): m for m in translated if m.id}
    problems += [f"missing: {k}" for k in sorted(known - set(found), key=str)]
    problems += [f"not in the template: {k}" for k in sorted(set(found) - known, key=str)]
    for k, message in found.items():
        strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
        if message.fuzzy:
            problems.append(f"fuzzy: {k}")
        if not all(strings):
            problems.append(f"untranslated: {k}")
            continue
        ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
        if len(ids) == 2 and len(strings) != translated.num_plurals:
            problems.append(f"{len(strings)} plural forms instead of {translated.num_plurals}: {k}")
        wanted = set().union(*(fields(i) for i in ids))
        for text in strings:
            if fields(text) != wanted:
                problems.append(f"placeholders {sorted(fields(text))} instead of {sorted(wanted)}: {k}")
    return problems


@pytest.mark.parametrize("domain", sorted(LANGUAGES))
def test_the_template_is_what_babel_extracts_from_the_code_now(domain: str) -> None:
    """The messages (context, singular, plural) only: a file moved to another folder changes the template's
    location comments, which the next extraction rewrites, but no translation."""
    fresh = {(m.context, m.id) for m in extract.template(domain) if m.id}
    kept = {(m.context, m.id) for m in template(domain) if m.id}
    assert (sorted(fresh - kept, key=str), sorted(kept - fresh, key=str)) == ([], []), (
        "(new in the code, gone from the code): run python -m smartdesk.i18n.extract (docs/translations.md)"
    )


def test_the_extraction_finds_every_kind_of_call() -> None:
    source = (
        "from smartdesk.i18n.ui import _, ntr, ptr, tr\n"
        "_('Plain')\n"
        "tr('Hello {name}', name=x)\n"
        "ntr('{n} file', '{n} files', n, n=n)\n"
        "ptr('document status', 'Sent')\n"
        "raise NotFoundError.of('No {thing} here.', thing=t)\n"
        "raise StoreError('Fixed sentence.')\n"
        "Message.counted('{count} line', '{count} lines', c, count=c)\n"
        "Problem('field', 'code', 'Shown as is.')\n"
        "print('not for translators')\n"
    )
    result = {
        (context, message)
        for _line, message, _comments, context in run(
            "python", io.BytesIO(source.encode()), keywords=extract.KEYWORDS
        )
    }
    assert result == {
        (None, "Plain"),
        (None, "Hello {name}"),
        (None, ("{n} file", "{n} files")),
        ("document status", "Sent"),
        (None, "No {thing} here."),
        (None, "Fixed sentence."),
        (None, ("{count} line", "{count} lines")),
        (None, "Shown as is."),
    }


@pytest.mark.parametrize(("domain", "lang"), CATALOGUES)
def test_every_message_is_translated_with_the_same_placeholders(domain: str, lang: str) -> None:
    assert catalogue_problems(template(domain), catalog(lang, domain)) == []


def test_the_catalogue_check_reports_a_missing_fuzzy_or_changed_translation(tmp_path: Path) -> None:
    reference = Catalog(locale=None, domain="ui")
    for msgid in ("One", "Hello {name}", "Fuzzy", "Empty"):
        reference.add(msgid)
    reference.add(("{n} file", "{n} files"))
    reference.add("Sent", context="document status")
    translated = Catalog(locale="nl", domain="ui")  # two plural forms
    translated.add("Hello {name}", "Bonjour {nom}")
    translated.add("Fuzzy", "Flou", flags=["fuzzy"])
    translated.add("Empty", "")
    translated.add(("{n} file", "{n} files"), ("{n} fichier", "fichiers"))
    translated.add("Sent", "Envoyé", context="document status")
    translated.add("Gone", "Parti")
    problems = catalogue_problems(reference, translated)
    assert problems == [
        "missing: (None, 'One')",
        "not in the template: (None, 'Gone')",
        "placeholders ['nom'] instead of ['name']: (None, 'Hello {name}')",
        "fuzzy: (None, 'Fuzzy')",
        "untranslated: (None, 'Empty')",
        "placeholders [] instead of ['n']: (None, '{n} file')",
    ]


def test_the_duplicate_key_is_gone_and_counts_have_plural_forms() -> None:
    ids = [key(m) for m in template("ui") if m.id]
    assert len(ids) == len(set(ids))
    assert not [i for i in ids if "(s)" in i[1] or "(en)" in i[1]], "use ntr() for a count"
    plurals = {m.id[0]: m.string for m in catalog("fr") if isinstance(m.id, tuple)}
    assert plurals["{n} document"] == ("{n} document", "{n} documents")
    assert len(plurals) >= 13


def test_the_compiled_catalogues_are_up_to_date() -> None:
    assert build.stale() == [], "run python -m smartdesk.i18n.build"


@pytest.mark.parametrize(("domain", "lang"), CATALOGUES)
def test_the_compiled_catalogue_reads_back_like_the_po(domain: str, lang: str) -> None:
    with build.mo_path(lang, domain).open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    source = catalog(lang, domain)
    plural_index = gettext.c2py(source.plural_expr)
    checked = 0
    for message in source:
        if not message.id:
            continue
        if message.fuzzy:  # left out: the interface shows the English text until a translator confirms
            assert compiled.gettext(key(message)[1]) == key(message)[1]
        elif isinstance(message.id, tuple):
            singular, plural = message.id
            for n in (1, 2, 5):
                index = plural_index(n)
                assert compiled.ngettext(singular, plural, n) == message.string[index]
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string
        checked += 1
    assert checked > 90


def test_the_compiler_leaves_out_fuzzy_and_empty_entries(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#, fuzzy\nmsgid "Draft"\nmsgstr "Brouillon"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        'msgctxt "status"\nmsgid "Sent"\nmsgstr "Envoy"\n"é"\n\n'
        'msgid "{n} file"\nmsgid_plural "{n} files"\nmsgstr[0] "{n} fichier"\nmsgstr[1] "{n} fichiers"\n',
        "utf-8",
    )
    header, entries = build.read_po(po)
    compiled = gettext.GNUTranslations(io.BytesIO(build.mo_bytes(header, entries)))
    assert compiled.gettext("Draft") == "Draft" and compiled.gettext("Empty") == "Empty"
    assert compiled.pgettext("status", "Sent") == "Envoyé" and compiled.gettext("Sent") == "Sent"
    assert compiled.ngettext("{n} file", "{n} files", 1) == "{n} fichier"
    assert compiled.ngettext("{n} file", "{n} files", 0) == "{n} fichier"  # French: 0 is singular
    assert compiled.ngettext("{n} file", "{n} files", 2) == "{n} fichiers"


def test_the_pseudo_locale_is_made_from_the_template() -> None:
    with build.mo_path(build.PSEUDO, "ui").open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    for message in template("ui"):
        if not message.id:
            continue
        singular = message.id if isinstance(message.id, str) else message.id[0]
        shown = (
            compiled.pgettext(message.context, singular)
            if message.context
            else compiled.ngettext(singular, message.id[1], 1)
            if isinstance(message.id, tuple)
            else compiled.gettext(singular)
        )
        assert shown.startswith("[") and len(shown) >= len(singular) + 4, singular
        assert fields(shown) == fields(singular), singular


def test_no_translated_string_hides_inside_an_f_string() -> None:
    """Babel's extraction reads an f-string as one token on Python 3.11: ``f"{_('OK')}"`` would never reach
    the template, and the text would stay English. The call goes on its own line before the f-string."""
    import ast

    root = Path(__file__).resolve().parents[2]
    hidden = []
    for path in sorted((root / "smartdesk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    func = call.func
                    name = (
                        func.id
                        if isinstance(func, ast.Name)
                        else func.attr
                        if isinstance(func, ast.Attribute)
                        else ""
                    )
                    if name in extract.KEYWORDS and call.args and isinstance(call.args[0], ast.Constant):
                        hidden.append(f"{path.relative_to(root)}:{call.lineno} {ast.unparse(call)}")
    assert hidden == []


def test_a_missing_compiled_catalogue_shows_english_and_fails_the_self_test(
    tmp_path: Path, monkeypatch
) -> None:
    from smartdesk import selftest
    from smartdesk.i18n import ui

    monkeypatch.setattr(ui, "LOCALE_DIR", tmp_path)  # an installation without its .mo files
    assert ui.load("fr").gettext("Quotes") == "Quotes"
    with pytest.raises(selftest.CheckFailed, match="compiled fr interface catalogue .* is missing"):
        selftest._check_ui_translations()
    monkeypatch.undo()
    assert ui.load("fr").gettext("Quotes") == "Devis"
    assert "fr, nl, en" in selftest._check_ui_translations()
