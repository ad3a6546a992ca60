"""Send every response without Nagle's wait: TCP_NODELAY on the server's listening socket.

Streamlit's server binds its socket itself with `socket.socket(family=…)`, whose protocol number is 0, and
asyncio only turns Nagle's algorithm off for sockets whose protocol is IPPROTO_TCP. So each HTTP response,
written as headers and then body, waited for the browser's delayed acknowledgement of the headers: 42 ms per
static file, measured on every one of Streamlit's ≈60 JavaScript files (0.2 ms with the option set). The
browser fetches them six at a time, so the page took ≈0.45 s longer to load than it needs to.

Accepted connections inherit the option from the listening socket (Linux), so setting it there covers every
request and the websocket. Nothing else about the server changes; when Streamlit's layout is not the known
one the server runs as before and the log says so.
"""
from __future__ import annotations

import socket
from typing import Any


def set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def install() -> str:
    """Wrap Streamlit's socket binding so the listening socket has TCP_NODELAY; call before the server starts.
    Returns a line for the log saying what was done."""
    try:
        from streamlit.web.server.starlette import starlette_server as server
    except ImportError as exc:
        return f"svdash: TCP_NODELAY not set ({exc}); pages work, static files just arrive later"
    bind = getattr(server, "_bind_socket", None)
    if bind is None:
        return "svdash: TCP_NODELAY not set (Streamlit's server has no _bind_socket); pages work, just slower"

    def bind_nodelay(*args: Any, **kwargs: Any) -> socket.socket:
        sock = bind(*args, **kwargs)
        set_nodelay(sock)
        return sock

    server._bind_socket = bind_nodelay
    return "svdash: TCP_NODELAY on the server socket"
