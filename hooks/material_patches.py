"""Material 9.8.1 patches: no <page>/sitemap.xml lookups for hreflang links, and the Korean-aware search worker loaded first."""

from __future__ import annotations

import glob
import os

import material
from mkdocs.exceptions import PluginError

MATERIAL_VERSION = "9.8.1"  # both patches depend on this version's internals; the browser tests cover them
# Material's alternate-language integration fetches sitemap.xml next to every <link rel=alternate>. Our hreflang
# links point at pages (and our switcher links each page directly), so it would request <page>/sitemap.xml: a 404.
ALTERNATE_LOOKUP = 'M("link[rel=alternate]")'
DISABLED_LOOKUP = 'M("link[rel=alternate][data-md-sitemap]")'
WRAPPER = "search-korean.js"  # overrides/assets/javascripts/workers/


def on_config(config, **kwargs):
    if material.__version__ != MATERIAL_VERSION:
        raise PluginError(
            f"mkdocs-material {material.__version__} installed, hooks/material_patches.py is written for "
            f"{MATERIAL_VERSION}: re-check both patches (and the browser tests) before changing the pin"
        )
    return config


def _one(pattern: str) -> str:
    found = glob.glob(pattern)
    if len(found) != 1:
        raise PluginError(f"Expected one file matching {pattern}, found {found}")
    return found[0]


def on_post_build(config, **kwargs):
    """Patches the built bundle and puts a loader at the worker's URL: our wrapper first, then Material's worker."""
    scripts = os.path.join(config.site_dir, "assets", "javascripts")
    bundle = _one(os.path.join(scripts, "bundle.*.min.js"))
    with open(bundle, encoding="utf-8") as f:
        code = f.read()
    if code.count(ALTERNATE_LOOKUP) == 1:
        with open(bundle, "w", encoding="utf-8") as f:
            f.write(code.replace(ALTERNATE_LOOKUP, DISABLED_LOOKUP))
    elif code.count(DISABLED_LOOKUP) != 1:  # already patched by an earlier (dirty) build is fine
        raise PluginError(f"{bundle}: {ALTERNATE_LOOKUP!r} not found once; Material changed")

    worker = _one(os.path.join(scripts, "workers", "search.*[0-9a-f].min.js"))
    original = worker.replace(".min.js", ".material.min.js")
    loader = f'importScripts("{WRAPPER}", "{os.path.basename(original)}");\n'
    with open(worker, encoding="utf-8") as f:
        if f.read() == loader:
            return
    os.replace(worker, original)
    with open(worker, "w", encoding="utf-8") as f:
        f.write(loader)
