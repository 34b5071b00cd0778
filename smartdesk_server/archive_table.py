"""The table of issued documents' archives (created by migration 0005_identity), on the server's one
metadata; the code that fills and serves it is ``archive.py``."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary, String, Table, Text

from smartdesk_server.db import metadata

issued_archives = Table(
    "issued_archives",
    metadata,
    Column("document_id", String(36), primary_key=True),
    Column("member_id", String(36), nullable=False),
    # one row per PDF a document was issued as: the original, then the one a credit note reissued
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("stamped", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Index("ix_issued_archives_sha_member", "sha256", "member_id"),
)
