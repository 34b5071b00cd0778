"""Home page benchmark: its figures after a sync on a 100,000-document store. Prints figures; asserts
nothing.

    .venv/bin/python bench/home.py [--runs 15] [--folder /tmp/smartdesk-bench]

Each run first writes what a pull brings (50 changed invoices, as the sync writes them), then times:
1. ``ws.home.figures()``: the SQL the page runs on the worker pool (target <= 50 ms);
2. the page showing those figures on the GUI thread (cards, bands, chart), offscreen.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import make_store  # noqa: E402 - the same stores as bench/startup.py


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "smartdesk-bench")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.folder.mkdir(parents=True, exist_ok=True)
    store = make_store(args.folder / "docs-100k", 100_000)

    from smartdesk.domain.documents import DocumentKind
    from smartdesk.services import DocumentQuery, Workspace

    ws = Workspace.open(store)
    invoices = ws.documents.list(DocumentQuery(kind=DocumentKind.INVOICE, limit=5000), with_total=False).rows
    rng = random.Random(3)
    ws.home.figures()  # warm the page cache once, as the first refresh at start-up does
    sql: list[float] = []
    for _ in range(args.runs):
        for row in rng.sample(invoices, 50):  # a pull: the cooperative recorded payments
            doc = ws.store.get_document(row.id)
            ws.store.put_document(replace(doc, paid_amount=doc.paid_amount + Decimal("1.00")), enqueue=False)
        t0 = time.perf_counter()
        figures = ws.home.figures()
        sql.append(time.perf_counter() - t0)
    print(
        f"Home figures on {ws.store.count_documents(DocumentQuery(limit=1)):,} documents, after a pull of 50 changes"
    )
    print(
        f"  figures (SQL, worker pool): median {statistics.median(sql) * 1000:.1f} ms, "
        f"max {max(sql) * 1000:.1f} ms over {args.runs} runs   target <= 50 ms -> "
        f"{'OK' if statistics.median(sql) <= 0.050 else 'MISSED'}"
    )
    print(
        f"  open invoices {figures.open_count:,}, still to receive {figures.to_receive}, "
        f"overdue {figures.overdue_total}, activities in the chart {len(figures.revenue)}"
    )

    from smartdesk.gui.app import make_app
    from smartdesk.gui.pages.home import HomePage

    app = make_app([])
    page = HomePage(ws, None)
    page.resize(1100, 760)
    page.show()
    app.processEvents()
    shown: list[float] = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        page.show_figures(figures)
        page.chart.repaint()
        shown.append(time.perf_counter() - t0)
    print(
        f"  showing them (GUI thread): median {statistics.median(shown) * 1000:.1f} ms, max {max(shown) * 1000:.1f} ms"
    )
    total = [a + b for a, b in zip(sql, shown, strict=True)]
    print(
        f"  refresh after a sync, figures + showing: median {statistics.median(total) * 1000:.1f} ms "
        f"target <= 50 ms -> {'OK' if statistics.median(total) <= 0.050 else 'MISSED'}"
    )
    ws.close()
    os._exit(0)


if __name__ == "__main__":
    main()
