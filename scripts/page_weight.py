"""Measures a cold first visit in Chromium: every request a page makes, with the bytes transferred (as served, e.g. gzip)."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Visit:
    url: str
    requests: list[tuple[str, int]]  # (url, bytes transferred: headers + encoded body)

    @property
    def total(self) -> int:
        return sum(size for _, size in self.requests)

    def loads(self, fragment: str) -> bool:
        return any(fragment in url for url, _ in self.requests)


def wait_for_quiet(page, pending, quiet_ms: int, limit_s: float = 30) -> None:
    """Waits until `pending` (the page's requests not yet finished, kept by its listeners) has been empty for `quiet_ms`,
    for at most `limit_s` (Playwright's networkidle waits a fixed 500 ms)."""
    deadline, quiet = time.monotonic() + limit_s, 0
    while quiet < quiet_ms and time.monotonic() < deadline:
        page.wait_for_timeout(20)
        quiet = 0 if pending else quiet + 20


def cold_visit(browser, url: str, quiet_ms: int = 500) -> Visit:
    """Loads `url` in a fresh context (empty cache), scrolls to the end a screen at a time, waits until no request has
    been pending for `quiet_ms` (as Playwright's networkidle), and sums what was transferred."""
    context = browser.new_context()
    page = context.new_page()
    responses, pending = [], set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    page.on("requestfinished", lambda request: (pending.discard(request), responses.append(request)))
    page.goto(url, wait_until="load")
    page.evaluate("""async () => {  // a reader who reads to the end: whatever loads as it comes into view loads
      const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
      for (let y = 0; y < document.body.scrollHeight; y += innerHeight) {
        scrollTo(0, y);
        await frame();
        await frame();
      }
    }""")
    wait_for_quiet(page, pending, quiet_ms)
    sizes = []
    for request in responses:
        s = request.sizes()
        sizes.append((request.url, s["responseHeadersSize"] + s["responseBodySize"]))
    context.close()
    return Visit(url, sizes)
