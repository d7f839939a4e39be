"""Search in the real search box: readers' queries, every glossary name with particles and spacing, per-language results, odd input."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml

from conftest import LANGS, ROOT
from glossary import load_terms
from search_box import SearchBox
from search_index import location, term_names

SHARED = ROOT.parent / "shared" / "search" / "queries.yml"
COPY = ROOT / "tests" / "search_queries.shared.yml"


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


@pytest.fixture(scope="module")
def boxes(browser, site):
    """One search box per language, opened on that language's home page."""
    result = {}
    for lang in LANGS:
        context = browser.new_context()
        page = context.new_page()
        page.goto(site.page_url(lang, ""), wait_until="networkidle")
        result[lang] = SearchBox(page, site.page_url(lang, ""))
    yield result
    for box in result.values():
        box.page.context.close()


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
def test_odd_queries_give_results_or_no_results_never_errors(site, browser, lang, query):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(site.page_url(lang, ""), wait_until="networkidle")
    SearchBox(page, site.page_url(lang, "")).search(query)
    assert page.locator(".md-search-result img, .md-search-result script").count() == 0
    assert errors == []
    context.close()


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
