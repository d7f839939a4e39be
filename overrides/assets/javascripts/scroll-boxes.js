// Boxes that scroll sideways (extra_javascript, deferred). A diagram's frame is marked with the sides that have more to
// see (data-more="left right"; site.css shades those edges). A code block that scrolls takes keyboard focus, by
// Material's own rule, as soon as it is laid out: Material's content.lazy sets code blocks up only once they have been
// on screen. A ResizeObserver reports each box once laid out and again when its size changes.
"use strict";

(() => {
  const hover = matchMedia("(hover)").matches;
  const isDiagram = box => box.matches(".diagram__scroll");
  const measure = box => isDiagram(box) // what to mark: read every box before writing any (no forced layouts)
    ? [box.scrollLeft > 0.5 && "left", box.scrollLeft + box.clientWidth < box.scrollWidth - 0.5 && "right"]
      .filter(Boolean).join(" ") // scrollLeft can be fractional; the widths are whole pixels
    : hover && box.scrollWidth > box.clientWidth;
  const mark = (box, value) => {
    if (isDiagram(box)) { if (box.parentElement.dataset.more !== value) box.parentElement.dataset.more = value; }
    else if (value) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  };
  const update = boxes => boxes
    .filter(box => box.checkVisibility({ contentVisibilityAuto: true })) // not in a part skipped until scrolled near
    .map(box => [box, measure(box)]).forEach(([box, value]) => mark(box, value));
  const resized = new ResizeObserver(entries => update(entries.map(entry => entry.target)));
  for (const box of document.querySelectorAll(".md-typeset .diagram__scroll, .md-typeset pre > code")) {
    if (isDiagram(box)) box.addEventListener("scroll", () => update([box]), { passive: true });
    resized.observe(box);
  }
})();
