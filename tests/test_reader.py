"""What a reader perceives, in Chromium: Hangul words that never break inside themselves, no italic Hangul, a visible
logo, a language menu that shows the current language and keeps the #section, keyboard focus that is always visible,
no sideways scrolling without JavaScript, and a 404 page whose links work at the root and under a sub-path."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import LANGS, PAGES, RECORDERS, ROOT, Recorder, build, goto, new_page, settle
from pages_server import serve
from pixels import edge_cue
from search_box import SearchBox

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")

# Hangul words (maximal runs of Hangul characters, joined across inline elements such as <a>리전</a>별) whose
# characters sit on two lines: one Range per word, split when its client rects lie on different lines.
SPLIT_WORDS = """(selector) => {
  const HANGUL = /[\\u1100-\\u11ff\\u3130-\\u318f\\uac00-\\ud7af]/;
  const block = node => {
    for (let e = node.parentElement; e; e = e.parentElement) {
      const display = getComputedStyle(e).display;
      if (!display.startsWith("inline") && display !== "contents") return e;
    }
    return document.body;
  };
  const words = [];
  let word = null;
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("script, style, svg, title")
          || !parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) { word = null; continue; }
      const owner = block(node);
      for (let i = 0; i < node.data.length; i++) {
        if (!HANGUL.test(node.data[i])) { word = null; continue; }
        const continues = word && word.block === owner && (word.end[0] === node ? word.end[1] === i
          : i === 0 && word.end[1] === word.end[0].data.length);
        if (continues) { word.end = [node, i + 1]; word.text += node.data[i]; }
        else { word = { start: [node, i], end: [node, i + 1], text: node.data[i], block: owner }; words.push(word); }
      }
    }
    word = null;
  }
  const middle = r => r.top + r.height / 2;
  const split = [];
  for (const w of words.filter(w => w.text.length > 1)) {
    const range = document.createRange();
    range.setStart(...w.start);
    range.setEnd(...w.end);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (rects.some(r => Math.abs(middle(r) - middle(rects[0])) > Math.min(r.height, rects[0].height) / 2)) {
      const text = w.block.textContent.replace(/\\s+/g, " "), at = text.indexOf(w.text);
      split.push(`${w.text} (in "${text.slice(Math.max(0, at - 12), at + w.text.length + 12)}")`);
    }
  }
  return { words: words.length, split };
}"""

# Visible Hangul set in an italic or oblique face (Korean typography has no italics).
ITALIC_HANGUL = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !/[\\uac00-\\ud7af]/.test(node.data) || !parent.checkVisibility()) continue;
    if (getComputedStyle(parent).fontStyle !== "normal") found.push(`${parent.tagName}: ${node.data.trim().slice(0, 30)}`);
  }
  return found;
}"""

# The focused element as the reader sees it (a visually hidden checkbox shows its focus on its label): on screen, not
# covered, with a focus ring (outline) whose contrast against what is behind it is at least 3:1 in both palettes.
# Run with transitions off (NO_TRANSITIONS), so what it reads is the settled state, and each palette is one attribute away.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"
FOCUSED = """async () => {
  let e = document.activeElement;
  if (!e || e === document.body) return null;
  if (e.closest(".md-search"))  // Material opens the search dialog when its field gets focus
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  if (e.hasAttribute("data-tab-seen")) return { wrapped: true };
  e.setAttribute("data-tab-seen", "");
  const inDrawer = e.closest(".md-sidebar--primary") !== null;
  if (e.matches("input[type=checkbox], input[type=radio]") && e.getBoundingClientRect().width === 0)
    e = [e.nextElementSibling, ...e.labels].find(l => l && l.matches("label") && l.checkVisibility()) || e;
  const rgba = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, bottom) => top.slice(0, 3).map((v, i) => v * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const backdrop = from => {
    const layers = [];
    for (let n = from; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((colour, layer) => over(layer, colour), [255, 255, 255, 1]);
  };
  const luminance = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  // Switching palettes restyles the whole page: an element styled as one met before (same tag and classes, same ones
  // above it, at this width in this language, on any page: tab_through keeps them) gets that one's rings.
  const styledAs = [innerWidth, document.documentElement.lang];
  for (let n = e; n; n = n.parentElement) styledAs.push(`${n.tagName}.${n.className}`);
  const rings = window.__rings ??= new Map(), key = styledAs.join("<");
  if (!rings.has(key)) {
    const found = [];
    const scheme = document.body.getAttribute("data-md-color-scheme");
    for (const palette of ["default", "slate"]) {
      document.body.setAttribute("data-md-color-scheme", palette);
      const style = getComputedStyle(e);
      const behind = backdrop(parseFloat(style.outlineOffset) < 0 ? e : e.parentElement);
      const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
        ? contrast(over(rgba(style.outlineColor), behind), behind) : 0;
      if (ring < 3) found.push(`${palette}: focus ring contrast ${ring.toFixed(2)} (${style.outlineStyle} ${style.outlineColor})`);
    }
    document.body.setAttribute("data-md-color-scheme", scheme);
    rings.set(key, found);
  }
  const problems = [...rings.get(key)];
  // A link that wraps has a bounding box around other text: test its first line's box.
  const r = [...e.getClientRects()].find(b => b.width > 0 && b.height > 0) || e.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  if (!(r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight))
    problems.push(`off screen at ${[r.left, r.top, r.width, r.height].map(Math.round)}`);
  if (!e.checkVisibility({ visibilityProperty: true, opacityProperty: true })) problems.push("invisible");
  else if (top && !e.contains(top) && !top.contains(e) && !(e.labels && [...e.labels].some(l => l.contains(top))))
    problems.push(`covered by ${top.tagName.toLowerCase()}.${top.className}`);
  const name = (e.getAttribute("aria-label") || e.getAttribute("title") || e.textContent || "").trim().replace(/\\s+/g, " ");
  return { inDrawer, what: `${e.tagName.toLowerCase()}.${e.className} "${name.slice(0, 30)}"`, problems };
}"""

CURRENT_LANGUAGE = """() => [...document.querySelectorAll(".md-header .md-select__link")].map(a => ({
  lang: a.hreflang, current: a.getAttribute("aria-current"), weight: Number(getComputedStyle(a).fontWeight),
  mark: getComputedStyle(a, "::after").content }))"""

# The header's logo: drawn, and its colour distinct (3:1) from the header behind it.
LOGO = """() => {
  const svg = document.querySelector(".md-header .md-logo svg, .md-header .md-logo img");
  const link = svg && svg.closest("a");
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = c => { const [r, g, b] = c.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [luminance(rgb(getComputedStyle(svg).fill)),
                  luminance(rgb(getComputedStyle(document.querySelector(".md-header")).backgroundColor))].sort((p, q) => q - p);
  const r = svg.getBoundingClientRect();
  return { tag: svg.tagName, contrast: (a + 0.05) / (b + 0.05), size: [r.width, r.height],
           label: link.getAttribute("aria-label"), alt: svg.getAttribute("alt") };
}"""

KOREAN_TEXT = "article, .md-header, .md-sidebar, .md-footer, .md-search-result"

# Line breaks a reader should never see: a Korean particle on the line after the ")" or "]" it follows (also across an
# element, <a>리전(Region)</a>이라는), and an identifier in inline code broken at one of its hyphens (ap- | northeast-2).
BAD_BREAKS = """() => {
  const lines = range => { const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    return new Set(rects.map(r => Math.round(r.top + r.height / 2))).size; };
  const block = node => { for (let e = node.parentElement; e; e = e.parentElement) {
    const display = getComputedStyle(e).display; if (!display.startsWith("inline")) return e; } };
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  let close = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest("pre, svg, script, style, .print-notes") || !parent.checkVisibility()) { close = null; continue; }
    for (let i = 0; i < node.data.length; i++) {
      const c = node.data[i];
      if (c === "\u2060") continue;
      if (close && /[\uac00-\ud7a3]/.test(c) && block(close[0]) === block(node)) {
        const range = document.createRange();
        range.setStart(...close);
        range.setEnd(node, i + 1);
        if (lines(range) > 1) found.push(`particle: ${range.toString()} (in "${block(node).textContent.slice(0, 40)}")`);
      }
      close = c === ")" || c === "]" ? [node, i] : null;
    }
  }
  for (const code of document.querySelectorAll("article :not(pre) > code")) {
    if (!code.checkVisibility()) continue;
    const text = code.textContent, nodes = [];
    const inner = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = inner.nextNode(), at = 0; node; at += node.data.length, node = inner.nextNode()) nodes.push([node, at]);
    const locate = offset => { const [node, at] = nodes.findLast(([, start]) => start <= offset); return [node, offset - at]; };
    for (const token of text.matchAll(/\\S*-\\S*/g)) {
      const range = document.createRange();
      range.setStart(...locate(token.index));
      range.setEnd(...locate(token.index + token[0].length - 1));
      range.setEnd(range.endContainer, range.endOffset + 1);
      if (lines(range) > 1) found.push(`code: ${token[0]}`);
    }
  }
  return found;
}"""

# Boxes that scroll sideways at a phone's width: each one says so (a cue on the side with more), is a named keyboard
# stop, and no table cell is cut at the screen's edge (tables reflow into cards); a diagram opens on its first node.
SIDEWAYS = """() => {
  const problems = [], cues = [];
  for (const box of document.querySelectorAll("article :is(.md-typeset__scrollwrap, pre > code, .diagram__scroll)")) {
    if (!box.checkVisibility()) continue;
    const kind = box.matches("pre > code") ? "code" : box.matches(".diagram__scroll") ? "diagram" : "table";
    const what = `${kind} "${box.textContent.trim().replace(/\\s+/g, " ").slice(0, 30)}"`;
    const edge = Math.min(box.getBoundingClientRect().right, innerWidth) + 1;
    const seen = c => c.checkVisibility() && !(c.closest("thead") && getComputedStyle(c.closest("thead")).clipPath !== "none");
    const cut = [...box.querySelectorAll("td, th")].filter(c => seen(c) && c.getBoundingClientRect().right > edge);
    if (cut.length) problems.push(`${what}: ${cut.length} cells cut at the edge`);
    if (box.scrollWidth <= box.clientWidth) continue;
    if (kind === "table") problems.push(`${what}: scrolls sideways instead of reflowing`);
    const marked = (kind === "diagram" ? box.parentElement : box).dataset.more || "";
    if (!marked.includes("right") && !marked.includes("left")) problems.push(`${what}: scrolls with no cue`);
    if (box.tabIndex !== 0 || !(box.getAttribute("aria-label") || box.getAttribute("aria-labelledby")))
      problems.push(`${what}: not a named keyboard stop`);
    if (kind === "diagram") {
      const node = [...box.querySelectorAll("svg")].find(s => s.checkVisibility())?.querySelector(".node");
      const r = node?.getBoundingClientRect(), b = box.getBoundingClientRect();
      if (r && (r.left < b.left - 1 || r.right > b.right + 1)) problems.push(`${what}: opens with its first node cut`);
    }
    if (marked.includes("right")) { box.dataset.cue = cues.length; cues.push(`[data-cue="${cues.length}"]`); }
  }
  return { problems, cues };
}"""


# scroll-boxes.js marks a box once its ResizeObserver has reported it, in a rendering step after load: wait for that.
BOXES_REPORTED = """() => [...document.querySelectorAll("article :is(.md-typeset__scrollwrap, pre > code, .diagram__scroll)")]
  .filter(box => box.checkVisibility() && box.scrollWidth > box.clientWidth)
  .every(box => (box.matches(".diagram__scroll") ? box.parentElement : box).hasAttribute("data-more"))"""


RINGS: dict[str, list[str]] = {}  # FOCUSED's focus-ring findings by how an element is styled, kept across pages


def tab_through(page, limit: int = 60) -> tuple[list[dict], list[str]]:
    """Presses Tab until focus comes back round (or `limit` times); returns (what was focused, problems)."""
    page.add_style_tag(content=NO_TRANSITIONS)
    page.evaluate("rings => { window.__rings = new Map(Object.entries(rings)); }", RINGS)
    seen, problems = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused.get("wrapped"):
            break
        seen.append(focused)
        problems += [f"Tab {len(seen)} {focused['what']}: {p}" for p in focused["problems"]]
    RINGS.update(page.evaluate("() => Object.fromEntries(window.__rings)"))
    return seen, problems


# Marks each element Tab reaches; `wrapped` turns true once focus lands on a marked one (Tab came round) or leaves the page.
MARK_TAB_STOPS = """() => { window.wrapped = false;
  document.addEventListener("focusin", event => event.target.hasAttribute("data-tab-seen") ? window.wrapped = true
    : event.target.setAttribute("data-tab-seen", ""));
  window.addEventListener("blur", () => { window.wrapped = true; }); }"""


def tab_to_every_code_block_that_scrolls(page, limit: int = 2000) -> list[str]:
    """Tabs through the whole page; returns the first line of each sideways-scrolling code block Tab never reached."""
    page.evaluate(MARK_TAB_STOPS)
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if presses % 10 == 0 and page.evaluate("window.wrapped"):  # ask now and then: a round trip costs a Tab press
            break
    return page.evaluate("""() => [...document.querySelectorAll("article pre > code")]
      .filter(code => code.scrollWidth > code.clientWidth && !code.hasAttribute("data-tab-seen"))
      .map(code => code.textContent.split("\\n")[0])""")


@pytest.mark.parametrize("lang", LANGS)
def test_tab_reaches_every_code_block_that_scrolls(site, browser, lang):
    """Keyboard readers can scroll a wide code block: Tab stops on it, also far down a page and in the print packet
    (Material's content.lazy sets a code block up, and makes it focusable, only once it has been on screen)."""
    pages = [p for p in PAGES if "<pre" in site.html(lang, p)] + ["print/"]
    assert len(pages) > 1
    for page_path in pages:
        context, page, _ = open_reader(browser, site.page_url(lang, page_path), "light", 1280)
        try:
            assert tab_to_every_code_block_that_scrolls(page) == [], f"/{LANGS[lang]}{page_path}"
        finally:
            context.close()


def open_reader(browser, url: str, scheme: str, width: int, javascript: bool = True, recorder: Recorder | None = None):
    """A new page (conftest.new_page): colour scheme, viewport width, JavaScript on or off (and what it did, if recorded)."""
    context, page = new_page(browser, scheme, width, 800, javascript)
    if recorder:
        recorder.attach(page)
    response = goto(page, url, recorder) if javascript else page.goto(url, wait_until="load")
    return context, page, response


VIEWS = [(360, "light"), (360, "dark"), (768, "light"), (1280, "light"), (1280, "dark")]


@pytest.mark.parametrize(("width", "scheme"), VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_what_a_reader_sees(site, browser, lang, page_path, width, scheme):
    """One load per page x language x width x scheme: word breaks, italics, logo, language menu, keyboard, #section."""
    context, page, _ = open_reader(browser, site.page_url(lang, page_path), scheme, width)
    try:
        where = f"/{LANGS[lang]}{page_path} at {width} px ({scheme})"
        if lang == "ko":
            words = page.evaluate(SPLIT_WORDS, KOREAN_TEXT)
            assert words["words"] > 20 and words["split"] == [], f"{where}: Hangul words broken across lines: {words['split']}"
        if width == 360:
            with contextlib.suppress(PlaywrightTimeout):  # on time-out, SIDEWAYS names the boxes left unmarked
                page.wait_for_function(BOXES_REPORTED, timeout=5_000)
            sideways = page.evaluate(SIDEWAYS)
            assert sideways["problems"] == [], f"{where}: " + "; ".join(sideways["problems"])
            faint = {cue: round(c, 2) for cue in sideways["cues"] if (c := edge_cue(page, page.locator(cue))) < 3}
            assert faint == {}, f"{where}: scroll cues under 3:1 against the box: {faint}"
            abbr = page.locator("article abbr[tabindex='0']").first
            if abbr.count():  # an abbreviation's expansion, for touch and keyboard too
                abbr.focus()
                shown = abbr.evaluate("a => getComputedStyle(a, '::after').content")
                assert abbr.get_attribute("title") in shown, f"{where}: focused abbreviation shows {shown}"
                assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{where}: the expansion overflows"
                abbr.evaluate("a => a.blur()")
        assert page.evaluate(ITALIC_HANGUL) == [], f"{where}: Hangul in italics"
        assert page.evaluate(BAD_BREAKS) == [], f"{where}: lines broken where they should not be"

        menu = page.evaluate(CURRENT_LANGUAGE)
        current = [m for m in menu if m["current"] == "page"]
        assert [m["lang"] for m in current] == [lang], f"{where}: aria-current on {current}"
        assert current[0]["weight"] >= 600 and "✓" in current[0]["mark"], f"{where}: current language not marked: {menu}"
        assert all(m["weight"] < 600 and "✓" not in m["mark"] for m in menu if m["current"] is None)

        if width >= 1280:  # below 76.25em Material shows the logo in the drawer only
            logo = page.evaluate(LOGO)
            assert logo["tag"] == "svg" and logo["contrast"] >= 3 and min(logo["size"]) >= 16, f"{where}: logo {logo}"
            assert bool(HANGUL.search(logo["label"])) == (lang == "ko"), f"{where}: home link label {logo['label']!r}"

        if width in (360, 1280) and scheme == "light":  # the walk checks the focus rings in both palettes
            focused, problems = tab_through(page)
            assert len(focused) >= 8, f"{where}: only {len(focused)} tab stops"
            assert problems == [], f"{where}: " + "\n".join(problems)

        # The language switcher keeps the section the reader is at.
        page.keyboard.press("Escape")
        section = page.evaluate("document.querySelector('article h2[id]')?.id")
        if section:
            page.evaluate(f"location.hash = '#{section}'")
            other = next(code for code in LANGS if code != lang)
            page.hover(".md-header .md-select")
            page.wait_for_function(
                f"() => document.querySelector(\".md-select__link[hreflang='{other}']\").hash === '#{section}'", timeout=2_000)
            href = page.get_attribute(f".md-select__link[hreflang='{other}']", "href")
            assert urljoin(page.url, href) == site.page_url(other, page_path) + f"#{section}"
    finally:
        context.close()


def search_teaser_splits(page, query: str) -> dict:
    SearchBox(page, page.url).search(query)
    return page.evaluate(SPLIT_WORDS, ".md-search-result")


@pytest.mark.parametrize("width", [360, 1280])
def test_search_result_teasers_keep_hangul_words_whole(site, browser, width):
    context, page, _ = open_reader(browser, site.page_url("ko", ""), "light", width)
    try:
        if width < 1220:  # the search field sits behind the header's search button
            page.click("label.md-header__button[for='__search']")
        for query in ("리전", "가용 영역", "엣지 로케이션", "리전 쿠버네티스"):
            words = search_teaser_splits(page, query)
            assert words["words"] > 20, f"{query}: no result text to check"
            assert words["split"] == [], f"search {query!r} at {width} px: words broken in teasers: {words['split']}"
            assert page.evaluate(ITALIC_HANGUL) == [], f"search {query!r}: Hangul in italics"  # "missing: 쿠버네티스"
    finally:
        context.close()


def test_the_open_drawer_is_reachable_by_keyboard_and_the_closed_one_is_not(site, browser):
    context, page, _ = open_reader(browser, site.page_url("ko", "infrastructure/edge-locations/"), "light", 360)
    try:
        drawer_links = "() => document.activeElement.closest('.md-sidebar--primary') !== null"
        for _ in range(40):  # closed: Tab never lands in it
            page.keyboard.press("Tab")
            assert not page.evaluate(drawer_links), "Tab reached a link in the closed navigation drawer"
        page.keyboard.press("Escape")
        page.evaluate("document.activeElement.blur()")
        page.evaluate("document.querySelectorAll('[data-tab-seen]').forEach(e => e.removeAttribute('data-tab-seen'))")
        page.click(".md-header__menu")
        page.wait_for_function("() => document.getElementById('__drawer').checked")
        focused, _ = tab_through(page, 30)
        in_drawer = [f for f in focused if f["inDrawer"]]
        assert len(in_drawer) >= 3, f"Tab reached {len(in_drawer)} links of the open drawer"
        problems = [f"{f['what']}: {p}" for f in in_drawer for p in f["problems"]]
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


DRAWER_LINKS = """() => [...document.querySelectorAll(".md-sidebar--primary a.md-nav__link")].filter(a => {
  const r = a.getBoundingClientRect();
  return a.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && r.left >= 0 && r.right <= innerWidth
    && r.top >= 0 && r.bottom <= innerHeight && document.elementFromPoint(r.left + 4, r.top + r.height / 2)?.closest("a") === a;
}).map(a => a.href)"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_drawer_shows_every_page_at_once_and_the_contents_as_a_level_of_their_own(site, browser, lang):
    """On a phone, the drawer of a page deep in a section shows the whole site, the section's own page included; the
    page's contents open over it as a level with a back arrow."""
    context, page, _ = open_reader(browser, site.page_url(lang, "infrastructure/regions/"), "light", 360)
    try:
        page.click(".md-header__menu")
        page.wait_for_timeout(400)
        shown = page.evaluate(DRAWER_LINKS)  # the current page is the button that opens its contents
        assert sorted(shown) == sorted(site.page_url(lang, p) for p in PAGES if p != "infrastructure/regions/"), shown
        assert page.is_visible(".md-sidebar--primary label[for='__toc']")
        page.click(".md-sidebar--primary label[for='__toc']")
        page.wait_for_timeout(400)
        contents = page.evaluate(DRAWER_LINKS)
        assert contents and all("#" in href for href in contents), f"with the contents open, the drawer shows {contents}"
        page.click(".md-sidebar--primary .md-nav--secondary > label.md-nav__title")
        page.wait_for_timeout(400)
        assert sorted(page.evaluate(DRAWER_LINKS)) == sorted(shown)
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_without_javascript_nothing_scrolls_sideways(site, browser, lang, page_path, width):
    """Without JavaScript the palette cannot switch, so one scheme covers it."""
    context, page, _ = open_reader(browser, site.page_url(lang, page_path), "light", width, javascript=False)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""(width) => [...document.querySelectorAll("body *")]
          .filter(e => e.getBoundingClientRect().right > width + 0.5 && !e.closest(".md-typeset__scrollwrap, figure"))
          .map(e => e.tagName + "." + e.className).slice(0, 5)""", width)
        assert overflow <= width, f"/{LANGS[lang]}{page_path} scrolls sideways without JavaScript: {overflow} px; {wide}"
    finally:
        context.close()


# Puts a section's heading where a link puts it and waits until it has stayed there for 5 frames (late layout shifts).
AT_SECTION = """(id) => new Promise(done => { const heading = document.getElementById(id); let still = 0, frames = 0;
  const check = () => { const top = heading.getBoundingClientRect().top;
    heading.scrollIntoView({ behavior: "instant" });
    still = Math.abs(heading.getBoundingClientRect().top - top) < 1 ? still + 1 : 0;
    still >= 5 || ++frames > 120 ? done() : requestAnimationFrame(check); };
  requestAnimationFrame(check); })"""


def wait_for_switch_to(page, lang: str, section: str) -> None:
    """Waits until the language menu's link has taken the section the reader is at (it is set on hover)."""
    page.wait_for_function("([lang, section]) => document.querySelector(`.md-select__link[hreflang='${lang}']`).hash === section",
                           arg=[lang, section], timeout=5_000)


def test_language_switcher_keeps_the_section_both_ways(site, browser):
    start = site.page_url("ko", "infrastructure/regions/") + "#choosing-a-region"
    context, page, _ = open_reader(browser, start, "light", 1280)
    try:
        for target, url in (("en", site.page_url("en", "infrastructure/regions/")), ("ko", site.page_url("ko", "infrastructure/regions/"))):
            # the reader is at the section (a late layout shift under load can move it off the line the link reads)
            page.evaluate(AT_SECTION, "choosing-a-region")
            page.hover(".md-header .md-select")
            wait_for_switch_to(page, target, "#choosing-a-region")
            page.click(f".md-header .md-select__link[hreflang='{target}']")
            page.wait_for_url(url + "#choosing-a-region")
            assert page.evaluate("document.documentElement.lang") == target
            top = page.evaluate("document.getElementById('choosing-a-region').getBoundingClientRect().top")
            assert 0 <= top < 200, f"{target}: the section is not at the top of the window ({top} px)"
            settle(page, RECORDERS[page])  # the page just opened by the click: Material started, nothing pending
        # A section reached by scrolling, with no #hash in the address: the switch and the error report keep it too.
        goto(page, site.page_url("ko", "infrastructure/regions/"))
        page.evaluate("scrollTo(0, document.getElementById('latency').getBoundingClientRect().top + scrollY - 60)")
        page.hover(".md-header .md-select")
        wait_for_switch_to(page, "en", "#latency")
        page.click(".md-header .md-select__link[hreflang='en']")
        page.wait_for_url(site.page_url("en", "infrastructure/regions/") + "#latency")
        report = page.get_attribute(".page-source a[href*='/issues/new']", "href")
        page.evaluate("scrollTo(0, document.getElementById('cost').getBoundingClientRect().top + scrollY - 60)")
        page.dispatch_event(".page-source a[href*='/issues/new']", "pointerover")  # as hover does, without scrolling
        report = page.get_attribute(".page-source a[href*='/issues/new']", "href")
        assert "%23cost" in report and "language=English" in report, report
    finally:
        context.close()


@pytest.fixture(scope="module")
def root_site(tmp_path_factory):
    """The site built for the server root (site_url "/"), next to the session's sub-path build."""
    site_dir = tmp_path_factory.mktemp("root-site")
    server, url = serve(str(site_dir), "/")
    result = build(ROOT, site_dir, url)
    assert result.returncode == 0, result.stderr
    yield url
    server.shutdown()


NOT_FOUND = {"ko": "페이지를 찾을 수 없습니다", "en": "Page not found"}


@pytest.fixture(params=["root", "sub-path"])
def deployment(request, site, root_site):  # both named here, so that the scheduler keeps these tests on one worker
    return root_site if request.param == "root" else site.url


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_404_language_links_go_to_each_home(browser, deployment, javascript):
    base = urlsplit(deployment).path  # "/" or "/aws-basics/"
    context, page, response = open_reader(browser, deployment + "no/such/page/", "light", 1280, javascript)
    try:
        assert response.status == 404
        assert page.title().startswith(NOT_FOUND["ko"] + " - ")
        assert page.locator("h1#not-found").inner_text() == NOT_FOUND["ko"]
        links = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
          ".md-select__link[hreflang], article a[hreflang]")].map(a => [a.closest("article") ? "article" : a.hreflang, a.href]))""")
        origin = deployment[: -len(base)]
        assert links == {"ko": origin + base, "en": origin + base + "en/", "article": origin + base + "en/"}
        for lang in ("en", "ko"):
            response = page.goto(links[lang])
            assert response.status == 200 and page.evaluate("document.documentElement.lang") == lang
    finally:
        context.close()


def test_404_for_an_english_address_is_english_and_keeps_the_address(browser, deployment):
    typed = deployment + "en/no/such/page/?utm=1#part"
    recorder = Recorder(urlsplit(deployment).netloc)
    context, page, _ = open_reader(browser, typed, "light", 1280, recorder=recorder)
    try:
        page.wait_for_function("() => document.documentElement.lang === 'en'")
        page.wait_for_load_state("networkidle")
        assert page.url == typed, "the address the reader typed was replaced"
        assert page.locator("h1#not-found").inner_text() == NOT_FOUND["en"]
        assert page.title().startswith(NOT_FOUND["en"] + " - ")
        base = urlsplit(deployment).path
        ko_link = urljoin(page.url, page.get_attribute(".md-select__link[hreflang='ko']", "href"))
        assert urlsplit(ko_link).netloc == urlsplit(deployment).netloc and urlsplit(ko_link).path == base, ko_link
        # Expected: the typed address answers 404, and the Korean 404 abandons its requests when it loads the English one.
        recorder.failed = [f for f in recorder.failed if "no/such/page" not in f and "ERR_ABORTED" not in f]
        recorder.console_errors = [e for e in recorder.console_errors if not ("no/such/page" in e and "404" in e)]
        assert recorder.problems() == []
        page.goto(urljoin(page.url, ko_link))
        assert page.evaluate("document.documentElement.lang") == "ko" and page.url == deployment
    finally:
        context.close()


def test_404_without_javascript_offers_the_english_site(browser, deployment):
    context, page, response = open_reader(browser, deployment + "en/no/such/page/", "light", 360, javascript=False)
    try:
        assert response.status == 404
        english = page.locator("article p[lang='en'] a[hreflang='en']")
        assert english.is_visible() and english.get_attribute("href") == urlsplit(deployment).path + "en/"
    finally:
        context.close()
