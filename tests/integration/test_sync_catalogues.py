"""The cooperative's expense categories reach the app: served from the built-in list until staff
publish their own (`smartdesk-server set-expense-categories`), fetched only when their version changes."""

from __future__ import annotations

import json
from pathlib import Path

from smartdesk.domain.expenses import builtin_categories
from smartdesk.services import Workspace
from tests.support.sync_harness import (
    SyncServer,
    needs_server,
    server_cli,
    signed_in_engine,
)

pytestmark = needs_server

COOP_LIST = [
    {
        "code": "travel-train",
        "labels": {"fr": "Train", "nl": "Trein", "en": "Train"},
        "vat_rate": {"BE": "6"},
    },
    {
        "code": "stage-props",
        "labels": {"fr": "Accessoires de scène", "nl": "Decorstukken", "en": "Stage props"},
        "vat_rate": "21",
    },
]


def test_categories_follow_the_cooperative(sync_server: SyncServer, tmp_path: Path) -> None:
    email, _member = sync_server.member()
    with Workspace.open(tmp_path / "laptop") as ws:
        engine = signed_in_engine(ws, sync_server.url, email)
        assert [c.code for c in ws.receipts.expense_categories()] == [c.code for c in builtin_categories()]
        engine.sync()
        first_version = ws.store.get_state("catalogue_version")
        assert first_version  # the built-in list, served by the server, same codes
        assert [c.code for c in ws.receipts.expense_categories()] == [c.code for c in builtin_categories()]

        # staff publish their own list; a broken file is refused in plain words and changes nothing
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps([{"code": "x", "labels": {"fr": "X"}}]), encoding="utf-8")
        refused = server_cli(sync_server.process.data_dir, "set-expense-categories", str(bad))
        assert refused.returncode == 1 and "needs a label in nl, en" in refused.stderr
        good = tmp_path / "coop.json"
        good.write_text(json.dumps({"categories": COOP_LIST}), encoding="utf-8")
        done = server_cli(sync_server.process.data_dir, "set-expense-categories", str(good))
        assert done.returncode == 0, done.stderr

        result = engine.sync()
        assert result.requests >= 2
        assert ws.store.get_state("catalogue_version") not in (None, first_version)
        cats = ws.receipts.expense_categories()
        assert [c.code for c in cats] == ["travel-train", "stage-props"]
        assert cats[1].label("nl") == "Decorstukken" and str(cats[0].vat_rate_for("BE")) == "6"

        # nothing changed since: no catalogue request, a no-change sync stays one request
        again = engine.sync()
        assert again.requests == 1
