"""Alembic environment for the local store (run programmatically by smartdesk.store.database).

No ``target_metadata``: the schema is defined by the migrations themselves, each frozen as explicit
operations (decision 7); there is no model to autogenerate from. A new revision is written by hand
(``script.py.mako``), with the next number, and a saved database of the release before it is kept in
``tests/fixtures/``.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
