"""The fenced code blocks and inline code of the site's Markdown pages, read in page order with their line, title and section."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*)$")
HEADING = re.compile(r"^(?P<level>#{2,6}) .*\{ *#(?P<id>[\w-]+) *\}[ \t]*$")
TITLE = re.compile(r'\btitle="(?P<title>[^"]*)"')
INLINE_CODE = re.compile(r"(?<!`)`(?P<code>[^`\n]+)`(?!`)")
SHELL = {"bash", "sh", "shell", "console"}


@dataclass(frozen=True)
class Block:
    """One fenced code block: where it is, what it is, and its code with the fence's indentation removed."""

    page: str  # path from the project root, e.g. docs/interfaces.md
    line: int  # line of the first code line (1-based)
    lang: str
    title: str | None  # the file name a titled block stands for (title="orders.yaml")
    section: str  # id of the h2 it sits under ("" before the first h2)
    subsection: str | None  # id of the h3 it sits under, if any
    text: str

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def is_shell(self) -> bool:
        return self.lang in SHELL


@dataclass(frozen=True)
class InlineCode:
    """One `inline code` span of the prose (outside fenced blocks)."""

    page: str
    line: int
    section: str
    text: str


def relative(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def site_pages() -> list[Path]:
    """Every Markdown page of both languages (docs/ and docs/en/)."""
    return sorted(DOCS.rglob("*.md"))


def _scan(path: Path):
    """Yields ("block", Block) and ("line", (number, text, section)) for a page, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    page, section, subsection = relative(path), "", None
    index = 0
    while index < len(lines):
        line = lines[index]
        if heading := HEADING.match(line):
            if len(heading["level"]) == 2:
                section, subsection = heading["id"], None
            elif len(heading["level"]) == 3:
                subsection = heading["id"]
        fence = FENCE.match(line)
        if not fence:
            yield "line", (index + 1, line, section)
            index += 1
            continue
        indent, marker, info = fence["indent"], fence["fence"], fence["info"].strip()
        body, index = [], index + 1
        start = index + 1
        closing = re.compile(rf"^[ \t]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
        while index < len(lines) and not closing.match(lines[index]):
            body.append(lines[index][len(indent):] if lines[index].startswith(indent) else lines[index].lstrip())
            index += 1
        index += 1  # the closing fence
        lang = info.strip("{ }").split()[0].lstrip(".") if info.strip("{ }") else ""
        title = match["title"] if (match := TITLE.search(info)) else None
        text = textwrap.dedent("\n".join(body)) + "\n"
        yield "block", Block(page, start, lang, title, section, subsection, text)


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a page, in page order."""
    return [item for kind, item in _scan(path) if kind == "block"]


def inline_code(path: Path) -> list[InlineCode]:
    """The inline code spans of a page's prose (fenced blocks excluded), in page order."""
    spans = []
    for kind, item in _scan(path):
        if kind == "line":
            number, text, section = item
            spans += [InlineCode(relative(path), number, section, m["code"]) for m in INLINE_CODE.finditer(text)]
    return spans


def twin(path: Path) -> Path:
    """The English page of a Korean page (docs/x.md -> docs/en/x.md)."""
    return DOCS / "en" / path.relative_to(DOCS)


def korean_pages() -> list[Path]:
    return [p for p in site_pages() if not p.is_relative_to(DOCS / "en")]


def without_comments(block: Block) -> list[str]:
    """The block's code lines with comments and blank lines removed, to compare a page with its translation."""
    kept = []
    for line in block.text.splitlines():
        quote, cut = None, len(line)
        for position, char in enumerate(line):
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#" and (position == 0 or line[position - 1] in " \t") and block.lang != "json":
                cut = position
                break
        if stripped := line[:cut].rstrip():
            kept.append(stripped)
    return kept
