"""Issuing benchmark: what validation costs now that the server stamps, numbers and renders + archives
the PDF in the same transaction (decision 0022). SQLite database in a temporary folder, no HTTP.

    .venv/bin/python bench/issue.py              # 40 invoices
    .venv/bin/python bench/issue.py --count 200

Prints the time per validation (median, 90th percentile), the archive size, and the time of the same
validations without the render (the numbering/stamping part alone). Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from smartdesk.domain.documents import Document, DocumentKind, Line  # noqa: E402
from smartdesk.domain.ids import uuid7  # noqa: E402
from smartdesk.domain.serialize import activity_to_dict, client_to_dict, document_to_dict  # noqa: E402
from smartdesk_server import archive, auth, coop  # noqa: E402
from smartdesk_server.archive_table import issued_archives  # noqa: E402
from smartdesk_server.db import make_engine, sqlite_url  # noqa: E402
from smartdesk_server.migrate import upgrade  # noqa: E402
from smartdesk_server.store import Tx  # noqa: E402
from smartdesk_server.sync import apply_mutation, init_epoch  # noqa: E402
from tests.support.member_records import activity_and_client  # noqa: E402


def _submitted(engine: Any, member: str, count: int) -> list[str]:
    from smartdesk_server.db import write

    activity, client = activity_and_client()
    ids = []
    with write(engine) as conn:
        tx = Tx(conn, member)
        apply_mutation(tx, "activity.put", {"activity": activity_to_dict(activity)}, 0)
        apply_mutation(tx, "client.put", {"client": client_to_dict(client)}, 0)
        for i in range(count):
            doc = Document(
                id=uuid7(),
                kind=DocumentKind.INVOICE,
                activity_id=activity.id,
                client_id=client.id,
                title=f"Invoice {i}",
                lines=[
                    Line(description=f"Day {j}", quantity=Decimal(1), unit_price=Decimal("400"))
                    for j in range(5)
                ],
            )
            apply_mutation(tx, "document.put", {"document": document_to_dict(doc)}, 0)
            apply_mutation(tx, "document.transition", {"id": doc.id, "to": "submitted"}, 0)
            ids.append(doc.id)
    return ids


def _run(engine: Any, ids: list[str]) -> list[float]:
    times = []
    for doc_id in ids:
        start = time.perf_counter()
        coop.validate(engine, None, doc_id)
        times.append(time.perf_counter() - start)
    return times


def _figures(label: str, times: list[float]) -> None:
    q = statistics.quantiles(times, n=10)[-1] if len(times) >= 10 else max(times)
    print(f"{label:<34} median {statistics.median(times) * 1000:7.1f} ms   p90 {q * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(sqlite_url(Path(tmp)))
        upgrade(engine)
        init_epoch(engine)
        archive.configure(engine, Path(tmp) / "blobs")
        member = auth.create_account(
            engine, email="m@example.org", password="bench password", name="M", role="member"
        )
        ids = _submitted(engine, member, args.count * 2)
        with_render = _run(engine, ids[: args.count])
        with engine.connect() as conn:
            sizes = [int(r[0]) for r in conn.execute(select(issued_archives.c.size)).all()]
        original = archive.render_issued
        archive.render_issued = lambda *_a, **_k: None  # type: ignore[assignment]
        try:
            without = _run(engine, ids[args.count :])
        finally:
            archive.render_issued = original
        engine.dispose()
    print(f"{args.count} invoices of 5 lines each, SQLite, one thread")
    _figures("validate + stamp + render + archive", with_render)
    _figures("validate + stamp (no render)", without)
    print(f"archived PDF size                  {statistics.mean(sizes) / 1024:7.1f} KB")


if __name__ == "__main__":
    main()
