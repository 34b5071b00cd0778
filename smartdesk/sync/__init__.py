"""Sync with the cooperative's server: HTTP client, credentials, outbox/pull engine (no Qt here).

The wire types live in ``smartdesk.sync.protocol`` (shared with ``smartdesk_server``, which imports
only that module; keep this package's ``__init__`` free of imports so the server stays light).
"""
