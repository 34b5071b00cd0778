"""Ports on 127.0.0.1 for the servers the tests start (never a fixed port: tests run in parallel)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port that was free a moment ago (the caller binds it at once; the kernel does not reuse it soon)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
