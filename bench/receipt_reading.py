"""Benchmark: reading generated receipts on the device (per-field accuracy and time per receipt).

Generates N receipt images with their true values (tests/support/receipt_samples.py: layouts, fonts,
FR/NL/DE/EN, thermal paper, rotation, blur, perspective, JPEG noise), PDFs with a text layer (half with an
EPC QR code) and a 12-megapixel photo, reads them with ``smartdesk.receipts.reading.read`` and prints
accuracy per field (exact match after normalization) and times. Prints figures; asserts nothing.

    .venv/bin/python bench/receipt_reading.py [--count 200] [--pdfs 20] [--engine tesseract|rapidocr]

Targets: date and total >= 95 %, VAT amounts >= 90 %, supplier VAT number >= 90 % where printed,
12 MP photo <= 1.5 s, PDFs with text 100 % on every field they carry.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smartdesk.receipts.reading import ReceiptReading, get_engine, read  # noqa: E402
from tests.support.receipt_samples import ReceiptTruth, photo_12mp, receipt_image, receipt_pdf  # noqa: E402

FIELDS = ("date", "total", "vat", "supplier_vat", "supplier", "number", "payment_method")


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def score(reading: ReceiptReading, truth: ReceiptTruth, pdf: bool = False) -> dict[str, bool | None]:
    """True / False per field; None when the receipt does not print that field."""
    got_vat = {(v.rate, v.vat) for v in reading.vat_lines}
    want_vat = {(Decimal(r), tax) for r, (_b, tax) in truth.vat.items()}
    return {
        "date": reading.date is not None and reading.date.value == truth.date,
        "total": reading.total is not None and reading.total.value == truth.total,
        "vat": got_vat == want_vat,
        "supplier_vat": None
        if truth.supplier_vat is None
        else (reading.supplier_vat is not None and reading.supplier_vat.value == truth.supplier_vat),
        "supplier": reading.supplier is not None and _norm(reading.supplier.value) == _norm(truth.supplier),
        "number": reading.number is not None and reading.number.value == truth.number,
        "payment_method": reading.payment_method is not None
        and reading.payment_method.value == truth.payment_method,
    }


def report(title: str, results: list[dict[str, bool | None]]) -> None:
    print(f"\n{title}: {len(results)} files")
    for name in FIELDS:
        values = [r[name] for r in results if r[name] is not None]
        if values:
            print(f"  {name:15s} {100 * sum(values) / len(values):6.1f} %  ({sum(values)}/{len(values)})")


def site_size(names: list[str]) -> float:
    """MB taken by these folders of site-packages (packages and the wheels' bundled ``*.libs``)."""
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    total = 0
    for name in names:
        for path in (site / name).rglob("*"):
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def cpu_time() -> float:
    """CPU seconds of this process (all threads) and of its finished children (the tesseract program)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--engine", default="tesseract", choices=["tesseract", "rapidocr"])
    parser.add_argument("--photo-runs", type=int, default=3)
    parser.add_argument("--failures", action="store_true", help="print the seeds and fields that failed")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    engine = get_engine(args.engine)
    if engine is None:
        print(f"engine {args.engine} is not installed")
        return
    print(f"engine {engine.name}: loaded in {time.perf_counter() - t0:.2f} s")

    results, times, cpu = [], [], []
    for seed in range(args.count):
        data, truth = receipt_image(seed)
        t, c = time.perf_counter(), cpu_time()
        reading = read(data, f"{seed}.jpg", engine=engine)
        times.append(time.perf_counter() - t)
        cpu.append(cpu_time() - c)
        results.append(score(reading, truth))
        if args.failures and not all(v in (True, None) for v in results[-1].values()):
            print(f"  seed {seed}: " + ", ".join(k for k, v in results[-1].items() if v is False))
    report(f"generated receipt images ({args.engine})", results)
    if times:
        print(
            f"  time per receipt: median {statistics.median(times):.2f} s, "
            f"p90 {sorted(times)[int(len(times) * 0.9)]:.2f} s wall; median {statistics.median(cpu):.2f} s CPU "
            f"(all threads and child processes)"
        )

    pdf_results = []
    for seed in range(10_000, 10_000 + args.pdfs):
        data, truth = receipt_pdf(seed, with_qr=seed % 2 == 0)
        pdf_results.append(score(read(data, f"{seed}.pdf", engine=engine), truth, pdf=True))
    report("PDFs with text (every other one with an EPC QR code)", pdf_results)

    photo_times, photo_cpu = [], []
    photo_ok = []
    for run in range(args.photo_runs):
        data, truth = photo_12mp(20_000 + run)
        t, c = time.perf_counter(), cpu_time()
        reading = read(data, "photo.jpg", engine=engine)
        photo_times.append(time.perf_counter() - t)
        photo_cpu.append(cpu_time() - c)
        photo_ok.append(score(reading, truth))
    if photo_times:
        print(
            f"\n12-megapixel photo (4000 x 3000 JPEG, {len(data) / 1e6:.1f} MB): median "
            f"{statistics.median(photo_times):.2f} s wall, {statistics.median(photo_cpu):.2f} s CPU; "
            f"date+total right in {sum(r['date'] and r['total'] for r in photo_ok)}/{len(photo_ok)}"
        )
    if args.engine == "rapidocr":
        folders = [
            "rapidocr_onnxruntime",
            "onnxruntime",
            "cv2",
            "opencv_python.libs",
            "numpy",
            "numpy.libs",
            "shapely",
            "shapely.libs",
            "pyclipper",
        ]
        print(f"\ninstalled size: {' + '.join(folders)} = {site_size(folders):.0f} MB")
    if args.engine == "tesseract":
        import subprocess

        packages = [
            "tesseract-ocr",
            "libtesseract5",
            "liblept5",
            "tesseract-ocr-eng",
            "tesseract-ocr-osd",
            "tesseract-ocr-fra",
            "tesseract-ocr-nld",
            "tesseract-ocr-deu",
        ]
        run = subprocess.run(
            ["dpkg-query", "-W", "-f=${Installed-Size}\\n", *packages],
            capture_output=True,
            text=True,
            check=False,
        )
        kb = sum(int(x) for x in run.stdout.split() if x.isdigit())
        print(f"\ninstalled size: {' + '.join(packages)} = {kb / 1000:.0f} MB (Debian)")
    print(f"load after: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
