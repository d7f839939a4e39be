"""CPU of one page load as the tests open pages: in a new context, or in a warm one (tests/conftest.py WarmContexts), with
each browser installed (Debian's headless shell and chromium). CPU is that of this process and every process under it.

    .venv/bin/mkdocs build -d /tmp/bench-site && .venv/bin/python benchmarks/page_load_benchmark.py /tmp/bench-site
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts"), str(ROOT / "hooks")]

from find_browser import CHROMIUM_ARGS  # noqa: E402
from pages_server import serve  # noqa: E402

PAGES = ["", "infrastructure/regions/", "interfaces/", "glossary/", "en/infrastructure/edge-locations/"] * 2
TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> float:
    """CPU seconds of `root` and its live descendants, with the children they have reaped."""
    children, cpu = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(pid))
        cpu[int(pid)] = sum(map(int, fields[11:15])) / TICK
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0)
        todo += children.get(pid, [])
    return total


def main(site_dir: str) -> None:
    from playwright.sync_api import sync_playwright

    import conftest

    server, url = serve(site_dir, conftest.PREFIX)
    os.environ["TEST_SITE_URL"] = url
    with sync_playwright() as p:
        for name in ("chromium-headless-shell", "chromium"):
            if not shutil.which(name):
                continue
            browser = p.chromium.launch(executable_path=shutil.which(name), args=CHROMIUM_ARGS)

            def new_context(browser=browser):
                for path in PAGES:
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    conftest.goto(context.new_page(), url + path)
                    context.close()

            def warm_context(browser=browser):
                for path in PAGES:
                    lease, page = conftest.new_page(browser)
                    conftest.goto(page, url + path)
                    lease.close()

            for label, run in (("new context", new_context), ("warm context", warm_context)) * 2:
                cpu, wall = tree_cpu(os.getpid()), time.monotonic()
                run()
                print(f"{name:24} {label:13} {(tree_cpu(os.getpid()) - cpu) / len(PAGES):.2f} s CPU, "
                      f"{(time.monotonic() - wall) / len(PAGES):.2f} s a load", flush=True)
            browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1])
