"""`mkdocs serve` benchmark: seconds from starting the server to the first page of each language, with warm caches
(this checkout's .cache/) and cold ones (all five empty: every diagram and link preview drawn), then seconds from saving a
Markdown edit to the browser showing it (live reload). Works on a copy of the project; the checkout is not touched.
Run: .venv/bin/python benchmarks/serve_benchmark.py [--runs 3]  (after ./dev serve or ./dev test has set up)"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

from conftest import copy_project  # noqa: E402
from find_browser import CHROMIUM_ARGS, find_browser  # noqa: E402

EDITED = "docs/infrastructure/regions.md"  # the page whose edit is timed (Korean: served at /infrastructure/regions/)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, limit: float = 600) -> float:
    """Polls `url` until it answers 200; returns the time it did (time.monotonic)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.monotonic()
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {limit} s")


def start(project: Path, port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"),
                             "-a", f"127.0.0.1:{port}"],
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def first_pages(project: Path, env: dict) -> tuple[float, float]:
    """Seconds from start to the Korean and the English home page."""
    port = free_port()
    began = time.monotonic()
    server = start(project, port, env)
    try:
        ko = wait_for(f"http://127.0.0.1:{port}/") - began
        en = wait_for(f"http://127.0.0.1:{port}/en/") - began
        return ko, en
    finally:
        server.terminate()
        server.wait()


def edit_reloads(project: Path, runs: int) -> list[float]:
    """Seconds from saving an edit of EDITED to the open page showing it, `runs` times."""
    from playwright.sync_api import Error, sync_playwright

    port = free_port()
    server = start(project, port, {})
    page_file = project / EDITED
    original = page_file.read_text(encoding="utf-8")
    times = []
    try:
        url = f"http://127.0.0.1:{port}/infrastructure/regions/"
        wait_for(url)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_browser(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            for run in range(runs):
                marker = f"serve-benchmark-{run}-{time.time_ns()}"
                page.wait_for_timeout(1000)  # the live-reload connection is open
                saved = time.monotonic()
                page_file.write_text(original + f"\n{marker}\n", encoding="utf-8")
                while True:
                    try:
                        if page.evaluate("m => document.body && document.body.innerText.includes(m)", marker):
                            break
                    except Error:  # the page is reloading
                        pass
                    if time.monotonic() - saved > 120:
                        raise TimeoutError("the edit did not show within 120 s")
                    time.sleep(0.02)
                times.append(time.monotonic() - saved)
            browser.close()
    finally:
        page_file.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"nproc {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        cold = Path(tmp) / "cold"  # empty caches: every diagram and link preview drawn, every template compiled...
        caches = ("DIAGRAM_CACHE", "SOCIAL_CARD_CACHE", "SEARCH_CACHE", "TEMPLATE_CACHE", "PACKET_CACHE")
        runs = {"warm": [{}] * args.runs, "cold": [{name: str(cold / name.lower()) for name in caches}]}
        for label, envs in runs.items():
            results = [first_pages(project, env) for env in envs]
            ko, en = statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)
            print(f"first page, {label} caches ({len(results)} run(s), median): ko {ko:.1f} s, en {en:.1f} s")
        times = edit_reloads(project, args.runs)
        print(f"edit to reload ({args.runs} runs): median {statistics.median(times):.1f} s, "
              f"all {', '.join(f'{t:.1f}' for t in times)} s")


if __name__ == "__main__":
    main()
