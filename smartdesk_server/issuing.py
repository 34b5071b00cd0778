"""What the cooperative does to a document when it issues it (validation): chronological numbers and
dates, the stamped identity, and the archive of the issued PDF (``archive.py``).

- **Clock**: :data:`clock` gives the server's time (UTC). Tests replace it (``with frozen(dt): ...``);
  nothing else in the server reads the wall clock for issuing.
- **Chronological numbers**: the issue date is the validation date in the entity's time zone; it is
  read *after* the series counter is locked, so within a series a higher number never carries an
  earlier date, also when validations run at once on several workers. The year of the number is the
  year of that date (a new year starts a new counter). The due date keeps the payment terms from the
  new issue date; every change is written in the timeline's note.
- :func:`after_validation` is the one hook that runs inside the validation transaction once the
  document is validated (archive now; the e-invoice production joins it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, and_, insert, select, update

from smartdesk_server.db import counters, is_sqlite


def _utc_now() -> datetime:
    return datetime.now(UTC)


clock: Callable[[], datetime] = _utc_now


@contextmanager
def frozen(at: datetime | Callable[[], datetime]) -> Iterator[None]:
    """Run with the server's clock at ``at`` (a fixed time or a function); for tests."""
    global clock
    before = clock
    clock = at if callable(at) else (lambda: at)
    try:
        yield
    finally:
        clock = before


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/Brussels")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Brussels")


def local_today(time_zone: str) -> date:
    """Today's date in the entity's time zone by the server's clock."""
    return clock().astimezone(zone(time_zone)).date()


def _locked_counter(conn: Connection, entity: str, series: str, year: int) -> int:
    key = and_(counters.c.entity == entity, counters.c.series == series, counters.c.year == year)
    stmt = select(counters.c.value).where(key)
    if not is_sqlite(conn):
        stmt = stmt.with_for_update()
    value = conn.execute(stmt).scalar()
    if value is None:
        if is_sqlite(conn):
            conn.execute(insert(counters).values(entity=entity, series=series, year=year, value=0))
        else:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(
                pg_insert(counters)
                .values(entity=entity, series=series, year=year, value=0)
                .on_conflict_do_nothing()
            )
        value = conn.execute(stmt).scalar()
    return int(value or 0)


def number_and_date(conn: Connection, entity: str, series: str, time_zone: str) -> tuple[int, date]:
    """The next number of the series and its issue date, gap-free and chronological: the counter row
    of the date's year is locked first, then the date is read again (a validation that waited for the
    lock across midnight of 31 December takes the new year's counter)."""
    while True:
        day = local_today(time_zone)
        value = _locked_counter(conn, entity, series, day.year)
        now = local_today(time_zone)
        if now.year != day.year:
            continue  # the year turned while waiting: that counter stays as it was
        new = value + 1
        conn.execute(
            update(counters)
            .where(
                and_(counters.c.entity == entity, counters.c.series == series, counters.c.year == day.year)
            )
            .values(value=new)
        )
        return new, max(now, day)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def dates_at_issue(body: dict[str, Any], issue: date) -> tuple[dict[str, Any], str]:
    """The document's dates once issued on ``issue``: the fields to set and the note for the timeline
    saying what changed (empty when nothing did)."""
    old_issue = _day(body.get("issue_date"))
    old_due = _day(body.get("due_date"))
    terms = body.get("payment_terms_days")
    days: int | None = None
    if isinstance(terms, int) and not isinstance(terms, bool):
        days = terms
    elif old_issue is not None and old_due is not None:
        days = max((old_due - old_issue).days, 0)  # the member's due date, as a delay from issuing
    fields: dict[str, Any] = {"issue_date": issue.isoformat()}
    if old_due is None and old_issue is not None and days is not None:
        old_due = old_issue + timedelta(days=days)  # what the member's draft showed
    new_due = issue + timedelta(days=days) if days is not None else old_due
    if new_due is not None and new_due < issue:
        new_due = issue
    if new_due is not None:
        fields["due_date"] = new_due.isoformat()
    notes = []
    if old_issue != issue:
        notes.append(f"issue date {old_issue.isoformat() if old_issue else '(none)'} → {issue.isoformat()}")
    if new_due is not None and old_due != new_due:
        label = "valid until" if body.get("kind") == "quote" else "due date"
        notes.append(f"{label} {old_due.isoformat() if old_due else '(none)'} → {new_due.isoformat()}")
    return fields, "; ".join(notes)


def after_validation(tx: Any, doc_id: str, body: dict[str, Any], archived: Any) -> None:
    """Runs inside the validation transaction once the document is validated (its body as stored):
    keeps the archive rendered for it. ``archived`` is what :func:`archive.render_issued` returned."""
    from smartdesk_server import archive

    if archived is not None:
        archive.store(tx, doc_id, body, archived)
