"""Page metadata: every page needs a `description` (meta/link previews) and a `reviewed` date in valid front matter.

The `reviewed` date is also the page's update date (the sitemaps' <lastmod>), so a build does not depend on the day it runs.

Also the checks for values that reach HTML unescaped (Material's templates print the description, names and labels as
they are): `plain_text` (no < > " &) and `https_url`, for front matter and mkdocs.yml here and data/ in the other hooks.
"""

from __future__ import annotations

import datetime
import os
import re
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKUP = re.compile(r'[<>"&]')
URL_BREAKERS = re.compile(r"[\s\"'<>\\`]")


def plain_text(value, where: str, what: str) -> None:
    """Fails the build, naming file and entry, if a value printed into HTML as it is holds a character HTML would read."""
    if isinstance(value, str) and (found := MARKUP.search(value)):
        raise PluginError(f"{where}: {what} must be plain text, without {found.group()} (it goes into the HTML as it "
                          f"is): {value[:80]!r}")


def https_url(value, where: str, what: str, hosts: tuple[str, ...] = (), schemes: tuple[str, ...] = ("https",)) -> None:
    """Fails the build, naming file and entry, unless the value is an https:// URL (on one of `hosts`, if given)."""
    parts = urlsplit(value) if isinstance(value, str) else None
    if not parts or parts.scheme not in schemes or not parts.hostname or URL_BREAKERS.search(value):
        raise PluginError(f"{where}: {what} must be an {' or '.join(s + '://' for s in schemes)} URL, not {value!r}")
    if hosts and parts.hostname not in hosts:
        raise PluginError(f"{where}: {what} must link to {' or '.join(hosts)}, not {parts.hostname}: {value!r}")


def _strings(value, key: str):
    """(dotted key, string) for every string in a nested configuration value."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{key}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{key}[{i}]")


def on_config(config, **kwargs):
    """Fails the build, naming the file and key, if a name, label or URL in mkdocs.yml could break the HTML around it."""
    where = os.path.relpath(config.config_file_path, ROOT) if config.config_file_path else "mkdocs.yml"
    https_url(config.site_url, where, "site_url (SITE_URL)", schemes=("https", "http"))
    for key in ("site_name", "site_description", "site_author", "copyright"):
        plain_text(config[key], where, key)
    for key, value in _strings(config.extra, "extra"):
        (https_url if key == "extra.repository" else plain_text)(value, where, key)
    palette = config.theme.get("palette", [])
    for key, value in _strings(palette, "theme.palette"):
        plain_text(value, where, key)
    for title in _nav_titles(config.nav):
        plain_text(title, where, "a nav title")
    return config


def _nav_titles(nav):
    for item in nav or []:
        if isinstance(item, dict):
            for title, child in item.items():
                yield title
                yield from _nav_titles(child if isinstance(child, list) else [])


def on_page_markdown(markdown, page, **kwargs):
    """Fails the build, naming the file, if the front matter is missing, invalid YAML, or lacks either field."""
    where = os.path.relpath(page.file.abs_src_path, ROOT)
    description, reviewed = page.meta.get("description"), page.meta.get("reviewed")
    if markdown.lstrip().startswith("---"):
        raise PluginError(f"{where}: front matter is not valid YAML (quote values that contain ': ')")
    if not isinstance(description, str) or not 20 <= len(description) <= 200:
        raise PluginError(f"{where}: front matter needs a `description` of 20 to 200 characters")
    for key in ("description", "title"):
        plain_text(page.meta.get(key), where, f"front matter `{key}`")
    if not isinstance(reviewed, datetime.date):
        raise PluginError(f"{where}: front matter needs `reviewed: YYYY-MM-DD` (the date the page was last checked)")
    page.update_date = reviewed.isoformat()  # the sitemap's <lastmod> (and its .gz header): the content's date, not the build's
    return markdown
