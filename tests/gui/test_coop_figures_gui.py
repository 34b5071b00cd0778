"""What the cooperative tells the member, on screen: an activity's monthly figures on the Activities page
(with a 12-month total, or a plain empty state) and a client's payment behaviour as a labelled chip on the
Clients page. The data goes into a real store the way a sync writes it (``local.apply_upsert`` with the
server's JSON); tests/integration/test_sync_coop_figures.py covers the real server.

Screenshots go to $SMARTDESK_SCREENSHOT_DIR/coop_figures/<language>/.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics

from smartdesk.domain.documents import Activity, Address, Client
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import activity_to_dict, client_to_dict
from smartdesk.gui.widgets.chips import PAYMENT_FLAG_TIP
from smartdesk.i18n import ui
from smartdesk.services import Workspace
from tests.support.pulled import pull
from tests.support.screens import clipped, screenshot_folder


def _month(year: int, month: int, invoiced: str) -> dict[str, str]:
    return {
        "month": f"{year}-{month:02d}",
        "revenue_invoiced": invoiced,
        "revenue_paid": "1000.00",
        "expenses": "150.25",
        "wages": "600",
        "hours": "40.5",
    }


# 14 months: the table shows the latest 12 (2026) and their total; Nov-Dec 2025 must stay out of it
MONTHS = [_month(2025, m, "1000.00") for m in (11, 12)] + [_month(2026, m, "1200.00") for m in range(1, 13)]
HEADERS = {
    "en": ["Invoiced", "Paid", "Expenses", "Wages", "Hours"],
    "fr": ["Facturé", "Payé", "Frais", "Salaires", "Heures"],
    "nl": ["Gefactureerd", "Betaald", "Onkosten", "Lonen", "Uren"],
}
TOTAL_LABEL = {
    "en": "Total, last 12 months",
    "fr": "Total des 12 derniers mois",
    "nl": "Totaal van de laatste 12 maanden",
}


def open_row(window, key: str, record_id: str):
    """Show the window's page ``key``, refreshed, with the row of ``record_id`` selected."""
    window.show_page(key)
    page = window.pages[key]
    page.refresh()
    page.table.selectRow(page.model.row_of(record_id))
    window.tasks.flush()
    return page


def money_text(lang: str, amount: Decimal) -> str:
    """Euros as each language writes them (CLDR): written out here, not with the app's formatter."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = f"{int(whole):,}"
    if lang == "en":
        return f"€{groups}.{cents}"
    if lang == "fr":
        return f"{groups.replace(',', chr(0x202F))},{cents}\u00a0€"
    return f"€\u00a0{groups.replace(',', '.')},{cents}"


def _private(name: str, address: Address, email: str = "") -> Client:
    """A person (not a business) as a client."""
    return Client(id=uuid7(), name=name, address=address, is_business=False, email=email)


def _synced(ws: Workspace) -> tuple[Activity, Activity, Client, Client]:
    """Two activities (one with 14 months of figures) and two clients (one flagged "late"), as pulled."""
    with_figures = Activity(id=uuid7(), name="Photography", code="A-10001")
    without = Activity(id=uuid7(), name="Theatre workshops", code="A-10002")
    late = _private(
        "Brasserie du Parc", Address("Rue Haute 1", "1000", "Bruxelles", "BE"), "parc@example.org"
    )
    fine = _private("Atelier Noord", Address("Kerkstraat 2", "9000", "Gent", "BE"))
    pull(
        ws,
        [
            ("activity", with_figures.id, {**activity_to_dict(with_figures), "monthly": MONTHS}, 4),
            ("activity", without.id, activity_to_dict(without), 1),
            ("client", late.id, {**client_to_dict(late), "payment_flag": "late"}, 2),
            ("client", fine.id, client_to_dict(fine), 1),
        ],
    )
    return with_figures, without, late, fine


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_activities_show_the_figures_and_clients_the_payment_flag(
    qtbot, open_ws, make_window, tmp_path: Path, lang: str
) -> None:
    ws = open_ws()
    with_figures, without, late, fine = _synced(ws)
    ui.set_language(lang)
    folder = screenshot_folder(tmp_path, "coop_figures", lang)
    window = make_window(ws)

    # --- Activities: the latest 12 months and their total -------------------------------------------------
    page = open_row(window, "activities", with_figures.id)
    table = page.figures
    assert page.figures_box.isVisible() and table.isVisible() and not page.figures_empty.isVisible()
    assert table.rowCount() == 13  # 12 months + the total
    assert table.height() > 13 * table.rowHeight(0)  # all of it in view, not squeezed away
    assert [table.horizontalHeaderItem(c).text() for c in range(1, 6)] == HEADERS[lang]
    # the latest 12 months of the data written above, summed here with plain Decimals
    latest = sorted(MONTHS, key=lambda m: m["month"])[-12:]
    for row, month in enumerate(latest):
        year, number = month["month"].split("-")
        assert table.item(row, 0).text() == f"{number}/{year}"
        assert [table.item(row, c).text() for c in range(1, 5)] == [
            money_text(lang, Decimal(month[k]))
            for k in ("revenue_invoiced", "revenue_paid", "expenses", "wages")
        ]
        assert table.item(row, 5).text() == {"en": "40.5", "fr": "40,5", "nl": "40,5"}[lang]
    sums = {
        k: sum(Decimal(m[k]) for m in latest)
        for k in ("revenue_invoiced", "revenue_paid", "expenses", "wages", "hours")
    }
    assert sums == {
        "revenue_invoiced": Decimal("14400.00"),
        "revenue_paid": Decimal("12000.00"),
        "expenses": Decimal("1803.00"),
        "wages": Decimal("7200"),
        "hours": Decimal("486.0"),
    }
    assert table.item(12, 0).text() == TOTAL_LABEL[lang]
    bold = table.item(12, 0).font()
    assert table.columnWidth(0) > QFontMetrics(bold).horizontalAdvance(table.item(12, 0).text())  # not cut
    assert [table.item(12, c).text() for c in range(1, 5)] == [
        money_text(lang, sums[k]) for k in ("revenue_invoiced", "revenue_paid", "expenses", "wages")
    ]
    assert table.item(12, 5).text() == "486"
    assert "Photography" in page.figures_title.text()
    assert clipped(window) == []
    assert window.grab().save(str(folder / "activities_figures.png"))

    # an activity the cooperative has sent nothing for says so in plain words
    page.table.selectRow(page.model.row_of(without.id))
    window.tasks.flush()
    assert page.figures_empty.isVisible() and not table.isVisible()
    assert (
        page.figures_empty.text()
        == {
            "en": "The cooperative has not sent figures for this activity yet; they arrive with the next sync.",
            "fr": "La coopérative n'a pas encore envoyé de chiffres pour cette activité ; ils arrivent à la prochaine "
            "synchronisation.",
            "nl": "De coöperatie heeft nog geen cijfers voor deze activiteit gestuurd; ze komen bij de volgende "
            "synchronisatie.",
        }[lang]
    )
    assert window.grab().save(str(folder / "activities_no_figures.png"))

    # --- Clients: the flag in words, in a coloured chip, with where it comes from -------------------------
    clients = open_row(window, "clients", late.id)
    chip = clients.flag_chip
    assert chip.isVisible() and chip.flag == "late"
    assert (
        chip.words
        == {"en": "Often pays late", "fr": "Paie souvent en retard", "nl": "Betaalt vaak te laat"}[lang]
    )
    assert chip.words in chip.text()
    assert "#c98a00" in chip.styleSheet()  # the colour repeats the words, never replaces them
    assert chip.toolTip() == ui._(PAYMENT_FLAG_TIP) and "sync" in chip.toolTip()
    assert {"en": "cooperative", "fr": "coopérative", "nl": "coöperatie"}[lang] in chip.toolTip()
    assert clipped(window) == []
    assert window.grab().save(str(folder / "clients_flag.png"))

    clients.table.selectRow(clients.model.row_of(fine.id))
    window.tasks.flush()
    assert (
        chip.flag == ""
        and chip.words
        == {
            "en": "No payment problem known",
            "fr": "Aucun problème de paiement connu",
            "nl": "Geen betalingsprobleem bekend",
        }[lang]
    )
    # editing the client on this page keeps the cooperative's flag of the other client untouched
    clients.table.selectRow(clients.model.row_of(late.id))
    clients.email.setText("accounts@parc.example")
    clients.email.textEdited.emit("accounts@parc.example")
    clients.save_client()
    window.tasks.flush()
    saved = ws.clients.get(late.id)
    assert saved.email == "accounts@parc.example" and saved.payment_flag == "late"
    [entry] = [e for e in ws.store.outbox_entries() if e.entity_id == late.id]
    assert "payment_flag" not in entry.args["client"] and entry.args["changed"] == ["email"]
