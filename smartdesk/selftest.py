"""``smartdesk --self-test``: check that this installation works, headless, in a couple of seconds.

It opens a store in a temporary folder, writes a sample client, activity and invoice, renders the
invoice to PDF in every document language, and checks that the shipped fonts, icons and translations
are present and that the desktop interface can be loaded, with the parts of Qt it loads on demand (the
receipt camera's Qt Multimedia backend, the network-status backend the sync listens to). Each check prints one line, ``OK`` or
``FAILED`` with a plain reason; the exit code is 0 when everything passed and 1 otherwise. Support
staff can ask a member to run it, and ``packaging/build.sh`` runs it on every fresh bundle.

This module never imports Qt itself (ARCHITECTURE rule 1): the interface checks import
``smartdesk.gui.app`` and ``smartdesk.gui.qt_check`` by name, the package allowed to load Qt.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import io
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from smartdesk import __version__

if TYPE_CHECKING:  # the checks import these themselves, each inside its own try
    from smartdesk.domain.documents import Activity, Client, Document, MemberProfile

DOCUMENT_LANGUAGES = ("fr", "nl", "en", "de", "es", "it")
UI_LANGUAGES = ("fr", "nl", "en")
# The fonts every PDF embeds (the renderer's own list in smartdesk/pdf/fonts.py wins when present) and
# the icons the desktop integration uses.
REQUIRED_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
REQUIRED_ICONS = ("smartdesk.svg", "smartdesk-32.png", "smartdesk-256.png")
QT_PLATFORM_PLUGINS = ("offscreen", "xcb", "wayland", "windows", "cocoa")
# A 32 x 32 HEIC photo (blue, white square in the middle), as phones take receipt photos.
_SAMPLE_HEIC = base64.b64decode(
    "AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAX1tZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAACJp"
    "bG9jAAAAAERAAAEAAQAAAAABoQABAAAAAAAAAD0AAAAjaWluZgAAAAAAAQAAABVpbmZlAgAAAAABAABodmMxAAAAAA5waXRtAAAAAAAB"
    "AAAA/WlwcnAAAADdaXBjbwAAAHZodmNDAQNwAAAAkAAAAAAAHvAA/P34+AAADwNgAAEAGEABDAH//wNwAAADAJAAAAMAAAMAHroCQGEA"
    "AQAqQgEBA3AAAAMAkAAAAwAAAwAeoCCBBZbq5Ka5uAhoMCAAAAMDIAAAAwAhYgABAAZEAcFzwIkAAAATY29scm5jbHgAAQANAAaAAAAA"
    "FGlzcGUAAAAAAAAAQAAAAEAAAAAoY2xhcAAAACAAAAABAAAAIAAAAAH////gAAAAAv///+AAAAACAAAAEHBpeGkAAAAAAwgICAAAABhp"
    "cG1hAAAAAAAAAAEAAQWBAgMFhAAAAEVtZGF0AAAAOSgBrwngSVhTOc1En/E7yLwf+l2WPW1nPvr8bu29iVGxTuaFF3IkMpXkB5C6JUhA"
    "gXgBXrqK1c33nQ=="
)
_BASE14 = re.compile(rb"/BaseFont\s*/(Helvetica|Times|Courier|Symbol|ZapfDingbats)")


class CheckFailed(Exception):
    """Raised inside a check with the plain-language reason printed after FAILED."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


class _Sample:
    """The sample data the store check writes and the PDF checks render."""

    def __init__(self) -> None:
        self.doc: Document | None = None
        self.client: Client | None = None
        self.activity: Activity | None = None
        self.profile: MemberProfile | None = None


def _run(name: str, check: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, True, check())
    except CheckFailed as exc:
        return CheckResult(name, False, str(exc))
    except Exception as exc:  # noqa: BLE001 - a self-test reports every failure, it never crashes
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return CheckResult(name, False, f"{type(exc).__name__}: {message}")


# --- the checks --------------------------------------------------------------------------------------
def _check_resources() -> str:
    from smartdesk.resources import resources_dir

    try:
        folder = resources_dir()
    except FileNotFoundError as exc:
        raise CheckFailed(str(exc)) from exc
    return str(folder)


def _required_fonts() -> tuple[str, ...]:
    try:
        files = importlib.import_module("smartdesk.pdf.fonts")._FILES
    except (ImportError, AttributeError):
        return REQUIRED_FONTS
    return tuple(sorted(set(files.values()))) if isinstance(files, dict) and files else REQUIRED_FONTS


def _check_fonts() -> str:
    from smartdesk.resources import resource_path

    required = _required_fonts()
    missing, broken = [], []
    for name in required:
        path = resource_path("fonts", name)
        if not path.is_file():
            missing.append(name)
            continue
        with path.open("rb") as handle:
            magic = handle.read(4)
        if magic not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
            broken.append(name)
    if missing:
        raise CheckFailed(f"missing from {resource_path('fonts')}: {', '.join(missing)}; reinstall SmartDesk")
    if broken:
        raise CheckFailed(f"not a TrueType font: {', '.join(broken)}; reinstall SmartDesk")
    return f"{len(required)} document fonts ({', '.join(required)})"


def _check_icons() -> str:
    from smartdesk.resources import resource_path

    missing = [name for name in REQUIRED_ICONS if not resource_path("icons", name).is_file()]
    if missing:
        raise CheckFailed(f"missing from {resource_path('icons')}: {', '.join(missing)}; reinstall SmartDesk")
    return "application icon (SVG and PNG)"


def _check_document_translations() -> str:
    from smartdesk.errors import SmartDeskError
    from smartdesk.i18n.documents import catalogue

    reference = catalogue("en")
    problems = []
    for lang in DOCUMENT_LANGUAGES:
        try:
            texts = catalogue(lang)  # reads the compiled locale/<lang>/LC_MESSAGES/documents.mo
        except SmartDeskError as exc:
            problems.append(str(exc))
            continue
        if lang != "en" and texts["title.invoice"] == reference["title.invoice"]:
            problems.append(f"{lang} is not translated (its compiled catalogue is empty or stale)")
    if problems:
        raise CheckFailed("; ".join(problems))
    return f"{len(DOCUMENT_LANGUAGES)} languages, {len(reference)} labels each"


def _check_ui_translations() -> str:
    import gettext

    if importlib.util.find_spec("smartdesk.i18n.ui") is None:
        raise CheckFailed("not installed (smartdesk.i18n.ui is missing from this installation)")
    from smartdesk.i18n.ui import catalogue_path

    counts = {}
    for lang in (*[lang for lang in UI_LANGUAGES if lang != "en"], "pseudo"):
        path = catalogue_path(lang)
        try:
            with path.open("rb") as fp:
                counts[lang] = len(gettext.GNUTranslations(fp)._catalog)  # type: ignore[attr-defined]
        except OSError:
            raise CheckFailed(
                f"the compiled {lang} interface catalogue {path} is missing: run "
                "`python -m smartdesk.i18n.build` (scripts/_setup.sh does) or reinstall"
            ) from None
    empty = [lang for lang, count in counts.items() if count < 2]
    if empty:
        raise CheckFailed(f"the interface catalogue is empty for: {', '.join(empty)}")
    return f"{', '.join(UI_LANGUAGES)} ({counts['fr'] - 1} strings) and the pseudo-locale"


def _qt_folder() -> Path:
    spec = importlib.util.find_spec("PySide6")  # locates the package without loading Qt
    if spec is None or not spec.submodule_search_locations:
        raise CheckFailed("not installed (PySide6, the Qt toolkit, is missing)")
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def _check_qt_translations() -> str:
    folder = _qt_folder() / "translations"
    missing = [f"qtbase_{lang}.qm" for lang in UI_LANGUAGES if not (folder / f"qtbase_{lang}.qm").is_file()]
    if missing:
        raise CheckFailed(f"Qt's own translations are missing from {folder}: {', '.join(missing)}")
    return f"qtbase {', '.join(UI_LANGUAGES)}"


def _check_qt_platforms() -> str:
    folder = _qt_folder() / "plugins" / "platforms"
    found = sorted(
        {
            p
            for p in QT_PLATFORM_PLUGINS
            for f in (folder.glob("*") if folder.is_dir() else [])
            if re.fullmatch(rf"(lib)?q{p}(\.\w+)+", f.name)
        }
    )
    needed = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}.get(sys.platform, "offscreen")
    if needed not in found or "offscreen" not in found:
        raise CheckFailed(f"Qt's '{needed}' or 'offscreen' platform plugin is missing from {folder}")
    return ", ".join(found)


def _check_gui() -> str:
    if (
        importlib.util.find_spec("smartdesk.gui") is None
        or importlib.util.find_spec("smartdesk.gui.app") is None
    ):
        raise CheckFailed("not installed (smartdesk.gui.app is missing from this installation)")
    try:
        module = importlib.import_module("smartdesk.gui.app")
    except ImportError as exc:
        raise CheckFailed(f"the desktop interface cannot be loaded: {exc}") from exc
    if not callable(getattr(module, "run", None)):
        raise CheckFailed("smartdesk.gui.app has no run() entry point")
    return "desktop interface loads (not shown)"


def _qt_part_check(function: str) -> Callable[[], str]:
    """A check run by ``smartdesk.gui.qt_check`` (the package allowed to load Qt), imported by name."""

    def check() -> str:
        if (
            importlib.util.find_spec("smartdesk.gui") is None
            or importlib.util.find_spec("smartdesk.gui.qt_check") is None
        ):
            raise CheckFailed("not installed (smartdesk.gui.qt_check is missing from this installation)")
        module = importlib.import_module("smartdesk.gui.qt_check")
        try:
            return str(getattr(module, function)())
        except module.QtPartMissing as exc:
            raise CheckFailed(str(exc)) from exc

    return check


def _check_receipt_photos() -> str:
    if importlib.util.find_spec("smartdesk.receipts.images") is None:
        raise CheckFailed("not installed (smartdesk.receipts is missing from this installation)")
    from PIL import Image

    from smartdesk.receipts.images import open_image

    decoded = []
    jpeg = io.BytesIO()
    Image.new("RGB", (32, 32), "#1F6FEB").save(jpeg, format="JPEG")
    for label, data in (("JPEG", jpeg.getvalue()), ("HEIC", _SAMPLE_HEIC)):
        image = open_image(data, f"self-test.{label.lower()}")
        try:
            image.load()
            pixel = image.convert("RGB").getpixel((2, 2))
            if not isinstance(pixel, tuple):  # an RGB image gives (r, g, b)
                raise CheckFailed(f"a {label} photo decodes to no colour at all")
            red, green, blue = pixel[:3]
        finally:
            image.close()
        if not (blue > 180 and red < 80):  # the sample's blue corner
            raise CheckFailed(f"a {label} photo decodes to the wrong colours")
        decoded.append(label)
    return f"{' and '.join(decoded)} photos decode"


def sample_receipt_image() -> bytes:
    """A small receipt photo drawn with the shipped font: date 12/03/2026, VAT 21 % 3,47, total 20,00."""
    from PIL import Image, ImageDraw, ImageFont

    from smartdesk.resources import resources_dir

    font = ImageFont.truetype(str(resources_dir() / "fonts" / "DejaVuSans.ttf"), 26)
    image = Image.new("L", (640, 420), 250)
    draw = ImageDraw.Draw(image)
    rows = [
        "CAFE DU PONT",
        "Rue du Pont 12, 5000 Namur",
        "Date: 12/03/2026",
        "Cafe x2            6,40",
        "Croque monsieur   13,60",
        "TVA 21%            3,47",
        "TOTAL EUR         20,00",
    ]
    for n, row in enumerate(rows):
        draw.text((30, 24 + n * 54), row, fill=10, font=font)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def _check_receipt_reading() -> str:
    """The OCR engine is there (the bundle's own Tesseract and its fra/nld/deu/eng data) and reads a
    receipt. Outside a bundle a missing engine is not a failure: the app then only does not suggest."""
    if importlib.util.find_spec("smartdesk.receipts.reading") is None:
        raise CheckFailed("not installed (smartdesk.receipts.reading is missing from this installation)")
    from datetime import date

    from smartdesk.receipts.reading import get_engine, read

    engine = get_engine()
    if engine is None:
        hint = (
            "receipt photos are not read (no OCR engine): install Tesseract with its French, Dutch, German "
            "and English data (Debian: tesseract-ocr tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-deu "
            "tesseract-ocr-eng) or pip install 'smartdesk[ocr]'"
        )
        if getattr(sys, "frozen", False):
            raise CheckFailed(f"the bundle has no OCR engine (its tesseract/ folder is missing): {hint}")
        return hint
    started = time.perf_counter()
    reading = read(sample_receipt_image(), "self-test.jpg", engine=engine)
    elapsed = time.perf_counter() - started
    total = reading.total.value if reading.total else None
    day = reading.date.value if reading.date else None
    if total != Decimal("20.00") or day != date(2026, 3, 12):
        raise CheckFailed(
            f"{engine.name} read the sample receipt wrongly (total {total}, date {day}; "
            f"expected 20.00 and 2026-03-12): {reading.reason or 'the text was misread'}"
        )
    install = getattr(engine, "install", None)
    where = getattr(install, "where", "")
    languages = getattr(engine, "languages", "")
    details = ", ".join(x for x in (where, languages) if x)
    return f"{engine.name}{f' ({details})' if details else ''} read a sample receipt in {elapsed:.2f} s"


def _check_store(folder: Path, sample: _Sample) -> Callable[[], str]:
    def check() -> str:
        from smartdesk.domain.documents import Activity, Address, Client, DocumentKind, Line
        from smartdesk.services import Workspace

        with Workspace.open(folder) as ws:
            activity = ws.activities.save(Activity(name="Studio Self-Test", code="A-00001", entity="BE"))
            client = ws.clients.save(
                Client(
                    name="Théâtre Łódź & Ça Ira ASBL",
                    address=Address(street="Rue du Pont 12", postcode="5000", city="Namur", country="BE"),
                    language="fr",
                )
            )
            doc = ws.documents.new(DocumentKind.INVOICE, client.id, activity.id)
            doc.title = "Self-test"
            doc.lines.append(
                Line(
                    description="Prestation de test ł ő ș ç €",
                    quantity=Decimal("2"),
                    unit="HUR",
                    unit_price=Decimal("55.00"),
                    vat_rate=Decimal("21"),
                )
            )
            ws.documents.save(doc)
            again = ws.documents.get(doc.id)
            if len(again.lines) != 1 or again.lines[0].unit_price != Decimal("55.00"):
                raise CheckFailed("the sample invoice read back differs from what was written")
            sample.doc, sample.client, sample.activity = again, client, ws.activities.get(activity.id)
            sample.profile = ws.profile.get()
        return f"sample client, activity and invoice written and read back in {folder.name}"

    return check


def _fonts_embedded(pdf: bytes) -> str:
    """Every font of the PDF carries its own font program (nothing depends on the reader's fonts)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        # pypdf is a development tool; without it, a plain scan of the (uncompressed) font objects.
        if _BASE14.search(pdf):
            raise CheckFailed("a standard PDF font is used instead of the embedded one") from None
        if b"/FontFile2" not in pdf and b"/FontFile3" not in pdf:
            raise CheckFailed("no embedded font program found") from None
        return "fonts embedded (byte scan)"
    reader = PdfReader(io.BytesIO(pdf))
    seen: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?"))
            descendant = font.get("/DescendantFonts")
            target = descendant.get_object()[0].get_object() if descendant else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                raise CheckFailed(f"font {name} is not embedded")
            seen.add(name.split("+")[-1])
    if not seen:
        raise CheckFailed("the PDF uses no font at all")
    return f"fonts embedded: {', '.join(sorted(seen))}"


def _check_pdf(lang: str, sample: _Sample) -> Callable[[], str]:
    def check() -> str:
        if importlib.util.find_spec("smartdesk.pdf") is None:
            raise CheckFailed("not installed (the PDF renderer smartdesk.pdf is missing)")
        if sample.doc is None or sample.profile is None:
            raise CheckFailed("skipped: the store check failed, so there is no sample invoice")
        from smartdesk.domain.entities import entity_for
        from smartdesk.pdf import render_document

        started = time.perf_counter()
        pdf = render_document(
            sample.doc,
            client=sample.client,
            activity=sample.activity,
            entity=entity_for("BE"),
            profile=sample.profile,
            language=lang,
        )
        elapsed = time.perf_counter() - started
        if not pdf.startswith(b"%PDF"):
            raise CheckFailed("the renderer did not produce a PDF file")
        return f"{len(pdf) // 1024} KB in {elapsed * 1000:.0f} ms, {_fonts_embedded(pdf)}"

    return check


# --- the report --------------------------------------------------------------------------------------
def _check_list_export(folder: Path) -> Callable[[], str]:
    """The invoice list written to XLSX (openpyxl, collected into the bundle) and read back."""

    def check() -> str:
        from openpyxl import load_workbook

        from smartdesk.domain.documents import DocumentKind
        from smartdesk.services import DocumentQuery, Workspace

        target = folder.parent / "self-test-list.xlsx"
        with Workspace.open(folder) as ws:
            count = ws.exports.write(DocumentQuery(kind=DocumentKind.INVOICE), target)
        rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
        if count < 1 or len(rows) != count + 1 or rows[1][1] != "Self-test":
            raise CheckFailed("the invoice list written to a spreadsheet reads back differently")
        return f"{count} invoice written to {target.name} and read back"

    return check


def collect_checks(folder: Path) -> list[tuple[str, Callable[[], str]]]:
    sample = _Sample()
    checks: list[tuple[str, Callable[[], str]]] = [
        ("resources", _check_resources),
        ("fonts", _check_fonts),
        ("icons", _check_icons),
        ("document translations", _check_document_translations),
        ("interface translations", _check_ui_translations),
        ("Qt translations", _check_qt_translations),
        ("Qt platform plugins", _check_qt_platforms),
        ("receipt photos", _check_receipt_photos),
        ("receipt reading", _check_receipt_reading),
        ("store", _check_store(folder, sample)),
        ("list export", _check_list_export(folder)),
    ]
    checks += [(f"PDF {lang}", _check_pdf(lang, sample)) for lang in DOCUMENT_LANGUAGES]
    checks.append(("desktop interface", _check_gui))
    checks.append(("camera support", _qt_part_check("check_camera_support")))
    checks.append(("network status", _qt_part_check("check_network_status")))
    return checks


def run_checks(out: TextIO) -> list[CheckResult]:
    results: list[CheckResult] = []
    width = 24
    with tempfile.TemporaryDirectory(prefix="smartdesk-selftest-") as tmp:
        for name, check in collect_checks(Path(tmp) / "data"):
            result = _run(name, check)
            results.append(result)
            out.write(f"{'OK' if result.ok else 'FAILED':<7} {name:<{width}} {result.detail}\n")
            out.flush()
    return results


def run_self_test(out: TextIO | None = None) -> int:
    """Run every check, print one line per check and a summary; 0 when all passed, 1 otherwise."""
    stream = out or sys.stdout
    frozen = "bundle" if getattr(sys, "frozen", False) else "Python " + sys.version.split()[0]
    stream.write(f"SmartDesk {__version__} self-test ({frozen}, {sys.platform})\n")
    started = time.perf_counter()
    results = run_checks(stream)
    failed = [r for r in results if not r.ok]
    elapsed = time.perf_counter() - started
    if failed:
        stream.write(
            f"{len(failed)} of {len(results)} checks FAILED in {elapsed:.1f} s: "
            f"{', '.join(r.name for r in failed)}. Reinstall SmartDesk or send this report to support.\n"
        )
        return 1
    stream.write(f"All {len(results)} checks passed in {elapsed:.1f} s.\n")
    return 0
