"""``smartdesk --self-test``: run for real in a subprocess, on the source tree and on broken copies of it."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from smartdesk.selftest import DOCUMENT_LANGUAGES, CheckFailed, _fonts_embedded
from tests.support.processes import run_captured, run_python

ROOT = Path(__file__).resolve().parents[2]
CORE_CHECKS = [
    "resources",
    "fonts",
    "icons",
    "document translations",
    "receipt photos",
    "receipt reading",
    "store",
    "list export",
    *[f"PDF {lang}" for lang in DOCUMENT_LANGUAGES],
]
ALL_CHECKS = [
    *CORE_CHECKS,
    "interface translations",
    "Qt translations",
    "Qt platform plugins",
    "desktop interface",
    "camera support",
    "network status",
]


def _self_test(cwd: Path, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SMARTDESK_DATA_DIR", None)
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return run_captured([sys.executable, "-m", "smartdesk.cli", "--self-test"], cwd=cwd, env=env, timeout=120)


def _results(stdout: str) -> dict[str, tuple[bool, str]]:
    results: dict[str, tuple[bool, str]] = {}
    for line in stdout.splitlines():
        status = line.split(" ", 1)[0]
        if status not in ("OK", "FAILED"):
            continue
        rest = line[len(status) :].strip()
        name = next((c for c in sorted(ALL_CHECKS, key=len, reverse=True) if rest.startswith(c)), None)
        assert name is not None, f"unknown check line: {line!r}"
        assert name not in results, f"check printed twice: {name}"
        results[name] = (status == "OK", rest[len(name) :].strip())
    return results


def _broken_copy(tmp_path: Path, resources: str) -> Path:
    """A copy of the smartdesk package whose resources folder is empty or missing."""
    shutil.copytree(
        ROOT / "smartdesk", tmp_path / "smartdesk", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    if resources == "empty":
        (tmp_path / "resources").mkdir()
    return tmp_path


def test_self_test_from_source_reports_every_check() -> None:
    run = _self_test(ROOT)
    results = _results(run.stdout)
    assert sorted(results) == sorted(ALL_CHECKS), run.stdout + run.stderr
    for name in CORE_CHECKS:
        ok, detail = results[name]
        assert ok, f"{name} FAILED: {detail}\n{run.stdout}{run.stderr}"
    for lang in DOCUMENT_LANGUAGES:
        assert "fonts embedded" in results[f"PDF {lang}"][1]
    failed = [name for name, (ok, _) in results.items() if not ok]
    assert run.returncode == (1 if failed else 0), run.stdout
    summary = run.stdout.strip().splitlines()[-1]
    assert (
        (f"{len(failed)} of {len(ALL_CHECKS)} checks FAILED" in summary)
        if failed
        else (summary.startswith(f"All {len(ALL_CHECKS)} checks passed"))
    ), summary
    assert run.stdout.startswith("SmartDesk ")


def test_self_test_passes_on_a_complete_installation() -> None:
    run = _self_test(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "FAILED" not in run.stdout


def test_empty_resources_folder_is_reported(tmp_path: Path) -> None:
    copy = _broken_copy(tmp_path, "empty")
    run = _self_test(copy, extra_path=copy)
    results = _results(run.stdout)
    assert run.returncode == 1, run.stdout
    assert results["resources"] == (True, str(copy / "resources"))  # the copy's folder was the one used
    ok, detail = results["fonts"]
    assert not ok and "missing from" in detail and "DejaVuSans.ttf" in detail and "reinstall" in detail
    assert not results["icons"][0]
    assert results["store"][0], "the store does not need resources"
    for lang in DOCUMENT_LANGUAGES:  # the renderer's own plain message comes through
        ok, detail = results[f"PDF {lang}"]
        assert not ok and "font" in detail.lower()
    assert "Traceback" not in run.stdout + run.stderr
    assert "FAILED" in run.stdout.strip().splitlines()[-1]


def test_missing_resources_folder_is_reported(tmp_path: Path) -> None:
    copy = _broken_copy(tmp_path, "missing")
    run = _self_test(copy, extra_path=copy)
    results = _results(run.stdout)
    assert run.returncode == 1
    ok, detail = results["resources"]
    assert not ok and "reinstall SmartDesk" in detail
    assert not results["fonts"][0] and not results["PDF fr"][0]
    assert "Traceback" not in run.stdout + run.stderr


def test_in_process_report_goes_to_the_given_stream() -> None:
    # in a child interpreter all the same: the self-test makes a QCoreApplication, and a later test of
    # this worker could then not make the QApplication its windows need (Qt aborts)
    child = (
        "import io, json, sys; from smartdesk.selftest import run_self_test; out = io.StringIO(); "
        "code = run_self_test(out); sys.stdout.write(json.dumps([code, out.getvalue()]))"
    )
    run = run_python(child, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=300)
    code, text = json.loads(run.stdout)
    assert code in (0, 1)
    assert ("FAILED" in text) == (code == 1)
    assert len([line for line in text.splitlines() if line.startswith(("OK", "FAILED"))]) == len(ALL_CHECKS)


def _helvetica_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 720, "not embedded")
    pdf.save()
    return buffer.getvalue()


def test_font_check_rejects_a_standard_font() -> None:
    with pytest.raises(CheckFailed, match="Helvetica is not embedded"):
        _fonts_embedded(_helvetica_pdf())


def test_font_check_byte_scan_without_pypdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)  # as in the bundle, where pypdf is left out
    with pytest.raises(CheckFailed, match="standard PDF font"):
        _fonts_embedded(_helvetica_pdf())
    from smartdesk.pdf.fonts import REGULAR, register_fonts

    register_fonts()
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, initialFontName=REGULAR, initialFontSize=12)
    pdf.drawString(72, 720, "embedded ł ő €")
    pdf.save()
    assert _fonts_embedded(buffer.getvalue()) == "fonts embedded (byte scan)"


# --- the desktop integration files the self-test's "icons" check and the bundle rely on ------------------
def test_icons_exist_in_every_size_and_match_the_svg() -> None:
    from PIL import Image

    icons = ROOT / "resources" / "icons"
    assert (icons / "smartdesk.svg").read_bytes() == (ROOT / "packaging" / "smartdesk.svg").read_bytes()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(icons / f"smartdesk-{size}.png") as image:
            assert image.size == (size, size) and image.mode == "RGBA"
            assert image.getpixel((0, 0))[3] == 0  # transparent corner (rounded tile)
            red, green, blue, alpha = image.getpixel((size // 8, size // 2))  # the blue tile's left edge
            assert alpha == 255 and (red, green, blue) == (0x1F, 0x6F, 0xEB)
    with Image.open(ROOT / "packaging" / "smartdesk.ico") as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]
    with Image.open(ROOT / "packaging" / "smartdesk.icns") as icns:
        assert icns.size == (1024, 1024)  # 512@2x, rendered from the SVG (not upscaled)
        red, green, blue, alpha = icns.convert("RGBA").getpixel((128, 512))
        assert alpha == 255 and (red, green, blue) == (0x1F, 0x6F, 0xEB)


def test_desktop_entry_and_metadata_agree() -> None:
    import configparser
    import plistlib
    import xml.etree.ElementTree as ET

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(ROOT / "packaging" / "coop.smart.SmartDesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"].split()[0] == "SmartDesk"
    assert desktop["Icon"] == "coop.smart.SmartDesk" and desktop["Categories"].endswith(";")
    meta = ET.parse(ROOT / "packaging" / "coop.smart.SmartDesk.metainfo.xml").getroot()
    assert meta.findtext("id") == "coop.smart.SmartDesk"
    assert meta.findtext("launchable") == "coop.smart.SmartDesk.desktop"
    plist = plistlib.loads((ROOT / "packaging" / "Info.plist").read_bytes())
    assert (
        plist["CFBundleIdentifier"] == "coop.smart.SmartDesk" and plist["CFBundleExecutable"] == "SmartDesk"
    )
    version_info = (ROOT / "packaging" / "version_info.txt").read_text(encoding="utf-8")
    assert "{filevers}" in version_info and "{version}" in version_info


def test_qt_trim_rules() -> None:
    sys.path.insert(0, str(ROOT / "packaging" / "hooks"))
    try:
        import qt_trim
    finally:
        sys.path.remove(str(ROOT / "packaging" / "hooks"))
    keep = qt_trim.keep
    assert keep("PySide6/Qt/translations/qtbase_fr.qm") and keep("PySide6/Qt/translations/qt_nl.qm")
    assert not keep("PySide6/Qt/translations/qtbase_ja.qm")
    assert keep("PySide6/Qt/translations/qtmultimedia_fr.qm") and not keep(
        "PySide6/Qt/translations/qtmultimedia_ja.qm"
    )
    assert keep("PySide6/Qt/plugins/platforms/libqxcb.so") and keep(
        "PySide6/Qt/plugins/platforms/qwindows.dll"
    )
    assert keep("PySide6/Qt/plugins/platforms/libqoffscreen.so") and keep(
        "PySide6/Qt/plugins/platforms/libqwayland.so"
    )
    assert not keep("PySide6/Qt/plugins/platforms/libqvnc.so")
    assert not keep("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert keep("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so")
    assert keep("PySide6/Qt/plugins/imageformats/libqjpeg.so")
    assert not keep("PySide6/Qt/lib/libQt6WebEngineCore.so.6")
    assert keep("PySide6/Qt/lib/libQt6Widgets.so.6") and keep("PySide6/Qt/lib/libQt6Svg.so.6")
    # the receipt camera: QtMultimedia + its FFmpeg plugin, which links QtQuick/QtQml (those exact libraries)
    assert keep("PySide6/Qt/lib/libQt6Multimedia.so.6") and keep(
        "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so"
    )
    assert keep("PySide6/Qt/lib/libQt6Quick.so.6") and keep("PySide6/Qt/lib/libQt6QmlModels.so.6")
    assert not keep("PySide6/Qt/lib/libQt6QuickControls2.so.6") and not keep(
        "PySide6/Qt/lib/libQt6QuickShapes.so.6"
    )
    assert not keep("PySide6/Qt/lib/libQt6MultimediaWidgets.so.6") and not keep(
        "PySide6/Qt/lib/libQt6MultimediaQuick.so.6"
    )
    # the sync's network-return trigger: QtNetwork + the networkinformation plugins; no Qt TLS, no QtPdf
    assert keep("PySide6/Qt/lib/libQt6Network.so.6") and keep(
        "PySide6/Qt/plugins/networkinformation/libqglib.so"
    )
    assert not keep("PySide6/Qt/plugins/tls/libqopensslbackend.so")
    assert not keep("PySide6/Qt/lib/libQt6Pdf.so.6") and not keep(
        "PySide6/Qt/plugins/imageformats/libqpdf.so"
    )


def _qt_icu_data() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(
        (Path(next(iter(spec.submodule_search_locations))) / "Qt" / "lib").glob("libicudata.so.*"), None
    )


@pytest.mark.skipif(_qt_icu_data() is None, reason="PySide6 here ships no ICU data library (Linux wheels do)")
def test_icu_trim_rewrites_the_package_exactly_and_keeps_the_document_languages() -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import icu_trim
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    lib = _qt_icu_data()
    assert lib is not None
    header, items = icu_trim.read_package(lib)
    assert icu_trim.write_package(header, items) == icu_trim._rodata(lib.read_bytes())  # byte for byte
    package, symbol = icu_trim.trim(lib, ("fr", "nl", "en", "de", "es", "it"))
    assert symbol.startswith("icudt") and symbol.endswith("_dat")
    kept = {name.split("/", 1)[1] for name, _ in icu_trim.read_package_bytes(package)[1]}
    for name in (
        "nfkc.nrm",
        "uts46.nrm",
        "cnvalias.icu",
        "unames.icu",
        "root.res",
        "fr_BE.res",
        "nl_BE.res",
        "coll/root.res",
        "coll/ucadata.icu",
        "coll/de.res",
        "zone/fr.res",
        "zone/nl.res",
        "metaZones.res",
        "zoneinfo64.res",
        "ibm-5348_P100-1997.cnv",
    ):  # the last one is windows-1252
        assert name in kept, name
    for name in ("ja.res", "coll/zh.res", "zone/ja.res", "brkitr/cjdict.dict", "gb18030.cnv", "unit/fr.res"):
        assert name not in kept, name
    assert len(package) < len(icu_trim._rodata(lib.read_bytes())) // 4


# --- the receipt reading check ----------------------------------------------------------------------------


def test_receipt_reading_check_without_an_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a bundle a missing engine is said (what to install) but is no failure; in a bundle it is."""
    import smartdesk.receipts.reading as reading
    from smartdesk import selftest

    monkeypatch.setattr(reading, "get_engine", lambda name=None: None)
    said = selftest._check_receipt_reading()
    assert "tesseract-ocr-fra" in said and "not read" in said
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(CheckFailed, match="the bundle has no OCR engine"):
        selftest._check_receipt_reading()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_receipt_reading_check_reads_its_sample() -> None:
    from smartdesk import selftest
    from smartdesk.receipts.reading import get_engine, read

    assert selftest._check_receipt_reading().startswith("tesseract (")
    reading = read(selftest.sample_receipt_image(), engine=get_engine())
    assert reading.vat_lines and reading.vat_lines[0].vat == Decimal("3.47")
