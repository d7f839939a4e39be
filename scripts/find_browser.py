"""Finds a Chromium without downloading one: $CHROME_PATH, Debian's chromium, an installed Google Chrome; None means Playwright's own."""

from __future__ import annotations

import os
import shutil

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
]


def find_browser() -> str | None:
    """Returns the path of a Chromium-family browser to use, or None to let Playwright use its download."""
    explicit = os.environ.get("CHROME_PATH")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise FileNotFoundError(f"CHROME_PATH={explicit} is not an executable")
        return explicit
    for name in CANDIDATES:
        path = shutil.which(name)
        if path and "snap" not in os.path.realpath(path):
            return path
    return None


if __name__ == "__main__":
    print(find_browser() or "")
