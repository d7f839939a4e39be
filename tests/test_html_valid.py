"""Valid HTML: the W3C Nu checker (vnu-jar from npm, run with Java) finds no error in any built page from our templates,
hooks or diagrams; Material's own errors, listed below with their count per page, must not grow."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Half the CPU time of a plain run for one pass over the site: the quick compiler only (then vnu needs a deep stack).
JAVA_OPTIONS = ["-Xss16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
# Errors that Material for MkDocs' own templates write (fixing them means copying its templates): message -> (most per
# page, where it comes from).
MATERIAL = {
    "Attribute “autocomplete” is only allowed when the input type is": (
        2, "base.html: autocomplete=off on the drawer and search toggles, which are checkboxes"),
    "Bad value “” for attribute “tabindex” on element “label”": (
        1, "partials/nav-item.html: an empty tabindex on a navigation section's label"),
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control": (
        1, "partials/toc.html: label for=__toc on a section's index page, which has no table of contents"),
}


def test_every_page_is_valid_html_but_for_materials_known_errors(site):
    java = shutil.which("java")
    assert java, "no Java to run the W3C Nu checker: install a JRE (./dev does: apt-get install default-jre-headless)"
    assert VNU.is_file(), f"{VNU} is missing: run npm ci (./dev does)"
    pages = sorted(site.dir.rglob("*.html"))
    assert len(pages) >= 20
    result = subprocess.run([java, *JAVA_OPTIONS, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, check=False)
    messages = json.loads(result.stderr)["messages"]  # vnu reports on stderr; exit 1 when there is any error
    ours, material = [], Counter()
    for message in messages:
        page = message.get("url", "").split(str(site.dir), 1)[-1].lstrip("/")
        known = next((k for k in MATERIAL if message.get("message", "").startswith(k)), None)
        if known:
            material[known, page] += 1
        else:
            ours.append(f"{page}:{message.get('lastLine', '?')}: {message.get('message')} «{message.get('extract', '')[:100]}»")
    assert ours == [], f"{len(ours)} HTML error(s) from our templates, hooks or diagrams:\n" + "\n".join(ours[:40])
    grown = [f"{page}: {count} times {known} (at most {MATERIAL[known][0]}: {MATERIAL[known][1]})"
             for (known, page), count in sorted(material.items()) if count > MATERIAL[known][0]]
    assert grown == [], "Material's own errors grew:\n" + "\n".join(grown)
    assert material, "vnu reported none of Material's known errors: update MATERIAL (a Material release fixed them?)"
