"""Serves the site's own stylesheet and page scripts without comments and indentation (page weight); the sources keep
both."""

from __future__ import annotations

import os
import re

STYLESHEET = os.path.join("assets", "stylesheets", "site.css")
SCRIPTS = os.path.join("assets", "javascripts")


def minify_css(css: str) -> str:
    """Drops comments, folds white space, and trims it around braces and semicolons (never around ':' or '>')."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.sub(r"\s*([{};])\s*", r"\1", re.sub(r"\s+", " ", css)).strip()


def minify_js(js: str) -> str:
    """Drops whole-line // comments, indentation and blank lines; every line of code stays as written."""
    lines = (line.strip() for line in js.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


def _rewrite(path: str, minify) -> None:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(minify(text))


def on_post_build(config, **kwargs):
    _rewrite(os.path.join(config.site_dir, STYLESHEET), minify_css)
    scripts = os.path.join(config.theme.custom_dir, SCRIPTS)  # the page scripts in overrides/ (the 404 page's too)
    for name in sorted(os.listdir(scripts)):
        if name.endswith(".js"):
            _rewrite(os.path.join(config.site_dir, SCRIPTS, name), minify_js)
