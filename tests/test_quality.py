"""Quality a reader feels: page-weight budgets, no axe violations in either scheme, links that resolve, clean printing."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, PAGES, ROOT
from page_weight import cold_visit
from search_box import SearchBox
from test_browser import expected_diagrams, wait_for_diagrams

KIB = 1024
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """Runs axe-core once every running transition (e.g. a colour-scheme switch) has finished; one line per violation."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
      await Promise.all(document.getAnimations().filter(a => a.timeline instanceof DocumentTimeline)  // scroll-driven ones never finish
        .map(a => a.finished.catch(() => null)));
      return (await axe.run(document, { resultTypes: ["violations"] })).violations.map(v =>
        `${v.id}: ${v.help} -> ${v.nodes.slice(0, 3)
          .map(n => `${n.target.join(" ")} ${n.any.map(c => c.message).join(" ")}`).join(" | ")}`);
    }""")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_path", PAGES)
def test_cold_visit_stays_within_the_page_weight_budget(site, browser, lang, page_path):
    visit = cold_visit(browser, site.page_url(lang, page_path))
    if expected_diagrams(site, lang, page_path):
        assert visit.total <= 100 * KIB, f"{visit.total / KIB:.1f} KiB with diagrams (budget 100)"
    else:
        assert visit.total <= 80 * KIB, f"{visit.total / KIB:.1f} KiB without diagrams (budget 80)"
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
    """Every internal link in the built site as (source file, target file, fragment)."""
    for html_file in site_dir.rglob("*.html"):
        doc = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        base = "file://" + str(html_file)
        for a in doc.find_all("a", href=True):
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


@pytest.mark.parametrize("lang", LANGS)
def test_page_prints_without_navigation_but_with_diagrams_and_tables(site, open_page, lang):
    page, _ = open_page(site.page_url(lang, "infrastructure/edge-locations/"))
    wait_for_diagrams(page, expected_diagrams(site, lang, "infrastructure/edge-locations/"))
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ["header.md-header", ".md-sidebar--primary", ".md-footer", ".md-search"]
      .map(s => document.querySelector(s)).filter(Boolean).filter(e => e.checkVisibility())
      .map(e => e.className)""")
    assert hidden == []
    assert page.locator("article figure.diagram svg.diagram__svg--light").first.is_visible()
    assert page.locator("article table").first.is_visible()
    pdf = page.pdf()
    assert pdf[:4] == b"%PDF" and len(pdf) > 20_000
