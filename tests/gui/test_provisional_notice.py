"""The editor's notice that a draft prints provisional cooperative details: shown before the cooperative's
identity reached the app, gone once it is stored the way a sync stores it, never on an issued document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.identity import STATE_KEY, identity_to_dict
from smartdesk.gui.documents.provisional import ProvisionalNotice
from smartdesk.services import Workspace


def test_notice_until_the_identity_is_synced(qtbot, open_ws: Callable[[], Workspace]) -> None:  # noqa: ANN001
    ws = open_ws()
    notice = ProvisionalNotice()
    qtbot.addWidget(notice)
    draft = ws.documents.new(DocumentKind.INVOICE)
    notice.show_for(ws, draft)
    assert not notice.isHidden() and "provisional" in notice.text()
    published = identity_to_dict(replace(BUILTIN_ENTITIES["BE"], name="Coopérative Lumière SC", demo=False))
    with ws.store.write() as conn:
        ws.store.set_state(conn, STATE_KEY, [published])  # what SyncEngine._catalogues keeps
    assert ws.pdf.issuer(draft).name == "Coopérative Lumière SC"
    notice.show_for(ws, draft)
    assert notice.isHidden()
    with ws.store.write() as conn:
        ws.store.set_state(conn, STATE_KEY, [])
    issued = replace(
        draft, number="BE-INV-2026-000001", issuer=replace(BUILTIN_ENTITIES["BE"], provisional=False)
    )
    notice.show_for(ws, issued)
    assert notice.isHidden()
    notice.show_for(ws, draft)
    assert not notice.isHidden()
