"""Markdown for assistants: each page's plain Markdown beside its HTML, and llms.txt / llms-full.txt (llms.txt convention)."""

from __future__ import annotations

import os
import posixpath
import re

from glossary import MARKER, _sort_key, load_terms
from search_index import page_path

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>```|~~~)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=mark)[ \t]*$", re.M | re.S)
ACC = re.compile(r"^\s*(accTitle|accDescr)\s*:\s*(.+?)\s*$", re.M)
HEADING_ATTRS = re.compile(r"^(#{1,6} .*?)[ \t]*\{[^}\n]*\}[ \t]*$", re.M)
BLOCK = re.compile(r'^(?:!!!|\?\?\?\+?) *[\w-]+(?: +"(?P<title>[^"]*)")? *\n(?P<body>(?:(?: {4}.*)?\n)*)', re.M)
LINK = re.compile(r"\]\((?P<target>[^)\s:#]+\.md)(?P<anchor>#[^)\s]*)?\)")
TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
ATTR_LIST = re.compile(r"\{\s*[.#:][^}\n]*\}")
WORDS = {
    "ko": {"diagram": "다이어그램", "pages": "페이지", "full": "모든 페이지를 한 파일로", "source": "원문",
           "about": "이 사이트의 각 페이지를 Markdown으로 제공합니다. 링크는 페이지별 Markdown 원문입니다.",
           "glossary": ("용어", "영어", "약어", "정의", "설명 페이지")},
    "en": {"diagram": "Diagram", "pages": "Pages", "full": "Every page in one file", "source": "Source",
           "about": "Each page of this site is available as Markdown. Each link is that page's Markdown.",
           "glossary": ("Term", "Korean", "Abbreviation", "Definition", "Explained in")},
}
_pages: dict[str, dict] = {}  # site_dir -> {"order": [src_uri], "docs": {src_uri: (title, description, url, markdown)}}


def page_url(config, src_uri: str) -> str:
    """Absolute URL of the page built from `src_uri` ("infrastructure/index.md" -> site_url + "infrastructure/")."""
    return config.site_url + page_path(src_uri)


def _glossary_table(lang: str, config) -> str:
    """The glossary as a plain Markdown table in this language, in the glossary page's order (가나다 on Korean pages)."""
    other = "en" if lang == "ko" else "ko"
    rows = [f"| {' | '.join(WORDS[lang]['glossary'])} |", "|" + "---|" * 5]
    for term in sorted(load_terms(), key=lambda t: _sort_key(t, lang)):
        where = term["page"].partition("#")
        cells = [term[lang], term[other], term.get("abbr", ""), term["definition"][lang],
                 page_url(config, where[0]) + (f"#{where[2]}" if where[2] else "")]
        rows.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(rows)


def plain_markdown(markdown: str, src_uri: str, lang: str, config) -> str:
    """The page's Markdown without site syntax: diagrams as their title and description, no ids, HTML or admonition markers."""
    markdown = markdown.replace(MARKER, _glossary_table(lang, config))
    code: list[str] = []

    def keep(match):  # code blocks pass through untouched; Mermaid diagrams become their text alternative
        if match["info"].strip() == "mermaid":
            found = dict(ACC.findall(match["body"]))
            text = f"> **{WORDS[lang]['diagram']}: {found.get('accTitle', '')}**\n>\n> {found.get('accDescr', '')}"
        else:
            text = match[0]
        code.append(text)
        return f"\0{len(code) - 1}\0"

    text = FENCE.sub(keep, markdown)
    text = BLOCK.sub(lambda m: (f"**{m['title']}**\n\n" if m["title"] else "") + re.sub(r"^ {4}", "", m["body"], flags=re.M), text)
    text = HEADING_ATTRS.sub(r"\1", text)
    text = ATTR_LIST.sub("", TAG.sub("", text))

    def absolute(match):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), match["target"]))
        return f"]({page_url(config, target)}{match['anchor'] or ''})"

    text = LINK.sub(absolute, text)
    text = re.sub(r"\0(\d+)\0", lambda m: code[int(m[1])], text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def on_nav(nav, config, files, **kwargs):
    _pages[config.site_dir] = {"order": [page.file.src_uri for page in nav.pages], "docs": {}}


def on_page_markdown(markdown, page, config, **kwargs):
    """Keeps each page's plain Markdown (this hook runs before the glossary hook fills the glossary marker)."""
    lang = config.extra["site_lang"]
    url = page_url(config, page.file.src_uri)
    body = plain_markdown(markdown, page.file.src_uri, lang, config)
    title = re.sub(r"^# ", "", body.splitlines()[0]) if body.startswith("# ") else page.title
    _pages[config.site_dir]["docs"][page.file.src_uri] = (title, page.meta.get("description", ""), url, body)
    return markdown


def on_post_build(config, **kwargs):
    """Writes <page>/index.md beside each page, then llms.txt and llms-full.txt at this language's root."""
    lang, state = config.extra["site_lang"], _pages.pop(config.site_dir)
    words, entries, full = WORDS[config.extra["site_lang"]], [], []
    for src_uri in state["order"]:
        title, description, url, body = state["docs"][src_uri]
        relative = url[len(config.site_url):] + "index.md"
        with open(os.path.join(config.site_dir, relative), "w", encoding="utf-8") as f:
            f.write(body)
        entries.append(f"- [{title}]({config.site_url}{relative}): {description}")
        full.append(f"<!-- {words['source']}: {url} -->\n\n{body}")
    other = next(x for x in config.extra["languages"] if x["lang"] != lang)
    own_prefix = next(x["prefix"] for x in config.extra["languages"] if x["lang"] == lang)
    other_root = config.site_url[: len(config.site_url) - len(own_prefix)] + other["prefix"]
    index = (f"# {config.site_name}\n\n> {config.site_description}\n\n{words['about']} "
             f"{other['name']}: {other_root}llms.txt\n\n## {words['pages']}\n\n" + "\n".join(entries) + "\n\n"
             f"## Optional\n\n- [{words['full']}]({config.site_url}llms-full.txt): llms-full.txt\n")
    with open(os.path.join(config.site_dir, "llms.txt"), "w", encoding="utf-8") as f:
        f.write(index)
    with open(os.path.join(config.site_dir, "llms-full.txt"), "w", encoding="utf-8") as f:
        f.write(f"# {config.site_name}\n\n> {config.site_description}\n\n" + "\n\n---\n\n".join(full))
