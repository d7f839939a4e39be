"""Lists the external links of a built site (`python scripts/external_links.py site`); with --check, asks each one (needs a network)."""

from __future__ import annotations

import argparse
import re
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and re.match(r"https?://", href):
            self.found.add(href)


def external_links(site_dir: Path) -> list[str]:
    """Every http(s) link in the site's HTML."""
    parser = _Links()
    for html_file in sorted(site_dir.rglob("*.html")):
        parser.feed(html_file.read_text(encoding="utf-8"))
    return sorted(parser.found)


def check(url: str) -> str:
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "link-check"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return str(response.status)
    except Exception as error:  # report every failure, never stop
        return f"FAILED {error}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site_dir", nargs="?", default="site", type=Path)
    parser.add_argument("--check", action="store_true", help="request each link (online only; not run in CI)")
    args = parser.parse_args()
    links = external_links(args.site_dir)
    failed = 0
    for link in links:
        if args.check:
            status = check(link)
            failed += status.startswith("FAILED")
            print(status, link)
        else:
            print(link)
    sys.exit(1 if failed else 0)
