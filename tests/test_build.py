"""The built HTML: languages, hreflang, metadata, sitemaps, 404 pages, offline assets, and diagrams as inline SVG."""

import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, PAGES, ROOT, parsed

PAGE_LANGS = [(lang, page) for lang in LANGS for page in PAGES]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.mark.parametrize("lang,page", PAGE_LANGS)
def test_page_language_title_description_and_review_date(site, lang, page):
    doc = site.soup(lang, page)
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
    switcher = site.soup(lang, page).select(".md-select__link[hreflang]")
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
        for tag in parsed(path).find_all(["script", "img", "iframe", "source", "link"]):
            url = tag.get("src") or (tag.get("href") if tag.name == "link" and tag.get("rel") != ["alternate"]
                                     and "canonical" not in tag.get("rel", []) else None)
            if url and re.match(r"(https?:)?//", url):
                offenders.append(f"{path.relative_to(site.dir)}: <{tag.name}> {url}")
    for path in site.dir.rglob("*.css"):
        offenders += [f"{path.name}: {u}" for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", path.read_text())]
    assert offenders == []


@pytest.mark.parametrize("lang,page", PAGE_LANGS)
def test_diagrams_are_inline_svg_with_title_and_description_and_no_page_loads_mermaid(site, lang, page):
    html, doc = site.html(lang, page), site.soup(lang, page)
    assert not doc.select("pre.mermaid, div.mermaid"), "a diagram was left as Mermaid source"
    assert not [s for s in doc.find_all("script") if "mermaid" in (s.get("src", "") + s.get_text()).lower()]
    for figure in doc.select("figure.diagram"):
        svgs = figure.select("svg.diagram__svg")
        assert [svg["class"][-1] for svg in svgs] == ["diagram__svg--light", "diagram__svg--dark"]
        caption = " ".join(figure.figcaption.get_text().split())
        for svg in svgs:
            assert svg["role"] == "img"
            assert svg.find("title", id=svg["aria-labelledby"]).get_text(strip=True) == caption
            assert len(svg.find("desc", id=svg["aria-describedby"]).get_text(strip=True)) > len(caption)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids"
    if page == "":
        assert not doc.select("figure.diagram"), "the home page stays light: no diagrams"


def test_mermaid_is_not_served(site):
    assert not list(site.dir.rglob("mermaid*.mjs")) and not list(site.dir.rglob("mermaid*.js"))


AZ_LABEL = re.compile(r"^(?:가용 영역|Availability\s*Zone)\s*([ABC])$")


def _az_positions(svg):
    """(letter, x, y) of each Availability Zone drawn as a cluster (its box) or a node (its centre)."""
    found = []
    for cluster in svg.select("g.cluster"):
        match = AZ_LABEL.match(cluster.select_one(".cluster-label").get_text(" ", strip=True))
        if match:
            found.append((match.group(1), float(cluster.rect["x"]), float(cluster.rect["y"])))
    for node in svg.select("g.node"):
        match = AZ_LABEL.match(node.get_text(" ", strip=True))
        if match:
            x, y = map(float, re.search(r"translate\(([-\d.]+),\s*([-\d.]+)\)", node["transform"]).groups())
            found.append((match.group(1), x, y))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_availability_zones_are_drawn_in_order_a_b_c(site, lang):
    checked = 0
    for page in PAGES:
        for svg in site.soup(lang, page).select("svg.diagram__svg--light"):
            zones = _az_positions(svg)
            for a, ax, ay in zones:
                for b, bx, by in zones:
                    if a < b and abs(ay - by) < 5:
                        assert ax < bx, f"{page}: zone {a} is drawn right of zone {b}"
                    if a < b and abs(ax - bx) < 5:
                        assert ay < by, f"{page}: zone {a} is drawn below zone {b}"
            checked += len(zones)
    assert checked >= 12


def test_at_least_six_diagrams_in_each_language_with_captions(site):
    for lang in LANGS:
        figures = [f for p in PAGES for f in site.soup(lang, p).select("figure.diagram")]
        assert len(figures) >= 6
        assert all(f.figcaption and len(f.figcaption.get_text(strip=True)) > 10 for f in figures)


def test_stylesheet_and_scripts_are_served_without_comments(site):
    from minify import minify_css, minify_js

    source = (ROOT / "overrides/assets/stylesheets/site.css").read_text(encoding="utf-8")
    for sub in LANGS.values():
        served = (site.dir / sub / "assets/stylesheets/site.css").read_text(encoding="utf-8")
        assert served == minify_css(source) and "/*" not in served and len(served) < len(source) * 0.7
    assert minify_css("a :is(b, c) > d {\n  color: red;\n}\n/* note */ e::after { content: \"x y\"; }") == \
        'a :is(b, c) > d{color: red;}e::after{content: "x y";}'
    scripts = sorted((ROOT / "overrides/assets/javascripts").glob("*.js"))
    assert len(scripts) >= 2
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        for sub in LANGS.values():
            served = (site.dir / sub / "assets/javascripts" / script.name).read_text(encoding="utf-8")
            assert served == minify_js(source) and len(served) < len(source) * 0.9, script.name
            assert not any(line.startswith(("//", " ")) for line in served.splitlines()), script.name
    assert minify_js("// note\n(() => {\n  const a = `x // y`; // z\n\n})();\n") == \
        "(() => {\nconst a = `x // y`; // z\n})();\n"
