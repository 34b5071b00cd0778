"""The local store: outbox in the same transaction, lists, search, backups, migrations, integrity."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smartdesk.domain.documents import Activity, Address, Client, DocumentKind, Line
from smartdesk.errors import StoreError, TransitionError, ValidationError
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.services.demo import load_demo_data
from smartdesk.store import database


def _quote(ws: Workspace) -> tuple[Client, Activity, str]:
    client = ws.clients.save(
        Client(
            name="Atelier Dupont",
            address=Address("Rue Haute 1", "1000", "Bruxelles", "BE"),
            vat_number="BE0999123457",
            language="nl",
        )
    )
    activity = ws.activities.save(Activity(name="Photo"))
    doc = ws.documents.new(DocumentKind.QUOTE, client.id, activity.id)
    return client, activity, doc.id


def test_store_file_settings(workspace: Workspace) -> None:
    con = sqlite3.connect(workspace.store.path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()
    with workspace.store.read() as conn:
        assert conn.execute("PRAGMA foreign_keys").scalar() == 1
        assert conn.execute("PRAGMA synchronous").scalar() == 2  # FULL


def test_every_edit_appends_its_outbox_entry(workspace: Workspace) -> None:
    client, activity, doc_id = _quote(workspace)
    before = workspace.store.outbox_count()
    records_before = workspace.sync.pending_changes()
    doc = workspace.documents.get(doc_id)
    assert doc.language == "nl", "the client's language becomes the document's"
    doc.lines.append(Line(description="Shooting", quantity=Decimal(2), unit="DAY", unit_price=Decimal(450)))
    workspace.documents.save(doc)
    entries = workspace.store.outbox_entries()
    assert workspace.store.outbox_count() == before + 1
    assert workspace.sync.pending_changes() == records_before == 3  # client, activity, quote: one each
    last = entries[-1]
    assert last.name == "document.put" and last.entity_id == doc_id
    assert last.args["changed"] == ["lines"]
    assert last.args["document"]["lines"][0]["unit_price"] == "450"
    assert [e.mutation_id for e in entries] == sorted(e.mutation_id for e in entries)
    assert workspace.store.outbox_head() == last.mutation_id, "the sync poll's cheap 'anything new?' check"
    with workspace.store.write() as conn:
        workspace.store.drop_acknowledged(conn, last.mutation_id)
    assert workspace.store.outbox_head() == 0 and workspace.sync.pending_changes() == 0


def test_uuid7_ids_and_empty_legal_number(workspace: Workspace) -> None:
    _, _, doc_id = _quote(workspace)
    assert doc_id[14] == "7"
    assert workspace.documents.get(doc_id).number == ""


def test_list_filter_sort_page_and_search(workspace: Workspace) -> None:
    load_demo_data(workspace, documents=600)
    everything = workspace.documents.list(DocumentQuery(limit=1000))
    assert everything.total == 600
    invoices = workspace.documents.list(DocumentQuery(kind=DocumentKind.INVOICE, limit=50))
    assert invoices.total == sum(1 for r in everything.rows if r.kind is DocumentKind.INVOICE)
    assert all(r.kind is DocumentKind.INVOICE for r in invoices.rows) and len(invoices.rows) == 50
    dates = [r.issue_date for r in invoices.rows]
    assert dates == sorted(dates, reverse=True)
    paid = workspace.documents.list(DocumentQuery(kind=DocumentKind.INVOICE, status="paid"))
    assert paid.rows and all(r.status == "paid" for r in paid.rows)
    by_total = workspace.documents.list(DocumentQuery(sort="total", descending=False, limit=600)).rows
    assert [r.total_incl for r in by_total] == sorted(r.total_incl for r in by_total)
    page2 = workspace.documents.list(DocumentQuery(offset=50, limit=50)).rows
    assert page2[0].id == everything.rows[50].id
    since = date.today() - timedelta(days=30)
    recent = workspace.documents.list(DocumentQuery(date_from=since, limit=1000)).rows
    assert all(r.issue_date and r.issue_date >= since for r in recent)
    koln = workspace.documents.list(DocumentQuery(text="köln", limit=1000))
    assert koln.total > 0 and all(r.client_name == "Kulturbüro Köln GmbH" for r in koln.rows)
    assert workspace.documents.list(DocumentQuery(text="koln")).total == koln.total, "accents do not matter"
    hits = workspace.documents.search("villeurb")
    assert hits[0].kind == "client" and hits[0].title == "Mairie de Villeurbanne"
    # a page without the count of every match: rows identical, total only what the page proves
    quick = workspace.documents.list(DocumentQuery(text="köln", limit=5), with_total=False)
    assert [r.id for r in quick.rows] == [r.id for r in koln.rows[:5]] and quick.total == len(quick.rows)
    assert workspace.documents.count(DocumentQuery(text="köln")) == koln.total


def test_filter_choices_are_names_without_deleted_clients(workspace: Workspace) -> None:
    client, activity, _doc = _quote(workspace)
    gone = workspace.clients.save(
        Client(name="ancien client", address=Address("Rue 2", "1000", "Bruxelles", "BE"))
    )
    other = workspace.clients.save(
        Client(name="Bureau Zénith", address=Address("Rue 3", "1000", "Bruxelles", "BE"))
    )
    workspace.store.delete_client(gone.id)
    activities, clients = workspace.documents.filter_choices()
    assert activities == [(activity.id, "Photo")]
    assert clients == [(client.id, "Atelier Dupont"), (other.id, "Bureau Zénith")]


def test_locked_documents_cannot_change(workspace: Workspace) -> None:
    _, _, doc_id = _quote(workspace)
    doc = workspace.documents.get(doc_id)
    doc.lines.append(Line(description="Shooting", quantity=Decimal(1), unit_price=Decimal(100)))
    workspace.documents.save(doc)
    workspace.documents.submit(doc_id)
    doc = workspace.documents.get(doc_id)
    doc.title = "changed"
    with pytest.raises(TransitionError, match="can no longer be changed"):
        workspace.documents.save(doc)
    with pytest.raises(TransitionError, match="cannot be deleted"):
        workspace.documents.delete(doc_id)


def test_submit_reports_every_missing_piece(workspace: Workspace) -> None:
    doc = workspace.documents.new(DocumentKind.INVOICE)
    with pytest.raises(ValidationError) as err:
        workspace.documents.submit(doc.id)
    assert {p.code for p in err.value.problems} >= {"required.client", "required.activity", "required.lines"}
    assert workspace.documents.get(doc.id).status == "draft"


def test_delete_and_undo(workspace: Workspace) -> None:
    _, _, doc_id = _quote(workspace)
    doc = workspace.documents.get(doc_id)
    deleted = workspace.documents.delete(doc_id)
    assert workspace.documents.count(DocumentQuery()) == 0
    workspace.documents.restore(deleted)
    back = workspace.documents.get(doc_id)
    assert back.client_id == doc.client_id and back.lines == doc.lines
    names = [e.name for e in workspace.store.outbox_entries()]
    assert names[-2:] == ["document.delete", "document.put"]


def test_duplicate_convert_and_credit(workspace: Workspace) -> None:
    _, _, quote_id = _quote(workspace)
    quote = workspace.documents.get(quote_id)
    quote.lines.append(Line(description="Mix", quantity=Decimal(3), unit="HUR", unit_price=Decimal(60)))
    workspace.documents.save(quote)
    dup = workspace.documents.duplicate(quote_id)
    assert dup.id != quote_id and dup.lines[0].description == "Mix" and dup.lines[0].id != quote.lines[0].id
    invoice = workspace.documents.quote_to_invoice(quote_id)
    assert (
        invoice.kind is DocumentKind.INVOICE and invoice.source_id == quote_id and invoice.status == "draft"
    )
    with pytest.raises(TransitionError, match="no number yet"):
        workspace.documents.credit_note_for(invoice.id)
    # as if the cooperative validated it (applied by sync in real life)
    invoice.status, invoice.number = "validated", "FBE-2026-00001"
    workspace.store.put_document(invoice, enqueue=False)
    note = workspace.documents.credit_note_for(invoice.id)
    assert note.kind is DocumentKind.CREDIT_NOTE and note.corrects_number == "FBE-2026-00001"
    assert note.lines[0].unit_price == Decimal(60)


def test_import_is_all_or_nothing(workspace: Workspace) -> None:
    from smartdesk.domain.documents import Document
    from smartdesk.domain.ids import uuid7

    good = Document(kind=DocumentKind.QUOTE, lines=[Line(description="A", unit_price=Decimal(1))])
    bad = Document(kind=DocumentKind.QUOTE, client_id=uuid7())
    with pytest.raises(ValidationError, match="Nothing was imported"):
        workspace.documents.import_bundle([], [], [good, bad])
    assert workspace.documents.count(DocumentQuery()) == 0
    workspace.documents.import_bundle([], [], [good])
    assert workspace.documents.count(DocumentQuery()) == 1


def test_settings_are_declared_and_checked(workspace: Workspace) -> None:
    assert workspace.settings.ui_language == "fr"
    workspace.settings.set("ui_language", "nl")
    assert workspace.settings.ui_language == "nl"
    with pytest.raises(ValueError, match="choose one of"):
        workspace.settings.set("ui_language", "xx")


def test_daily_backups_rotate(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Workspace.open(folder).close()  # also takes today's copy, in the background
    path = folder / database.DB_NAME
    assert (folder / "backups" / f"smartdesk-{date.today().isoformat()}.sqlite3").exists()
    for old in (folder / "backups").glob("*.sqlite3"):
        old.unlink()
    for i in range(10):
        database.rotate_daily_backup(path, date(2026, 1, 1) + timedelta(days=i))
    copies = sorted((folder / "backups").glob("smartdesk-*.sqlite3"))
    assert len(copies) == database.KEEP_DAILY_BACKUPS
    assert copies[-1].name == "smartdesk-2026-01-10.sqlite3"
    assert database.integrity_problem(copies[-1]) is None


def test_backup_and_restore(workspace: Workspace, tmp_path: Path) -> None:
    _quote(workspace)
    copy = workspace.backup.save(tmp_path / "copy.sqlite3")
    workspace.documents.new(DocumentKind.INVOICE)
    assert workspace.documents.count(DocumentQuery()) == 2
    workspace.backup.restore(copy)
    assert workspace.documents.count(DocumentQuery()) == 1


def test_damaged_file_is_refused_in_plain_words(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Workspace.open(folder).close()
    path = folder / database.DB_NAME
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreError, match="damaged.*Restore"):
        Workspace.open(folder)


def test_migration_copies_the_file_first(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Workspace.open(folder).close()
    path = folder / database.DB_NAME
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0000'")
    con.commit()
    con.close()
    with pytest.raises(StoreError):  # unknown revision: Alembic refuses, nothing lost
        database.migrate(path)
    assert (folder / "backups" / f"before-migration-0000-to-{database.head_revision()}.sqlite3").exists()


def test_member_edit_never_changes_cooperative_fields(workspace: Workspace) -> None:
    _, _, doc_id = _quote(workspace)
    doc = workspace.documents.get(doc_id)
    doc.status, doc.number, doc.remarks, doc.paid_amount = "returned", "Q-1", "Add the date.", Decimal(0)
    workspace.store.put_document(doc, enqueue=False)  # as the sync would apply it
    edited = workspace.documents.get(doc_id)
    edited.status, edited.number, edited.remarks, edited.paid_amount = "validated", "HACK", "", Decimal(5)
    edited.title = "New title"
    workspace.documents.save(edited)
    stored = workspace.documents.get(doc_id)
    assert (stored.status, stored.number, stored.remarks, stored.paid_amount, stored.title) == (
        "returned",
        "Q-1",
        "Add the date.",
        Decimal(0),
        "New title",
    )


def test_full_integrity_check_only_when_due(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Workspace.open(folder).close()
    path = folder / database.DB_NAME
    assert not database.needs_full_check(path), "clean close, untouched, checked today"
    ws = Workspace.open(folder)  # open and "crash": never closed
    ws.documents.new(DocumentKind.QUOTE)
    assert database.needs_full_check(path), "an unclean shutdown asks for the full check"
    ws.close()
    assert not database.needs_full_check(path)
    later = datetime.now(UTC) + timedelta(days=8)
    assert database.needs_full_check(path, now=later), "a week later the full check runs again"
    con = sqlite3.connect(path)  # someone else changed the file after SmartDesk closed it
    con.execute("CREATE TABLE stranger(x)")
    con.commit()
    con.close()
    assert database.needs_full_check(path)


def test_documents_found_by_number_or_id_prefix(workspace: Workspace) -> None:
    """What `smartdesk show X` accepts: a legal number, or the start of an id (wildcards are plain)."""
    _, _, doc_id = _quote(workspace)
    other = workspace.documents.new(DocumentKind.INVOICE)
    other.number = "FBE-2026-00042"
    workspace.store.put_document(other, enqueue=False)
    store = workspace.store
    assert store.find_document_ids("FBE-2026-00042") == [other.id]
    assert store.find_document_ids(doc_id[:30]) == [doc_id]
    assert sorted(store.find_document_ids(doc_id[:4], limit=5)) == sorted(
        [doc_id, other.id]
    )  # same ms prefix
    assert store.find_document_ids("%") == [] and store.find_document_ids("_") == []
    assert store.find_document_ids("FBE-2026-0004") == [], "a number matches whole, never as a prefix"


def test_document_statuses_of_many_ids(workspace: Workspace) -> None:
    load_demo_data(workspace, documents=1200)
    rows = workspace.documents.list(DocumentQuery(limit=2000)).rows
    assert len(rows) == 1200
    wanted = {r.id: r.status for r in rows}
    got = workspace.store.document_statuses([*wanted, "not-a-document"])
    assert got == wanted  # more ids than one IN (...) list takes: several queries, one answer
    assert workspace.store.ids_present("documents", {rows[0].id, "nope"}) == {rows[0].id}
    assert workspace.store.ids_present("clients", {"nope"}) == set()
    with pytest.raises(ValueError):
        workspace.store.ids_present("outbox", {"1"})
