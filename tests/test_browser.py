"""In Chromium: every page in both languages and both colour schemes renders its diagrams with no error and no request off the site."""

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, PAGES

RENDERED = """() => [...document.querySelectorAll("div.mermaid")]
  .filter(host => host.shadowRoot && host.shadowRoot.querySelector("svg g"))
  .filter(host => !host.shadowRoot.textContent.includes("Syntax error")).length"""


def expected_diagrams(site, lang, page):
    return len(BeautifulSoup(site.html(lang, page), "html.parser").select("pre.mermaid"))


def wait_for_diagrams(page, count):
    """Scrolls each diagram into view (they render when near the viewport) and waits until `count` have rendered."""
    if count:
        page.evaluate("""async () => {
          for (const element of [...document.querySelectorAll("pre.mermaid")]) {
            element.scrollIntoView();
            await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          }
        }""")
        page.wait_for_function(f"({RENDERED})() >= {count}", timeout=15_000)
    return page.evaluate(RENDERED)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_diagrams_without_errors_or_foreign_requests(site, open_page, lang, page_path, scheme):
    page, recorder = open_page(site.page_url(lang, page_path), scheme=scheme)
    expected = expected_diagrams(site, lang, page_path)
    assert wait_for_diagrams(page, expected) == expected
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    assert recorder.problems() == []


def diagram_colours(page):
    """The computed colours of the first diagram's labels and shapes: they come from the palette's variables."""
    return page.evaluate("""() => {
      const root = document.querySelector("div.mermaid").shadowRoot;
      const shape = getComputedStyle(root.querySelector(".node rect, .cluster rect"));
      return [getComputedStyle(root.querySelector(".nodeLabel")).color, shape.fill, shape.stroke];
    }""")


def test_diagram_colours_follow_the_palette_switch(site, open_page):
    page, recorder = open_page(site.page_url("ko", "infrastructure/"))
    wait_for_diagrams(page, expected_diagrams(site, "ko", "infrastructure/"))
    light = diagram_colours(page)
    page.click("label[for='__palette_1']")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert wait_for_diagrams(page, 1) >= 1
    dark = diagram_colours(page)
    assert dark[0] != light[0], f"label colour did not follow the palette: {light} -> {dark}"
    assert recorder.problems() == []


def test_diagrams_render_after_following_in_site_links(site, open_page):
    page, recorder = open_page(site.page_url("en", ""))
    page.click("article a[href$='infrastructure/edge-locations/']")
    page.wait_for_url("**/en/infrastructure/edge-locations/")
    expected = expected_diagrams(site, "en", "infrastructure/edge-locations/")
    assert expected and wait_for_diagrams(page, expected) == expected
    page.click(".md-sidebar--primary a.md-nav__link[href$='regions/']")
    page.wait_for_url("**/en/infrastructure/regions/")
    expected = expected_diagrams(site, "en", "infrastructure/regions/")
    assert expected and wait_for_diagrams(page, expected) == expected
    assert recorder.problems() == []


# Records when Material's bundle finishes evaluating: its last statements publish window.document$.
RECORD_MATERIAL_START = """Object.defineProperty(window, "document$", { configurable: true, set(value) {
  Object.defineProperty(window, "document$", { value, writable: true, configurable: true });
  window.materialStartedAt = performance.now();
} });"""


@pytest.mark.parametrize("lang", LANGS)
def test_material_starts_after_the_first_paint_and_wraps_no_table_twice(site, open_page, lang):
    page, recorder = open_page(site.page_url(lang, "glossary/"))
    page.context.add_init_script(RECORD_MATERIAL_START)
    page.reload(wait_until="networkidle")
    started, painted = page.evaluate("""() => [window.materialStartedAt,
      performance.getEntriesByName("first-contentful-paint")[0]?.startTime]""")
    assert started and painted and started > painted, f"Material started at {started} ms, first paint at {painted} ms"
    tables = page.evaluate("""() => [...document.querySelectorAll("article table")].map(table => {
      let wrappers = 0;
      for (let e = table.parentElement; e; e = e.parentElement) wrappers += e.matches(".md-typeset__table");
      return wrappers;
    })""")
    assert tables and all(count == 1 for count in tables), f"each table in exactly one Material wrapper: {tables}"
    assert recorder.problems() == []


# The language switcher and the 404 pages: tests/test_reader.py.


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_nothing_overflows_a_360px_screen(site, open_page, lang, page_path):
    page, _ = open_page(site.page_url(lang, page_path), width=360)
    wait_for_diagrams(page, expected_diagrams(site, lang, page_path))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate("getComputedStyle(document.querySelector('article')).wordBreak") == "keep-all"
