"""Every SQL statement on ``settings`` (JSON values by key, the member profile among them) and
``snippets`` (saved lines and texts)."""

from __future__ import annotations

from typing import Any

from smartdesk.store.connection import Connection


def get_setting(conn: Connection, key: str) -> str | None:
    """The JSON text stored under ``key``, or None."""
    value = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).scalar()
    return None if value is None else str(value)


def put_setting(conn: Connection, key: str, data: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, data),
    )


def snippets(conn: Connection, kind: str | None = None) -> list[tuple[Any, ...]]:
    """(id, kind, title, body JSON) of the snippets (of one kind), by title."""
    return conn.execute(
        "SELECT id, kind, title, body FROM snippets"
        + (" WHERE kind = ?" if kind else "")
        + " ORDER BY title",
        (kind,) if kind else (),
    ).tuples()


def put_snippet(
    conn: Connection, snippet_id: str, kind: str, title: str, body_json: str, updated_at: str
) -> None:
    conn.execute("DELETE FROM snippets WHERE id = ?", (snippet_id,))
    conn.execute(
        "INSERT INTO snippets (id, kind, title, body, updated_at) VALUES (?, ?, ?, ?, ?)",
        (snippet_id, kind, title, body_json, updated_at),
    )


def delete_snippet(conn: Connection, snippet_id: str) -> None:
    conn.execute("DELETE FROM snippets WHERE id = ?", (snippet_id,))
