"""The words of sync: errors and refusals in plain words, times, news, the differences of a conflict."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from smartdesk.domain.documents import DocumentKind
from smartdesk.gui.labels import KIND_NAMES
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, tr

if TYPE_CHECKING:
    from smartdesk.gui.sync.controller import SyncView
    from smartdesk.gui.sync.news import News
    from smartdesk.services import Workspace


# The problem in plain words, then what to do. Keyed by the kind of SyncError.
ERRORS: dict[str, tuple[str, str]] = {
    "network": (
        N_("Cannot reach the cooperative"),
        N_(
            "The cooperative's server cannot be reached. Check your internet connection. Your changes "
            "are kept on this computer and will be sent by themselves."
        ),
    ),
    "auth": (
        N_("Sign in again"),
        N_(
            "Your sign-in has expired or was withdrawn. Sign in again on the Sync page; your changes are "
            "kept on this computer."
        ),
    ),
    "version": (
        N_("Update SmartDesk"),
        N_(
            "This version of SmartDesk does not work with the cooperative's server any more. Install "
            "the latest SmartDesk; your changes are kept and will be sent after the update."
        ),
    ),
    "server": (
        N_("Server problem, trying again"),
        N_(
            "The cooperative's server has a problem right now. SmartDesk tries again by itself; your "
            "changes are kept."
        ),
    ),
    "conflict": (
        N_("Sync again"),
        N_("The server asks SmartDesk to fetch the latest version first. Press F5 to sync again."),
    ),
    "unknown": (
        N_("Last sync did not finish"),
        N_("The last sync did not finish. Press F5 to try again; your changes are kept."),
    ),
}

# What a refusal code of the server means, in plain words (codes: smartdesk.sync.protocol.RESULT_CODES).
# The server's own English text stays as a detail; a code not listed here shows the server's text alone.
REFUSALS: dict[str, str] = {
    "conflict": N_("It was changed elsewhere since your last sync. Choose which version to keep."),
    "document_locked": N_(
        "The document is no longer a draft, so its content cannot change any more. Make a "
        "copy or a credit note instead."
    ),
    "not_deletable": N_(
        "Only drafts can be deleted, and this document went through the cooperative. Cancel it "
        "with a credit note instead."
    ),
    "invalid": N_("Some of the information was not accepted. Check it, correct it and save again."),
    "invalid_transition": N_(
        "This change of status is not possible for this document any more. Sync to see where it stands."
    ),
    "not_found": N_("The cooperative no longer has this, or it belongs to another account."),
    "unknown_mutation": N_(
        "The cooperative's server does not know this kind of change. Install the latest SmartDesk."
    ),
    "receipt_missing": N_(
        "A receipt of this document never reached the cooperative. Add the receipt again, then sync."
    ),
    "on_hold": N_("You put this step on hold, so the cooperative did not do it."),
    "over_quote": N_(
        "This invoice and the other invoices of its quote come to more than the quote. Lower the "
        "amount of the invoice, then send it again."
    ),
}


def refusal_texts(code: str, reason: str) -> tuple[str, str]:
    """(the sentence to show, the server's own words as a detail) for a refused change."""
    sentence = REFUSALS.get(code)
    if sentence is None:
        return reason or _("The server refused this change."), ""
    return _(sentence), reason


FIELD_LABELS = {
    "title": N_("Title"),
    "reference": N_("Reference"),
    "client_id": N_("Client"),
    "activity_id": N_("Activity"),
    "issue_date": N_("Date"),
    "due_date": N_("Due date"),
    "lines": N_("Lines"),
    "expense_lines": N_("Expenses"),
    "intro_text": N_("Introduction"),
    "closing_text": N_("Closing text"),
    "currency": N_("Currency"),
    "language": N_("Document language"),
    "status": N_("Status"),
    "number": N_("Number"),
    "name": N_("Name"),
    "email": N_("E-mail"),
    "vat_number": N_("VAT number"),
    "address": N_("Address"),
    "phone": N_("Phone"),
    "payment_terms_days": N_("Payment terms"),
    "kind": N_("Kind of document"),
    "remarks": N_("Remarks"),
}
IGNORED_FIELDS = {"id", "version", "updated_at", "created_at", "timeline", "server_version", "search_text"}


# --- words ---------------------------------------------------------------------------------------------
def since_text(iso: str | None, now: datetime | None = None) -> str:
    """“Synced 2 min ago” from an ISO timestamp (UTC)."""
    if not iso:
        return _("Never synced")
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return _("Never synced")
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = max(0.0, ((now or datetime.now(UTC)) - when).total_seconds())
    if seconds < 60:
        return _("Synced just now")
    if seconds < 3600:
        return tr("Synced {n} min ago", n=int(seconds // 60))
    if seconds < 86400:
        return tr("Synced {n} h ago", n=int(seconds // 3600))
    return tr("Synced on {date}", date=when.astimezone().strftime("%d/%m/%Y"))


def error_texts(view: SyncView) -> tuple[str, str]:
    """(short words for the status bar, full sentence with what to do) of the last error; ("", "") if none."""
    if not view.error_kind:
        return "", ""
    short, full = ERRORS.get(view.error_kind, ERRORS["unknown"])
    return _(short), _(full)


def kind_name(kind: str) -> str:
    """The name of a document kind as the wire spells it ("credit-note"); "Document" for one not known."""
    try:
        return _(KIND_NAMES[DocumentKind(kind)])
    except ValueError:
        return _("Document")


def document_label(kind: str, title: str, number: str) -> str:
    name = kind_name(kind)
    if number:
        return f"{name} {number}"
    return f"{name} “{title}”" if title else name


def news_text(news: News) -> str:
    """One notice in plain words."""
    label = document_label(
        news.document_kind or "invoice" if news.kind == "notice" else news.document_kind,
        news.title,
        news.number,
    )
    if news.kind == "notice":
        step = ui.status_text(news.step) if news.step in ui.STATUS_EN else news.step
        return tr(
            "“{step}” for {document} goes out on {date}.", step=step, document=label, date=_day(news.on)
        )
    status = news.status
    if status == "validated":
        return (
            tr("{document} was validated by the cooperative.", document=label)
            if not news.number
            else tr("{document} was validated by the cooperative: it now has its number.", document=label)
        )
    if status == "returned":
        return tr("{document} came back with remarks: {remarks}", document=label, remarks=news.remarks or "—")
    if status == "rejected":
        return tr("{document} was refused: {remarks}", document=label, remarks=news.remarks or "—")
    if status == "paid":
        return tr("{document} is paid.", document=label)
    if status == "partially_paid":
        return tr("{document} is partly paid.", document=label)
    if status == "reimbursed":
        return tr("{document} was paid back to you.", document=label)
    return tr("{document}: “{step}” went out.", document=label, step=ui.status_text(status))


def _day(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _value_text(ws: Workspace, key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key == "client_id":
        try:
            return ws.clients.get(str(value)).name
        except Exception:  # noqa: BLE001 - a client this computer does not have
            return str(value)
    if key == "activity_id":
        try:
            return ws.activities.get(str(value)).name
        except Exception:  # noqa: BLE001
            return str(value)
    if key == "status":
        return ui.status_text(str(value)) if str(value) in ui.STATUS_EN else str(value)
    if key in ("lines", "expense_lines") and isinstance(value, list):
        parts = []
        for line in value[:6]:
            if isinstance(line, dict):
                desc = line.get("description") or line.get("supplier") or ""
                qty = line.get("quantity")
                price = line.get("unit_price") or line.get("amount_incl") or ""
                parts.append(f"{desc} ({qty} × {price})" if qty is not None else f"{desc} {price}".strip())
        more = len(value) - 6
        return "\n".join(parts) + (f"\n+{more}" if more > 0 else "")
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in (None, ""))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def differences(
    ws: Workspace, mine: dict[str, Any] | None, theirs: dict[str, Any] | None
) -> list[tuple[str, str, str]]:
    """(field, my value, their value) for the fields that differ, in plain words."""
    if theirs is None:
        return [(_("Whole record"), _("Still here, with your changes"), _("Deleted at the cooperative"))]
    if mine is None:
        return [(_("Whole record"), _("Deleted on this computer"), _("Still at the cooperative"))]
    rows = []
    for key in dict.fromkeys([*mine, *theirs]):
        if key in IGNORED_FIELDS:
            continue
        a, b = mine.get(key), theirs.get(key)
        if json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str):
            continue
        label = _(FIELD_LABELS[key]) if key in FIELD_LABELS else key.replace("_", " ")
        rows.append((label, _value_text(ws, key, a), _value_text(ws, key, b)))
    return rows
