"""Material patches (written for 9.8.x): bundle patches with no supported alternative, the lazy Korean-aware
search worker, tables wrapped at build time, and the bundle's URL for overrides/main.html (Material starts after paint)."""

from __future__ import annotations

import glob
import os
import re

from mkdocs.exceptions import PluginError

from minify import minify_js

# Each patch is the last resort: Material offers no setting, template block or documented API that does the same.
# (Material fetches sitemap.xml next to every <link rel=alternate>: our hreflang alternates live in the sitemaps instead,
# overrides/sitemap.xml, so no patch is needed for that.)
BUNDLE_PATCHES = {
    # Send the search index to the worker when search is first opened, not on every page load (page weight).
    # Why a patch: Material fetches the index as soon as the page loads over http(s), with no option to defer it.
    'L($(location.protocol!=="file:"),Je("search"))': 'L($(!1),Je("search"))',
    # Tables arrive wrapped from the build (on_page_content): rewrapping them would repaint them after load (LCP, CLS).
    # Why a patch: Material wraps and styles every class-less table; a class would opt out of its table styles too.
    'M("table:not([class])",e).map(i=>ti(i))':
        'M("table:not([class])",e).filter(i=>!i.parentElement.matches(".md-typeset__table")).map(i=>ti(i))',
    # The palette: Material re-applies at start the palette the first paint already shows (partials/javascripts/
    # palette.html), and each of these steps restyles the whole page (Lighthouse TBT): the transition guard
    # data-md-color-switching is set (and removed a frame later), and a new color-scheme <meta> is added and filled.
    # With these three, a start that changes nothing restyles nothing; a real switch still sets the guard and the meta.
    # Why a patch: Material's palette component has no option to skip its first application.
    'i.subscribe(s=>{if(document.body.setAttribute("data-md-color-switching",""),':
        'i.subscribe(s=>{if(["scheme","primary","accent"].some(k=>document.body.getAttribute("data-md-color-"+k)!=='
        's.color[k])&&document.body.setAttribute("data-md-color-switching",""),',
    'let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);':
        'let o=document.querySelector("meta[name=color-scheme]")||document.head.appendChild(x("meta",{name:"color-scheme"}));',
    'return o.content=a.colorScheme,': 'return o.content!==a.colorScheme&&(o.content=a.colorScheme),',
    # Start in two tasks, not one (Lighthouse TBT: a task over 50 ms blocks, and this one was the page's longest): the
    # bundle's run sets up what every page needs, and the palette, search and dialog components (Material's "Hs", made
    # and mounted while the bundle runs) are made and mounted in a task of their own right after it (a 0 ms timer:
    # before start-material.js hands over the document).
    # Why a patch: Material builds and subscribes them in the bundle's top-level code, with no hook in between.
    'Hs=L(...me("consent")': 'Hs=H(()=>L(...me("consent")',
    '...me("source").map(e=>$i(e))),$s=H(': '...me("source").map(e=>$i(e)))),$s=H(',
    'Ki=ct.pipe(b(()=>$s),Ve(Hs),Z(1))': 'Ki=ct.pipe(b(()=>$s),Ve(He(0).pipe(b(()=>Hs))),Z(1))',
}
BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js")  # Material's bundle, named by its hash
WRAPPER = "search-korean.js"  # overrides/assets/javascripts/workers/
# Put at the worker's URL: loads nothing until the first message (the index, sent when search opens), then
# loads our wrapper and Material's worker and hands them that message.
# Why at Material's URL: that URL is one entry of Material's {% block config %} JSON; pointing it elsewhere would mean
# copying the whole block (features, translations, search settings) and keeping the copy in step with Material.
WORKER_STUB = """// Search worker loader (hooks/material_patches.py): loads the real worker when search is first used.
addEventListener("message", function load(event) {{
  removeEventListener("message", load);
  importScripts("{wrapper}", "{material}");
  dispatchEvent(new MessageEvent("message", {{ data: event.data }}));
}});
"""


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
                "in hooks/material_patches.py (tests/test_material_patches.py checks each patch's behaviour), or stay "
                "on the last Material release that takes every patch."
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


DOC_COMMENT = re.compile(r"^[ \t]*/\*\*(?:(?!\*/).)*\*/[ \t]*\n", re.S | re.M)  # /** … */ on lines of their own


def _minify_wrapper(path: str) -> None:
    """Serves the wrapper without its comments and indentation (it is index-sized: ~12 -> ~9 KiB gzip); the source keeps
    both, and the mechanism tests run the served file."""
    with open(path, encoding="utf-8") as f:
        code = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(minify_js(DOC_COMMENT.sub("", code)))


def on_env(env, config, files, **kwargs):
    """Names Material's bundle (`material_bundle`) for overrides/main.html, which starts it after the first paint."""
    found = [f.src_uri for f in files if BUNDLE.fullmatch(f.src_uri)]
    if len(found) != 1:
        raise PluginError(f"Expected one Material bundle ({BUNDLE.pattern}) among the theme's files, found {found}")
    env.globals["material_bundle"] = found[0]
    return env


PLAIN_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)  # Markdown's tables; Material wraps only class-less ones


def on_page_content(html, page, **kwargs):
    """Wraps Markdown tables the way Material's JavaScript would, so they render once, in place, without JavaScript."""
    return PLAIN_TABLE.sub(lambda m: f'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">{m[0]}</div></div>', html)


def on_post_build(config, **kwargs):
    scripts = os.path.join(config.site_dir, "assets", "javascripts")
    _patch_bundle(_one(os.path.join(scripts, "bundle.*.min.js")))
    _install_worker(_one(os.path.join(scripts, "workers", "search.*[0-9a-f].min.js")))
    _minify_wrapper(os.path.join(scripts, "workers", WRAPPER))
