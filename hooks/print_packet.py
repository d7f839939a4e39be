"""Reading path and print: data/reading_path.yml orders the home page's reading path and print/ (every topic page in one,
the glossary last); every printed page lists its sources as numbered notes."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import logging
import os
import re
import sys
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import bs4
import soupsieve
import yaml
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError

from search_index import page_path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import cache_entries  # noqa: E402  (scripts/cache_entries.py: entries written atomically, checked when read)

# Each chapter as the packet prints it, by its page's article and what else shapes it: most builds (the tests' copies,
# `mkdocs serve`'s rebuilds) reprint chapters unchanged, and the packet is 40 % of a warm build's CPU otherwise.
CACHE = os.environ.get("PACKET_CACHE") or os.path.join(ROOT, ".cache", "packet")
KEEP = 128  # entries (about 10 MB): a chapter depends on the site's URL, and the tests build under a new port each run
log = logging.getLogger("mkdocs.hooks.print_packet")
with open(__file__, "rb") as _code:  # what a chapter depends on besides its page and the packet's page paths: this
    # hook's code as imported (not the file as it is later, under mkdocs serve), bs4, soupsieve and Python (html.parser)
    PRINTER = hashlib.sha256(_code.read()).hexdigest() + bs4.__version__ + soupsieve.__version__ + sys.version
READING_PATH = os.path.join(ROOT, "data", "reading_path.yml")
PATH_MARKER = "<!-- reading-path -->"
PACKET_MARKER = "<!-- print-packet -->"
PACKET_PAGE = "print.md"
GLOSSARY_PAGE = "glossary.md"  # the packet's last chapter: its glossary links point into it
LABELS = {
    "ko": {"contents": "목차", "covers": "다루는 내용", "reviewed": "가장 최근 검토", "chapter": "장", "sources": "출처"},
    "en": {"contents": "Contents", "covers": "What it covers", "reviewed": "Latest review", "chapter": "Chapter",
           "sources": "Sources"},
}
ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.S)
# A link to another site, and the rest of the word it ends (배포</a>됩니다: the printed note number goes after the word).
EXTERNAL = re.compile(r'<a href="(https?://[^"]+)"(.*?</a>)([\uac00-\ud7a3]*)', re.S)
WEB_ONLY = re.compile(r'<p class="page-(?:reviewed|source)">')  # the end of the text: review date, edit links
_titles: dict[str, dict[str, str]] = {}  # site_dir -> {src_uri: nav title}


@lru_cache(maxsize=1)
def reading_path(path: str = READING_PATH) -> tuple[dict, ...]:
    """The suggested reading order: [{page, answers: {ko, en}}], each page once."""
    with open(path, encoding="utf-8") as f:
        entries = yaml.safe_load(f)
    pages = [e.get("page") for e in entries]
    for entry in entries:
        if not entry.get("page") or not {"ko", "en"} <= set(entry.get("answers", {})):
            raise PluginError(f"{path}: each entry needs `page:` and `answers:` in ko and en: {entry!r}")
        if not os.path.exists(os.path.join(ROOT, "docs", entry["page"])):
            raise PluginError(f"{path}: {entry['page']} is not a page in docs/")
    if len(set(pages)) != len(pages):
        raise PluginError(f"{path}: a page is listed twice")
    return tuple(entries)


def chapter_id(src_uri: str) -> str:
    return page_path(src_uri).strip("/").replace("/", "-") or "home"


def on_nav(nav, config, files, **kwargs):
    # A section's index page has no title of its own in the nav: it goes by its section's name.
    _titles[config.site_dir] = {page.file.src_uri: page.title or page.parent.title for page in nav.pages}


def on_page_markdown(markdown, page, config, **kwargs):
    """Fills the home page's reading-path marker with a numbered list: the page and what it answers."""
    if PATH_MARKER not in markdown:
        return markdown
    lang, titles = config.extra["site_lang"], _titles[config.site_dir]
    depth = page.file.src_uri.count("/")
    items = [f"{n}. [{titles[e['page']]}]({'../' * depth}{e['page']}): {e['answers'][lang]}"
             for n, e in enumerate(reading_path(), 1)]
    return markdown.replace(PATH_MARKER, "\n".join(items))


def _prefix_ids(article, prefix: str) -> None:
    """Makes every id in a chapter unique across the packet (SVG ids and their url(#…)/style references included)."""
    elements = article.find_all(True)  # one walk (soupsieve's selectors were most of the packet's build time)
    ids = sorted({e["id"] for e in elements if e.has_attr("id")}, key=len, reverse=True)
    if not ids:
        return
    reference = re.compile(r"#(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    known = set(ids)
    for element in elements:
        if element.has_attr("id"):
            element["id"] = f"{prefix}--{element['id']}"
        for attr in ("aria-labelledby", "aria-describedby", "for"):
            if element.has_attr(attr):
                element[attr] = " ".join(f"{prefix}--{v}" if v in known else v for v in str(element[attr]).split())
        if element.name == "style":
            element.string = reference.sub(lambda m: f"#{prefix}--{m[1]}", element.string or "")
        for attr in ("href", "xlink:href", "fill", "stroke", "marker-start", "marker-end", "clip-path", "filter", "mask", "style"):
            if element.has_attr(attr) and "#" in str(element[attr]) and not str(element[attr]).startswith(("http", "..")):
                element[attr] = reference.sub(lambda m: f"#{prefix}--{m[1]}", str(element[attr]))


def _chapter_problem(value) -> str | None:
    if not (isinstance(value, dict) and isinstance(value.get("html"), str) and isinstance(value.get("title"), str)
            and isinstance(value.get("sections"), list)):
        return "not a chapter"
    return None


def cached_chapter(config, src_uri: str, number: int, chapters: dict[str, str]) -> tuple[str, str, list[tuple[str, str]]]:
    """_chapter's (HTML, title, sections), from the cache when the page's article and the rest are as they were."""
    with open(os.path.join(config.site_dir, page_path(src_uri), "index.html"), encoding="utf-8") as f:
        text = ARTICLE.search(f.read())[0]  # only the article is parsed (the page around it is most of its bytes)
    inputs = [PRINTER, config.site_url, config.extra["site_lang"], src_uri, number, chapters, text]
    path = os.path.join(CACHE, hashlib.sha256(json.dumps(inputs).encode()).hexdigest() + ".json")
    payload, problem = cache_entries.read_sealed(path)
    if payload is not None:
        value, problem = cache_entries.json_problem(payload, _chapter_problem)
        if not problem:
            cache_entries.used(path)
            return value["html"], value["title"], [tuple(section) for section in value["sections"]]
    if problem:
        log.info("Cache entry %s (print packet chapter %s) is damaged, %s: printing it again", path, src_uri, problem)
    article, title, sections = _chapter(config, src_uri, number, chapters, text)
    printed = str(article)
    try:
        entry = json.dumps({"html": printed, "title": title, "sections": sections}, ensure_ascii=False).encode()
        cache_entries.write(path, cache_entries.sealed(entry), setting="PACKET_CACHE")
    except cache_entries.CacheError as error:
        raise PluginError(str(error)) from None
    return printed, title, sections


def _chapter(config, src_uri: str, number: int, chapters: dict[str, str], text: str):
    """One topic page's article, prepared for the packet: numbered headings, answers shown, links kept inside the packet."""
    article = BeautifulSoup(text, "html.parser").select_one("article")
    junk_classes = {"headerlink", "page-reviewed", "page-source", "md-content__button"}
    for junk in article.find_all(lambda t: t.get("id") == "translation-outdated" or junk_classes & set(t.get("class", ()))):
        junk.decompose()
    next_steps = article.select_one("h2#next-steps")
    if next_steps:  # "what to read next" points at other pages; in the packet the next chapter follows
        for sibling in list(next_steps.find_next_siblings()):
            sibling.decompose()
        next_steps.decompose()
    for details in article.find_all("details"):  # self-check answers, shown in full
        summary = details.find("summary")
        details.name, details.attrs = "div", {"class": ["admonition", *details.get("class", [])]}
        if summary:
            summary.name, summary.attrs = "p", {"class": ["admonition-title"]}
    base = config.site_url + page_path(src_uri)
    for link in article.find_all("a", href=True):
        target = urlsplit(urljoin(base, link["href"]))
        if not link["href"].startswith(("http:", "https:", "mailto:")) or target.netloc == urlsplit(config.site_url).netloc:
            relative = target.path[len(urlsplit(config.site_url).path):]
            if relative in chapters:
                link["href"] = "#" + (f"{chapters[relative]}--{target.fragment}" if target.fragment else chapters[relative])
            elif not link["href"].startswith("#"):
                link["href"] = urljoin(base, link["href"])  # outside the packet: the page on the site
    _renumber_sources(article, config)
    slug = chapter_id(src_uri)
    _prefix_ids(article, slug)
    h1 = article.find("h1")
    h1.insert(0, f"{number}. ")
    sections = []
    for n, h2 in enumerate(article.find_all("h2"), 1):
        h2.insert(0, f"{number}.{n} ")
        sections.append((h2["id"], h2.get_text("").strip()))
    article.name, article.attrs = "section", {"class": ["packet__chapter"], "id": slug, "aria-labelledby": h1["id"]}
    _split_into_parts(article)
    return article, h1.get_text("").strip(), sections


def _renumber_sources(article, config) -> None:
    """The chapter's own numbered sources: its page's notes, numbered again for what is left of it in the packet."""
    for notes in article.find_all(class_="print-notes"):
        notes.decompose()
    numbers: dict[str, int] = {}
    for noted in article.find_all(attrs={"data-note": True}):
        link = noted if noted.name == "a" else noted.find("a")
        del noted["data-note"]
        if link is not None and _is_source(link["href"], config.site_url):
            noted["data-note"] = str(numbers.setdefault(link["href"], len(numbers) + 1))
    if numbers:
        article.append(BeautifulSoup(_notes(numbers, config.extra["site_lang"]), "html.parser"))


def _split_into_parts(chapter) -> None:
    """Wraps the text between a chapter's headings in <div class="packet__part">: on screen the parts are skipped until
    scrolled near (content-visibility, site.css), while the headings stay laid out, so they are in the accessibility
    tree from the start."""
    part = None
    for child in list(chapter.children):
        if getattr(child, "name", None) in ("h1", "h2", "h3"):
            part = None
        elif part is None:
            if getattr(child, "name", None) is None and not child.strip():
                continue
            part = child.wrap(BeautifulSoup("", "html.parser").new_tag("div", attrs={"class": "packet__part"}))
        else:
            part.append(child.extract())


def packet_pages() -> list[str]:
    """The packet's chapters: the reading path's pages, then the glossary."""
    return [e["page"] for e in reading_path()] + [GLOSSARY_PAGE]


def latest_review(config) -> str:
    """The latest `reviewed:` date of the packet's chapters (YYYY-MM-DD)."""
    dates = []
    for src_uri in packet_pages():
        with open(os.path.join(config.docs_dir, src_uri), encoding="utf-8") as f:
            found = re.search(r"^reviewed:\s*(\d{4}-\d{2}-\d{2})", f.read(), re.M)
        dates.append(found[1] if found else "")
    return max(dates)


def on_page_context(context, page, config, **kwargs):
    """The packet's date (its .gz header; the sitemap leaves it out) is that of its latest-reviewed chapter."""
    if page.file.src_uri == PACKET_PAGE:
        page.update_date = latest_review(config)
    return context


def _packet(config) -> str:
    """The cover, a numbered table of contents, and every page of the reading path as a chapter."""
    labels = LABELS[config.extra["site_lang"]]
    pages = packet_pages()
    chapters = {page_path(p): chapter_id(p) for p in pages}
    parts, toc = [], []
    for number, src_uri in enumerate(pages, 1):
        printed, title, sections = cached_chapter(config, src_uri, number, chapters)
        parts.append(printed)
        inner = "".join(f'<li><a href="#{i}">{html.escape(t)}</a></li>' for i, t in sections)
        toc.append(f'<li><a href="#{chapter_id(src_uri)}">{html.escape(title)}</a>{f"<ol>{inner}</ol>" if inner else ""}</li>')
    cache_entries.prune(CACHE, KEEP)  # once a packet, after its chapters are written or marked as used
    reviewed = latest_review(config)
    cover = (f'<div class="packet__cover"><p><strong>{labels["covers"]}</strong>: {html.escape(config.site_description)}</p>'
             f'<p><strong>{labels["reviewed"]}</strong>: <time datetime="{reviewed}">{reviewed}</time></p></div>')
    contents = (f'<nav class="packet__toc" aria-labelledby="contents"><h2 id="contents">{labels["contents"]}</h2>'
                f'<ol>{"".join(toc)}</ol></nav>')
    return cover + contents + "".join(parts)


def _drop_from_sitemap(site_dir: str, url: str) -> None:
    """The packet repeats the topic pages: it stays out of the sitemap (and so out of search engines' crawl lists)."""
    path = os.path.join(site_dir, "sitemap.xml")
    with open(path, encoding="utf-8") as f:
        sitemap = f.read()
    sitemap = re.sub(r"\s*<url>\s*<loc>" + re.escape(url) + r"</loc>.*?</url>", "", sitemap, flags=re.S)
    with open(path, "w", encoding="utf-8") as f:
        f.write(sitemap)
    with open(path + ".gz", "wb") as f:
        f.write(gzip.compress(sitemap.encode("utf-8"), mtime=0))


def source_notes(article: str, site_url: str, lang: str) -> str:
    """Numbers each external link of an article (data-note; site.css prints the number after the link) and adds the
    numbered list of their addresses, which only print shows: on paper a link is its address."""
    cut = WEB_ONLY.search(article)
    text, rest = (article[:cut.start()], article[cut.start():]) if cut else (article, "")
    numbers: dict[str, int] = {}

    def number(match):
        url = html.unescape(match[1])
        if not _is_source(url, site_url):
            return match[0]
        note = numbers.setdefault(url, len(numbers) + 1)
        if match[3]:
            return f'<span class="noted" data-note="{note}"><a href="{match[1]}"{match[2]}{match[3]}</span>'
        return f'<a data-note="{note}" href="{match[1]}"{match[2]}'

    text = EXTERNAL.sub(number, text)
    return text + _notes(numbers, lang) + rest if numbers else article


def _is_source(url: str, site_url: str) -> bool:
    """A link to another site (this site's own pages are not sources)."""
    return url.startswith(("http:", "https:")) and urlsplit(url).netloc != urlsplit(site_url).netloc


def _notes(numbers: dict[str, int], lang: str) -> str:
    """The numbered list of sources' addresses (shown in print only)."""
    items = "".join(f'<li><a href="{html.escape(url)}">{html.escape(url)}</a></li>' for url in numbers)
    return f'<div class="print-notes"><p class="print-notes__title">{LABELS[lang]["sources"]}</p><ol>{items}</ol></div>\n'


def on_post_page(output, page, config, **kwargs):
    """Every page but the packet (which gathers its chapters' notes) prints its sources."""
    if page.file.src_uri == PACKET_PAGE:
        return output
    return ARTICLE.sub(lambda m: m[1] + source_notes(m[2], config.site_url, config.extra["site_lang"]) + m[3],
                       output, count=1)


def on_post_build(config, **kwargs):
    """Fills print/index.html with the packet, built from the pages just written, and keeps it out of the sitemap."""
    path = os.path.join(config.site_dir, page_path(PACKET_PAGE), "index.html")
    with open(path, encoding="utf-8") as f:
        page = f.read()
    if page.count(PACKET_MARKER) != 1:
        raise PluginError(f"docs/{PACKET_PAGE}: needs the marker {PACKET_MARKER} once")
    with open(path, "w", encoding="utf-8") as f:
        f.write(page.replace(PACKET_MARKER, _packet(config)))
    _drop_from_sitemap(config.site_dir, config.site_url + page_path(PACKET_PAGE))
