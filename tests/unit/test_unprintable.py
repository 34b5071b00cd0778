"""Characters the embedded fonts cannot draw never print as empty boxes: validation names them and the
field (decision 0020); a draft's preview shows "�" for them; the table matches the font files."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from importlib import resources

from smartdesk.domain.printable import is_printable, unprintable
from smartdesk.domain.validation import validate_document
from smartdesk.resources import resource_path
from tests.unit import pdf_fixtures as fx
from tests.unit.test_pdf_render import all_text, render


def test_the_table_is_the_fonts_own_coverage() -> None:
    spec = importlib.util.spec_from_file_location(
        "printable_ranges", resource_path("..", "scripts", "printable_ranges.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stored = json.loads(
        resources.files("smartdesk.domain").joinpath("data/printable_ranges.json").read_text("utf-8")
    )
    assert stored["ranges"] == module.covered(), "fonts changed: run scripts/printable_ranges.py"


def test_latin_greek_cyrillic_print_cjk_does_not() -> None:
    assert unprintable("Łódź Ștefan Ça € – “ Ωμέγα Жук שלום") == ""
    assert unprintable("株式会社 日本語 Tokyo 日本") == "株式会社日本語"
    assert not is_printable("日") and is_printable("é")


def test_validation_names_the_characters_and_the_field() -> None:
    client = replace(fx.client_ch(), name="株式会社 ABC")
    doc = fx.invoice(1, language="en")
    doc.lines[0].description = "Lighting design 日本"
    problems = [
        p for p in validate_document(doc, client=client, entity=fx.BE) if p.code == "text.unprintable"
    ]
    assert [(p.field, p.message) for p in problems] == [
        (
            "lines[0].description",
            "Line 1: the characters 日 本 cannot be printed with the document font. "
            "Write them in Latin, Greek or Cyrillic letters.",
        ),
        (
            "client.name",
            "Client name: the characters 株 式 会 社 cannot be printed with the document font. "
            "Write them in Latin, Greek or Cyrillic letters.",
        ),
    ]


def test_a_draft_preview_marks_them_instead_of_printing_boxes() -> None:
    client = replace(fx.client_ch(), name="株式会社 ABC Ωμέγα")
    text = all_text(render(fx.invoice(1, language="en"), client))
    assert "\ufffd\ufffd\ufffd\ufffd ABC Ωμέγα" in text
    assert "株" not in text
