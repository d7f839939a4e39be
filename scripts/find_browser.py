"""Finds a Chromium without downloading one: $CHROME_PATH, Debian's headless shell or chromium, an installed Google Chrome;
None means Playwright's own."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

# The headless shell first: the same Blink as chromium, drawing and testing pages at about a third of the CPU of a page
# load (benchmarks/page_load_benchmark.py); Lighthouse measures in a full browser (shell=False).
SHELL = "chromium-headless-shell"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# Flags for a closed network: without them Chromium keeps calling Google's hosts in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The pages of one site share a renderer process, warm from the last: 20 % less CPU a page load
    # (benchmarks/page_load_benchmark.py; a new process for each tab otherwise).
    "--process-per-site",
]


def find_browser(shell: bool = True) -> str | None:
    """Returns the path of a Chromium-family browser to use (Debian's headless shell if `shell` and installed), or None
    to let Playwright use its download."""
    explicit = os.environ.get("CHROME_PATH")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise FileNotFoundError(f"CHROME_PATH={explicit} is not an executable")
        return explicit
    for name in ((SHELL,) if shell else ()) + CANDIDATES:
        path = shutil.which(name)
        if path and "snap" not in os.path.realpath(path):
            return path
    return None


class NoBrowser(Exception):
    """No Chromium to draw with at build time (the message says what to install)."""


@contextmanager
def build_browser(purpose: str):
    """A headless Chromium for drawing at build time (diagrams, link previews), closed on exit; NoBrowser if none runs."""
    from playwright.sync_api import Error, sync_playwright

    try:
        path = find_browser()
    except FileNotFoundError as error:
        raise NoBrowser(f"No Chromium to draw {purpose}: {error}") from None
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Error as error:
            first = str(error).strip().splitlines()[0]
            raise NoBrowser(f"No Chromium to draw {purpose} ({first}): install one (apt-get install chromium) "
                            "or set CHROME_PATH") from None
        try:
            yield browser
        finally:
            browser.close()


if __name__ == "__main__":
    print(find_browser() or "")
