"""Glossary: data/glossary.yml rendered as the glossary page, and as abbreviation tooltips at first use per section."""

from __future__ import annotations

import html
import os
import re
from functools import lru_cache

import yaml
from mkdocs.exceptions import PluginError

from page_meta import https_url  # the URL check every hook uses for values that reach HTML

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLOSSARY = os.path.join(ROOT, "data", "glossary.yml")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, ten times faster, where PyYAML has it
DOCS = {"ko": os.path.join(ROOT, "docs"), "en": os.path.join(ROOT, "docs", "en")}
MARKER = "<!-- glossary-table -->"
REQUIRED = ("id", "ko", "en", "page", "definition", "aws_docs")
LABELS = {
    "ko": {"head": ("용어", "정의"), "page": "설명:", "page_name": "{} 페이지", "docs": "AWS 문서", "related": "함께 보기:"},
    "en": {"head": ("Term", "Definition"), "page": "Explained on:", "page_name": "{} page", "docs": "AWS docs",
           "related": "See also:"},
}
# Tags whose text never gets a tooltip: code, headings, link text, the term being defined, existing <abbr>, diagrams.
SKIP_TAGS = re.compile(r"<(/?)(code|pre|script|style|abbr|textarea|title|svg|dfn|a|h[1-6])\b", re.I)
SECTION_START = re.compile(r"<h2\b", re.I)
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # an anchor on the glossary page (tests/url_contract.yml)
ABBR = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+/-]*")
AWS_DOCS_HOSTS = ("docs.aws.amazon.com", "aws.amazon.com")


def _fail(path: str, line: int | None, message: str):
    raise PluginError(f"{path}{f':{line}' if line else ''}: {message}")


def _page_title(lang: str, page_ref: str, where: str, line: int) -> str:
    """The h1 of the page a term points at, after checking that the page and its #section exist."""
    path, _, anchor = page_ref.partition("#")
    source = os.path.join(DOCS[lang], path)
    if not os.path.isfile(source):
        _fail(where, line, f"page {page_ref!r}: {os.path.relpath(source, ROOT)} does not exist")
    with open(source, encoding="utf-8") as f:
        text = f.read()
    if anchor and not re.search(rf"\{{[^}}]*#{re.escape(anchor)}\b[^}}]*\}}", text):
        _fail(where, line, f"page {page_ref!r}: no section {{ #{anchor} }} in {os.path.relpath(source, ROOT)}")
    h1 = re.search(r"^# (.+?)\s*(\{[^}]*\})?\s*$", text, re.M)
    return html.escape(h1.group(1) if h1 else path)  # shown as text, whatever markup the heading holds


def tooltip(term: dict, lang: str) -> str:
    """What an abbreviation stands for: "가용 영역(Availability Zone)" on Korean pages, "Availability Zone" on English."""
    expansion = term["expansion"]
    return f"{expansion['ko']}({expansion['en']})" if lang == "ko" and expansion.get("ko") else expansion["en"]


def _check(term: dict, where: str, line: int, seen: dict[str, int]):
    """Names the file, line and term for anything a reader would see broken."""
    name = term.get("id", "?")
    for key in REQUIRED:
        if not term.get(key):
            _fail(where, line, f"term {name!r} has no {key!r}")
    if not isinstance(name, str) or not ID.fullmatch(name):
        _fail(where, line, f"term {name!r}: id must be lowercase letters, digits and single hyphens (an anchor)")
    if "abbr" in term and not (isinstance(term["abbr"], str) and ABBR.fullmatch(term["abbr"])):
        _fail(where, line, f"term {name!r}: abbr {term['abbr']!r} must be letters and digits (with . + / -)")
    for key in ("definition", "aws_docs"):
        for lang in ("ko", "en"):
            if not str(term[key].get(lang, "")).strip():
                _fail(where, line, f"term {name!r} has no {key}.{lang}")
        if key == "definition" and not all(term[key][lang].rstrip().endswith(".") for lang in ("ko", "en")):
            _fail(where, line, f"term {name!r}: each definition is at least one full sentence ending in '.'")
    for lang in ("ko", "en"):
        https_url(term["aws_docs"][lang], f"{where}:{line}", f"term {name!r}: aws_docs.{lang}", hosts=AWS_DOCS_HOSTS)
    if not re.search(r"/(ko_kr|ko)/", term["aws_docs"]["ko"]):
        _fail(where, line, f"term {name!r}: aws_docs.ko should be AWS's Korean page (/ko_kr/ docs or /ko/)")
    if "abbr" in term:
        if not term.get("expansion", {}).get("en"):
            _fail(where, line, f"term {name!r}: abbr {term['abbr']!r} needs expansion.en (what the letters stand for)")
        for lang in ("ko", "en"):
            title = tooltip(term, lang)
            if term["abbr"] in title or (lang == "ko" and term["expansion"].get("ko") == term["expansion"]["en"]):
                _fail(where, line, f"term {name!r}: tooltip {title!r} repeats {term['abbr']!r}; give the expansion")
    for key in [term["id"], *(["abbr:" + term["abbr"]] if "abbr" in term else [])]:
        if key in seen:
            _fail(where, line, f"{key!r} appears twice (first at line {seen[key]})")
        seen[key] = line


@lru_cache(maxsize=1)
def load_terms(path: str = GLOSSARY) -> tuple[dict, ...]:
    """Reads and checks the glossary; every problem names the file, the line and the term."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        nodes = yaml.compose(text, Loader=SAFE_LOADER)
        terms = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        raise PluginError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(terms, list) or nodes is None:
        _fail(path, None, "expected a list of terms")
    seen: dict[str, int] = {}
    ids = {t.get("id") for t in terms if isinstance(t, dict)}
    for term, node in zip(terms, nodes.value, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(term, dict):
            _fail(path, line, "each term is a mapping with id, ko, en, page, definition, aws_docs")
        _check(term, path, line, seen)
        for lang in ("ko", "en"):
            term.setdefault("_page_title", {})[lang] = _page_title(lang, term["page"], path, line)
        if unknown := [r for r in term.get("related", []) if r not in ids]:
            _fail(path, line, f"term {term['id']!r}: related {unknown} are not glossary ids")
    return tuple(terms)


def _sort_key(term: dict, lang: str) -> tuple:
    """Korean names in 가나다 order first, then Latin names by what follows "Amazon"/"AWS"."""
    name = term[lang]
    bare = re.sub(r"^(Amazon|AWS) ", "", name).lower()
    return (lang == "ko" and not re.match(r"[가-힣]", name), bare)


def _names(term: dict, lang: str) -> str:
    """The line under a term: the other language's name or a Korean gloss, and the abbreviation with its expansion."""
    other = "en" if lang == "ko" else "ko"
    parts = []
    if term[other] != term[lang]:
        parts.append(f'<span lang="{other}">{html.escape(term[other])}</span>')
    elif lang == "ko" and term.get("gloss"):
        parts.append(html.escape(term["gloss"]))
    if abbr := term.get("abbr"):
        spelled = term["expansion"]["en"].lower() in term["en"].lower()
        parts.append(html.escape(abbr if spelled else f"{abbr}: {tooltip(term, lang)}"))
    return " · ".join(parts)


def _label(text: str) -> str:
    return f'<span class="glossary-label">{text}</span>'


def _table(lang: str) -> str:
    """The glossary as a two-column Markdown table; hooks move each <dfn>'s id to its row."""
    label = LABELS[lang]
    terms = load_terms()
    by_id = {t["id"]: t for t in terms}
    rows = [f"| {' | '.join(label['head'])} |", "|---|---|"]
    for term in sorted(terms, key=lambda t: _sort_key(t, lang)):
        names = _names(term, lang)
        head = f'<dfn id="{html.escape(term["id"])}">{html.escape(term[lang])}</dfn>'
        if names:
            head += f'<span class="glossary-names">{names}</span>'
        page = label["page_name"].format(term["_page_title"][lang])
        links = f'{_label(label["page"])} [{page}]({term["page"]}) · [{label["docs"]}]({term["aws_docs"][lang]})'
        if term.get("related"):
            related = ", ".join(f"[{html.escape(by_id[r][lang])}](#{r})" for r in term["related"])
            links += f' · {_label(label["related"])} {related}'
        body = html.escape(term["definition"][lang]) + f'<span class="glossary-links">{links}</span>'
        rows.append(f"| {head} | {body.replace('|', '&#124;')} |")
    return '<div class="glossary" markdown>\n\n' + "\n".join(rows) + "\n\n</div>"


def on_page_markdown(markdown, page, config, **kwargs):
    """Replaces the marker on the glossary page with the table in this build's language."""
    if MARKER in markdown:
        return markdown.replace(MARKER, _table(config.extra["site_lang"]))
    return markdown


@lru_cache(maxsize=2)
def _abbreviations(lang: str) -> tuple[re.Pattern, dict[str, str]]:
    titles = {t["abbr"]: tooltip(t, lang) for t in load_terms() if "abbr" in t}
    names = "|".join(re.escape(a) for a in sorted(titles, key=len, reverse=True))
    # ASCII boundaries only: a Korean particle may follow directly (AZ는, EC2를, SDK로).
    return re.compile(rf"(?<![A-Za-z0-9])({names})(?![A-Za-z0-9])"), titles


def on_page_content(html_text, page, config, **kwargs):
    """Marks each abbreviation's first use per section (h2) with <abbr title>, outside headings, links and code."""
    pattern, titles = _abbreviations(config.extra["site_lang"])
    html_text = re.sub(r'<tr>(\s*<td[^>]*>\s*)<dfn id="([^"]+)">', r'<tr id="\2">\1<dfn>', html_text)
    parts = re.split(r"(<[^>]+>)", html_text)
    depth, marked = 0, set()

    def mark(match):
        abbr = match.group(1)
        if abbr in marked:
            return abbr
        marked.add(abbr)
        return f'<abbr title="{html.escape(titles[abbr])}">{abbr}</abbr>'

    for i, part in enumerate(parts):
        if part.startswith("<"):
            if SECTION_START.match(part):
                marked = set()
            skip = SKIP_TAGS.match(part)
            if skip and not part.endswith("/>"):
                depth += -1 if skip.group(1) else 1
        elif depth == 0 and part:
            parts[i] = pattern.sub(mark, part)
    return "".join(parts)
