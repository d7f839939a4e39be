"""In Chromium: every page in both languages, both colour schemes and two widths shows its build-time diagrams legibly,
with no error and no request off the site."""

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, PAGES
from diagram_checks import diagram_problems

A4_PRINT_WIDTH = 718  # CSS px: A4 (794 px) less Chrome's default margins
PRINT_MIN_PX = 8 * 96 / 72  # 8 pt


def expected_diagrams(site, lang, page):
    return len(BeautifulSoup(site.html(lang, page), "html.parser").select("figure.diagram"))


def wait_for_diagrams(page, count):
    """Diagrams are drawn at build time: returns how many are shown (one drawing per diagram) without waiting."""
    return page.evaluate("""() => [...document.querySelectorAll("article figure.diagram svg.diagram__svg")]
      .filter(svg => svg.checkVisibility()).length""")


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_page_shows_legible_diagrams_without_errors_or_foreign_requests(site, open_page, lang, page_path, scheme, width):
    page, recorder = open_page(site.page_url(lang, page_path), scheme=scheme, width=width)
    expected = expected_diagrams(site, lang, page_path)
    assert wait_for_diagrams(page, expected) == expected
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    assert diagram_problems(page, scheme) == []
    if expected and width == 1280 and scheme == "light":  # a reader whose fonts differ from the build's
        for font in ('"Liberation Sans", "Droid Sans Fallback"', '"DejaVu Serif", "Noto Serif CJK KR"'):
            assert diagram_problems(page, scheme, font=font) == [], font
    if width == 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert page.evaluate("getComputedStyle(document.querySelector('article')).wordBreak") == "keep-all"
    assert recorder.problems() == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_diagrams_print_light_and_at_least_8pt(site, open_page, lang, page_path):
    if not expected_diagrams(site, lang, page_path):
        pytest.skip("no diagrams")
    page, _ = open_page(site.page_url(lang, page_path), scheme="dark", width=A4_PRINT_WIDTH)
    page.emulate_media(media="print")
    assert diagram_problems(page, "light", min_px=PRINT_MIN_PX) == []


@pytest.mark.parametrize("lang", LANGS)
def test_diagrams_show_without_javascript(site, open_page, lang):
    for page_path in PAGES:
        expected = expected_diagrams(site, lang, page_path)
        if not expected:
            continue
        page, _ = open_page(site.page_url(lang, page_path), width=360, javascript=False)
        assert wait_for_diagrams(page, expected) == expected, page_path
        assert diagram_problems(page, "light") == [], page_path


def test_diagrams_follow_the_palette_switch(site, open_page):
    page, recorder = open_page(site.page_url("ko", "infrastructure/"))
    assert diagram_problems(page, "light") == []
    page.click("label[for='__palette_1']")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert diagram_problems(page, "dark") == []
    assert recorder.problems() == []


def test_diagrams_show_after_following_in_site_links(site, open_page):
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


def switch_language(page, target_lang):
    page.hover(".md-header .md-select")
    page.click(f".md-header .md-select__link[hreflang='{target_lang}']")


def test_language_switcher_round_trip_under_a_sub_path(site, open_page):
    start = site.page_url("ko", "infrastructure/regions/")
    page, recorder = open_page(start + "#choosing-a-region")
    switch_language(page, "en")
    page.wait_for_url(site.page_url("en", "infrastructure/regions/"))
    assert page.evaluate("document.documentElement.lang") == "en"
    switch_language(page, "ko")
    page.wait_for_url(start)
    assert page.evaluate("document.documentElement.lang") == "ko"
    assert recorder.problems() == []


@pytest.mark.parametrize("lang", LANGS)
def test_missing_page_shows_the_404_in_the_readers_language(site, open_page, lang):
    page, recorder = open_page(site.page_url(lang, "no-such-page/"), expect_status=404)
    if lang == "en":
        page.wait_for_url("**/en/404.html")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("article h1").inner_text() == {"ko": "페이지를 찾을 수 없습니다", "en": "Page not found"}[lang]
    recorder.failed = [f for f in recorder.failed if "no-such-page" not in f]
    recorder.console_errors = [e for e in recorder.console_errors if not ("no-such-page" in e and "404" in e)]
    if lang == "en":  # the Korean 404 sends /en/ paths to the English one, abandoning its own requests
        recorder.failed = [f for f in recorder.failed if "ERR_ABORTED" not in f]
    assert recorder.problems() == []
