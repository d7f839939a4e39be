"""Content a learner can trust and learn from: self-checks on every topic page (structure, links, no copied sentences,
printable, keyboard-operable), English pages in English, AWS's Korean terms, an honest home page with a reading path."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS

# The seven topic pages in the reading order: concepts first (infrastructure, then service types), the interfaces page
# and its hands-on lab last, once Regions and IAM have been met (issue #18).
TOPIC_PAGES = [
    "infrastructure/",
    "infrastructure/availability-zones/",
    "infrastructure/regions/",
    "infrastructure/local-zones/",
    "infrastructure/edge-locations/",
    "service-types/",
    "interfaces/",
]
TOPIC_CASES = [pytest.param(lang, page, id=f"{lang}-{page}") for lang in LANGS for page in TOPIC_PAGES]
READER_PAGES = [""] + TOPIC_PAGES  # the pages written as prose (the glossary is generated from data/glossary.yml)
MAX_OVERLAP = 0.70  # an answer sentence sharing this share of words with one page sentence copies it
MIN_WORDS = 5  # shorter answer sentences ("See X.") are too short to compare
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def article(html: str) -> BeautifulSoup:
    """The page's main content, without the permalink symbols."""
    soup = BeautifulSoup(html, "html.parser").find("article", class_="md-content__inner")
    for link in soup.select("a.headerlink"):
        link.decompose()
    return soup


def self_check_parts(content: BeautifulSoup) -> tuple[list, list]:
    """Returns the elements between h2#self-check and h2#next-steps, and all h2 ids in page order."""
    h2_ids = [h2.get("id") for h2 in content.find_all("h2")]
    start = content.find("h2", id="self-check")
    parts = []
    for sibling in start.find_next_siblings() if start else []:
        if sibling.name == "h2":
            break
        parts.append(sibling)
    return parts, h2_ids


def words(text: str) -> set[str]:
    """Simple tokens: lower-cased runs of letters and digits (a Korean eojeol without its punctuation)."""
    return set(re.findall(r"\w+", text.lower()))


def sentences(text: str) -> list[str]:
    """Splits text at line breaks and after sentence-ending punctuation."""
    return [s.strip() for s in re.split(r"\n+|(?<=[.?!])\s+", text) if s.strip()]


def block_sentences(content: BeautifulSoup) -> list[str]:
    """The sentences of the page's text blocks (paragraphs, list items, cells, headings, captions)."""
    blocks = content.find_all(["p", "li", "td", "th", "h1", "h2", "h3", "figcaption"])
    leaves = [b for b in blocks if not b.find(["p", "li", "td"])]  # a list item holding paragraphs counts once
    return [s for b in leaves for s in sentences(b.get_text(" ", strip=True))]


def overlap(answer: set[str], page: set[str]) -> float:
    """The share of the answer sentence's words that one page sentence also contains."""
    return len(answer & page) / len(answer)


@pytest.mark.parametrize(("lang", "page_path"), TOPIC_CASES)
def test_topic_page_ends_with_a_self_check_then_what_to_read_next(site, lang, page_path):
    content = article(site.html(lang, page_path))
    parts, h2_ids = self_check_parts(content)
    assert h2_ids[-2:] == ["self-check", "next-steps"], f"last two h2 sections are {h2_ids[-2:]}"
    questions = [p for p in parts if p.name == "details" and "question" in p.get("class", [])]
    others = [p.name for p in parts if p not in questions]
    assert 3 <= len(questions) <= 5, f"{len(questions)} questions (3-5 expected)"
    assert not others, f"the self-check holds only ??? question blocks, also found {others}"
    next_links = content.find("h2", id="next-steps").find_next_sibling("ul").find_all("a")
    assert next_links, "what to read next lists no page"


@pytest.mark.parametrize(("lang", "page_path"), TOPIC_CASES)
def test_every_answer_explains_why_and_links_to_the_section_that_explains_it(site, lang, page_path):
    content = article(site.html(lang, page_path))
    page_url = "/" + LANGS[lang] + page_path
    problems = []
    for details in self_check_parts(content)[0]:
        question = details.summary.get_text(" ", strip=True)
        answer = [a for a in details.find_all("a") if not a.find_parent("summary")]
        targets = [a["href"] for a in answer if "#" in a.get("href", "")]
        if not targets:
            problems.append(f"{question!r}: the answer links to no section (#id)")
        for href in targets:
            url = urlsplit(urljoin(page_url, href))
            built = site.dir / url.path.lstrip("/") / "index.html"
            if not built.exists() or f'id="{url.fragment}"' not in built.read_text(encoding="utf-8"):
                problems.append(f"{question!r}: {href} points to no section")
        if len(sentences(details.get_text(" ", strip=True).replace(question, "", 1))) < 2:
            problems.append(f"{question!r}: the answer is a bare verdict; say why")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("lang", "page_path"), TOPIC_CASES)
def test_no_answer_copies_a_sentence_of_the_page(site, lang, page_path):
    content = article(site.html(lang, page_path))
    answers = [d.find_all(["p", "li"]) for d in self_check_parts(content)[0]]
    for link in (a for group in answers for el in group for a in el.find_all("a")):
        link.decompose()  # "See [Section]" names a section; it does not copy one
    answer_text = "\n".join(el.get_text(" ", strip=True) for group in answers for el in group)
    for details in content.find_all("details", class_="question"):
        details.decompose()
    page_sentences = [(s, words(s)) for s in block_sentences(content)]
    copied = []
    for answer_sentence in sentences(answer_text):
        mine = words(answer_sentence)
        if len(mine) < MIN_WORDS:
            continue
        score, source = max(((overlap(mine, theirs), s) for s, theirs in page_sentences), default=(0, ""))
        if score >= MAX_OVERLAP:
            copied.append(f"{score:.0%}: {answer_sentence!r}\n      ~ {source!r}")
    assert not copied, "answers that repeat a page sentence instead of explaining:\n" + "\n".join(copied)


@pytest.mark.parametrize(("lang", "page_path"), TOPIC_CASES)
def test_answers_open_by_keyboard_and_print_without_opening(site, open_page, lang, page_path):
    page, _ = open_page(site.page_url(lang, page_path))
    answers = page.locator("details.question > :not(summary)")
    assert answers.count() >= 3, "no self-check answers on the page"
    visible = """els => els.map(e => e.checkVisibility() && e.getBoundingClientRect().height > 0)"""
    assert not any(answers.evaluate_all(visible)), "answers are shown before the reader asks for them"

    page.emulate_media(media="print")
    hidden = [i for i, shown in enumerate(answers.evaluate_all(visible)) if not shown]
    assert not hidden, f"closed answers {hidden} are missing from the printed page"
    page.emulate_media(media="screen")

    summary = page.locator("details.question > summary").first
    summary.focus()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY", "a question cannot take keyboard focus"
    assert page.evaluate("document.activeElement.tabIndex") >= 0, "a question is not in the tab order"
    page.keyboard.press("Enter")
    assert page.locator("details.question").first.evaluate("d => d.open"), "Enter does not open the answer"


@pytest.mark.parametrize("page_path", READER_PAGES)
def test_english_pages_are_in_english(site, page_path):
    soup = BeautifulSoup(site.html("en", page_path), "html.parser")
    korean = [
        text.strip()
        for text in soup.body.find_all(string=HANGUL)
        if not text.find_parent(attrs={"lang": "ko"})  # the language switcher, quoted Korean marked lang="ko"
    ]
    assert not korean, f'Hangul outside elements marked lang="ko": {korean[:5]}'


@pytest.mark.parametrize("page_path", READER_PAGES)
def test_korean_pages_use_aws_korean_terms(site, page_path):
    text = article(site.html("ko", page_path)).get_text(" ")
    found = [term for term in ("시청자", "리전별 엣지 캐시") if term in text]
    assert not found, f"{found}: AWS's Korean uses 뷰어 or 최종 사용자, and 리전 엣지 캐시"


def test_home_page_says_how_facts_are_sourced_instead_of_claiming_everything_was_checked(site):
    ko = article(site.html("ko", "")).get_text(" ")
    en = article(site.html("en", "")).get_text(" ")
    assert not re.search(r"모든 내용은.{0,40}확인했습니다", ko), "the Korean home page still claims everything was checked"
    assert "Every statement has been checked" not in en, "the English home page still claims everything was checked"
    assert "Content error" in ko and "Content error" in en, "the home page does not say how to report an error"


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_suggests_a_reading_order_through_every_topic_page(site, lang):
    content = article(site.html(lang, ""))
    heading = content.find("h2", id="reading-path")
    assert heading, "no reading path on the home page"
    steps = heading.find_next_sibling("ol").find_all("li", recursive=False)
    linked = [urlsplit(urljoin("/" + LANGS[lang], li.a["href"])).path for li in steps]
    expected = ["/" + LANGS[lang] + p for p in TOPIC_PAGES]
    assert linked == expected, f"reading path {linked}, expected the topic pages in order {expected}"
    assert all(len(li.get_text(strip=True)) > len(li.a.get_text(strip=True)) + 20 for li in steps), "each step says what the page answers"
