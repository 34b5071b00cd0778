"""What the member should hear about after a pull: found in the pulled pages themselves.

A ``SyncClient`` subclass (``make_watching_client``) looks at each pulled page before the engine
applies it, and compares it with the local rows it replaces (``ws.sync.document_statuses``): only real
transitions are announced (validated, returned with remarks, paid, a reminder about to go out), not
a full re-download nor the documents this computer sees for the first time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_log = logging.getLogger(__name__)

# Statuses set by the cooperative that the member wants to hear about.
NOTIFY_STATUSES = (
    "validated",
    "returned",
    "rejected",
    "paid",
    "partially_paid",
    "reimbursed",
    "reminder_1",
    "reminder_2",
    "formal_notice",
    "litigation",
)

Statuses = Callable[[list[str]], dict[str, str]]


@dataclass(frozen=True)
class News:
    """Something the cooperative did that the member should see (one notification)."""

    kind: str  # "status" or "notice" (a reminder about to go out)
    document_id: str
    document_kind: str  # quote | invoice | credit-note | expense-note ("" when unknown)
    title: str
    number: str
    status: str = ""  # the new status ("status" news)
    remarks: str = ""
    step: str = ""  # "notice": reminder_1 | reminder_2 | formal_notice | litigation
    on: str = ""  # "notice": the day the step is taken (ISO date)


def make_watching_client(base: type, statuses: Statuses, sink: list[News], changed: set[str]) -> Any:
    """A ``SyncClient`` that notes, for each pulled page, the documents that changed and the news.
    ``statuses(ids)``: the local status of those documents (``ws.sync.document_statuses``)."""

    class WatchingClient(base):  # type: ignore[misc, valid-type]
        def pull(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
            answer: dict[str, Any] = super().pull(*args, **kwargs)
            try:
                watch_page(statuses, answer, sink, changed)
            except Exception as exc:  # noqa: BLE001 - news are a courtesy; sync must go on
                _log.warning("could not read the pulled changes for notifications: %s", exc)
            return answer

    return WatchingClient


def watch_page(statuses: Statuses, answer: dict[str, Any], sink: list[News], changed: set[str]) -> None:
    """Add to ``changed`` the documents of one pulled page, and to ``sink`` what to announce."""
    if answer.get("reset_required"):
        return
    docs: dict[str, dict[str, Any]] = {}
    for ch in answer.get("changes") or []:
        entity, value = ch.get("entity"), ch.get("value")
        if entity == "document":
            changed.add(str(ch.get("id")))
            if isinstance(value, dict):
                docs[str(ch.get("id"))] = value
        elif entity == "notice" and isinstance(value, dict) and not ch.get("deleted"):
            sink.append(
                News(
                    "notice",
                    str(value.get("document_id", "")),
                    "",
                    str(value.get("title", "")),
                    str(value.get("number", "")),
                    step=str(value.get("step", "")),
                    on=str(value.get("on", "")),
                )
            )
    if not docs:
        return
    before = statuses(list(docs))
    for doc_id, value in docs.items():
        status = str(value.get("status", ""))
        old = before.get(doc_id)
        if old is None or old == status or status not in NOTIFY_STATUSES:
            continue  # new to this computer (another device, a full refresh) or no change of status
        sink.append(
            News(
                "status",
                doc_id,
                str(value.get("kind", "")),
                str(value.get("title", "")),
                str(value.get("number", "")),
                status=status,
                remarks=str(value.get("remarks", "")),
            )
        )
