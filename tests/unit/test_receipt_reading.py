"""Reading whole receipt files: PDFs with text, EPC QR codes, e-invoice seam, OCR on generated photos, CLI.

The OCR part is kept short (two generated images); the bench reads hundreds.
"""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
from decimal import Decimal

import pytest
from PIL import Image

from smartdesk.cli import main
from smartdesk.receipts import ReceiptError
from smartdesk.receipts.reading import (
    Field,
    ReceiptReading,
    get_engine,
    read,
    register_structured_reader,
    unregister_structured_reader,
)
from smartdesk.receipts.reading.reader import NO_EINVOICE, NOT_INSTALLED, NOTHING_READ
from tests.support.receipt_samples import receipt_image, receipt_pdf


def _vat(reading: ReceiptReading) -> set[tuple[Decimal, Decimal]]:
    return {(v.rate, v.vat) for v in reading.vat_lines}


@pytest.mark.parametrize("seed", [10_001, 10_003, 10_005, 10_007, 10_009, 10_011])
def test_pdf_text_layer_gives_every_field(seed):
    data, truth = receipt_pdf(seed)
    r = read(data, "invoice.pdf", engine=None)
    assert r.source == "pdf_text"
    assert r.date.value == truth.date
    assert r.total.value == truth.total
    assert _vat(r) == {(Decimal(k), v[1]) for k, v in truth.vat.items()}
    assert (r.supplier_vat.value if r.supplier_vat else None) == truth.supplier_vat
    assert r.supplier.value == truth.supplier
    assert r.number.value == truth.number
    assert r.payment_method.value == truth.payment_method
    assert r.currency.value == "EUR"
    assert r.reason is None


def test_epc_qr_code_on_a_pdf_wins_for_name_and_amount():
    data, truth = receipt_pdf(10_002, with_qr=True, iban="BE71096123456769")
    r = read(data, "invoice.pdf", engine=None)
    assert r.extra["epc_iban"] == "BE71096123456769"
    assert r.extra["epc_reference"] == truth.number
    assert r.total == Field(truth.total, 1.0)
    assert r.supplier == Field(truth.supplier, 1.0)


def test_epc_qr_code_alone_on_a_photo_without_engine():
    import segno

    from smartdesk.domain.payments import epc_qr_payload

    payload = epc_qr_payload(name="Studio Lumen", iban="BE71096123456769", amount=Decimal("123.45"))
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=8, border=4)
    r = read(buffer.getvalue(), "qr.png", engine=None)
    assert r.source == "epc_qr"
    assert r.total.value == Decimal("123.45") and r.supplier.value == "Studio Lumen"
    assert r.reason is None


def test_without_engine_a_photo_says_so_in_plain_words():
    data, _truth = receipt_image(1, plain=True)
    r = read(data, "photo.jpg", engine=None)
    assert r.found_anything is False
    assert r.reason == NOT_INSTALLED


def test_structured_readers_are_tried_first_and_xml_without_reader_says_so():
    xml = b"<?xml version='1.0'?><Invoice><Total>42.00</Total></Invoice>"
    assert read(xml, "invoice.xml", engine=None).reason == NO_EINVOICE

    def tiny_reader(data: bytes, filename: str) -> ReceiptReading | None:
        if b"<Invoice>" not in data:
            return None
        return ReceiptReading(source="einvoice", total=Field(Decimal("42.00"), 1.0))

    register_structured_reader(tiny_reader)
    try:
        r = read(xml, "invoice.xml", engine=None)
        assert (r.source, r.total.value) == ("einvoice", Decimal("42.00"))
        pdf, truth = receipt_pdf(10_001)
        assert read(pdf, "x.pdf", engine=None).source == "pdf_text"  # not its kind: next source
    finally:
        unregister_structured_reader(tiny_reader)


def test_files_that_are_not_receipts_are_refused_with_the_receipt_messages(tmp_path):
    with pytest.raises(ReceiptError) as err:
        read(b"hello, this is text", "receipt.jpg", engine=None)
    assert err.value.reason == "unsupported"
    with pytest.raises(ReceiptError):
        read(b"", "empty.jpg", engine=None)


def _engines() -> list:
    """Tesseract (the default, installed by scripts/_setup.sh) and RapidOCR when its extra is installed."""
    out = [
        pytest.param(
            "tesseract",
            marks=pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr not installed"),
        )
    ]
    out.append(
        pytest.param(
            "rapidocr",
            marks=pytest.mark.skipif(
                importlib.util.find_spec("rapidocr_onnxruntime") is None,
                reason="smartdesk[ocr] not installed",
            ),
        )
    )
    return out


@pytest.mark.parametrize("engine_name", _engines())
@pytest.mark.parametrize(("seed", "plain"), [(4, False), (2, False)])
def test_ocr_of_generated_receipts(engine_name, seed, plain):
    data, truth = receipt_image(seed, plain=plain)
    r = read(data, "photo.jpg", engine=get_engine(engine_name))
    assert r.source == "ocr"
    assert r.date.value == truth.date
    assert r.total.value == truth.total
    assert _vat(r) == {(Decimal(k), v[1]) for k, v in truth.vat.items()}
    assert r.supplier_vat is not None and r.supplier_vat.value == truth.supplier_vat
    assert 0 < r.total.confidence <= 1


@pytest.mark.parametrize("engine_name", _engines())
def test_ocr_of_a_blank_picture_says_nothing_could_be_read(engine_name):
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), (250, 250, 250)).save(buffer, format="PNG")
    r = read(buffer.getvalue(), "blank.png", engine=get_engine(engine_name))
    assert r.reason == NOTHING_READ
    assert r.total is None


def test_cli_reads_several_files_in_order_with_errors_in_place(tmp_path, capsys):
    first, t1 = receipt_pdf(10_001)
    second, t2 = receipt_pdf(10_003)
    (tmp_path / "a.pdf").write_bytes(first)
    (tmp_path / "b.pdf").write_bytes(second)
    (tmp_path / "bad.jpg").write_text("not a photo")
    names = [
        str(tmp_path / "a.pdf"),
        str(tmp_path / "missing.jpg"),
        str(tmp_path / "bad.jpg"),
        str(tmp_path / "b.pdf"),
    ]
    code = main(["receipt", "read", *names, "--json", "--no-ocr"])
    out = json.loads(capsys.readouterr().out)
    assert code == 5  # the first failing file's code: not found
    assert [item["file"] for item in out] == names
    assert out[0]["total"]["value"] == str(t1.total) and out[3]["total"]["value"] == str(t2.total)
    assert out[1]["error"]["exit_code"] == 5
    assert out[2]["error"]["reason"] == "unsupported" and out[2]["error"]["exit_code"] == 8
    assert out[0]["date"]["value"] == t1.date.isoformat()


def test_cli_plain_text_output(tmp_path, capsys):
    data, truth = receipt_pdf(10_005)
    (tmp_path / "a.pdf").write_bytes(data)
    assert main(["receipt", "read", str(tmp_path / "a.pdf"), "--no-ocr"]) == 0
    text = capsys.readouterr().out
    assert f"total incl. VAT: {truth.total}" in text
    assert "read from: pdf_text" in text
