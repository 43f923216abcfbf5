"""The real app on real HTTP over loopback: uvicorn in a thread, with a settable clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from postback.settings import Settings
from postback.web.app import create_app
from postback.web.services import Services
from support.postgres import free_port


class FakeClock:
    """A clock the test sets; it stands still unless told to move."""

    def __init__(self, now_ms: int = 1_700_000_000_000) -> None:
        self.now = now_ms

    def now_ms(self) -> int:
        return self.now


class LiveServer:
    def __init__(self, url: str, services: Services) -> None:
        self.url = url
        self.services = services


@contextmanager
def live_server(settings: Settings, clock: Any = None) -> Iterator[LiveServer]:
    """Serve `create_app(settings, clock)` on a free loopback port until the block ends."""
    app = create_app(settings, clock)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", loop="asyncio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app.state.services)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
