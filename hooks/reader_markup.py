"""Markup a reader needs that Markdown cannot write, added to each built page's article: comparison tables labelled to
become cards on narrow screens, no line break after ")" before a Korean particle or inside a hyphenated code identifier,
heading permalinks kept out of the accessibility tree and the tab order, and each abbreviation's first tooltip
(hooks/glossary.py) a keyboard and touch stop that shows its expansion. Runs after search indexing (on_post_page),
so search and the page's Markdown see the text unchanged."""

from __future__ import annotations

import html
import re

ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.S)
TABLE = re.compile(r"<table>(.*?)</table>", re.S)
CELL_TAG = re.compile(r"<(/?)(t[hd]|tr|thead|tbody)\b[^>]*>")
TAG = re.compile(r"(<[^>]+>)")
SKIP = re.compile(r"<(/?)(pre|code|script|style|svg|textarea)\b", re.I)  # their text is left as it is
HANGUL = re.compile(r"[\uac00-\ud7a3]")
WORD_JOINER = "\u2060"  # invisible; forbids a line break on either side
HEADERLINK = '<a class="headerlink" '
ABBR = re.compile(r'<abbr title="[^"]*">([^<]+)</abbr>')


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("¶", "").strip()


def label_table(table: str) -> str:
    """A table of three columns or more: data-cards on the table, and each body cell's column name as data-label."""
    head = re.search(r"<thead>(.*?)</thead>", table, re.S)
    names = [_text(th) for th in re.findall(r"<th\b[^>]*>(.*?)</th>", head[1], re.S)] if head else []
    if len(names) < 3:
        return f"<table>{table}</table>"
    column, out, last = 0, [], 0
    for tag in CELL_TAG.finditer(table):
        out.append(table[last:tag.end()])
        last = tag.end()
        closing, name = tag[1], tag[2]
        if name == "tr" and not closing:
            column = 0
        elif name == "td" and not closing:
            if column < len(names):
                out[-1] = tag[0][:-1] + f' data-label="{html.escape(names[column])}">'
            column += 1
    out.append(table[last:])
    return f"<table data-cards>{''.join(out)}</table>"


def keep_together(article: str) -> str:
    """A Korean particle kept on the line of the ")" or "]" before it: both in one nowrap span, or, where a tag comes
    between them (<a>리전(Region)</a>이라는), a word joiner; hyphenated words in inline code kept on one line. Text in
    code blocks, scripts and SVG is left alone."""
    parts = TAG.split(article)
    depth, code, last = 0, 0, ""
    for i, part in enumerate(parts):
        if part.startswith("<"):
            skip = SKIP.match(part)
            if skip and not part.endswith("/>"):
                step = -1 if skip[1] else 1
                depth += step
                if skip[2].lower() == "code":
                    code += step
            elif re.match(r"</?(p|li|td|th|div|h[1-6]|br|dd|dt|figcaption)\b", part):
                last = ""
            continue
        if not part:
            continue
        if depth == 0:
            if last in ")]" and last and HANGUL.match(part):  # across a tag: the only way that keeps the markup whole
                part = WORD_JOINER + part
            parts[i] = re.sub(r"[)\]][\uac00-\ud7a3]+", lambda m: f'<span class="nowrap">{m[0]}</span>', part)
        elif code == depth == 1:  # inline code (a code block is <pre><code>, depth 2)
            parts[i] = re.sub(r"\S*-\S*", lambda m: f'<span class="code-word">{m[0]}</span>', part)
        last = part[-1]
    return "".join(parts)


def focusable_abbreviations(article: str) -> str:
    """The first <abbr> of each abbreviation on the page takes focus: site.css shows its expansion while it has it."""
    seen = set()

    def first(match):
        if match[1] in seen:
            return match[0]
        seen.add(match[1])
        return match[0].replace("<abbr ", '<abbr tabindex="0" ', 1)

    return ABBR.sub(first, article)


def on_post_page(output, page, config, **kwargs):
    def rewrite(match):
        article = TABLE.sub(lambda m: label_table(m[1]), match[2])
        article = focusable_abbreviations(keep_together(article))
        article = article.replace(HEADERLINK, HEADERLINK + 'aria-hidden="true" tabindex="-1" ')
        return match[1] + article + match[3]

    return ARTICLE.sub(rewrite, output, count=1)
