"""In Chromium: every page in both languages, both colour schemes and two widths shows its build-time diagrams legibly,
with no error and no request off the site."""


import pytest

from conftest import LANGS, PAGES, goto, new_page
from diagram_checks import diagram_problems

A4_PRINT_WIDTH = 718  # CSS px: A4 (794 px) less Chrome's default margins
PRINT_MIN_PX = 8 * 96 / 72  # 8 pt


def expected_diagrams(site, lang, page):
    return len(site.soup(lang, page).select("figure.diagram"))


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


# The screens people read on (CSS px): a laptop, where a diagram also fits the column (no sideways scrolling), and a
# phone, where it may scroll sideways inside its own box (its labels never shrink below 12 px). Either way the whole
# figure, caption included, fits the screen below the header (issue #10: no diagram taller than the screen).
SCREENS = {1280: {"height": 800, "scrolls": False}, 360: {"height": 740, "scrolls": True}}
DRAWN_SIZES = """() => [...document.querySelectorAll("article figure.diagram")].map(figure => {
  const { width, height } = figure.getBoundingClientRect();
  const box = figure.querySelector(".diagram__scroll");
  return { width, height, overflow: box.scrollWidth - box.clientWidth };
})"""


@pytest.mark.parametrize("width", sorted(SCREENS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_diagram_fits_a_readers_screen(site, open_page, lang, width):
    screen, problems = SCREENS[width], []
    for page_path in [p for p in PAGES if expected_diagrams(site, lang, p)]:
        page, _ = open_page(site.page_url(lang, page_path), width=width, height=screen["height"])
        room = screen["height"] - page.evaluate("document.querySelector('.md-header').getBoundingClientRect().height")
        for index, size in enumerate(page.evaluate(DRAWN_SIZES)):
            where = f"{lang} /{page_path} at {width} x {screen['height']}, diagram {index + 1} with its caption"
            if size["height"] > room:
                problems.append(f"{where}: {size['height']:.0f} px tall, the screen shows {room:.0f} below the header")
            if not screen["scrolls"] and size["overflow"] > 1:
                problems.append(f"{where}: scrolls sideways by {size['overflow']} px")
    assert not problems, "\n".join(problems)


CUES = """box => ["before", "after"].filter(side => parseFloat(getComputedStyle(box.parentElement, "::" + side).opacity) > 0.5)
  .map(side => side === "before" ? "left" : "right")"""


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("lang", LANGS)
def test_scroll_cue_shades_only_the_edges_with_more_to_see(site, open_page, lang, javascript):
    """A diagram wider than a 360 px screen shades the right edge at the start, both in the middle, the left at the end."""
    wide = 0
    for page_path in [p for p in PAGES if expected_diagrams(site, lang, p)]:
        page, _ = open_page(site.page_url(lang, page_path), width=360, javascript=javascript)
        for index, box in enumerate(page.query_selector_all("article .diagram__scroll")):
            if not box.evaluate("box => box.scrollWidth > box.clientWidth + 1"):
                continue
            wide += 1
            for where, expected in (("0", ["right"]), ("box.scrollWidth / 2 - box.clientWidth / 2", ["left", "right"]),
                                    ("box.scrollWidth", ["left"])):
                box.evaluate(f"box => {{ box.scrollLeft = {where}; }}")
                for _ in range(50):  # the cue follows the scroll within a second; asked from here, since a page without
                    if box.evaluate(CUES) == expected:  # JavaScript runs no wait_for_function polls after the first
                        break
                    page.wait_for_timeout(20)
                assert box.evaluate(CUES) == expected, f"{lang} {page_path} diagram {index + 1} scrolled to {where}"
    if not wide:
        pytest.skip("no diagram is wider than a 360 px screen")


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
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
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


# Material's start after the first paint and its table wrapping: tests/test_material_patches.py.


def test_a_borrowed_context_comes_back_without_the_last_tests_storage(site, browser):
    """conftest.WarmContexts: what a test stored (the dark palette Material keeps in localStorage, a cookie) and the
    pages it opened are gone when the next test borrows the same context; its page starts light again."""
    lease, page = new_page(browser)
    goto(page, site.page_url("ko", ""))
    page.locator("[data-md-component=palette] label:visible").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    page.evaluate("document.cookie = 'left=behind; path=/'")
    lease.context.new_page()  # a second page the test forgets to close
    context = lease.context
    lease.close()
    again, page = new_page(browser)
    assert again.context is context, "the context is lent again"
    assert len(context.pages) == 2, "the keeper and the new page only"
    goto(page, site.page_url("en", ""))
    stored, cookie = page.evaluate("[JSON.stringify(localStorage), document.cookie]")
    assert "slate" not in stored and cookie == "", f"left behind: {stored} {cookie}"
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    again.close()


# The language switcher and the 404 pages: tests/test_reader.py.
