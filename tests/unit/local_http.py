"""A threaded HTTP server on a free 127.0.0.1 port for the API client tests: subclasses implement
`handle(request_handler)` for every GET and use the server as a context manager."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    def _start_server(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    def stopping(self) -> None:
        """Called before shutdown (release anything a handler may be waiting on)."""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping()
        self.httpd.shutdown()
        self.httpd.server_close()
