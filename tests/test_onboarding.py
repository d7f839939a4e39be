"""The onboarding kit: Markdown for assistants (llms.txt, llms-full.txt, each page's Markdown) and links into the repository."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import LANGS, PAGES, ROOT, goto, new_page

MKDOCS = yaml.safe_load(re.sub(r"!(ENV|!python/name:)\S*", "", (ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
REPOSITORY = "https://github.com/aws-basics/aws-architecture-basics"  # mkdocs.yml's default; the tests set no REPOSITORY_URL


def page_markdown(site, lang, page):
    return (site.dir / LANGS[lang] / page / "index.md").read_text(encoding="utf-8")


def without_code(markdown: str) -> str:
    return re.sub(r"`[^`\n]*`", "", re.sub(r"^```.*?^```", "", markdown, flags=re.M | re.S))


@pytest.mark.parametrize("lang", LANGS)
def test_llms_txt_links_every_pages_markdown_with_absolute_urls(site, lang):
    text = (site.dir / LANGS[lang] / "llms.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# ") and lines[2].startswith("> "), "llms.txt: H1 title, then a blockquote summary"
    links = re.findall(r"^- \[[^\]]+\]\((\S+)\): \S", text, re.M)
    assert links[:len(PAGES)] == sorted(links[:len(PAGES)], key=lambda u: links.index(u))  # nav order kept
    assert {site.page_url(lang, p) + "index.md" for p in PAGES} <= set(links)
    assert site.page_url(lang, "") + "llms-full.txt" in links
    assert all(link.startswith(site.url) for link in links), "absolute URLs from SITE_URL"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_each_pages_markdown_holds_its_text_without_site_syntax(site, lang, page):
    markdown, doc = page_markdown(site, lang, page), site.soup(lang, page)
    article = doc.select_one("article")
    for heading in article.select("h1, h2, h3"):
        title = heading.get_text("").rstrip("¶").strip()
        assert re.sub(r"\s+", " ", title) in re.sub(r"\s+", " ", markdown), f"heading {title!r} missing"
    table_rows = len(article.select("table tr"))
    assert len(re.findall(r"^\|.*\|$", markdown, re.M)) >= table_rows
    prose = without_code(markdown)
    assert not re.search(r"^#{1,6} .*\n[^\n]", prose, re.M), "a heading runs into the next line"
    for bad in ("<svg", "<div", "<figure", "<dfn", "{ #", "{#", "???", "!!!", "](../", ".md#", ".md)"):
        assert bad not in prose, f"{bad!r} left in {lang}/{page}index.md"


@pytest.mark.parametrize("lang", LANGS)
def test_diagrams_appear_as_their_title_and_description(site, lang):
    from site_checks import source_file

    for page in PAGES:
        text = (ROOT / source_file(lang, page)).read_text(encoding="utf-8")
        markdown = page_markdown(site, lang, page)
        for title, description in re.findall(r"accTitle:\s*(.+?)\s*\n\s*accDescr:\s*(.+?)\s*$", text, re.M):
            assert title in markdown and description in markdown, f"{source_file(lang, page)}: diagram {title!r} not in its Markdown"


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_markdown_is_a_table_of_every_term(site, lang):
    from glossary import load_terms

    markdown = page_markdown(site, lang, "glossary/")
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("|---")]
    assert len(rows) == len(load_terms()) + 1
    for term in load_terms():
        assert f"| {term[lang]} |" in markdown


@pytest.mark.parametrize("lang", LANGS)
def test_llms_full_txt_holds_every_page(site, lang):
    full = (site.dir / LANGS[lang] / "llms-full.txt").read_text(encoding="utf-8")
    for page in PAGES:
        assert page_markdown(site, lang, page).strip() in full


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_edit_view_and_report_links_point_at_the_pages_own_source(site, lang, page):
    links = {a.get_text(strip=True): a["href"] for a in
             site.soup(lang, page).select(".page-source a")}
    source = "data/glossary.yml" if page == "glossary/" else (
        "docs/" + LANGS[lang] + ("index.md" if page == "" else page.rstrip("/") + (
            "/index.md" if page == "infrastructure/" else ".md")))
    assert (ROOT / source).exists(), source
    labels = {"ko": ("이 페이지 수정 제안", "소스 파일 보기", "오류 신고"),
              "en": ("Suggest an edit", "View source", "Report an error")}[lang]
    assert list(links) == list(labels)
    assert links[labels[0]] == f"{REPOSITORY}/edit/main/{source}"
    assert links[labels[1]] == f"{REPOSITORY}/blob/main/{source}"
    assert links[labels[2]].startswith(f"{REPOSITORY}/issues/new?template=content-error.yml&page=")
    assert (ROOT / ".github/ISSUE_TEMPLATE/content-error.yml").exists()


@pytest.mark.parametrize("lang", LANGS)
def test_404_has_no_source_links_and_no_page_calls_the_github_api(site, lang):
    assert not BeautifulSoup((site.dir / LANGS[lang] / "404.html").read_text(encoding="utf-8"), "html.parser").select(".page-source")
    for path in site.dir.rglob("*.html"):
        assert "api.github.com" not in path.read_text(encoding="utf-8"), path
    assert "repo_url" not in MKDOCS


def reading_order():
    from print_packet import page_path, reading_path

    return [page_path(entry["page"]) for entry in reading_path()]


def packet_order():
    """The packet's chapters: the reading path, then the glossary its links point into."""
    return [*reading_order(), "glossary/"]


@pytest.mark.parametrize("lang", LANGS)
def test_packet_holds_every_topic_page_in_reading_order_with_answers_shown(site, lang):
    doc = site.soup(lang, "print/")
    article = doc.select_one("article")
    chapters = article.select("section.packet__chapter")
    assert len(chapters) == len(packet_order())
    for chapter, page in zip(chapters, packet_order(), strict=True):
        original = site.soup(lang, page).select_one("article")
        titles = [h.get_text("").rstrip("¶").strip() for h in original.select("h1, h2, h3") if h.get("id") != "next-steps"]
        found = " ".join(h.get_text("") for h in chapter.select("h1, h2, h3"))
        assert all(title in found for title in titles), f"{page}: headings missing from the packet"
        assert len(chapter.select("figure.diagram")) == len(original.select("figure.diagram"))
        assert len(chapter.select("table")) == len(original.select("table"))
        assert not chapter.select("details"), "self-check answers are shown, not folded"
        assert len(chapter.select(".admonition.question")) == len(original.select("details.question"))
    ids = [e["id"] for e in doc.select("[id]")]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})[:10]}"
    targets = set(ids)  # one walk of the packet, not one per link
    for link in article.select("a[href^='#']"):
        assert link["href"][1:] in targets, f"packet link {link['href']} has no target"
    internal = [a["href"] for a in article.select("a[href]") if not a["href"].startswith(("#", "http", "mailto:"))]
    assert internal == [], f"relative links left in the packet: {internal[:5]}"
    toc = [a["href"] for a in doc.select(".packet__toc a")]
    assert toc and all(href[1:] in targets for href in toc)
    assert re.search(r"\d{4}-\d{2}-\d{2}", doc.select_one(".packet__cover time")["datetime"])


@pytest.mark.parametrize("lang", LANGS)
def test_packet_is_canonical_but_kept_out_of_search_and_the_sitemap(site, lang):
    doc = site.soup(lang, "print/")
    assert doc.find("link", rel="canonical")["href"] == site.page_url(lang, "print/")
    assert not doc.find("meta", attrs={"name": "robots"})
    assert "print/" not in (site.dir / LANGS[lang] / "sitemap.xml").read_text(encoding="utf-8")
    index = (site.dir / LANGS[lang] / "search/search_index.json").read_text(encoding="utf-8")
    assert '"location":"print/' not in index.replace(" ", "")
    home = site.soup(lang, "")
    label = {"ko": "인쇄용 전체 보기", "en": "Print or save as PDF"}[lang]
    assert [a for a in home.select("article a") if a.get_text(strip=True) == label and a["href"].rstrip("/").endswith("print")]


@pytest.mark.parametrize("lang", LANGS)
def test_home_reading_path_follows_the_one_reading_order(site, lang):
    home = site.soup(lang, "")
    path = home.select_one("h2#reading-path").find_next("ol")
    targets = [a["href"] for a in path.select("li > strong > a, li > p > strong > a, li a")][::1]
    pages = list(dict.fromkeys(t.removeprefix("./").removeprefix("en/") for t in targets))
    assert pages == reading_order(), pages
    assert all(a.get_text(strip=True) not in ("", "None") for a in path.select("a")), "every step names its page"


@pytest.mark.parametrize("lang", LANGS)
def test_packet_prints_to_a4_with_every_diagram_drawn_and_no_table_clipped(site, browser, lang):
    context, page = new_page(browser, width=1280, height=900)
    goto(page, site.page_url(lang, "print/"))
    page.emulate_media(media="print")
    figures, drawn, clipped = page.evaluate("""() => {
      const figures = [...document.querySelectorAll("article figure.diagram")];
      const drawn = figures.filter(f => [...f.querySelectorAll("svg")].some(s => s.checkVisibility() && s.getBBox().width > 50));
      const clipped = [...document.querySelectorAll("article table")].filter(t => {
        const box = t.closest(".md-typeset__scrollwrap") || t.parentElement;
        return t.getBoundingClientRect().right > box.getBoundingClientRect().right + 1 || box.scrollWidth > box.clientWidth + 1;
      }).map(t => t.querySelector("th")?.textContent);
      return [figures.length, drawn.length, clipped];
    }""")
    assert figures and drawn == figures, f"{drawn} of {figures} diagrams drawn in print"
    assert clipped == [], f"tables clipped in print: {clipped}"
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 10 <= pages <= 61, f"{pages} A4 pages (ko 52, en 58: every diagram at a legible size, every answer, the lab, the glossary)"
    context.close()


# Where a link's heading comes to rest: its top once it has stayed put for 5 frames (or after 5 s), and whether it shows.
# The text around it is laid out as it comes into view, so right after the jump the heading can still move.
HEADING_SETTLED = """id => new Promise(settled => {
  const target = document.getElementById(decodeURIComponent(id));
  const heading = target.matches("h1, h2, h3") ? target : target.querySelector("h1, h2, h3");
  const until = performance.now() + 5_000;
  let last, still = 0;
  const frame = () => {
    const top = heading.getBoundingClientRect().top;
    still = Math.abs(top - last) < 1 ? still + 1 : 0, last = top;
    if (still < 5 && performance.now() < until) return requestAnimationFrame(frame);
    settled([top, heading.checkVisibility()]);
  };
  requestAnimationFrame(frame);
})"""


@pytest.mark.parametrize("lang", LANGS)
def test_packet_contents_links_land_on_their_heading_and_find_in_page_reaches_every_chapter(site, open_page, lang):
    """Chapters out of view are not laid out on screen (content-visibility): a contents link still lands on its heading,
    and every chapter's text is in the page for find-in-page."""
    page, _ = open_page(site.page_url(lang, "print/"))
    links = page.eval_on_selector_all(".packet__toc a", "links => links.map(a => a.getAttribute('href'))")
    for href in links[::-1]:  # from the last, so that each jump crosses chapters that were never laid out
        page.goto(site.page_url(lang, "print/") + href)
        top, shown = page.evaluate(HEADING_SETTLED, href[1:])
        assert shown and 0 <= top <= 150, f"{href}: its heading is at {top:.0f} px after following the link"
    page.goto(site.page_url(lang, "print/"))
    for chapter in page.query_selector_all(".packet__chapter"):  # the last paragraph of each, searched from the top
        found = chapter.evaluate("""chapter => { const words = [...chapter.querySelectorAll(":scope > .packet__part > p")].at(-1)
            .textContent.trim().split(/\\s+/).slice(0, 4).join(" ");
          getSelection().removeAllRanges(); scrollTo(0, 0);
          return window.find(words) && chapter.contains(getSelection().anchorNode); }""")
        assert found, f"find-in-page misses the end of {chapter.get_attribute('id')}"


def test_a_packet_link_lets_go_when_the_reader_drags_the_scroll_bar(site, open_page):
    """While the text around a followed link is laid out, the heading is held in place, but not against the reader: a
    scroll with no key, wheel or touch (the scroll bar dragged) to text never laid out keeps the reader where they went."""
    page, _ = open_page(site.page_url("en", "print/#glossary"))
    assert 0 <= page.evaluate(HEADING_SETTLED, "glossary")[0] <= 150
    page.evaluate("scrollTo(0, scrollY / 2)")  # halfway up: chapters whose size was only estimated are laid out
    top, _ = page.evaluate(HEADING_SETTLED, "glossary")
    assert top > page.viewport_size["height"], f"the page jumped back to the glossary ({top:.0f} px) as the reader scrolled"



def png_pixels(path):
    """(width, height, decompressed scanlines) of a PNG, read with the standard library."""
    import struct
    import zlib

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_a_drawn_link_preview_of_its_own(site, lang):
    images = {}
    for page in PAGES:
        doc = site.soup(lang, page)
        meta = {m["property"]: m["content"] for m in doc.select("meta[property^='og:image']")}
        assert meta["og:image"].startswith(site.url + LANGS[lang]) and meta["og:image"].endswith(".png")
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        title = doc.find("meta", property="og:title")["content"]
        assert title in meta["og:image:alt"]
        assert doc.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        path = site.dir / meta["og:image"][len(site.url):]
        width, height, pixels = png_pixels(path)
        assert (width, height) == (1200, 630)
        assert len(set(pixels[::97])) > 20, f"{path.name} looks blank"
        images[page] = pixels
    assert len({hash(p) for p in images.values()}) == len(images), "two pages share the same preview image"


@pytest.mark.parametrize("lang", LANGS)
def test_packet_stays_within_its_own_weight_budget(site, browser, lang):
    """The packet holds every topic page and the glossary: its own budget (gzip, cold visit) instead of the 100 KiB page
    budget (measured ko 169.6, en 161.4 KiB with the interfaces lab, the second review's text and the glossary chapter)."""
    from page_weight import cold_visit

    visit = cold_visit(browser, site.page_url(lang, "print/"))
    assert visit.total <= 180 * 1024, f"{visit.total / 1024:.1f} KiB (packet budget 180)"
    assert not visit.loads("search_index.json")
