"""Draws link-preview images (1200x630 PNG: site name and page title) in the build's headless Chromium (hooks/social_cards.py)."""

from __future__ import annotations

import html
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from find_browser import in_browser

WIDTH, HEIGHT = 1200, 630
# The card: the site's colours and font stack (site.css); long titles wrap between words and shrink to fit.
CARD = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>
html, body {{ margin: 0; width: {width}px; height: {height}px; }}
body {{ box-sizing: border-box; padding: 72px 80px; display: flex; flex-direction: column; justify-content: space-between;
  background: #3f51b5; color: #fff; font-family: system-ui, "Noto Sans CJK KR", "Noto Sans KR", sans-serif;
  word-break: keep-all; overflow-wrap: break-word; }}
.site {{ font-size: 36px; font-weight: 500; opacity: .9; }}
h1 {{ margin: 0; font-size: {size}px; line-height: 1.25; font-weight: 700; }}
.foot {{ display: flex; justify-content: space-between; font-size: 28px; opacity: .85; }}
.bar {{ width: 120px; height: 8px; background: #fff; border-radius: 4px; margin-bottom: 28px; }}
</style></head><body><div class="site">{site}</div><div><div class="bar"></div><h1>{title}</h1></div>
<div class="foot"><span>{section}</span><span>{host}</span></div></body></html>"""


def card_html(site: str, title: str, section: str, host: str, lang: str) -> str:
    size = 84 if len(title) <= 16 else 68 if len(title) <= 32 else 56
    return CARD.format(lang=lang, width=WIDTH, height=HEIGHT, size=size, site=html.escape(site), title=html.escape(title),
                       section=html.escape(section), host=html.escape(host))


def render(cards: list[str]) -> list[bytes]:
    """Screenshots each card's HTML at 1200x630; returns the PNGs in order."""
    def shoot(context) -> list[bytes]:
        page = context.new_page()
        shots = []
        for card in cards:
            page.set_content(card)
            page.evaluate("document.fonts.ready")
            shots.append(page.screenshot(type="png"))
        return shots

    return in_browser("the link previews", shoot, viewport={"width": WIDTH, "height": HEIGHT})
