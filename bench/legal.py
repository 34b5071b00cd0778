"""Legal checks benchmark (issue 13): prints median timings (never asserts them).

    .venv/bin/python bench/legal.py [--runs N]

- ``validate_document`` of a 300-line invoice with accented text (now also checking every printed text
  against the font's code points, decision 0020), and of a 20-line one;
- ``printable_text`` on the 20-line invoice's texts (what the renderer adds per drawn text);
- the 20-line invoice rendered (so the added cost can be read against a whole render).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import median_ms  # noqa: E402
from smartdesk.domain.printable import printable_text  # noqa: E402
from smartdesk.domain.validation import validate_document  # noqa: E402
from smartdesk.pdf import render_document  # noqa: E402
from tests.unit import pdf_fixtures as fx  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    small, big = fx.invoice(20), fx.invoice(300)
    client = fx.client_be()
    texts = [line.description for line in small.lines] + [client.name, small.title]
    figures = {
        "validate 20 lines": median_ms(
            lambda: validate_document(small, client=client, entity=fx.BE, for_submit=True), runs
        ),
        "validate 300 lines": median_ms(
            lambda: validate_document(big, client=client, entity=fx.BE, for_submit=True), runs
        ),
        "printable_text, 20-line texts": median_ms(lambda: [printable_text(t) for t in texts], runs),
        "render 20 lines": median_ms(
            lambda: render_document(
                small, client=client, activity=fx.activity(), entity=fx.BE, profile=fx.profile()
            ),
            runs,
        ),
    }
    for name, ms in figures.items():
        print(f"{name:32s} {ms:8.3f} ms (median of {runs})")


if __name__ == "__main__":
    main()
