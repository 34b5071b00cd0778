"""The PDF package after its split by layout passes (issue 15): the names other code imports from
``smartdesk.pdf.renderer`` still come from there, and every module says what it draws and stays
under the house's ~600 lines."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PDF = Path(__file__).resolve().parents[2] / "smartdesk" / "pdf"

# written by hand: the public names of renderer.py before the split (bench/pdf.py and the tests import some)
RENDERER_NAMES = (
    "render RenderContext qr_path draw_texts wrap fit_size parse_colour luminance mix Page TextRun Column Row"
    " Op RGB PAGE_W PAGE_H INK MUTED RULE WHITE DEFAULT_ACCENT"
).split()


@pytest.mark.parametrize("name", RENDERER_NAMES)
def test_the_renderer_still_exports(name: str) -> None:
    renderer = importlib.import_module("smartdesk.pdf.renderer")
    assert hasattr(renderer, name)
    assert name in renderer.__all__


def test_the_qr_cache_the_benchmark_clears_is_the_one_the_payment_block_uses() -> None:
    from smartdesk.pdf import payment, renderer

    assert renderer.qr_path is payment.qr_path
    renderer.qr_path.cache_clear()
    payment.qr_path("BCD\n002\n1\nSCT\n\nSMart\nBE71096123456769\nEUR1.00")
    assert renderer.qr_path.cache_info().currsize == 1


@pytest.mark.parametrize("path", sorted(PDF.glob("*.py")), ids=lambda p: p.name)
def test_every_pdf_module_has_a_docstring_and_stays_small(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(source)), f"{path.name} says nothing of what it holds"
    assert len(source.splitlines()) < 600, f"{path.name} is over the house's ~600 lines (issue 15)"
