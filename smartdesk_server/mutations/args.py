"""What every mutation handler checks first: its arguments (types and bounds), that a record it names
is the member's own, and the merge of the member's changed fields over the server's record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from smartdesk.errors import ValidationError
from smartdesk.sync import protocol as P
from smartdesk_server.errors import Rejection
from smartdesk_server.limits import is_canonical_uuid
from smartdesk_server.store import Record, Tx, get_record

Handler = Callable[[Tx, dict[str, Any], int], None]
T = TypeVar("T")


def whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def args_object(args: Any) -> dict[str, Any]:
    if not isinstance(args, dict):
        raise Rejection("invalid", "The mutation's args must be an object.")
    return args


def text_arg(args: dict[str, Any], key: str, *, max_len: int = P.MAX_TEXT, required: bool = True) -> str:
    value = args.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise Rejection("invalid", f"“{key}” must be text.")
    if len(value) > max_len:
        raise Rejection("invalid", f"“{key}” is too long (at most {max_len} characters).")
    return value


def id_arg(args: dict[str, Any], key: str = "id") -> str:
    value = args.get(key)
    if not is_canonical_uuid(value):
        raise Rejection("invalid", f"“{key}” must be an identifier (a UUID of 36 characters).")
    return str(value)


def owned(tx: Tx, type_: str, id_: str, *, for_update: bool = True) -> Record | None:
    rec = get_record(tx.conn, type_, id_, for_update=for_update)
    if rec is not None and rec.member_id != tx.member_id:
        raise Rejection("not_found", f"This {type_} does not exist or is not yours.")
    return rec


def changed_arg(args: dict[str, Any], allowed: tuple[str, ...], default: list[str]) -> list[str]:
    changed = args.get("changed")
    if changed is None:
        return default
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed) or len(changed) > 100:
        raise Rejection("invalid", "“changed” must be a list of field names.")
    return [c for c in dict.fromkeys(changed) if c in allowed]


def problems_of(exc: ValidationError) -> list[dict[str, str]]:
    return [p.as_dict() for p in exc.problems][:100]


def record_arg(args: dict[str, Any], key: str, read: Callable[[Any, str], T]) -> T:
    """The record ``args[key]`` read by ``read`` (``client_from_dict``...), or its problems refused."""
    try:
        return read(args.get(key), key)
    except ValidationError as exc:
        raise Rejection("invalid", str(exc), problems=problems_of(exc)) from None


def merge(
    tx: Tx,
    existing: Record | None,
    incoming: dict[str, Any],
    changed: list[str],
    base: int,
    what: str,
    before: Any = None,
) -> dict[str, Any]:
    """Apply ``changed`` fields of ``incoming`` over the server value; conflict on a same-field change.

    ``before`` (optional): the values the client's edit started from. A field the server changed since
    ``base`` but that still holds the client's starting value is no conflict: it is the client's own
    earlier edit (several edits of one device queued against the same base version).
    """
    if existing is None or existing.deleted or existing.body is None:
        return incoming
    server = existing.body
    started = before if isinstance(before, dict) else {}
    clashing = [
        f
        for f in changed
        if existing.field_versions.get(f, 0) > base
        and server.get(f) != incoming.get(f)
        and not (f in started and server.get(f) == started[f])
    ]
    if clashing:
        raise Rejection(
            "conflict",
            f"This {what} was changed elsewhere ({', '.join(clashing)}) since you last "
            "synced. Choose which version to keep.",
            status=P.STATUS_CONFLICT,
            server_value=server,
            server_version=existing.version,
        )
    merged = dict(server)
    for f in changed:
        merged[f] = incoming.get(f)
    return merged
