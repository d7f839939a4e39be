"""Renders Mermaid sources to inline SVG with the pinned Mermaid in the build's headless Chromium (used by hooks/diagrams.py)."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from find_browser import NoBrowser, in_browser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MERMAID = os.path.join(ROOT, "node_modules", "mermaid")
SITE_CSS = os.path.join(ROOT, "overrides", "assets", "stylesheets", "site.css")
PLACEHOLDER = "DIAGRAMID"  # every id in a rendered SVG starts with it; the hook swaps in a per-page id
# Labels are measured 20 % larger than they are drawn: a reader's font that runs wider than the build's still fits.
MEASURE_SCALE = 1.2
FONT_SIZE = 16  # px
SCALE_MIN = 0.78  # a diagram never shrinks below this share of its width: 16 px labels stay >= 12 px
# Text colours that reach 4.5:1 on every fill in both palettes (tests/test_diagrams.py measures them).
THEMES = {
    "light": {"theme": "default", "themeVariables": {
        "primaryTextColor": "#1f1f1f", "textColor": "#1f1f1f", "lineColor": "#4d4d4d",
        "clusterBkg": "#fbfbea", "clusterBorder": "#8a8a5c", "edgeLabelBackground": "#f2f2f2"}},
    "dark": {"theme": "dark", "themeVariables": {
        "primaryTextColor": "#f0f0f0", "textColor": "#f0f0f0", "lineColor": "#c8c8c8",
        "clusterBkg": "#26283a", "clusterBorder": "#8c90b0", "edgeLabelBackground": "#3a3d52"}},
}
# Added to each SVG's own <style> after rendering (Mermaid measures without it): labels fill their box and centre
# in it, and Hangul wraps between words.
LABEL_CSS = """
#ID foreignObject { overflow: visible; }
#ID foreignObject > div { display: flex !important; align-items: center; justify-content: center;
  width: 100%; height: 100%; max-width: none !important; white-space: normal !important;
  word-break: keep-all; overflow-wrap: break-word; }
#ID .diagram__p { display: block; }
"""


class RenderError(Exception):
    """A diagram that Mermaid cannot draw (message says where) or a browser/font that is missing."""


def label_font_stack() -> str:
    """The site's text font stack (--md-text-font in site.css): diagrams use the same fonts as the page."""
    with open(SITE_CSS, encoding="utf-8") as f:
        match = re.search(r"--md-text-font:\s*([^;]+);", f.read())
    return " ".join(match.group(1).split()) + ", sans-serif"


def mermaid_version() -> str:
    with open(os.path.join(MERMAID, "package.json"), encoding="utf-8") as f:
        return json.load(f)["version"]


@functools.lru_cache(maxsize=1)
def resolved_fonts() -> str:
    """The fonts the labels resolve to on this machine (fontconfig); fails if no Hangul font is installed. Looked up once a
    process, not four times a build (16 fontconfig runs); `mkdocs serve` looks again for each rebuild (hooks/diagrams.py)."""
    if not shutil.which("fc-match"):
        return "no fontconfig"  # macOS/Windows: the system always has a Hangul font
    if not subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True).stdout.strip():
        raise RenderError("No Hangul font for the diagram labels: install one (Debian/Ubuntu: apt-get install fonts-noto-cjk)")
    return "|".join(
        subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True).stdout
        for pattern in ("sans-serif", "sans-serif:lang=ko", "system-ui")
    )


def config(theme: str) -> dict:
    return {
        "startOnLoad": False, "securityLevel": "strict", "fontFamily": label_font_stack(), "fontSize": FONT_SIZE,
        "flowchart": {"htmlLabels": True, "wrappingWidth": 220},
        **THEMES[theme],
    }


# In the page: renders one source with one config, then makes the SVG ready to inline: role=img labelled by its
# <title> and described by its <desc>, every id carrying the placeholder (Mermaid leaves some unprefixed), valid HTML
# in its labels (Mermaid's <p> inside a <span> becomes a <span class="diagram__p"> that its rules and the label CSS
# style as the <p> was: a block without margins; a space around each label keeps their words apart in the search
# index, as the <p> did), the label CSS added to its <style> (rules that match nothing
# dropped), its natural size, and the narrowest it may shrink to (site.css does the rest).
RENDER_JS = """async ([source, config, placeholder, css, theme, scaleMin]) => {
  mermaid.initialize(config);
  let svg;
  try {
    ({ svg } = await mermaid.render(placeholder, source));
  } catch (error) {
    return { error: String(error.message ?? error).split("\\n").slice(0, 4).join(" | ") };
  }
  const host = document.createElement("div");
  host.innerHTML = svg;
  const renamed = new Map();
  for (const element of host.querySelectorAll("[id]")) {
    if (!element.id.includes(placeholder)) renamed.set(element.id, `${placeholder}-${element.id}`);
  }
  let text = host.innerHTML;
  for (const [from, to] of renamed) {
    text = text.replaceAll(`id="${from}"`, `id="${to}"`).replaceAll(`#${from})`, `#${to})`).replaceAll(`"#${from}"`, `"#${to}"`);
  }
  host.innerHTML = text;
  const out = host.firstElementChild;
  out.setAttribute("role", "img");
  out.removeAttribute("aria-roledescription");
  out.setAttribute("class", `diagram__svg diagram__svg--${theme}`);
  const style = out.querySelector("style");
  style.append(css.replaceAll("#ID", `#${placeholder}`));
  document.body.append(host);
  for (const rule of style.sheet.cssRules) {
    if (!(rule instanceof CSSStyleRule)) continue;
    rule.selectorText = rule.selectorText.replace(/(^|[\\s>+~,(])p(?=$|[\\s>+~,.:#[)])/g, "$1.diagram__p");
  }
  for (const p of out.querySelectorAll("foreignObject p")) {
    const span = document.createElement("span");
    span.className = "diagram__p";
    span.append(...p.childNodes);
    p.replaceWith(span);
  }
  for (const label of out.querySelectorAll("foreignObject")) {  // SVG draws no text here; search reads words apart
    label.before(" ");
    label.after(" ");
  }
  // keep only the style rules that match something in this drawing (about half)
  const kept = [...style.sheet.cssRules].filter(rule => {
    if (!(rule instanceof CSSStyleRule)) return true;
    const selector = rule.selectorText.replace(/::?[a-z-]+(\\([^)]*\\))?/g, "");
    try { return !selector.trim() || document.querySelector(selector); } catch { return true; }
  }).map(rule => rule.cssText);
  style.textContent = kept.join("");
  host.remove();
  const box = out.viewBox.baseVal;
  out.setAttribute("width", String(Math.ceil(box.width)));
  out.setAttribute("height", String(Math.ceil(box.height)));
  out.setAttribute("style", `min-width: ${Math.round(box.width * scaleMin)}px`);
  return { svg: out.outerHTML, width: Math.ceil(box.width), height: Math.ceil(box.height) };
}"""

PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><style>
body {{ font-family: {font}; word-break: keep-all; }}
svg foreignObject * {{ font-size: {measure}px !important; }}
</style><script type="module">import mermaid from "./mermaid.esm.min.mjs"; window.mermaid = mermaid;</script>
</head><body></body></html>"""
ORIGIN = "http://diagrams.localhost/"  # the page and Mermaid's ES modules, answered from node_modules (no network)


def _serve(route):
    """Answers the render page's requests: the page itself, or a file of Mermaid's ESM build."""
    path = urlsplit(route.request.url).path.lstrip("/")
    if path == "render.html":
        route.fulfill(body=PAGE.format(font=label_font_stack(), measure=FONT_SIZE * MEASURE_SCALE), content_type="text/html")
        return
    dist = os.path.join(MERMAID, "dist")
    local = os.path.normpath(os.path.join(dist, path))
    if local.startswith(dist + os.sep) and os.path.isfile(local):
        route.fulfill(path=local, content_type="text/javascript")
    else:
        route.fulfill(status=404)


def _draw(context, sources: list[str]) -> list[dict]:
    page = context.new_page()
    page.route(ORIGIN + "**", _serve)
    page.goto(ORIGIN + "render.html")
    page.wait_for_function("window.mermaid")
    page.evaluate("document.fonts.ready")
    return [{theme: page.evaluate(RENDER_JS, [source, config(theme), PLACEHOLDER, LABEL_CSS, theme, SCALE_MIN])
             for theme in THEMES} for source in sources]


def render(sources: list[str]) -> list[dict]:
    """Draws each source in each theme; returns [{theme: {svg, width, height} | {error}}]."""
    try:
        return in_browser("the diagrams", lambda context: _draw(context, sources))
    except NoBrowser as error:
        raise RenderError(str(error)) from None


if __name__ == "__main__":  # draws the Mermaid source on stdin and prints the light SVG (for debugging)
    result = render([sys.stdin.read()])[0]["light"]
    print(result.get("svg") or result["error"])
