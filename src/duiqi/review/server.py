"""The local review server: one page, a JSON API, loopback only.

``GET /`` the page (``page.html``, package data, self-contained); ``GET /api/project`` the project;
``POST /api/save`` the page's beads and undo stack (validated, written atomically);
``POST /api/export`` ``{"formats": [...]}`` writes the chosen exports beside the project file;
``POST /api/quit`` stops the server. Requests must carry the session token (a random value put into
the page) in ``X-Duiqi-Token`` and a loopback ``Host``: other web pages cannot reach the API (the
custom header needs a CORS pre-flight, which this server never grants).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from duiqi.errors import DuiqiError
from duiqi.review.export import EXPORTS, export, export_paths
from duiqi.review.project import Project, save_project

MAX_BODY = 512 * 1024 * 1024


def page_html() -> str:
    return resources.files("duiqi.review").joinpath("page.html").read_text(encoding="utf-8")


class ReviewServer(ThreadingHTTPServer):
    """Serves one project; ``url`` is what to open. Saves go to ``project_path``, exports beside it."""

    daemon_threads = True

    def __init__(self, project: Project, project_path: str, stem: str, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.project = project
        self.project_path = project_path
        self.stem = stem
        self.token = secrets.token_urlsafe(24)
        self.lock = threading.Lock()
        self.page = page_html().replace("__DUIQI_TOKEN__", self.token)
        self._payload: bytes | None = None
        self.payload()  # serialised before the address is printed, so the page paints sooner

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def payload(self) -> bytes:
        """What the page loads: the project without the machine's beads (the page never needs them)."""
        with self.lock:
            if self._payload is None:
                data = self.project.to_json()
                del data["machine"]
                data["project_path"] = self.project_path
                data["exports"] = {f: export_paths(self.stem, f, self.project) for f in EXPORTS}
                self._payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            return self._payload

    def save(self, state: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.project.set_state(state, source=self.project_path)
            self._payload = None
            save_project(self.project, self.project_path)
            return {"saved": self.project_path, "counts": self.project.counts()}

    def export(self, formats: list[str]) -> dict[str, Any]:
        bad = [f for f in formats if f not in EXPORTS]
        if bad or not formats:
            raise DuiqiError(f"unknown export format(s) {bad or formats} (choose from {', '.join(EXPORTS)})")
        with self.lock:
            written = [p for fmt in formats for p in export(self.project, fmt, self.stem)]
        return {"written": written, "note": self.project.review_note()}


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows the URL only
        pass

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").lower()
        return host in (f"127.0.0.1:{self.server.port}", f"localhost:{self.server.port}")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        try:
            self._send_now(status, body, ctype)
        except (BrokenPipeError, ConnectionResetError):  # the page went away: nothing to tell it
            self.close_connection = True

    def _send_now(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy",
                         "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                         "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def do_GET(self) -> None:
        if not self._host_ok():
            self._json(HTTPStatus.FORBIDDEN, {"error": "bad host"})
            return
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._send(HTTPStatus.OK, self.server.page.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/api/project":
            if self.headers.get("X-Duiqi-Token") != self.server.token:
                self._json(HTTPStatus.FORBIDDEN, {"error": "bad token"})
                return
            self._send(HTTPStatus.OK, self.server.payload(), "application/json; charset=utf-8")
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_POST(self) -> None:
        if not self._host_ok() or self.headers.get("X-Duiqi-Token") != self.server.token:
            self._json(HTTPStatus.FORBIDDEN, {"error": "bad host or token"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._json(HTTPStatus.BAD_REQUEST, {"error": "bad length"})
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._json(HTTPStatus.BAD_REQUEST, {"error": "body is not JSON"})
            return
        path = self.path.split("?", 1)[0]
        try:
            if path == "/api/save":
                self._json(HTTPStatus.OK, self.server.save(body))
            elif path == "/api/export":
                if "beads" in body:
                    self.server.save(body)
                self._json(HTTPStatus.OK, self.server.export(list(body.get("formats") or [])))
            elif path == "/api/quit":
                self._json(HTTPStatus.OK, {"bye": True})
                threading.Thread(target=self.server.shutdown, daemon=True).start()
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
        except (DuiqiError, OSError) as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})


@contextlib.contextmanager
def serving(project: Project, project_path: str, stem: str, port: int = 0) -> Iterator[ReviewServer]:
    """Serve ``project`` in a background thread for the ``with`` block (tests, scripts, notebooks)."""
    server = ReviewServer(project, project_path, stem, port=port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

