"""Checks on a built site that tests (and the fault tests, on a broken copy) share; each returns problems naming the source file."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

LANG_DIRS = {"ko": ("", "docs/"), "en": ("en/", "docs/en/")}  # site sub-folder, docs folder


def source_file(lang: str, page: str) -> str:
    """The Markdown file a page is built from: "" → index.md, "infrastructure/" → infrastructure/index.md."""
    folder = LANG_DIRS[lang][1]
    if page == "":
        return folder + "index.md"
    stem = page.rstrip("/")
    return folder + (f"{stem}/index.md" if stem == "infrastructure" else f"{stem}.md")


class _Ids(HTMLParser):
    """Collects heading ids and glossary-entry ids (on the <tr> of each term), and headings that have none."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.missing = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            if attrs.get("id"):
                self.ids.append(attrs["id"])
            else:
                self.missing += 1
        elif tag == "tr" and attrs.get("id"):
            self.ids.append(attrs["id"])


def page_ids(html: str) -> tuple[list[str], int]:
    """Returns the ids of a page's article headings and glossary entries, and how many headings lack one."""
    article = html.split('<article class="md-content__inner md-typeset">', 1)[-1].split("</article>", 1)[0]
    parser = _Ids()
    parser.feed(article)
    return parser.ids, parser.missing


def _chapter_id(page: str, heading_id: str) -> str:
    """A page's heading id inside the print packet: its chapter's slug, two hyphens, then the id (interfaces--aws-cli)."""
    return page.strip("/").replace("/", "-") + "--" + heading_id


def contract_problems(site_dir: Path, contract: dict) -> list[str]:
    """Compares a built site with the committed URL contract: every page exists in both languages with exactly its ids."""
    problems = []
    for page, ids in contract["pages"].items():
        for lang, (sub, _) in LANG_DIRS.items():
            where = source_file(lang, page)
            html_file = site_dir / sub / page / "index.html"
            if not html_file.exists():
                problems.append(f"{where}: page /{sub}{page} is in the URL contract but was not built")
                continue
            found, missing = page_ids(html_file.read_text(encoding="utf-8"))
            if missing:
                problems.append(f"{where}: {missing} heading(s) without an id")
            if bad := [i for i in found if re.fullmatch(r"_\d+", i)]:
                problems.append(f"{where}: generated ids {bad}: give every heading an explicit {{ #id }}")
            if lost := [i for i in ids if i not in found]:
                problems.append(f"{where}: ids in the URL contract are gone: {lost} (ids never move; keep them)")
            if new := [i for i in found if i not in ids]:
                problems.append(f"{where}: ids not in tests/url_contract.yml yet: {new} (add them there)")
    for page, ids in contract.get("packets", {}).items():
        for sub, folder in LANG_DIRS.values():
            html_file = site_dir / sub / page / "index.html"
            if not html_file.exists():
                problems.append(f"{folder}{page.rstrip('/')}.md: packet /{sub}{page} is in the URL contract but was not built")
                continue
            found = set(re.findall(r'\sid="([^"]+)"', html_file.read_text(encoding="utf-8")))
            expected = set(ids) | {_chapter_id(p, i) for p, page_ids_ in contract["pages"].items() if p and p != "glossary/"
                                   for i in page_ids_ if i != "next-steps"}
            if lost := sorted(expected - found):
                problems.append(f"{folder}{page.rstrip('/')}.md: ids in the URL contract are gone from the packet: {lost[:8]}")
    for old, new in contract.get("redirects", {}).items():
        for sub, _ in LANG_DIRS.values():
            if not (site_dir / sub / old / "index.html").exists():
                problems.append(f"mkdocs.yml: moved page /{sub}{old} has no redirect to {new}")
    return problems
