"""Use cases the GUI and the CLI both call, one service per area, handed out by ``Workspace``:
``ws.documents``, ``ws.clients``, ``ws.activities``, ``ws.profile``, ``ws.receipts``, ``ws.pdf``,
``ws.snippets``, ``ws.backup``, ``ws.requests``, ``ws.followup``, ``ws.sync``, ``ws.settings``
(docs/decisions/0008-services-by-area.md)."""

from smartdesk.services.workspace import Workspace
from smartdesk.store import rows
from smartdesk.store.rows import *  # noqa: F403 (the store's row types, named in rows.__all__)

__all__ = ["Workspace"]
__all__ += rows.__all__
