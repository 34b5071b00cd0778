"""Build the PyInstaller bundle with packaging/build.sh and run the frozen app headless.

Slow (a build takes about 1.5 minutes on a 2-core machine): runs only with SMARTDESK_TEST_BUNDLE=1.
Builds into a temporary folder, so a developer's own dist/ is left alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartdesk import __version__

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("SMARTDESK_TEST_BUNDLE") != "1",
        reason="builds the PyInstaller bundle (slow): set SMARTDESK_TEST_BUNDLE=1",
    ),
    pytest.mark.skipif(
        shutil.which("objdump") is None, reason="PyInstaller needs objdump (Debian: binutils)"
    ),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "SMARTDESK_DIST_DIR": str(base / "dist"), "SMARTDESK_WORK_DIR": str(base / "work")}
    build = subprocess.run(
        [str(ROOT / "packaging" / "build.sh"), "--no-self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    yield base / "dist" / "SmartDesk"
    shutil.rmtree(base, ignore_errors=True)


def _run(bundle: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "SMARTDESK_"))
        and k not in ("VIRTUAL_ENV", "DISPLAY", "WAYLAND_DISPLAY")
    }
    clean.update({"QT_QPA_PLATFORM": "offscreen", **env})
    # run from an unrelated folder, with no access to the source tree's resources
    return subprocess.run(
        [str(bundle / "SmartDesk"), *args],
        cwd=bundle.parent,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bundle_layout(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (bundle / "SmartDesk").is_file() and os.access(bundle / "SmartDesk", os.X_OK)
    assert (internal / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    assert (internal / "resources" / "icons" / "smartdesk.svg").is_file()
    assert (internal / "smartdesk" / "store" / "migrations" / "versions" / "0001_initial.py").is_file()
    assert not (internal / "smartdesk_server").exists()
    for module in (
        "fastapi",
        "uvicorn",
        "argon2",
        "psycopg",
        "pytest",
        "PySide6/QtWebEngineCore.abi3.so",
        "PySide6/QtQuick.abi3.so",
        "PySide6/Qt3DCore.abi3.so",
    ):
        assert not (internal / module).exists(), module
    translations = sorted(p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm"))
    assert "qtbase_fr.qm" in translations and "qtbase_nl.qm" in translations
    assert all(name.split("_")[1][:2] in ("fr", "nl", "en") for name in translations), translations
    locale = internal / "smartdesk" / "i18n" / "locale"  # SmartDesk's own catalogues: compiled only
    assert sorted(str(p.relative_to(locale)) for p in locale.rglob("*.mo")) == sorted(
        [f"{lang}/LC_MESSAGES/ui.mo" for lang in ("fr", "nl", "pseudo")]
        + [f"{lang}/LC_MESSAGES/documents.mo" for lang in ("fr", "nl", "de", "es", "it")]
    )
    assert not list(locale.rglob("*.po")) and not list(locale.glob("*.pot"))
    platforms = {p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    assert {"libqoffscreen.so", "libqxcb.so"} <= platforms and "libqvnc.so" not in platforms
    share = bundle / "share"
    assert (share / "applications" / "coop.smart.SmartDesk.desktop").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "coop.smart.SmartDesk.png").is_file()


def test_bundle_has_the_camera_and_network_status_parts(bundle: Path) -> None:
    """Qt Multimedia with its FFmpeg backend (receipt camera) and QtNetwork's network-status plugins."""
    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    for module in ("QtMultimedia", "QtNetwork"):
        assert (internal / "PySide6" / f"{module}.abi3.so").is_file(), module
    assert (qt / "plugins" / "multimedia" / "libffmpegmediaplugin.so").is_file()
    libs = {p.name for p in (qt / "lib").iterdir()}
    for pattern in (
        "libQt6Multimedia.so.",
        "libQt6Network.so.",
        "libavcodec.so.",
        "libavformat.so.",
        "libavutil.so.",
        "libswscale.so.",
        "libswresample.so.",
        "libQt6FFmpegStub-va.so.",
    ):
        assert any(name.startswith(pattern) for name in libs), pattern
    backends = {p.name for p in (qt / "plugins" / "networkinformation").iterdir()}
    assert {"libqglib.so", "libqnetworkmanager.so"} <= backends, backends


def test_bundle_has_its_own_ocr_engine(bundle: Path) -> None:
    """Tesseract, the libraries it needs that the bundle lacks (libcurl and libarchive as stubs) and its
    fra/nld/deu/eng data, without the orientation data; RapidOCR, OpenCV and ONNX Runtime left out."""
    home = bundle / "_internal" / "tesseract"
    assert (home / "tesseract").is_file() and os.access(home / "tesseract", os.X_OK)
    data = sorted(p.name for p in (home / "tessdata").glob("*.traineddata"))
    assert data == ["deu.traineddata", "eng.traineddata", "fra.traineddata", "nld.traineddata"], data
    assert (home / "tessdata" / "configs" / "tsv").is_file()
    libs = {p.name for p in (home / "lib").iterdir()}
    assert {"libtesseract.so.5", "liblept.so.5"} <= libs, libs
    assert (home / "lib" / "libcurl.so.4").stat().st_size < 100_000  # the stub, not the real library
    assert not any(name.startswith(("libssl", "libcrypto", "libxml2", "libicu")) for name in libs), libs
    for module in ("cv2", "onnxruntime", "rapidocr_onnxruntime", "opencv_python.libs"):
        assert not (bundle / "_internal" / module).exists(), module
    size = sum(p.stat().st_size for p in home.rglob("*") if p.is_file())
    print(f"OCR engine and data in the bundle: {size / 1e6:.1f} MB")
    assert size < 60e6


def test_bundle_leaves_out_what_smartdesk_does_not_use(bundle: Path) -> None:
    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    for path in (
        "PySide6/QtPdf.abi3.so",
        "PySide6/QtPdfWidgets.abi3.so",
        "PySide6/QtMultimediaWidgets.abi3.so",
        "PySide6/Qt/plugins/tls",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "libcups.so.2",
        "libgnutls.so.30",
        "libp11-kit.so.0",
    ):
        assert not (internal / path).exists(), path
    libs = {p.name for p in (qt / "lib").iterdir()}
    for prefix in (
        "libQt6Pdf",
        "libQt6MultimediaWidgets",
        "libQt6MultimediaQuick",
        "libQt6QuickControls2",
        "libQt6Quick3D",
        "libQt6WebEngine",
    ):
        assert not any(name.startswith(prefix) for name in libs), prefix
    # PIL's AVIF plugin stays: receipts.images accepts AVIF photos
    assert any(p.name.startswith("_avif") for p in (internal / "PIL").iterdir())
    icu = next((qt / "lib").glob("libicudata.so.*"))
    if shutil.which("cc") or shutil.which("gcc"):
        assert icu.stat().st_size < 10_000_000, "the ICU data was not trimmed"


_ICU_PROBE = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone
words = ["zèbre", "Éclair", "eclair", "école", "Zoo", "Ärger", "apple"]
print(sorted(words, key=QCollator(QLocale("fr_BE")).sortKey))
print(QLocale("tr_TR").toUpper("istanbul"), QLocale("fr_BE").toUpper("élève ß"))
tz = QTimeZone(b"Europe/Brussels")
for loc in ("fr_BE", "nl_BE", "de_DE", "en_GB"):
    print(tz.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale(loc)))
print(QStringDecoder("windows-1252").isValid(), QStringDecoder("ISO-8859-15").isValid())
"""


def test_trimmed_icu_data_serves_the_kept_languages(bundle: Path) -> None:
    """Qt from this venv on the bundle's (trimmed) ICU libraries: collation, case mapping, time-zone
    names and single-byte converters for the document languages answer exactly as with the full data."""
    lib = next((bundle / "_internal" / "PySide6" / "Qt" / "lib").glob("libicudata.so.*")).parent
    full = subprocess.run([sys.executable, "-c", _ICU_PROBE], capture_output=True, text=True, timeout=60)
    trimmed = subprocess.run(
        [sys.executable, "-c", _ICU_PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LD_LIBRARY_PATH": str(lib)},
    )
    assert full.returncode == 0 and trimmed.returncode == 0, full.stderr + trimmed.stderr
    assert trimmed.stdout == full.stdout
    assert (
        "heure normale d’Europe centrale" in trimmed.stdout
        and "Midden-Europese standaardtijd" in trimmed.stdout
    )
    assert "İSTANBUL" in trimmed.stdout


def test_frozen_version(bundle: Path) -> None:
    run = _run(bundle, "--version")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"SmartDesk {__version__}"


def test_frozen_self_test(bundle: Path, tmp_path: Path) -> None:
    run = _run(bundle, "--self-test", HOME=str(tmp_path))
    report = run.stdout
    assert report.startswith(f"SmartDesk {__version__} self-test (bundle,"), report + run.stderr
    for name in (
        "resources",
        "fonts",
        "icons",
        "document translations",
        "Qt translations",
        "store",
        "receipt photos",
        "receipt reading",
        "interface translations",
        "Qt platform plugins",
        "desktop interface",
        "PDF fr",
        "PDF nl",
        "PDF en",
        "PDF de",
        "PDF es",
        "PDF it",
        "camera support",
        "network status",
    ):
        line = next((ln for ln in report.splitlines() if ln.split(" ", 1)[-1].strip().startswith(name)), "")
        assert line.startswith("OK"), f"{name}: {line or 'missing'}\n{report}{run.stderr}"
    assert "/_internal/resources" in report  # the bundle's own copy, not the source tree's
    # the camera backend really loaded (not Qt's stub), and on Linux GLib's monitor needs no service
    assert "Qt Multimedia backend loaded" in report, report
    network = next(ln for ln in report.splitlines() if "network status" in ln)
    assert "backend glib loaded" in network or "backend networkmanager loaded" in network, network
    assert "Traceback" not in report + run.stderr
    assert run.returncode == (1 if "FAILED" in report else 0)


def test_frozen_headless_commands(bundle: Path, tmp_path: Path) -> None:
    """Demo data into a fresh store (Alembic migrations from the bundle), listing, then a PDF export."""
    data = str(tmp_path / "data")
    demo = _run(bundle, "--data-dir", data, "demo-data", "--documents", "12")
    assert demo.returncode == 0, demo.stdout + demo.stderr
    listing = _run(bundle, "--data-dir", data, "list", "--kind", "invoice", "--json")
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)
    rows = rows["documents"]
    assert rows, listing.stdout
    target = tmp_path / "invoice.pdf"
    export = _run(
        bundle,
        "--data-dir",
        data,
        "export",
        rows[0]["id"],
        "--format",
        "pdf",
        "--lang",
        "nl",
        "-o",
        str(target),
    )
    assert export.returncode == 0, export.stdout + export.stderr
    assert target.read_bytes().startswith(b"%PDF")
