"""The server's migrations build exactly the schema its code declares (``db.py`` and the tables of
statements, deliveries and archives, with their shared column factories), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from smartdesk_server.db import metadata, read
from tests.server.conftest import RunningServer


def test_the_migrated_database_has_the_declared_tables_columns_and_indexes(srv: RunningServer) -> None:
    with read(srv.engine) as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
