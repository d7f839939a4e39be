// Boxes that scroll sideways (extra_javascript, deferred): tables, code blocks and diagrams. A box that scrolls is marked
// with the sides that have more to see (data-more="left right"; site.css shades those edges, on touch screens too, and
// in forced colours), takes keyboard focus as a named region, and a diagram opens on the first node of its flow. A
// ResizeObserver reports each box once laid out (Material's content.lazy sets code blocks up only once seen; the packet's
// parts skipped until scrolled near are laid out late) and again when its size changes.
"use strict";

(() => {
  const NAMES = document.documentElement.lang === "ko" ? { table: "표", code: "코드" } : { table: "Table", code: "Code" };
  const headings = [...document.querySelectorAll("article :is(h1, h2, h3)")];
  const isDiagram = box => box.matches(".diagram__scroll");
  // A table or code block is named by its file name or the heading above it, numbered when that name is taken (each
  // region's name is unique); a diagram already is named, by its caption.
  const names = new WeakMap(), taken = new Map();
  const name = box => {
    if (names.has(box)) return names.get(box);
    const above = headings.filter(h => h.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING).at(-1);
    const file = box.closest(".highlight")?.querySelector(".filename")?.textContent.trim();
    const label = `${box.matches("pre > code") ? NAMES.code : NAMES.table}: ${file || (above?.textContent || "").replace("¶", "").trim()}`;
    const n = (taken.get(label) || 0) + 1;
    taken.set(label, n);
    names.set(box, n > 1 ? `${label} (${n})` : label);
    return names.get(box);
  };
  const firstNode = box => [...box.querySelectorAll("svg")].find(svg => svg.checkVisibility())?.querySelector(".node");
  const opened = new WeakSet();
  const visible = box => box.checkVisibility({ contentVisibilityAuto: true }); // not in a part skipped until scrolled near

  // A diagram opens on the first node of its flow: once laid out, if that node is cut, it is scrolled to the centre.
  const open = box => {
    if (opened.has(box) || box.scrollWidth <= box.clientWidth || box.scrollLeft !== 0) return;
    opened.add(box);
    const node = firstNode(box)?.getBoundingClientRect(), frame = box.getBoundingClientRect();
    if (node && node.right > frame.right) box.scrollLeft = node.left + node.width / 2 - (frame.left + frame.width / 2);
  };
  // Read every box before writing any (no forced layouts); scrollLeft can be fractional, the widths are whole pixels.
  const measure = box => {
    const scrolls = box.scrollWidth > box.clientWidth;
    const more = [box.scrollLeft > 0.5 && "left", box.scrollLeft + box.clientWidth < box.scrollWidth - 0.5 && "right"]
      .filter(Boolean).join(" ");
    return { scrolls, more };
  };
  const mark = (box, { scrolls, more }) => {
    const marked = isDiagram(box) ? box.parentElement : box;
    if ((marked.dataset.more ?? "") !== more) more ? marked.dataset.more = more : delete marked.dataset.more;
    if (!isDiagram(box) && scrolls !== box.hasAttribute("tabindex")) {
      if (scrolls) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name(box));
      } else {
        for (const attribute of ["tabindex", "role", "aria-label"]) box.removeAttribute(attribute);
      }
    }
  };
  const update = boxes => boxes.filter(visible).map(box => [box, measure(box)]).forEach(([box, state]) => mark(box, state));
  // Laid out or resized: the diagrams open before the frame is drawn (on a laid-out page, reading and scrolling cost
  // nothing), and the marks follow in a task of their own, so the restyle they cause (a role set on a code block
  // restyles every token in it) is not added to the frame that reported the boxes, at load the page's first (TBT).
  const resized = new ResizeObserver(entries => {
    const boxes = entries.map(entry => entry.target).filter(visible);
    boxes.filter(isDiagram).forEach(open);
    setTimeout(() => update(boxes));
  });
  for (const box of document.querySelectorAll(".md-typeset :is(.diagram__scroll, .md-typeset__scrollwrap, pre > code)")) {
    box.addEventListener("scroll", () => update([box]), { passive: true });
    resized.observe(box);
  }
})();
