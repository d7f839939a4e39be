"""Measures a cold first visit in Chromium: every request a page makes, with the bytes transferred (as served, e.g. gzip)."""

from __future__ import annotations

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


def cold_visit(browser, url: str, settle_ms: int = 1500) -> Visit:
    """Loads `url` in a fresh context (empty cache), scrolls to the end, waits for the network, and sums what was transferred."""
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url, wait_until="networkidle")
    page.evaluate("""async () => {  // a reader who reads to the end: every diagram loads
      for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y);
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    }""")
    page.wait_for_timeout(settle_ms)
    page.wait_for_load_state("networkidle")
    sizes = []
    for request in responses:
        s = request.sizes()
        sizes.append((request.url, s["responseHeadersSize"] + s["responseBodySize"]))
    context.close()
    return Visit(url, sizes)
