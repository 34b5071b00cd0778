"""Benchmark of bank-statement import: one 10,000-movement CODA statement against 50,000 numbered
invoices (80 % structured communications, 10 % invoice numbers in the text, 10 % with nothing to go by
or money out), parsed, matched and every payment recorded. Then the same file again (all already
recorded). Prints figures; asserts nothing.

    .venv/bin/python bench/statements.py                       # SQLite in a temporary folder
    .venv/bin/python bench/statements.py --database-url postgresql+psycopg://smartdesk@127.0.0.1:PORT/postgres

Target on 2 cores: import + match <= 2 s on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from smartdesk_server.db import make_engine, metadata, write  # noqa: E402
from smartdesk_server.migrate import upgrade  # noqa: E402
from smartdesk_server.statements import service  # noqa: E402
from smartdesk_server.statements.samples import Movement, coda, seed_invoices  # noqa: E402
from smartdesk_server.sync import init_epoch  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--invoices", type=int, default=50_000)
    ap.add_argument("--movements", type=int, default=10_000)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="smartdesk-bench-statements-")
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'server.sqlite3'}"
    engine = make_engine(url)
    if not url.startswith("sqlite"):
        with engine.begin() as conn:
            metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(engine)
    init_epoch(engine)
    t0 = time.perf_counter()
    invoices = seed_invoices(engine, args.invoices, members=2_000)
    print(f"{engine.dialect.name}: seeded {len(invoices):,} invoices in {time.perf_counter() - t0:.1f} s")
    if not url.startswith("sqlite"):
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))  # a live database has its statistics
    t0 = time.perf_counter()
    with write(engine) as conn:
        indexed = service.refresh_refs(conn)
    print(
        f"{engine.dialect.name}: one-time index of {indexed:,} numbered invoices {time.perf_counter() - t0:.1f} s "
        "(afterwards each import indexes only the invoices numbered since the previous one)"
    )
    rng = random.Random(10_000)
    chosen = rng.sample(invoices, args.movements)
    day = date(2026, 11, 27)
    moves: list[Movement] = []
    for i, inv in enumerate(chosen):
        r = i % 10
        if r < 8:
            amount = inv.total if r < 6 else (inv.total / 2).quantize(Decimal("0.01"))
            moves.append(Movement(amount, f"B{i:08d}", day, structured=inv.ogm, name=inv.client_name))
        elif r == 8:
            moves.append(Movement(inv.total, f"B{i:08d}", day, text=f"facture {inv.number}"))
        elif i % 20 == 9:
            moves.append(Movement(inv.total, f"B{i:08d}", day, text="payment", name=inv.client_name))
        else:
            moves.append(Movement(Decimal(-1 - i % 50), f"B{i:08d}", day, text="fees"))
    data = coda(moves).encode("latin-1")
    t0 = time.perf_counter()
    service.parse_file("bench.cod", data)
    parse_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    report = service.import_files(engine, [("bench.cod", data)])
    first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    again = service.import_files(engine, [("bench.cod", data)])
    replay = time.perf_counter() - t0
    print(
        f"{engine.dialect.name}: {report.transactions:,} movements ({len(data) / 1e6:.1f} MB CODA) against "
        f"{len(invoices):,} invoices: import + match + record {first:.2f} s wall, {first_cpu:.2f} s CPU of this "
        f"process (parsing alone {parse_s:.2f} s); "
        f"states {dict(sorted(report.states.items()))}"
    )
    print(
        f"{engine.dialect.name}: the same file again: {replay:.2f} s, {again.already_recorded:,} already recorded, "
        f"{sum(again.states.values())} new; target <= 2 s"
    )
    load = os.getloadavg()[0]
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} cores (figures scale with it)")
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
