"""The onboarding kit: Markdown for assistants (llms.txt, llms-full.txt, each page's Markdown) and links into the repository."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import LANGS, PAGES, ROOT

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
    markdown, doc = page_markdown(site, lang, page), BeautifulSoup(site.html(lang, page), "html.parser")
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
    docs = ROOT / "docs" / LANGS[lang]
    for source in docs.rglob("*.md"):
        if LANGS[lang] == "" and "en" in source.relative_to(docs).parts[:1]:
            continue
        relative = source.relative_to(docs).as_posix()
        page = "" if relative == "index.md" else relative.removesuffix("index.md").removesuffix(".md")
        page = page if page.endswith("/") or not page else page + "/"
        text = source.read_text(encoding="utf-8")
        expected = re.findall(r"accTitle:\s*(.+?)\s*\n\s*accDescr:\s*(.+?)\s*$", text, re.M)
        markdown = page_markdown(site, lang, page)
        for title, description in expected:
            assert title in markdown and description in markdown, f"{relative}: diagram {title!r} not in its Markdown"


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
             BeautifulSoup(site.html(lang, page), "html.parser").select(".page-source a")}
    source = "data/glossary.yml" if page == "glossary/" else (
        "docs/" + LANGS[lang] + ("index.md" if page == "" else page.rstrip("/") + (
            "/index.md" if page == "infrastructure/" else ".md")))
    assert (ROOT / source).exists(), source
    labels = {"ko": ("이 페이지 수정 제안", "원문 보기", "오류 신고"), "en": ("Suggest an edit", "View source", "Report an error")}[lang]
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
