"""The application's event bus: one QObject whose signals tell every screen what changed.

A screen that shows data connects to the signals it cares about and refreshes itself; whoever changes
data (an editor, a page, the sync controller) emits the matching signal. No screen reaches into another
screen or into the main window's private methods to ask for a refresh.

Signals are emitted on the GUI thread only (worker results come back through the task manager first).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    """The signals of the application; get the one instance with `events()`."""

    # Ids of the documents that changed (created, edited, deleted, pulled); an empty frozenset = "any".
    documents_changed = Signal(object)
    # Ids of the clients that changed; an empty frozenset = "any".
    clients_changed = Signal(object)
    # The member's brand, activities or other settings changed.
    settings_changed = Signal()
    # The cooperative's facts pulled by sync changed (figures, catalogues, follow-up, requests).
    coop_data_changed = Signal()
    # Sync state changed (online/offline, signed in/out, changes waiting, conflicts): for status widgets.
    sync_state_changed = Signal()
    # The member chose another interface language (its code): the main window applies it at once.
    language_chosen = Signal(str)
    # The interface language changed (its code), every text is in it now: screens that wrote texts from
    # data themselves may write them again.
    language_changed = Signal(str)
    # A short notice for the member (shown by the main window's notification area).
    notice = Signal(str)


_EVENTS: AppEvents | None = None


def events() -> AppEvents:
    """The one event bus of this process (made on first use, on the GUI thread)."""
    global _EVENTS
    if _EVENTS is None:
        _EVENTS = AppEvents()
    return _EVENTS


def reset_events() -> None:
    """Forget the bus (tests that build several main windows in one process call this between them)."""
    global _EVENTS
    if _EVENTS is not None:
        _EVENTS.deleteLater()
    _EVENTS = None
