"""Named failpoints for the crash tests, and the retry back-off.

``SMARTDESK_FAILPOINT=name`` (several names separated by commas) makes the process end at once
(``os._exit(137)``, as if killed by SIGKILL: no cleanup, no flush) when it reaches ``failpoint(name)``.
``SMARTDESK_FAILPOINT=name@N`` ends it at the N-th time the point is reached. Without the variable a
failpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import random
from collections import Counter

ENV = "SMARTDESK_FAILPOINT"

# Every failpoint the sync engine reaches, in the order of one run (documented in docs/sync.md).
FAILPOINTS = (
    "blob.before_upload",  # before a receipt upload starts
    "blob.mid_upload",  # after the first chunk of a receipt was sent
    "blob.after_upload",  # the server has the receipt; the local flag is not yet set
    "push.before_send",  # a batch is about to be sent
    "push.after_send",  # the server applied the batch; its answer is not read yet
    "push.after_response",  # the answer was read; nothing local changed
    "pull.after_response",  # pulled changes are in memory; nothing applied yet
    "pull.mid_apply",  # inside the local transaction, half of the changes written
    "pull.before_commit",  # everything written, transaction not committed
    "pull.after_commit",  # changes, acknowledgements and cursor committed
)

_hits: Counter[str] = Counter()


def _armed() -> dict[str, int]:
    raw = os.environ.get(ENV, "")
    armed: dict[str, int] = {}
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        name, _, count = part.partition("@")
        armed[name] = int(count) if count.isdigit() else 1
    return armed


def failpoint(name: str) -> None:
    """End the process here when the failpoint ``name`` is armed (crash tests only)."""
    if ENV not in os.environ:
        return
    armed = _armed()
    if name not in armed:
        return
    _hits[name] += 1
    if _hits[name] >= armed[name]:
        os._exit(137)


def backoff_delay(
    attempt: int, base: float = 1.0, cap: float = 300.0, rng: random.Random | None = None
) -> float:
    """Seconds to wait before retry number ``attempt`` (0 = first retry): exponential with jitter.

    The ceiling doubles with each attempt up to ``cap``; the delay is drawn between half the ceiling
    and the ceiling, so thousands of clients coming back online do not retry in step.
    """
    ceiling = min(cap, base * (2 ** max(0, attempt)))
    return (rng or random).uniform(ceiling / 2, ceiling)
