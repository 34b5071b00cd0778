"""The mutation handlers of a push, by mutation name (``HANDLERS``): each checks its arguments and
the member's ownership, then writes through the push's :class:`~smartdesk_server.store.Tx`; a refusal
is a :class:`~smartdesk_server.errors.Rejection`. ``args`` holds the checks they share, ``documents``
and ``members`` the handlers (``smartdesk_server.sync`` runs them, one savepoint each)."""

from __future__ import annotations

from typing import Any

from smartdesk_server.errors import Rejection
from smartdesk_server.mutations import documents, members
from smartdesk_server.mutations.args import Handler, args_object
from smartdesk_server.mutations.documents import set_status, submit_problems
from smartdesk_server.mutations.members import add_request_message
from smartdesk_server.store import Tx

HANDLERS: dict[str, Handler] = {**members.HANDLERS, **documents.HANDLERS}


def apply_mutation(tx: Tx, name: Any, args: Any, base: int) -> dict[str, Any] | None:
    handler = HANDLERS.get(name) if isinstance(name, str) else None
    if handler is None:
        raise Rejection(
            "unknown_mutation", f"“{str(name)[:60]}” is not a change this server knows. Update SmartDesk."
        )
    handler(tx, args_object(args), base)
    return None


__all__ = ["HANDLERS", "add_request_message", "apply_mutation", "set_status", "submit_problems"]
