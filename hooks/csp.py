"""Content Security Policy: every HTML file the build writes gets a <meta> CSP right after its charset, whose script-src
allows this site's files and, by hash, the inline scripts left in that file (computed from the finished HTML)."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.csp")
# Diagrams (inline SVG from Mermaid) carry <style> elements and style= attributes: styles stay inline (README, Security).
POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'")
META = '<meta http-equiv="Content-Security-Policy" content="{}">'
OLD_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?')
CHARSET = re.compile(r'<meta charset="[^"]*">\n?', re.I)
HEAD = re.compile(r"<head\b[^>]*>\n?", re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)
RUNS = {"", "text/javascript", "application/javascript", "module"}  # script types the browser executes


def inline_scripts(html: str) -> list[str]:
    """The text of each inline <script> in `html` that the browser would run (no src, a JavaScript type)."""
    found = []
    for match in SCRIPT.finditer(html):
        attrs = match[1]
        kind = TYPE.search(attrs)
        if re.search(r"\bsrc\s*=", attrs, re.I) or (kind[1].lower() if kind else "") not in RUNS:
            continue
        found.append(match[2])
    return found


def sha256(script: str) -> str:
    """The CSP source expression that allows `script` (its UTF-8 text, hashed as the browser hashes it)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def policy(html: str) -> str:
    """The page's policy: script-src 'self' plus the hash of each of its inline scripts (in the order they appear)."""
    hashes = dict.fromkeys(sha256(script) for script in inline_scripts(html))
    return POLICY.format(scripts="".join(" " + h for h in hashes))


def with_policy(html: str, name: str = "page") -> str:
    """`html` with its one CSP <meta> first in <head> after the charset (a CSP only covers what follows it)."""
    html = OLD_META.sub("", html)
    place = CHARSET.search(html) or HEAD.search(html)
    if place is None:
        raise PluginError(f"{name}: has no <head>, so it cannot carry the Content Security Policy")
    return html[:place.end()] + META.format(policy(html)) + "\n" + html[place.end():]


def on_post_build(config, **kwargs):
    """Runs after the other hooks' post-build steps (listed last), so the packet and the English site are final."""
    for folder, _, names in os.walk(config.site_dir):
        for name in names:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    html = f.read()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(with_policy(html, os.path.relpath(path, config.site_dir)))


def on_serve(server, config, builder, **kwargs):
    """`mkdocs serve` adds a live-reload script to each page it serves (different every time): its hash is added too."""
    inject = getattr(server, "_inject_js_into_html", None)  # MkDocs 1.6's LiveReloadServer
    if inject is None:
        log.warning("mkdocs serve: cannot allow the live-reload script; the CSP blocks it (reload the page by hand)")
        return server
    server._inject_js_into_html = lambda content, epoch: with_policy(inject(content, epoch).decode("utf-8")).encode("utf-8")
    return server
