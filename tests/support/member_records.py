"""The first records a member sets up before any invoice: a photography activity and a private client in
Brussels. Built here once for the server tests (``tests/server/conftest.py``), the sync tests
(``sync_harness.seed_member_data`` saves them in a local store) and the issuing benchmark
(``bench/issue.py``); this module saves nothing itself."""

from __future__ import annotations

from smartdesk.domain.documents import Activity, Address, Client
from smartdesk.domain.ids import uuid7


def activity_and_client() -> tuple[Activity, Client]:
    """A new Belgian activity "Photography" (A-1) and a new private client, "Studio Noord", with new ids."""
    activity = Activity(id=uuid7(), name="Photography", code="A-1", entity="BE")
    client = Client(
        id=uuid7(),
        name="Studio Noord",
        address=Address("Rue Haute 1", "1000", "Bruxelles", "BE"),
        is_business=False,
        email="studio@example.org",
    )
    return activity, client
