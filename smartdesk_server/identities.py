"""The cooperative's legal identities (one per entity, BE and FR), configured by staff and published to
every member's app beside the expense categories (decision 0005).

``smartdesk-server set-entity FILE.json`` checks the file strictly (``smartdesk.domain.identity``) and
stores it in the ``meta`` table; each pull's ``catalogue_version`` then changes and the apps fetch
``GET /sync/v1/catalogues``, whose ``entities`` list they keep locally. At validation the server stamps
the entity's identity on the document (:func:`stamp`): the configured one, else the app's built-in
identity, which is a demonstration identity and says so (``demo``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, Engine

from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.identity import MAX_FILE_BYTES, identity_to_dict, parse_identity
from smartdesk_server.db import read, write
from smartdesk_server.store import get_meta, set_meta

KEY = "entities"


def published(conn: Connection) -> dict[str, dict[str, Any]]:
    """The configured identities by entity code (JSON form, as served)."""
    stored = get_meta(conn, KEY)
    if not stored:
        return {}
    data = json.loads(stored)
    return {str(k): dict(v) for k, v in (data.get("entities") or {}).items()}


def _version(entities: dict[str, dict[str, Any]]) -> str:
    if not entities:
        return ""
    canonical = json.dumps(entities, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def version(conn: Connection) -> str:
    stored = get_meta(conn, KEY)
    return str(json.loads(stored).get("version") or "") if stored else ""


def check(data: Any) -> dict[str, Any]:
    """The identity as it will be stored and served, or ValueError saying in plain words what is wrong."""
    return identity_to_dict(parse_identity(data))


def check_file_text(raw: bytes) -> dict[str, Any]:
    """The identity in a file's bytes: bounded, UTF-8, one JSON object (ValueError otherwise)."""
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"the file is larger than {MAX_FILE_BYTES // 1024} KB; an identity is a few lines")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ValueError("the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return check(data)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in the file")


def set_entity(engine: Engine, data: Any) -> str:
    """Publish (or replace) one entity's identity; returns the new catalogue version."""
    from smartdesk_server import catalogues

    identity = check(data)
    with write(engine) as conn:
        entities = published(conn)
        entities[identity["code"]] = identity
        set_meta(
            conn,
            KEY,
            json.dumps({"version": _version(entities), "entities": entities}, ensure_ascii=False),
        )
        return catalogues.refresh_version(conn)


def get(engine: Engine) -> dict[str, dict[str, Any]]:
    with read(engine) as conn:
        return published(conn)


def stamp(conn: Connection, code: str) -> dict[str, Any]:
    """The identity stamped on a document validated now: the configured one, else the built-in
    demonstration identity (marked ``demo``: a server without ``set-entity`` issues demo documents)."""
    entities = published(conn)
    if code in entities:
        return entities[code]
    builtin = BUILTIN_ENTITIES.get(code, BUILTIN_ENTITIES["BE"])
    return {**identity_to_dict(builtin), "demo": True}
