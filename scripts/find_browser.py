"""Finds a Chromium without downloading one: $CHROME_PATH, Debian's headless shell or chromium, an installed Google Chrome;
None means Playwright's own."""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import shutil
import threading

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


def in_browser(purpose: str, draw, **context_options):
    """Returns draw(context): a fresh browser context (closed after) in the process's one build-time Chromium, which is
    launched on first use (a build draws diagrams and both languages' link previews in it) and closed at exit; raises
    NoBrowser if none runs. Playwright's objects belong to the thread that made them: every call runs in one thread."""
    global _thread
    with _starting:
        if _thread is None:
            _thread = threading.Thread(target=_browser_thread, name="build-browser", daemon=True)
            _thread.start()
            atexit.register(close_browser)
    answer: queue.Queue = queue.Queue(maxsize=1)
    _calls.put((purpose, draw, context_options, answer))
    while True:
        try:
            done, value = answer.get(timeout=1)
            break
        except queue.Empty:
            if not _thread.is_alive():
                raise NoBrowser(f"No Chromium to draw {purpose}: the build's browser thread stopped") from None
    if done:
        return value
    raise value


def close_browser() -> None:
    """Closes the build-time Chromium, if one runs (at exit; the next in_browser launches another)."""
    if _thread is not None and _thread.is_alive():
        answer: queue.Queue = queue.Queue(maxsize=1)
        _calls.put((None, None, {}, answer))
        with contextlib.suppress(queue.Empty):  # a drawing that hangs does not hold the exit: the process ends it
            answer.get(timeout=30)


_calls: queue.Queue = queue.Queue()  # (purpose, draw or None to close, context options, answer queue)
_starting = threading.Lock()
_thread: threading.Thread | None = None


def _stop(playwright, browser) -> None:
    """Closes the browser and Playwright's driver; either may have died already."""
    with contextlib.suppress(Exception):
        if browser is not None and browser.is_connected():
            browser.close()
    with contextlib.suppress(Exception):
        if playwright is not None:
            playwright.stop()


def _browser_thread() -> None:
    """Runs every in_browser call of the process in turn, in one Chromium (launched again, with its driver, if it died)."""
    playwright = browser = None
    while True:
        purpose, draw, context_options, answer = _calls.get()
        try:
            if draw is None:
                _stop(playwright, browser)
                playwright = browser = None
                answer.put((True, None))
                continue
            if browser is None or not browser.is_connected():
                _stop(playwright, browser)
                playwright = browser = None
                playwright, browser = _launch(purpose)
            context = browser.new_context(**context_options)
            try:
                drawn = draw(context)
            finally:
                with contextlib.suppress(Exception):  # a crashed browser: the drawing's own error is the one to report
                    context.close()
            answer.put((True, drawn))
        except BaseException as error:  # handed to the caller, in its thread
            answer.put((False, error))


def _launch(purpose: str):
    """(Playwright, a launched Chromium), or NoBrowser saying what to install."""
    try:
        path = find_browser()
    except FileNotFoundError as error:
        raise NoBrowser(f"No Chromium to draw {purpose}: {error}") from None
    try:
        from playwright.sync_api import Error, sync_playwright

        playwright = sync_playwright().start()
    except Exception as error:  # no Playwright, or its driver does not start: one line
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise NoBrowser(f"No Playwright to draw {purpose} ({first}): run ./dev again to install it") from None
    try:
        return playwright, playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    except Error as error:
        _stop(playwright, None)
        first = str(error).strip().splitlines()[0]
        raise NoBrowser(f"No Chromium to draw {purpose} ({first}): install one (apt-get install chromium) "
                        "or set CHROME_PATH") from None


if __name__ == "__main__":
    print(find_browser() or "")
