"""Lighthouse and page-weight benchmark: serves a fresh build gzip-compressed (as GitHub Pages does) and prints, per page
and language, the median of 3 mobile Lighthouse runs and the cold-visit weight.
Run: .venv/bin/python benchmarks/lighthouse_benchmark.py [--all]  (home, diagram-heaviest page, glossary; or every page
and the print packet)"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

from bs4 import BeautifulSoup  # noqa: E402

from conftest import LANGS, PAGES, build  # noqa: E402
from find_browser import CHROMIUM_ARGS, find_browser  # noqa: E402
from page_weight import cold_visit  # noqa: E402
from pages_server import serve  # noqa: E402

RUNS = 3
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The metrics behind the performance score (milliseconds; CLS unitless), reported beside it.
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint", "TBT": "total-blocking-time",
           "SI": "speed-index", "CLS": "cumulative-layout-shift"}
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


def lighthouse(url: str, chrome: str) -> dict[str, float]:
    """One mobile Lighthouse run (its default profile); returns the category scores and the performance metrics."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report.name}",
             f"--only-categories={','.join(CATEGORIES)}",
             "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)],
            env={**os.environ, "CHROME_PATH": chrome}, check=True,
        )
        result = json.loads(Path(report.name).read_text())
    scores = {c: result["categories"][c]["score"] for c in CATEGORIES}
    return scores | {m: result["audits"][audit]["numericValue"] for m, audit in METRICS.items()}


def pick_pages(site_dir: Path) -> list[str]:
    """Home, the page with the most diagrams, and the glossary."""
    def diagrams(page):
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        return len(BeautifulSoup(html, "html.parser").select("figure.diagram"))
    return ["", max(PAGES, key=diagrams), "glossary/"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    every_page = "--all" in sys.argv[1:]
    chrome = find_browser(shell=False)  # Lighthouse measures what a reader's browser does
    if not chrome:
        sys.exit("No Chromium found: set CHROME_PATH")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        site_dir = Path(tmp) / "site"
        server, url = serve(str(site_dir), "/")
        result = build(ROOT, site_dir, url)
        if result.returncode:
            sys.exit(result.stdout + result.stderr)
        browser = p.chromium.launch(executable_path=chrome, args=CHROMIUM_ARGS)
        print(f"Lighthouse 12 mobile, median of {RUNS} runs; weight = cold visit, all requests, gzip")
        print(f"{'page':36} {'perf':>5} {'a11y':>5} {'b-p':>5} {'seo':>5} {'weight KiB':>11} {'requests':>9}"
              + "".join(f" {m:>6}" for m in METRICS))
        for lang in LANGS:
            for page in [*PAGES, "print/"] if every_page else pick_pages(site_dir):
                page_url = url + ("en/" if lang == "en" else "") + page
                runs = [lighthouse(page_url, chrome) for _ in range(RUNS)]
                scores = [statistics.median(r[c] for r in runs) for c in CATEGORIES]
                metrics = {m: statistics.median(r[m] for r in runs) for m in METRICS}
                visit = cold_visit(browser, page_url)
                name = f"/{'en/' if lang == 'en' else ''}{page}"
                print(f"{name:36} " + " ".join(f"{s:5.2f}" for s in scores)
                      + f" {visit.total / 1024:11.1f} {len(visit.requests):9d}"
                      + "".join(f" {v:6.3f}" if m == "CLS" else f" {v:6.0f}" for m, v in metrics.items()))
        browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
