"""Tables of e-invoices and deliveries (created by migration 0004_delivery), on the server's one metadata."""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, LargeBinary, String, Table, Text

from smartdesk_server.db import id_column, metadata, sha256_column, time_column

# the archived e-invoice XML, content-addressed: one row per distinct content
einvoice_files = Table(
    "einvoice_files",
    metadata,
    sha256_column(primary_key=True),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    time_column("created_at"),
)

# the e-invoice of each validated document (beside the document's record)
einvoice_documents = Table(
    "einvoice_documents",
    metadata,
    id_column("document_id", primary_key=True),
    id_column("member_id", nullable=False),
    Column("syntax", String(10), nullable=False),  # ubl | cii
    sha256_column(nullable=False),
    Column("rule_sets", Text, nullable=False, default=""),
    Column("warnings", Integer, nullable=False, default=0),
    time_column("created_at"),
)

# the delivery queue: one row per validated invoice or credit note
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", String(32), primary_key=True),
    id_column("document_id", nullable=False, unique=True),
    id_column("member_id", nullable=False),
    Column("status", String(20), nullable=False),  # queued|delivered|rejected|bounced|failed|manual
    Column("channel", String(10), nullable=False, default=""),  # peppol | email | "" (not chosen yet)
    Column("recipient", String(320), nullable=False, default=""),
    Column("reason", Text, nullable=False, default=""),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_at", Float, nullable=False),  # epoch seconds of the next attempt
    Column("claimed_until", Float, nullable=False, default=0.0),  # a worker holds it until then
    Column("message_id", String(200), nullable=False, default=""),
    time_column("created_at"),
    time_column("updated_at"),
    Index("ix_deliveries_status_next", "status", "next_at"),
)
