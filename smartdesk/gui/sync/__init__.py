"""What the member sees of sync, one module per piece (issue 15):

- ``controller``: ``SyncController`` - timers, one worker thread and signals around ``ws.sync``
  (the workspace's one ``SyncService``, shared with the command line); ``SyncView``;
- ``news``: what a pulled page announces (``News``, the watching client);
- ``texts``: the words (errors, refusals, times, news, the differences of a conflict);
- ``status``: the status bar entry; ``sign_in``: the sign-in dialog; ``cards``: a conflict, a refusal;
  ``page``: the Sync page; ``notice``: the in-window notice; ``ui``: ``SyncUi`` and ``install_sync``.

Sync tells the other screens what changed through the event bus (``smartdesk.gui.events``), never by
calling into them. Names are imported lazily from here (``from smartdesk.gui.sync import SyncPage``):
importing the package costs nothing until a name is used.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "SyncController": "controller",
    "SyncView": "controller",
    "error_kind_of": "controller",
    "GUI_PULL_LIMIT": "controller",
    "News": "news",
    "NOTIFY_STATUSES": "news",
    "make_watching_client": "news",
    "watch_page": "news",
    "KIND_NAMES": "texts",
    "ERRORS": "texts",
    "REFUSALS": "texts",
    "FIELD_LABELS": "texts",
    "refusal_texts": "texts",
    "since_text": "texts",
    "error_texts": "texts",
    "kind_name": "texts",
    "document_label": "texts",
    "news_text": "texts",
    "differences": "texts",
    "SyncStatusButton": "status",
    "SignInDialog": "sign_in",
    "ConflictCard": "cards",
    "RejectionCard": "cards",
    "SyncPage": "page",
    "Notice": "notice",
    "SyncUi": "ui",
    "install_sync": "ui",
    "START_DELAY_MS": "ui",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
