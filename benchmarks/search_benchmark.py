"""Search benchmark: builds the docs with stock Material search and with ours, and prints recall@3, MRR, index size,
keyup-to-results latency and build time side by side. Run: .venv/bin/python benchmarks/search_benchmark.py"""

from __future__ import annotations

import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts"), str(ROOT / "hooks")]

from conftest import LANGS, build, copy_project  # noqa: E402
from find_browser import CHROMIUM_ARGS, find_browser  # noqa: E402
from pages_server import serve  # noqa: E402
from search_box import INPUT, SearchBox  # noqa: E402
from test_search import glossary_queries, shared_queries  # noqa: E402

PREFIX = "/bench/"
# Time from the keyup that ends a query to the result list being rendered for it.
TIME_QUERY = """async (query) => {
  const input = document.querySelector("input[data-md-component=search-query]");
  const list = document.querySelector(".md-search-result__list");
  const done = new Promise(resolve => new MutationObserver((_, obs) => { obs.disconnect(); resolve(performance.now()); })
    .observe(list, { childList: true }));
  input.value = query;
  const start = performance.now();
  input.dispatchEvent(new KeyboardEvent("keyup", { key: "End", bubbles: true }));
  return (await Promise.race([done, new Promise(r => setTimeout(() => r(NaN), 3000))])) - start;
}"""


def make_stock(project: Path) -> None:
    """Turns a copy of the project into stock Material search: default search settings, no index or worker changes."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"  - search:\n(?:      .*\n|\n)*?(?=  - )", "  - search\n", text)
    text = text.replace("  - hooks/search_index.py\n", "").replace("  - hooks/material_patches.py\n", "")
    config.write_text(text, encoding="utf-8")


def build_timed(project: Path, site_dir: Path, url: str) -> float:
    start = time.perf_counter()
    result = build(project, site_dir, url)
    if result.returncode:
        sys.exit(result.stdout + result.stderr)
    return time.perf_counter() - start


def ranks(browser, url: str, queries) -> list[float]:
    """Reciprocal rank of the first expected page for each query (0 when not listed)."""
    boxes = {}
    for lang in LANGS:
        page = browser.new_context().new_page()
        page.goto(url + ("en/" if lang == "en" else ""), wait_until="networkidle")
        boxes[lang] = SearchBox(page, url)
    scores = []
    for lang, query, expect, _k in queries:
        root = url + ("en/" if lang == "en" else "")
        try:
            found = [p[len(root):] for p in boxes[lang].search(query)]
        except Exception:  # a query the stock search cannot answer in time counts as a miss
            found = []
        rank = next((i for i, p in enumerate(found, 1) if p in expect), None)
        scores.append(1 / rank if rank else 0.0)
    return scores


def latency(browser, url: str, queries) -> float:
    page = browser.new_context().new_page()
    page.goto(url, wait_until="networkidle")
    page.locator(INPUT).click()
    SearchBox(page, url).search("리전")  # index loaded and worker ready before timing
    times = [page.evaluate(TIME_QUERY, q) for lang, q, _e, _k in queries if lang == "ko"][:40]
    return statistics.median(t for t in times if t == t)


def measure(name: str, project: Path, browser, queries) -> dict:
    site_dir = project.parent / f"site-{name}"
    server, url = serve(str(site_dir), PREFIX)
    build_seconds = min(build_timed(project, site_dir, url) for _ in range(2))
    shared = ranks(browser, url, queries["shared"])
    generated = ranks(browser, url, queries["glossary"])
    row = {
        "build (s)": build_seconds,
        "recall@3 shared": sum(s >= 1 / 3 for s in shared) / len(shared),
        "MRR shared": statistics.mean(shared),
        "recall@3 glossary names": sum(s >= 1 / 3 for s in generated) / len(generated),
        "MRR glossary names": statistics.mean(generated),
        "keyup→results median (ms)": latency(browser, url, queries["shared"] + queries["glossary"]),
    }
    for lang, sub in (("ko", ""), ("en", "en/")):
        raw = (site_dir / sub / "search" / "search_index.json").read_bytes()
        row[f"index {lang} (KiB, gzip)"] = len(gzip.compress(raw, 6)) / 1024
        row[f"index {lang} (KiB, raw)"] = len(raw) / 1024
    server.shutdown()
    return row


def main() -> None:
    from playwright.sync_api import sync_playwright

    queries = {"shared": shared_queries(), "glossary": glossary_queries()}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), args=CHROMIUM_ARGS)
        ours = copy_project(Path(tmp) / "ours")
        stock = copy_project(Path(tmp) / "stock")
        make_stock(stock)
        rows = {"stock": measure("stock", stock, browser, queries), "ours": measure("ours", ours, browser, queries)}
        browser.close()
    print(f"queries: {len(queries['shared'])} shared (../shared/search/queries.yml), {len(queries['glossary'])} glossary names")
    print(f"{'metric':32} {'stock':>10} {'ours':>10}")
    for metric in rows["ours"]:
        print(f"{metric:32} {rows['stock'][metric]:10.3f} {rows['ours'][metric]:10.3f}")


if __name__ == "__main__":
    main()
