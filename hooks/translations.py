"""Translation provenance: an English page whose Korean source body no longer matches its `translated_from` hash shows a notice."""

from __future__ import annotations

import datetime
import hashlib
import html
import os
import re
import unicodedata

from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HASH = re.compile(r"sha256:[0-9a-f]{12}")
HINT = "print it with `python scripts/translation_drift.py {korean}`"


def body_hash(path: str) -> str:
    """`sha256:<12 hex>` of a Markdown file's body: front matter left out; line endings, trailing spaces and NFC normalised."""
    with open(path, encoding="utf-8", newline="") as f:
        text = unicodedata.normalize("NFC", f.read().replace("\r\n", "\n").replace("\r", "\n"))
    body, _ = get_data(text)
    lines = "\n".join(line.rstrip() for line in body.split("\n")).strip("\n") + "\n"
    return "sha256:" + hashlib.sha256(lines.encode("utf-8")).hexdigest()[:12]


def reviewed_date(path: str) -> datetime.date | None:
    """The `reviewed` date in a Markdown file's front matter, if there is one."""
    with open(path, encoding="utf-8") as f:
        reviewed = get_data(f.read())[1].get("reviewed")
    return reviewed if isinstance(reviewed, datetime.date) else None


def notice(korean_url: str, reviewed: datetime.date | None) -> str:
    """The reader-facing box (Material's admonition look), kept out of the search index."""
    when = f"{reviewed:%B} {reviewed.day}, {reviewed.year}" if reviewed else ""
    since = f' The Korean page was last reviewed on <time datetime="{reviewed}">{when}</time>.' if reviewed else ""
    return (
        '<div class="admonition warning" id="translation-outdated" role="note" data-search-exclude>'
        '<p class="admonition-title">This translation is behind the Korean original</p>'
        f'<p>The <a href="{html.escape(korean_url)}" hreflang="ko">Korean original of this page</a> has changed since this '
        f"English page was translated.{since} Where the two differ, follow the Korean page.</p></div>"
    )


def on_page_content(content, page, config, **kwargs):
    """English build only: needs `translated_from` on every page with a Korean twin; adds the notice after the H1 when it is stale."""
    if config.extra.get("site_lang") == "ko":
        return content
    korean = os.path.join(os.path.dirname(config.docs_dir), page.file.src_path)
    if not os.path.exists(korean):
        return content  # an English-only page translates nothing
    where, korean_rel = (os.path.relpath(p, ROOT) for p in (page.file.abs_src_path, korean))
    recorded = page.meta.get("translated_from")
    if recorded is None:
        raise PluginError(
            f"{where}: front matter needs `translated_from: sha256:…`, the hash of the {korean_rel} body this page "
            f"translates ({HINT.format(korean=korean_rel)})"
        )
    if not isinstance(recorded, str) or not HASH.fullmatch(recorded):
        raise PluginError(f"{where}: `translated_from` must look like sha256:0123456789ab, not {recorded!r} "
                          f"({HINT.format(korean=korean_rel)})")
    if recorded == body_hash(korean):
        return content
    prefixes = {lang["lang"]: lang["prefix"] for lang in config.extra["languages"]}
    up = "../" * (page.url.count("/") + prefixes[config.extra["site_lang"]].count("/"))
    box = notice(up + prefixes["ko"] + page.url or "./", reviewed_date(korean))
    head, h1, rest = content.partition("</h1>")
    return head + h1 + box + rest if h1 else box + content
