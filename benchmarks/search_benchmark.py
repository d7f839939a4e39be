"""Search benchmark: builds the docs with stock Material search, with the search before the forgiving-search work
(BEFORE), with the search of 15359c4 (before concepts and sections, issue #21) and with the current one, and prints
recall@3 and MRR per query category, section recall@1, false positives, latencies (a 10,000-character query included),
index sizes and build times side by side. The query sets are generated from data/glossary.yml, data/concepts.yml and
the pages' headings: typos over jamo and letters, the wrong keyboard layout both ways, 초성, spacing both ways, names of
the other language, questions, concept words, the section of every name and concept word; plus the held-out concept
phrasings of tests/search_concepts_held_out.yml, and as false positives, everyday words the site never uses.
Run: .venv/bin/python benchmarks/search_benchmark.py [--per-category N] [--only VARIANT] [--misses] [--seed N]"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts"), str(ROOT / "hooks")]

from conftest import LANGS, build, copy_project  # noqa: E402
from find_browser import CHROMIUM_ARGS, find_browser  # noqa: E402
from glossary import load_terms  # noqa: E402
from hangul import hangul_typo, initials, latin_typo, parts, typed_in_english_mode, typed_in_korean_mode  # noqa: E402
from pages_server import serve  # noqa: E402
from search_box import INPUT, SearchBox  # noqa: E402
from search_index import location, term_names  # noqa: E402
from test_search import (  # noqa: E402
    concept_queries,
    everyday_queries,
    glossary_queries,
    held_out_queries,
    section_queries,
    shared_queries,
    with_particle,
)

PREFIX = "/bench/"
VARIANTS = ("stock", "before", "15359c4", "after")
BEFORE = "3037803"  # the last commit before the forgiving search (typos, layouts, 초성, questions)
OLD_SEARCH = {"before": BEFORE, "15359c4": "15359c4"}  # variants with the search files of an older commit
LONG = 10_000  # characters of the long queries (a pasted text), answered within 100 ms with the query cut
SEARCH_FILES = ["overrides/assets/javascripts/workers/search-korean.js", "hooks/search_index.py"]
# The search box module's entry in mkdocs.yml's extra_javascript, with its options (defer: true); other scripts stay.
SEARCH_BOX = re.compile(r"  - (?:path: )?assets/javascripts/search-box\.js\n(?:    .*\n)*")
# Time from the keyup that ends a query to the result list being rendered for it.
TIME_QUERY = """async (query) => {
  const input = document.querySelector("input[data-md-component=search-query]");
  const meta = document.querySelector(".md-search-result__meta");
  const done = new Promise(resolve => new MutationObserver((_, obs) => { obs.disconnect(); resolve(performance.now()); })
    .observe(meta, { childList: true, characterData: true, subtree: true }));
  input.value = query;
  const start = performance.now();
  input.dispatchEvent(new KeyboardEvent("keyup", { key: "End", bubbles: true }));
  return (await Promise.race([done, new Promise(r => setTimeout(() => r(NaN), 20000))])) - start;
}"""
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Real IT words; those that occur anywhere on the site are dropped before use.
REAL_WORDS = ["쿠버네티스", "도커", "블록체인", "머신러닝", "딥러닝", "파이썬", "자바스크립트", "마이크로서비스", "데브옵스",
              "깃허브", "리액트", "텐서플로", "하둡", "스파크", "카프카", "몽고디비", "레디스", "엘라스틱서치", "프로메테우스",
              "그라파나", "테라폼", "앤서블", "젠킨스", "웹어셈블리", "그래프큐엘", "블루투스", "와이파이", "방화벽", "암호화폐",
              "docker", "blockchain", "tensorflow", "hadoop", "kafka", "mongodb", "redis", "elasticsearch", "prometheus",
              "grafana", "terraform", "ansible", "jenkins", "webassembly", "graphql", "bluetooth", "wifi", "firewall",
              "cryptocurrency", "javascript", "python", "react", "angular", "typescript", "kotlin", "rust", "golang",
              "microservices", "devops", "github", "linux", "windows", "oracle", "postgres", "nginx", "apache"]


# ---- query generation --------------------------------------------------------------------------------------------
def named_things(site_dir: Path) -> list[tuple[str, str, list[str], str]]:
    """(lang, name, expected pages, kind) for glossary names and the headings of each language's pages. A name that
    several pages carry (스스로 확인하기 heads a section on every topic page) is one query that any of them answers."""
    pages: dict[tuple[str, str], list[str]] = {}
    kinds: dict[tuple[str, str], str] = {}
    for term in load_terms():
        page = location(term["page"])[0]
        for name in term_names(term):
            key = ("ko" if HANGUL.search(name) else "en", name)
            pages.setdefault(key, []).append(page)
            kinds[key] = "glossary"
    for lang, sub in LANGS.items():
        index = json.loads((site_dir / sub / "search" / "search_index.json").read_text(encoding="utf-8"))
        for doc in index["docs"]:
            title = re.sub(r"<[^>]+>", "", doc["title"])
            if doc["location"] and title and not re.search(r"[0-9:.?!]", title):
                pages.setdefault((lang, title), []).append(doc["location"].split("#")[0])
                kinds.setdefault((lang, title), "heading")
    return [(lang, name, list(dict.fromkeys(found)), kinds[lang, name]) for (lang, name), found in pages.items()]


def generate(site_dir: Path, per_category: int, seed: int = 12) -> dict[str, list]:
    """Query sets per category: [(lang, query, [expected pages], k)]."""
    rng = random.Random(seed)
    things = named_things(site_dir)
    sets: dict[str, list] = {k: [] for k in ("typo ko", "typo en", "layout ko→en keys", "layout en→ko keys", "초성",
                                            "spacing", "other language", "questions")}
    for lang, name, expect, kind in things:
        if lang == "ko":
            joined = name.replace(" ", "")
            if not re.search(r"[A-Za-z0-9]", name):
                if len(joined) >= 3:
                    typo = hangul_typo(joined if rng.random() < 0.5 else name, rng)
                    if typo and typo.replace(" ", "") != joined:
                        sets["typo ko"].append(("ko", typo, expect, 3))
                if len(joined) >= 2:
                    sets["초성"].append(("ko", initials(joined), expect, 3))
                sets["layout ko→en keys"].append(("ko", typed_in_english_mode(name), expect, 3))
                if " " in name:
                    sets["spacing"].append(("ko", joined, expect, 3))
                elif len(joined) >= 4:
                    cut = rng.randrange(2, len(joined) - 1)
                    sets["spacing"].append(("ko", joined[:cut] + " " + joined[cut:], expect, 3))
            if kind == "glossary":
                sets["other language"].append(("en", name, expect, 3))
                particle = with_particle(name)
                iran = "이란" if HANGUL.search(name[-1]) and parts(name[-1])[2] else "란"
                sets["questions"] += [("ko", f"{particle[0]} 무엇인가요", expect, 3), ("ko", f"{name}{iran} 무엇입니까", expect, 3),
                                      ("ko", f"{particle[1]} 왜 쓰나요", expect, 3)]
        else:
            words = name.split()
            longest = max(words, key=len)
            if len(longest) >= 5 and longest.isalpha():
                sets["typo en"].append((lang, name.replace(longest, latin_typo(longest.lower(), rng)), expect, 3))
            if name.replace(" ", "").isalpha():
                sets["layout en→ko keys"].append((lang, " ".join(typed_in_korean_mode(w.lower()) for w in words), expect, 3))
            if 1 < len(words) <= 3 and kind == "glossary":
                sets["spacing"].append((lang, name.replace(" ", ""), expect, 3))
            camel = re.sub(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2})", " ", name)  # CloudFormation -> Cloud Formation
            if camel != name:
                sets["spacing"].append((lang, camel, expect, 3))
            if kind == "glossary":
                sets["other language"].append(("ko", name, expect, 3))
                sets["questions"] += [("en", f"what is {name}", expect, 3), ("en", f"what does {name} do", expect, 3),
                                      ("en", f"how does {name} work", expect, 3)]
    for key, queries in sets.items():
        unique = list(dict.fromkeys((lang, q, tuple(e), k) for lang, q, e, k in queries))
        rng.shuffle(unique)
        sets[key] = [(lang, q, list(e), k) for lang, q, e, k in unique[:per_category]]
    return sets


def false_positive_queries(site_dir: Path, seed: int = 7) -> list[tuple[str, str]]:
    """Random syllable and letter strings of 3+ characters, and real IT words that are not on the site."""
    rng = random.Random(seed)
    text = " ".join((site_dir / sub / "search" / "search_index.json").read_text(encoding="utf-8").lower() for sub in LANGS.values())
    text += " " + re.sub(r"\s+", "", text)  # "머신 러닝" on the site is a match for 머신러닝
    queries = []
    for lang in LANGS:
        queries += [(lang, "".join(chr(rng.randrange(0xAC00, 0xD7A4)) for _ in range(rng.randrange(3, 6)))) for _ in range(25)]
        queries += [(lang, "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(3, 9)))) for _ in range(25)]
        queries += [(lang, w) for w in REAL_WORDS if w.lower() not in text and w.lower().rstrip("s") not in text]
    return queries


# ---- variants ----------------------------------------------------------------------------------------------------
def make_stock(project: Path) -> None:
    """Turns a copy of the project into stock Material search: default search settings, no index or worker changes."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"  - search:\n(?:      .*\n|\n)*?(?=  - )", "  - search\n", text)
    text = text.replace("  - hooks/search_index.py\n", "").replace("  - hooks/material_patches.py\n", "")
    text = SEARCH_BOX.sub("", text)
    config.write_text(text, encoding="utf-8")
    # Material's own script loading (our after-paint start needs the bundle name that material_patches.py provides).
    main = project / "overrides" / "main.html"
    main.write_text(re.sub(r"\{% block (libs|scripts) %\}.*?\{% endblock %\}", "", main.read_text(encoding="utf-8"), flags=re.S),
                    encoding="utf-8")


def make_old(project: Path, commit: str) -> None:
    """Puts the search files of `commit` into a copy of the project (the rest, content included, stays current)."""
    for path in SEARCH_FILES:
        old = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        (project / path).write_text(old, encoding="utf-8")
    # Hooks written since import page_path from the index hook: today's definition, which has no part in search.
    current = (ROOT / "hooks" / "search_index.py").read_text(encoding="utf-8")
    with (project / "hooks" / "search_index.py").open("a", encoding="utf-8") as f:
        f.write("\n\n" + re.search(r"^def page_path\(.*?(?=^\S)", current, flags=re.S | re.M).group(0))
    # The search box module came with the forgiving search; the rest of today's configuration stays (new pages, hooks).
    if commit == BEFORE:
        config = project / "mkdocs.yml"
        config.write_text(SEARCH_BOX.sub("", config.read_text(encoding="utf-8")), encoding="utf-8")


def build_timed(project: Path, site_dir: Path, url: str) -> float:
    start = time.perf_counter()
    result = build(project, site_dir, url)
    if result.returncode:
        sys.exit(result.stdout + result.stderr)
    return time.perf_counter() - start


def open_boxes(browser, url: str) -> dict:
    boxes = {}
    for lang in LANGS:
        page = browser.new_context().new_page()
        page.goto(url + LANGS[lang], wait_until="networkidle")
        boxes[lang] = SearchBox(page, url + LANGS[lang])
    return boxes


def section_hits(boxes, queries) -> tuple[list[bool], list[str]]:
    """Whether the first result links to an expected section, for each (lang, query, [sections]); and the misses."""
    hits, misses = [], []
    for lang, query, sections in queries:
        try:
            boxes[lang].search(query)
            top = boxes[lang].top()
        except Exception:  # no answer in time: a miss
            top = None
        hits.append(top in sections)
        if top not in sections:
            misses.append(f"{lang} {query!r}: expected {sections}, first link {top}")
    return hits, misses


def long_queries(site_dir: Path) -> list[str]:
    """Queries of LONG characters: one Hangul syllable repeated, a misspelt name repeated (the review's worst cases),
    and a pasted text (the site's own words, each page's text in turn)."""
    docs = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = re.sub(r"<[^>]+>", " ", " ".join(doc["text"] for doc in docs))
    text = " ".join(text.split())
    return ["가" * LONG, ("가용영억 " * LONG)[:LONG], (text * (LONG // len(text) + 1))[:LONG]]


def long_latency(browser, url: str, queries: list[str]) -> float:
    """The slowest of `queries` (fastest of three runs each, a fresh page each run, so that a worker still busy with one
    never delays the next); infinite when one gets no answer in 20 s (the worker is then ended with its page)."""
    slowest = 0.0
    for query in queries:
        runs = []
        for _ in range(3):
            page = browser.new_context().new_page()
            page.goto(url, wait_until="networkidle")
            SearchBox(page, url).search("리전")
            runs.append(page.evaluate(TIME_QUERY, query))
            page.context.close()
            if not runs[-1] < 1000:  # NaN (no answer) or far over budget: once is enough
                break
        slowest = max(slowest, min(runs) if all(r == r for r in runs) else math.inf)
    return slowest


def ranks(boxes, url: str, queries, shown: list | None = None) -> list[float]:
    """Reciprocal rank of the first expected page for each query (0 when not listed); the pages found go to `shown`."""
    scores = []
    for lang, query, expect, _k in queries:
        root = url + LANGS[lang]
        try:
            found = [p[len(root):] for p in boxes[lang].search(query)]
        except Exception:  # a query the search cannot answer in time counts as a miss
            found = []
        rank = next((i for i, p in enumerate(found, 1) if p in expect), None)
        scores.append(1 / rank if rank else 0.0)
        if shown is not None:
            shown.append(found)
    return scores


def latencies(browser, url: str, queries, long: list[str]) -> tuple[float, float, float, float, float]:
    """(median, worst) keyup-to-results in ms over `queries`; the slowest of the `long` queries (fastest of three runs
    each); at 4x CPU throttling, the first query once the index is ready, and a query typed as search opens (index
    download and set-up included), in ms."""
    page = browser.new_context().new_page()
    page.goto(url, wait_until="networkidle")
    SearchBox(page, url).search("리전")  # index loaded and worker ready before timing
    # Each query three times, rounds apart, keeping its fastest: load from other processes on the machine is noise.
    rounds = [[page.evaluate(TIME_QUERY, q) for lang, q, _e, _k in queries if lang == "ko"] for _ in range(3)]
    times = [min(t) for t in zip(*rounds, strict=True) if all(x == x for x in t)]
    page.context.close()
    slowest = long_latency(browser, url, long)
    page = browser.new_context().new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url, wait_until="networkidle")
    page.locator(INPUT).click()  # opens search: the index loads and the worker sets up
    opened = page.evaluate(TIME_QUERY, "리전")  # typed at once: answered when the index is ready
    page.wait_for_function("() => !document.querySelector('.md-search-result__meta').textContent.includes('검색')"
                           " || document.querySelector('.md-search-result__meta').textContent.includes('입력')", timeout=30_000)
    first = page.evaluate(TIME_QUERY, "가용 영역")
    page.context.close()
    return statistics.median(times), max(times), slowest, first, opened


def measure(name: str, project: Path, browser, sets, extra, fp_queries, build_seconds: float) -> dict:
    site_dir = project.parent / f"site-{name}"
    server, url = serve(str(site_dir), PREFIX)
    build_timed(project, site_dir, url)  # for this server's URL
    boxes = open_boxes(browser, url)
    row = {"build (s)": build_seconds}
    row["_misses"] = {}
    for category, queries in sets.items():
        found = []
        scores = ranks(boxes, url, queries, found)
        row[f"{category}: recall@3"] = sum(s >= 1 / 3 for s in scores) / len(scores)
        row[f"{category}: MRR"] = statistics.mean(scores)
        row["_misses"][category] = [f"{lang} {q!r}: expected {e}, top {k}: {f[:k]}"
                                    for (lang, q, e, k), s, f in zip(queries, scores, found, strict=True) if s < 1 / k]
    for category, queries in extra["sections"].items():
        hits, misses = section_hits(boxes, queries)
        row[f"{category}: recall@1"] = sum(hits) / len(hits)
        row["_misses"][category] = misses
    held = extra["held-out"]
    scores = ranks(boxes, url, [q[:4] for q in held])
    hits, misses = section_hits(boxes, [(lang, q, [section]) for lang, q, _e, _k, section in held])
    for lang in LANGS:
        mine = [i for i, q in enumerate(held) if q[0] == lang]
        row[f"held-out concepts {lang}: recall@3"] = sum(scores[i] >= 1 / 3 for i in mine) / len(mine)
        row[f"held-out concepts {lang}: section@1"] = sum(hits[i] for i in mine) / len(mine)
    row["_misses"]["held-out concepts"] = [f"{q[0]} {q[1]!r}: expected {q[2]}" for q, s in zip(held, scores, strict=True) if s < 1 / 3]
    row["_misses"]["held-out concepts (section)"] = misses
    noisy = []
    for lang, query in fp_queries:
        try:
            if boxes[lang].search(query):
                noisy.append(f"{lang}:{query}")
        except Exception:
            pass
    row["false positives (queries with results)"] = len(noisy)
    row["  of them everyday words"] = sum(f"{lang}:{query}" in noisy for lang, query in extra["everyday"])
    row["_noisy"] = noisy
    for box in boxes.values():
        box.page.context.close()
    median, worst, slowest, first, opened = latencies(browser, url, [q for qs in sets.values() for q in qs][::3], extra["long"])
    row["keyup→results median (ms)"], row["keyup→results worst (ms)"] = median, worst
    row[f"{LONG:,}-character query (ms)"] = slowest
    row["first query after index load, 4x CPU (ms)"], row["query typed as search opens, 4x CPU (ms)"] = first, opened
    for lang, sub in LANGS.items():
        raw = (site_dir / sub / "search" / "search_index.json").read_bytes()
        row[f"index {lang} (KiB, gzip)"] = len(gzip.compress(raw, 6)) / 1024
    workers = site_dir / "assets" / "javascripts" / "workers"
    used = any("search-korean.js" in f.read_text(encoding="utf-8") for f in workers.glob("search.*[0-9a-f].min.js"))
    row["worker wrapper (KiB, gzip)"] = len(gzip.compress((workers / "search-korean.js").read_bytes(), 6)) / 1024 if used else 0.0
    server.shutdown()
    return row


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", type=int, default=120, help="queries per generated category (default 120)")
    parser.add_argument("--only", action="append", choices=VARIANTS, help="measure only this variant (repeatable)")
    parser.add_argument("--misses", action="store_true", help="list each category's queries whose page is not in the top k")
    parser.add_argument("--seed", type=int, default=12, help="seed of the generated query sets (default 12)")
    args = parser.parse_args()
    variants = [name for name in VARIANTS if name in (args.only or VARIANTS)]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), args=CHROMIUM_ARGS)
        projects = {name: copy_project(Path(tmp) / name) for name in VARIANTS}
        make_stock(projects["stock"])
        for name, commit in OLD_SEARCH.items():
            make_old(projects[name], commit)
        probe = Path(tmp) / "probe"
        build(projects["after"], probe, "http://localhost/")
        sets = {"shared": shared_queries(), "glossary names": glossary_queries(), "concepts": concept_queries(),
                **generate(probe, args.per_category, args.seed)}
        sections = section_queries()
        extra = {"sections": {f"section {lang}": [q for q in sections if q[0] == lang] for lang in LANGS},
                 "held-out": held_out_queries(), "everyday": everyday_queries(probe), "long": long_queries(probe)}
        fp_queries = false_positive_queries(probe) + extra["everyday"]
        # Build times: three rounds over the variants, fastest of each (other processes share the machine).
        seconds = {name: [] for name in variants}
        for _ in range(3):
            for name in variants:
                seconds[name].append(build_timed(projects[name], Path(tmp) / f"timed-{name}", "http://localhost/"))
        rows = {name: measure(name, projects[name], browser, sets, extra, fp_queries, min(seconds[name])) for name in variants}
        browser.close()
    print(f"queries: {', '.join(f'{k} {len(v)}' for k, v in sets.items())}; "
          + ", ".join(f"{k} {len(v)}" for k, v in extra["sections"].items())
          + f"; held-out concepts {len(extra['held-out'])}; false-positive set {len(fp_queries)}"
          + f" ({len(extra['everyday'])} of two everyday words)")
    print("latencies: fastest of three runs per query; build: fastest of three interleaved builds")
    print(f"{'metric':44} " + " ".join(f"{name:>9}" for name in variants))
    for metric in rows[variants[0]]:
        if not metric.startswith("_"):
            print(f"{metric:44} " + " ".join(f"{rows[n][metric]:9.3f}" for n in variants))
    print(f"{variants[-1]}, queries with results in the false-positive set:", rows[variants[-1]]["_noisy"] or "none")
    if args.misses:
        for name in variants:
            for category, misses in rows[name]["_misses"].items():
                print(f"{name}, {category}: {len(misses)} not in the top k", *(f"\n  {m}" for m in misses))


if __name__ == "__main__":
    main()
