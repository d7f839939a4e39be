"""The glossary is the one source for the glossary page and the abbreviation tooltips, particles included."""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, PAGES
from glossary import load_terms, on_page_content

ABBREVIATIONS = {t["abbr"]: t for t in load_terms() if "abbr" in t}


class Config:
    def __init__(self, lang):
        self.extra = {"site_lang": lang}


@pytest.mark.parametrize("text,abbr", [("AZ는", "AZ"), ("EC2를", "EC2"), ("SDK로", "SDK"), ("(IaC)", "IaC"),
                                       ("PoP에서", "PoP"), ("AWS CLI의", "CLI"), ("S3에", "S3")])
def test_tooltip_wraps_abbreviations_followed_by_korean_particles(text, abbr):
    html = on_page_content(f"<p>{text}</p>", page=None, config=Config("ko"))
    term = ABBREVIATIONS[abbr]
    assert f'<abbr title="{term["ko"]} ({term["en"]})">{abbr}</abbr>' in html


@pytest.mark.parametrize("html", ["<p>AZs are</p>", "<p>SAZ</p>", "<code>AZ는</code>", "<pre><code>EC2를</code></pre>",
                                  '<a href="/AZ">x</a>', '<abbr title="x">AZ</abbr>'])
def test_tooltip_leaves_code_markup_and_longer_words_alone(html):
    assert on_page_content(html, page=None, config=Config("en")).count("<abbr") == html.count("<abbr")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_abbreviation_in_prose_has_a_tooltip(site, lang, page):
    article = BeautifulSoup(site.html(lang, page), "html.parser").select_one("article")
    for tag in article.select("abbr, code, pre, script, style, svg, .headerlink"):
        tag.decompose()
    names = "|".join(map(re.escape, ABBREVIATIONS))
    assert re.findall(rf"(?<![A-Za-z0-9])({names})(?![A-Za-z0-9])", article.get_text()) == []


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_page_lists_every_term_with_links(site, lang):
    doc = BeautifulSoup(site.html(lang, "glossary/"), "html.parser")
    for term in load_terms():
        dfn = doc.find("dfn", id=term["id"])
        assert dfn is not None and dfn.get_text() == term[lang]
        row = dfn.find_parent("tr")
        hrefs = [a["href"] for a in row.find_all("a")]
        assert any(h.startswith("../") and "#" in h for h in hrefs), f"{term['id']}: no link to the explaining page"
        assert term["aws_docs"][lang] in hrefs
        assert term["definition"][lang][:20] in row.get_text()


def test_korean_glossary_links_korean_aws_docs():
    for term in load_terms():
        assert re.search(r"/(ko_kr|ko)/", term["aws_docs"]["ko"]), term["id"]


def test_abbreviations_show_their_tooltip_style_in_the_browser(site, open_page):
    """The browser shows an <abbr title> on hover; the theme marks it (dotted underline, help cursor)."""
    page, recorder = open_page(site.page_url("ko", "infrastructure/availability-zones/"))
    abbr = page.locator("article abbr[title^='가용 영역 (Availability Zone)']").first
    assert abbr.inner_text() == "AZ"
    style = abbr.evaluate("e => [getComputedStyle(e).cursor, getComputedStyle(e).borderBottomStyle]")
    assert style == ["help", "dotted"]
    assert recorder.problems() == []
