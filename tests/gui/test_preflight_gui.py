"""The editor's pre-flight e-invoice check, through the real widgets (offscreen) and the real rule sets.

A Belgian invoice to a business is turned into its Peppol UBL and checked with EN 16931, Peppol BIS 3.0
and UBL.BE by Saxon on the task pool; the tests wait for what is shown (qtbot.waitUntil), never for a
fixed time. Screenshots go to $SMARTDESK_SCREENSHOT_DIR/preflight/ when it is set.
"""

from __future__ import annotations

import sys
import threading
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, Line
from smartdesk.domain.lifecycle import Status
from smartdesk.einvoice import rules
from smartdesk.gui.documents.checks import PreflightResult
from smartdesk.gui.documents.editor import DocumentEditor
from smartdesk.i18n import ui
from smartdesk.services import Workspace
from tests.support.screens import save_shot, screenshot_folder, wait_for_preview
from tests.support.waits import WAIT_MS

pytest.importorskip("saxonche")

CTRL = Qt.KeyboardModifier.ControlModifier


def make_invoice(
    ws: Workspace, *, business: bool = True, kind: DocumentKind = DocumentKind.INVOICE, reference: str = ""
) -> Document:
    activity = ws.activities.save(Activity(name="Studio Lumière", code="A-1"))
    client = ws.clients.save(
        Client(
            name="Théâtre de la Balsamine ASBL" if business else "Marie Dupont",
            address=Address(
                street="Avenue Félix Marchal 1", postcode="1030", city="Schaerbeek", country="BE"
            ),
            vat_number="BE0417497106" if business else "",
            is_business=business,
            language="fr",
        )
    )
    doc = ws.documents.new(kind, client.id, activity.id)
    doc.title = "Spring workshops"
    doc.reference = reference
    doc.lines = [
        Line(description="Design workshop", quantity=Decimal(3), unit_price=Decimal(100)),
        Line(description="Photo shoot", quantity=Decimal(2), unit_price=Decimal(250)),
    ]
    return ws.documents.save(doc)


def open_editor(
    qtbot, make_window, ws: Workspace, doc: Document, delay_ms: int = 50, checker=None
) -> DocumentEditor:
    """Open ``doc`` in a new window's editor; ``checker`` replaces the real e-invoice check."""
    window = make_window(ws)
    if checker is not None:
        window.editor.preflight._checker = checker
    window.editor.preflight.delay_ms = delay_ms  # the debounce, shortened: the tests wait for results
    window.open_document(doc.id)
    return window.editor


def rule_shown(editor: DocumentEditor, row: str, rule_id: str) -> bool:
    label = editor.preflight.labels[row]
    return editor.preflight.current and label.isVisible() and rule_id in label.text()


def below(widget, above, editor: DocumentEditor) -> int:
    """Vertical distance from the bottom of ``above`` to the top of ``widget``, in editor pixels."""
    top = widget.mapTo(editor, QPoint(0, 0)).y()
    bottom = above.mapTo(editor, QPoint(0, above.height())).y()
    return top - bottom


def test_missing_buyer_reference_is_shown_under_the_field_and_filling_it_clears_it(
    qtbot, open_ws, make_window
):
    ws = open_ws()
    doc = make_invoice(ws)
    editor = open_editor(qtbot, make_window, ws, doc)

    qtbot.waitUntil(lambda: rule_shown(editor, "reference", "PEPPOL-EN16931-R003"), timeout=WAIT_MS)
    label = editor.preflight.labels["reference"]
    assert "Give the client's reference" in label.text()
    assert "PEPPOL-EN16931-R003" in label.toolTip()  # the rule set's own sentence, for the advisor
    assert "buyer reference or purchase order reference" in label.toolTip()
    # next to the field: right under the reference row, above the date row
    assert 0 <= below(label, editor.reference_edit, editor) < 40
    assert label.mapTo(editor, QPoint(0, 0)).y() < editor.issue_edit.mapTo(editor, QPoint(0, 0)).y()
    assert editor.preflight.summary.isVisible() and "1 official rule" in editor.preflight.summary.text()
    for row, other in editor.preflight.labels.items():
        assert row == "reference" or not other.isVisible(), row

    editor.reference_edit.setFocus()
    qtbot.keyClicks(editor.reference_edit, "PO-2026-118")
    qtbot.waitUntil(
        lambda: editor.preflight.current and not editor.preflight.labels["reference"].isVisible(),
        timeout=WAIT_MS,
    )
    assert "E-invoice checked" in editor.preflight.summary.text()
    assert "UBL.BE 1.31" in editor.preflight.summary.text()
    editor.tasks.flush()
    assert ws.documents.get(doc.id).reference == "PO-2026-118"

    # the order number alone also satisfies the rule (BT-13), and it is stored in the document
    editor.reference_edit.selectAll()
    qtbot.keyClick(editor.reference_edit, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: rule_shown(editor, "reference", "PEPPOL-EN16931-R003"), timeout=WAIT_MS)
    editor.order_edit.setFocus()
    qtbot.keyClicks(editor.order_edit, "BC 4471")
    qtbot.waitUntil(
        lambda: editor.preflight.current and not editor.preflight.labels["reference"].isVisible(),
        timeout=WAIT_MS,
    )
    editor.tasks.flush()
    stored = ws.documents.get(doc.id)
    assert (stored.reference, stored.order_reference) == ("", "BC 4471")


def test_b2b_invoice_with_a_fatal_rule_cannot_be_sent_and_the_reason_names_the_field(
    qtbot, open_ws, make_window
):
    ws = open_ws()
    doc = make_invoice(ws)
    editor = open_editor(qtbot, make_window, ws, doc, delay_ms=60_000)  # no pause long enough: submit checks

    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Your reference" in editor.banner.text(), timeout=WAIT_MS)
    assert editor.banner.isVisible()
    assert "Give the client's reference" in editor.banner.text()
    assert rule_shown(editor, "reference", "PEPPOL-EN16931-R003")
    editor.tasks.flush()
    assert ws.documents.get(doc.id).status == Status.DRAFT.value

    editor.reference_edit.setFocus()
    qtbot.keyClicks(editor.reference_edit, "PO-2026-118")
    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.documents.get(doc.id).status == Status.SUBMITTED.value, timeout=WAIT_MS)
    editor.tasks.flush()


@pytest.mark.parametrize(
    ("business", "kind"), [(False, DocumentKind.INVOICE), (True, DocumentKind.QUOTE)], ids=["b2c", "quote"]
)
def test_b2c_invoices_and_quotes_are_neither_checked_nor_blocked(qtbot, open_ws, make_window, business, kind):
    ws = open_ws()
    doc = make_invoice(ws, business=business, kind=kind)
    editor = open_editor(qtbot, make_window, ws, doc)
    qtbot.waitUntil(lambda: editor.preflight.current, timeout=WAIT_MS)
    assert editor.preflight.result is not None and not editor.preflight.result.findings
    assert not editor.preflight.summary.isVisible()
    assert not any(label.isVisible() for label in editor.preflight.widgets())

    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.documents.get(doc.id).status == Status.SUBMITTED.value, timeout=WAIT_MS)
    editor.tasks.flush()


def test_a_newer_check_supersedes_an_older_one(qtbot, open_ws, make_window):
    """The first check is held on its pool thread while the member fills in the reference: its result
    (the reference is missing) is for a state no longer on screen and is never shown."""
    from smartdesk import einvoice

    release = threading.Event()
    started = threading.Event()
    calls: list[str] = []

    def held_check(doc, **kw):
        calls.append(doc.reference)
        if len(calls) == 1:
            started.set()
            release.wait(WAIT_MS / 1000)
        return einvoice.check(doc, **kw)

    ws = open_ws()
    doc = make_invoice(ws)
    editor = open_editor(qtbot, make_window, ws, doc, checker=held_check)
    shown: list[PreflightResult] = []
    editor.preflight.shown.connect(lambda: shown.append(editor.preflight.result))
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)

    editor.reference_edit.setFocus()
    qtbot.keyClicks(editor.reference_edit, "PO-7")
    release.set()
    qtbot.waitUntil(lambda: editor.preflight.current and len(calls) >= 2, timeout=WAIT_MS)
    assert calls[0] == "" and calls[-1] == "PO-7"
    assert shown and all(not r.fatal for r in shown), [f.rule_id for r in shown for f in r.fatal]
    assert not editor.preflight.labels["reference"].isVisible()


def test_without_saxon_nothing_is_checked_or_blocked_and_the_editor_says_so(
    qtbot, open_ws, make_window, monkeypatch
):
    monkeypatch.setitem(sys.modules, "saxonche", None)  # "import saxonche" now fails, as where it is absent
    monkeypatch.setattr(rules, "_processor", None)
    monkeypatch.setattr(rules, "_compiled", {})
    ws = open_ws()
    doc = make_invoice(ws)
    editor = open_editor(qtbot, make_window, ws, doc)
    qtbot.waitUntil(
        lambda: editor.preflight.current and editor.preflight.summary.isVisible(), timeout=WAIT_MS
    )
    assert "not checked on this computer" in editor.preflight.summary.text()
    assert "Saxon" in editor.preflight.summary.text()
    assert not editor.preflight.labels["reference"].isVisible()

    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.documents.get(doc.id).status == Status.SUBMITTED.value, timeout=WAIT_MS)
    editor.tasks.flush()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_rules_in_the_interface_language_and_screenshot(qtbot, open_ws, make_window, tmp_path, lang):
    ui.set_language(lang)
    ws = open_ws()
    doc = make_invoice(ws)
    # a client without VAT or enterprise number: no Peppol address either (PEPPOL-EN16931-R010)
    client = ws.clients.get(doc.client_id)
    client.vat_number = ""
    ws.clients.save(client)
    editor = open_editor(qtbot, make_window, ws, doc)
    qtbot.waitUntil(lambda: rule_shown(editor, "client_id", "PEPPOL-EN16931-R010"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: rule_shown(editor, "reference", "PEPPOL-EN16931-R003"), timeout=WAIT_MS)
    expected = {
        "fr": ("Indiquez la référence du client", "Le client n'a pas d'adresse électronique"),
        "nl": ("Vul de referentie van de klant in", "De klant heeft geen elektronisch adres"),
        "en": ("Give the client's reference", "The client has no electronic address"),
    }[lang]
    assert expected[0] in editor.preflight.labels["reference"].text()
    assert expected[1] in editor.preflight.labels["client_id"].text()
    wait_for_preview(qtbot, editor.preview)
    window = editor.window()
    assert (window.width(), window.height()) == (1280, 800)
    save_shot(window, screenshot_folder(tmp_path, "preflight") / f"editor-rules-{lang}.png", 20_000)


def test_the_rules_are_compiled_when_a_document_first_needs_them_not_at_start(
    qtbot, open_ws, make_window, monkeypatch
):
    from smartdesk.gui.documents.checks import warm_up_order

    compiled: dict[str, object] = {}
    monkeypatch.setattr(rules, "_compiled", compiled)  # as in a new process: nothing compiled yet
    ws = open_ws()
    activity = ws.activities.save(Activity(name="Atelier Lyon", code="F-1", entity="FR"))
    window = make_window(ws)
    qtbot.waitUntil(lambda: window._start_finished, timeout=WAIT_MS)
    window.tasks.flush()
    assert compiled == {}  # the compiled rules weigh about 270 MB: not for a member who only browses
    lyon = Address(street="3 rue de la République", postcode="69001", city="Lyon", country="FR")
    client = ws.clients.save(Client(name="Compagnie Ça Ira SARL", address=lyon, language="fr"))
    doc = ws.documents.new(DocumentKind.INVOICE, client.id, activity.id)
    doc.entity = "FR"
    doc.lines = [
        Line(description="Atelier", quantity=Decimal(2), unit_price=Decimal(300), vat_rate=Decimal(20))
    ]
    doc = ws.documents.save(doc)
    window.open_document(doc.id)
    expected = [s.relative for s in warm_up_order(["FR"])]
    assert expected[0].startswith("en16931") and "CII" in expected[0]  # the document's own entity first
    assert {s.relative for s in warm_up_order(["FR"])} >= {
        s.relative for s in rules.sets_for(rules.Syntax.UBL, "BE")
    }
    qtbot.waitUntil(lambda: set(expected) <= set(compiled), timeout=WAIT_MS)


def test_a_french_issuer_is_checked_in_cii_with_the_french_rules(qtbot, open_ws, make_window):
    ws = open_ws()
    activity = ws.activities.save(Activity(name="Atelier Lyon", code="F-1", entity="FR"))
    lyon = Address(street="3 rue de la République", postcode="69001", city="Lyon", country="FR")
    # a French business without SIREN, SIRET or VAT number: no electronic address (BR-FR-12)
    client = ws.clients.save(Client(name="Compagnie Ça Ira SARL", address=lyon, language="fr"))
    doc = ws.documents.new(DocumentKind.INVOICE, client.id, activity.id)
    doc.reference = "BC-12"
    doc.entity = "FR"  # issued by the French cooperative
    doc.lines = [
        Line(description="Atelier", quantity=Decimal(2), unit_price=Decimal(300), vat_rate=Decimal(20))
    ]
    doc = ws.documents.save(doc)
    assert doc.entity == "FR"
    editor = open_editor(qtbot, make_window, ws, doc)
    qtbot.waitUntil(lambda: rule_shown(editor, "client_id", "BR-FR-12_BT-49"), timeout=WAIT_MS)
    assert editor.preflight.result is not None
    assert "France CTC 1.4 (CII)" in editor.preflight.result.rule_sets
    assert "SIREN" in editor.preflight.labels["client_id"].text()
    assert not editor.preflight.labels["reference"].isVisible()


def test_a_check_that_crashes_is_said_in_plain_words_and_blocks_nothing(qtbot, open_ws, make_window):
    def broken_check(doc, **kw):
        raise RuntimeError("Saxon stopped")  # a fault where the real check cannot be made to fail

    ws = open_ws()
    doc = make_invoice(ws)
    editor = open_editor(qtbot, make_window, ws, doc, checker=broken_check)
    qtbot.waitUntil(
        lambda: editor.preflight.current and editor.preflight.summary.isVisible(), timeout=WAIT_MS
    )
    assert "The e-invoice check failed" in editor.preflight.summary.text()
    assert "Traceback" not in editor.preflight.summary.text()
    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.documents.get(doc.id).status == Status.SUBMITTED.value, timeout=WAIT_MS)
    editor.tasks.flush()


def test_a_rule_about_a_line_is_shown_under_the_lines_with_its_number(qtbot, open_ws, make_window):
    ws = open_ws()
    doc = make_invoice(ws, reference="PO-1")
    doc.lines[1].unit_price = Decimal(-10)  # EN 16931 BR-27: an item's net price is never negative
    doc = ws.documents.save(doc)
    editor = open_editor(qtbot, make_window, ws, doc)
    qtbot.waitUntil(
        lambda: editor.preflight.current and "BR-27" in editor.preflight.lines_label.text(), timeout=WAIT_MS
    )
    text = editor.preflight.lines_label.text()
    assert text.startswith("Line 2: ") and "cannot be negative" in text
    assert editor.preflight.lines_label.isVisible()
    assert not editor.preflight.labels["reference"].isVisible()
    # laid out under the lines once the layout has placed the newly shown label
    qtbot.waitUntil(
        lambda: below(editor.preflight.lines_label, editor.lines_view, editor) >= 0, timeout=WAIT_MS
    )
