// Links that keep the section the reader is at (extra_javascript, deferred): the language switch (heading ids are the
// same in both languages) opens the other language at that section, and "report an error" fills the issue form's page
// field with it. The section is the last heading (or glossary entry) above the top of the window, so it follows plain
// scrolling too; before the first heading it is the top of the page. Without JavaScript both links still work.
"use strict";

(() => {
  const targets = [...document.querySelectorAll("article :is(h2, h3, tr)[id]")];
  const header = document.querySelector(".md-header");
  const canonical = document.querySelector("link[rel=canonical]")?.href;

  function section() { // a link to a section puts its heading one scroll margin (site.css) from the top
    const margin = targets.length ? parseFloat(getComputedStyle(targets[0]).scrollMarginTop) || 0 : 0;
    const line = Math.max(header ? header.getBoundingClientRect().bottom : 0, margin) + 2;
    let current = "";
    for (const target of targets) {
      if (target.getBoundingClientRect().top > line) break;
      current = target.id;
    }
    return current ? `#${current}` : "";
  }

  function keepSection() {
    const hash = section();
    for (const link of document.querySelectorAll(".md-select__link[hreflang]")) link.hash = hash;
    const report = document.querySelector(".page-source a[href*='/issues/new']");
    if (report && canonical) {
      const url = new URL(report.href);
      url.searchParams.set("page", canonical + hash);
      report.href = url.href;
    }
  }

  // Before a link is followed, opened in a new tab or copied: pointer, keyboard focus, or the menu opening on hover.
  for (const type of ["pointerdown", "focusin", "pointerover"])
    addEventListener(type, event => {
      if (event.target.closest?.(".md-select, .page-source")) keepSection();
    }, { capture: true, passive: true });
  // And once the page has settled: run as the page is parsed, its measuring would lay the whole page out before the
  // first paint, in this script's task (Lighthouse counted it as blocking time); when idle, the layout is done.
  requestIdleCallback(keepSection, { timeout: 2000 });

  // The packet (print/) lays its text out only when scrolled near (content-visibility, site.css): a link into it first
  // lands where the estimated sizes put the heading, and the text laid out around it then moves it. So whenever a part
  // of the packet changes size, the heading is put back where a link puts it (its scroll margin below the header),
  // before that frame is painted (a ResizeObserver), for 10 s or until the reader scrolls, types or follows another link.
  if (!document.querySelector(".packet__part")) return;
  let landing = 0;
  for (const type of ["wheel", "touchstart", "keydown", "pointerdown"])
    addEventListener(type, () => { landing++; }, { capture: true, passive: true });
  function land() {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    const place = parseFloat(getComputedStyle(target).scrollMarginTop) || 0; // where following a link puts it
    const run = ++landing;
    let y, at; // the scroll and the heading's place in the page, as last left (from the first frame on)
    const hold = new ResizeObserver(() => {
      const top = target.getBoundingClientRect().top, scrolled = scrollY - y, moved = top + scrollY - at;
      // The page scrolled by more than the text moved: the reader dragged the scroll bar (or moved on in another way).
      if (run !== landing || Math.abs(scrolled) > 1 && Math.abs(scrolled - moved) > 1) return hold.disconnect();
      if (Math.abs(top - place) > 1) target.scrollIntoView();
      y = scrollY, at = target.getBoundingClientRect().top + y;
    });
    for (const part of document.querySelectorAll(".packet__part")) hold.observe(part);
    setTimeout(() => hold.disconnect(), 10_000);
  }
  addEventListener("hashchange", land);
  if (location.hash) land();
})();
