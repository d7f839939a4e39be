"""The built HTML: languages, hreflang, metadata, sitemaps, 404 pages, offline assets, and Mermaid only where needed."""

import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, PAGES

PAGE_LANGS = [(lang, page) for lang in LANGS for page in PAGES]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def soup(site, lang, page):
    return BeautifulSoup(site.html(lang, page), "html.parser")


@pytest.mark.parametrize("lang,page", PAGE_LANGS)
def test_page_language_title_description_and_review_date(site, lang, page):
    doc = soup(site, lang, page)
    assert doc.html["lang"] == lang
    assert doc.title.string.strip()
    description = doc.find("meta", attrs={"name": "description"})["content"]
    assert 20 <= len(description) <= 200
    assert doc.find("meta", property="og:description")["content"] == description
    assert doc.find("meta", property="og:title")["content"]
    assert doc.find("link", rel="canonical")["href"] == site.page_url(lang, page)
    assert doc.find("meta", property="og:url")["content"] == site.page_url(lang, page)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.select_one(".page-reviewed time")["datetime"])


@pytest.mark.parametrize("lang,page", PAGE_LANGS)
def test_hreflang_alternates_are_absolute_and_reciprocal(site, lang, page):
    """In each language's sitemap.xml (overrides/sitemap.xml), not the <head>: Material fetches a sitemap next to those."""
    tree = ET.parse(site.dir / LANGS[lang] / "sitemap.xml")
    (url,) = [u for u in tree.iter(f"{SITEMAP}url") if u.findtext(f"{SITEMAP}loc") == site.page_url(lang, page)]
    links = {link.get("hreflang"): link.get("href") for link in url.iter("{http://www.w3.org/1999/xhtml}link")}
    assert links == {
        "ko": site.page_url("ko", page),
        "en": site.page_url("en", page),
        "x-default": site.page_url("ko", page),
    }


@pytest.mark.parametrize("lang,page", PAGE_LANGS)
def test_language_switcher_links_the_same_page(site, lang, page):
    switcher = soup(site, lang, page).select(".md-select__link[hreflang]")
    targets = {a["hreflang"]: a["href"] for a in switcher}
    depth = page.count("/") + (1 if lang == "en" else 0)
    up = "../" * depth
    assert targets == {"ko": (up + page) or "./", "en": up + "en/" + page}


@pytest.mark.parametrize("lang", LANGS)
def test_sitemap_per_language_lists_only_that_language(site, lang):
    sub = LANGS[lang]
    tree = ET.parse(site.dir / sub / "sitemap.xml")
    locs = sorted(e.text for e in tree.iter(f"{SITEMAP}loc"))
    assert locs == sorted(site.page_url(lang, p) for p in PAGES)


def test_robots_txt_at_the_root_points_crawlers_at_both_sitemaps(site):
    """The sitemaps carry the hreflang alternates, so crawlers must find them (overrides/robots.txt)."""
    lines = (site.dir / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {site.url}sitemap.xml", f"Sitemap: {site.url}en/sitemap.xml"]
    assert "Disallow:" in lines and not (site.dir / "en/robots.txt").exists()


@pytest.mark.parametrize("lang", LANGS)
def test_404_page_speaks_the_language(site, lang):
    doc = BeautifulSoup((site.dir / LANGS[lang] / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert doc.html["lang"] == lang
    assert doc.find("h1").get_text() == {"ko": "페이지를 찾을 수 없습니다", "en": "Page not found"}[lang]


def test_no_markup_loads_anything_from_another_host(site):
    offenders = []
    for path in site.dir.rglob("*.html"):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in doc.find_all(["script", "img", "iframe", "source", "link"]):
            url = tag.get("src") or (tag.get("href") if tag.name == "link" and tag.get("rel") != ["alternate"]
                                     and "canonical" not in tag.get("rel", []) else None)
            if url and re.match(r"(https?:)?//", url):
                offenders.append(f"{path.relative_to(site.dir)}: <{tag.name}> {url}")
    for path in site.dir.rglob("*.css"):
        offenders += [f"{path.name}: {u}" for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", path.read_text())]
    assert offenders == []


@pytest.mark.parametrize("lang,page", PAGE_LANGS)
def test_mermaid_is_loaded_only_by_pages_with_diagrams(site, lang, page):
    html = site.html(lang, page)
    diagrams = len(BeautifulSoup(html, "html.parser").select("figure.diagram pre.mermaid"))
    loads_mermaid = "mermaid-loader.mjs" in html
    assert loads_mermaid == bool(diagrams)
    if page == "":
        assert diagrams == 0, "the home page stays light: no diagrams"


def test_mermaid_is_served_from_the_site(site):
    loader = (site.dir / "assets/javascripts/mermaid-loader.mjs").read_text()
    assert 'import("./mermaid/mermaid.esm.min.mjs")' in loader
    assert (site.dir / "assets/javascripts/mermaid/mermaid.esm.min.mjs").stat().st_size > 10_000
    assert "window.mermaid = {" in loader


def test_at_least_six_diagrams_in_each_language_with_captions(site):
    for lang in LANGS:
        figures = [f for p in PAGES for f in soup(site, lang, p).select("figure.diagram")]
        assert len(figures) >= 6
        assert all(f.figcaption and len(f.figcaption.get_text(strip=True)) > 10 for f in figures)
