"""Material patches (written for 9.8.x): no <page>/sitemap.xml lookups, search loaded when opened, Korean-aware worker, named search dialog,
tables wrapped at build time and components set up after the first paint."""

from __future__ import annotations

import glob
import os
import re

from mkdocs.exceptions import PluginError

BUNDLE_PATCHES = {
    # Material fetches sitemap.xml next to every <link rel=alternate>. Our hreflang links point at pages (and our
    # switcher links each page directly), so it would request <page>/sitemap.xml: a 404 on every page.
    'M("link[rel=alternate]")': 'M("link[rel=alternate][data-md-sitemap]")',
    # Send the search index to the worker when search is first opened, not on every page load (page weight).
    'L($(location.protocol!=="file:"),Je("search"))': 'L($(!1),Je("search"))',
    # Tables arrive wrapped from the build (on_page_content): rewrapping them would repaint them after load (LCP, CLS).
    'M("table:not([class])",e).map(i=>ti(i))':
        'M("table:not([class])",e).filter(i=>!i.parentElement.matches(".md-typeset__table")).map(i=>ti(i))',
    # The bundle now runs after DOMContentLoaded (see BUNDLE_LOADER): set up the page's content in a task of its own.
    'h(document,"DOMContentLoaded",{once:!0}).subscribe(()=>e.next(document))': "setTimeout(()=>e.next(document))",
}
# Replaces the bundle's <script> at the end of <body>: once the document is parsed (module scripts, such as the
# Mermaid loader, have run) and painted, Material starts, so its start-up never shares a task with the first layout
# (Lighthouse TBT). A low-priority preload fetches it early.
BUNDLE_SCRIPT = re.compile(r'<script src="([^"]*/bundle\.[0-9a-f]{8}\.min\.js)"></script>')
BUNDLE_PRELOAD = '<link rel="preload" as="script" fetchpriority="low" href="{src}">'
BUNDLE_LOADER = ('<script>addEventListener("DOMContentLoaded",()=>requestAnimationFrame(()=>setTimeout(()=>'
                 'document.body.append(Object.assign(document.createElement("script"),{{src:"{src}"}})))))</script>')
WRAPPER = "search-korean.js"  # overrides/assets/javascripts/workers/
# Put at the worker's URL: loads nothing until the first message (the index, sent when search opens), then
# loads our wrapper and Material's worker and hands them that message.
WORKER_STUB = """// Search worker loader (hooks/material_patches.py): loads the real worker when search is first used.
addEventListener("message", function load(event) {{
  removeEventListener("message", load);
  importScripts("{wrapper}", "{material}");
  dispatchEvent(new MessageEvent("message", {{ data: event.data }}));
}});
"""


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def _one(pattern: str) -> str:
    found = glob.glob(pattern)
    if len(found) != 1:
        raise PluginError(f"Expected one file matching {pattern}, found {found}")
    return found[0]


def _patch_bundle(bundle: str) -> None:
    """Applies each replacement once; a replacement already applied (dirty rebuild) is fine, a missing one is not."""
    with open(bundle, encoding="utf-8") as f:
        code = f.read()
    for old, new in BUNDLE_PATCHES.items():
        if code.count(old) == 1:
            code = code.replace(old, new)
        elif code.count(new) != 1:
            raise PluginError(
                f"{bundle}: Material patch {old!r} no longer applies (found {code.count(old)} times, expected once). "
                "This Material release changed that code: find its new form in the bundle and update BUNDLE_PATCHES "
                "in hooks/material_patches.py (the browser tests check each patch's behaviour), or stay on the last "
                "Material release that takes every patch."
            )
    with open(bundle, "w", encoding="utf-8") as f:
        f.write(code)


def _install_worker(worker: str) -> None:
    """Moves Material's worker aside and puts the lazy loader at its URL."""
    original = worker.replace(".min.js", ".material.min.js")
    stub = WORKER_STUB.format(wrapper=WRAPPER, material=os.path.basename(original))
    with open(worker, encoding="utf-8") as f:
        if f.read() == stub:
            return
    os.replace(worker, original)
    with open(worker, "w", encoding="utf-8") as f:
        f.write(stub)


def _name_search_dialog(output: str, where: str, config) -> str:
    """Gives Material's search dialog an accessible name (axe: aria-dialog-name)."""
    if output.count(SEARCH_DIALOG) != 1:
        raise PluginError(f"{where}: Material's search dialog markup changed; review hooks/material_patches.py")
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{config.extra["labels"]["search"]}">')


PLAIN_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)  # Markdown's tables; Material wraps only class-less ones


def on_page_content(html, page, **kwargs):
    """Wraps Markdown tables the way Material's JavaScript would, so they render once, in place, without JavaScript."""
    return PLAIN_TABLE.sub(lambda m: f'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">{m[0]}</div></div>', html)


def _load_bundle_after_paint(output: str, where: str) -> str:
    """Swaps the bundle's blocking <script> for BUNDLE_LOADER, with a preload of the bundle in <head>."""
    found = list(BUNDLE_SCRIPT.finditer(output))
    if len(found) != 1:
        raise PluginError(f"{where}: Material's bundle <script> not found once; review hooks/material_patches.py")
    tag, src = found[0][0], found[0][1]
    output = output.replace(tag, BUNDLE_LOADER.format(src=src))
    return output.replace("</head>", BUNDLE_PRELOAD.format(src=src) + "</head>", 1)


def _patch_page(output: str, where: str, config) -> str:
    return _load_bundle_after_paint(_name_search_dialog(output, where, config), where)


def on_post_page(output, page, config, **kwargs):
    return _patch_page(output, page.file.src_uri, config)


def on_post_template(output, template_name, config, **kwargs):
    return _patch_page(output, template_name, config) if template_name == "404.html" else output


def on_post_build(config, **kwargs):
    scripts = os.path.join(config.site_dir, "assets", "javascripts")
    _patch_bundle(_one(os.path.join(scripts, "bundle.*.min.js")))
    _install_worker(_one(os.path.join(scripts, "workers", "search.*[0-9a-f].min.js")))
