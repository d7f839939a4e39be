"""Every reader, every way in (issue 19): the navigation by keyboard at every width below the desktop sidebar, what stays
visible in forced colours (measured on screenshot pixels), what screen readers are told (the packet's headings, search
results), and the smaller ways in: large text on a phone, the theme shared by both languages, the first paint."""

from __future__ import annotations

import base64
import re
from urllib.parse import urljoin

import pytest

from conftest import LANGS, PAGES, ROOT, goto, new_page
from pixels import contrast, edge_cue, rect, strongest
from test_reader import NO_TRANSITIONS

DEEP_PAGE = "infrastructure/local-zones/"  # inside a section, so its entry in the drawer is nested
KEYBOARD_WIDTHS = [360, 768, 1024, 1219]  # every width below Material's sidebar breakpoint (76.25em = 1220 px)

# The focused element: where it is, whether a reader can see it, and which page it links to.
FOCUS = """async () => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  if (e.closest(".md-search"))  // Material opens the search dialog when its field gets focus
    await new Promise(resolve => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(resolve)), 20));
  const r = e.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const label = e.matches("input") && !r.width ? [...e.labels, e.nextElementSibling].find(l => l?.checkVisibility()) : null;
  const shown = (label || e).checkVisibility({ visibilityProperty: true, opacityProperty: true })
    && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth
    && (label || !top || e.contains(top) || top.contains(e));
  return { tag: e.tagName.toLowerCase(), href: e.href || null, text: (e.getAttribute("aria-label") || e.textContent).trim()
             .replace(/\\s+/g, " ").slice(0, 40), drawer: !!e.closest(".md-sidebar--primary"), shown,
           menu: e.matches(".md-header__menu"), contents: e.matches("label[for=__toc]"), expanded: e.getAttribute("aria-expanded"),
           key: e.dataset.stop || (e.dataset.stop = String(Math.random())) };
}"""


def tab_until_round(page, limit: int = 200) -> list[dict]:
    """Presses Tab until focus comes back to an element it has been on; returns each stop (the browser's own UI between
    the page's last and first stop shows as None)."""
    stops, seen = [], set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS)
        if stop and stop["key"] in seen:
            break
        if stop:
            seen.add(stop["key"])
        stops.append(stop)
    return stops


@pytest.mark.parametrize("width", KEYBOARD_WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_reaches_every_page_through_the_menu_button(site, browser, lang, width):
    """Below 1220 px the site's navigation lives in a drawer: Tab reaches the menu button (a real button with
    aria-expanded), Enter opens the drawer and moves focus into it, Tab then reaches every page of the language (and
    nothing behind the drawer), and Escape closes it and gives focus back to the button. Closed, the drawer takes no tab
    stop, and no stop on the page is invisible."""
    context, page = new_page(browser, width=width, height=800)
    try:
        goto(page, site.page_url(lang, DEEP_PAGE))
        page.add_style_tag(content=NO_TRANSITIONS)
        where = f"/{LANGS[lang]}{DEEP_PAGE} at {width} px"
        stops = [s for s in tab_until_round(page) if s]
        assert [s for s in stops if s["drawer"]] == [], f"{where}: the closed drawer took tab stops"
        assert [s for s in stops if not s["shown"]] == [], f"{where}: invisible tab stops"
        menu = [i for i, s in enumerate(stops) if s["menu"]]
        assert menu and menu[0] <= 2, f"{where}: the menu button is not among the first tab stops: {stops[:4]}"

        page.focus(".md-header__menu")  # Tab reached it above
        assert page.evaluate(FOCUS)["expanded"] == "false"
        page.keyboard.press("Enter")
        opened = page.evaluate(FOCUS)
        assert opened and opened["drawer"] and opened["shown"], f"{where}: Enter left focus at {opened}"
        assert page.get_attribute(".md-header__menu", "aria-expanded") == "true"
        in_drawer = [opened] + tab_until_round(page, 60)
        outside = [s for s in in_drawer if s and not s["drawer"]]
        assert outside == [], f"{where}: with the drawer open, Tab reached the page behind it: {outside[:3]}"
        assert all(s["shown"] for s in in_drawer if s), f"{where}: invisible stops in the drawer"
        reached = {urljoin(page.url, s["href"]).split("#")[0] for s in in_drawer if s and s["href"]}
        here = site.page_url(lang, DEEP_PAGE)
        if any(s and s["contents"] for s in in_drawer):  # below 60em the current page's entry opens its contents
            reached.add(here)
        expected = {site.page_url(lang, p) for p in PAGES}
        assert expected <= reached, f"{where}: pages the keyboard cannot reach: {sorted(expected - reached)}"

        if width < 960:  # the contents level: Enter opens it on its first link, Escape closes it back on its entry
            page.locator(".md-sidebar--primary label.md-nav__link[for='__toc']").focus()
            page.keyboard.press("Enter")
            first = page.evaluate(FOCUS)
            assert first["drawer"] and first["shown"] and "#" in first["href"], f"{where}: contents opened on {first}"
            page.keyboard.press("Escape")
            back = page.evaluate(FOCUS)
            assert back["contents"] and back["expanded"] == "false", f"{where}: Escape from the contents went to {back}"
        page.keyboard.press("Escape")
        closed = page.evaluate(FOCUS)
        assert closed and closed["menu"] and closed["expanded"] == "false", f"{where}: after Escape focus is on {closed}"
        assert not page.evaluate("document.getElementById('__drawer').checked")
        assert not page.evaluate("[...document.querySelectorAll('[inert]')].length"), "the page stays inert"
    finally:
        context.close()


# ---- Forced colours (Windows High Contrast) -------------------------------------------------------------------------

def ring(page, selector: str) -> float:
    """Contrast of an element's focus ring: pixels that change when it takes keyboard focus, against what they were."""
    element = page.locator(selector).first
    element.scroll_into_view_if_needed()
    clip = rect(page, element, pad=6)
    before = page.screenshot(clip=clip, animations="disabled")
    page.keyboard.press("Shift+Tab")  # keyboard modality, so focus() shows :focus-visible
    element.focus()
    after = page.screenshot(clip=clip, animations="disabled")
    changed = page.evaluate("""async ([a, b]) => {
      const decode = async png => { const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(png), c => c.charCodeAt(0))]));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height), context = canvas.getContext("2d");
        context.drawImage(bitmap, 0, 0); return context.getImageData(0, 0, bitmap.width, bitmap.height).data; };
      const [x, y] = [await decode(a), await decode(b)], counts = new Map();
      for (let i = 0; i < x.length; i += 4)
        if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2]) {
          const key = [x[i], x[i + 1], x[i + 2], y[i], y[i + 1], y[i + 2]].join();
          counts.set(key, (counts.get(key) || 0) + 1);
        }
      return [...counts].sort((p, q) => q[1] - p[1]).slice(0, 1).map(([key]) => key.split(",").map(Number));
    }""", [base64.b64encode(before).decode(), base64.b64encode(after).decode()])
    page.evaluate("document.activeElement.blur()")
    return contrast(changed[0][:3], changed[0][3:]) if changed else 0.0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_forced_colours_keep_marks_rings_diagrams_cues_admonitions_and_the_glossary_visible(site, browser, scheme):
    """In forced colours with a light and a dark system palette, measured on screenshot pixels: text 4.5:1, focus rings,
    diagram strokes and scroll cues 3:1."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme, forced_colors="active")
    page = context.new_page()
    try:
        goto(page, site.page_url("ko", "interfaces/"))
        found = {}
        found["link focus ring"] = ring(page, "article p a[href]")
        found["admonition title"] = strongest(page, rect(page, "article .admonition-title, article summary"))[0]
        border = rect(page, "article details")  # a strip across its left edge: canvas, border, inside
        found["admonition border"] = strongest(page, dict(border, x=border["x"] - 2, width=4))[0]
        node = page.locator("article figure.diagram svg:visible .node").first
        found["diagram label"] = strongest(page, rect(page, node.locator("text, foreignObject").first))[0]
        outline = rect(page, node)  # a strip across the node's left side: the canvas, then the node's outline
        found["diagram stroke"] = strongest(page, dict(outline, x=outline["x"] - 3, width=4))[0]
        found["diagram arrow"] = strongest(page, rect(page, page.locator("article svg:visible .flowchart-link").first, pad=3))[0]
        # The first diagram and code block that scroll sideways, at their start: the cue is on the side with more to see.
        page.evaluate("""() => { for (const [box, name] of [[".diagram__scroll", "diagram"], ["pre > code", "code"]]) {
          const found = [...document.querySelectorAll(`article ${box}`)].find(b => b.scrollWidth > b.clientWidth);
          found.dataset.measured = name;
          if (name === "diagram") found.parentElement.dataset.measured = "frame";
        } }""")
        frame = page.locator("[data-measured=frame]")
        frame.scroll_into_view_if_needed()
        more_left = page.evaluate("""(b => b.scrollLeft + b.clientWidth >= b.scrollWidth - 1)(
          document.querySelector('[data-measured=diagram]'))""")
        found["diagram cue"] = edge_cue(page, frame, "left" if more_left else "right")
        found["code cue"] = edge_cue(page, page.locator("[data-measured=code]"))
        found["code focus ring"] = ring(page, "[data-measured=code]")

        page.keyboard.press("/")  # search: the matched words
        page.locator("input[data-md-component=search-query]").fill("리전")
        page.locator("input[data-md-component=search-query]").press("End")
        page.wait_for_selector(".md-search-result mark", timeout=10_000)
        found["search match"] = strongest(page, rect(page, ".md-search-result mark"))[0]

        goto(page, site.page_url("ko", "glossary/") + "#availability-zone")
        target = page.locator("tr#availability-zone")
        found["glossary term"] = strongest(page, rect(page, target.locator("dfn")))[0]
        found["glossary linked term"] = edge_cue(page, target.locator("td").first, side="left")
        text = {"admonition title", "diagram label", "search match", "glossary term"}
        low = {k: round(v, 2) for k, v in found.items() if v < (4.5 if k in text else 3)}
        assert low == {}, f"forced colours ({scheme}): too faint: {low} (all: { {k: round(v, 1) for k, v in found.items()} })"
    finally:
        context.close()


# ---- Screen readers ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_packets_headings_are_in_the_accessibility_tree_at_load(site, open_page, lang):
    """The packet skips laying out its text until scrolled near (content-visibility), but never its headings: a screen
    reader navigating by headings finds every chapter and section as soon as the page has loaded."""
    page, _ = open_page(site.page_url(lang, "print/"))
    expected = page.evaluate("document.querySelectorAll('article :is(h1, h2, h3)').length")
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    found = cdp.send("Accessibility.queryAXTree", {"nodeId": root, "role": "heading"})["nodes"]
    names = [n.get("name", {}).get("value", "") for n in found if not n.get("ignored")]
    assert len(names) == expected > 50, f"{len(names)} of {expected} headings in the accessibility tree"
    assert not [n for n in names if n.endswith("¶")], "heading names end in the permalink sign"


@pytest.mark.parametrize("lang", LANGS)
def test_search_is_announced_once_settled_and_the_keyboard_reaches_search_exactly(site, browser, lang):
    """Results (and "no results", with a hint) are announced through one live region once the query has settled, not on
    every keystroke; Tab from the box reaches "search exactly"; Escape gives focus back to where it was."""
    typo, corrected = {"ko": ("가용영억", "가용 영역"), "en": ("avaliability", "availability")}[lang]  # codespell:ignore
    context, page = new_page(browser, width=1280, height=800)
    try:
        goto(page, site.page_url(lang, ""))
        page.evaluate("""() => { window.said = [];
          const live = document.querySelector(".md-search [role=status]:not(.md-search-result__notice)");
          new MutationObserver(() => live.textContent && said.push(live.textContent))
            .observe(live, { childList: true, characterData: true, subtree: true }); }""")
        page.keyboard.press("Tab")  # the skip link: where focus was before search
        page.keyboard.press("/")
        page.keyboard.type(typo, delay=60)
        page.wait_for_function("() => window.said.length > 0", timeout=10_000)
        page.wait_for_timeout(1200)  # a second announcement would come within the settling time
        said = page.evaluate("window.said")
        assert len(said) == 1, f"announced {len(said)} times while typing: {said}"
        assert corrected in said[0] and re.search(r"\d", said[0]), f"announcement: {said[0]!r}"

        page.keyboard.press("Tab")
        exact = page.evaluate("[document.activeElement.matches('.md-search-result__exact'), document.activeElement.textContent]")
        assert exact[0] and typo in exact[1], f"Tab from the box went to {exact}"
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.said.length > 1", timeout=10_000)
        none = page.evaluate("window.said.at(-1)")
        hint = page.locator(".md-search-result__hint")
        assert hint.is_visible() and hint.locator("a").count() == 2, "no hint under no results"
        report = hint.locator("a[href*='search-miss']").get_attribute("href")
        assert "query=" in report and "language=" in report, report
        assert hint.inner_text().split()[0] in none, f"the hint is not announced: {none!r}"

        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.getElementById('__search').checked")
        page.wait_for_timeout(50)
        assert page.evaluate("document.activeElement.matches('.md-skip')"), "Escape did not give focus back"
    finally:
        context.close()


# ---- The smaller ways in ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_header_fits_a_phone_at_200_percent_text(site, browser, lang):
    """With the browser's text size at 200 % (32 px) a 360 px screen does not pan sideways, and search stays on screen."""
    context, page = new_page(browser, width=360, height=740)
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Page.enable")
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        goto(page, site.page_url(lang, DEEP_PAGE))
        wide = page.evaluate("document.documentElement.scrollWidth")
        buttons = page.evaluate("""() => [...document.querySelectorAll(".md-header__button, .md-header__option")]
          .filter(e => e.checkVisibility({ visibilityProperty: true }))
          .map(e => [e.className, Math.round(e.getBoundingClientRect().right)])""")
        assert wide <= 360 and all(right <= 360 for _, right in buttons), f"{wide} px wide; header: {buttons}"
    finally:
        context.close()


def test_the_theme_is_shared_by_both_languages_and_there_from_the_first_paint(site, browser):
    """A dark theme chosen on a Korean page is the English pages' theme too; a system in dark mode gets the dark palette
    and the theme toggle before Material's script has started (it starts after the first paint)."""
    context, page = new_page(browser, width=1280, height=800)
    try:
        goto(page, site.page_url("ko", DEEP_PAGE))
        page.locator("[data-md-component=palette] label:visible").click()
        page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
        goto(page, site.page_url("en", DEEP_PAGE))
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate", "the English page forgot the dark theme"
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page = context.new_page()
    try:
        page.route(re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$"), lambda route: route.abort())
        page.goto(site.page_url("ko", DEEP_PAGE), wait_until="load")
        early = page.evaluate("""() => [document.body.dataset.mdColorScheme,
          [...document.querySelectorAll("[data-md-component=palette] label")].filter(l => l.checkVisibility()).length,
          document.querySelector(".md-search__input").checkVisibility()]""")
        assert early == ["slate", 1, True], f"before Material starts: scheme, toggles shown, search shown = {early}"
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_permalinks_landmarks_and_korean_chrome_read_well(site, lang):
    """Heading permalinks stay out of the accessibility tree and the tab order (a heading is not read as "Regions ¶");
    the Korean landmarks and buttons use standard spelling."""
    doc = site.soup(lang, DEEP_PAGE)
    links = doc.select("article a.headerlink")
    assert links and all(a.get("aria-hidden") == "true" and a.get("tabindex") == "-1" for a in links)
    if lang == "ko":
        names = {e.get("aria-label") for e in doc.select("nav[aria-label], button[aria-label]")}
        assert {"머리글", "내비게이션", "바닥글", "언어 선택", "메뉴"} <= names, names
        assert doc.select_one(".md-top").get_text(strip=True) == "맨 위로"
        assert "네비게이션" not in str(doc) and "언어설정" not in str(doc)


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_markdown_lists_terms_in_the_glossary_pages_order(site, lang):
    page = site.soup(lang, "glossary/")
    order = [row.select_one("dfn").get_text(strip=True) for row in page.select(".glossary tbody tr")]
    markdown = (site.dir / LANGS[lang] / "glossary/index.md").read_text(encoding="utf-8")
    rows = [line.split(" | ")[0].lstrip("| ").strip() for line in markdown.splitlines() if line.startswith("| ")][1:]
    assert rows == order


def test_error_reports_name_the_language_and_code_blocks_can_be_copied(site):
    for lang in LANGS:
        doc = site.soup(lang, "interfaces/")
        report = doc.select_one(".page-source a[href*='/issues/new']")["href"]
        assert "language=" in report and "page=" in report
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- content.code.copy" in mkdocs
