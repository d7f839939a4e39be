"""Translation provenance: each English page records the Korean body hash it translates; a stale one shows readers a notice."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import CONTRACT, PAGES, PREFIX, ROOT, build, copy_project, goto, new_page
from pages_server import serve
from translation_drift import pairs
from translations import body_hash

SCRIPT = ROOT / "scripts" / "translation_drift.py"
NOTICE = 'id="translation-outdated"'
KO_PAGE, EN_PAGE, URL = "docs/infrastructure/regions.md", "docs/en/infrastructure/regions.md", "infrastructure/regions/"
OTHER_KO, OTHER_EN, OTHER_URL = "docs/interfaces.md", "docs/en/interfaces.md", "interfaces/"


class Notice(HTMLParser):
    """The #translation-outdated element of a page: its text, its links, and whether it follows the article's H1."""

    VOID = frozenset({"br", "img", "hr", "input", "wbr"})

    def __init__(self, html: str):
        super().__init__()
        self.depth, self.seen_h1, self.found, self.after_h1 = 0, False, False, False
        self.text, self.links = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.seen_h1 |= tag == "h1"
        if self.depth:
            self.depth += tag not in self.VOID
            if tag == "a":
                self.links.append(attrs)
        elif attrs.get("id") == "translation-outdated" and not self.found:
            self.found, self.after_h1, self.depth = True, self.seen_h1, 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)

    @property
    def sentence(self) -> str:
        return " ".join("".join(self.text).split())


def set_front_matter(path: Path, key: str, value: str | None) -> None:
    """Sets (or, with None, removes) one `key: value` line in a page's front matter."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
    if value is not None:
        lines.append(f"{key}: {value}")
    path.write_text("\n".join(lines) + sep + body, encoding="utf-8")


def edit_body(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: test fixture text {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def english_html(project: Path, site_dir: Path, *urls: str) -> list[str]:
    result = build(project, site_dir, "http://127.0.0.1:9/aws-basics/")
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return [(site_dir / "en" / url / "index.html").read_text(encoding="utf-8") for url in urls]


# --- the hash ------------------------------------------------------------------------------------------------------

def test_the_hash_covers_the_body_only(tmp_path):
    """Front matter, line endings, trailing spaces and Unicode normalisation do not count; any change of a word does."""
    page = tmp_path / "page.md"
    variants = {
        "plain": "---\nreviewed: 2026-11-28\n---\n\n# 리전 { #regions }\n\n리전은 지리적 위치입니다.\n",
        "front matter": "---\nreviewed: 2027-03-01\ndescription: other\n---\n# 리전 { #regions }\n\n리전은 지리적 위치입니다.",
        "CRLF, trailing spaces": "---\r\nreviewed: 2026-11-28\r\n---\r\n# 리전 { #regions }  \r\n\r\n리전은 지리적 위치입니다.\t\r\n\r\n",
        "NFD Hangul": "---\nreviewed: 2026-11-28\n---\n# 리전 { #regions }\n\n리전은 지리적 위치입니다.\n".replace(
            "리전", "\u1105\u1175\u110c\u1165\u11ab"),
    }
    hashes = {}
    for name, text in variants.items():
        page.write_bytes(text.encode("utf-8"))
        hashes[name] = body_hash(str(page))
    assert len(set(hashes.values())) == 1, hashes
    assert re.fullmatch(r"sha256:[0-9a-f]{12}", hashes["plain"])
    page.write_text(variants["plain"].replace("지리적", "물리적"), encoding="utf-8")
    assert body_hash(str(page)) != hashes["plain"]


# --- this checkout --------------------------------------------------------------------------------------------------

def test_every_english_page_matches_its_korean_source():
    """The one-command check: `python scripts/translation_drift.py` lists each page; any not `current` is named here."""
    result = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, "English pages behind their Korean source (update them, then paste the hash):\n" + result.stdout
    assert len(pairs()) == len(PAGES) + len(CONTRACT.get("packets", {})) and "BEHIND" not in result.stdout


def test_no_english_page_shows_the_notice(site):
    assert [p for p in PAGES if NOTICE in site.html("en", p)] == []
    assert [p for p in PAGES if NOTICE in site.html("ko", p)] == []


# --- a copy of the project, edited ----------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def test_a_korean_body_edit_shows_the_notice_until_the_hash_is_updated(project, tmp_path, browser):
    korean = project / KO_PAGE
    edit_body(korean, "\n## ", "\n이 문단은 새로 추가되었습니다.\n\n## ")
    set_front_matter(korean, "reviewed", "2027-01-15")
    set_front_matter(project / OTHER_KO, "reviewed", "2027-02-01")  # a review date alone is no change to translate
    stale, untouched = english_html(project, tmp_path / "site1", URL, OTHER_URL)

    notice = Notice(stale)
    assert notice.found, f"{EN_PAGE} shows no notice though {KO_PAGE}'s body changed"
    assert notice.after_h1, "the notice should sit just after the page title"
    assert "behind the Korean original" in notice.sentence and "January 15, 2027" in notice.sentence, notice.sentence
    (link,) = notice.links
    target = urljoin(f"http://x{PREFIX}en/{URL}", link["href"])
    assert urlsplit(target).path == f"{PREFIX}{URL}" and link.get("hreflang") == "ko", link
    assert NOTICE not in untouched, f"{OTHER_EN} shows the notice though only {OTHER_KO}'s `reviewed` date changed"
    assert_reader_sees_the_notice(browser, tmp_path / "site1")

    edit_body(project / EN_PAGE, "\n## ", "\nAn English-only sentence.\n\n## ")
    (still_stale,) = english_html(project, tmp_path / "site2", URL)
    assert NOTICE in still_stale, "editing the English alone must not clear the notice"

    new_hash = subprocess.run([sys.executable, str(project / "scripts/translation_drift.py"), KO_PAGE],
                              cwd=project, capture_output=True, text=True, check=False).stdout
    (pasted,) = re.findall(r"translated_from: (sha256:[0-9a-f]{12})", new_hash)
    set_front_matter(project / EN_PAGE, "translated_from", pasted)
    (current,) = english_html(project, tmp_path / "site3", URL)
    assert NOTICE not in current, "recording the new hash should clear the notice"


def assert_reader_sees_the_notice(browser, site_dir: Path) -> None:
    """In Chromium at 360 px: the box is visible on the first screen, below the title, styled like an admonition."""
    server, url = serve(str(site_dir), PREFIX)
    context, page = new_page(browser, width=360, height=740)
    try:
        goto(page, url + "en/" + URL)
        box = page.locator("#translation-outdated")
        assert box.is_visible()
        shown = box.evaluate("""e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e),
            t = document.querySelector("article h1").getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, h1: t.bottom, border: s.borderLeftWidth, color: s.borderLeftColor,
                    width: r.width, scroll: e.scrollWidth}; }""")
        assert shown["h1"] <= shown["top"] and shown["bottom"] <= 740, f"not on the first screen below the title: {shown}"
        assert float(shown["border"].removesuffix("px")) >= 1 and shown["color"] != "rgba(0, 0, 0, 0)", shown
        assert shown["scroll"] <= shown["width"] + 1, f"the notice overflows at 360 px: {shown}"
        page.click("#translation-outdated a")
        assert page.url == url + URL and page.locator("html").get_attribute("lang") == "ko"
    finally:
        context.close()
        server.shutdown()


@pytest.mark.parametrize(("value", "message"), [
    (None, "front matter needs `translated_from: sha256:"),
    ("ee4a67d59cdc", "`translated_from` must look like sha256:0123456789ab, not 'ee4a67d59cdc'"),
])
def test_missing_or_malformed_translated_from_fails_the_build_naming_the_file(project, tmp_path, value, message):
    set_front_matter(project / EN_PAGE, "translated_from", value)
    result = build(project, tmp_path / "site", "http://127.0.0.1:9/aws-basics/")
    assert result.returncode != 0
    assert f"{EN_PAGE}: {message}" in result.stdout + result.stderr
