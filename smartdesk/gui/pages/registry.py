"""The pages of the main window: key -> label, tooltip, shortcut and the factory that builds the page.

The main window lists the pages from here (navigation, Go to menu) and builds each one the first time it
is shown, through its factory: a page's module is imported only then, so the start-up (the list page)
never loads the other screens. A new page is one entry in ``REGISTRY`` and one factory.

Light on purpose: no page module is imported here at load time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from smartdesk.domain.documents import DocumentKind
from smartdesk.gui.labels import PLURALS
from smartdesk.i18n.ui import N_

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from smartdesk.gui.main_window import MainWindow
    from smartdesk.gui.pages.followup import FollowUpPage
    from smartdesk.gui.pages.requests import RequestsPage
    from smartdesk.gui.widgets.screen import Screen

PageFactory = Callable[["MainWindow"], "QWidget"]
_ScreenT = TypeVar("_ScreenT", bound="Screen")
_CoopPageT = TypeVar("_CoopPageT", "RequestsPage", "FollowUpPage")  # the pages a sync brings news to


@dataclass(frozen=True)
class PageSpec:
    """One page of the main window."""

    key: str
    label: str  # marked with N_(), translated when shown
    tip: str  # marked with N_()
    factory: PageFactory


def _document_list(kind: DocumentKind) -> PageFactory:
    def build(w: MainWindow) -> QWidget:
        from smartdesk.gui.documents.list_page import DocumentListPage

        lst = _screen(w, DocumentListPage(w.ws, kind, w.tasks, state=w.state))  # state: columns remembered
        lst.new_requested.connect(w.new_document)
        lst.delete_requested.connect(w.delete_document)
        return lst

    return build


def _home(w: MainWindow) -> QWidget:
    from smartdesk.gui.pages.home import HomePage

    home = HomePage(w.ws, w.tasks)

    def open_list(key: str, filt: object) -> None:
        w.show_page(key)
        apply = getattr(w.page(key), "apply_list_filter", None)
        if apply is not None:
            apply(filt)

    home.open_list.connect(open_list)
    home.open_document.connect(lambda doc_id: w.open_document(doc_id, back_to="home"))
    return home


def _screen(w: MainWindow, page: _ScreenT, back_to: str | None = None) -> _ScreenT:
    """Wire a screen to the window: its messages go to the status bar, the documents it opens to the
    editor (with ``back_to``, the editor returns to that page on Back / Esc)."""
    page.message.connect(w.show_message)
    page.open_document.connect(lambda doc_id: w.open_document(doc_id, back_to=back_to))
    return page


def _coop_page(w: MainWindow, page: _CoopPageT, back_to: str | None = None) -> _CoopPageT:
    """Wire a page of what the cooperative sends (answers, follow-up notices) like any screen, and give
    it a new reading after each sync, which pulls them."""
    _screen(w, page, back_to)
    w.sync.controller.finished.connect(lambda _r, p=page: p.refresh())
    return page


def _clients(w: MainWindow) -> QWidget:
    from smartdesk.gui.pages.clients import ClientsPage

    return _screen(w, ClientsPage(w.ws, w.tasks))


def _activities(w: MainWindow) -> QWidget:
    from smartdesk.gui.pages.activities import ActivitiesPage

    return _screen(w, ActivitiesPage(w.ws, w.tasks))


def _questions(w: MainWindow) -> QWidget:
    from smartdesk.gui.pages.requests import RequestsPage

    return _coop_page(w, RequestsPage(w.ws, w.tasks))


def _followup(w: MainWindow) -> QWidget:
    from smartdesk.gui.pages.followup import FollowUpPage

    return _coop_page(w, FollowUpPage(w.ws, w.tasks, w.list_stack), back_to="followup")


def _settings(w: MainWindow) -> QWidget:
    from smartdesk.gui.pages.settings import SettingsPage

    return _screen(w, SettingsPage(w.ws, w.tasks))


def _glossary(w: MainWindow) -> QWidget:
    from smartdesk.gui.pages.glossary import GlossaryPage

    return GlossaryPage()


def _sync(w: MainWindow) -> QWidget:
    return _screen(w, w.sync.page())


# the document lists: page key, kind of document, tooltip (the label is the kind's plural)
DOCUMENT_LISTS: tuple[tuple[str, DocumentKind, str], ...] = (
    ("quotes", DocumentKind.QUOTE, N_("What you propose to clients, before the work")),
    ("invoices", DocumentKind.INVOICE, N_("What your clients have to pay")),
    ("credit_notes", DocumentKind.CREDIT_NOTE, N_("Corrections of invoices")),
    ("expense_notes", DocumentKind.EXPENSE_NOTE, N_("What you spent for your activity, to be paid back")),
)
DOC_PAGES: dict[str, DocumentKind] = {key: kind for key, kind, _tip in DOCUMENT_LISTS}
REGISTRY: tuple[PageSpec, ...] = (
    PageSpec("home", N_("Home"), N_("Where your money stands and what waits for you"), _home),
    *(PageSpec(key, PLURALS[kind], tip, _document_list(kind)) for key, kind, tip in DOCUMENT_LISTS),
    PageSpec("clients", N_("Clients"), N_("Your address book"), _clients),
    PageSpec("activities", N_("Activities"), N_("Your budget lines and their totals"), _activities),
    PageSpec(
        "questions",
        N_("Ask for help"),
        N_("Questions to the cooperative's services and their answers"),
        _questions,
    ),
    PageSpec(
        "followup",
        N_("Follow-up"),
        N_("What the cooperative does when a client does not pay: Hold or OK"),
        _followup,
    ),
    PageSpec("settings", N_("Settings"), N_("Language, your brand, defaults, backups"), _settings),
    PageSpec("glossary", N_("Glossary"), N_("The words SmartDesk uses and what they mean"), _glossary),
    PageSpec(
        "sync",
        N_("Sync"),
        N_("Your account at the cooperative, what is waiting to be sent, choices to make"),
        _sync,
    ),
)
BY_KEY: dict[str, PageSpec] = {spec.key: spec for spec in REGISTRY}
EXTRA_PAGES = ("followup",)  # pages added once Ctrl+0 … Ctrl+9 were all taken
HOME_SHORTCUT = "Alt+Home"  # as in web browsers; Ctrl+1 … Ctrl+9 keep their pages


def page_shortcut(key: str) -> str:
    """Ctrl+1 … Ctrl+9 keep the pages they always had; "questions", added later, is Ctrl+0."""
    if key == "questions":
        return "Ctrl+0"
    if key == "home":
        return HOME_SHORTCUT
    if key in EXTRA_PAGES:
        return ""  # no digit left: reached from the list on the left and the Go to menu
    return f"Ctrl+{[s.key for s in REGISTRY if s.key not in ('questions', 'home') and s.key not in EXTRA_PAGES].index(key) + 1}"
