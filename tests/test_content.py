"""Content a learner can trust and learn from: self-checks on every topic page (structure, links, no copied sentences, no
shared scenarios, printable, keyboard-operable), diagrams that agree with their pages, English pages in English, AWS's
Korean terms as CONTRIBUTING.md lists them, one title per page, and an honest home page with a reading path."""

from __future__ import annotations

import copy
import math
import re
from itertools import combinations, pairwise
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, ROOT
from glossary import load_terms

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


def article(site, lang: str, page: str) -> BeautifulSoup:
    """The page's main content, without the permalink symbols (a copy: the tests take parts out of it)."""
    content = copy.copy(site.soup(lang, page).find("article", class_="md-content__inner"))
    for link in content.select("a.headerlink"):
        link.decompose()
    return content


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
    content = article(site, lang, page_path)
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
    content = article(site, lang, page_path)
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
    content = article(site, lang, page_path)
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
    soup = site.soup("en", page_path)
    korean = [
        text.strip()
        for text in soup.body.find_all(string=HANGUL)
        if not text.find_parent(attrs={"lang": "ko"})  # the language switcher, quoted Korean marked lang="ko"
    ]
    assert not korean, f'Hangul outside elements marked lang="ko": {korean[:5]}'


def contributing_terms() -> tuple[list[str], list[str], list[str]]:
    """CONTRIBUTING.md's Korean style rule: the official terms, the variants not to use, and the Korean summary's terms."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    rule = re.search(r"\*\*AWS's official Korean terms\*\*: (.+?)\.\s+The glossary.+?variants\s+such\s+as\s+(.+?)\s+in\s+the\s+text",
                     text, re.S)
    assert rule, "CONTRIBUTING.md: the Korean style rule no longer lists the official terms and the variants"
    summary = re.search(r"AWS 공식 한국어 용어\((.+?)…\)", text)
    assert summary, "CONTRIBUTING.md: the Korean summary no longer lists the official terms"

    def names(listing: str) -> list[str]:
        listing = re.sub(r"\([^)]*\)", "", " ".join(listing.split()))  # 상호 접속 위치(PoP) -> 상호 접속 위치
        return [n.strip() for n in re.split(r",|\bor\b", listing) if n.strip()]

    return names(rule.group(1)), names(rule.group(2)), names(summary.group(1))


def korean_prose(site) -> dict[str, str]:
    """The text of every Korean reader page, without code (a search example may show a variant on purpose)."""
    texts = {}
    for page_path in READER_PAGES:
        content = article(site, "ko", page_path)
        for code in content.find_all("code"):
            code.decompose()
        texts[page_path] = " ".join(content.get_text(" ").split())
    return texts


def test_contributing_names_the_glossarys_official_korean_terms_and_the_pages_use_them(site):
    """One name per concept in CONTRIBUTING.md, data/glossary.yml and the pages (review 2 #32: 리전별 엣지 캐시 came back)."""
    official, variants, summary = contributing_terms()
    glossary_names = {term["ko"] for term in load_terms()}
    pages = korean_prose(site)
    everywhere = " ".join(pages.values())
    problems = [f"CONTRIBUTING.md names {n!r} as official, but no glossary term has it as its ko name"
                for n in official + summary if n not in glossary_names]
    problems += [f"CONTRIBUTING.md names {n!r} as official, but no Korean page uses it" for n in official if n not in everywhere]
    problems += [f"CONTRIBUTING.md lists {v!r} as a variant not to use, yet it is a glossary term's official name"
                 for v in variants if v in glossary_names]
    problems += [f"/{page}: uses the variant {v!r} (CONTRIBUTING.md: use the official term)"
                 for page, text in pages.items() for v in variants if v in text]
    assert not problems, "\n".join(problems)
    assert len(official) >= 10 and len(variants) >= 3, f"the lists look cut short: {official}, {variants}"


def test_home_page_says_how_facts_are_sourced_instead_of_claiming_everything_was_checked(site):
    ko = article(site, "ko", "").get_text(" ")
    en = article(site, "en", "").get_text(" ")
    assert not re.search(r"모든 내용은.{0,40}확인했습니다", ko), "the Korean home page still claims everything was checked"
    assert "Every statement has been checked" not in en, "the English home page still claims everything was checked"
    assert "Content error" in ko and "Content error" in en, "the home page does not say how to report an error"


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_suggests_a_reading_order_through_every_topic_page(site, lang):
    content = article(site, lang, "")
    heading = content.find("h2", id="reading-path")
    assert heading, "no reading path on the home page"
    steps = heading.find_next_sibling("ol").find_all("li", recursive=False)
    linked = [urlsplit(urljoin("/" + LANGS[lang], li.a["href"])).path for li in steps]
    expected = ["/" + LANGS[lang] + p for p in TOPIC_PAGES]
    assert linked == expected, f"reading path {linked}, expected the topic pages in order {expected}"
    assert all(len(li.get_text(strip=True)) > len(li.a.get_text(strip=True)) + 20 for li in steps), "each step says what the page answers"


# --- self-checks that do not repeat each other ---------------------------------------------------------------------

# Two questions share a scenario when the words that set their scene (AWS terms left out) overlap this much, each word
# weighted by how few of the site's questions use it. Measured on 15359c4's text: the Los Angeles game server, asked on
# two pages, scores 0.34 (ko) and 0.36 (en); the closest distinct pair scores 0.22.
SCENARIO_SHARE = 0.30
KO_FUNCTION_STEMS = {"어떤", "무엇", "있습", "없습", "합니", "입니", "니다", "각각", "어느", "가운", "그리", "이것", "그것", "때문",
                     "경우", "됩니", "같은", "누가", "어디", "참고", "것은", "것이", "으로", "직접"}
EN_STOPWORDS = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "from", "with", "by", "is",
    "are", "be", "was", "were", "do", "does", "did", "can", "could", "you", "your", "it", "its", "this", "that",
    "these", "those", "which", "what", "who", "whom", "why", "how", "when", "where", "than", "then", "there",
    "their", "them", "they", "we", "our", "us", "not", "no", "yes", "must", "should", "would", "will", "may",
    "might", "have", "has", "had", "into", "out", "over", "under", "about", "after", "before", "also", "only",
    "just", "as", "if", "so", "but", "any", "each", "every", "all", "some", "more", "most", "many", "much", "one",
    "two", "three", "see"}


def glossary_names() -> list[str]:
    """Every name of every glossary term, longest first (so that 리전 엣지 캐시 goes before 리전)."""
    names = {n for t in load_terms() for n in [t["ko"], t["en"], t.get("abbr", "")] + t.get("aliases", {}).get("ko", [])
             + t.get("aliases", {}).get("en", []) if n}
    return sorted(names, key=len, reverse=True)


def scenario_words(text: str, names: list[str]) -> set[str]:
    """The words that set a question's scene: AWS terms removed, a Korean word cut to its first two syllables (its stem
    without the particle), an English word lower-cased, without a plural s, cut to seven letters."""
    for name in names:
        text = re.sub(re.escape(name), " ", text, flags=re.I)
    found = set()
    for word in re.findall(r"[A-Za-z][\w.-]*|[\uac00-\ud7a3]+", text):
        if HANGUL.match(word):
            if len(word) >= 2 and word[:2] not in KO_FUNCTION_STEMS:
                found.add(word[:2])
        elif len(word := word.lower().strip(".-")) >= 3 and word not in EN_STOPWORDS:
            found.add((word[:-1] if word.endswith("s") and len(word) > 4 else word)[:7])
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_two_self_check_questions_share_a_scenario(site, lang):
    """Each question puts an idea to work in its own situation (review 2 #19: the same game server on two pages)."""
    names, questions = glossary_names(), []
    for page_path in TOPIC_PAGES:
        for details in self_check_parts(article(site, lang, page_path))[0]:
            question = details.summary.get_text(" ", strip=True)
            for link in details.find_all("a"):
                link.decompose()  # "See [Section]" names a section, not a situation
            questions.append((f"/{page_path}: {question}", scenario_words(details.get_text(" "), names)))
    uses = {}
    for _, found in questions:
        for word in found:
            uses[word] = uses.get(word, 0) + 1
    weight = {word: math.log(len(questions) / n) for word, n in uses.items()}
    shared = []
    for (one, a), (other, b) in combinations(questions, 2):
        smaller = min(sum(weight[w] for w in a), sum(weight[w] for w in b)) or 1
        share = sum(weight[w] for w in a & b) / smaller
        if share >= SCENARIO_SHARE:
            shared.append(f"{share:.2f} {sorted(a & b)}\n  {one}\n  {other}")
    assert len(questions) >= 28, f"only {len(questions)} questions found"
    assert not shared, "questions that share a scenario (give one of them a new situation):\n" + "\n".join(shared)


# --- diagrams that agree with their pages --------------------------------------------------------------------------

def diagram_graph(figure) -> tuple[dict[str, str], list[tuple[str, str, str]], dict[str, tuple[float, float]]]:
    """A drawn flowchart, read from its light SVG: the nodes {id: label}, the edges [(from, to, label)], node centres."""
    svg = figure.select_one("svg.diagram__svg--light")
    nodes, centres = {}, {}
    for node in svg.select("g.node"):
        node_id = re.search(r"-flowchart-(.+)-\d+$", node["id"]).group(1)
        nodes[node_id] = node.get_text(" ", strip=True)
        centres[node_id] = tuple(map(float, re.search(r"translate\(([-\d.]+),\s*([-\d.]+)\)", node["transform"]).groups()))
    labels = {g["data-id"]: g.get_text(" ", strip=True) for g in svg.select("g.edgeLabel g.label[data-id]")}
    edges = []
    for path in svg.select("path[data-edge][data-id]"):
        ends = [(a, b) for a in nodes for b in nodes if re.fullmatch(rf"L_{re.escape(a)}_{re.escape(b)}_\d+", path["data-id"])]
        edges += [(*pair, labels.get(path["data-id"], "")) for pair in ends[:1]]  # links between groups join no nodes
    return nodes, edges, centres


# What the edge-locations diagram's labels and text alternative say for the uncached path and the REC-skip path.
EDGE_WORDS = {
    "ko": {"post": "POST", "skip": "건너뜀", "both": "두 캐시", "nowhere": "캐시하지 않", "edge_only": "엣지 로케이션에만",
           "described_nowhere": "저장하지 않"},
    "en": {"post": "POST", "skip": "Skipped", "both": "both caches", "nowhere": "cached nowhere",
           "edge_only": "edge location only", "described_nowhere": "without being stored"},
}


@pytest.mark.parametrize("lang", LANGS)
def test_edge_diagram_caches_no_post_response_and_only_the_edge_caches_when_the_rec_is_skipped(site, lang):
    """Review 2 #7, reader test 2 #15: every path into the origin ended in "stores in both caches", POST included."""
    words_ = EDGE_WORDS[lang]
    figure = site.soup(lang, "infrastructure/edge-locations/").select_one("figure.diagram")
    nodes, edges, _ = diagram_graph(figure)

    def reached(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo += [b for a, b, _ in edges if a == node]
        return seen

    post = [b for _, b, label in edges if words_["post"] in label]
    skip = [b for _, b, label in edges if words_["skip"] in label]
    assert post and skip, f"no edge labelled {words_['post']!r} or {words_['skip']!r}: {edges}"
    problems = []
    for start, must, kind in [(n, words_["nowhere"], "POST") for n in post] + [(n, words_["edge_only"], "skip") for n in skip]:
        after = [nodes[n] for n in reached(start)]
        if any(words_["both"] in label for label in after):
            problems.append(f"the {kind} path ends in a node that stores the response in both caches: {after}")
        if not any(must in label for label in after):
            problems.append(f"the {kind} path never says {must!r}: {after}")
    description = figure.select_one("svg.diagram__svg--light desc").get_text(" ")
    if not any(words_["described_nowhere"] in s for s in sentences(description) if words_["post"] in s):
        problems.append(f"the text alternative does not say {words_['described_nowhere']!r} where it describes POST")
    if words_["edge_only"] not in description:
        problems.append(f"the text alternative does not say {words_['edge_only']!r} for the skip path")
    assert not problems, "\n".join(problems)


# The table rows that each layer of the service-types diagram stands for, found by the words of the layer's label.
LAYER_ROWS = {
    "ko": [("코드", "애플리케이션 코드"), ("스키마", "애플리케이션 코드"), ("데이터", "데이터와 접근 권한"), ("권한", "데이터와 접근 권한"),
           ("실행 역할", "데이터와 접근 권한"), ("확장", "확장·고가용성"), ("백업", "백업"), ("런타임", "런타임·미들웨어"),
           ("DB 엔진", "런타임·미들웨어"), ("게스트 OS", "게스트 OS·패치"), ("가상화", "가상화"), ("하드웨어", "물리적 인프라"),
           ("시설", "물리적 인프라")],
    "en": [("code", "Application code"), ("schema", "Application code"), ("data", "Data and access permissions"),
           ("permissions", "Data and access permissions"), ("execution role", "Data and access permissions"),
           ("scaling", "Scaling and high availability"), ("backups", "Backups"), ("runtime", "Runtime and middleware"),
           ("db engine", "Runtime and middleware"), ("guest os", "Guest OS and patches"), ("virtualization", "Virtualization"),
           ("hardware", "Physical infrastructure"), ("facilities", "Physical infrastructure")],
}
OWNERS = {"ko": {"고객", "aws", "공동"}, "en": {"customer", "aws", "shared"}}


@pytest.mark.parametrize("lang", LANGS)
def test_service_types_diagram_agrees_with_its_table_and_its_layers_line_up(site, lang):
    """Reader test 2 #15: the diagram said "AWS" where the table says shared, and its columns' layers did not line up."""
    content = article(site, lang, "service-types/")
    table = content.find("h2", id="who-manages-what").find_next("table")
    rows = {tr.td.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")[1:]]
            for tr in table.tbody.find_all("tr")}
    nodes, _, centres = diagram_graph(content.select_one("figure.diagram"))
    columns = sorted({round(x) for x, _ in centres.values()})
    assert len(columns) == 3, f"expected three columns (EC2, RDS, Lambda), found nodes at x = {columns}"
    problems = []
    for node_id, label in nodes.items():
        layer, _, owner = label.rpartition(":")
        owner = (owner.split() or [""])[0].lower()
        column = columns.index(round(centres[node_id][0]))
        matched = {row for word, row in LAYER_ROWS[lang] if word.lower() in layer.lower()}
        if owner not in OWNERS[lang] or not matched:
            problems.append(f"{label!r}: no 'layer: owner' label the table explains")
        for row in sorted(matched):
            cell_owner = rows[row][column].split()[0].lower()
            if cell_owner in OWNERS[lang] and cell_owner != owner:
                problems.append(f"{label!r} (column {column + 1}) says {owner!r}; the table's {row!r} says {rows[row][column]!r}")
    heights = [sorted(y for x, y in centres.values() if round(x) == c) for c in columns]
    if len({len(h) for h in heights}) != 1:
        problems.append(f"the columns hold {[len(h) for h in heights]} layers")
    layers = enumerate(zip(*heights, strict=True), 1)
    problems += [f"layer {n} is drawn at different heights {ys}" for n, ys in layers if max(ys) - min(ys) > 2]
    assert not problems, "\n".join(problems)


# --- one path through the site, one title per page -----------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_what_to_read_next_begins_with_the_next_page_of_the_reading_path(site, lang):
    problems, base = [], "/" + LANGS[lang]
    for page_path, next_path in pairwise(TOPIC_PAGES):
        first = article(site, lang, page_path).find("h2", id="next-steps").find_next_sibling("ul").find("a")
        target = urlsplit(urljoin(base + page_path, first["href"])).path
        if target != base + next_path:
            problems.append(f"/{page_path}: what to read next begins with {target}, the reading path goes on to {base}{next_path}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_each_topic_page_has_one_title_in_its_heading_the_navigation_the_cards_and_the_reading_path(site, lang):
    """Review 2 #42: "AWS 인프라" in the navigation, cards and reading path; "AWS 글로벌 인프라" on the page."""
    soup = site.soup(lang, "")
    home, nav = article(site, lang, ""), soup.select_one("nav.md-nav--primary")
    base = "/" + LANGS[lang]
    problems = []
    for page_path in TOPIC_PAGES:
        title = article(site, lang, page_path).h1.get_text(" ", strip=True)

        def names(links, page=page_path):
            return {a.get_text(" ", strip=True) for a in links if a.get("href") is not None
                    and urlsplit(urljoin(base, a["href"])).path == base + page and not urlsplit(a["href"]).fragment}

        found = {"card": names(home.select(".grid.cards a")),
                 "reading path": names(home.find("h2", id="reading-path").find_next_sibling("ol").find_all("a")),
                 "navigation": names(nav.select("a.md-nav__link"))}
        problems += [f"/{page_path}: the {where} calls it {sorted(got)}, its heading {title!r}"
                     for where, got in found.items() if got != {title}]
    assert not problems, "\n".join(problems)
