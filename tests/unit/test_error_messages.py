"""Error messages a member can see are in the interface language (FR, NL, EN), values filled in.

(a) an AST scan of smartdesk/ finds every message given to a SmartDeskError (or a subclass, or a
    ``Message``): each must be in the template Babel extracts (so the extraction's keywords miss no error
    class; tests/unit/test_catalogues.py checks that every template message is translated), and none may
    be built in a way no catalogue can hold (an f-string);
(b) ``error_text`` translates a message with values in fr, nl and en;
(c) real errors, raised by the real code, read in French.
"""

from __future__ import annotations

import ast
import pickle
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartdesk.domain.lifecycle import Status, status_label
from smartdesk.errors import (
    AttachmentError,
    Message,
    Problem,
    SmartDeskError,
    StoreError,
    SyncError,
    ValidationError,
)
from smartdesk.i18n import ui
from tests.unit.po_files import translations

FR = translations("fr")
NL = translations("nl")
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "smartdesk"
# the command line speaks English only (its users read the logs and the docs)
SKIPPED = (PACKAGE / "cli",)
# Messages still built with an f-string, in files owned by other work (count per file). Lower a count
# when a message there becomes a Message; never raise it: build new messages with Message(...).
KNOWN_GAPS: dict[str, int] = {}
# the argument that holds the message, when it is not the first one
MESSAGE_ARG = {"ReceiptError": 1, "ValidationError": 1}
MESSAGE_KEYWORDS = ("message", "summary")
# a Message made from a value rather than a literal: allowed only for these words, checked below
DYNAMIC_WORDS = {"status_label"}
# where Message itself is defined (it builds messages from its arguments)
MECHANISM = "smartdesk/errors.py"


def error_classes(files: list[tuple[str, str]]) -> set[str]:
    """SmartDeskError and every class that derives from it, found in the sources."""
    names = {"SmartDeskError"}
    trees = [ast.parse(source) for _path, source in files]
    while True:
        before = len(names)
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and any(
                    isinstance(b, ast.Name) and b.id in names for b in node.bases
                ):
                    names.add(node.name)
        if len(names) == before:
            return names


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if func.attr == "of" and isinstance(func.value, ast.Name):
            return f"{func.value.id}.of"
        return func.attr
    return ""


def _message_args(node: ast.Call, name: str) -> Iterator[ast.expr]:
    if name.endswith(".of"):
        yield from node.args[:1]
        return
    index = MESSAGE_ARG.get(name, 0)
    if len(node.args) > index:
        yield node.args[index]
    yield from (k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS)


def scan(files: list[tuple[str, str]]) -> tuple[dict[str, str], list[str]]:
    """(every message template -> where it is, every message that cannot be translated -> where)."""
    classes = error_classes(files)
    templates: dict[str, str] = {}
    dynamic: list[str] = []
    for path, source in files:
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            where = f"{path}:{node.lineno}"
            if name == "Message" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    templates.setdefault(arg.value, where)
                elif path != MECHANISM and not (isinstance(arg, ast.Call) and _callee(arg) in DYNAMIC_WORDS):
                    dynamic.append(where)
            elif name in classes or (name.endswith(".of") and name[:-3] in classes):
                for arg in _message_args(node, name):
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        templates.setdefault(arg.value, where)
                    elif isinstance(arg, ast.Call) and _callee(arg) in (
                        "Message",
                        "counted",
                        "_",
                        "tr",
                        "N_",
                    ):
                        continue  # a Message (or Message.counted) is extracted on its own; _ and tr too
                    elif isinstance(arg, ast.Name | ast.Attribute):
                        continue  # a variable (a message made above, or problems): scanned where it is made
                    else:
                        dynamic.append(where)
    return templates, dynamic


def package_files() -> list[tuple[str, str]]:
    return [
        (str(p.relative_to(ROOT)), p.read_text("utf-8"))
        for p in sorted(PACKAGE.rglob("*.py"))
        if "__pycache__" not in p.parts and not any(folder in p.parents for folder in SKIPPED)
    ]


def fields(text: str) -> list[str]:
    return sorted(f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f)


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    ui.set_language("en")


# --- (a) every message is extracted, so it has its French and Dutch wording -----------------------------
def test_every_error_message_is_extracted_and_has_french_and_dutch() -> None:
    from smartdesk.i18n.extract import template

    templates, dynamic = scan(package_files())
    assert len(templates) > 60  # the scan really finds the messages
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in template("ui") if m.id}
    missed = {t: where for t, where in templates.items() if t not in extracted}
    assert missed == {}, "add the error class to KEYWORDS in smartdesk/i18n/extract.py"
    missing = {t: where for t, where in templates.items() if t not in FR or t not in NL}
    assert missing == {}, "run python -m smartdesk.i18n.extract, then translate (docs/translations.md)"
    for template_text in templates:
        assert fields(FR[template_text]) == fields(template_text) == fields(NL[template_text]), template_text
    gaps: dict[str, int] = {}
    for where in dynamic:
        path = where.rsplit(":", 1)[0]
        gaps[path] = gaps.get(path, 0) + 1
    assert gaps == KNOWN_GAPS, f"build these messages with smartdesk.errors.Message: {dynamic}"


def test_status_words_inside_messages_are_translated() -> None:
    for status in Status:
        assert status_label(status) in FR and status_label(status) in NL, status


def test_the_scan_catches_an_untranslated_or_dynamic_message() -> None:
    source = (
        "from smartdesk.errors import SmartDeskError, Message\n"
        "class OddError(SmartDeskError):\n    pass\n"
        "def f(name):\n"
        "    raise OddError(f'The file {name} is odd.')\n"
        "def g(name):\n"
        "    raise OddError(Message('The file {name} is strange and new.', name=name))\n"
        "def h():\n"
        "    raise SmartDeskError.of('A fixed sentence nobody translated.')\n"
        "def i(x):\n"
        "    raise OddError('Shown ' + x)\n"
    )
    templates, dynamic = scan([("sample.py", source)])
    assert set(templates) == {"The file {name} is strange and new.", "A fixed sentence nobody translated."}
    assert all(t not in FR for t in templates)
    assert sorted(dynamic) == ["sample.py:11", "sample.py:5"]


# --- (b) the mechanism ---------------------------------------------------------------------------------
def test_a_message_is_english_text_with_its_template_and_values() -> None:
    from smartdesk.receipts.policy import err_too_large

    err = err_too_large("ticket.jpg", 30 * 1024 * 1024, 25 * 1024 * 1024)
    assert (
        str(err)
        == err.message
        == (
            "“ticket.jpg” is too large (30 MB; the limit is 25 MB). Take a new photo "
            "of the receipt, or save the PDF again at a smaller size, and add it again."
        )
    )
    assert err.reason == "too_large" and err.exit_code == 8
    assert err.template.startswith("{file} is too large ({size}")
    assert isinstance(err, AttachmentError) and isinstance(err.message, str)
    copy = pickle.loads(pickle.dumps(err.message))
    assert copy == err.message and copy.template == err.template
    plain = SmartDeskError("A fixed sentence.")
    assert plain.template == "A fixed sentence." and plain.params == {}
    made = StoreError.of(
        "{backup} is not a usable SmartDesk backup ({problem}).", backup="b.sqlite3", problem="x"
    )
    assert isinstance(made, StoreError) and made.exit_code == 6
    assert str(made) == "b.sqlite3 is not a usable SmartDesk backup (x)."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "« ticket.jpg » est trop lourd (30 Mo ; la limite est de 25 Mo)."),
        ("nl", "„ticket.jpg” is te groot (30 MB; de limiet is 25 MB)."),
        ("en", "“ticket.jpg” is too large (30 MB; the limit is 25 MB)."),
    ],
)
def test_error_text_translates_the_template_then_fills_the_values(lang: str, expected: str) -> None:
    from smartdesk.gui.errors import error_text
    from smartdesk.receipts.policy import err_too_large

    ui.set_language(lang)
    text = error_text(err_too_large("ticket.jpg", 30 * 1024 * 1024, 25 * 1024 * 1024))
    assert text.startswith(expected)


def test_error_text_of_a_sync_error_with_the_servers_words() -> None:
    from smartdesk.gui.errors import error_text

    detail = Message(" (server said: {message})", message="busy")
    err = SyncError(
        Message(
            "The cooperative's server is busy or has a problem (HTTP {status}){detail}. Your "
            "changes are kept; SmartDesk will try again shortly.",
            status=503,
            detail=detail,
        ),
        kind="server",
    )
    assert err.kind == "server" and err.retry and "HTTP 503" in str(err)
    ui.set_language("nl")
    text = error_text(err)
    assert "HTTP 503" in text and "busy" in text and "server" in text and "Your changes" not in text
    assert "wijzigingen" in text


def test_error_text_of_a_refused_input_lists_the_translated_problems() -> None:
    from smartdesk.gui.errors import error_text

    err = ValidationError([Problem("name", "required.client_name", "Give the client's name.")])
    assert str(err).startswith("1 problem to fix:")
    ui.set_language("fr")
    text = error_text(err)
    assert text.splitlines()[0] == "1 point à corriger :"
    assert "Indiquez le nom du client." in text
    two = ValidationError([Problem("name", "required.client_name", "Give the client's name.")] * 2)
    assert str(two).startswith("2 problems to fix:")
    assert error_text(two).splitlines()[0] == "2 points à corriger :"
    ui.set_language("nl")
    assert error_text(err).splitlines()[0] == "1 punt om te verbeteren:"
    assert error_text(two).splitlines()[0] == "2 punten om te verbeteren:"
    copy = pickle.loads(pickle.dumps(two.summary))
    assert copy == two.summary and copy.plural == "{count} problems to fix:" and copy.quantity == 2


def test_an_unknown_template_stays_english_rather_than_failing() -> None:
    ui.set_language("fr")
    assert ui.message_text(Message("Nobody translated {what}.", what="this")) == "Nobody translated this."
    assert ui.message_text("Plain words.") == "Plain words."


# --- (c) real errors from the real code -----------------------------------------------------------------
def test_a_corrupt_logo_through_the_real_renderer_reads_in_french() -> None:
    from smartdesk.gui.errors import error_text
    from smartdesk.pdf import render_document
    from tests.unit import pdf_fixtures as fx

    with pytest.raises(AttachmentError) as caught:
        render_document(
            fx.simple_invoice(),
            client=fx.client_be(),
            activity=fx.activity(),
            entity=fx.BE,
            profile=fx.profile(),
            logo_bytes=b"\x89PNG broken",
        )
    assert "logo" in str(caught.value)
    ui.set_language("fr")
    assert error_text(caught.value) == FR[caught.value.template]
    assert "logo" in error_text(caught.value) and "Choisissez" in error_text(caught.value)


def test_a_corrupt_receipt_through_the_real_renderer_reads_in_french_and_dutch() -> None:
    from smartdesk.gui.errors import error_text
    from smartdesk.pdf import render_document
    from tests.unit import pdf_fixtures as fx

    with pytest.raises(AttachmentError) as caught:
        render_document(
            fx.expense_note("de"),
            client=None,
            activity=fx.activity(),
            entity=fx.BE,
            profile=fx.profile(),
            receipts=[b"not an image at all"],
        )
    assert str(caught.value).startswith("Receipt 1 of 1 could not be read")
    ui.set_language("fr")
    assert error_text(caught.value).startswith("Le justificatif 1 sur 1 n'a pas pu être lu")
    ui.set_language("nl")
    assert error_text(caught.value).startswith("Bewijsstuk 1 van 1 kon niet gelezen worden")


def test_a_damaged_receipt_file_names_the_file_in_french(workspace) -> None:
    from smartdesk.domain.documents import DocumentKind
    from smartdesk.gui.errors import error_text

    note = workspace.documents.new(DocumentKind.EXPENSE_NOTE)
    with pytest.raises(AttachmentError) as caught:
        workspace.receipts.add(note.id, [(b"\xff\xd8\xff\xe0 broken jpeg" + b"\0" * 64, "ticket-gare.jpg")])
    assert "ticket-gare.jpg" in str(caught.value)
    ui.set_language("fr")
    text = error_text(caught.value)
    assert text.startswith("« ticket-gare.jpg » n'est pas une photo ni un PDF que SmartDesk sait lire")
    assert "Reprenez une photo du justificatif" in text


def test_a_damaged_data_file_is_explained_in_dutch_with_its_path(tmp_path: Path) -> None:
    from smartdesk.gui.errors import error_text
    from smartdesk.store.database import DB_NAME, open_database

    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as caught:
        open_database(tmp_path)
    assert "is damaged" in str(caught.value)
    ui.set_language("nl")
    text = error_text(caught.value)
    assert str(tmp_path / DB_NAME) in text and "beschadigd" in text and "is damaged" not in text


# --- the Sync page: changes the cooperative refused -------------------------------------------------------
def test_every_refusal_code_has_a_translated_sentence_and_keeps_the_servers_words() -> None:
    from smartdesk.gui.sync.texts import REFUSALS, refusal_texts
    from smartdesk.sync.protocol import RESULT_CODES

    assert set(RESULT_CODES) - {"ok"} <= set(REFUSALS)
    for sentence in REFUSALS.values():
        assert sentence in FR and sentence in NL, sentence
    server = (
        "This document is validated: its content can no longer change. Make a copy or a credit note instead."
    )
    ui.set_language("fr")
    shown, detail = refusal_texts("document_locked", server)
    assert shown == FR[REFUSALS["document_locked"]] and shown.startswith(
        "Le document n'est plus un brouillon"
    )
    assert detail == server  # kept for the tooltip
    assert refusal_texts("something_new", "The server's own words.") == ("The server's own words.", "")
    ui.set_language("nl")
    assert refusal_texts("not_deletable", "Only drafts can be deleted")[0].startswith("Alleen concepten")


def test_sizes_use_the_decimal_comma_in_french_and_dutch() -> None:
    from smartdesk.gui.errors import error_text
    from smartdesk.receipts.policy import err_receipt_size

    err = err_receipt_size(3 * 1024 * 1024 + 500_000, 20 * 1024 * 1024)
    assert "(3.5 MB; the limit is 20 MB)" in str(err)
    ui.set_language("fr")
    assert "(3,5 Mo ; la limite est de 20 Mo)" in error_text(err)
    ui.set_language("nl")
    assert "(3,5 MB; de limiet is 20 MB)" in error_text(err)
