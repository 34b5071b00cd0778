"""The table of issued documents' archives (created by migration 0005_identity), on the server's one
metadata; the code that fills and serves it is ``archive.py``."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Table, Text

from smartdesk_server.db import id_column, metadata, sha256_column, time_column

issued_archives = Table(
    "issued_archives",
    metadata,
    id_column("document_id", primary_key=True),
    id_column("member_id", nullable=False),
    # one row per PDF a document was issued as: the original, then the one a credit note reissued
    sha256_column(primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("stamped", Text, nullable=False),
    time_column("created_at"),
    Index("ix_issued_archives_sha_member", "sha256", "member_id"),
)
