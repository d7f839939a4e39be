"""Glossary: data/glossary.yml rendered as the glossary page's table, and as hover tooltips for abbreviations on every page."""

from __future__ import annotations

import html
import os
import re
from functools import lru_cache

import yaml
from mkdocs.exceptions import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLOSSARY = os.path.join(ROOT, "data", "glossary.yml")
MARKER = "<!-- glossary-table -->"
HEADERS = {
    "ko": ("용어", "영어", "약어", "정의", "자세히"),
    "en": ("Term", "Korean", "Abbreviation", "Definition", "Read more"),
}
LINK_LABELS = {"ko": ("설명 페이지", "AWS 문서"), "en": ("Explained in", "AWS docs")}
SKIP_TAGS = re.compile(r"<(/?)(code|pre|script|style|abbr|textarea|title|svg)\b", re.I)


@lru_cache(maxsize=1)
def load_terms(path: str = GLOSSARY) -> tuple[dict, ...]:
    """Reads and checks the glossary: unique ids and abbreviations, both languages present."""
    with open(path, encoding="utf-8") as f:
        terms = yaml.safe_load(f)
    seen: set[str] = set()
    for term in terms:
        for key in ("id", "ko", "en", "page", "definition", "aws_docs"):
            if key not in term:
                raise PluginError(f"{path}: term {term.get('id', term)!r} has no {key!r}")
        for key in [term["id"], "abbr:" + term.get("abbr", term["id"])]:
            if key in seen:
                raise PluginError(f"{path}: {key!r} appears twice")
            seen.add(key)
    return tuple(terms)


def _table(lang: str) -> str:
    """The glossary as a Markdown table in one language; each term is a <dfn> with the term's id."""
    head = HEADERS[lang]
    page_label, docs_label = LINK_LABELS[lang]
    other = "en" if lang == "ko" else "ko"
    key = (lambda t: t["ko"]) if lang == "ko" else (lambda t: t["en"].lower())
    rows = [f"| {' | '.join(head)} |", "|" + "---|" * len(head)]
    for term in sorted(load_terms(), key=key):
        cells = [
            f'<dfn id="{term["id"]}">{html.escape(term[lang])}</dfn>',
            html.escape(term[other]),
            html.escape(term.get("abbr", "")),
            html.escape(term["definition"][lang]).replace("|", "&#124;"),
            f'[{page_label}]({term["page"]}) · [{docs_label}]({term["aws_docs"][lang]})',
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, **kwargs):
    """Replaces the marker on the glossary page with the table in this build's language."""
    if MARKER in markdown:
        return markdown.replace(MARKER, _table(config.extra["site_lang"]))
    return markdown


@lru_cache(maxsize=2)
def _tooltips(lang: str) -> tuple[re.Pattern, dict[str, str]]:
    titles = {}
    for term in load_terms():
        if "abbr" in term:
            titles[term["abbr"]] = term["en"] if lang == "en" else f'{term["ko"]} ({term["en"]})'
    names = "|".join(re.escape(a) for a in sorted(titles, key=len, reverse=True))
    # ASCII boundaries only: a Korean particle may follow directly (AZ는, EC2를, SDK로).
    return re.compile(rf"(?<![A-Za-z0-9])({names})(?![A-Za-z0-9])"), titles


def on_page_content(html_text, page, config, **kwargs):
    """Wraps each abbreviation in <abbr title> outside code, links' markup and existing <abbr>."""
    pattern, titles = _tooltips(config.extra["site_lang"])
    parts = re.split(r"(<[^>]+>)", html_text)
    depth = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            skip = SKIP_TAGS.match(part)
            if skip and not part.endswith("/>"):
                depth += -1 if skip.group(1) else 1
        elif depth == 0 and part:
            parts[i] = pattern.sub(
                lambda m: f'<abbr title="{html.escape(titles[m.group(1)])}">{m.group(1)}</abbr>', part
            )
    return "".join(parts)
