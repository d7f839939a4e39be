"""Page metadata: every page needs a `description` (meta/link previews) and a `reviewed` date in valid front matter."""

from __future__ import annotations

import datetime
import os

from mkdocs.exceptions import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def on_page_markdown(markdown, page, **kwargs):
    """Fails the build, naming the file, if the front matter is missing, invalid YAML, or lacks either field."""
    where = os.path.relpath(page.file.abs_src_path, ROOT)
    description, reviewed = page.meta.get("description"), page.meta.get("reviewed")
    if markdown.lstrip().startswith("---"):
        raise PluginError(f"{where}: front matter is not valid YAML (quote values that contain ': ')")
    if not isinstance(description, str) or not 20 <= len(description) <= 200:
        raise PluginError(f"{where}: front matter needs a `description` of 20 to 200 characters")
    if not isinstance(reviewed, datetime.date):
        raise PluginError(f"{where}: front matter needs `reviewed: YYYY-MM-DD` (the date the page was last checked)")
    return markdown
