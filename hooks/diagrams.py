"""Diagrams: draws every Mermaid fence as inline SVG at build time (light and dark), captioned with its accTitle; cached."""

from __future__ import annotations

import glob
import hashlib
import html
import json
import logging
import os
import re
import sys
import textwrap

from mkdocs.exceptions import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import cache_entries  # noqa: E402  (scripts/cache_entries.py: entries written atomically, checked when read)
import render_diagrams  # noqa: E402  (scripts/render_diagrams.py: the browser side)

# Shared by the tests' temporary copies of the project (tests/conftest.py sets it); outside every watched folder.
CACHE = os.environ.get("DIAGRAM_CACHE") or os.path.join(ROOT, ".cache", "diagrams")
FENCE = re.compile(r"^(?P<indent>[ \t]*)```mermaid[^\n]*\n(?P<source>.*?)^(?P=indent)```", re.M | re.S)
ACC = re.compile(r"^\s*(accTitle|accDescr)\s*:\s*(.+?)\s*$", re.M)
PRE = re.compile(r'<pre\s+class="mermaid"><code>(?P<source>.*?)</code></pre>', re.S)
# Labels are text only (readers' browsers would fetch an <img>; a click could lead anywhere): the source may hold no
# HTML but <br>, no "<" written as an entity, no directive, no CSS url(), and clicks only to this site's pages.
TAG = re.compile(r"<[/!?]?[A-Za-z]|<!")
BREAK = re.compile(r"<br\s*/?>", re.I)
LT_ENTITY = re.compile(r"#(60|x3c|lt);", re.I)
CLICK = re.compile(r"^\s*click\s")
SAFE_CLICK = re.compile(r'^\s*click\s+[\w-]+\s+(href\s+)?"(?![a-zA-Z][\w+.-]*:|//|\\)[^"]*"(\s+"[^"]*")?(\s+_self)?\s*;?\s*$')
log = logging.getLogger("mkdocs.hooks.diagrams")
_drawn: dict[str, dict] = {}  # normalised source -> {"light": {svg, width, height}, "dark": {...}}
# During `mkdocs serve` a broken diagram is reported, not fatal: the page keeps that diagram's last good drawing.
# MkDocs reloads this hook on every rebuild, so what must survive lives in the (cached) renderer module; the
# report uses its own logger, because a warning on MkDocs' logger would abort the strict rebuild.
_serve = render_diagrams.__dict__.setdefault("serve_state", {"serving": False, "last_good": {}})
_report = logging.getLogger("diagrams")
if not _report.handlers:
    _report.addHandler(logging.StreamHandler())
    _report.handlers[0].setFormatter(logging.Formatter("ERROR    -  %(message)s"))
    _report.propagate = False


def on_startup(command, **kwargs):
    _serve["serving"] = command == "serve"


def on_pre_build(**kwargs):
    if _serve["serving"]:  # a font installed while serving counts from the next rebuild on
        render_diagrams.resolved_fonts.cache_clear()


def _normalise(source: str) -> str:
    return textwrap.dedent(source).strip()


def _fences(path):
    """Yields (line number of the fence, source) for each Mermaid fence in a Markdown file."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for match in FENCE.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group("source")


def label_problems(source: str) -> list[tuple[int, str]]:
    """(line inside the fence, problem) for each line that could make readers load or open something."""
    problems = []
    for number, line in enumerate(source.splitlines()):
        quoted = f": {line.strip()[:80]}"
        text = BREAK.sub("", line)
        if TAG.search(text) or LT_ENTITY.search(text):
            problems.append((number, "diagram labels are text only, no HTML but <br>" + quoted))
        elif line.lstrip().startswith("%%{"):
            problems.append((number, "no Mermaid directives (%%{...}%%), the settings are in scripts/render_diagrams.py" + quoted))
        elif re.search(r"url\s*\(|@import", line, re.I):
            problems.append((number, "no url() or @import in a diagram's styles, they would load from elsewhere" + quoted))
        elif CLICK.match(line) and not SAFE_CLICK.match(line):
            problems.append((number, 'click may only link a page of this site (click ID "relative/path/" or "#id")' + quoted))
    return problems


def _drawing_problem(drawing) -> str | None:
    """What is wrong with a cached drawing: each theme's SVG, whole, with its size."""
    for theme in render_diagrams.THEMES:
        entry = drawing.get(theme) if isinstance(drawing, dict) else None
        if not isinstance(entry, dict):
            return f"no {theme} drawing"
        svg = entry.get("svg")
        if not (isinstance(svg, str) and svg.startswith("<svg") and svg.endswith("</svg>")):
            return f"the {theme} SVG is not whole"
        if not all(isinstance(entry.get(k), int) and entry[k] > 0 for k in ("width", "height")):
            return f"the {theme} drawing has no size"
    return None


def _cached(path: str, where: str):
    """The drawing cached at `path`, or None if there is none or it is damaged (then reported in one line)."""
    data = cache_entries.read(path)
    if data is None:
        return None
    drawing, problem = cache_entries.json_problem(data, _drawing_problem)
    if problem:
        log.info("Cache entry %s (%s) is damaged, %s: drawing it again", path, where, problem)
    return drawing


def _key(source: str, renderer: str) -> str:
    return hashlib.sha256(json.dumps([source, renderer]).encode()).hexdigest()


def _renderer_fingerprint() -> str:
    """What a drawing depends on besides its source: Mermaid's version, themes, renderer code and the label fonts."""
    with open(render_diagrams.__file__, "rb") as f:
        code = hashlib.sha256(f.read()).hexdigest()
    themes = {theme: render_diagrams.config(theme) for theme in render_diagrams.THEMES}
    return json.dumps([render_diagrams.mermaid_version(), themes, code, render_diagrams.resolved_fonts()])


def on_files(files, config, **kwargs):
    """Draws every diagram under docs_dir (both languages: one browser launch) that the cache lacks.

    Fails the build naming file and line when a diagram lacks its text alternative or Mermaid cannot draw it
    (during `mkdocs serve`: reports it and keeps the diagram's last good drawing, if it had one).
    """
    try:
        fingerprint = _renderer_fingerprint()
    except (render_diagrams.RenderError, OSError) as error:
        raise PluginError(str(error)) from None
    broken, missing, places_of = {}, {}, {}  # broken: source -> error lines
    for path in sorted(glob.glob(os.path.join(config.docs_dir, "**", "*.md"), recursive=True)):
        where_file = os.path.relpath(path, ROOT)
        for index, (line, raw) in enumerate(_fences(path)):
            source = _normalise(raw)
            places_of.setdefault(source, []).append((where_file, index))
            if not {"accTitle", "accDescr"} <= dict(ACC.findall(source)).keys():
                broken.setdefault(source, []).append(
                    f"{where_file}:{line}: Mermaid diagram needs 'accTitle:' and 'accDescr:' lines (its text alternative)")
                continue
            if unsafe := label_problems(raw):
                broken.setdefault(source, []).extend(f"{where_file}:{line + 1 + n}: {problem}" for n, problem in unsafe)
                continue
            cached = os.path.join(CACHE, _key(source, fingerprint) + ".json")
            if source in missing or (drawing := _cached(cached, f"{where_file}:{line}")) is None:
                missing.setdefault(source, []).append((where_file, line, cached))
            else:
                _drawn[source] = drawing
    if missing:
        log.info("Drawing %d diagram(s) with Mermaid %s", len(missing), render_diagrams.mermaid_version())
        try:
            drawings = render_diagrams.render(list(missing))
        except render_diagrams.RenderError as error:
            raise PluginError(str(error)) from None
        for (source, places), drawing in zip(missing.items(), drawings, strict=True):
            failed = next((d["error"] for d in drawing.values() if "error" in d), None)
            if failed:
                broken[source] = [f"{_where(file, line, failed)}: {failed}" for file, line, _ in places]
                continue
            _drawn[source] = drawing
            try:
                cache_entries.write(places[0][2], json.dumps(drawing).encode(), setting="DIAGRAM_CACHE")
            except cache_entries.CacheError as error:
                raise PluginError(str(error)) from None
    errors = [line for lines in broken.values() for line in lines]
    if errors and _serve["serving"] and all(_last_good(places_of[source]) for source in broken):
        _report.error("Broken diagrams (the pages keep their last good drawing):\n  " + "\n  ".join(errors))
        for source in broken:
            _drawn[source] = _last_good(places_of[source])
    elif errors:
        raise PluginError("Broken diagrams:\n  " + "\n  ".join(errors))
    for source, places in places_of.items():
        if source not in broken:
            _serve["last_good"].update(dict.fromkeys(places, _drawn[source]))
    return files


def _last_good(places):
    """The last drawing that a fence at one of these places (file, index) had; None if it never drew."""
    return next((_serve["last_good"][p] for p in places if p in _serve["last_good"]), None)


def _where(file: str, fence_line: int, message: str) -> str:
    """file:line of the error: Mermaid counts lines from the fence's first line."""
    inner = re.search(r"on line (\d+)", message)
    return f"{file}:{fence_line + int(inner.group(1)) if inner else fence_line}"


def on_page_content(html_text, page, **kwargs):
    """Replaces each diagram's source with its two drawings (light, dark) in a captioned, keyboard-scrollable figure."""
    count = 0

    def figure(match):
        nonlocal count
        count += 1
        source = _normalise(html.unescape(match.group("source")))
        drawing = _drawn.get(source)
        if drawing is None:
            raise PluginError(f"{page.file.src_uri}: a diagram was not drawn (its fence could not be found in the file)")
        title = html.escape(dict(ACC.findall(source)).get("accTitle", ""))
        name = f"diagram-{count}"
        svgs = "".join(drawing[theme]["svg"].replace(render_diagrams.PLACEHOLDER, f"{name}-{theme}")
                       for theme in render_diagrams.THEMES)
        # The box scrolls when the diagram is wider than the column: it takes focus so keyboards can scroll it.
        return (
            f'<figure class="diagram"><div class="diagram__frame"><div class="diagram__scroll" role="region" '
            f'tabindex="0" aria-labelledby="{name}-caption">{svgs}</div></div>'
            f'<figcaption id="{name}-caption">{title}</figcaption></figure>'
        )

    return PRE.sub(figure, html_text)
