"""Live preview benchmark: time from an edit in the editor to the refreshed page image (prints, never asserts).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/preview.py [--runs N]

The real main window and editor on a real data folder: a key is typed in the title field (the whole edit
path runs: undo command, autosave on the writer thread, totals, problems), then the clock stops when the
preview has the new page images in its page widgets. Cases: a 1-page and a 3-page invoice, each edit
isolated (the member pauses), and a burst of typing (a key every 120 ms: how old the picture on screen is).
Also printed: the parts on the worker thread (reportlab render, pypdfium2 rasterisation of every page).
Target (issue 4): preview refresh from an edit to the new page image <= 150 ms (p95).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from smartdesk.domain.documents import Activity, Address, Client, DocumentKind, Line  # noqa: E402
from smartdesk.gui.documents.preview import DEBOUNCE_MS, PreviewPane  # noqa: E402
from smartdesk.gui.documents.raster import rasterise  # noqa: E402
from smartdesk.gui.main_window import MainWindow  # noqa: E402
from smartdesk.services import Workspace  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# Waiting runs Qt's own event loop (QEventLoop) rather than calling processEvents() in a Python
# loop: PySide6 6.12 on CPython 3.11 drops a reference to None on every call of a void method, and thousands
# of processEvents() calls would eventually crash the interpreter ("deallocating None").
def pump(app: QApplication, seconds: float) -> None:
    """Run the real event loop for ``seconds`` (QTest.qWait sleeps between rounds and would delay the results)."""
    if seconds > 0:
        loop = QEventLoop()
        QTimer.singleShot(max(1, round(seconds * 1000)), loop.quit)
        loop.exec()


def wait_settled(app: QApplication, pane: PreviewPane, timeout: float = 10.0) -> None:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if pane.is_settled() and pane.shown_generation == pane.generation:
            return
        pump(app, 0.005)
    raise RuntimeError("the preview did not settle")


def wait_for_generation(pane: PreviewPane, generation: int, timeout_ms: int = 10_000) -> None:
    """Run the event loop until the image of ``generation`` (or a later one) is on screen."""
    if pane.shown_generation >= generation:
        return
    loop = QEventLoop()

    def shown(g: int) -> None:
        if g >= generation:
            loop.quit()

    pane.updated.connect(shown)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    pane.updated.disconnect(shown)
    if pane.shown_generation < generation:
        raise RuntimeError("the preview did not refresh")


def invoice(ws: Workspace, lines: int) -> str:
    activity = ws.activities.save(Activity(name="Studio Lumière", code="A-1"))
    client = ws.clients.save(
        Client(
            name="Atelier Nova",
            address=Address(street="Rue Haute 12", postcode="1000", city="Bruxelles", country="BE"),
            vat_number="BE0999123457",
        )
    )
    doc = ws.documents.new(DocumentKind.INVOICE, client.id, activity.id)
    doc.title = "Spring workshops"
    doc.lines = [
        Line(
            description=f"Prestation {i + 1} : création lumière et régie",
            quantity=Decimal(2),
            unit="HUR",
            unit_price=Decimal(85) + i,
        )
        for i in range(lines)
    ]
    return ws.documents.save(doc).id


def isolated_edits(app: QApplication, window: MainWindow, runs: int) -> list[float]:
    """One key, then wait for its image; a pause before the next key."""
    editor = window.editor
    pane = editor.preview
    times: list[float] = []
    stamp: list[float] = []
    pane.updated.connect(lambda _g: stamp.append(time.perf_counter()))
    editor.title_edit.setFocus()
    for i in range(runs):
        pump(app, 0.05)
        stamp.clear()
        before = pane.generation
        start = time.perf_counter()
        QTest.keyClick(editor.title_edit, Qt.Key.Key_A if i % 2 == 0 else Qt.Key.Key_Backspace)
        assert pane.generation > before
        wait_for_generation(pane, pane.generation)
        times.append((stamp[-1] - start) * 1000)
    return times


def burst(app: QApplication, window: MainWindow, keys: int, gap: float = 0.12) -> list[float]:
    """A key every ``gap`` seconds: for each key, the time until an image including it is on screen."""
    editor = window.editor
    pane = editor.preview
    wait_settled(app, pane)
    pending: dict[int, float] = {}  # generation -> when its key was pressed
    latencies: list[float] = []

    def shown(generation: int) -> None:
        now = time.perf_counter()
        for g in [g for g in pending if g <= generation]:
            latencies.append((now - pending.pop(g)) * 1000)

    pane.updated.connect(shown)
    editor.title_edit.setFocus()
    for i in range(keys):
        start = time.perf_counter()
        QTest.keyClick(editor.title_edit, Qt.Key.Key_B if i % 3 else Qt.Key.Key_Space)
        pending[pane.generation] = start
        pump(app, max(0.0, gap - (time.perf_counter() - start)))
    wait_settled(app, pane)
    pane.updated.disconnect(shown)
    return latencies


def worker_parts(ws: Workspace, doc_id: str, pane: PreviewPane, runs: int) -> tuple[float, float, int]:
    doc = ws.documents.get(doc_id)
    render, raster = [], []
    pages = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        pdf = ws.pdf.render(doc)
        t1 = time.perf_counter()
        pages = len(rasterise(pdf, pane.shown_scale))
        t2 = time.perf_counter()
        render.append((t1 - t0) * 1000)
        raster.append((t2 - t1) * 1000)
    return statistics.median(render), statistics.median(raster), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--debounce", type=int, default=DEBOUNCE_MS, help="quiet time after an edit, ms")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    print(f"debounce {args.debounce} ms; {args.runs} isolated edits and a 40-key burst per case")
    print(f"{'case':34} {'pages':>5} {'p50':>8} {'p95':>8} {'max':>8}   worker: render + raster")
    folders: list[str] = []
    opened: list[tuple[MainWindow, Workspace]] = []
    for label, lines in (("1-page invoice (12 lines)", 12), ("3-page invoice (70 lines)", 70)):
        folder = tempfile.mkdtemp(prefix="smartdesk-bench-")
        folders.append(folder)
        ws = Workspace.open(Path(folder) / "data")
        ws.settings.set("first_run_done", True)
        doc_id = invoice(ws, lines)
        window = MainWindow(ws, settings=QSettings(str(Path(folder) / "w.ini"), QSettings.Format.IniFormat))
        opened.append((window, ws))
        window.resize(1400, 860)
        window.show()
        window.open_document(doc_id)
        pane = window.editor.preview
        pane.debounce_ms = args.debounce
        wait_settled(app, pane)
        isolated_edits(app, window, 5)  # warm up
        edits = isolated_edits(app, window, args.runs)
        typing = burst(app, window, 40)
        render_ms, raster_ms, pages = worker_parts(ws, doc_id, pane, 15)
        assert pages == len(pane.pages)
        for name, values in ((f"{label}, one edit", edits), (f"{label}, typing", typing)):
            print(
                f"{name:34} {pages:5d} {statistics.median(values):6.1f}ms {percentile(values, 0.95):6.1f}ms "
                f"{max(values):6.1f}ms   {render_ms:.1f} + {raster_ms:.1f} ms"
            )
        window.hide()
    print("target: <= 150 ms (p95) from an edit to the new page image")
    for window, ws in opened:
        window.tasks.close()
        window.close()
        ws.close()
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)  # skip PySide6's teardown at interpreter exit, which can crash while collecting Qt objects


if __name__ == "__main__":
    main()
