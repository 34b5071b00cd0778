"""The cooperative's Peppol access point, behind one small interface.

The real Peppol network (SML/SMP lookup, AS4 sending) is out of reach here; :class:`HttpAccessPoint`
speaks the small HTTP API that the local access point (:mod:`.local_ap`) serves, and a provider's
API would be one more implementation of :class:`AccessPoint`:

- ``GET  {url}/participants/{SCHEME:ID}`` -> 200 (registered) or 404;
- ``POST {url}/messages`` (body: the UBL XML; headers ``X-Peppol-Sender``, ``X-Peppol-Receiver``)
  -> 200 ``{"status": "delivered", "message_id"}`` or ``{"status": "rejected", "reason"}``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

MAX_ANSWER = 64 * 1024


@dataclass(frozen=True)
class SendResult:
    delivered: bool
    reason: str = ""  # why the access point rejected it (plain words, rule ids)
    message_id: str = ""


class AccessPointUnavailable(Exception):
    """The access point cannot be reached or answered nonsense: try again later."""


class AccessPoint(Protocol):
    def lookup(self, participant: str) -> bool:
        """Whether ``SCHEME:ID`` can receive Peppol BIS 3.0 invoices."""
        ...

    def send(self, sender: str, receiver: str, xml: bytes) -> SendResult: ...


class HttpAccessPoint:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _open(self, request: urllib.request.Request) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 - configured URL
                return int(answer.status), answer.read(MAX_ANSWER)
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read(MAX_ANSWER)
        except (urllib.error.URLError, OSError) as exc:
            raise AccessPointUnavailable(f"The access point {self.url} cannot be reached ({exc}).") from None

    def lookup(self, participant: str) -> bool:
        status, _ = self._open(
            urllib.request.Request(f"{self.url}/participants/{urllib.parse.quote(participant, safe='')}")
        )
        if status == 200:
            return True
        if status == 404:
            return False
        raise AccessPointUnavailable(f"The access point answered {status} to a participant lookup.")

    def send(self, sender: str, receiver: str, xml: bytes) -> SendResult:
        status, raw = self._open(
            urllib.request.Request(
                f"{self.url}/messages",
                data=xml,
                method="POST",
                headers={
                    "Content-Type": "application/xml",
                    "X-Peppol-Sender": sender,
                    "X-Peppol-Receiver": receiver,
                },
            )
        )
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            answer = None
        if (
            status != 200
            or not isinstance(answer, dict)
            or answer.get("status") not in ("delivered", "rejected")
        ):
            raise AccessPointUnavailable(f"The access point answered {status} without a delivery status.")
        if answer["status"] == "delivered":
            return SendResult(True, message_id=str(answer.get("message_id", ""))[:200])
        return SendResult(False, reason=str(answer.get("reason", "no reason given"))[:4000])
