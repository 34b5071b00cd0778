"""Helpers shared by the test layers (no tests here, and no fixtures: conftest files use these).

- ``optional``: skip only when an optional dependency is missing, naming it; any other import error fails.
- ``net``: free ports on 127.0.0.1.
- ``waits``: wait for a condition outside Qt (threads, processes, files), never for a fixed time.
- ``sync_harness``: the real server in a subprocess, a fault-injecting proxy, members and their data.
- ``screens``: screenshot folders and checks of what a person sees (Qt; GUI tests only).
- ``editing``: a new or opened document in the editor of a window under test (Qt; GUI tests only).
- ``pulled``: documents and other records written the way a sync brings them back from the cooperative.
- ``lifecycle``: document statuses written out by hand from the domain brief (an oracle, not the code's lists).
"""
