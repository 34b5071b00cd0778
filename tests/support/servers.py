"""The reference server's app served by uvicorn in a thread of the test process, on 127.0.0.1 and a free
port (tests/server and the GUI sync tests; tests/support/sync_harness.py runs it as a subprocess)."""

from __future__ import annotations

import threading
from typing import Any

import uvicorn

from tests.support.net import free_port
from tests.support.waits import wait_until


class ThreadedServer:
    """``start()`` returns once the server accepts connections; ``stop()`` and ``start()`` again serve the
    same app on the same port (a server that goes away and comes back)."""

    def __init__(self, app: Any, port: int = 0) -> None:
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False, lifespan="on"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        self.server, self.thread = server, thread
        wait_until(lambda: server.started or not thread.is_alive(), what="the server to start")
        if not server.started:
            raise RuntimeError(f"the server on port {self.port} stopped while starting (see the log above)")

    @property
    def running(self) -> bool:
        return self.server is not None

    def stop(self) -> None:
        if self.server is None or self.thread is None:
            return
        self.server.should_exit = True
        self.thread.join(30)
        self.server = self.thread = None
