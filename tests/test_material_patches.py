"""What hooks/material_patches.py and overrides/ change in Material, checked by behaviour in Chromium (one page load per
language): no sitemap lookups, the search index loaded only when search opens, tables wrapped once, Material started
after the first paint without restyling the whole page, the palette still switching; and the overridden search partial
still matches Material's own."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from conftest import LANGS, ROOT

# Records when Material's bundle finishes evaluating (its last statements publish window.document$), and when its search
# component, which creates the search worker, is mounted.
RECORD_MATERIAL_START = """Object.defineProperty(window, "document$", { configurable: true, set(value) {
  Object.defineProperty(window, "document$", { value, writable: true, configurable: true });
  window.materialStartedAt = performance.now();
} });
window.Worker = class extends Worker {
  constructor(...args) { super(...args); window.searchMountedAt = performance.now(); }
};"""
# Records, with the time, each change that restyles the whole page: the root's class (any change does, through Material's
# `table:not([class]) td > :first-child` selectors), the palette's transition guard on <body>, a color-scheme <meta>.
# (An attribute set to the value it had restyles nothing: the DOM reports it all the same, so it is left out.)
RECORD_RESTYLES = """window.restyles = [];
new MutationObserver(records => { for (const r of records) {
  const meta = node => node.nodeName === "META" && node.name === "color-scheme";
  if (r.type === "attributes" && r.oldValue === r.target.getAttribute(r.attributeName)) continue;
  if ((r.target === document.documentElement && r.attributeName === "class")
      || (r.target === document.body && r.attributeName === "data-md-color-switching")
      || meta(r.target) || [...r.addedNodes].some(meta))
    restyles.push(`${performance.now().toFixed(0)} ms: ${r.target.nodeName} ${r.attributeName || "children"}`);
} }).observe(document, { subtree: true, childList: true, attributes: true, attributeOldValue: true,
  attributeFilter: ["class", "data-md-color-switching", "content"] });"""
TABLE_WRAPPERS = """() => [...document.querySelectorAll("article table")].map(table => {
  let wrappers = 0;
  for (let e = table.parentElement; e; e = e.parentElement) wrappers += e.matches(".md-typeset__table");
  return wrappers;
})"""
SITEMAP = re.compile(r"/sitemap\.xml(\.gz)?$")


def settle(page):
    """Waits until the network is idle and Material's timers have run (it starts in a task after the first paint)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => window.document$ && document.querySelector('[data-md-component=search-query]')")
    page.wait_for_timeout(300)


def assert_no_restyle_after_paint(page, color_scheme: str) -> None:
    """Material's start restyles nothing: the first paint already has the root's classes, the palette and its
    color-scheme <meta> (partials/javascripts/palette.html; the palette patches in hooks/material_patches.py)."""
    painted = page.evaluate('performance.getEntriesByName("first-contentful-paint")[0].startTime')
    after = [r for r in page.evaluate("restyles") if float(r.split()[0]) > painted]
    assert not after, f"restyles of the whole page after the first paint ({painted:.0f} ms): {after}"
    assert page.evaluate("document.documentElement.className") == "js js-focus-visible"
    assert page.evaluate("[...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content)") == [color_scheme]


@pytest.mark.parametrize("lang", LANGS)
def test_material_starts_after_paint_without_sitemap_or_index_until_search_opens(site, browser, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_MATERIAL_START)
    context.add_init_script(RECORD_RESTYLES)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(site.page_url(lang, "glossary/"))
        settle(page)

        started, painted = page.evaluate("""() => [window.materialStartedAt,
          performance.getEntriesByName("first-contentful-paint")[0]?.startTime]""")
        assert started and painted and started > painted, f"Material started at {started} ms, first paint at {painted} ms"
        search = page.evaluate("window.searchMountedAt")
        assert search and search > started, f"search mounted at {search} ms, in the bundle's run (until {started} ms)"
        assert_no_restyle_after_paint(page, "light")
        tables = page.evaluate(TABLE_WRAPPERS)
        assert tables and all(count == 1 for count in tables), f"each table in exactly one Material wrapper: {tables}"

        page.hover(".md-header .md-select")  # the language menu: Material's selector would look up sitemaps here
        page.wait_for_timeout(300)
        assert [u for u in requests if SITEMAP.search(u)] == [], "Material looked up a sitemap"
        # The worker's URL serves a small loader (hooks/material_patches.py): the index, lunr and our Korean wrapper
        # load only once search opens.
        assert [u for u in requests if re.search(r"search_index|\.material\.min\.js|search-korean", u)] == [], \
            "the search index or worker loaded before search was opened"

        page.locator("input[data-md-component=search-query]").click()
        page.locator("input[data-md-component=search-query]").fill("EC2")
        page.locator("input[data-md-component=search-query]").press("End")
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__list > li').length > 0", timeout=10_000)
        index = [u for u in requests if u.endswith("search/search_index.json")]
        assert len(index) == 1, f"the index is fetched once, when search opens: {index}"
        assert [u for u in requests if u.endswith(".material.min.js")], "Material's worker loaded when search opened"
        assert [u for u in requests if SITEMAP.search(u)] == []

        # A real switch still sets the transition guard (removed again) and the color-scheme <meta>, without adding one.
        page.keyboard.press("Escape")
        page.evaluate("restyles.length = 0")
        page.locator("[data-md-component=palette] label:visible").click()
        page.wait_for_function("""() => document.body.dataset.mdColorScheme === "slate"
          && !document.body.hasAttribute("data-md-color-switching")""")
        assert page.evaluate("[...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content)") == ["dark"]
        assert [r.split(": ")[1] for r in page.evaluate("restyles")] == \
            ["BODY data-md-color-switching", "META content", "BODY data-md-color-switching"], page.evaluate("restyles")
        page.reload()  # the dark palette, now stored, is the first paint's too
        settle(page)
        assert_no_restyle_after_paint(page, "dark")
    finally:
        context.close()


def without_comments(template: str) -> str:
    return re.sub(r"\{#.*?#\}", "", template, flags=re.DOTALL).strip()


def test_search_partial_is_materials_own_plus_the_dialog_name():
    """overrides/partials/search.html must follow Material's: a Material release that changes it fails here."""
    ours = (ROOT / "overrides/partials/search.html").read_text(encoding="utf-8")
    theirs = (Path(material.__file__).parent / "templates/partials/search.html").read_text(encoding="utf-8")
    dialog = '<div class="md-search" data-md-component="search" role="dialog">'
    named = dialog[:-1] + " aria-label=\"{{ lang.t('search') }}\">"
    assert without_comments(ours) == without_comments(theirs).replace(dialog, named), (
        "Material's partials/search.html changed: copy it to overrides/partials/search.html again and re-add the "
        f"dialog's aria-label ({named})"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_search_dialog_is_named_in_the_readers_language(site, lang):
    name = {"ko": "검색", "en": "Search"}[lang]
    for html in (site.html(lang, ""), (site.dir / LANGS[lang] / "404.html").read_text(encoding="utf-8")):
        assert f'<div class="md-search" data-md-component="search" role="dialog" aria-label="{name}">' in html


def materials(path: str) -> str:
    return (Path(material.__file__).parent / "templates" / path).read_text(encoding="utf-8")


def test_header_partial_is_materials_own_plus_the_menu_button():
    """overrides/partials/header.html is Material's with the menu as a real button before its label (drawer.js): a Material
    release that changes its header fails here. Copy it again and re-add the button."""
    ours = without_comments((ROOT / "overrides/partials/header.html").read_text(encoding="utf-8"))
    button = re.search(r'\s*\{% set icon = config\.theme\.icon\.menu.*?</button>', ours, re.DOTALL)
    assert button and 'class="md-header__button md-header__menu md-icon"' in button[0] and 'aria-expanded="false"' in button[0]
    theirs = without_comments(materials("partials/header.html"))
    theirs = theirs.replace('\n      {% set icon = config.theme.icon.menu or "material/menu" %}', "")
    assert ours.replace(button[0], "") == theirs, "Material's partials/header.html changed: copy it again, re-add the button"


def test_palette_script_is_materials_own_then_the_first_paint_choices():
    """overrides/partials/javascripts/palette.html runs Material's script first, unchanged, then chooses the palette and
    shows the toggle that Material would only after its bundle has started."""
    ours = (ROOT / "overrides/partials/javascripts/palette.html").read_text(encoding="utf-8")
    theirs = without_comments(materials("partials/javascripts/palette.html"))
    assert theirs.endswith("</script>") and theirs[:-len("</script>")] + "else{" in ours, \
        "Material's partials/javascripts/palette.html changed: copy its script again before the else"


def test_korean_wording_replaces_strings_material_still_has():
    """overrides/partials/languages/custom.html only corrects keys that Material's Korean strings have."""
    ours = (ROOT / "overrides/partials/languages/custom.html").read_text(encoding="utf-8")
    keys = re.findall(r'^\s+"([\w.]+)":', ours, re.M)
    assert keys and all(f'"{key}":' in materials("partials/languages/ko.html") for key in keys), keys
