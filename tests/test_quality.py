"""Quality a reader feels: page-weight budgets, no axe violations in either scheme, links that resolve, clean printing."""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import LANGS, PAGES, ROOT, parsed
from page_weight import cold_visit
from search_box import SearchBox
from test_browser import expected_diagrams, wait_for_diagrams
from test_reader import SPLIT_WORDS

KIB = 1024
# Budgets for a cold visit (gzip). The glossary page may weigh more than other text pages because its terms are content:
# every term a learner meets in the first week adds a row, and a lighter glossary would mean fewer terms (issue #18).
TEXT_BUDGET, GLOSSARY_BUDGET, DIAGRAM_BUDGET = 80, 90, 100
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """Runs axe-core once every running transition (e.g. a colour-scheme switch) has ended; one line per violation."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # as DevTools runs it: the CSP (hooks/csp.py) refuses a <script> tag
    return page.evaluate("""async () => {
      // Transitions end; an animation that never "finishes" (a scroll-driven one, say) is not waited for.
      const ending = document.getAnimations().filter(a => a.timeline instanceof DocumentTimeline
        && a.effect?.getComputedTiming().endTime !== Infinity);
      await Promise.all(ending.map(a => a.finished.catch(() => null)));
      return (await axe.run(document, { resultTypes: ["violations"] })).violations.map(v =>
        `${v.id}: ${v.help} -> ${v.nodes.slice(0, 3)
          .map(n => `${n.target.join(" ")} ${n.any.map(c => c.message).join(" ")}`).join(" | ")}`);
    }""")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_cold_visit_stays_within_the_page_weight_budget(site, browser, lang, page_path):
    visit = cold_visit(browser, site.page_url(lang, page_path))
    if expected_diagrams(site, lang, page_path):
        budget, kind = DIAGRAM_BUDGET, "with diagrams"
    elif page_path == "glossary/":
        budget, kind = GLOSSARY_BUDGET, "the glossary, whose terms are content"
    else:
        budget, kind = TEXT_BUDGET, "without diagrams"
    assert visit.total <= budget * KIB, f"{visit.total / KIB:.1f} KiB, {kind} (budget {budget})"
    assert not visit.loads("mermaid"), "diagrams are drawn at build time: no page loads Mermaid"
    assert not visit.loads("search_index.json"), "the search index loads only when search is opened"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_no_accessibility_violations(site, open_page, lang, page_path, scheme):
    page, _ = open_page(site.page_url(lang, page_path), scheme=scheme)
    wait_for_diagrams(page, expected_diagrams(site, lang, page_path))
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_dialog_with_results_has_no_violations(site, open_page, scheme):
    page, _ = open_page(site.page_url("ko", ""), scheme=scheme)
    assert page.get_attribute(".md-search[role=dialog]", "aria-label") == "검색"
    SearchBox(page, site.page_url("ko", "")).search("리전")
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def _targets(site_dir: Path):
    """Every internal link in the built site (parsed once a test process) as (source file, target file, fragment)."""
    for html_file in site_dir.rglob("*.html"):
        base = "file://" + str(html_file)
        for a in parsed(html_file).find_all("a", href=True):
            href = a["href"]
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue  # external, mailto:, javascript: ...
            url = urlsplit(urljoin(base, href))
            target = Path(unquote(url.path))
            if target.is_dir() or url.path.endswith("/"):
                target = target / "index.html"
            yield html_file, target, url.fragment


def test_every_internal_link_and_anchor_resolves_across_languages(site):
    ids: dict[Path, set[str]] = {}
    broken = []
    for source, target, fragment in _targets(site.dir):
        if source.name == "404.html":
            continue  # its links are absolute from the site root
        if not target.exists():
            broken.append(f"{source.relative_to(site.dir)} -> {target} (missing)")
            continue
        if fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8")))
            if fragment not in ids[target]:
                broken.append(f"{source.relative_to(site.dir)} -> {target.relative_to(site.dir)}#{fragment}")
    assert broken == []


def test_external_links_are_listed_by_the_link_command(site):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "external_links.py"), str(site.dir)],
                            capture_output=True, text=True, check=True)
    links = result.stdout.split()
    assert any(link.startswith("https://docs.aws.amazon.com/ko_kr/") for link in links)
    assert any(link.startswith("https://docs.aws.amazon.com/AWSEC2/") for link in links)


# A4 at 96 px per inch less Material's 25 mm @page margins: the printable area in CSS px.
PRINTABLE_WIDTH, PRINTABLE_HEIGHT = (210 - 50) / 25.4 * 96, (297 - 50) / 25.4 * 96
# Elements of the article that reach past the printable width, or scroll boxes whose content is cut off.
PRINT_OVERFLOW = """(width) => [...document.querySelectorAll("article, article *")].filter(e => {
  const r = e.getBoundingClientRect(), style = getComputedStyle(e);
  if (r.width === 0 || style.display === "none") return false;
  const clips = style.overflowX !== "visible" && e.scrollWidth > e.clientWidth + 1;
  return clips || r.left < -0.5 || r.right > width + 0.5;
}).map(e => `${e.tagName.toLowerCase()}.${e.className} (right ${Math.round(e.getBoundingClientRect().right)} px, `
  + `scroll ${e.scrollWidth}/${e.clientWidth})`)"""
PRINT_LOOK = """() => {
  const luminance = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  return {
    chrome: ["header.md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search", ".md-top",
             ".page-source"]
      .map(s => document.querySelector(s)).filter(e => e && e.checkVisibility()).map(e => e.className),
    figures: [...document.querySelectorAll("article figure")].map(f => f.checkVisibility()),
    paper: luminance(getComputedStyle(document.body).backgroundColor),
    canvas: getComputedStyle(document.documentElement).colorScheme,  // "normal" follows <meta name=color-scheme>
    ink: luminance(getComputedStyle(document.querySelector("article p")).color),
    height: document.documentElement.scrollHeight,
    // Sources: every link to another site numbered, and the numbers' addresses printed (hooks/print_packet.py).
    sources: [...document.querySelectorAll("article a[href^='http']:not(.print-notes a, .page-source a)")]
      .filter(a => new URL(a.href).host !== location.host).map(a => [a.href, a.closest("[data-note]")?.dataset.note || null]),
    notes: [...document.querySelectorAll("article .print-notes li a")].filter(a => a.checkVisibility()).map(a => a.href),
  };
}"""


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF."""
    from io import BytesIO

    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def numbered(pages: list[str]) -> list[int]:
    """The pages whose bottom margin does not say "n / total"."""
    return [n for n, text in enumerate(pages, 1) if not re.search(rf"(^|\n){n} / {len(pages)}($|\n)", text)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_page_prints_on_a4_whole_and_in_light_colours(site, open_page, lang, page_path):
    """Printed from the dark scheme: light colours, no site chrome, every table column and figure inside the printable
    width (tables wrap instead of scrolling), Hangul words whole, and no more pages than the content needs."""
    page, _ = open_page(site.page_url(lang, page_path), scheme="dark", width=int(PRINTABLE_WIDTH))
    page.emulate_media(media="print")
    where = f"/{LANGS[lang]}{page_path} printed"
    look = page.evaluate(PRINT_LOOK)
    assert look["chrome"] == [], f"{where}: navigation printed: {look['chrome']}"
    assert all(look["figures"]), f"{where}: figures hidden in print: {look['figures']}"
    assert look["paper"] > 0.9 and look["ink"] < 0.1 and look["canvas"] == "light", f"{where}: not dark ink on white paper: {look}"
    assert page.evaluate(PRINT_OVERFLOW, PRINTABLE_WIDTH) == [], f"{where}: cut off at the printable width"
    if lang == "ko":
        words = page.evaluate(SPLIT_WORDS, "article")
        assert words["split"] == [], f"{where}: Hangul words broken across lines: {words['split']}"
    addresses = dict(look["sources"])
    unnumbered = [href for href, note in addresses.items() if not note]
    assert unnumbered == [], f"{where}: sources printed without their address: {unnumbered}"
    assert [look["notes"][int(note) - 1] for note in addresses.values()] == list(addresses), f"{where}: notes out of step"
    pdf = page.pdf(format="A4")
    text = pdf_pages(pdf)
    pages = len(text)
    # Measured: 1.1-1.6 pages per page of content; more means half-empty pages (e.g. a table pushed away from its heading).
    needed = math.ceil(look["height"] / PRINTABLE_HEIGHT)
    assert needed <= pages <= needed + 2, f"{where}: {pages} A4 pages for {look['height']} px of content ({needed} pages)"
    assert numbered(text) == [], f"{where}: pages without their number: {numbered(text)}"
    assert "수정 제안" not in text[-1] and "Suggest an edit" not in text[-1], f"{where}: web-only links printed"


# The packet's printed length: every chapter, diagram and answer, the glossary and the numbered sources (measured: ko 52,
# en 58 A4 pages with the interfaces lab and the second content review; 44 and 48 before them, 39 and 42 before the
# glossary and the sources).
PACKET_PAGES = {"ko": (48, 55), "en": (54, 61)}


@pytest.mark.parametrize("lang", LANGS)
def test_packet_prints_from_its_first_page_numbered_with_its_sources_and_the_glossary_last(site, open_page, lang):
    """The onboarding packet on paper: its title on the first sheet (no blank one), a page number on every page, numbered
    chapters in the contents, each chapter's sources as numbered notes, and the glossary as the last chapter, which the
    packet's glossary links point into."""
    page, _ = open_page(site.page_url(lang, "print/"))
    page.emulate_media(media="print")
    text = pdf_pages(page.pdf(format="A4"))
    title = page.evaluate("document.querySelector('article h1').textContent.replace('¶', '').trim()")
    assert title.replace(" ", "") in re.sub(r"\s", "", text[0]), f"page 1 does not start the packet: {text[0][:80]!r}"
    assert numbered(text) == [], f"pages without their number: {numbered(text)}"
    low, high = PACKET_PAGES[lang]
    assert low <= len(text) <= high, f"{len(text)} A4 pages (expected {low}-{high})"
    glossary = {"ko": "용어집", "en": "Glossary"}[lang]
    contents = page.eval_on_selector_all(".packet__toc > ol > li > a", "links => links.map(a => a.textContent)")
    assert contents == [f"{n}. {t.split('. ', 1)[1]}" for n, t in enumerate(contents, 1)] and contents[-1].endswith(glossary)
    links = page.evaluate("""() => ({ inside: document.querySelectorAll("article a[href^='#glossary--']").length,
      outside: [...document.querySelectorAll("article a[href*='glossary/']")].map(a => a.getAttribute("href")),
      last: [...document.querySelectorAll(".packet__chapter")].at(-1).id,
      notes: [...document.querySelectorAll(".packet__chapter")].map(c => c.querySelectorAll(".print-notes li").length) })""")
    assert links["last"] == "glossary" and links["inside"] > 20 and links["outside"] == [], links
    assert all(links["notes"]), f"chapters without their sources: {links['notes']}"
    assert re.search(r"\[1\]", "".join(text[3:6])), "source numbers are not printed after the links"
