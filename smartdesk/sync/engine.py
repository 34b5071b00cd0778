"""One sync run: upload receipts, push the outbox, pull and apply the server's changes.

Order and guarantees (docs/sync.md, ARCHITECTURE "Sync protocol"):

1. **Blobs first.** Every receipt (SHA-256) referenced by a pending mutation is uploaded before the
   mutation, resumably (the server says how many bytes it already holds), verified by hash there.
2. **Push** the outbox in mutation-id order, in batches. The server applies each mutation and
   records the client's ``last_mutation_id`` in the same transaction, so a batch sent twice (lost
   answer, retry, killed process) is applied once. Nothing local changes on push.
3. **Pull** from the cursor. Each answer page is applied in ONE local transaction: outbox rows up
   to ``last_mutation_id`` dropped, rejected mutations recorded with the server's reason, pulled rows
   written (except over a record that still has unsent changes: the server value is held as a
   conflict), and the new cursor saved. A crash anywhere leaves the old cursor with the old data,
   and the next run pulls again.
4. ``reset_required`` (old cursor, new server epoch): everything is pulled again and the outbox is
   KEPT; records the server no longer has are removed unless they have unsent changes.
5. ``version_not_supported``: explained (update SmartDesk), the outbox is kept.

No Qt here: the GUI runs :meth:`SyncEngine.sync` on a worker thread and listens through
:meth:`SyncEngine.subscribe` (plain callbacks: event name and a dict).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from smartdesk.domain.expenses import STATE_KEY as EXPENSE_CATEGORIES_KEY
from smartdesk.domain.identity import STATE_KEY as ENTITIES_KEY
from smartdesk.errors import SmartDeskError, SyncError
from smartdesk.store.attachments import AttachmentStore
from smartdesk.store.repository import OutboxEntry, Store, now_iso
from smartdesk.store.tables import attachments as attachment_sql
from smartdesk.store.tables import outbox as outbox_sql
from smartdesk.sync import local
from smartdesk.sync.client import SyncClient
from smartdesk.sync.failpoints import backoff_delay, failpoint

KEY_CATALOGUE_VERSION = "catalogue_version"  # sync_state: version of the lists last fetched
PUSH_BATCH = 200
PULL_LIMIT = 2000
BLOB_CHUNK = 256 * 1024

Listener = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    online: bool
    last_success_at: str | None
    pending: int
    last_error: str | None
    conflicts: int = 0
    rejections: int = 0
    running: bool = False


log = logging.getLogger(__name__)
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    acknowledged_up_to: int = 0
    rejected: int = 0
    held: int = 0
    blobs_uploaded: int = 0
    reset: bool = False
    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)
    # what the member should hear about: a document whose status the cooperative changed
    # ({"kind": "status", "document_id", "title", "number", "from", "to", "remarks"}) and notices of an
    # upcoming reminder ({"kind": "notice", "document_id", "title", "number", "step", "on"})
    notices: list[dict[str, Any]] = field(default_factory=list)
    archives_fetched: int = 0  # archived PDFs of issued documents downloaded


def receipts_of(entry: OutboxEntry) -> list[str]:
    """SHA-256 of the blobs a mutation refers to (receipts of expense lines, the brand logo)."""
    args = entry.args
    found: list[str] = []
    doc = args.get("document")
    if isinstance(doc, dict):
        for line in doc.get("expense_lines") or []:
            if isinstance(line, dict):
                found.extend(h for h in line.get("receipts") or [] if isinstance(h, str))
    profile = args.get("profile")
    if isinstance(profile, dict):
        logo = (profile.get("brand") or {}).get("logo_sha256")
        if isinstance(logo, str) and logo:
            found.append(logo)
    return found


class SyncEngine:
    """Syncs one local store with one server. One run at a time (a lock guards it)."""

    # sizes of one push batch, one pull page and one upload chunk (tests make them small to cross
    # every boundary; the defaults suit a member's laptop on a train's Wi-Fi)
    push_batch: int = PUSH_BATCH
    pull_limit: int = PULL_LIMIT
    blob_chunk: int = BLOB_CHUNK

    def __init__(self, store: Store, client: SyncClient, attachments: AttachmentStore | None = None) -> None:
        self.store = store
        self.client = client
        self.attachments = attachments or AttachmentStore(Path(store.folder) / "attachments")
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._running = False
        self._online = True
        self.client.client_id = self.client.client_id or local.client_id(store)

    # --- events and status -----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event, data)`` on: started, progress, finished, failed. Returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, event: str, **data: Any) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, data)
            except Exception:  # noqa: BLE001 - a broken listener must not break sync
                pass

    def status(self) -> SyncStatus:
        pending, conflicts, rejections = local.waiting_counts(self.store)
        return SyncStatus(
            online=self._online,
            last_success_at=self.store.get_state(local.KEY_LAST_SUCCESS),
            pending=pending,
            last_error=self.store.get_state(local.KEY_LAST_ERROR),
            conflicts=conflicts,
            rejections=rejections,
            running=self._running,
        )

    # --- one run -----------------------------------------------------------------------------------
    def sync(self) -> SyncResult:
        """Upload, push, pull. Raises SyncError (outbox kept) when the server cannot be used."""
        if not self._lock.acquire(blocking=False):
            raise SyncError("A sync is already running.", kind="conflict")
        started = time.perf_counter()
        c = self.client
        before = (c.requests_made, c.bytes_sent, c.bytes_received)
        result = SyncResult()
        self._running = True
        self._emit("started")
        try:
            self._upload_blobs(result)
            self._push(result)
            self._pull(result)
            self._fetch_archives(result)
        except SyncError as exc:
            self._online = exc.kind not in ("network",)
            self._record_error(exc.message)
            self._emit("failed", kind=exc.kind, message=exc.message, retry=exc.retry)
            raise
        finally:
            self._running = False
            result.requests = c.requests_made - before[0]
            result.bytes_sent = c.bytes_sent - before[1]
            result.bytes_received = c.bytes_received - before[2]
            result.seconds = time.perf_counter() - started
            self._lock.release()
        self._online = True
        self._emit("finished", **asdict(result))
        return result

    def _record_error(self, message: str | None) -> None:
        try:
            with self.store.write() as conn:
                self.store.set_state(conn, local.KEY_LAST_ERROR, message)
        except Exception:  # noqa: BLE001 - status only; the error itself is raised to the caller
            pass

    # --- blobs -----------------------------------------------------------------------------------
    def _pending_blobs(self) -> list[str]:
        wanted: list[str] = []
        after = 0
        while True:
            entries = self.store.outbox_entries(limit=1000, after=after)
            if not entries:
                break
            for e in entries:
                wanted.extend(h for h in receipts_of(e) if h not in wanted)
            after = entries[-1].mutation_id
        if not wanted:
            return []
        with self.store.read() as conn:
            done = attachment_sql.uploaded_hashes(conn)
        return [h for h in wanted if h not in done]

    def _chunks(self, sha256: str) -> Callable[[int], Iterator[tuple[int, bytes]]]:
        def gen(offset: int) -> Iterator[tuple[int, bytes]]:
            with self.attachments.open(sha256) as fh:
                fh.seek(offset)
                position = offset
                first = True
                while block := fh.read(self.blob_chunk):
                    if not first:
                        failpoint("blob.mid_upload")
                    first = False
                    yield position, block
                    position += len(block)

        return gen

    def _upload_blobs(self, result: SyncResult) -> None:
        for sha in self._pending_blobs():
            if not self.attachments.exists(sha):
                result.messages.append(
                    f"Receipt {sha[:12]}... is not on this computer; its note is sent without "
                    "it. Add the receipt again."
                )
                continue
            failpoint("blob.before_upload")
            self._emit("progress", step="blob", sha256=sha)
            self.client.upload_blob(sha, self._chunks(sha), self.attachments.size(sha))
            failpoint("blob.after_upload")
            with self.store.write() as conn:
                attachment_sql.mark_uploaded(conn, sha, now_iso())
            result.blobs_uploaded += 1

    # --- push ------------------------------------------------------------------------------------
    @staticmethod
    def _wire(entry: OutboxEntry) -> dict[str, Any]:
        return {
            "mutation_id": entry.mutation_id,
            "name": entry.name,
            "entity_id": entry.entity_id,
            "args": entry.args,
            "base_version": entry.base_version,
        }

    def _push(self, result: SyncResult) -> None:
        after = 0
        while True:
            batch = self.store.outbox_entries(limit=self.push_batch, after=after)
            if not batch:
                return
            failpoint("push.before_send")
            self._emit("progress", step="push", first=batch[0].mutation_id, count=len(batch))
            answer = self.client.push([self._wire(e) for e in batch])
            failpoint("push.after_send")
            last = int(answer.get("last_mutation_id", 0) or 0)
            failpoint("push.after_response")
            result.pushed += sum(1 for e in batch if e.mutation_id <= last)
            if last < batch[-1].mutation_id:
                # the server stopped inside the batch (transient failure): the rest waits for the next run
                if last < batch[0].mutation_id:
                    raise SyncError(
                        "The cooperative's server could not take your changes right now. They are "
                        "kept on this computer; SmartDesk will try again.",
                        kind="server",
                    )
                return
            after = batch[-1].mutation_id

    # --- pull ------------------------------------------------------------------------------------
    def _pull(self, result: SyncResult) -> None:
        cursor = local.get_cursor(self.store)
        reset_pages: list[dict[str, Any]] | None = None
        while True:
            self._emit("progress", step="pull", cursor=cursor)
            answer = self.client.pull(cursor, self.pull_limit)
            failpoint("pull.after_response")
            if answer.get("reset_required"):
                if reset_pages is not None:
                    raise SyncError(
                        "The server asked for a full refresh twice in a row. Try again later.", kind="server"
                    )
                result.reset = True
                result.messages.append(
                    "The server asked for a full refresh: everything is downloaded again; your "
                    "unsent changes are kept."
                )
                reset_pages = []
                cursor = None
                continue
            if reset_pages is not None:
                reset_pages.append(answer)
                cursor = answer.get("cursor")
                if answer.get("more"):
                    continue
                self._apply(reset_pages, result, full=True, final=True)
                self._catalogues(answer)
                return
            self._apply([answer], result, full=False, final=not answer.get("more"))
            cursor = answer.get("cursor")
            if not answer.get("more"):
                self._catalogues(answer)
                return

    def _catalogues(self, answer: dict[str, Any]) -> None:
        """Fetch the cooperative's lists (expense categories) when the pull says they changed."""
        version = answer.get("catalogue_version")
        if (
            not isinstance(version, str)
            or not version
            or version == self.store.get_state(KEY_CATALOGUE_VERSION)
        ):
            return
        data = self.client.catalogues()
        categories = data.get("expense_categories")
        if not isinstance(categories, list):
            return
        entities = data.get("entities")
        with self.store.write() as conn:
            self.store.set_state(conn, EXPENSE_CATEGORIES_KEY, categories)
            if isinstance(entities, list):  # the cooperative's identities (docs/sync.md); checked when read
                self.store.set_state(conn, ENTITIES_KEY, entities[:8])
            self.store.set_state(conn, KEY_CATALOGUE_VERSION, str(data.get("version") or version))

    def _fetch_archives(self, result: SyncResult) -> None:
        """Download the archived PDF of every issued document the app does not hold yet (the file the
        member shows and exports for it, docs/sync.md). One that fails is fetched at the next sync."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT body FROM document_bodies WHERE instr(body, 'archive_sha256') > 0"
            ).all()
        wanted: list[str] = []
        for row in rows:
            try:
                sha = json.loads(row[0]).get("archive_sha256")
            except ValueError:
                continue
            if isinstance(sha, str) and _SHA256.fullmatch(sha) and not self.attachments.exists(sha):
                wanted.append(sha)
        for sha in wanted:
            try:
                data = self.client.download_archive(sha)
                self.attachments.put_bytes(data, "application/pdf", expected_sha256=sha)
            except SyncError as exc:
                if exc.kind == "network":
                    raise
                log.warning("archive %s not downloaded: %s", sha[:12], exc.message)
                continue
            except SmartDeskError as exc:  # bytes that do not match their hash: kept out, retried later
                log.warning("archive %s refused: %s", sha[:12], exc)
                continue
            self.store.record_attachment(sha, "application/pdf", len(data), "archive.pdf")
            result.archives_fetched += 1

    def _apply(self, pages: list[dict[str, Any]], result: SyncResult, full: bool, final: bool) -> None:
        """Changes + acknowledgements + rejections + cursor: ONE local transaction.

        Confirmed outbox rows (up to ``last_mutation_id``) are dropped on the last page only: the
        results of refused mutations may come on a later page (they carry the revision of their push)
        and are recorded from the outbox row (name, args: my value for a conflict). Until then the
        confirmed rows do not count as unsent.
        """
        store = self.store
        with store.write() as conn:
            last = max(int(p.get("last_mutation_id", 0) or 0) for p in pages)
            rejected_ids = self._record_results(conn, pages, last, result)
            if last and final:
                store.drop_acknowledged(conn, last)
                result.acknowledged_up_to = max(result.acknowledged_up_to, last)
            pending = local.pending_ids(conn, after=last)
            conflicted = local.open_conflict_ids(conn)
            seen: dict[str, set[str]] = {}
            changes = [ch for p in pages for ch in p.get("changes", [])]
            # parents first, so a document finds its client and activity
            order = {"activity": 0, "client": 1, "profile": 2, "document": 3}
            changes.sort(key=lambda ch: order.get(str(ch.get("entity")), 9))
            statuses = local.document_statuses(
                conn, [str(ch.get("id")) for ch in changes if ch.get("entity") == "document"]
            )
            half = len(changes) // 2
            parents: local.Parents | None = None  # read once, when the first document comes (parents are in)
            for i, ch in enumerate(changes):
                if i == half:
                    failpoint("pull.mid_apply")
                entity, entity_id = str(ch.get("entity")), str(ch.get("id"))
                version = int(ch.get("version", 0) or 0)
                deleted = bool(ch.get("deleted"))
                value = ch.get("value")
                seen.setdefault(entity, set()).add(entity_id)
                if entity_id in pending:
                    local.hold_server_value(conn, entity, entity_id, None if deleted else value, version)
                    result.held += 1
                    result.pulled += 1
                    continue
                if entity_id in conflicted:
                    local.refresh_open_conflict(conn, entity_id, None if deleted else value, version)
                if entity == "document" and isinstance(value, dict) and not deleted:
                    self._notice_status(statuses.get(entity_id), entity_id, value, result)
                elif entity == "notice" and isinstance(value, dict) and not deleted:
                    result.notices.append(
                        {
                            "kind": "notice",
                            **{k: value.get(k) for k in ("document_id", "title", "number", "step", "on")},
                        }
                    )
                if deleted:
                    local.apply_delete(conn, entity, entity_id)
                elif isinstance(value, dict):
                    if entity == "document" and parents is None:
                        parents = local.Parents.load(conn)
                    local.apply_upsert(
                        store,
                        conn,
                        entity,
                        entity_id,
                        value,
                        version,
                        parents if entity == "document" else None,
                    )
                result.pulled += 1
            if full:
                for entity in ("document", "client", "activity"):
                    for gone in local.synced_ids(conn, entity) - seen.get(entity, set()) - pending:
                        local.apply_delete(conn, entity, gone)
            local.settle_held(store, conn, pending, rejected_ids)
            store.set_state(conn, local.KEY_CURSOR, pages[-1].get("cursor"))
            store.set_state(conn, local.KEY_LAST_SUCCESS, now_iso())
            store.set_state(conn, local.KEY_LAST_ERROR, None)
            failpoint("pull.before_commit")
        failpoint("pull.after_commit")

    @staticmethod
    def _notice_status(old: str | None, doc_id: str, value: dict[str, Any], result: SyncResult) -> None:
        new = value.get("status")
        if old is None or old == new:
            return
        result.notices.append(
            {
                "kind": "status",
                "document_id": doc_id,
                "title": value.get("title", ""),
                "number": value.get("number", ""),
                "from": old,
                "to": new,
                "remarks": value.get("remarks", ""),
            }
        )

    @staticmethod
    def _record_results(conn: Any, pages: list[dict[str, Any]], last: int, result: SyncResult) -> set[str]:
        """Permanent rejections, with the server's reason, before their outbox rows are dropped."""
        rejected: list[tuple[int, str, str, str, str, str]] = []
        entity_ids: set[str] = set()
        wanted = {
            int(r.get("mutation_id", 0)): r
            for p in pages
            for r in p.get("results", [])
            if r.get("status") not in (None, "applied", "ok", "skipped")
        }
        if not wanted:
            return entity_ids
        for mid, r in sorted(wanted.items()):
            if mid > last:
                continue
            row = outbox_sql.entry(conn, mid)
            if row is None:
                continue  # recorded by an earlier pull (this answer repeats results after a reset)
            name, entity_id, args = row.name, row.entity_id, row.args
            code = str(r.get("code") or r.get("status") or "rejected")
            reason = str(r.get("reason") or r.get("message") or "The server refused this change.")
            rejected.append((mid, name, entity_id, args, code, reason))
            entity_ids.add(entity_id)
            entity = name.split(".", 1)[0]
            if entity in local.ENTITY_TABLES and (r.get("status") == "conflict" or code == "document_locked"):
                # both values side by side: mine (the local record, all my edits) and the server's
                server_value = r.get("server_value")
                mine = json.loads(args).get(entity)
                local.open_conflict(
                    conn,
                    entity,
                    entity_id,
                    server_value if isinstance(server_value, dict) else None,
                    int(r.get("server_version") or 0),
                    mine if isinstance(mine, dict) else None,
                )
        local.record_rejections(conn, rejected)
        result.rejected += len(rejected)
        return entity_ids


def sync_with_retry(
    engine: SyncEngine, attempts: int = 5, sleep: Callable[[float], None] = time.sleep, base: float = 1.0
) -> SyncResult:
    """Run sync, retrying transient failures (network, busy server) with exponential back-off and jitter.

    Auth and version problems are not retried: they need the member (sign in, update).
    """
    for attempt in range(attempts):
        try:
            return engine.sync()
        except SyncError as exc:
            if not exc.retry or exc.kind in ("auth", "version") or attempt == attempts - 1:
                raise
            sleep(backoff_delay(attempt, base=base))
    raise AssertionError("unreachable")


def describe(status: SyncStatus) -> str:
    """The status in one plain sentence (CLI ``sync-status``; the GUI has its own words)."""
    parts = []
    if status.pending:
        parts.append(f"{status.pending} change(s) waiting to be sent")
    else:
        parts.append("everything is sent")
    if status.last_success_at:
        parts.append(f"last successful sync {status.last_success_at[:19].replace('T', ' ')} UTC")
    else:
        parts.append("never synced")
    if status.conflicts:
        parts.append(f"{status.conflicts} conflict(s) to look at")
    if status.rejections:
        parts.append(f"{status.rejections} change(s) refused by the server")
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:] + "."
    if status.last_error:
        text += f"\nLast problem: {status.last_error}"
    return text


def describe_notice(notice: dict[str, Any]) -> str:
    """One notice in one plain sentence (CLI; the GUI words its notifications itself)."""
    from smartdesk.domain.lifecycle import status_label

    name = notice.get("number") or f"“{notice.get('title') or 'untitled'}”"
    if notice.get("kind") == "notice":
        return f"{name}: the next follow-up step ({notice.get('step')}) goes out on {notice.get('on')}."
    try:
        label = status_label(str(notice.get("to")))
    except ValueError:
        label = str(notice.get("to"))
    text = f"{name} is now {label}."
    if notice.get("remarks") and notice.get("to") == "returned":
        text += f" Remarks: {notice['remarks']}"
    return text


def to_json(status: SyncStatus) -> str:
    return json.dumps(asdict(status))
