"""The local store's SQL, one module per group of tables (their schema is in ``store/migrations``).

- ``documents``: ``documents`` (the narrow list row), ``document_bodies`` (the JSON body) and
  ``documents_fts`` (full-text index): every statement on them, for the store, sync and the CLI.
- ``clients``: ``clients`` and ``clients_fts``, ``activities``.
- ``outbox``: ``outbox`` and ``sync_state``.
- ``settings``: ``settings`` and ``snippets``.
- ``attachments``: ``attachments`` (metadata of the receipt files kept by ``store.attachments``) and
  ``sync_blobs_done`` (the files the server has).

Functions take an open connection (``Store.read()`` / ``Store.write()``), so a caller puts several of
them in one transaction; ``Store`` (``store/repository.py`` and its parts) is the façade that opens them.
"""
