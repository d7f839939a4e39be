"""Serves the site's stylesheet without its comments and extra white space (page weight); the source keeps both."""

from __future__ import annotations

import os
import re

STYLESHEET = os.path.join("assets", "stylesheets", "site.css")


def minify(css: str) -> str:
    """Drops comments, folds white space, and trims it around braces and semicolons (never around ':' or '>')."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.sub(r"\s*([{};])\s*", r"\1", re.sub(r"\s+", " ", css)).strip()


def on_post_build(config, **kwargs):
    path = os.path.join(config.site_dir, STYLESHEET)
    with open(path, encoding="utf-8") as f:
        css = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(minify(css))
