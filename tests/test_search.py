"""Search in the real search box: readers' queries, every glossary name with particles and spacing, per-language results, odd input."""

from __future__ import annotations

import bisect
import json
import random
import re
import select
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml

from conftest import LANGS, ROOT, goto, new_page
from glossary import load_terms
from hangul import hangul_typo, ime_states, latin_typo
from search_box import INPUT, RESULTS_FOR, ImeTyping, SearchBox, wait_for_results
from search_index import COMMON_WORDS, deletions, distance, load_concepts, location, spelled, term_names, tolerance

SHARED = ROOT.parent / "shared" / "search" / "queries.yml"
COPY = ROOT / "tests" / "search_queries.shared.yml"
HELD_OUT = ROOT / "tests" / "search_concepts_held_out.yml"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
WORD = re.compile(r"[^\W_]+")


def shared_queries():
    """Readers' queries from ../shared (CI) or the committed copy (elsewhere); the two must not drift."""
    if SHARED.exists():
        assert SHARED.read_text(encoding="utf-8") == COPY.read_text(encoding="utf-8"), "update tests/search_queries.shared.yml"
    data = yaml.safe_load(COPY.read_text(encoding="utf-8"))
    return [(lang, q["q"], q["expect"], q.get("k", 3)) for lang in LANGS for q in data[lang]]


def with_particle(word: str) -> list[str]:
    """Particle forms of a Korean noun, chosen by its final consonant as a reader would write them."""
    last = word[-1]
    batchim = "\uac00" <= last <= "\ud7a3" and (ord(last) - 0xAC00) % 28 != 0
    return [word + ("은" if batchim else "는"), word + ("을" if batchim else "를"), word + "에서", word + "의"]


def glossary_queries():
    """Every glossary name, Korean names also with particles and without spaces, each expecting the explaining page."""
    cases = []
    for term in load_terms():
        expect = [location(term["page"])[0]]
        for name in term_names(term):
            has_hangul = any("\uac00" <= c <= "\ud7a3" for c in name)
            if has_hangul:
                forms = {name, name.replace(" ", ""), *with_particle(name), *with_particle(name.replace(" ", ""))}
                cases += [("ko", form, expect, 3) for form in sorted(forms)]
            else:
                cases += [("ko", name, expect, 3), ("en", name, expect, 3)]
    return list(dict.fromkeys((lang, q, tuple(e), k) for lang, q, e, k in cases))


def section_queries() -> list[tuple[str, str, list[str]]]:
    """(lang, name, [sections]) for every glossary name and concept word, on the site of its script (Hangul names on the
    Korean site, the others on the English one): the first result must link to the section that explains it."""
    cases: dict[tuple[str, str], list[str]] = {}
    for term in load_terms():
        for name in term_names(term):
            cases.setdefault(("ko" if HANGUL.search(name) else "en", name), []).append(location(term["page"])[1])
    for concept in load_concepts():
        for lang in LANGS:
            for word in concept["words"][lang]:
                cases.setdefault((lang, word), []).append(location(concept["page"])[1])
    return [(lang, name, list(dict.fromkeys(sections))) for (lang, name), sections in cases.items()]


def concept_queries() -> list[tuple[str, str, list[str], int]]:
    """(lang, word, [page], 3) for every word of data/concepts.yml, in its language."""
    return [(lang, word, [location(c["page"])[0]], 3) for c in load_concepts() for lang in LANGS for word in c["words"][lang]]


def held_out_queries() -> list[tuple[str, str, list[str], int, str]]:
    """(lang, phrasing, [page], 3, section) from tests/search_concepts_held_out.yml (never copied into the data)."""
    data = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    return [(lang, q["q"], [q["expect"].split("#")[0]], 3, q["expect"]) for lang in LANGS for q in data[lang]]


WORKERS: dict[tuple[str, str], subprocess.Popen] = {}  # (site dir, language) -> its Node process, for the whole run


def worker_calls(site_dir, lang: str, calls: list[dict]) -> list:
    """Answers `calls` with a built site's search worker for `lang` in Node (tests/search_worker.js: one process for each
    site and language, which loads the index once; it ends with this process, when its input closes)."""
    key = (str(site_dir), LANGS[lang].rstrip("/"))
    worker = WORKERS.get(key)
    if worker is None or worker.poll() is not None:
        errors = tempfile.TemporaryFile()  # noqa: SIM115 (open while the worker runs) a file, not a pipe: never fills
        worker = WORKERS[key] = subprocess.Popen(["node", str(ROOT / "tests" / "search_worker.js"), *key], text=True,
                                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
        worker.errors = errors
    worker.stdin.write(json.dumps(calls) + "\n")
    worker.stdin.flush()
    if select.select([worker.stdout], [], [], 120)[0]:
        line, problem = worker.stdout.readline(), "stopped"
    else:
        worker.kill()
        line, problem = "", "gave no answer in 120 s"
    if not line:
        worker.errors.seek(0)
        raise AssertionError(f"the search worker {problem} (exit {worker.wait()}): {worker.errors.read().decode()}")
    return json.loads(line)


def everyday_queries(site_dir, per_language: int = 20, seed: int = 3) -> list[tuple[str, str]]:
    """Generated false positives: two everyday words (data/common_words.*.txt) that the site never uses, neither as a
    word nor as the start of one (Korean compared by keystrokes), nor as a form of one (the worker's own test: same stem
    or particle), the first one edit from a word of a glossary name or concept word of that language."""
    rng = random.Random(seed)
    queries = []
    for lang, sub in LANGS.items():
        docs = json.loads((site_dir / sub / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        text = " ".join(doc.get(field, "") for doc in docs for field in ("title", "text", "keywords")).lower()
        used = sorted({spelled(w) for w in WORD.findall(re.sub(r"<[^>]+>", " ", text))})

        def unused(word: str, used: list[str] = used) -> bool:
            at = bisect.bisect_left(used, spelled(word))
            return at == len(used) or not used[at].startswith(spelled(word))

        script = (lambda w: bool(HANGUL.search(w))) if lang == "ko" else str.isascii
        names = [n for t in load_terms() for n in term_names(t)] + [w for c in load_concepts() for w in c["words"][lang]]
        near_terms: dict[str, set[str]] = {}
        for word in {w for n in names for w in WORD.findall(n.lower()) if script(w) and tolerance(w)}:
            for key in deletions(spelled(word), 1):
                near_terms.setdefault(key, set()).add(spelled(word))
        common = [w for w in Path(COMMON_WORDS[lang]).read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")]
        common = [w for w in common if unused(w)]
        near = [w for w in common if any(distance(spelled(w), t) == 1 for k in deletions(spelled(w), 1) for t in near_terms.get(k, ()))]
        others = rng.sample([w for w in common if w not in near], 300)
        known = worker_calls(site_dir, lang, [{"fn": "known", "args": [w]} for w in near + others])  # same stem as a site word
        near, others = ([w for w, k in zip(near, known, strict=False) if not k],
                        [w for w, k in zip(others, known[len(near):], strict=True) if not k])
        rng.shuffle(near)
        queries += [(lang, f"{w} {rng.choice(others)}" if rng.random() < 0.5 else f"{rng.choice(others)} {w}") for w in near[:per_language]]
    return queries


@pytest.fixture(scope="session")
def boxes(browser, site):
    """One search box per language, opened on that language's home page (per xdist worker: the queries spread out)."""
    result, leases = {}, []
    for lang in LANGS:
        lease, page = new_page(browser, height=720)
        goto(page, site.page_url(lang, ""))
        result[lang] = SearchBox(page, site.page_url(lang, ""))
        leases.append(lease)
    yield result
    for lease in leases:
        lease.close()


def check(site, boxes, lang, query, expect, k):
    pages = boxes[lang].search(query)
    root = site.page_url(lang, "")
    other = site.page_url("en", "")
    in_lang = [p for p in pages if p.startswith(root) and (lang == "en" or not p.startswith(other))]
    assert in_lang == pages, f"{query!r} listed pages of the other language: {pages}"
    top = [p[len(root):] for p in pages[:k]]
    assert any(e in top for e in expect), f"{lang} {query!r}: expected one of {expect} in the top {k}, got {top}"


@pytest.mark.parametrize("lang,query,expect,k", shared_queries(), ids=lambda v: str(v))
def test_readers_query_finds_the_expected_page(site, boxes, lang, query, expect, k):
    check(site, boxes, lang, query, expect, k)


@pytest.mark.parametrize("lang,query,expect,k", glossary_queries(), ids=lambda v: str(v))
def test_every_glossary_name_finds_the_page_that_explains_it(site, boxes, lang, query, expect, k):
    check(site, boxes, lang, query, expect, k)


@pytest.mark.parametrize("query", ['*', '~', '^', ':', '+', '-', '"', '\\', '(', ')', '<script>alert(1)</script>',
                                   'AZ:', '"가용 영역', '+-~^*', '영역 ' * 50, 'x' * 200, '<img src=x onerror=alert(1)>'])
@pytest.mark.parametrize("lang", LANGS)
def test_odd_queries_give_results_or_no_results_never_errors(boxes, lang, query):
    """Typed one after another into the box a reader has open (the other search tests' too), as a reader would."""
    page, errors = boxes[lang].page, []
    listeners = {"pageerror": lambda e: errors.append(str(e)), "console": lambda m: m.type == "error" and errors.append(m.text),
                 "dialog": lambda d: (errors.append("dialog: " + d.message), d.dismiss())}
    for event, listener in listeners.items():
        page.on(event, listener)
    try:
        boxes[lang].search(query)
        assert page.locator(".md-search-result img, .md-search-result script").count() == 0
    finally:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
    assert errors == []


def test_results_highlight_what_matched(site, boxes):
    boxes["ko"].search("가용영역에서")
    marks = boxes["ko"].page.eval_on_selector_all(".md-search-result mark", "m => m.map(e => e.textContent)")
    assert "영역" in marks and "가용" in marks


def test_results_link_sections_by_their_explicit_ids(site, boxes):
    boxes["ko"].search("리전 선택")
    hrefs = boxes["ko"].page.eval_on_selector_all(".md-search-result__list a", "links => links.map(a => a.href)")
    links = [urlsplit(h) for h in hrefs]
    assert any(u.path.endswith("/infrastructure/regions/") and u.fragment == "choosing-a-region" for u in links)
    assert not any(u.fragment.startswith("_") for u in links)


def test_glossary_never_outranks_the_topic_page(site, boxes):
    for term in load_terms():
        pages = boxes["ko"].search(term["ko"])
        root = site.page_url("ko", "")
        assert pages and pages[0] != root + "glossary/", f"{term['ko']}: glossary ranked first"


# ---- forgiving search: ranking, typing through an IME, every change of the box, what was searched ----------------
def korean_only_names() -> list[tuple[str, str]]:
    """(name, page), one per glossary term: its Korean name as typed without spaces (an alias, or the name)."""
    names = []
    for term in load_terms():
        hangul = [n for n in [*term.get("aliases", {}).get("ko", []), term["ko"]] if re.fullmatch(r"[\uac00-\ud7a3 ]+", n)]
        if hangul:
            names.append((min(hangul, key=lambda n: n.count(" ")), location(term["page"])[0]))
    return names


def full_width(text: str) -> str:
    """ASCII as a Korean IME's full-width mode types it (U+FF01..U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def meta(page) -> str:
    """The result count line's text (its text, not innerText: the closed search's results are visibility: hidden)."""
    return " ".join(page.text_content(".md-search-result__meta").split())


# The result count line once the results shown are those of `query` (wait_for_results and meta() in one call).
META_FOR = f"""async query => {{ await ({RESULTS_FOR})(query);
  return document.querySelector(".md-search-result__meta").textContent; }}"""


def translations(page) -> dict:
    return page.evaluate("() => JSON.parse(document.getElementById('__config').textContent).translations")


@pytest.mark.parametrize("lang", LANGS)
def test_every_glossary_term_ranks_the_page_that_explains_it_first(site, boxes, lang):
    """The page a term names outranks sections that merely contain it (리전 vs 리전별 엣지 캐시), for every term."""
    failures = []
    for term in load_terms():
        expect = site.page_url(lang, location(term["page"])[0])
        queries = [term[lang]] + (with_particle(term["ko"]) + [term["ko"] + "이란"] if lang == "ko" else [])
        for query in queries:
            pages = boxes[lang].search(query)
            if pages[:1] != [expect]:
                failures.append(f"{query!r}: {pages[:3]}")
    assert not failures, failures


def test_typing_korean_never_flashes_no_results(site, browser):
    """Each glossary name typed key by key through an IME: no in-between state says "no results"; a word with no
    matches does say so at the end."""
    lease, page = new_page(browser, height=720)
    goto(page, site.page_url("ko", ""))
    box = SearchBox(page, site.page_url("ko", ""))
    none = translations(page)["search.result.none"]
    rng = random.Random(5)
    text = (site.dir / "search" / "search_index.json").read_text(encoding="utf-8")
    nonsense = next(w for w in ("".join(chr(rng.randrange(0xAC00, 0xD7A4)) for _ in range(3)) for _ in range(99)) if w not in text)
    flashes = []
    for word, expect in korean_only_names() + [(nonsense, None)]:
        box.search("x")  # a known state to start from, then an empty box with its (empty) results shown
        box.search("")
        typing = ImeTyping(page)
        for state in ime_states(word):
            typing.show(state)
            if " ".join(page.evaluate(META_FOR, state).split()) == none and expect:
                flashes.append(f"{word}: {state!r}")
        typing.commit(word)
        assert page.input_value(INPUT) == word
        if expect:
            assert site.page_url("ko", expect) in box.pages()[:3], word
        else:
            assert meta(page) == none, f"{word!r} should end with {none!r}"
    lease.close()
    assert not flashes, flashes


def test_search_runs_on_every_change_of_the_box(site, browser):
    """Text that arrives without a key release (paste, drop, emoji picker, IME commit) updates the results."""
    lease, page = new_page(browser, height=720)
    goto(page, site.page_url("ko", ""))
    box = SearchBox(page, site.page_url("ko", ""))
    box.search("x")
    box.search("")
    page.evaluate("() => { const i = document.querySelector('input[data-md-component=search-query]'); i.focus();"
                  " document.execCommand('insertText', false, '가용영역'); }")  # an input event, no key event
    wait_for_results(page, "가용영역")
    assert site.page_url("ko", "infrastructure/availability-zones/") in box.pages()[:1]
    typing = ImeTyping(page)
    typing.done = "가용영역"
    typing.commit("가용영역 리전")  # Input.insertText alone: an IME commit with no key event
    wait_for_results(page, "가용영역 리전")
    lease.close()


@pytest.mark.parametrize("lang", LANGS)
def test_spaces_full_width_and_the_loading_label(site, browser, lang):
    lease, page = new_page(browser, height=720)
    goto(page, site.page_url(lang, ""))
    strings = translations(page)
    assert meta(page) not in ("검색 초기화", ""), "the label while the index loads"
    box = SearchBox(page, site.page_url(lang, ""))
    box.search("   ")
    assert meta(page) == strings["search.result.placeholder"], "a query of only spaces shows the prompt"
    assert box.search(full_width("region"))[:1] == box.search("region")[:1] == [site.page_url(lang, "infrastructure/regions/")]
    assert box.search(full_width("AZ"))[:1] == [site.page_url(lang, "infrastructure/availability-zones/")]
    lease.close()


@pytest.mark.parametrize("lang", LANGS)
def test_corrected_queries_say_what_was_searched(site, browser, lang):
    """A typo (generated from a glossary name) shows "showing results for", marks the corrected term, is announced
    (role=status), offers to search what was typed, and goes through ?q= deep links too; exact queries show nothing."""
    rng = random.Random(9)
    term = next(t for t in load_terms() if len(t["ko"].replace(" ", "")) >= 4 and re.fullmatch(r"[\uac00-\ud7a3 ]+", t["ko"]))
    name = term["ko"] if lang == "ko" else max(term["en"].split(), key=len)
    typo = hangul_typo(name.replace(" ", ""), rng) if lang == "ko" else latin_typo(name.lower(), rng)
    lease, page = new_page(browser, height=720)
    goto(page, site.page_url(lang, ""))
    box = SearchBox(page, site.page_url(lang, ""))
    notice = page.locator(".md-search-result__notice")
    box.search(name)
    assert notice.inner_text() == "", "no notice for an exact query"
    pages = box.search(typo)
    assert site.page_url(lang, location(term["page"])[0]) in pages[:3], f"{typo!r}: {pages[:3]}"
    assert notice.get_attribute("role") == "status" and notice.locator("button").is_visible()
    said = notice.inner_text()
    assert typo in said and ("검색 결과" in said if lang == "ko" else "Showing results for" in said), said
    marks = page.eval_on_selector_all(".md-search-result mark", "m => m.map(e => e.textContent.toLowerCase())")
    assert any(m and m in name.lower().replace(" ", "") for m in marks), f"corrected term highlighted: {marks[:5]}"
    notice.get_by_role("button").click()  # search exactly what was typed
    page.wait_for_function("() => document.querySelector('.md-search-result__notice').textContent === ''")
    assert page.locator(".md-search-result__list > li").count() == 0
    goto(page, site.page_url(lang, "") + "?q=" + typo)
    page.wait_for_selector(".md-search-result__notice button", timeout=5_000)
    lease.close()


# ---- concepts and sections, long queries (issues #21, #22 L1) ----------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_a_query_naming_a_concept_links_the_section_that_explains_it_first(site, boxes, lang):
    """In the real box, the first word of each concept (data/concepts.yml: 비용, cost, ...) shows its section right under
    the first result's page title, and the pages that merely mention it stay listed below."""
    failures = []
    for concept in load_concepts():
        page, section = location(concept["page"])
        word = concept["words"][lang][0]
        pages = boxes[lang].search(word)
        if boxes[lang].top() != section or pages[:1] != [site.page_url(lang, page)]:
            failures.append(f"{word!r}: first link {boxes[lang].top()}, pages {pages[:3]}")
    assert not failures, failures
    assert len(boxes[lang].search(load_concepts()[0]["words"][lang][0])) >= 3, "the cost notes on other pages stay findable"


def cut_note(page) -> str:
    """Waits for the notice that the query was cut (a ?q= link loads the index first) and returns it."""
    page.wait_for_function("() => /200/.test(document.querySelector('.md-search-result__notice').textContent)", timeout=30_000)
    return page.text_content(".md-search-result__notice")


@pytest.mark.parametrize("lang", LANGS)
def test_a_pasted_10000_character_text_is_cut_and_answered(site, browser, lang):
    """A pasted text of 10,000 characters (the site's own words) answers with results and says that only the first 200
    characters were searched (15359c4 kept a core busy for minutes on such a query)."""
    docs = json.loads((site.dir / LANGS[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = " ".join(re.sub(r"<[^>]+>", " ", " ".join(doc["text"] for doc in docs)).split())
    text = (text * (10_000 // len(text) + 1))[:10_000]
    lease, page = new_page(browser, height=720)
    goto(page, site.page_url(lang, ""))
    box = SearchBox(page, site.page_url(lang, ""))
    box.search("region")
    start = time.perf_counter()
    assert box.search(text), "results for the first 200 characters"
    seconds = time.perf_counter() - start
    note = cut_note(page)
    assert ("200자" in note) if lang == "ko" else ("first 200 characters" in note), note
    assert seconds < 3, f"{seconds:.1f} s from paste to results"
    lease.close()


def test_a_search_link_of_8000_bytes_is_cut_and_answered(site, browser):
    """A ?q= link of 8,000 bytes (a misspelt name, percent-encoded, repeated) opens search with results and the note."""
    query = ""
    while len(quote(query + "가용영억 ")) <= 8_000 - len("?q="):
        query += "가용영억 "
    lease, page = new_page(browser, height=720)
    link = site.page_url("ko", "") + "?q=" + quote(query)
    assert len(link.encode()) - len(site.page_url("ko", "").encode()) <= 8_000
    goto(page, link)
    assert "200자" in cut_note(page)
    assert page.locator(".md-search-result__list > li").count() > 0
    lease.close()
