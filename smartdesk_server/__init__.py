"""SmartDesk reference cooperative backend (FastAPI): accounts, sync protocol, advisor actions, follow-up.

Never frozen into the desktop app and never imports ``smartdesk.gui``. ``docs/protocol.md`` documents
the HTTP protocol; ``smartdesk-server --help`` the command line.
"""

__all__: list[str] = []
