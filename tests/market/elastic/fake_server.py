"""The HTTP plumbing shared by the tests' stand-ins for Elasticsearch: a local server that
records every request and lets a subclass decide the answer (``respond``), so the recording
server with canned answers (``conftest.ElasticServer``) and the in-memory cluster
(``fake_cluster.FakeCluster``) differ only in what they answer."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qsl, unquote, urlsplit

NDJSON_PATHS = ("/_bulk", "/_msearch")


def error_response(kind: str, reason: str, *, status: int) -> dict:
    """An error answer as Elasticsearch shapes it: the client reads ``kind`` as its message."""
    error = {"type": kind, "reason": reason}
    return {"error": {"root_cause": [error], **error}, "status": status}


@dataclass
class Recorded:
    method: str
    path: str  # percent-decoded
    params: dict[str, str]
    body: object = None  # parsed JSON, a list of parsed NDJSON lines (bulk, msearch), or None
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case


class FakeServer:
    """Serves on a free local port once started; records each request in ``requests`` and
    answers it with ``respond``, one request at a time (under ``_lock``), with the
    ``X-Elastic-Product`` header the Elasticsearch client insists on."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def respond(self, request: Recorded) -> tuple[int, object]:
        """The status and JSON answer (``None`` for an empty body) to ``request``."""
        raise NotImplementedError

    def _receive(self, request: Recorded) -> tuple[int, object]:
        with self._lock:
            self.requests.append(request)
            return self.respond(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                url = urlsplit(self.path)
                ndjson = "ndjson" in (self.headers.get("Content-Type") or "")
                if ndjson or url.path.endswith(NDJSON_PATHS):
                    body = [json.loads(line) for line in raw.splitlines() if line.strip()]
                else:
                    body = json.loads(raw) if raw else None
                status, answer = server._receive(
                    Recorded(
                        method=self.command,
                        path=unquote(url.path),
                        params=dict(parse_qsl(url.query, keep_blank_values=True)),
                        body=body,
                        headers={name.lower(): value for name, value in self.headers.items()},
                    )
                )
                content = json.dumps(answer).encode() if answer is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

            def log_message(self, *args) -> None:
                pass

        return Handler
