"""Export of a document list (every row its filters match, not only the page on screen) to CSV or XLSX.

The headers and statuses are in the interface language; dates are ISO in CSV and real dates in
XLSX; money is exact decimal text with a dot in CSV and a number with two decimals in XLSX. The CSV
uses ";" between fields and starts with a UTF-8 byte-order mark, as spreadsheets in Belgium and France
expect. A text that starts like a formula (= + - @) is written as text, never run by the spreadsheet.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdesk.domain.receivables import days_late, still_due
from smartdesk.errors import Message, SmartDeskError
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _
from smartdesk.services.safe_write import write_atomically
from smartdesk.store import DocumentQuery, DocumentRow

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

FORMATS = ("csv", "xlsx")
HEADERS = (
    N_("Number"),
    N_("Title"),
    N_("Client"),
    N_("Activity"),
    N_("Date"),
    N_("Due date"),
    N_("Status"),
    N_("Total incl. VAT"),
    N_("Paid"),
    N_("Still due"),
    N_("Last payment"),
    N_("Days late"),
    N_("Currency"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BATCH = 2000


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as it is (a leading ' keeps "=SUM(...)" from running)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_values(row: DocumentRow, today: date) -> list[Any]:
    """One row of the export: text, dates, Decimals and whole numbers (in HEADERS order)."""
    due = still_due(row.total_incl, row.paid) if row.kind.value == "invoice" else Decimal(0)
    return [
        row.number or _("Draft"),
        row.title,
        row.client_name,
        row.activity_name,
        row.issue_date,
        row.due_date,
        ui.status_text(row.status),
        row.total_incl,
        row.paid,
        due,
        row.last_payment,
        days_late(row.due_date, today, row.status, row.kind.value) or None,
        row.currency,
    ]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return safe_text(value)
    return value


class ExportService:
    """``ws.exports``: ``write(query, path)`` writes every row the query matches."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def rows(self, query: DocumentQuery) -> Iterator[DocumentRow]:
        offset = 0
        while True:
            page = self._ws.documents.list(replace(query, offset=offset, limit=_BATCH), with_total=False)
            yield from page.rows
            if len(page.rows) < _BATCH:
                return
            offset += len(page.rows)

    def write(self, query: DocumentQuery, path: Path | str, today: date | None = None) -> int:
        """Write the export (its format from the file name: .csv or .xlsx); returns the number of rows.
        Written next to the target and moved into place: a failed export leaves no half file."""
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise SmartDeskError(Message("Choose a file name ending in .csv or .xlsx."))
        today = today or date.today()
        headers = [_(h) for h in HEADERS]
        writer = self._csv if fmt == "csv" else self._xlsx
        try:
            count = write_atomically(path, lambda tmp: writer(query, tmp, headers, today))
        except OSError as exc:
            raise SmartDeskError(
                Message(
                    "The list could not be written to {path}: {reason}",
                    path=str(path),
                    reason=exc.strerror or str(exc),
                )
            ) from exc
        return count

    def _csv(self, query: DocumentQuery, path: Path, headers: list[str], today: date) -> int:
        count = 0
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f, delimiter=";")
            out.writerow(headers)
            for row in self.rows(query):
                out.writerow([_csv_value(v) for v in export_values(row, today)])
                count += 1
        return count

    def _xlsx(self, query: DocumentQuery, path: Path, headers: list[str], today: date) -> int:
        from openpyxl import Workbook  # only when exporting: not needed to start the app
        from openpyxl.cell import WriteOnlyCell

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Documents"))
        sheet.append(headers)
        count = 0
        for row in self.rows(query):
            cells: list[Any] = []
            for value in export_values(row, today):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even "=1+1" (never a formula)
                elif isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
            count += 1
        book.save(path)
        return count
