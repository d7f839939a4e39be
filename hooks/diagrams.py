"""Diagrams: checks every Mermaid fence parses and has accTitle/accDescr, captions it with them, and serves the pinned Mermaid."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess

from mkdocs.exceptions import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MERMAID_DIST = os.path.join(ROOT, "node_modules", "mermaid", "dist")
FENCE = re.compile(r"^(?P<indent>[ \t]*)```mermaid[^\n]*\n(?P<source>.*?)^(?P=indent)```", re.M | re.S)
ACC = re.compile(r"^\s*(accTitle|accDescr)\s*:\s*(.+?)\s*$", re.M)
PRE = re.compile(r'<pre\s+class="mermaid"><code>(?P<source>.*?)</code></pre>', re.S)


def _fences(text):
    """Yields (line number, source) for each Mermaid fence in a Markdown text."""
    for match in FENCE.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group("source")


def on_files(files, config, **kwargs):
    """Fails the build, naming file and line, if a diagram lacks a text alternative or does not parse."""
    diagrams, errors = [], []
    for file in files.documentation_pages():
        where_file = os.path.relpath(file.abs_src_path, ROOT)
        for line, source in _fences(file.content_string):
            where = f"{where_file}:{line}"
            found = dict(ACC.findall(source))
            if not {"accTitle", "accDescr"} <= found.keys():
                errors.append(f"{where}: Mermaid diagram needs 'accTitle:' and 'accDescr:' lines (its text alternative)")
            diagrams.append({"where": where, "source": source})
    if diagrams:
        errors += _parse_errors(diagrams)
    if errors:
        raise PluginError("Broken diagrams:\n  " + "\n  ".join(errors))
    return files


def _parse_errors(diagrams):
    """Runs scripts/check_mermaid.mjs over all diagrams at once and returns its error lines."""
    if not os.path.isdir(MERMAID_DIST):
        raise PluginError("node_modules/mermaid is missing: run `npm ci` (see README.md)")
    result = subprocess.run(
        ["node", os.path.join(ROOT, "scripts", "check_mermaid.mjs")],
        input=json.dumps(diagrams), capture_output=True, text=True, cwd=ROOT, check=False,
    )
    if result.returncode not in (0, 1):
        raise PluginError(f"Mermaid check could not run: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line.strip()]


def on_page_content(html_text, page, **kwargs):
    """Wraps each diagram in a <figure> captioned with its accTitle and accDescr; left-to-right ones scroll when narrow."""
    def figure(match):
        source = html.unescape(match.group("source"))
        found = dict(ACC.findall(source))
        wide = re.match(r"\s*(flowchart|graph)\s+(LR|RL)\b", source)
        # A region that scrolls must be reachable by keyboard: wide diagrams take focus (tabindex) to scroll.
        opening = '<figure class="diagram diagram--wide" tabindex="0">' if wide else '<figure class="diagram">'
        return (
            f'{opening}{match.group(0)}<figcaption>'
            f'<strong>{html.escape(found["accTitle"])}</strong> {html.escape(found["accDescr"])}'
            "</figcaption></figure>"
        )
    return PRE.sub(figure, html_text)


def on_post_build(config, **kwargs):
    """Copies the pinned Mermaid ESM build (no source maps) into the Korean site; English pages load that copy."""
    if config.extra.get("site_lang") != "ko":
        return
    target = os.path.join(config.site_dir, "assets", "javascripts", "mermaid")
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(os.path.join(target, "chunks"))
    shutil.copy2(os.path.join(MERMAID_DIST, "mermaid.esm.min.mjs"), target)
    shutil.copytree(
        os.path.join(MERMAID_DIST, "chunks", "mermaid.esm.min"),
        os.path.join(target, "chunks", "mermaid.esm.min"),
        ignore=shutil.ignore_patterns("*.map"),
    )
