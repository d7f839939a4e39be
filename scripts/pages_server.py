"""Serves a built site the way GitHub Pages does: under a sub-path, gzip-compressed, with the root 404.html for missing paths."""

from __future__ import annotations

import gzip
import mimetypes
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("image/svg+xml", ".svg")
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml", "text/javascript")


def make_handler(root: str, prefix: str):
    """Returns a request handler serving directory `root` at URL path `prefix` (e.g. "/aws-basics/")."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def _resolve(self, path: str) -> str | None:
            if not path.startswith(prefix):
                return None
            local = os.path.normpath(os.path.join(root, unquote(path[len(prefix):])))
            if not local.startswith(os.path.abspath(root)):
                return None
            if os.path.isdir(local):
                if not path.endswith("/"):
                    return "redirect"
                local = os.path.join(local, "index.html")
            return local if os.path.isfile(local) else None

        def do_GET(self):
            path = urlsplit(self.path).path
            local = self._resolve(path)
            if local == "redirect":
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            status = 200
            if local is None:
                status, local = 404, os.path.join(root, "404.html")
            with open(local, "rb") as f:
                body = f.read()
            ctype = mimetypes.guess_type(local)[0] or "application/octet-stream"
            self.send_response(status)
            self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
            if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, 6)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(root: str, prefix: str = "/", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Starts a server in a background thread; returns it and the site's base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(os.path.abspath(root), prefix))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", nargs="?", default="site")
    parser.add_argument("--prefix", default="/")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    httpd, url = serve(args.root, args.prefix, args.port)
    print(f"Serving {args.root} at {url} (Ctrl+C to stop)")
    threading.Event().wait()
