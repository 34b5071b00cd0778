"""Clients: saved as typed (problems reported, not refused), deleted with undo, listed and searched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartdesk.domain.documents import Client
from smartdesk.errors import Problem, ValidationError
from smartdesk.store import ClientRow

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


class ClientService:
    """``ws.clients``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def save(self, client: Client) -> Client:
        """Save a client. Wrong VAT numbers etc. are kept but reported by ``problems``."""
        if not client.name.strip():
            raise ValidationError([Problem("name", "required.client_name", "Give the client's name.")])
        return self._ws.store.put_client(client)

    def problems(self, client: Client) -> list[Problem]:
        from smartdesk.domain.validation import validate_client  # stdnum: not needed to start the app

        return validate_client(client)

    def get(self, client_id: str) -> Client:
        return self._ws.store.get_client(client_id)

    def delete(self, client_id: str) -> Client:
        client = self._ws.store.get_client(client_id)
        self._ws.store.delete_client(client_id)
        return client

    def restore(self, client: Client) -> Client:
        return self._ws.store.put_client(client)

    def list(self, text: str = "") -> list[ClientRow]:
        return self._ws.store.list_clients(text)
