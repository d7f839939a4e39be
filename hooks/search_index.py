"""Search: attaches each glossary term's names (Korean, English, abbreviation, aliases) and each concept's words
(data/concepts.yml) to the page and section that explain them, lists them in the index config for the worker
(search-korean.js: corrections, 초성, the page and section to rank first), and ships the everyday words that the worker
must never correct into a site word (data/common_words.*.txt)."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import sys
from html import escape
from html.parser import HTMLParser

import yaml
from mkdocs.exceptions import PluginError

from glossary import load_terms

KEYWORDS_BOOST = 300  # between text (1) and title (1000): the explaining page outranks pages that merely mention a term
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import cache_entries  # noqa: E402  (scripts/cache_entries.py: entries written atomically, checked when read)

CONCEPTS = os.path.join(ROOT, "data", "concepts.yml")
COMMON_WORDS = {lang: os.path.join(ROOT, "data", f"common_words.{lang}.txt") for lang in ("en", "ko")}
CACHE = os.environ.get("SEARCH_CACHE") or os.path.join(ROOT, ".cache", "search")  # the everyday words near each site's
log = logging.getLogger("mkdocs.hooks.search_index")
WORD = re.compile(r"[^\W_]+")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def term_names(term: dict) -> list[str]:
    """Every name a reader may type for a term."""
    aliases = term.get("aliases", {})
    names = [term["ko"], term["en"], term.get("abbr", "")] + aliases.get("ko", []) + aliases.get("en", [])
    return [n for n in names if n]


def page_path(src_uri: str) -> str:
    """The site path a Markdown file builds to: "index.md" -> "", "infrastructure/index.md" -> "infrastructure/",
    "interfaces.md" -> "interfaces/" (the other hooks call this too)."""
    stem = src_uri.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def location(page_ref: str) -> tuple[str, str]:
    """Maps "infrastructure/regions.md#latency" to the index locations ("infrastructure/regions/", "...#latency")."""
    path, _, anchor = page_ref.partition("#")
    url = page_path(path)
    return url, f"{url}#{anchor}" if anchor else url


def load_concepts(path: str = CONCEPTS) -> list[dict]:
    """data/concepts.yml, checked: id, page and words of both languages; no concept word that is a glossary name."""
    where = os.path.relpath(path, ROOT)
    try:
        with open(path, encoding="utf-8") as f:
            concepts = yaml.safe_load(f) or []
    except (OSError, yaml.YAMLError) as error:
        raise PluginError(f"{where}: {error}") from error
    glossary = {normal(name): term["id"] for term in load_terms() for name in term_names(term)}
    seen: set[str] = set()
    for concept in concepts:
        name = concept.get("id") if isinstance(concept, dict) else None
        words = concept.get("words") if name else None
        if not name or not concept.get("page") or not isinstance(words, dict) or not all(words.get(lang) for lang in ("ko", "en")):
            raise PluginError(f"{where}: concept {name or concept!r} needs an id, a page and words for ko and en")
        if name in seen:
            raise PluginError(f"{where}: concept {name!r} appears twice")
        seen.add(name)
        for word in words["ko"] + words["en"]:
            if normal(word) in glossary:
                raise PluginError(f"{where}: concept {name!r}: {word!r} is a name of glossary term "
                                  f"{glossary[normal(word)]!r} (data/glossary.yml); keep it in one place")
    return concepts


def normal(name: str) -> str:
    """A name as compared: lower case, without spaces or punctuation."""
    return "".join(WORD.findall(str(name).lower()))


# ---- everyday words ------------------------------------------------------------------------------------------------
LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
TAILS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
TWO_KEYS = {"ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ",
            "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ", "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ"}


# Each syllable (and each two-key jamo) to its keystrokes, for str.translate: the build spells ~60,000 everyday words.
KEYSTROKES = {**{ord(j): keys for j, keys in TWO_KEYS.items()},
              **{0xAC00 + n: "".join(TWO_KEYS.get(j, j) for j in (LEADS[n // 588], VOWELS[n // 28 % 21], TAILS[n % 28]))
                 for n in range(11172)}}


def spelled(word: str) -> str:
    """A word as the worker compares it: Hangul as its 두벌식 keystrokes (가용 -> ㄱㅏㅇㅛㅇ), other words as they are."""
    return word.translate(KEYSTROKES)


def tolerance(word: str) -> int:
    """Edits the worker forgives in a query word (search-korean.js `tolerance`, kept in step by a mechanism test)."""
    n = len(spelled(word))
    return (0 if n < 7 else 1 if n < 13 else 2) if HANGUL.search(word) else (0 if n < 5 else 1 if n < 9 else 2)


def deletions(text: str, depth: int) -> set[str]:
    """Every string made by deleting up to `depth` characters (symmetric-deletion candidates for an edit distance)."""
    out = frontier = {text}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out = out | frontier
    return out


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (the worker's)."""
    prev2, prev = [], list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            d = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d = min(d, prev2[j - 2] + 1)
            row.append(d)
        prev2, prev = prev, row
    return prev[-1]


@functools.cache
def common_words(path: str) -> tuple[str, ...]:
    """The words of one data/common_words.*.txt (read once per process: both languages' builds read both files)."""
    with open(path, encoding="utf-8") as f:
        return tuple(line.strip() for line in f if line.strip() and not line.startswith("#"))


def near_common_words(site_words: set[str], targets: set[str]) -> list[str]:
    """The everyday words (data/common_words.*.txt) that the site never uses but that are within the worker's correction
    distance of a word it could correct to (`targets`): the only ones the worker needs to know."""
    return [word for word in _near(frozenset(targets)) if word not in site_words]


@functools.lru_cache(maxsize=4)  # per language; `mkdocs serve` rebuilds after an edit of the text reuse it
def _near(targets: frozenset[str]) -> tuple[str, ...]:
    """_near_words(targets), kept in the build cache (by the targets, both word lists and this file: 40 % of a build)."""
    key = hashlib.sha256("\n".join(sorted(targets)).encode())
    for part in (__file__, *COMMON_WORDS.values()):
        with open(part, "rb") as f:
            key.update(f.read())
    path = os.path.join(CACHE, key.hexdigest() + ".json")
    if (data := cache_entries.read(path)) is not None:
        words, problem = cache_entries.json_problem(
            data, lambda v: None if isinstance(v, list) and all(isinstance(w, str) for w in v) else "not a list of words")
        if problem is None:
            return tuple(words)
        log.info("Cache entry %s (everyday words for search) is damaged, %s: finding them again", path, problem)
    near = _near_words(targets)
    try:
        cache_entries.write(path, json.dumps(near, ensure_ascii=False).encode(), setting="SEARCH_CACHE")
    except cache_entries.CacheError as error:
        raise PluginError(str(error)) from None
    return near


def _near_words(targets: frozenset[str]) -> tuple[str, ...]:
    """Every everyday word within the worker's correction distance of one of `targets` (symmetric deletion)."""
    found = {}
    for target in targets:
        for key in deletions(spelled(target), 2):
            found.setdefault(key, set()).add(spelled(target))
    near = []
    for path in COMMON_WORDS.values():
        for word in common_words(path):
            if not (edits := tolerance(word)):
                continue
            keys = spelled(word)
            candidates = set().union(*(found.get(k, ()) for k in deletions(keys, edits)))
            if any(abs(len(c) - len(keys)) <= edits and distance(keys, c) <= edits for c in candidates):
                near.append(word)
    return tuple(near)


# ---- tables in teasers ---------------------------------------------------------------------------------------------
class _Rows(HTMLParser):
    """The rows of a table as lists of cell HTML (inline tags kept as Material's index keeps them: code only)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "code" and self.cell is not None:
            self.cell.append("<code>")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "code" and self.cell is not None:
            self.cell.append("</code>")

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(escape(data, quote=False))


TABLE = re.compile(r"<table\b.*?</table>", re.S)
_tables: dict[tuple[str, str], list[list[list[str]]]] = {}  # (site dir, page location) -> its tables' rows


def on_page_content(html, page, config, **kwargs):
    """Remembers each table's rows, so that a search teaser shows a table row by row instead of as run-on text."""
    tables = []
    for match in TABLE.finditer(html):
        rows = _Rows()
        rows.feed(match[0])
        tables.append([row for row in rows.rows if any(row)])
    _tables[config.site_dir, page.url] = tables
    return html


def _table_rows(text: str, tables: list[list[list[str]]]) -> str:
    """Replaces each table's run-on text (cells joined by spaces, as Material indexes them) with one line per row."""
    for rows in tables:
        flat = " ".join(cell for row in rows for cell in row if cell)
        if flat and flat in text:
            text = text.replace(flat, "".join(f"<p>{' · '.join(c for c in row if c)}</p>" for row in rows), 1)
    return text


# ---- the index -----------------------------------------------------------------------------------------------------
def on_post_build(config, **kwargs):
    """Rewrites search/search_index.json: a `keywords` field on the docs that explain each glossary term and concept,
    tables row by row, and the config the worker reads (names, their sections, everyday words near the site's words)."""
    index_path = os.path.join(config.site_dir, "search", "search_index.json")
    with open(index_path, encoding="utf-8") as f:
        index = json.load(f)
    docs = {doc["location"]: doc for doc in index["docs"]}
    named = [(f"data/glossary.yml: term {term['id']!r}", term["page"], term_names(term), {}) for term in load_terms()]
    named += [(f"data/concepts.yml: concept {c['id']!r}", c["page"], c["words"]["ko"] + c["words"]["en"], {"concept": 1})
              for c in load_concepts()]
    glossary = []
    for where, page_ref, names, kind in named:
        page, section = location(page_ref)
        glossary.append({"location": page, "section": section, "names": names, **kind})
        for target in dict.fromkeys((page, section)):
            if target not in docs:
                raise PluginError(f"{where} points at {page_ref}, which is not in the search index")
            docs[target]["keywords"] = " ".join(filter(None, [docs[target].get("keywords"), *names]))
    for doc in index["docs"]:
        tables = _tables.get((config.site_dir, doc["location"].split("#")[0]), [])
        if tables and "<" not in doc["title"]:
            doc["text"] = _table_rows(doc["text"], tables)
    site_words, targets = set(), set()
    for doc in index["docs"]:
        for field in ("title", "keywords", "text"):
            words = WORD.findall(re.sub(r"<[^>]+>", " ", doc.get(field, "")).lower())
            site_words.update(words)
            if field != "text":
                targets.update(words)
                targets.add(normal(re.sub(r"<[^>]+>", "", doc.get(field, ""))) if field == "title" else "")
    targets.update(normal(name) for entry in glossary for name in entry["names"])
    index["config"]["fields"]["keywords"] = {"boost": KEYWORDS_BOOST}
    index["config"]["glossary"] = glossary  # Material passes config on to the worker as it is
    index["config"]["common"] = near_common_words(site_words, targets - {""})
    with open(index_path, "w", encoding="utf-8") as f:
        json.dump(index, f, ensure_ascii=False, separators=(",", ":"))
