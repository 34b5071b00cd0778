"""SmartDesk runtime hook: runs inside the frozen app before ``smartdesk`` is imported."""

import os
import sys

# A windowed Windows/macOS build has no console: print() would fail on a None stream. Keep the
# output of ``--self-test`` and ``--version`` working (they go nowhere, but nothing crashes).
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
