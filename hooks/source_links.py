"""Source links: each page's "suggest an edit" and "view source" URLs in the repository (extra.repository), with no API call."""

from __future__ import annotations

GLOSSARY_SOURCE = "data/glossary.yml"  # the glossary page's content lives here, not in its Markdown


def on_config(config, **kwargs):
    """An absolute edit_uri from extra.repository (no repo_url, so Material makes no GitHub API request)."""
    repository, branch = config.extra["repository"].rstrip("/"), config.extra["repository_branch"]
    prefix = next(x["prefix"] for x in config.extra["languages"] if x["lang"] == config.extra["site_lang"])
    config.edit_uri = f"{repository}/edit/{branch}/docs/{prefix}"
    return config


def on_page_context(context, page, config, **kwargs):
    """Points the glossary's links at the data file it is generated from."""
    if page.file.src_uri == "glossary.md":
        page.edit_url = f"{config.extra['repository'].rstrip('/')}/edit/{config.extra['repository_branch']}/{GLOSSARY_SOURCE}"
    return context
