"""Follow-up of invoices: the member's Hold / OK (and a warning) on each step the cooperative takes.

Choices are queued in the outbox (``followup.set`` / ``followup.clear``) and shown at once, even
offline; the cooperative's settings and its notices of an upcoming step come back with the pull.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.lifecycle import DUNNING_STEPS, FOLLOW_UP_STEPS, next_dunning_step
from smartdesk.errors import Message, NotFoundError, Problem, ValidationError
from smartdesk.store import DocumentQuery
from smartdesk.sync.protocol import FOLLOWUP_CLEAR, FOLLOWUP_SET

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


FOLLOWUP_STEP_NAMES: tuple[str, ...] = tuple(s.value for s in FOLLOW_UP_STEPS)
# statuses of an invoice the cooperative still has a next step for (litigation is the last one)
FOLLOWED_STATUSES: tuple[str, ...] = (
    "validated",
    "awaiting_payment",
    "partially_paid",
    "reminder_1",
    "reminder_2",
    "formal_notice",
)
MAX_NOTIFY_DAYS = 365


@dataclass(frozen=True)
class FollowUpSetting:
    step: str
    hold: bool = False
    notify_days_before: int | None = None  # None: no warning before the step
    document_id: str | None = None  # None: the member's default
    pending: bool = False  # changed here, not sent to the cooperative yet


@dataclass(frozen=True)
class FollowUpSettings:
    """The member's defaults (every step: OK and no warning unless set) and per-invoice overrides."""

    defaults: dict[str, FollowUpSetting]
    overrides: dict[str, dict[str, FollowUpSetting]]  # document id -> step -> setting
    # (document id, step) whose own choice was dropped here and not sent yet: the default applies
    cleared: frozenset[tuple[str, str]] = frozenset()

    def effective(self, step: str, document_id: str | None = None) -> FollowUpSetting:
        """What the cooperative applies: the invoice's own choice, else the default (as the server does)."""
        if document_id is not None and step in self.overrides.get(document_id, {}):
            return self.overrides[document_id][step]
        default = self.defaults.get(step, FollowUpSetting(step))
        if (document_id, step) in self.cleared:
            return replace(
                default, pending=True
            )  # back to the default: the cooperative learns it at the sync
        return default


@dataclass(frozen=True)
class FollowedInvoice:
    id: str
    number: str
    title: str
    client_name: str
    status: str
    due_date: date | None
    next_step: str
    setting: FollowUpSetting  # effective setting of the next step

    @property
    def overridden(self) -> bool:
        return self.setting.document_id is not None


@dataclass(frozen=True)
class FollowUpNotice:
    id: str
    document_id: str
    step: str
    on: str  # ISO date the step is planned for
    title: str
    number: str


def _setting_from(value: dict[str, Any], pending: bool = False) -> FollowUpSetting | None:
    step = value.get("step")
    if step not in FOLLOWUP_STEP_NAMES:
        return None
    notify = value.get("notify_days_before")
    if not isinstance(notify, int) or isinstance(notify, bool):
        notify = None
    return FollowUpSetting(
        step=str(step),
        hold=bool(value.get("hold")),
        notify_days_before=notify,
        document_id=value.get("document_id") or None,
        pending=pending,
    )


def next_followup_step(status: str, timeline: list[str] | None = None) -> str | None:
    """The cooperative's next step for an invoice in this status (as its follow-up engine decides)."""
    if status == "validated":
        return "sent"
    if status in ("awaiting_payment", "partially_paid", *DUNNING_STEPS):
        return next_dunning_step(status, timeline or ())
    return None


def _followup_problems(step: str, hold: object, notify: object) -> list[Problem]:
    problems: list[Problem] = []
    if step not in FOLLOWUP_STEP_NAMES:
        problems.append(Problem("step", "followup.step", "Choose one of the follow-up steps."))
    if not isinstance(hold, bool):
        problems.append(Problem("hold", "followup.hold", "Choose Hold or OK."))
    if notify is not None and (
        not isinstance(notify, int) or isinstance(notify, bool) or not 0 <= notify <= MAX_NOTIFY_DAYS
    ):
        problems.append(
            Problem(
                "notify_days_before",
                "followup.notify",
                Message(
                    "Warn you between 0 and {most} days before, or leave it empty.", most=MAX_NOTIFY_DAYS
                ),
            )
        )
    return problems


def _document_problems(ws: Workspace, document_id: str) -> list[Problem]:
    try:
        doc = ws.store.get_document(document_id)
    except NotFoundError:
        return [
            Problem(
                "document_id",
                "followup.document",
                "That invoice is not among yours any more: sync, then try again.",
            )
        ]
    if doc.kind is not DocumentKind.INVOICE:
        return [
            Problem(
                "document_id", "followup.not_invoice", "Only invoices are followed up by the cooperative."
            )
        ]
    return []


class FollowUpService:
    """``ws.followup``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def settings(self) -> FollowUpSettings:
        """Defaults per step and per-invoice overrides: what the last sync brought, with this computer's
        unsent choices on top (so a change shows at once, even offline)."""
        ws = self._ws
        from smartdesk.sync.local import list_records

        pulled = list_records(ws.store, "followup")
        defaults = {step: FollowUpSetting(step) for step in FOLLOWUP_STEP_NAMES}
        overrides: dict[str, dict[str, FollowUpSetting]] = {}

        def put(setting: FollowUpSetting | None) -> None:
            if setting is None:
                return
            if setting.document_id is None:
                defaults[setting.step] = setting
            else:
                overrides.setdefault(setting.document_id, {})[setting.step] = setting

        for value in pulled:
            put(_setting_from(value))
        cleared: set[tuple[str, str]] = set()
        for entry in ws.store.outbox_entries_named(
            (FOLLOWUP_SET, FOLLOWUP_CLEAR)
        ):  # oldest first: the last wins
            if entry.name == FOLLOWUP_CLEAR:
                doc_id, step = entry.args.get("document_id"), entry.args.get("step")
                if isinstance(doc_id, str) and isinstance(step, str):
                    overrides.get(doc_id, {}).pop(step, None)
                    if doc_id in overrides and not overrides[doc_id]:
                        del overrides[doc_id]
                    cleared.add((doc_id, step))
                continue
            setting = _setting_from(entry.args, pending=True)
            if setting is not None and setting.document_id is not None:
                cleared.discard((setting.document_id, setting.step))
            put(setting)
        return FollowUpSettings(defaults, overrides, frozenset(cleared))

    def set(
        self, step: str, hold: bool, notify_days_before: int | None = None, document_id: str | None = None
    ) -> FollowUpSetting:
        """Queue one ``followup.set``: Hold / OK and the warning for a step, as a default (no document)
        or for one invoice. Refuses, in plain words, an unknown step, a bad number of days or an
        invoice that is not here."""
        ws = self._ws
        problems = _followup_problems(step, hold, notify_days_before)
        if document_id is not None:
            problems += _document_problems(ws, document_id)
        if problems:
            raise ValidationError(problems, summary="This follow-up choice cannot be saved:")
        args: dict[str, Any] = {
            "document_id": document_id,
            "step": step,
            "hold": hold,
            "notify_days_before": notify_days_before,
        }
        # an id of its own (never a document's), so a pending choice never holds back the document's pull
        ws.store.enqueue_member_message(FOLLOWUP_SET, f"followup:{document_id or '*'}:{step}", args)
        return FollowUpSetting(step, hold, notify_days_before, document_id, pending=True)

    def clear(self, step: str, document_id: str) -> FollowUpSetting:
        """Queue one ``followup.clear``: this invoice's own choice for a step is dropped, the invoice
        follows the member's default again (at once here, at the next sync for the cooperative).
        Returns the setting that now applies."""
        ws = self._ws
        problems = _followup_problems(step, False, None)
        if not isinstance(document_id, str) or not document_id:
            problems.append(
                Problem(
                    "document_id", "followup.document", "Choose the invoice that follows your default again."
                )
            )
        else:
            problems += _document_problems(ws, document_id)
        if problems:
            raise ValidationError(problems, summary="This follow-up choice cannot be saved:")
        # the same id as the choice it drops: both travel in order, the cooperative applies the last one
        ws.store.enqueue_member_message(
            FOLLOWUP_CLEAR, f"followup:{document_id}:{step}", {"document_id": document_id, "step": step}
        )
        return self.settings().effective(step, document_id)

    def invoices(self, settings: FollowUpSettings | None = None) -> list[FollowedInvoice]:
        """The member's invoices the cooperative still follows up, with their next step and its setting."""
        ws = self._ws
        settings = settings or self.settings()
        found: list[FollowedInvoice] = []
        for status in FOLLOWED_STATUSES:
            rows = ws.documents.list(
                DocumentQuery(
                    kind=DocumentKind.INVOICE, status=status, sort="due_date", descending=False, limit=1000
                ),
                with_total=False,
            ).rows
            for row in rows:
                timeline: list[str] = []
                if status == "partially_paid":
                    try:
                        timeline = [str(t.status) for t in ws.store.get_document(row.id).timeline]
                    except NotFoundError:
                        continue
                step = next_followup_step(status, timeline)
                if step is None:
                    continue
                found.append(
                    FollowedInvoice(
                        id=row.id,
                        number=row.number,
                        title=row.title,
                        client_name=row.client_name,
                        status=status,
                        due_date=row.due_date,
                        next_step=step,
                        setting=settings.effective(step, row.id),
                    )
                )
        return sorted(found, key=lambda f: (f.due_date or date.max, f.number))

    def notices(self, limit: int = 20) -> list[FollowUpNotice]:
        """The latest "upcoming action" notices the cooperative sent, newest planned date first."""
        ws = self._ws
        from smartdesk.sync.local import list_records

        pulled = list_records(ws.store, "notice")
        notices = [
            FollowUpNotice(
                id=str(v.get("id", "")),
                document_id=str(v.get("document_id", "")),
                step=str(v.get("step", "")),
                on=str(v.get("on", "")),
                title=str(v.get("title", "")),
                number=str(v.get("number", "")),
            )
            for v in pulled
            if isinstance(v, dict)
        ]
        return sorted(notices, key=lambda n: n.on, reverse=True)[:limit]
