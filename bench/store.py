"""Local store figures at 100,000 documents (issue 2).

Prints the median (and p95) of: the first page of a filtered list, a full-text search, and one
draft edit (document update + FTS + outbox entry, committed with synchronous=FULL).
Targets: list <= 20 ms, search <= 30 ms, edit <= 2 ms.

    .venv/bin/python bench/store.py [--documents 100000] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from smartdesk.domain.documents import DocumentKind, Line
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.services.demo import load_demo_data


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="smartdesk-bench-")) / "data"
    ws = Workspace.open(folder)
    have = ws.documents.count(DocumentQuery())
    if have < args.documents:
        t0 = time.perf_counter()
        load_demo_data(ws, documents=args.documents - have)
        print(f"setup: {args.documents - have} documents in {time.perf_counter() - t0:.1f} s")
    total = ws.documents.count(DocumentQuery())
    activity = ws.activities.list()[0].id

    filtered = DocumentQuery(kind=DocumentKind.INVOICE, status="awaiting_payment", limit=100)
    by_activity = DocumentQuery(kind=DocumentKind.QUOTE, activity_id=activity, limit=100)
    results = {
        "list: first page, invoices awaiting payment": measure(lambda: ws.documents.list(filtered), 50),
        "list: first page, quotes of one activity": measure(lambda: ws.documents.list(by_activity), 50),
        "list: first page, all documents by date": measure(
            lambda: ws.documents.list(DocumentQuery(limit=100)), 50
        ),
        "search: 'lumière' (top 20)": measure(lambda: ws.documents.search("lumière"), 50),
        "search: 'namur photo' (top 20)": measure(lambda: ws.documents.search("namur reportage"), 50),
        "list filtered by words 'köln' (first page)": measure(
            lambda: ws.documents.list(DocumentQuery(text="köln", limit=100)), 30
        ),
    }
    doc = ws.documents.new(DocumentKind.QUOTE)
    doc.lines = [Line(description=f"Line {i}", quantity=Decimal(1), unit_price=Decimal(10)) for i in range(5)]
    counter = [0]

    def edit() -> None:
        counter[0] += 1
        doc.lines[0].quantity = Decimal(counter[0] % 50 + 1)
        ws.documents.save(doc)

    def raw_edit() -> None:
        counter[0] += 1
        doc.lines[0].quantity = Decimal(counter[0] % 50 + 1)
        ws.store.put_document(doc)

    results["edit: one draft edit via services (check + save + outbox)"] = measure(edit, 200)
    results["edit: store write only (save + FTS + outbox)"] = measure(raw_edit, 200)
    print(f"\nSmartDesk local store, {total} documents ({folder})")
    print(f"{'operation':<62} {'median':>9} {'p95':>9}")
    for name, (median, p95) in results.items():
        print(f"{name:<62} {median:>7.2f}ms {p95:>7.2f}ms")
    print("targets: list <= 20 ms, search <= 30 ms, edit <= 2 ms (medians)")
    ws.close()


if __name__ == "__main__":
    main()
