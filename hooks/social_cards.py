"""Link previews: one og:image per page (1200x630 PNG with the site's name and the page's title) drawn at build time, cached."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import re
import sys
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import cache_entries  # noqa: E402  (scripts/cache_entries.py: entries written atomically, checked when read)
import render_cards  # noqa: E402
import render_diagrams  # noqa: E402  (the resolved label fonts: a card drawn with other fonts is another card)
from find_browser import NoBrowser  # noqa: E402

CACHE = os.environ.get("SOCIAL_CARD_CACHE") or os.path.join(ROOT, ".cache", "social")  # outside the watched folders
FOLDER = "assets/social"  # in each language's site
SIZE = (render_cards.WIDTH, render_cards.HEIGHT)
log = logging.getLogger("mkdocs.hooks.social_cards")
_cards: dict[str, dict[str, str]] = {}  # site_dir -> {file name: card HTML}


def published_host(config) -> str:
    """The host a card shows: the site's own, or mkdocs.yml's default site_url when the build is served on this machine
    (`mkdocs serve`, the tests): nobody shares a preview of 127.0.0.1, and the cards then stay cached across ports."""
    host = urlsplit(config.site_url).hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        local = False
    if not local:
        return urlsplit(config.site_url).netloc
    with open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8") as f:
        default = re.search(r'^site_url: (?:&\w+ )?!ENV \[SITE_URL, "([^"]+)"\]$', f.read(), re.M)
    if not default:
        raise PluginError('mkdocs.yml: site_url must read `site_url: !ENV [SITE_URL, "https://…/"]` (the link previews show its host)')
    return urlsplit(default.group(1)).netloc


def _card_name(page) -> str:
    return (page.file.src_uri.removesuffix(".md").replace("/", "-") or "home") + ".png"


def on_pre_build(config, **kwargs):
    _cards[config.site_dir] = {}


def on_page_context(context, page, config, **kwargs):
    """Gives the page its card's absolute URL and alt text (overrides/main.html writes the og:image tags)."""
    title = config.site_name if page.is_homepage else page.title
    section = page.parent.title if page.parent else ""
    card = render_cards.card_html(config.site_name, title, section, published_host(config), config.extra["site_lang"])
    name = _card_name(page)
    _cards[config.site_dir][name] = card
    page.meta["og_image"] = f"{config.site_url}{FOLDER}/{name}"
    page.meta["og_image_alt"] = f"{config.site_name}: {title}" if not page.is_homepage else config.site_name
    return context


def _card(path: str, name: str) -> bytes | None:
    """The cached card at `path` if it is a whole 1200x630 PNG that decodes; a damaged one is reported in one line."""
    data = cache_entries.read(path)
    if data is not None and (problem := cache_entries.png_problem(data, SIZE)):
        log.info("Cache entry %s (link preview %s) is damaged, %s: drawing it again", path, name, problem)
        return None
    return data


def on_post_build(config, **kwargs):
    """Writes each page's card, drawing the ones the cache lacks in one browser launch (key: the card's HTML and the drawer).

    Every card is checked (size, PNG signature, decode) before it is published; a damaged cache entry is drawn again.
    """
    with open(render_cards.__file__, "rb") as f:
        drawer = hashlib.sha256(f.read()).hexdigest() + render_diagrams.resolved_fonts()
    cards = _cards.pop(config.site_dir)
    paths = {name: os.path.join(CACHE, hashlib.sha256((drawer + card).encode()).hexdigest() + ".png") for name, card in cards.items()}
    pngs = {name: _card(path, name) for name, path in paths.items()}
    if missing := [name for name, png in pngs.items() if png is None]:
        log.info("Drawing %d link preview(s)", len(missing))
        try:
            shots = render_cards.render([cards[name] for name in missing])
        except NoBrowser as error:
            raise PluginError(str(error)) from None
        for name, png in zip(missing, shots, strict=True):
            if problem := cache_entries.png_problem(png, SIZE):
                raise PluginError(f"The link preview {name} came out damaged ({problem}): build again")
            pngs[name] = png
            try:
                cache_entries.write(paths[name], png, setting="SOCIAL_CARD_CACHE")
            except cache_entries.CacheError as error:
                raise PluginError(str(error)) from None
    target = os.path.join(config.site_dir, FOLDER)
    os.makedirs(target, exist_ok=True)
    for name, png in pngs.items():
        with open(os.path.join(target, name), "wb") as f:
            f.write(png)
