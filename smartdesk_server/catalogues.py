"""Lists the cooperative publishes to every member's app: the expense categories and the entities'
legal identities (``smartdesk_server/identities.py``).

Kept in the ``meta`` table (JSON) with a short version (a hash of the content). Every pull answer
carries ``catalogue_version``; an app whose stored version differs fetches ``GET /sync/v1/catalogues``.
Until staff set a list (``smartdesk-server set-expense-categories FILE``), the built-in list of the
desktop app is served, so both sides agree from the first sync.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine

from smartdesk.domain.expenses import LABEL_LANGUAGES, parse_category
from smartdesk_server.db import read, write
from smartdesk_server.store import get_meta, set_meta

KEY = "expense_categories"
VERSION_KEY = "expense_categories_version"  # read by every pull: kept apart from the (bigger) list
MAX_CATEGORIES = 200


def _version(categories: list[dict[str, Any]]) -> str:
    canonical = json.dumps(categories, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@cache
def _builtin() -> tuple[str, str]:
    text = resources.files("smartdesk.domain").joinpath("data/expense_categories.json").read_text("utf-8")
    categories = json.loads(text)["categories"]
    return _version(categories), json.dumps(categories, ensure_ascii=False)


def current(conn: Connection) -> tuple[str, list[dict[str, Any]]]:
    """(version, categories) as served now."""
    stored = get_meta(conn, KEY)
    if stored is None:
        version, text = _builtin()
        return version, list(json.loads(text))
    data = json.loads(stored)
    return str(data["version"]), list(data["categories"])


def current_version(conn: Connection) -> str:
    return get_meta(conn, VERSION_KEY) or _builtin()[0]


def combined_version(expense_version: str, entities_version: str) -> str:
    """The ``catalogue_version`` of every pull: the expense list's own version while no identity is
    published (what older servers sent), else a hash of both."""
    if not entities_version:
        return expense_version
    return hashlib.sha256(f"{expense_version}:{entities_version}".encode("ascii")).hexdigest()[:16]


def refresh_version(conn: Connection) -> str:
    """Write the combined version after any published list changed (inside that transaction)."""
    from smartdesk_server import identities

    version = combined_version(current(conn)[0], identities.version(conn))
    set_meta(conn, VERSION_KEY, version)
    return version


def builtin_version() -> str:
    """The version of the built-in list (served until the cooperative publishes its own)."""
    return _builtin()[0]


def check(categories: Any) -> list[dict[str, Any]]:
    """The list as it will be served, or ValueError saying in plain words what is wrong."""
    if isinstance(categories, dict):
        categories = categories.get("categories")
    if not isinstance(categories, list) or not categories:
        raise ValueError('give a JSON list of categories (or {"categories": [...]}), at least one')
    if len(categories) > MAX_CATEGORIES:
        raise ValueError(f"at most {MAX_CATEGORIES} categories")
    seen: set[str] = set()
    for i, raw in enumerate(categories, start=1):
        parsed = parse_category(raw) if isinstance(raw, dict) else None
        if parsed is None:
            raise ValueError(f"category {i} has no “code”")
        if parsed.code in seen:
            raise ValueError(f"the code “{parsed.code}” is used twice")
        seen.add(parsed.code)
        missing = [lang for lang in LABEL_LANGUAGES if not parsed.labels.get(lang)]
        if missing:
            raise ValueError(f"category “{parsed.code}” needs a label in {', '.join(missing)}")
        if len(parsed.code) > 40 or any(len(v) > 120 for v in parsed.labels.values()):
            raise ValueError(f"category “{parsed.code}”: the code is at most 40 characters, a label 120")
    return categories


def set_expense_categories(engine: Engine, categories: Any) -> str:
    """Publish a new list (checked first); returns its version. Apps pick it up at their next sync."""
    checked = check(categories)
    version = _version(checked)
    with write(engine) as conn:
        set_meta(conn, KEY, json.dumps({"version": version, "categories": checked}, ensure_ascii=False))
        refresh_version(conn)
    return version


def get(engine: Engine) -> dict[str, Any]:
    from smartdesk_server import identities

    with read(engine) as conn:
        version, categories = current(conn)
        entities = identities.published(conn)
        combined = combined_version(version, identities.version(conn))
    return {
        "version": combined,
        "expense_categories_version": version,
        "expense_categories": categories,
        "entities": [entities[code] for code in sorted(entities)],
    }
