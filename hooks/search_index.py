"""Search: attaches each glossary term's names (Korean, English, abbreviation, aliases) to the page and section that explain it,
and lists them in the index config for the worker (search-korean.js: corrections, 초성, the page to rank first)."""

from __future__ import annotations

import json
import os

from mkdocs.exceptions import PluginError

from glossary import load_terms

KEYWORDS_BOOST = 300  # between text (1) and title (1000): the explaining page outranks pages that merely mention a term


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


def on_post_build(config, **kwargs):
    """Rewrites search/search_index.json: a `keywords` field on the docs that explain each glossary term."""
    index_path = os.path.join(config.site_dir, "search", "search_index.json")
    with open(index_path, encoding="utf-8") as f:
        index = json.load(f)
    docs = {doc["location"]: doc for doc in index["docs"]}
    glossary = []
    for term in load_terms():
        glossary.append({"location": location(term["page"])[0], "names": term_names(term)})
        for target in dict.fromkeys(location(term["page"])):
            if target not in docs:
                raise PluginError(f"data/glossary.yml: term {term['id']!r} points at {term['page']}, which is not in the search index")
            docs[target]["keywords"] = " ".join(filter(None, [docs[target].get("keywords"), *term_names(term)]))
    index["config"]["fields"]["keywords"] = {"boost": KEYWORDS_BOOST}
    index["config"]["glossary"] = glossary  # Material passes config on to the worker as it is
    with open(index_path, "w", encoding="utf-8") as f:
        json.dump(index, f, ensure_ascii=False, separators=(",", ":"))
