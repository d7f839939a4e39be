// Diagram scroll cue (extra_javascript): marks each diagram frame with the sides that have more to see
// (data-more="left right"); site.css draws a shadow over those edges. Scroll events and a ResizeObserver keep it true.
"use strict";

(() => {
  const mark = box => {
    const left = box.scrollLeft > 0.5; // scrollLeft can be fractional; the widths are whole pixels
    const right = box.scrollLeft + box.clientWidth < box.scrollWidth - 0.5;
    const more = [left && "left", right && "right"].filter(Boolean).join(" ");
    if (box.parentElement.dataset.more !== more) box.parentElement.dataset.more = more;
  };
  const resized = new ResizeObserver(entries => entries.forEach(entry => mark(entry.target)));
  for (const box of document.querySelectorAll(".diagram__scroll")) {
    box.addEventListener("scroll", () => mark(box), { passive: true });
    resized.observe(box); // also reports each box once, as soon as it is laid out
  }
})();
