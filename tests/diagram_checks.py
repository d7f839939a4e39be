"""What a reader sees of the build-time diagrams, measured in the browser: one call checks every diagram on a page."""

from __future__ import annotations

# Returns one line per problem: the visible variant per palette, role=img with <title>/<desc>, labels' effective size
# (font size x on-screen scale), each label inside its box (node shape, diamond, cluster, edge-label box), text
# contrast against what is behind it, find-in-page finding a label, a keyboard-reachable scroll box with a cue
# when the diagram is wider than the column, and no duplicate id on the page.
DIAGRAM_PROBLEMS = r"""({ variant, minPx, font }) => {
  const problems = [];
  const rgb = c => (c.match(/[\d.]+/g) || []).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const opaque = c => rgb(c).length === 3 || rgb(c)[3] > 0.5;
  const inside = (a, b, slack = 0.75) => a.left >= b.left - slack && a.right <= b.right + slack
    && a.top >= b.top - slack && a.bottom <= b.bottom + slack;
  const inDiamond = (r, b) => {  // every corner of r inside the rhombus inscribed in b
    const cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2, hw = b.width / 2, hh = b.height / 2;
    return [[r.left, r.top], [r.right, r.top], [r.left, r.bottom], [r.right, r.bottom]]
      .every(([x, y]) => Math.abs(x - cx) / hw + Math.abs(y - cy) / hh <= 1.02);
  };
  const union = rects => rects.reduce((u, r) => ({ left: Math.min(u.left, r.left), right: Math.max(u.right, r.right),
    top: Math.min(u.top, r.top), bottom: Math.max(u.bottom, r.bottom) }),
    { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity });
  const pageBg = getComputedStyle(document.body).backgroundColor;
  if (font) {
    const style = document.createElement("style");
    style.id = "other-reader-font";
    style.textContent = `figure.diagram svg * { font-family: ${font} !important; }`;
    document.head.append(style);
  }
  const figures = [...document.querySelectorAll("article figure.diagram")];
  figures.forEach((figure, index) => {
    const where = `diagram ${index + 1} (${figure.querySelector("figcaption")?.textContent.trim()})`;
    const shown = [...figure.querySelectorAll("svg.diagram__svg")].filter(svg => svg.checkVisibility());
    if (shown.length !== 1 || !shown[0].classList.contains(`diagram__svg--${variant}`)) {
      problems.push(`${where}: shows ${shown.map(s => s.getAttribute("class")).join(", ") || "nothing"}, not the ${variant} drawing`);
      return;
    }
    const svg = shown[0];
    const title = document.getElementById(svg.getAttribute("aria-labelledby") || "-");
    const desc = document.getElementById(svg.getAttribute("aria-describedby") || "-");
    if (svg.getAttribute("role") !== "img" || title?.tagName !== "title" || desc?.tagName !== "desc"
        || !svg.contains(title) || !svg.contains(desc) || !title.textContent.trim() || !desc.textContent.trim()) {
      problems.push(`${where}: needs role=img labelled by its <title> and described by its <desc>`);
    }
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const box = figure.querySelector(".diagram__scroll");
    if (box.scrollWidth > box.clientWidth + 1 && box.scrollLeft === 0) {  // a shadow over the right edge says "more"
      const cue = getComputedStyle(box.parentElement, "::after");
      if (box.tabIndex !== 0 || box.getAttribute("role") !== "region" || !box.getAttribute("aria-labelledby")
          || !(parseFloat(cue.opacity) > 0.5 && cue.backgroundImage.includes("gradient"))) {
        problems.push(`${where}: scrolls sideways without a focusable, labelled region and a visible cue`);
      }
    }
    let labels = 0;
    for (const foreign of svg.querySelectorAll("foreignObject")) {
      const texts = [];
      const walker = document.createTreeWalker(foreign, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) if (walker.currentNode.textContent.trim()) texts.push(walker.currentNode);
      if (!texts.length) continue;
      labels += 1;
      const range = document.createRange();
      const rects = texts.flatMap(t => { range.selectNodeContents(t); return [...range.getClientRects()]; });
      const text = union(rects);
      const label = texts.map(t => t.textContent).join(" ").trim();
      const element = texts[0].parentElement;
      const size = parseFloat(getComputedStyle(element).fontSize) * scale;
      if (size < minPx - 0.01) problems.push(`${where}: "${label}" is ${size.toFixed(1)} px (needs ${minPx})`);
      const node = foreign.closest("g.node"), cluster = foreign.closest("g.cluster"), edge = foreign.closest("g.edgeLabel");
      let shape, fill, diamond = false;
      if (node) {
        shape = node.querySelector(":scope > .label-container, :scope > rect, :scope > polygon, :scope > path, :scope > circle");
        diamond = shape?.tagName === "polygon" && shape.points.numberOfItems === 4;
      } else if (cluster) {
        shape = cluster.querySelector(":scope > rect");
      } else if (edge) {
        shape = foreign;
      }
      if (!shape) { problems.push(`${where}: "${label}" has no box`); continue; }
      const bounds = shape.getBoundingClientRect();
      if (!(diamond ? inDiamond(text, bounds) : inside(text, bounds))) {
        problems.push(`${where}: "${label}" sticks out of its ${node ? "node" : cluster ? "cluster" : "label box"}`
          + ` (text ${Math.round(text.left)}-${Math.round(text.right)} x ${Math.round(text.top)}-${Math.round(text.bottom)},`
          + ` box ${Math.round(bounds.left)}-${Math.round(bounds.right)} x ${Math.round(bounds.top)}-${Math.round(bounds.bottom)})`);
      }
      if (font) continue;
      for (let e = element; e && !fill; e = e.parentElement) {
        if (e === foreign) break;
        const bg = getComputedStyle(e).backgroundColor;
        if (opaque(bg)) fill = bg;
      }
      if (!fill && (node || cluster)) {  // a shape may be a group of paths (e.g. a stadium): the first filled one
        const painted = [shape, ...shape.querySelectorAll("path, rect, polygon")].filter(e => e.tagName !== "g")
          .map(e => getComputedStyle(e).fill).find(f => f.startsWith("rgb") && opaque(f));
        if (painted) fill = painted;
      }
      fill ||= pageBg;
      const ratio = contrast(rgb(getComputedStyle(element).color), rgb(fill));
      if (ratio < 4.5) problems.push(`${where}: "${label}" contrast ${ratio.toFixed(2)}:1 on ${fill}`);
      if (labels === 1) {  // find-in-page reaches the drawn label (not only the same words in the prose)
        getSelection().removeAllRanges();
        let found = false;
        for (let i = 0; i < 100 && !found && window.find(texts[0].textContent.trim(), true, false, false); i++) {
          found = svg.contains(getSelection().anchorNode);
        }
        if (!found) problems.push(`${where}: find-in-page misses "${label}"`);
        getSelection().removeAllRanges();
      }
    }
    if (!labels) problems.push(`${where}: no text labels`);
  });
  document.getElementById("other-reader-font")?.remove();
  const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (duplicates.length) problems.push(`duplicate ids: ${duplicates.slice(0, 5).join(", ")}`);
  return problems;
}"""


def diagram_problems(page, variant: str, min_px: float = 12, font: str | None = None) -> list[str]:
    """Problems of every diagram on the page; `variant` is the drawing the reader should see (light or dark)."""
    return page.evaluate(DIAGRAM_PROBLEMS, {"variant": variant, "minPx": min_px, "font": font})
