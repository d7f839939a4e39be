"""Languages: per-language Markdown labels, the translation check, and the English site built into <site_dir>/en."""

from __future__ import annotations

import logging
import os
import re

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.languages")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGLISH_CONFIG = os.path.join(ROOT, "mkdocs.en.yml")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"\{[^}]*#([A-Za-z][\w-]*)[^}]*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def heading_ids(path: str) -> tuple[list[tuple[int, str]], list[str]]:
    """Returns ([(level, id)] of a Markdown file's headings, [problems]); every heading needs an explicit { #id }."""
    ids, problems, in_fence = [], [], False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                in_fence = not in_fence
            match = None if in_fence else HEADING.match(line)
            if not match:
                continue
            found = HEADING_ID.search(match.group(2))
            if found:
                ids.append((len(match.group(1)), found.group(1)))
            else:
                problems.append(f"{os.path.relpath(path, ROOT)}:{number}: heading has no explicit id {{ #id }}: {line.strip()}")
    return ids, problems


def translation_problems(ko_dir: str, en_dir: str) -> list[str]:
    """Lists pages missing a twin, and headings without ids or whose ids differ between the two languages."""
    problems = []
    for folder, _, names in os.walk(ko_dir):
        if os.path.abspath(folder).startswith(os.path.abspath(en_dir)):
            continue
        for name in sorted(n for n in names if n.endswith(".md")):
            ko = os.path.join(folder, name)
            en = os.path.join(en_dir, os.path.relpath(ko, ko_dir))
            ko_ids, ko_problems = heading_ids(ko)
            problems += ko_problems
            if not os.path.exists(en):
                problems.append(f"{os.path.relpath(en, ROOT)}: missing English translation of {os.path.relpath(ko, ROOT)}")
                continue
            en_ids, en_problems = heading_ids(en)
            problems += en_problems
            if ko_ids != en_ids:
                only_ko = [i for i in ko_ids if i not in en_ids]
                only_en = [i for i in en_ids if i not in ko_ids]
                problems.append(
                    f"{os.path.relpath(en, ROOT)}: heading ids differ from {os.path.relpath(ko, ROOT)} "
                    f"(only in Korean: {only_ko or '-'}; only in English: {only_en or '-'}; or order/levels differ)"
                )
    return problems


def on_config(config, **kwargs):
    """Per-language settings that INHERIT cannot express (lists are replaced, not merged)."""
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = config.extra["labels"]["permalink"]
    return config


def on_pre_build(config, **kwargs):
    """Fails the Korean build, naming the file, if a page lacks its translation or its heading ids differ."""
    if config.extra.get("site_lang") == "ko":
        problems = translation_problems(config.docs_dir, os.path.join(config.docs_dir, "en"))
        if problems:
            raise PluginError("Translation problems:\n  " + "\n  ".join(problems))


def on_post_build(config, **kwargs):
    """After the Korean build, builds the English site into <site_dir>/en with site_url + "en/"."""
    if config.extra.get("site_lang") != "ko":
        return  # the English build inherits this hook: do not recurse
    english = load_config(
        ENGLISH_CONFIG,
        docs_dir=os.path.join(config.docs_dir, "en"),
        site_dir=os.path.join(config.site_dir, "en"),
        site_url=config.site_url.rstrip("/") + "/en/",
        strict=config.strict,
    )
    log.info("Building the English site into %s", english.site_dir)
    build(english)
