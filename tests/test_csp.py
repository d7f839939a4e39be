"""The Content Security Policy (hooks/csp.py, issue #22 L4): one strict script policy first in every built page's <head>,
and in Chromium no violation while a reader uses every feature; the English 404 puts back only an address it could have
been sent (I3)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import CONTRACT, LANGS, PAGES, parsed
from search_box import SearchBox
from test_browser import expected_diagrams, wait_for_diagrams

# Everything but the script hashes. Styles stay inline: the diagrams' SVG carries <style> elements and style= attributes.
POLICY = {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"], "font-src": ["'self'"], "connect-src": ["'self'"], "worker-src": ["'self'"],
    "object-src": ["'none'"], "base-uri": ["'none'"],
}
# The only inline scripts left, all Material's and all needed before the first paint: its storage scope (base.html), the
# palette restore (partials/javascripts/palette.html, overridden) and the tab named by the #hash (content.html).
MATERIALS_INLINE = ("__md_scope=new URL(", 'var palette=__md_get("__palette");', "var target=document.getElementById(location.hash")
RUNS = {"", "text/javascript", "application/javascript", "module"}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def csp_problems(soup: BeautifulSoup) -> list[str]:
    """What is wrong with one parsed page's policy: its place, its directives, and the inline scripts it allows."""
    metas = soup.select("meta[http-equiv]")
    csp = [m for m in metas if m["http-equiv"].lower() == "content-security-policy"]
    if len(csp) != 1:
        return [f"{len(csp)} CSP <meta> elements, expected 1"]
    first = soup.head.find_all(True, recursive=False)[:2] if soup.head else []
    problems = [] if [str(e.get("charset", e.get("http-equiv"))).lower() for e in first] == ["utf-8", "content-security-policy"] \
        else ["the CSP <meta> is not the first element in <head> after <meta charset>"]
    directives = {d.split()[0]: d.split()[1:] for d in csp[0]["content"].split(";") if d.strip()}
    hashes = [s for s in directives.get("script-src", []) if s.startswith("'sha256-")]
    if {**directives, "script-src": [s for s in directives.get("script-src", []) if s not in hashes]} != POLICY:
        problems.append(f"policy {directives} differs from {POLICY} (+ script hashes)")
    inline = [s.string or "" for s in soup.find_all("script") if not s.get("src") and s.get("type", "").lower() in RUNS]
    if missing := [s[:60] for s in inline if sha256(s) not in hashes]:
        problems.append(f"inline scripts without their hash: {missing}")
    if stale := set(hashes) - {sha256(s) for s in inline}:
        problems.append(f"hashes of no script on the page: {stale}")
    if ours := [s[:60] for s in inline if not s.startswith(MATERIALS_INLINE)]:
        problems.append(f"inline scripts that are not Material's: {ours} (put a script in a file under "
                        "overrides/assets/javascripts/, CONTRIBUTING.md)")
    if handlers := sorted({a for e in soup.find_all(True) for a in e.attrs if a.lower().startswith("on")}):
        problems.append(f"inline event handlers, which script-src blocks: {handlers}")
    return problems


def test_every_built_page_has_one_strict_script_policy_first_in_its_head(site):
    pages = sorted(site.dir.rglob("*.html"))
    assert len(pages) >= 2 * (len(PAGES) + len(CONTRACT["packets"]) + 1), [str(p) for p in pages]  # + the 404s
    problems = [f"{p.relative_to(site.dir)}: {problem}" for p in pages for problem in csp_problems(parsed(p))]
    assert problems == []


# Reported from the page as they happen (a listener added before any of the page's scripts), and Chromium's console.
WATCH = """addEventListener("securitypolicyviolation", e => cspViolation(
  `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`), true);"""


class Watched:
    """A browser context whose pages report every CSP violation and CSP console message into `violations`."""

    def __init__(self, browser, width: int = 1280):
        self.violations: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 800})
        self.context.expose_binding("cspViolation", lambda source, text: self.violations.append(f"{source['frame'].url}: {text}"))
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: "Content Security Policy" in m.text and self.violations.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.violations.append(f"{self.page.url}: page error {e}"))

    def open(self, url: str, status: int = 200):
        """Loads `url` and waits until Material has started (after the first paint, start-material.js)."""
        response = self.page.goto(url)
        assert response.status == status, f"{url}: HTTP {response.status}"
        self.page.wait_for_function("() => window.document$ !== undefined")
        return self.page

    def prove_enforced(self) -> None:
        """A script from another origin (a closed port of this host) is refused and reported, as an event and on the
        console: the policy is in force and both listeners hear it. Those two reports are then set aside."""
        before = len(self.violations)
        refused = self.page.evaluate("""() => new Promise(resolve => {
          addEventListener("securitypolicyviolation", e => resolve(e.blockedURI), { once: true });
          document.head.append(Object.assign(document.createElement("script"),
            { src: "http://127.0.0.1:9/canary.js", onerror: () => setTimeout(() => resolve("requested")) }));
        })""")
        assert refused == "http://127.0.0.1:9/canary.js", f"the policy did not refuse a foreign script ({refused})"
        for _ in range(250):  # the console message comes separately
            if len([v for v in self.violations[before:] if "canary.js" in v]) == 2:
                break
            self.page.wait_for_timeout(20)
        canary = [v for v in self.violations[before:] if "canary.js" in v]
        assert len(canary) == 2, f"the refused script was reported {len(canary)} times, expected twice: {canary}"
        self.violations[before:] = [v for v in self.violations[before:] if v not in canary]


def read_through(page) -> None:
    """Scrolls to the end (diagrams, lazy code blocks, the packet's parts), then focuses the first abbreviation."""
    page.evaluate("""async () => {
      for (let y = 0; y < document.body.scrollHeight; y += innerHeight) { scrollTo(0, y); await new Promise(requestAnimationFrame); }
      scrollTo(0, 0);
    }""")
    abbr = page.locator("article abbr[tabindex='0']").first
    if abbr.count():
        abbr.focus()
        assert abbr.get_attribute("title") in abbr.evaluate("a => getComputedStyle(a, '::after').content")


def toggle_palette(page, scheme: str) -> None:
    page.locator("[data-md-component=palette] label:visible").click()
    page.wait_for_function("s => document.body.getAttribute('data-md-color-scheme') === s", arg=scheme)


@pytest.mark.parametrize("lang", LANGS)
def test_no_policy_violation_while_a_reader_uses_every_feature(site, browser, lang):
    """Every page and the packet (read to the end: diagrams, tooltips; light and dark), the language switch, search with
    a correction and its exact-search button, the drawer at 360 px and the 404 page: zero violations."""
    watched = Watched(browser)
    page = watched.open(site.page_url(lang, ""))
    watched.prove_enforced()
    box = SearchBox(page, site.page_url(lang, ""))
    assert box.search({"ko": "가용 영역", "en": "availability zone"}[lang])
    assert box.search({"ko": "가용영억", "en": "availsbility"}[lang])
    page.locator(".md-search-result__notice button").click()  # search exactly what was typed
    page.wait_for_function("() => document.querySelector('.md-search-result__notice').textContent === ''")
    page.keyboard.press("Escape")
    for page_path in [*PAGES, *CONTRACT["packets"]]:
        page = watched.open(site.page_url(lang, page_path))
        assert page.locator("head meta[property='og:title']").count() == 1  # the link-preview meta is still in <head>
        read_through(page)
        expected = expected_diagrams(site, lang, page_path)
        assert wait_for_diagrams(page, expected) == expected, page_path
        toggle_palette(page, "slate")
        toggle_palette(page, "default")
    other = "en" if lang == "ko" else "ko"
    page = watched.open(site.page_url(lang, "infrastructure/regions/"))
    page.hover(".md-header .md-select")
    page.click(f".md-header .md-select__link[hreflang='{other}']")
    page.wait_for_function("l => document.documentElement.lang === l", arg=other)
    page.wait_for_load_state("networkidle")
    response = page.goto(site.url + LANGS[lang] + "no/such/page/?q=1#part", wait_until="networkidle")
    assert response.status == 404
    page.wait_for_function("l => document.documentElement.lang === l && window.document$ !== undefined", arg=lang)
    assert page.url == site.url + LANGS[lang] + "no/such/page/?q=1#part"
    watched.context.close()

    narrow = Watched(browser, width=360)
    page = narrow.open(site.page_url(lang, "infrastructure/availability-zones/"))
    page.click(".md-header__menu")
    page.wait_for_function("() => document.getElementById('__drawer').checked")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('__drawer').checked")
    narrow.prove_enforced()
    narrow.context.close()
    violations = watched.violations + narrow.violations
    assert not violations, f"{len(violations)} CSP violations or console messages:\n" + "\n".join(violations)


def test_english_404_puts_back_only_a_normalized_english_address(site, browser):
    """#from= is what the Korean 404 sends: a path of the English site as location gives it. Anything else (a path that
    climbs out of en/, another host, another scheme, a malformed escape) leaves the address bar alone, with no error."""
    base = urlsplit(site.url).path  # "/aws-basics/"
    origin = site.url[: -len(base)]
    english_404 = site.url + "en/404.html"
    watched = Watched(browser)
    page = watched.page
    good = f"{base}en/no/such/page/?a=1#part"
    for sent in [f"{base}en/../..//evil.example/x", f"{base}en/./x", "//evil.example/", "https://evil.example/",
                 "javascript:alert(1)", f"{base}en\\..\\x", f"{base}x", f"{base}en", good]:
        page.goto("about:blank")
        page.goto(f"{english_404}#from={quote(sent, safe='')}")
        expected = origin + good if sent == good else f"{english_404}#from={quote(sent, safe='')}"
        assert page.url == expected, sent
    page.goto("about:blank")
    page.goto(english_404 + "#from=%E0%A4%A")  # a malformed escape
    assert page.url == english_404 + "#from=%E0%A4%A"
    watched.context.close()
    assert not watched.violations, "\n".join(watched.violations)
