"""How the cooperative delivered a validated invoice or credit note, as the last sync brought it.

The server sends one ``delivery`` record per document (id ``DOCUMENT_ID:DELIVERY_ID``; see
docs/delivery.md): queued, delivered (over Peppol or by e-mail), rejected by the client's access
point, bounced by its mail server, failed after many attempts, or left to the staff (manual).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartdesk.sync import local

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

STATUSES = ("queued", "delivered", "rejected", "bounced", "failed", "manual")
CHANNELS = ("peppol", "email")


@dataclass(frozen=True)
class Delivery:
    status: str  # one of STATUSES ("" when a newer server sends one this app does not know)
    channel: str  # "peppol", "email" or "" (not chosen yet / unknown)
    recipient: str  # the client's Peppol id or e-mail address
    reason: str  # why it was refused or is waiting (the cooperative's words, English)
    at: str  # when the status was last set (ISO)
    einvoice_syntax: str  # "ubl", "cii" or "" (no e-invoice: a private client)

    @property
    def needs_attention(self) -> bool:
        return self.status in ("rejected", "bounced", "failed", "manual")


def _text(value: object, limit: int = 4000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _delivery(value: object) -> Delivery | None:
    if not isinstance(value, dict):
        return None
    status, channel = _text(value.get("status"), 20), _text(value.get("channel"), 20)
    einv = value.get("einvoice")
    syntax = _text(einv.get("syntax"), 10) if isinstance(einv, dict) else ""
    return Delivery(
        status if status in STATUSES else "",
        channel if channel in CHANNELS else "",
        _text(value.get("recipient"), 320),
        _text(value.get("reason")),
        _text(value.get("at"), 40),
        syntax if syntax in ("ubl", "cii") else "",
    )


class DeliveryService:
    """``ws.deliveries``: the cooperative's delivery of each validated document, offline after a sync."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def latest(self, document_id: str) -> Delivery | None:
        """The document's delivery as last synced (None before the cooperative queued one)."""
        found = [d for d in map(_delivery, local.records_of(self._ws.store, "delivery", document_id)) if d]
        return max(found, key=lambda d: d.at) if found else None
