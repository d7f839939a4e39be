"""The glossary: one source for the glossary page and tooltips that teach (expansions, first use per section), and a
glossary page a reader can use at 360 px, at 1280 px, from a link (highlighted entry) and on paper."""

import contextlib
import re

import pytest
from bs4 import NavigableString
from mkdocs.exceptions import PluginError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import glossary
from conftest import LANGS, PAGES
from glossary import load_terms, on_page_content, tooltip

TERMS = load_terms()
ABBREVIATIONS = {t["abbr"]: t for t in TERMS if "abbr" in t}
# What each abbreviation must expand to (issue 11 and the reader test); Korean pages add AWS's Korean term in front.
EXPANSIONS = {
    "SDK": ("Software Development Kit", "소프트웨어 개발 키트(Software Development Kit)"),
    "EC2": ("Elastic Compute Cloud", "Elastic Compute Cloud"),
    "RDS": ("Relational Database Service", "관계형 데이터베이스 서비스(Relational Database Service)"),
    "S3": ("Simple Storage Service", "Simple Storage Service"),
    "CLI": ("Command Line Interface", "명령줄 인터페이스(Command Line Interface)"),
    "CDK": ("Cloud Development Kit", "Cloud Development Kit"),
    "IAM": ("Identity and Access Management", "Identity and Access Management"),
    "API": ("Application Programming Interface", "애플리케이션 프로그래밍 인터페이스(Application Programming Interface)"),
    "AZ": ("Availability Zone", "가용 영역(Availability Zone)"),
    "PoP": ("Point of Presence", "상호 접속 위치(Point of Presence)"),
    "REC": ("regional edge cache", "리전 엣지 캐시(regional edge cache)"),
    "IaC": ("Infrastructure as Code", "코드형 인프라(Infrastructure as Code)"),
    "TLS": ("Transport Layer Security", "전송 계층 보안(Transport Layer Security)"),
}
NO_TOOLTIP_INSIDE = "code, pre, script, style, svg, a, h1, h2, h3, h4, h5, h6, dfn"
TERMS_REQUIRED = ("vpc", "subnet", "ami", "az-id", "origin", "distribution", "cdn", "multi-az", "wavelength-zone",
                  "outposts", "global-service", "cache-hit", "opt-in", "control-plane", "cross-region-replication",
                  "bootstrapping")
PRINT_PAGES_MAX = 8  # measured: ko 7, en 8 A4 pages for 59 terms with their numbered sources (the table layout printed 11 and 16 for 51)


class Config:
    def __init__(self, lang):
        self.extra = {"site_lang": lang}


def repeats_itself(title: str, text: str) -> bool:
    """ "AWS SDK (AWS SDK)", "SDK" for SDK, or a title that contains the abbreviation it should explain."""
    parts = [p.strip() for p in re.split(r"[()]", title) if p.strip()]
    return title.strip() == text or text in title or len(set(parts)) < len(parts)


# --- the data -------------------------------------------------------------------------------------------------------

def test_glossary_has_every_term_the_pages_rely_on_with_all_fields():
    assert len(TERMS) >= 41
    assert set(TERMS_REQUIRED) <= {t["id"] for t in TERMS}
    for term in TERMS:
        for key in ("id", "ko", "en", "page", "definition", "aws_docs"):
            assert term.get(key), f"{term['id']}: no {key}"
        assert re.fullmatch(r"[\w/-]+\.md#[\w-]+", term["page"]), f"{term['id']}: page is page.md#section"
        for lang in ("ko", "en"):
            assert len(term["definition"][lang]) >= 40 and term["definition"][lang].endswith("."), term["id"]
            assert term["aws_docs"][lang].startswith("https://"), term["id"]
        assert re.search(r"/(ko_kr|ko)/", term["aws_docs"]["ko"]), f"{term['id']}: Korean definition links Korean docs"


def test_one_definition_per_concept_for_the_edge_network():
    """PoP network = edge locations + regional edge caches; an edge location is not 'a data center'; RECs in Regions."""
    by_id = {t["id"]: t for t in TERMS}
    assert "데이터 센터입니다" not in by_id["edge-location"]["definition"]["ko"]
    assert "PoP" in by_id["edge-location"]["definition"]["en"]
    pop = by_id["point-of-presence"]["definition"]
    assert "regional edge caches" in pop["en"] and "리전 엣지 캐시" in pop["ko"]
    rec = by_id["regional-edge-cache"]
    assert rec["ko"] == "리전 엣지 캐시" and "리전별 엣지 캐시" in rec["aliases"]["ko"]
    assert "by default" in rec["definition"]["en"] and "inside an AWS Region" in rec["definition"]["en"]
    assert not any("시청자" in str(t) for t in TERMS)
    assert "deploy" in by_id["distribution"]["definition"]["ko"]


@pytest.mark.parametrize("abbr", EXPANSIONS)
def test_abbreviations_expand_to_what_they_stand_for(abbr):
    en, ko = EXPANSIONS[abbr]
    assert tooltip(ABBREVIATIONS[abbr], "en") == en
    assert tooltip(ABBREVIATIONS[abbr], "ko") == ko


def test_every_tooltip_title_teaches_something_new():
    for term in ABBREVIATIONS.values():
        for lang in ("ko", "en"):
            assert not repeats_itself(tooltip(term, lang), term["abbr"]), (term["id"], lang)


@pytest.mark.parametrize("change,message", [
    (lambda t: t[0].pop("aws_docs"), "has no 'aws_docs'"),
    (lambda t: t[1].pop("expansion"), "needs expansion.en"),
    (lambda t: t[1].update(expansion={"en": "AZ zone"}), "repeats 'AZ'"),
    (lambda t: t[0].update(page="infrastructure/index.md#no-such-section"), "no section { #no-such-section }"),
    (lambda t: t[0]["definition"].update(ko="정의 없음"), "full sentence"),
])
def test_a_broken_entry_fails_naming_the_file_line_and_term(tmp_path, change, message):
    import yaml

    with open(glossary.GLOSSARY, encoding="utf-8") as f:
        terms = yaml.safe_load(f)
    change(terms)
    broken = tmp_path / "glossary.yml"
    broken.write_text(yaml.safe_dump(terms, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PluginError, match=re.escape(message)) as error:
        load_terms.__wrapped__(str(broken))
    assert re.match(rf"{re.escape(str(broken))}:\d+: ", str(error.value))


# --- tooltips -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,abbr", [("AZ는", "AZ"), ("EC2를", "EC2"), ("SDK로", "SDK"), ("(IaC)", "IaC"),
                                       ("PoP에서", "PoP"), ("AWS CLI의", "CLI"), ("S3에", "S3")])
def test_tooltip_wraps_abbreviations_followed_by_korean_particles(text, abbr):
    html = on_page_content(f"<p>{text}</p>", page=None, config=Config("ko"))
    assert f'<abbr title="{EXPANSIONS[abbr][1]}">{abbr}</abbr>' in html


@pytest.mark.parametrize("html", ["<p>AZs are</p>", "<p>SAZ</p>", "<code>AZ는</code>", "<pre><code>EC2를</code></pre>",
                                  '<a href="/AZ">AZ</a>', '<abbr title="x">AZ</abbr>', '<h2 id="a">CDK와 SDK</h2>',
                                  '<h1>AWS API</h1>', "<dfn>AZ ID</dfn>"])
def test_no_tooltip_in_code_links_headings_or_longer_words(html):
    assert on_page_content(html, page=None, config=Config("en")).count("<abbr") == html.count("<abbr")


def test_tooltip_marks_the_first_use_on_a_page_and_in_each_section():
    html = on_page_content('<p>API and API</p><h2 id="a">API</h2><p><a href="#">API</a> API, API</p><h3>x</h3><p>API</p>',
                           page=None, config=Config("en"))
    assert html.count("<abbr") == 2
    assert html.startswith('<p><abbr title="Application Programming Interface">API</abbr> and API</p>')
    assert '</a> <abbr title="Application Programming Interface">API</abbr>, API</p>' in html


def _sections(article):
    """Yields (section number, text node) for the prose of an article, sections starting at each h2."""
    section = 0
    for node in article.descendants:
        if getattr(node, "name", None) == "h2":
            section += 1
        if isinstance(node, NavigableString):
            yield section, node


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_built_tooltips_teach_once_per_section_and_never_in_headings_or_links(site, lang, page):
    article = site.soup(lang, page).select_one("article")
    for abbr in article.select("abbr"):
        assert not repeats_itself(abbr["title"], abbr.get_text()), f"{page}: {abbr}"
        assert abbr.find_parent(["a", "h1", "h2", "h3", "h4", "h5", "h6"]) is None, f"{page}: {abbr} in a heading/link"
    names = re.compile(rf"(?<![A-Za-z0-9])({'|'.join(map(re.escape, ABBREVIATIONS))})(?![A-Za-z0-9])")
    skip = set(NO_TOOLTIP_INSIDE.split(", "))
    marked: dict[int, list[str]] = {}
    for section, node in _sections(article):
        parents = {p.name for p in node.parents}
        if "abbr" in parents:
            marked.setdefault(section, []).append(str(node))
        elif not parents & skip:
            for found in names.findall(str(node)):
                assert found in marked.get(section, []), f"{page}: first {found!r} of section {section} has no tooltip"
    for section, abbrs in marked.items():
        assert len(abbrs) == len(set(abbrs)), f"{page}: section {section} marks {abbrs}"


def test_abbreviations_show_their_tooltip_style_in_the_browser(site, open_page):
    """The browser shows an <abbr title> on hover; the theme marks it (dotted underline, help cursor)."""
    page, recorder = open_page(site.page_url("ko", "infrastructure/availability-zones/"))
    abbr = page.locator("article abbr[title='가용 영역(Availability Zone)']").first
    assert abbr.inner_text() == "AZ"
    style = abbr.evaluate("e => [getComputedStyle(e).cursor, getComputedStyle(e).borderBottomStyle]")
    assert style == ["help", "dotted"]
    assert recorder.problems() == []


# --- the glossary page ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_glossary_page_lists_every_term_on_its_own_row_with_phrase_links(site, lang):
    doc = site.soup(lang, "glossary/")
    label, page_name = {"ko": ("설명:", "{} 페이지"), "en": ("Explained on:", "{} page")}[lang]
    for term in TERMS:
        row = doc.find("tr", id=term["id"])
        assert row is not None and row.dfn.get_text() == term[lang], term["id"]
        assert row.dfn.get("id") is None  # the id is on the row, so :target highlights the whole entry
        links = row.select_one(".glossary-links")
        assert links.get_text().startswith(label), term["id"]
        page_link = links.find("a")
        assert page_link.get_text() == page_name.format(term["_page_title"][lang])
        assert page_link["href"].startswith("../") and "#" in page_link["href"]
        assert term["aws_docs"][lang] in [a["href"] for a in links.find_all("a")]
        assert term["definition"][lang][:20] in row.get_text()
        names = row.select_one(".glossary-names")
        if lang == "ko":  # never a row whose second line repeats the term: the English name or a Korean gloss
            assert names is not None and names.get_text().split(" · ")[0] != term["ko"], term["id"]


# One page load per language x width x scheme serves every check of the glossary page in the browser.
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", LANGS)
def test_glossary_reads_at_every_width_and_highlights_the_linked_entry(site, open_page, lang, width, scheme):
    page, recorder = open_page(site.page_url(lang, "glossary/") + "#edge-location", scheme=scheme, width=width)
    # Material fades a row's background in (a 125 ms transition): read the colours once it has settled.
    with contextlib.suppress(PlaywrightTimeout):  # if it never settles, the assertions below say what is wrong
        page.wait_for_function("""() => { const t = document.querySelector("article .glossary tr:target");
          const other = document.querySelector("article .glossary tbody tr:not(:target)");
          return t && t.getAnimations().length === 0
            && getComputedStyle(t).backgroundColor !== getComputedStyle(other).backgroundColor; }""", timeout=3000)
    seen = page.evaluate("""() => {
      const rows = [...document.querySelectorAll("article .glossary tbody tr")];
      const target = document.querySelector("article .glossary tr:target");
      const other = rows.find(r => r !== target);
      const style = e => getComputedStyle(e);
      const table = document.querySelector("article .glossary table").getBoundingClientRect();
      return {
        scroll: document.documentElement.scrollWidth,
        target: target && target.id,
        targetBg: target && style(target).backgroundColor, otherBg: style(other).backgroundColor,
        targetTop: target && target.getBoundingClientRect().top,
        outside: rows.flatMap(r => [...r.cells]).filter(c => {
          const b = c.getBoundingClientRect(); return b.left < 0 || b.right > innerWidth + 0.5; }).length,
        italic: [...document.querySelectorAll("article dfn")].filter(d => style(d).fontStyle !== "normal").length,
        table: table.width,
        definition: rows[0].cells[1].getBoundingClientRect().width,
      };
    }""")
    assert seen["scroll"] <= width, f"the glossary scrolls sideways at {width}px: {seen['scroll']}"
    assert seen["outside"] == 0, f"{seen['outside']} term/definition boxes outside the {width}px viewport"
    assert seen["target"] == "edge-location" and seen["targetBg"] != seen["otherBg"], seen
    assert 0 <= seen["targetTop"] < 300, "the linked entry is in view below the header"
    assert seen["italic"] == 0, "no synthetic italic on <dfn>"
    if width == 360:
        assert seen["definition"] >= 0.9 * seen["table"], "stacked: the definition gets the card's full width"
    else:
        assert seen["table"] > 800 and seen["definition"] >= 0.65 * seen["table"], seen
    assert recorder.problems() == []


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_prints_as_a_compact_list_without_clipping(site, open_page, lang):
    page, recorder = open_page(site.page_url(lang, "glossary/"), width=718)  # A4 at 96 dpi, inside the margins
    page.emulate_media(media="print")
    clipped = page.evaluate("""() => {
      const article = document.querySelector("article").getBoundingClientRect();
      const wraps = [...document.querySelectorAll("article .glossary .md-typeset__scrollwrap")];
      const cells = [...document.querySelectorAll("article .glossary td")];
      return wraps.filter(w => w.scrollWidth > w.clientWidth + 1).length
        + cells.filter(c => c.getBoundingClientRect().right > article.right + 1).length;
    }""")
    assert clipped == 0
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 < pages <= PRINT_PAGES_MAX, f"{lang} glossary prints {pages} A4 pages"
    assert recorder.problems() == []
